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

    /// The parts in order; a `${` without its `}` ends the template as text.
    public static func parts(_ template: String) -> [Part] {
        var parts: [Part] = []
        var text = ""
        let characters = Array(template)
        var index = 0
        while index < characters.count {
            if index + 1 < characters.count, characters[index] == "$", characters[index + 1] == "{",
               let end = characters[(index + 2)...].firstIndex(of: "}") {
                if !text.isEmpty { parts.append(.text(text)); text = "" }
                let name = String(characters[(index + 2)..<end])
                if name.hasPrefix("!") {
                    parts.append(.escaped(String(name.dropFirst())))
                } else {
                    parts.append(.variable(name.trimmingCharacters(" ")))
                }
                index = end + 1
            } else {
                text.append(characters[index])
                index += 1
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
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
