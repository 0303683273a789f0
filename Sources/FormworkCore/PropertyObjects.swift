import FormworkTemplate

/// The properties of one resource type (generated under `Generated/`).
public protocol ResourceProperties: Sendable {
    static var typeName: String { get }
    func renderProperties() -> ObjectMap
}

/// A generated nested property type. It is either its fields or, through
/// `init(expression:)`, one expression for the whole object (an `Fn::If` of two objects).
public protocol PropertyObject: Sendable {
    var overrideExpression: Node? { get }
    init(expression: Node)
    func renderProperties() -> ObjectMap
}

extension PropertyObject {
    public var node: Node { overrideExpression ?? .object(renderProperties()) }

    /// `Fn::If` over whole objects; a nil `otherwise` leaves the object (or list entry) out.
    public static func `if`(_ condition: Condition, _ then: Self, else otherwise: Self?) -> Self {
        Self(expression: .intrinsic(.if, .array([.string(condition.name), then.node, otherwise?.node ?? noValue])))
    }
}

/// Generated `Tag` types (a `Key` and a `Value`), so that tags are written once for all types.
public protocol TagProtocol: PropertyObject {
    init(tagKey: Value<String>, tagValue: Value<String>)
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
    /// Sets a property when it has a value (generated code's one way to render).
    public mutating func put<T>(_ key: String, _ value: Value<T>?) {
        if let value { set(key, value.node) }
    }

    public mutating func put<O: PropertyObject>(_ key: String, _ value: O?) {
        if let value { set(key, value.node) }
    }

    public mutating func put<O: PropertyObject>(_ key: String, _ value: [O]?) {
        if let value { set(key, .array(value.map(\.node))) }
    }
}
