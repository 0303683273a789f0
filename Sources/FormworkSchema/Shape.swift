import FormworkTemplate

/// The JSON types a registry schema names.
public enum JSONType: String, Sendable, Hashable, CaseIterable {
    case string, integer, number, boolean, array, object, null
}

/// One node of a registry schema: what a property value may be. `$ref`s stay references,
/// resolved through `ResourceSchema.definitions` on demand (some definitions are recursive).
public struct Shape: Sendable {
    // The fields sit behind one reference, copied on write: the schema walk passes shapes
    // by value at every step (a resolve, a property's shape), and a copy of ~30 fields was
    // a large part of its cost.
    private struct Fields {
        var types: [JSONType] = []
        var ref: String?
        var properties: [(name: String, shape: Shape)] = []
        var required: [String] = []
        var additionalProperties: Bool = true
        var additionalShape: Box<Shape>?
        var patternProperties: [(pattern: String, shape: Shape)] = []
        var items: Box<Shape>?
        var insertionOrder: Bool = true
        var uniqueItems: Bool = false
        var enumValues: [Node]?
        var constValue: Node?
        var defaultValue: Node?
        var pattern: String?
        var format: String?
        var minimum: Double?
        var maximum: Double?
        var exclusiveMinimum: Double?
        var exclusiveMaximum: Double?
        var minLength: Int?
        var maxLength: Int?
        var minItems: Int?
        var maxItems: Int?
        var oneOf: [Shape] = []
        var anyOf: [Shape] = []
        var allOf: [Shape] = []
        var dependentRequired: [String: [String]] = [:]
    }

    private final class Storage: @unchecked Sendable {
        // Mutated only while uniquely referenced (`makeUnique`).
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var storage = Storage(Fields())

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
    }

    public var types: [JSONType] {
        get { storage.fields.types }
        _modify {
            makeUnique()
            yield &storage.fields.types
        }
    }

    public var ref: String? {
        get { storage.fields.ref }
        _modify {
            makeUnique()
            yield &storage.fields.ref
        }
    }

    public var properties: [(name: String, shape: Shape)] {
        get { storage.fields.properties }
        _modify {
            makeUnique()
            yield &storage.fields.properties
        }
    }

    public var required: [String] {
        get { storage.fields.required }
        _modify {
            makeUnique()
            yield &storage.fields.required
        }
    }

    /// `false` when the object allows no properties beyond `properties`.
    public var additionalProperties: Bool {
        get { storage.fields.additionalProperties }
        _modify {
            makeUnique()
            yield &storage.fields.additionalProperties
        }
    }

    /// The schema of extra properties, for map-like objects.
    public var additionalShape: Box<Shape>? {
        get { storage.fields.additionalShape }
        _modify {
            makeUnique()
            yield &storage.fields.additionalShape
        }
    }

    public var patternProperties: [(pattern: String, shape: Shape)] {
        get { storage.fields.patternProperties }
        _modify {
            makeUnique()
            yield &storage.fields.patternProperties
        }
    }

    public var items: Box<Shape>? {
        get { storage.fields.items }
        _modify {
            makeUnique()
            yield &storage.fields.items
        }
    }

    /// `false` when the array's order carries no meaning (compared as a multiset).
    public var insertionOrder: Bool {
        get { storage.fields.insertionOrder }
        _modify {
            makeUnique()
            yield &storage.fields.insertionOrder
        }
    }

    public var uniqueItems: Bool {
        get { storage.fields.uniqueItems }
        _modify {
            makeUnique()
            yield &storage.fields.uniqueItems
        }
    }

    public var enumValues: [Node]? {
        get { storage.fields.enumValues }
        _modify {
            makeUnique()
            yield &storage.fields.enumValues
        }
    }

    public var constValue: Node? {
        get { storage.fields.constValue }
        _modify {
            makeUnique()
            yield &storage.fields.constValue
        }
    }

    /// `default`: what CloudFormation assumes when the property is absent (only where the
    /// schema says; the generated registry data leaves it out, the generator reads it).
    public var defaultValue: Node? {
        get { storage.fields.defaultValue }
        _modify {
            makeUnique()
            yield &storage.fields.defaultValue
        }
    }

    public var pattern: String? {
        get { storage.fields.pattern }
        _modify {
            makeUnique()
            yield &storage.fields.pattern
        }
    }

    public var format: String? {
        get { storage.fields.format }
        _modify {
            makeUnique()
            yield &storage.fields.format
        }
    }

    public var minimum: Double? {
        get { storage.fields.minimum }
        _modify {
            makeUnique()
            yield &storage.fields.minimum
        }
    }

    public var maximum: Double? {
        get { storage.fields.maximum }
        _modify {
            makeUnique()
            yield &storage.fields.maximum
        }
    }

    public var exclusiveMinimum: Double? {
        get { storage.fields.exclusiveMinimum }
        _modify {
            makeUnique()
            yield &storage.fields.exclusiveMinimum
        }
    }

    public var exclusiveMaximum: Double? {
        get { storage.fields.exclusiveMaximum }
        _modify {
            makeUnique()
            yield &storage.fields.exclusiveMaximum
        }
    }

    public var minLength: Int? {
        get { storage.fields.minLength }
        _modify {
            makeUnique()
            yield &storage.fields.minLength
        }
    }

    public var maxLength: Int? {
        get { storage.fields.maxLength }
        _modify {
            makeUnique()
            yield &storage.fields.maxLength
        }
    }

    public var minItems: Int? {
        get { storage.fields.minItems }
        _modify {
            makeUnique()
            yield &storage.fields.minItems
        }
    }

    public var maxItems: Int? {
        get { storage.fields.maxItems }
        _modify {
            makeUnique()
            yield &storage.fields.maxItems
        }
    }

    public var oneOf: [Shape] {
        get { storage.fields.oneOf }
        _modify {
            makeUnique()
            yield &storage.fields.oneOf
        }
    }

    public var anyOf: [Shape] {
        get { storage.fields.anyOf }
        _modify {
            makeUnique()
            yield &storage.fields.anyOf
        }
    }

    public var allOf: [Shape] {
        get { storage.fields.allOf }
        _modify {
            makeUnique()
            yield &storage.fields.allOf
        }
    }

    /// `dependentRequired`: property -> the properties it needs beside it.
    public var dependentRequired: [String: [String]] {
        get { storage.fields.dependentRequired }
        _modify {
            makeUnique()
            yield &storage.fields.dependentRequired
        }
    }

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
