/// How the generated models spell registry names in Swift: shared by the generator, the typed
/// core (whose diagnostics name a property or a value the way the user writes it) and anything
/// that writes Swift for the models (an importer). `members(_:in:)` is the one naming function;
/// the rest are its parts.
///
/// The rule, for every scope (an object's properties, a handle's attributes, a value set):
/// 1. Each registry name is written in lower camel case (`DBInstanceIdentifier` ->
///    `dbInstanceIdentifier`, `aurora-postgresql` -> `auroraPostgresql`, `5.7` -> `v5_7`,
///    `RedrivePolicy.deadLetterTargetArn` -> `redrivePolicyDeadLetterTargetArn`). A Swift
///    keyword is declared in backticks and written as is after a dot (`.default`, `$0.protocol`).
/// 2. A name Swift or the core already uses in that scope (`.none`, which Optional takes;
///    `storage`, `ref`, `self`, ...), and a name two registry names of the scope would share
///    (`GLACIER` and `Glacier`), is not given: each such name is the registry's own spelling,
///    in backticks where Swift needs them (`` .`GLACIER` ``, `` .`Glacier` ``, `` .`NONE` ``).
/// 3. Only where the registry's spelling is itself taken (a value spelled exactly `none`, a
///    property spelled `storage`) is an underscore appended (`none_`).
public enum SwiftNames {
    /// Where a set of names is declared; decides what Swift and the core already use there.
    public enum Scope: Sendable {
        /// The properties of a resource or of a property object (`$0.engine`).
        case properties
        /// The typed `Fn::GetAtt` accessors of a resource's handle (`database.endpointAddress`).
        case attributes
        /// The members of one value set (`.auroraPostgresql`).
        case values

        /// Names a member of this scope must not take.
        public var reserved: Set<String> {
            switch self {
            case .properties: return SwiftNames.selfNames.union(SwiftNames.modelMembers)
            case .attributes: return SwiftNames.selfNames.union(["ref", "logicalID", "attribute"])
            case .values: return SwiftNames.selfNames.union(["none"])
            }
        }
    }

    /// The Swift member declared for each of `names` (one scope, in the registry's order), as
    /// written in a declaration (backticks included where Swift needs them). See the rule above.
    public static func members(_ names: [String], in scope: Scope) -> [String] {
        let reserved = scope.reserved
        let plain = names.map { camelCase($0, in: scope) }
        var count: [String: Int] = [:]
        for name in plain { count[name, default: 0] += 1 }
        // Names that stand alone first, so that a registry spelling never takes one of them.
        var taken = Set(plain.filter { count[$0] == 1 && !reserved.contains($0) })
        return zip(names, plain).map { original, name in
            if count[name] == 1, !reserved.contains(name) { return declared(name) }
            var member = isRawIdentifier(original) ? original : name
            while reserved.contains(member) || taken.contains(member) { member += "_" }
            taken.insert(member)
            return declared(member)
        }
    }

    /// The member for `value` of a set whose values are `values`: what the models declare,
    /// as written after a dot (`.default`, `` .`GLACIER` ``), for messages that name it.
    public static func valueMember(_ value: String, of values: [String]) -> String {
        guard let index = values.firstIndex(of: value) else { return SwiftCase.name(value) }
        let member = members(values, in: .values)[index]
        return keywords.contains(member.trimmingBackticks) ? member.trimmingBackticks : member
    }

    /// `DBInstanceIdentifier` -> `dbInstanceIdentifier`, `MultiAZ` -> `multiAZ`, `Protocol` -> `` `protocol` ``:
    /// a property alone (without the scope's collisions), as declared.
    public static func property(_ property: String) -> String {
        declared(camelCase(property, in: .properties))
    }

    /// `Endpoint.Address` -> `endpointAddress`, `RedrivePolicy.deadLetterTargetArn` ->
    /// `redrivePolicyDeadLetterTargetArn`: an attribute alone, as declared.
    public static func attribute(_ attribute: String) -> String {
        declared(camelCase(attribute, in: .attributes))
    }

    /// The lower camel case of a name, without backticks.
    public static func camelCase(_ name: String, in scope: Scope) -> String {
        switch scope {
        case .values: return SwiftCase.name(name)
        case .attributes:
            // Each segment of a nested attribute starts a word.
            let segments = name.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }
            return propertyCase(segments.joined())
        case .properties: return propertyCase(name)
        }
    }

    /// `DBInstance` -> `dbInstance`: the leading capitals lowered, but the last of a run, which
    /// starts the next word, unless a digit follows or the run ends the name.
    static func propertyCase(_ property: String) -> String {
        let characters = Array(property.filter { $0.isLetter || $0.isNumber || $0 == "_" })
        guard !characters.isEmpty else { return "value" }
        var upperRun = 0
        while upperRun < characters.count, characters[upperRun].isUppercase { upperRun += 1 }
        var result: String
        if upperRun == 0 {
            result = String(characters)
        } else if upperRun == characters.count {
            result = String(characters).lowercased()
        } else if upperRun == 1 {
            result = String(characters[0]).lowercased() + String(characters[1...])
        } else {
            let next = characters[upperRun]
            let keep = next.isLetter ? upperRun - 1 : upperRun
            result = String(characters[..<keep]).lowercased() + String(characters[keep...])
        }
        if let first = result.first, first.isNumber { result = "_" + result }
        return result
    }

    /// `name` as a declaration spells it: in backticks when it is a keyword or not a plain
    /// identifier (a raw identifier such as `` `lowest-price` ``).
    static func declared(_ name: String) -> String {
        keywords.contains(name) || !isPlainIdentifier(name) ? "`\(name)`" : name
    }

    /// Letters, digits and underscores, not starting with a digit.
    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.first, !first.isNumber else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// Whether Swift 6.2's raw identifiers (SE-0451) can spell `name` in backticks: printable
    /// ASCII without backticks or backslashes, not blank at either end, not only operator
    /// characters.
    static func isRawIdentifier(_ name: String) -> Bool {
        guard let first = name.first, let last = name.last, first != " ", last != " " else { return false }
        guard name.allSatisfy({ $0.isASCII && $0 >= " " && $0 <= "~" && $0 != "`" && $0 != "\\" }) else { return false }
        return !name.allSatisfy { "/=-+!*%<>&|^~?.".contains($0) }
    }

    /// Names that mean the value or its type after a dot (`x.self`, `T.Type`, `.init`).
    static let selfNames: Set<String> = ["self", "Self", "Type", "Protocol", "init"]

    /// Members a generated model already has (the protocols' and the storage's).
    public static let modelMembers: Set<String> = ["storage", "propertyOrder", "node", "renderProperties", "extraProperties", "resourceType", "typeName"]

    /// Words a declaration must put in backticks.
    public static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
        "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough",
        "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "catch", "false", "is", "nil",
        "super", "self", "Self", "throw", "throws", "true", "try", "Type", "Protocol", "any", "some", "async", "await",
    ]
}

/// The lower camel case of a schema value (`aurora-postgresql` -> `auroraPostgresql`,
/// `db.r6g.large` -> `dbR6gLarge`, `5.7` -> `v5_7`), before `SwiftNames.members(_:in:)` settles
/// collisions.
public enum SwiftCase {
    /// The value's camel case, without backticks.
    public static func name(_ value: String) -> String {
        var runs: [String] = []
        var current = ""
        for character in value {
            if character.isASCII && (character.isLetter || character.isNumber) {
                current.append(character)
            } else if !current.isEmpty {
                runs.append(current)
                current = ""
            }
        }
        if !current.isEmpty { runs.append(current) }
        var result = ""
        for original in runs {
            // Capitals throughout are one word (`CLOUDWATCH_METRIC` -> `cloudwatchMetric`).
            let run = original.count > 1 && original.allSatisfy({ $0.isUppercase || $0.isNumber }) && original.contains(where: \.isLetter)
                ? original.prefix(1) + original.dropFirst().lowercased() : original
            if result.isEmpty {
                result = lowerFirstWord(run)
            } else {
                // Digits on both sides of a separator stay apart: `5.7` -> `5_7`.
                if result.last!.isNumber, run.first!.isNumber { result += "_" }
                result += run.prefix(1).uppercased() + run.dropFirst()
            }
        }
        if result.isEmpty { return "empty" }
        if result.first!.isNumber { result = "v" + result }
        return result
    }

    /// `GreaterThanThreshold` -> `greaterThanThreshold`, `HTTPS` -> `https`, `IPv4` -> `ipv4`.
    static func lowerFirstWord(_ word: String) -> String {
        let characters = Array(word)
        var upper = 0
        while upper < characters.count, characters[upper].isUppercase { upper += 1 }
        if upper == 0 { return word }
        if upper == characters.count { return word.lowercased() }
        if upper == 1 { return characters[0].lowercased() + String(characters[1...]) }
        let keep = characters[upper].isLetter ? upper - 1 : upper
        return String(characters[..<keep]).lowercased() + String(characters[keep...])
    }
}

extension String {
    var trimmingBackticks: String {
        hasPrefix("`") && hasSuffix("`") && count > 1 ? String(dropFirst().dropLast()) : self
    }
}
