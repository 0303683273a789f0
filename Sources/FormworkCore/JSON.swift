import FormworkTemplate

/// An untyped JSON value, for properties the registry types loosely (policy documents,
/// maps, one-of shapes). Written with Swift literals; may hold typed values inside.
public struct JSON: CFNType, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral,
    ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral {
    /// The value as the template holds it.
    package let node: Node

    package init(_ node: Node) { self.node = node }

    /// Embeds a typed value (a Ref, a Sub, ...) in a JSON document. (Inside this type
    /// `Value` names the dictionary literal's value type, hence the module prefix.)
    public init<T>(_ value: FormworkCore.Value<T>) { node = value.node }

    /// An object from keys and values computed at build time, in the order given (a key given
    /// again replaces the earlier value in place). One key `Ref` or `Fn::*` is that function,
    /// as a template reader reads it.
    public static func object(_ entries: [(key: String, value: JSON)]) -> JSON {
        if entries.count == 1, Intrinsic.isFunctionName(entries[0].key) {
            return JSON(.intrinsic(IntrinsicName(rawValue: entries[0].key), entries[0].value.node))
        }
        var map = ObjectMap()
        for (key, value) in entries { map.set(key, value.node) }
        return JSON(.object(map))
    }

    /// JSON's `null`, which a template may hold where a function takes no argument
    /// (`{"Fn::GetAZs": null}` in AWS's JSON samples reads as the stack's region).
    public static let null = JSON(Node.null)

    /// A list from values computed at build time.
    public static func array(_ items: [JSON]) -> JSON { JSON(.array(items.map(\.node))) }

    /// An object from a dictionary literal, in the literal's order.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(elements.map { ($0.0, $0.1) })
    }

    /// A list from an array literal.
    public init(arrayLiteral elements: JSON...) { node = .array(elements.map(\.node)) }
    /// A string.
    public init(stringLiteral value: String) { node = .string(value) }
    /// A whole number.
    public init(integerLiteral value: Int) { node = .number(String(value)) }
    /// A decimal number, written in its shortest exact form.
    public init(floatLiteral value: Double) { node = .number(NumberLiteral.text(of: value)) }
    /// `true` or `false`.
    public init(booleanLiteral value: Bool) { node = .bool(value) }
}
