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

    /// The `${...}` variables of a template (`${!Literal}` excluded), as `parts` finds them,
    /// on the text's own bytes: the literal parts (a whole UserData script, often) are never
    /// made into strings, since every rule that reads a Sub asks for this.
    public static func variables(_ template: String) -> [String] {
        var text = template
        return text.withUTF8 { bytes -> [String] in
            var found: [String] = []
            var index = 0
            let count = bytes.count
            while index + 1 < count {
                guard bytes[index] == UInt8(ascii: "$"), bytes[index + 1] == UInt8(ascii: "{") else {
                    index += 1
                    continue
                }
                var end = index + 2
                while end < count, bytes[end] != UInt8(ascii: "}") { end += 1 }
                // A `${` without its `}` ends the template as text: no later `${` has one either.
                guard end < count else { break }
                if bytes[index + 2] != UInt8(ascii: "!") {
                    found.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 2)..<end]), as: UTF8.self).trimmingCharacters(" "))
                }
                index = end + 1
            }
            return found
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
    /// The text without these characters at either end.
    package func trimmingCharacters(_ set: String) -> String {
        // Nothing to trim when both ends are ASCII bytes outside an ASCII set (most calls): a
        // Character that begins with such a byte is none of the set's.
        if let first = utf8.first, let last = utf8.last, first < 0x80, last < 0x80, set.utf8.allSatisfy({ $0 < 0x80 }),
           !set.utf8.contains(first), !set.utf8.contains(last) {
            return self
        }
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, set.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}

extension Intrinsic {
    /// For `Fn::Sub`, its template text (the string, or the first element of the list
    /// form); nil for any other function.
    public var subText: String? {
        guard name == .sub else { return nil }
        return argument.stringValue ?? argument.arrayValue?.first?.stringValue
    }

    /// For `Fn::Sub [text, {Name: value}]`, the names of its own variables.
    public var subLocals: Set<String> {
        guard name == .sub, let parts = argument.arrayValue, parts.count == 2 else { return [] }
        return Set(parts[1].objectValue?.keys ?? [])
    }
}

extension Template {
    /// The pseudo parameters a Ref can name in any template.
    public static let pseudoParameters: Set<String> = [
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region",
        "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
    ]

    /// Logical ids (and output names) are ASCII letters and digits only.
    public static func isAlphanumericName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) }
    }
}
