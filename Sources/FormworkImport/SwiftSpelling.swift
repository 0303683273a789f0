import FormworkSchema
import FormworkTemplate

/// How imported Swift spells literals: strings (one line, or a `"""` block for text of
/// several lines), numbers as the template wrote them where Swift can, JSON documents.
enum SwiftSpelling {
    /// The escaped body of a one-line string literal.
    static func escaped(_ text: String, multiLine: Bool = false) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += multiLine ? "\"" : "\\\""
            case "\n": out += multiLine ? "\n" : "\\n"
            case "\r": out += "\\r"
            case "\t": out += multiLine ? "\t" : "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) || (0x2028...0x2029).contains(scalar.value) {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        // `"""` inside a block would close it.
        return multiLine ? out.replacingAll("\"\"\"", with: "\\\"\"\"") : out
    }

    /// A string literal of `parts` (text and interpolations `\(...)`), as a block when the text
    /// has two or more line breaks; `indent` is the indentation of the line it starts on.
    static func literal(_ parts: [Part], indent: String) -> String {
        let text = parts.map { if case .text(let text) = $0 { return text } else { return "" } }.joined()
        let lines = text.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
        if lines < 2 {
            return "\"" + parts.map { part in
                switch part {
                case .text(let text): return escaped(text)
                case .interpolation(let code): return "\\(" + code + ")"
                }
            }.joined() + "\""
        }
        let body = parts.map { part in
            switch part {
            case .text(let text): return escaped(text, multiLine: true)
            case .interpolation(let code): return "\\(" + code + ")"
            }
        }.joined()
        let inner = indent + "    "
        // A line ending in spaces would lose them to editors; `\u{20}` keeps them visible.
        let written = body.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.isEmpty { return "" }
            var line = String(line)
            if line.last == " " || line.last == "\t" {
                let trailing = line.reversed().prefix { $0 == " " || $0 == "\t" }
                line = String(line.dropLast(trailing.count)) + trailing.reversed().map { $0 == " " ? "\\u{20}" : "\\t" }.joined()
            }
            return inner + line
        }
        return "\"\"\"\n" + written.joined(separator: "\n") + "\n" + inner + "\"\"\""
    }

    /// A plain string literal.
    static func string(_ text: String, indent: String = "") -> String { literal([.text(text)], indent: indent) }

    enum Part {
        case text(String)
        case interpolation(String)
    }

    /// A number as a Swift integer literal when its text is one (`-12`), else nil.
    static func integer(_ text: String) -> String? {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard digits.count == 1 || digits.first != "0" else { return nil }
        return text
    }

    /// A number as a Swift literal that CloudFormation reads as the same number, else nil.
    static func number(_ text: String) -> String? {
        if let integer = integer(text) { return integer }
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        // `000400` (a file mode) is 400 to Swift: the text keeps its zeros.
        if digits.count > 1, digits.first == "0", digits.dropFirst().first?.isNumber == true { return nil }
        guard let value = Double(text), value.isFinite else { return nil }
        // Swift wants a digit on both sides of the point.
        if digits.first?.isNumber == true, digits.allSatisfy({ $0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "+" || $0 == "-" }),
           !digits.hasSuffix("."), !digits.contains(".e"), !digits.contains(".E") {
            return text
        }
        return String(value)
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    /// `Fn::If` spelt `[condition, ...]` and the like: the first character uppercased.
    var upperFirst: String { prefix(1).uppercased() + dropFirst() }
}
