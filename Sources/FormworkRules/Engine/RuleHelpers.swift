import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// Where things are, for findings.
public enum Places {
    public static func resourcePath(_ resource: Resource, _ rest: PathComponent...) -> [PathComponent] {
        [.key("Resources"), .key(resource.logicalID)] + rest
    }

    /// The place of an attribute's value, else of the resource's key.
    public static func attribute(_ resource: Resource, _ name: String) -> Location {
        resource.body[name]?.location ?? resource.keyLocation
    }

}

extension Resource {
    /// An `AWS::RDS::DBInstance` with `SourceDBInstanceIdentifier`: a read replica.
    public var isReadReplica: Bool { type == "AWS::RDS::DBInstance" && properties?["SourceDBInstanceIdentifier"] != nil }

    /// An `AWS::RDS::DBInstance` with `DBClusterIdentifier`: an Aurora (or Multi-AZ cluster) member.
    public var isClusterMember: Bool { type == "AWS::RDS::DBInstance" && properties?["DBClusterIdentifier"] != nil }

    /// A DB instance that is neither a replica nor a cluster member.
    public var isStandaloneDatabase: Bool { type == "AWS::RDS::DBInstance" && !isReadReplica && !isClusterMember }
}

/// Every string literal below a value, with its path and place (Sub templates included,
/// as text).
public enum Strings {
    /// Every string of the Resources and Outputs sections, where hardcoded values matter.
    public static func inResourcesAndOutputs(_ template: Template, _ visit: (String, Location, [PathComponent]) -> Void) {
        for section in ["Resources", "Outputs"] {
            if let value = template.root[section] { walk(value, path: [.key(section)], visit) }
        }
    }

    public static func walk(_ value: Node, path: [PathComponent], _ visit: (String, Location, [PathComponent]) -> Void) {
        var path = path
        walk(value, &path, visit)
    }

    /// One path array, pushed and popped: most strings are visited and never reported.
    private static func walk(_ value: Node, _ path: inout [PathComponent], _ visit: (String, Location, [PathComponent]) -> Void) {
        switch value.kind {
        case .string(let text): visit(text, value.location, path)
        case .array(let items):
            for (index, item) in items.enumerated() {
                path.append(.index(index))
                walk(item, &path, visit)
                path.removeLast()
            }
        case .object(let map):
            for entry in map.entries {
                path.append(.key(entry.key))
                walk(entry.value, &path, visit)
                path.removeLast()
            }
        case .intrinsic(let function):
            // The logical ids in Ref, GetAtt and Condition names are not text.
            if function.name == .ref || function.name == .getAtt || function.name == .findInMap { return }
            path.append(.key(function.name.rawValue))
            defer { path.removeLast() }
            if function.name == .if, let branches = function.argument.arrayValue, branches.count == 3 {
                for index in 1...2 {
                    path.append(.index(index))
                    walk(branches[index], &path, visit)
                    path.removeLast()
                }
                return
            }
            walk(function.argument, &path, visit)
        default:
            break
        }
    }

    /// Lowercased alphanumeric words of a text (`db-prod-1` -> db, prod, 1), `${...}` removed.
    public static func words(_ text: String) -> [String] {
        // Without `${` the text is one literal part: itself (most strings).
        let cleaned = !text.utf8.containsBytes(of: "${") ? text : SubTemplate.parts(text).map { part -> String in
            if case .text(let literal) = part { return literal }
            return ""
        }.joined()
        // ASCII text (nearly all) split on its bytes: the same words, without Character
        // properties, which cost most of a lint's hardcoding rules.
        if cleaned.utf8.allSatisfy({ $0 < 0x80 }) {
            // Each word lowered straight into its string (no slices, no byte arrays between).
            var cleaned = cleaned
            return cleaned.withUTF8 { bytes in
                var words: [String] = []
                var start: Int?
                for index in 0...bytes.count {
                    if index < bytes.count, Self.isASCIIAlphanumeric(bytes[index]) {
                        if start == nil { start = index }
                        continue
                    }
                    guard let first = start else { continue }
                    start = nil
                    words.append(String(unsafeUninitializedCapacity: index - first) { word in
                        for offset in first..<index {
                            let byte = bytes[offset]
                            word[offset - first] = (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
                        }
                        return index - first
                    })
                }
                return words
            }
        }
        return cleaned.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    /// A set of words to look for with ``firstWord(_:among:)``, its ASCII members as bytes.
    struct WordSet {
        let words: Set<String>
        /// The non-empty ASCII members: an ASCII word equals a member only if their bytes are
        /// equal, and equals at most one.
        let candidates: [[UInt8]]

        init(_ words: Set<String>) {
            self.words = words
            candidates = words.filter { !$0.isEmpty && $0.utf8.allSatisfy { $0 < 0x80 } }.map { Array($0.utf8) }
        }
    }

    /// The first of `words(text)` that `wanted` holds, found on the text's bytes: no word is
    /// made into a string or hashed, no Sub text cut into parts (HC-01 asks for every name,
    /// tag and Sub of a template).
    static func firstWord(_ text: String, among wanted: WordSet) -> String? {
        var text = text
        let found: String?? = text.withUTF8 { bytes in
            var hasSubstitution = false
            if bytes.count >= 2 {
                for index in 0..<(bytes.count - 1) where bytes[index] == UInt8(ascii: "$") && bytes[index + 1] == UInt8(ascii: "{") {
                    hasSubstitution = true
                    break
                }
            }
            guard hasSubstitution else { return firstWord(inASCII: bytes, wanted.candidates) }
            // The literal parts of the Sub text, as `SubTemplate.parts` cuts them, joined.
            var cleaned: [UInt8] = []
            cleaned.reserveCapacity(bytes.count)
            var index = 0, textStart = 0
            while index + 1 < bytes.count {
                guard bytes[index] == UInt8(ascii: "$"), bytes[index + 1] == UInt8(ascii: "{") else { index += 1; continue }
                var end = index + 2
                while end < bytes.count, bytes[end] != UInt8(ascii: "}") { end += 1 }
                // A `${` without its `}` ends the template as text: no later `${` has one either.
                guard end < bytes.count else { break }
                cleaned.append(contentsOf: bytes[textStart..<index])
                index = end + 1
                textStart = index
            }
            cleaned.append(contentsOf: bytes[textStart...])
            return cleaned.withUnsafeBufferPointer { firstWord(inASCII: $0, wanted.candidates) }
        }
        // Not ASCII: `words` splits it on Characters.
        guard let found else { return words(text).first(where: wanted.words.contains) }
        return found
    }

    /// The first word of ASCII text that is one of `candidates` (nil: none); nil as a whole
    /// when the text is not ASCII.
    private static func firstWord(inASCII bytes: UnsafeBufferPointer<UInt8>, _ candidates: [[UInt8]]) -> String?? {
        var match: String?
        var start: Int?
        for index in 0...bytes.count {
            if index < bytes.count {
                let byte = bytes[index]
                if byte >= 0x80 { return nil }
                if Self.isASCIIAlphanumeric(byte) {
                    if start == nil { start = index }
                    continue
                }
            }
            guard let first = start else { continue }
            start = nil
            guard match == nil else { continue }
            let length = index - first
            for candidate in candidates where candidate.count == length {
                var equal = true
                for offset in 0..<length {
                    let byte = bytes[first + offset]
                    if ((0x41...0x5A).contains(byte) ? byte + 0x20 : byte) != candidate[offset] { equal = false; break }
                }
                if equal { match = String(decoding: candidate, as: UTF8.self); break }
            }
        }
        return .some(match)
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}

/// The template's resources a value names through Ref, Fn::GetAtt or Fn::Sub.
public enum ResourceReferences {
    public static func targets(_ value: Node?) -> Set<String> {
        guard let value else { return [] }
        var found = Set<String>()
        CircularDependencies.references(value, false, into: &found)
        return found
    }

    /// Whether the value names `logicalID` (a Ref, a GetAtt of any attribute, a `${...}`).
    public static func names(_ value: Node?, _ logicalID: String) -> Bool { targets(value).contains(logicalID) }

    /// The logical id the value is a direct reference to: a Ref, or an Fn::GetAtt in either
    /// form (`[Name, Attribute]`, `Name.Attribute`); nil for anything else.
    static func direct(_ value: Node?) -> String? {
        guard let function = value?.intrinsicValue else { return nil }
        switch function.name {
        case .ref: return function.argument.stringValue
        case .getAtt: return getAttTarget(function.argument)
        default: return nil
        }
    }

    /// The logical id an Fn::GetAtt's argument names, in either form.
    static func getAttTarget(_ argument: Node) -> String? {
        if let parts = argument.arrayValue { return parts.first?.stringValue }
        return argument.stringValue?.split(separator: ".").first.map(String.init)
    }
}

extension String {
    /// Substring search on bytes, for the hot paths (String.contains compares Characters).
    func has(_ needle: String) -> Bool { utf8.containsBytes(of: needle) }
}

/// The shapes a value takes through Fn::If (both branches; AWS::NoValue items dropped), each
/// with its path, for the rules that judge lists and objects whatever the conditions.
enum Branches {
    /// A list's items (or one object), with Fn::If items taken both ways and AWS::NoValue
    /// dropped, each with its path.
    static func items(_ value: Node?, _ path: [PathComponent]) -> [(Node, [PathComponent])] {
        guard let value else { return [] }
        switch value.kind {
        case .array(let items):
            return items.enumerated().flatMap { Self.items($0.element, path + [.index($0.offset)]) }
        case .object: return [(value, path)]
        case .intrinsic(let function) where function.name == .if:
            guard let parts = function.argument.arrayValue, parts.count == 3 else { return [] }
            return Self.items(parts[1], path + [.key("Fn::If"), .index(1)]) + Self.items(parts[2], path + [.key("Fn::If"), .index(2)])
        default: return []
        }
    }

    /// The lists a value can be (both branches of Fn::If), with their paths.
    static func lists(_ value: Node, _ path: [PathComponent]) -> [([Node], [PathComponent])] {
        through(value, path) { $0.arrayValue }
    }

    /// The mappings a value can be (both branches of Fn::If), with their paths.
    static func objects(_ value: Node, _ path: [PathComponent]) -> [(ObjectMap, [PathComponent])] {
        through(value, path) { $0.objectValue }
    }

    private static func through<Shape>(_ value: Node, _ path: [PathComponent], _ shape: (Node) -> Shape?) -> [(Shape, [PathComponent])] {
        if let found = shape(value) { return [(found, path)] }
        guard let function = value.intrinsicValue, function.name == .if, let parts = function.argument.arrayValue, parts.count == 3 else { return [] }
        return through(parts[1], path + [.key("Fn::If"), .index(1)], shape) + through(parts[2], path + [.key("Fn::If"), .index(2)], shape)
    }
}

extension RuleContext {
    /// Whether every value the property can take is `expected` (booleans compared as text).
    func always(_ value: Node?, is expected: String) -> Bool {
        let candidates = values.candidates(value)
        return !candidates.isEmpty && candidates.allSatisfy { candidate in
            guard case .literal(let literal, _) = candidate else { return false }
            return literal.scalarText?.lowercased() == expected.lowercased()
        }
    }

    /// The literal values a property can take (booleans and numbers as text).
    func literals(_ value: Node?) -> [(text: String, node: Node)] {
        values.candidates(value).compactMap { candidate in
            guard case .literal(let literal, _) = candidate, let text = literal.scalarText else { return nil }
            return (text, literal)
        }
    }
}
