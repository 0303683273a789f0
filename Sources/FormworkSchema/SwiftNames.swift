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
