import FormworkTemplate

/// An untyped JSON value, for properties the registry types loosely (policy documents,
/// maps, one-of shapes). Written with Swift literals; may hold typed values inside.
public struct JSON: CFNType, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral,
    ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral {
    public let node: Node

    public init(_ node: Node) { self.node = node }

    /// Embeds a typed value (a Ref, a Sub, ...) in a JSON document. (Inside this type
    /// `Value` names the dictionary literal's value type, hence the module prefix.)
    public init<T>(_ value: FormworkCore.Value<T>) { node = value.node }

    public init(dictionaryLiteral elements: (String, JSON)...) {
        var map = ObjectMap()
        for (key, value) in elements { map.set(key, value.node) }
        node = .object(map)
    }

    public init(arrayLiteral elements: JSON...) { node = .array(elements.map(\.node)) }
    public init(stringLiteral value: String) { node = .string(value) }
    public init(integerLiteral value: Int) { node = .number(String(value)) }
    public init(floatLiteral value: Double) { node = .number(NumberLiteral.text(of: value)) }
    public init(booleanLiteral value: Bool) { node = .bool(value) }
}
