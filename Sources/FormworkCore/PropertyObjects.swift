import FormworkTemplate

/// What every generated model holds: its properties by template name, the properties the model
/// does not know, and, for a property object, the one expression that stands for all of it.
/// One stored value per model keeps the generated code small for the compiler: each property
/// is a computed accessor over it, and rendering is shared. Nothing of it is public but its
/// existence: a model's properties are its accessors.
public struct PropertyStorage: Sendable {
    var map: ObjectMap
    /// Properties the model does not know (`extraProperties`).
    package var extra = ExtraProperties()
    /// The whole object as one expression (`Fn::If` of two objects).
    package var expression: Node?

    /// Empty storage (what a model starts from).
    public init() { map = ObjectMap() }

    /// A rendered object (or an expression) read back, so that `$0.config.field = x` works.
    package init(node: Node) {
        if case .object(let object) = node.kind { map = object } else { map = ObjectMap(); expression = node }
    }

    package func value<T>(_ key: String) -> Value<T>? { map[key].map(Value.init(unchecked:)) }
    package mutating func setValue<T>(_ key: String, _ value: Value<T>?) { set(key, value?.node) }
    package func object<O: PropertyObject>(_ key: String) -> O? { map[key].map { O(storage: PropertyStorage(node: $0)) } }
    package mutating func setObject<O: PropertyObject>(_ key: String, _ value: O?) { set(key, value?.node) }
    package func objects<O: PropertyObject>(_ key: String) -> [O]? { map[key]?.arrayValue?.map { O(storage: PropertyStorage(node: $0)) } }
    package mutating func setObjects<O: PropertyObject>(_ key: String, _ value: [O]?) { set(key, value.map { .array($0.map(\.node)) }) }
    package func json(_ key: String) -> JSON? { map[key].map(JSON.init) }
    package mutating func setJSON(_ key: String, _ value: JSON?) { set(key, value?.node) }

    package mutating func set(_ key: String, _ node: Node?) {
        if let node { map.set(key, node) } else { map.remove(key) }
    }

    /// The properties in the schema's order whatever order they were set in, then any others
    /// read back from a node, then the extra ones (which replace a known one of the same name).
    package func render(order: [String]) -> ObjectMap {
        var result = ObjectMap()
        for key in order { if let node = map[key] { result.set(key, node) } }
        if result.count < map.count {
            let known = Set(order)
            for entry in map.entries where !known.contains(entry.key) { result.set(entry.key, entry.value) }
        }
        result.putExtra(extra)
        return result
    }
}

/// A generated model: a resource's properties or a property object.
public protocol PropertyModel: Sendable {
    /// The template names in the schema's order (the order properties are written in).
    static var propertyOrder: [String] { get }
    /// The model's properties (opaque: set them through the model's accessors).
    var storage: PropertyStorage { get set }
}

extension PropertyModel {
    /// Properties this model does not know (newer than the registry Formwork embeds), by
    /// their template names: the escape hatch, visible in review.
    public var extraProperties: ExtraProperties {
        get { storage.extra }
        set { storage.extra = newValue }
    }

    package func renderProperties() -> ObjectMap { storage.render(order: Self.propertyOrder) }
}

/// The properties of one resource type (generated under `Sources/Models/<Service>/`).
public protocol ResourceProperties: PropertyModel {
    /// The resource type, `AWS::RDS::DBInstance`.
    static var typeName: String { get }
    /// The `Type` written for this value: the type name, except for `RawResource`.
    var resourceType: String { get }
}

extension ResourceProperties {
    /// The type name.
    public var resourceType: String { Self.typeName }
}

/// A resource of a type outside the registry (`Custom::*`, a module's `Org::Team::Thing::MODULE`)
/// or one written without a model: its type and properties as given, unchecked by the models.
public struct RawResource: ResourceProperties {
    /// The registry's name for custom resources; a raw resource writes its own ``resourceType``.
    public static let typeName = "AWS::CloudFormation::CustomResource"
    /// None: the properties are written in the order given.
    public static let propertyOrder: [String] = []
    /// The `Type` written.
    public let resourceType: String
    /// The properties, as given.
    public var storage = PropertyStorage()

    /// A resource of `type` with these properties, by their template names.
    public init(type: String, properties: ExtraProperties = [:]) {
        resourceType = type
        storage.extra = properties
    }
}

/// Properties a model does not know: set by their template names, rendered after the known
/// ones (a name the model knows is replaced).
public struct ExtraProperties: Sendable, ExpressibleByDictionaryLiteral {
    /// The properties in the order they were set.
    public private(set) var entries: [(name: String, value: JSON)] = []

    /// No properties.
    public init() {}

    /// Properties from a dictionary literal, in its order.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        for (name, value) in elements { self[name] = value }
    }

    /// Whether no property is set.
    public var isEmpty: Bool { entries.isEmpty }

    /// The property of that template name; setting nil removes it.
    public subscript(name: String) -> JSON? {
        get { entries.first { $0.name == name }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((name, newValue))
            }
        }
    }
}

/// A generated nested property type. It is either its fields or, through
/// `init(expression:)`, one expression for the whole object (an `Fn::If` of two objects).
public protocol PropertyObject: PropertyModel {
    /// A property object holding these properties (what generated accessors read back).
    init(storage: PropertyStorage)
}

extension PropertyObject {
    /// The whole object as an expression (`Fn::If` of two objects, say).
    package init(expression: Node) { self.init(storage: PropertyStorage(node: expression)) }

    package var node: Node { storage.expression ?? .object(renderProperties()) }

    /// `Fn::If` over whole objects; a nil `otherwise` leaves the object (or list entry) out.
    public static func `if`(_ condition: Condition, _ then: Self, else otherwise: Self?) -> Self {
        Self(expression: .intrinsic(.if, .array([.string(condition.name), then.node, otherwise?.node ?? noValue])))
    }
}

/// Generated `Tag` types (a `Key` and a `Value`), so that tags are written once for all types.
public protocol TagProtocol: PropertyObject {}

extension TagProtocol {
    /// A tag of this key and value.
    public init(tagKey: Value<String>, tagValue: Value<String>) {
        var storage = PropertyStorage()
        storage.setValue("Key", tagKey)
        storage.setValue("Value", tagValue)
        self.init(storage: storage)
    }
}

extension Array where Element: TagProtocol {
    /// Tags from pairs, in the order given: `tags: .tags(["Environment": suffix.ref])`.
    public static func tags(_ pairs: KeyValuePairs<String, Value<String>>) -> [Element] {
        pairs.map { Element(tagKey: .literal($0.key), tagValue: $0.value) }
    }

    /// These tags plus others; a key given again replaces the earlier value.
    public func adding(_ pairs: KeyValuePairs<String, Value<String>>) -> [Element] {
        var result = self
        for (key, value) in pairs {
            let tag = Element(tagKey: .literal(key), tagValue: value)
            if let index = result.firstIndex(where: { $0.renderProperties()["Key"]?.stringValue == key }) {
                result[index] = tag
            } else {
                result.append(tag)
            }
        }
        return result
    }
}

extension ObjectMap {
    mutating func putExtra(_ extra: ExtraProperties) {
        for entry in extra.entries { set(entry.name, entry.value.node) }
    }
}
