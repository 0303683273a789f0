/// The pieces of an `Fn::Sub` template: text, `${Name}` variables, and `${!Literal}` escapes.
/// One scanner for everything that reads Sub strings (checks, diff resolution, rules).
public enum SubTemplate {
    public enum Part: Sendable, Hashable {
        case text(String)
        /// `${Name}` or `${Resource.Attribute}`, the name trimmed of spaces.
        case variable(String)
        /// `${!Literal}`: CloudFormation writes `${Literal}`.
        case escaped(String)
    }

    /// The parts in order; a `${` without its `}` ends the template as text. Scans bytes:
    /// `$`, `{` and `}` are ASCII, so every cut is at a character boundary.
    public static func parts(_ template: String) -> [Part] {
        var parts: [Part] = []
        let bytes = Array(template.utf8)
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        var textStart = 0
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == UInt8(ascii: "$"), bytes[index + 1] == UInt8(ascii: "{"),
                  let end = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: "}")) else {
                index += 1
                continue
            }
            if textStart < index { parts.append(.text(string(textStart..<index))) }
            if bytes[index + 2] == UInt8(ascii: "!") {
                parts.append(.escaped(string((index + 3)..<end)))
            } else {
                parts.append(.variable(string((index + 2)..<end).trimmingCharacters(" ")))
            }
            index = end + 1
            textStart = index
        }
        if textStart < bytes.count { parts.append(.text(string(textStart..<bytes.count))) }
        return parts
    }

    /// The `${...}` variables of a template (`${!Literal}` excluded).
    public static func variables(_ template: String) -> [String] {
        parts(template).compactMap { part in
            if case .variable(let name) = part { return name }
            return nil
        }
    }

    /// The template with each variable replaced (`nil` from `value` leaves the whole result
    /// nil) and each escape written as CloudFormation writes it.
    public static func substitute(_ template: String, _ value: (String) -> String?) -> String? {
        var result = ""
        for part in parts(template) {
            switch part {
            case .text(let text): result += text
            case .escaped(let literal): result += "${" + literal + "}"
            case .variable(let name):
                guard let replacement = value(name) else { return nil }
                result += replacement
            }
        }
        return result
    }
}

extension String {
    func trimmingCharacters(_ set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, set.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}
