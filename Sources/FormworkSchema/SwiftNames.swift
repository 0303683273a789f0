/// How the generated models spell registry names in Swift: shared by the generator and by
/// the typed core, whose diagnostics name a property the way the user wrote it.
public enum SwiftNames {
    /// `DBInstanceIdentifier` -> `dbInstanceIdentifier`, `MultiAZ` -> `multiAZ`, `Protocol` -> `` `protocol` ``.
    public static func property(_ property: String) -> String {
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
            // The last capital of a run starts the next word (`DBInstance` -> `db` + `Instance`),
            // unless what follows is a digit or the run ends the name.
            let next = characters[upperRun]
            let keep = next.isLetter ? upperRun - 1 : upperRun
            result = String(characters[..<keep]).lowercased() + String(characters[keep...])
        }
        if let first = result.first, first.isNumber { result = "_" + result }
        return keywords.contains(result) ? "`\(result)`" : result
    }


    public static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
        "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough",
        "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "catch", "false", "is", "nil",
        "super", "self", "Self", "throw", "throws", "true", "try", "Type", "any", "some", "async", "await",
    ]
}

/// The Swift spelling of a schema value as a static member (`aurora-postgresql` ->
/// `auroraPostgresql`, `db.r6g.large` -> `dbR6gLarge`, `5.7` -> `v5_7`): the generator's
/// and the messages' one rule.
public enum SwiftCase {
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
        return reserved.contains(result) ? result + "Value" : result
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

    /// Keywords and the members `Value` already has.
    static let reserved: Set<String> = [
        "if", "else", "in", "is", "as", "do", "for", "while", "true", "false", "nil", "self", "Self", "super", "init", "default",
        "case", "switch", "break", "continue", "return", "throw", "throws", "try", "catch", "func", "var", "let", "class", "struct",
        "enum", "protocol", "extension", "import", "public", "private", "internal", "static", "where", "guard", "defer", "repeat",
        "operator", "subscript", "typealias", "associatedtype", "inout", "any", "some", "deinit", "fileprivate", "open", "rethrows",
        "other", "literal", "select", "findInMap", "join", "split", "node", "list", "sub", "json", "base64", "importValue", "getAZs", "cidr",
        "Type", "Protocol", "none",
    ]
}
