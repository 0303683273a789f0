import FormworkYAML

/// Numbers are kept as the text they were written with; these helpers compare them and
/// rewrite them for a target syntax without going through a lossy binary form where a
/// decimal integer is concerned.
package enum NumberLiteral {
    package enum Normalised: Equatable {
        /// A decimal integer: optional `-`, digits without leading zeros.
        case integer(String)
        case real(Double)
        /// A literal this code cannot interpret (should not happen for read input).
        case text(String)
    }

    /// The value of a YAML 1.1 or JSON number literal.
    package static func normalise(_ literal: String) -> Normalised {
        var text = literal.replacingAll("_", with: "")
        var negative = false
        if text.hasPrefix("+") { text.removeFirst() }
        else if text.hasPrefix("-") { negative = true; text.removeFirst() }
        let sign = negative ? "-" : ""
        switch text {
        case ".inf", ".Inf", ".INF": return .real(negative ? -.infinity : .infinity)
        case ".nan", ".NaN", ".NAN": return .real(.nan)
        default: break
        }
        if text.contains(":") {
            // Sexagesimal (base 60), YAML 1.1 only: 1:30 is 90.
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            var total = 0.0
            for part in parts {
                guard let n = Double(part) else { return .text(literal) }
                total = total * 60 + n
            }
            if !text.contains("."), total.isFinite, total >= 0, total < 9.0e15 {
                return integer(sign, String(Int64(total)))
            }
            return .real(negative ? -total : total)
        }
        if text.hasPrefix("0x") || text.hasPrefix("0b") || text.hasPrefix("0o") {
            let radix = text.hasPrefix("0x") ? 16 : text.hasPrefix("0b") ? 2 : 8
            guard let n = UInt64(text.dropFirst(2), radix: radix) else { return .text(literal) }
            return integer(sign, String(n))
        }
        if text.allSatisfy(\.isASCIIDigitCharacter) {
            if text.count > 1, text.hasPrefix("0") {
                // YAML 1.1 octal.
                guard let n = UInt64(text.dropFirst(), radix: 8) else { return .text(literal) }
                return integer(sign, String(n))
            }
            return integer(sign, text)
        }
        if var d = Double(text.hasPrefix(".") ? "0" + text : text) {
            if negative { d = -d }
            return .real(d)
        }
        return .text(literal)
    }

    /// `-?[1-9][0-9]*`, `0`, or `-?[0-9]+\.[0-9]+`: literals whose value `Double(literal)`
    /// reads exactly as `normalise` does (no sign `+`, octal, `_`, sexagesimal or `-0`).
    package static func isPlainDecimal(_ literal: String) -> Bool {
        var utf8 = literal.utf8[...]
        let negative = utf8.first == UInt8(ascii: "-")
        if negative { utf8 = utf8.dropFirst() }
        guard let first = utf8.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first), utf8.count <= 32 else { return false }
        var digits = 0, point = false, fraction = 0
        for byte in utf8 {
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                if point { fraction += 1 } else { digits += 1 }
            } else if byte == UInt8(ascii: "."), !point {
                point = true
            } else {
                return false
            }
        }
        if point { return fraction > 0 }
        return first != UInt8(ascii: "0") || (digits == 1 && !negative)
    }

    private static func integer(_ sign: String, _ digits: String) -> Normalised {
        let trimmed = digits.drop { $0 == "0" }
        if trimmed.isEmpty { return .integer("0") }
        // String + String: appending the Substring went through the unspecialized generic
        // `append(contentsOf:)` (a metadata lookup by name on first use).
        return .integer(sign + String(trimmed))
    }

    package static func equal(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let x = normalise(a)
        let y = normalise(b)
        switch (x, y) {
        case (.integer(let i), .real(let d)), (.real(let d), .integer(let i)):
            return Double(i) == d
        case (.real(let p), .real(let q)):
            return p == q || (p.isNaN && q.isNaN)
        default:
            return x == y
        }
    }

    /// A computed number as template text: integral values without a fraction.
    package static func text(of number: Double) -> String {
        if number.isFinite, number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }

    /// The literal as JSON (RFC 8259) accepts it; `nil` for infinities and NaN, which JSON
    /// cannot express.
    package static func jsonForm(_ literal: String) -> String? {
        if isJSONNumber(literal) { return literal }
        switch normalise(literal) {
        case .integer(let digits): return digits
        case .real(let d): return d.isFinite ? shortest(d) : nil
        case .text: return nil
        }
    }

    /// The literal as a YAML 1.1 reader (CloudFormation, cfn-lint) reads a plain number.
    /// JSON's `1e5` is a string to such a reader, so it becomes `1.0e+5`.
    package static func yamlForm(_ literal: String) -> String {
        let resolved = YAML11Resolver.resolve(plain: literal)
        if resolved == .int || resolved == .float { return literal }
        var mantissa = Substring(literal)
        var exponent = ""
        if let e = literal.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = literal[..<e]
            exponent = String(literal[literal.index(after: e)...])
            if !exponent.hasPrefix("-") && !exponent.hasPrefix("+") { exponent = "+" + exponent }
        }
        var result = String(mantissa)
        if !result.contains(".") { result += ".0" }
        if !exponent.isEmpty { result += "e" + exponent }
        if YAML11Resolver.resolve(plain: result) == .float { return result }
        return literal
    }

    /// RFC 8259: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`
    package static func isJSONNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") { bytes.removeFirst() }
        func digits() -> Int {
            var n = 0
            while let b = bytes.first, b >= 48, b <= 57 { bytes.removeFirst(); n += 1 }
            return n
        }
        guard let first = bytes.first else { return false }
        if first == UInt8(ascii: "0") {
            bytes.removeFirst()
        } else if digits() == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes.removeFirst()
            guard digits() > 0 else { return false }
        }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes.removeFirst()
            if let s = bytes.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { bytes.removeFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    /// Swift's shortest form, with a `.0` before an exponent that has none (`7e-06` ->
    /// `7.0e-06`): valid JSON, and a float to a YAML 1.1 reader too, which reads `7e-06` as a
    /// string (found by the fuzzer on a document whose root is that number).
    private static func shortest(_ d: Double) -> String {
        let text = "\(d)"
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), !text[..<e].contains(".") else { return text }
        return String(text[..<e]) + ".0" + String(text[e...])
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        guard contains(target) else { return self }
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}

extension Double {
    /// This number as an `Int` (toward zero) when it is finite and within `Int`'s range, else
    /// nil. `Int(Double)` traps on the rest, so every conversion of a number that comes from
    /// a template or a file goes through here.
    package var checkedInt: Int? {
        guard isFinite, self > -9.2e18, self < 9.2e18 else { return nil }
        return Int(self)
    }
}
