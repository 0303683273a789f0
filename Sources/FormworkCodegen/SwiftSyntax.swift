/// Generated Swift as a small tree: the model writers say what a file declares, and one
/// renderer decides how it is laid out (four spaces per level, blank lines empty), so that
/// indentation is right however deep a declaration sits.
indirect enum SwiftSyntax: Equatable {
    /// One line of code at its level.
    case line(String)
    /// An empty line between declarations.
    case blank
    /// `///` documentation, one comment line per string.
    case doc([String])
    /// `//` comment lines.
    case comment([String])
    /// `header {`, the members one level deeper, `}`; `header {}` when there are none.
    case block(String, [SwiftSyntax])

    /// Members separated by one blank line each (groups that are empty take no space).
    static func separated(_ groups: [[SwiftSyntax]]) -> [SwiftSyntax] {
        var result: [SwiftSyntax] = []
        for group in groups where !group.isEmpty {
            if !result.isEmpty { result.append(.blank) }
            result += group
        }
        return result
    }

    /// The source text of a file: the nodes at the top level, a final newline.
    static func render(_ nodes: [SwiftSyntax]) -> String {
        var lines: [String] = []
        render(nodes, level: 0, into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func render(_ nodes: [SwiftSyntax], level: Int, into lines: inout [String]) {
        let indent = String(repeating: " ", count: 4 * level)
        for node in nodes {
            switch node {
            case .line(let text): lines.append(indent + text)
            case .blank: lines.append("")
            case .doc(let texts): lines += texts.map { $0.isEmpty ? indent + "///" : indent + "/// " + $0 }
            case .comment(let texts): lines += texts.map { indent + "// " + $0 }
            case .block(let header, let members) where members.isEmpty:
                lines.append(indent + header + " {}")
            case .block(let header, let members):
                lines.append(indent + header + " {")
                render(members, level: level + 1, into: &lines)
                lines.append(indent + "}")
            }
        }
    }

    /// A Swift string literal.
    static func literal(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { result += "\\u{\(String(scalar.value, radix: 16))}" } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}
