import FormworkSchema
import FormworkTemplate

/// A rule's hint, written in template words (`MultiAZ: true`, `DependsOn: Logs`,
/// `use ${AWS::AccountId}`), spelt as the Swift the user writes (`$0.multiAZ = true`,
/// `dependsOn: [logs]`, `Pseudo.accountID`). A resource is named by the handle `stack.add`
/// returned, guessed as its logical id in lower camel case. Nil when the hint is prose.
enum SwiftHint {
    /// The pseudo parameters' Swift names (`Pseudo.accountID`).
    static let pseudo: [String: String] = [
        "AWS::AccountId": "accountID", "AWS::Region": "region", "AWS::StackName": "stackName", "AWS::StackId": "stackID",
        "AWS::Partition": "partition", "AWS::URLSuffix": "urlSuffix", "AWS::NotificationARNs": "notificationARNs",
    ]

    static func swift(_ hint: String, path: [PathComponent]) -> String? {
        var text = Substring(hint)
        for verb in ["write ", "use ", "set "] where text.hasPrefix(verb) { text = text.dropFirst(verb.count) }
        // A pseudo parameter or a parameter alone: `use ${AWS::AccountId}`.
        if text.hasPrefix("${"), text.hasSuffix("}"), !text.dropFirst(2).contains("$") {
            let name = String(text.dropFirst(2).dropLast())
            let swift = reference(name)
            return "use `\(swift)` (in a string: `\"...\\(\(swift))...\"`)"
        }
        // A required tag: `add Tags: [{Key: Team, Value: ...}]`.
        if text.hasPrefix("add Tags: [{Key: "), let end = text.firstRange(of: ", Value: ...}]"), end.upperBound == text.endIndex {
            let key = unquoted(text[text.index(text.startIndex, offsetBy: "add Tags: [{Key: ".count)..<end.lowerBound])
            return "add the tag: `$0.tags = .tags([\(interpolated(key)): ...])` (or `.adding([...])` to tags already set)"
        }
        // A string to write: `arn:${AWS::Partition}:` or `!Sub '<type>-<purpose>-${EnvironmentSuffix}'`.
        if text.hasPrefix("arn:") { return "write `\(interpolated(String(text)))`" }
        if text.hasPrefix("it as !Sub ") { return "write it as `\(interpolated(unquoted(text.dropFirst("it as !Sub ".count))))`" }
        guard let colon = text.firstIndex(of: ":"), text[text.index(after: colon)...].hasPrefix(" ") else { return nil }
        let key = String(text[..<colon])
        guard let first = key.unicodeScalars.first, ("A"..."Z").contains(first),
              key.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) }) else { return nil }
        var reader = FlowReader(text: Array(text[text.index(colon, offsetBy: 2)...]))
        guard let value = reader.value(), reader.atEnd() else { return nil }
        switch key {
        case "DependsOn":
            return "pass `dependsOn: [\(value.hasPrefix("\"") ? variable(String(value.dropFirst().dropLast())) : value)]` to `stack.add`"
        case "DeletionPolicy", "UpdateReplacePolicy":
            let argument = SwiftPlace.addArguments[key]!
            return "pass `\(argument): .\(unquoted(Substring(value)).lowercased())` to `stack.add`"
        default:
            return "set `$0.\(SwiftNames.property(key)) = \(value)`"
        }
    }

    /// `${Name}` in Swift: a pseudo parameter, or the handle of a parameter or resource.
    static func reference(_ name: String) -> String {
        if let pseudo = pseudo[name] { return "Pseudo." + pseudo }
        let parts = name.split(separator: ".", maxSplits: 1)
        if parts.count == 2 { return variable(String(parts[0])) + "." + SwiftNames.property(String(parts[1]).replacingScalars([".": ""])) }
        return variable(name)
    }

    /// A logical id as the variable the user most likely holds its handle in.
    static func variable(_ logicalID: String) -> String { SwiftNames.property(logicalID) }

    /// A Sub text as a Swift string with interpolations.
    static func interpolated(_ text: String) -> String {
        var result = "\""
        var rest = Substring(text)
        while let start = rest.firstRange(of: "${") {
            result += escape(rest[..<start.lowerBound])
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { rest = rest[start.lowerBound...]; break }
            result += "\\(" + reference(String(rest[start.upperBound..<end])) + ")"
            rest = rest[rest.index(after: end)...]
        }
        return result + escape(rest) + "\""
    }

    static func escape(_ text: Substring) -> String { String(text).replacingScalars(["\"": "\\\"", "\\": "\\\\"]) }

    static func unquoted(_ text: Substring) -> String {
        if text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first { return String(text.dropFirst().dropLast()) }
        return String(text)
    }

    /// A YAML flow value of a hint (`{HttpTokens: required}`, `[!Ref AlertTopic]`, `7`,
    /// `!GetAtt Logs.Arn`) as a Swift expression; nil for anything else (prose after it).
    struct FlowReader {
        let text: [Character]
        var index = 0

        mutating func atEnd() -> Bool { skipSpaces(); return index == text.count }

        mutating func skipSpaces() { while index < text.count, text[index] == " " { index += 1 } }

        mutating func value() -> String? {
            skipSpaces()
            guard index < text.count else { return nil }
            switch text[index] {
            case "{":
                index += 1
                var assignments: [String] = []
                while true {
                    skipSpaces()
                    if index < text.count, text[index] == "}" { index += 1; break }
                    guard let key = word(until: ":"), index < text.count, text[index] == ":" else { return nil }
                    index += 1
                    guard let item = value() else { return nil }
                    assignments.append("$0.\(SwiftNames.property(key)) = \(item)")
                    skipSpaces()
                    if index < text.count, text[index] == "," { index += 1 }
                }
                return ".init { " + assignments.joined(separator: "; ") + " }"
            case "[":
                index += 1
                var items: [String] = []
                while true {
                    skipSpaces()
                    if index < text.count, text[index] == "]" { index += 1; break }
                    guard let item = value() else { return nil }
                    items.append(item)
                    skipSpaces()
                    if index < text.count, text[index] == "," { index += 1 }
                }
                return "[" + items.joined(separator: ", ") + "]"
            case "!":
                guard let tag = word(until: " ") else { return nil }
                skipSpaces()
                switch tag {
                case "!Ref":
                    return word(until: ",]}").map { reference($0) + (pseudo[$0] == nil && !$0.contains(".") ? ".ref" : "") }
                case "!GetAtt":
                    return word(until: ",]}").map(reference)
                case "!Sub":
                    return scalar().map { interpolated(unquoted(Substring($0))) }
                default:
                    return nil
                }
            default:
                guard let plain = scalar() else { return nil }
                let bare = unquoted(Substring(plain))
                if plain == "true" || plain == "false" || (Double(plain) != nil && !plain.hasPrefix("'")) { return plain }
                // Prose after the value (`60 with MonitoringRoleArn`) is not a value.
                if plain == bare, bare.contains(" ") { return nil }
                return interpolated(bare)
            }
        }

        /// A quoted scalar, or a plain one up to `,`, `]` or `}`.
        mutating func scalar() -> String? {
            skipSpaces()
            guard index < text.count else { return nil }
            if text[index] == "'" || text[index] == "\"" {
                let quote = text[index]
                let start = index
                index += 1
                while index < text.count, text[index] != quote { index += 1 }
                guard index < text.count else { return nil }
                index += 1
                return String(text[start..<index])
            }
            return word(until: ",]}").map { $0.trimmingTrailingSpaces }
        }

        mutating func word(until stops: String) -> String? {
            skipSpaces()
            let start = index
            while index < text.count, !stops.contains(text[index]) { index += 1 }
            return index > start ? String(text[start..<index]) : nil
        }
    }
}

private extension String {
    var trimmingTrailingSpaces: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
