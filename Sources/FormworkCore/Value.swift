@_exported import FormworkTemplate

/// A CloudFormation type a typed value can have: the primitives, lists of them, `JSON` and
/// the generated property objects.
public protocol CFNType: Sendable {}

extension String: CFNType {}
extension Int: CFNType {}
extension Double: CFNType {}
extension Bool: CFNType {}
extension Array: CFNType where Element: CFNType {}

/// Numeric types integer literals may spell (`Int`, and `Double` for `Threshold: 80`).
public protocol CFNNumber: CFNType {}
extension Int: CFNNumber {}
extension Double: CFNNumber {}

/// A value of type `T` in a template: a literal, or an expression (Ref, GetAtt, Sub, If,
/// Join, ...) that CloudFormation evaluates to a `T`. Literals come through the literal
/// protocols, so `multiAZ: true` and `multiAZ: .if(isProd, true, false)` both compile, and
/// a `Ref` to a String parameter in a Bool field does not.
public struct Value<T: CFNType>: Sendable {
    public let node: Node

    /// A value from an untyped node; the caller vouches for its type.
    public init(unchecked node: Node) {
        self.node = node
    }

    /// `Fn::If`: `then` when the condition holds, else `otherwise`; a nil `otherwise` is
    /// `AWS::NoValue` (the property is left out).
    public static func `if`(_ condition: Condition, _ then: Value<T>, else otherwise: Value<T>?) -> Value<T> {
        Value(unchecked: .intrinsic(.if, .array([.string(condition.name), then.node, otherwise?.node ?? noValue])))
    }

    /// `Fn::Select`: one element of a list.
    public static func select(_ index: Int, from list: Value<[T]>) -> Value<T> {
        Value(unchecked: .intrinsic(.select, .array([.number(String(index)), list.node])))
    }

    /// `Fn::FindInMap`.
    public static func findInMap(_ mapping: Mapping, _ topLevelKey: Value<String>, _ secondLevelKey: Value<String>) -> Value<T> {
        Value(unchecked: .intrinsic(.findInMap, .array([.string(mapping.name), topLevelKey.node, secondLevelKey.node])))
    }
}

let noValue = Node.intrinsic(.ref, .string("AWS::NoValue"))

extension Value: ExpressibleByUnicodeScalarLiteral where T == String {
    public init(unicodeScalarLiteral value: String) { node = .string(value) }
}

extension Value: ExpressibleByExtendedGraphemeClusterLiteral where T == String {
    public init(extendedGraphemeClusterLiteral value: String) { node = .string(value) }
}

extension Value: ExpressibleByStringLiteral where T == String {
    public init(stringLiteral value: String) { node = .string(value) }
}

extension Value: ExpressibleByIntegerLiteral where T: CFNNumber {
    public init(integerLiteral value: Int) { node = .number(String(value)) }
}

extension Value: ExpressibleByFloatLiteral where T == Double {
    public init(floatLiteral value: Double) { node = .number(NumberLiteral.text(of: value)) }
}

extension Value: ExpressibleByBooleanLiteral where T == Bool {
    public init(booleanLiteral value: Bool) { node = .bool(value) }
}

extension Value: ExpressibleByArrayLiteral where T: ListType {
    public init(arrayLiteral elements: Value<T.Element>...) {
        node = .array(elements.map(\.node))
    }
}

/// Lists of typed values.
public protocol ListType: CFNType {
    associatedtype Element: CFNType
}

extension Array: ListType where Element: CFNType {}

extension Value where T == String {
    /// A literal string (for building values from Swift strings at run time).
    public static func literal(_ text: String) -> Value<String> { Value(unchecked: .string(text)) }

    /// `Fn::Join`.
    public static func join(_ delimiter: String, _ parts: Value<[String]>) -> Value<String> {
        Value(unchecked: .intrinsic(.join, .array([.string(delimiter), parts.node])))
    }

    /// `Fn::ImportValue`: an output another stack exports.
    public static func importValue(_ exportName: Value<String>) -> Value<String> {
        Value(unchecked: .intrinsic(.importValue, exportName.node))
    }

    /// `Fn::Base64`.
    public static func base64(_ text: Value<String>) -> Value<String> {
        Value(unchecked: .intrinsic(.base64, text.node))
    }

    /// `Fn::Sub` with explicit variables, for templates written out by hand.
    public static func sub(_ template: String, _ variables: KeyValuePairs<String, Value<String>> = [:]) -> Value<String> {
        if variables.isEmpty { return Value(unchecked: .intrinsic(.sub, .string(template))) }
        var map = ObjectMap()
        for (name, value) in variables { map.set(name, value.node) }
        return Value(unchecked: .intrinsic(.sub, .array([.string(template), .object(map)])))
    }

    /// A JSON document as a string property (`DashboardBody`, policy documents given as text).
    public static func json(_ document: JSON) -> Value<String> {
        Value(unchecked: .intrinsic(.toJsonString, document.node))
    }
}

extension Value where T == [String] {
    public static func literal(_ items: [String]) -> Value<[String]> { Value(unchecked: .array(items.map { .string($0) })) }

    /// `Fn::Split`.
    public static func split(_ delimiter: String, _ source: Value<String>) -> Value<[String]> {
        Value(unchecked: .intrinsic(.split, .array([.string(delimiter), source.node])))
    }

    /// `Fn::GetAZs`: the region's availability zones ("" is the stack's region).
    public static func getAZs(_ region: Value<String> = "") -> Value<[String]> {
        Value(unchecked: .intrinsic(.getAZs, region.node))
    }

    /// `Fn::Cidr`: `count` CIDR blocks of `bits` host bits each, carved from `block`.
    public static func cidr(_ block: Value<String>, count: Value<Int>, bits: Value<Int>) -> Value<[String]> {
        Value(unchecked: .intrinsic(.cidr, .array([block.node, count.node, bits.node])))
    }
}

extension Value where T == Int {
    public static func literal(_ number: Int) -> Value<Int> { Value(unchecked: .number(String(number))) }
}

extension Value where T == Double {
    public static func literal(_ number: Double) -> Value<Double> { Value(unchecked: .number(NumberLiteral.text(of: number))) }
}

extension Value where T == Bool {
    public static func literal(_ flag: Bool) -> Value<Bool> { Value(unchecked: .bool(flag)) }
}

/// The pseudo parameters.
public enum Pseudo {
    public static let accountID = Value<String>(unchecked: .intrinsic(.ref, .string("AWS::AccountId")))
    public static let region = Value<String>(unchecked: .intrinsic(.ref, .string("AWS::Region")))
    public static let stackName = Value<String>(unchecked: .intrinsic(.ref, .string("AWS::StackName")))
    public static let stackID = Value<String>(unchecked: .intrinsic(.ref, .string("AWS::StackId")))
    public static let partition = Value<String>(unchecked: .intrinsic(.ref, .string("AWS::Partition")))
    public static let urlSuffix = Value<String>(unchecked: .intrinsic(.ref, .string("AWS::URLSuffix")))
    public static let notificationARNs = Value<[String]>(unchecked: .intrinsic(.ref, .string("AWS::NotificationARNs")))
}
