import FormworkSchema

/// The Swift spelling of a property's schema.
indirect enum SwiftType: Equatable {
    case primitive(String)          // String, Int, Double, Bool
    case json                       // anything the registry types loosely
    case policyDocument             // an IAM policy document (typed, JSON the escape)
    case enumeration(String)        // a generated value set
    case list(SwiftType)            // Value<[T]> for primitives, sets and lists
    case object(String)             // a generated struct
    case objectList(String)         // [Struct]

    /// The stored property's type.
    var declaration: String {
        switch self {
        case .json: return "JSON"
        case .policyDocument: return "PolicyDocument"
        case .primitive(let name), .enumeration(let name): return "Value<\(name)>"
        case .list: return "Value<\(valueElement)>"
        case .object(let name): return name
        case .objectList(let name): return "[\(name)]"
        }
    }

    var valueElement: String {
        switch self {
        case .json: return "JSON"
        case .policyDocument: return "PolicyDocument"
        case .primitive(let name), .enumeration(let name), .object(let name): return name
        case .list(let inner): return "[\(inner.valueElement)]"
        case .objectList(let name): return "[\(name)]"
        }
    }

    /// The `PropertyStorage` accessors that read and write it.
    var accessors: (get: String, set: String) {
        switch self {
        case .json: return ("json", "setJSON")
        case .policyDocument: return ("policyDocument", "setPolicyDocument")
        case .primitive, .enumeration, .list: return ("value", "setValue")
        case .object: return ("object", "setObject")
        case .objectList: return ("objects", "setObjects")
        }
    }
}

extension ModelBuilder {
    /// The loosely typed properties that hold an IAM policy document (identity, trust, key and
    /// resource policies): they take the core's typed `PolicyDocument`.
    static let policyDocumentProperties: Set<String> = ["PolicyDocument", "AssumeRolePolicyDocument", "KeyPolicy", "ResourcePolicy"]
    /// Types whose `PolicyDocument` is another language (a core network's policy).
    static let otherPolicyLanguages: Set<String> = ["AWS::NetworkManager::CoreNetwork"]

    /// Maps a schema shape to a Swift type, registering the structs and sets to generate.
    mutating func swiftType(_ shape: Shape, proposedName: String, extensionSet: ExtensionSet? = nil, depth: Int = 0) -> SwiftType {
        if depth > 16 { return .json }
        if let definition = shape.definitionName, let target = schema.definitions[definition] {
            let resolved = schema.resolve(target)
            if Self.isStruct(resolved) {
                if let known = definitionTypes[definition] { return .object(known) }
                let structName = newStruct(definition, resolved)
                definitionTypes[definition] = structName
                return .object(structName)
            }
            if resolved.types == [.string], let set = valueSet(resolved, proposedName: definition, definition: definition, extensionSet: extensionSet) {
                return set
            }
            return swiftType(resolved, proposedName: definition, extensionSet: extensionSet, depth: depth + 1)
        }
        // A single JSON type decides, whatever anyOf/oneOf add (formats, relationship refs).
        if shape.types.count == 1 {
            switch shape.types[0] {
            case .string:
                return valueSet(shape, proposedName: proposedName, definition: nil, extensionSet: extensionSet) ?? .primitive("String")
            case .integer: return .primitive("Int")
            case .number: return .primitive("Double")
            case .boolean: return .primitive("Bool")
            case .array:
                guard let items = shape.items?.value else { return .list(.json) }
                let element = swiftType(items, proposedName: proposedName, depth: depth + 1)
                if case .object(let structName) = element { return .objectList(structName) }
                if case .objectList = element { return .list(.json) }
                return .list(element)
            case .object:
                return Self.isStruct(shape) ? .object(newStruct(proposedName, shape)) : .json
            case .null:
                return .json
            }
        }
        if shape.types.isEmpty, !shape.properties.isEmpty, Self.isStruct(shape) {
            return .object(newStruct(proposedName, shape))
        }
        return .json
    }

    /// An object with properties of its own and no alternatives: a nested struct.
    static func isStruct(_ shape: Shape) -> Bool {
        !shape.properties.isEmpty && shape.oneOf.isEmpty && shape.anyOf.isEmpty
            && (shape.types.isEmpty || shape.types == [.object])
    }

    private mutating func newStruct(_ proposedName: String, _ shape: Shape) -> String {
        let structName = naming.newTypeName(for: proposedName, suffix: "Property")
        structs.append((structName, proposedName, shape))
        return structName
    }
}
