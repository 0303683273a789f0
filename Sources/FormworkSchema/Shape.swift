import FormworkTemplate

/// The JSON types a registry schema names.
public enum JSONType: String, Sendable, Hashable, CaseIterable {
    case string, integer, number, boolean, array, object, null
}

/// One node of a registry schema: what a property value may be. `$ref`s stay references,
/// resolved through `ResourceSchema.definitions` on demand (some definitions are recursive).
public struct Shape: Sendable {
    public var types: [JSONType] = []
    public var ref: String?
    public var properties: [(name: String, shape: Shape)] = []
    public var required: [String] = []
    /// `false` when the object allows no properties beyond `properties`.
    public var additionalProperties = true
    /// The schema of extra properties, for map-like objects.
    public var additionalShape: Box<Shape>?
    public var patternProperties: [(pattern: String, shape: Shape)] = []
    public var items: Box<Shape>?
    /// `false` when the array's order carries no meaning (compared as a multiset).
    public var insertionOrder = true
    public var uniqueItems = false
    public var enumValues: [Node]?
    public var constValue: Node?
    /// `default`: what CloudFormation assumes when the property is absent (only where the
    /// schema says; the generated registry data leaves it out, the generator reads it).
    public var defaultValue: Node?
    public var pattern: String?
    public var format: String?
    public var minimum: Double?
    public var maximum: Double?
    public var exclusiveMinimum: Double?
    public var exclusiveMaximum: Double?
    public var minLength: Int?
    public var maxLength: Int?
    public var minItems: Int?
    public var maxItems: Int?
    public var oneOf: [Shape] = []
    public var anyOf: [Shape] = []
    public var allOf: [Shape] = []
    /// `dependentRequired`: property -> the properties it needs beside it.
    public var dependentRequired: [String: [String]] = [:]

    public init() {}

    public func property(_ name: String) -> Shape? {
        properties.first { $0.name == name }?.shape
    }

    /// Reads a schema node from its JSON.
    public init(_ json: Node) {
        guard case .object(let map) = json.kind else { return }
        for entry in map.entries {
            guard let keyword = SchemaKeyword(rawValue: entry.key) else { continue }
            apply(keyword, entry.value)
        }
    }

    /// Reads a schema node from the generator's encoding (`CompactData`): what `init(_:)`
    /// reads from JSON, with the subschemas read straight from the encoding.
    package init(reading reader: inout CompactReader) {
        guard let count = reader.objectCount() else {
            reader.skip()
            return
        }
        for _ in 0..<count {
            guard let keyword = reader.key().keyword else {
                reader.skip()
                continue
            }
            read(keyword, &reader)
        }
    }

    /// One keyword's value from the encoding.
    package mutating func read(_ keyword: SchemaKeyword, _ reader: inout CompactReader) {
        switch keyword {
        case .properties: properties = Self.namedShapes(&reader)
        case .patternProperties: patternProperties = Self.namedShapes(&reader).map { (pattern: $0.name, shape: $0.shape) }
        case .items: items = Box(Shape(reading: &reader))
        case .additionalProperties where reader.next == UInt8(ascii: "{"): additionalShape = Box(Shape(reading: &reader))
        case .oneOf: oneOf = Self.shapes(&reader)
        case .anyOf: anyOf = Self.shapes(&reader)
        case .allOf: allOf = Self.shapes(&reader)
        default: apply(keyword, reader.node())
        }
    }

    static func namedShapes(_ reader: inout CompactReader) -> [(name: String, shape: Shape)] {
        guard let count = reader.objectCount() else {
            reader.skip()
            return []
        }
        var found: [(name: String, shape: Shape)] = []
        found.reserveCapacity(count)
        for _ in 0..<count {
            let name = reader.key().name
            found.append((name, Shape(reading: &reader)))
        }
        return found
    }

    static func shapes(_ reader: inout CompactReader) -> [Shape] {
        guard let count = reader.arrayCount() else {
            reader.skip()
            return []
        }
        return (0..<count).map { _ in Shape(reading: &reader) }
    }

    /// One keyword's value, read as JSON.
    mutating func apply(_ keyword: SchemaKeyword, _ value: Node) {
        switch keyword {
        case .type:
            if let name = value.stringValue, let type = JSONType(rawValue: name) {
                types = [type]
            } else if let names = value.arrayValue {
                types = names.compactMap { $0.stringValue.flatMap(JSONType.init(rawValue:)) }
            }
        case .ref: ref = value.stringValue
        case .properties:
            properties = value.objectValue?.entries.map { ($0.key, Shape($0.value)) } ?? []
        case .required: required = value.arrayValue?.compactMap(\.stringValue) ?? []
        case .additionalProperties:
            if case .bool(let allowed) = value.kind {
                additionalProperties = allowed
            } else if case .object = value.kind {
                additionalShape = Box(Shape(value))
            }
        case .patternProperties:
            patternProperties = value.objectValue?.entries.map { ($0.key, Shape($0.value)) } ?? []
        case .items: items = Box(Shape(value))
        case .insertionOrder: if case .bool(let flag) = value.kind { insertionOrder = flag }
        case .uniqueItems: if case .bool(let flag) = value.kind { uniqueItems = flag }
        case .enumValues: enumValues = value.arrayValue
        case .constValue: constValue = value
        case .defaultValue: defaultValue = value
        case .pattern: pattern = value.stringValue
        case .format: format = value.stringValue
        case .minimum: minimum = value.numberValue
        case .maximum: maximum = value.numberValue
        case .exclusiveMinimum: exclusiveMinimum = value.numberValue
        case .exclusiveMaximum: exclusiveMaximum = value.numberValue
        case .minLength: minLength = value.intValue
        case .maxLength: maxLength = value.intValue
        case .minItems: minItems = value.intValue
        case .maxItems: maxItems = value.intValue
        case .oneOf: oneOf = value.arrayValue?.map(Shape.init) ?? []
        case .anyOf: anyOf = value.arrayValue?.map(Shape.init) ?? []
        case .allOf: allOf = value.arrayValue?.map(Shape.init) ?? []
        case .dependentRequired:
            for dependency in value.objectValue?.entries ?? [] { dependentRequired[dependency.key] = dependency.value.arrayValue?.compactMap(\.stringValue) ?? [] }
        default: break
        }
    }

    /// The definition name of a local `$ref` (`#/definitions/Endpoint` -> `Endpoint`).
    public var definitionName: String? {
        guard let ref, ref.hasPrefix("#/definitions/") else { return nil }
        return String(ref.dropFirst("#/definitions/".count))
    }
}

/// A reference box so that `Shape` can hold shapes of its own kind.
public final class Box<Wrapped: Sendable>: Sendable {
    public let value: Wrapped
    public init(_ value: Wrapped) { self.value = value }
}
