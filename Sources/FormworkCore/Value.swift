import FormworkTemplate
import FormworkSchema

/// A CloudFormation type a typed value can have: the primitives, lists of them, `JSON` and
/// the generated property objects.
public protocol CFNType: Sendable {}

extension String: CFNType {}
extension Int: CFNType {}
extension Double: CFNType {}
extension Bool: CFNType {}
extension Array: CFNType where Element: CFNType {}

/// A value of type `T` in a template: a literal, or an expression (Ref, GetAtt, Sub, If,
/// Join, ...) that CloudFormation evaluates to a `T`. Literals come through the literal
/// protocols, so `multiAZ: true` and `multiAZ: .if(isProd, true, false)` both compile, and
/// a `Ref` to a String parameter in a Bool field does not.
public struct Value<T: CFNType>: Sendable {
    /// The value as the template holds it.
    package let node: Node

    /// A value from an untyped node; the caller vouches for its type.
    package init(unchecked node: Node) {
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

/// The types a string literal can stand for: `String` and the value sets (whose literals
/// are judged against the set when the stack compiles). A string literal where a number, a
/// Boolean or a list goes does not compile, and swiftc names the property's type:
/// "generic struct 'Value' requires that 'Int' conform to 'TakesStringLiteral'".
public protocol TakesStringLiteral: CFNType {}
/// The types an integer literal can stand for: `Int` and `Double`.
public protocol TakesIntegerLiteral: CFNType {}
/// The types a decimal literal (`0.2`) can stand for: `Double`.
public protocol TakesDecimalLiteral: TakesIntegerLiteral {}
/// The type `true` and `false` stand for: `Bool`.
public protocol TakesBooleanLiteral: CFNType {}

extension String: TakesStringLiteral {}
extension Int: TakesIntegerLiteral {}
extension Double: TakesDecimalLiteral {}
extension Bool: TakesBooleanLiteral {}

// Each literal kind is accepted only where the property's type takes it, so that
// `port = "5432"` and `engineVersion = 16.6` are compile errors at the assignment. A string
// literal outside a value set compiles, and becomes a `LiteralProblem` that
// `Stack.compile()` reports at the assignment with the closest value.
extension Value: ExpressibleByUnicodeScalarLiteral, ExpressibleByExtendedGraphemeClusterLiteral, ExpressibleByStringLiteral where T: TakesStringLiteral {
    /// A one-character string literal: as `init(stringLiteral:)`.
    public init(unicodeScalarLiteral value: String) { self.init(stringLiteral: value) }
    /// A one-character string literal: as `init(stringLiteral:)`.
    public init(extendedGraphemeClusterLiteral value: String) { self.init(stringLiteral: value) }
    /// `"postgres"`: a string, or a value set's value (checked against the set when the
    /// stack compiles, `CP-11`).
    public init(stringLiteral value: String) { node = LiteralProblem.string(value, as: T.self) }
}

extension Value: ExpressibleByIntegerLiteral where T: TakesIntegerLiteral {
    /// `5432`: an integer or a number.
    public init(integerLiteral value: Int) { node = .number(String(value)) }
}

extension Value: ExpressibleByFloatLiteral where T: TakesDecimalLiteral {
    /// `0.2`: a number.
    public init(floatLiteral value: Double) { node = .number(NumberLiteral.text(of: value)) }
}

extension Value: ExpressibleByBooleanLiteral where T: TakesBooleanLiteral {
    /// `true` or `false`.
    public init(booleanLiteral value: Bool) { node = .bool(value) }
}

extension Value: ExpressibleByArrayLiteral where T: ListType {
    /// `[a.ref, b.ref]`: a list of typed values.
    public init(arrayLiteral elements: Value<T.Element>...) {
        node = .array(elements.map(\.node))
    }
}

extension Value where T: ListType {
    /// A list of typed values (`subnets.map(\.ref)`) as one list value.
    public init(_ items: [Value<T.Element>]) {
        node = .array(items.map(\.node))
    }

    /// A list of typed values as one list value: `subnetIds: .list(subnets.map(\.ref))`.
    public static func list(_ items: [Value<T.Element>]) -> Self { Self(items) }
}

extension Array where Element: AnyResourceHandle {
    /// The resources' `Ref`s as one list: `subnetIds: dataSubnets.refs`.
    public var refs: Value<[String]> { Value(unchecked: .array(map { .intrinsic(.ref, .string($0.logicalID)) })) }
}

/// A closed set of values of a string property (the registry's `enum`, or cfn-lint's
/// extension schemas where the registry has none), generated as a caseless type whose values
/// are static members of `Value` (`engine: .auroraPostgresql`). `.other("...")` is the escape for
/// a value newer than the schema; string literals must be one of `values`.
public protocol SchemaEnum: TakesStringLiteral {
    /// The values, as the template spells them.
    static var values: [String] { get }
    /// Where the set comes from (the registry schema, or a cfn-lint extension schema).
    static var source: String { get }
}

extension Value where T: SchemaEnum {
    /// One of the schema's values (generated code's spelling of each case).
    public init(schemaValue: String) { node = .string(schemaValue) }

    /// A value known when the stack is built (a Swift string): checked against the set like a
    /// literal.
    public static func literal(_ value: String) -> Self { Self(unchecked: LiteralProblem.string(value, as: T.self)) }

    /// A value the schema does not list yet (newer than the registry Formwork embeds): kept as
    /// written, visible in review.
    public static func other(_ value: String) -> Self { Self(unchecked: .string(value)) }

    /// A string expression (a parameter's `Ref`, `Fn::FindInMap`, ...) as the property's value:
    /// CloudFormation judges it at deploy time.
    public init(_ expression: Value<String>) { node = expression.node }
}

/// What a literal of the wrong kind becomes: a marker `Stack.compile()` reports (CP-11) at the
/// property, so that nothing is emitted. `Stack.template` (unchecked) shows it as written.
package enum LiteralProblem {
    package static let marker = IntrinsicName(rawValue: "Formwork::LiteralProblem")

    static func string<T>(_ value: String, as type: T.Type) -> Node {
        if T.self == String.self { return .string(value) }
        if let set = T.self as? any SchemaEnum.Type {
            if set.values.contains(value) { return .string(value) }
            let shown = set.values.count > 12 ? set.values.prefix(12).joined(separator: ", ") + ", ... (\(set.values.count) values)" : set.values.joined(separator: ", ")
            return problem(.string(value), "'\(value)' is not one of \(name(of: T.self))'s values (\(shown); from \(set.source)): did you mean `.\(SwiftCase.name(closest(to: value, in: set.values)))`? Write `.other(\"\(value)\")` for a value newer than the schema")
        }
        return wrongKind(.string(value), "a string", as: type)
    }

    /// The value nearest in edits (the likely meant one).
    static func closest(to value: String, in values: [String]) -> String {
        let target = Array(value.lowercased().utf8)
        var best = values.first ?? value, bestDistance = Int.max
        for candidate in values {
            let other = Array(candidate.lowercased().utf8)
            var previous = Array(0...other.count)
            for (i, a) in target.enumerated() {
                var current = [i + 1] + Array(repeating: 0, count: other.count)
                for (j, b) in other.enumerated() {
                    current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a == b ? 0 : 1))
                }
                previous = current
            }
            if previous[other.count] < bestDistance { bestDistance = previous[other.count]; best = candidate }
        }
        return best
    }

    static func wrongKind<T>(_ literal: Node, _ kind: String, as type: T.Type) -> Node {
        let text = literal.scalarText ?? ""
        return problem(literal, "\(kind) literal (\(literal.stringValue != nil ? "\"\(text)\"" : text)) where the property takes \(name(of: T.self))")
    }

    static func problem(_ literal: Node, _ message: String) -> Node {
        .intrinsic(marker, .array([.string(message), literal]))
    }

    /// `Engine` rather than `FormworkRDS.RDS.DBCluster.Engine`; `[String]` for arrays.
    static func name<T>(of type: T.Type) -> String {
        let full = String(reflecting: type)
        if full.hasPrefix("Swift.Array<") { return "[" + name(ofSpelling: String(full.dropFirst("Swift.Array<".count).dropLast())) + "]" }
        return name(ofSpelling: full)
    }

    private static func name(ofSpelling full: String) -> String {
        let parts = full.split(separator: ".")
        return parts.count > 1 && (parts[0].hasPrefix("Formwork") || parts[0] == "Swift") ? parts.dropFirst().joined(separator: ".") : full
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
    /// A list of strings known when the stack is built.
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
    /// A number known when the stack is built.
    public static func literal(_ number: Int) -> Value<Int> { Value(unchecked: .number(String(number))) }
}

extension Value where T == Double {
    /// A number known when the stack is built.
    public static func literal(_ number: Double) -> Value<Double> { Value(unchecked: .number(NumberLiteral.text(of: number))) }
}

extension Value where T == Bool {
    /// A flag known when the stack is built.
    public static func literal(_ flag: Bool) -> Value<Bool> { Value(unchecked: .bool(flag)) }
}

/// The pseudo parameters.
public enum Pseudo {
    /// `AWS::AccountId`: the account the stack is deployed in.
    public static let accountID = Value<String>(unchecked: .intrinsic(.ref, .string("AWS::AccountId")))
    /// `AWS::Region`: the stack's region.
    public static let region = Value<String>(unchecked: .intrinsic(.ref, .string("AWS::Region")))
    /// `AWS::StackName`.
    public static let stackName = Value<String>(unchecked: .intrinsic(.ref, .string("AWS::StackName")))
    /// `AWS::StackId`.
    public static let stackID = Value<String>(unchecked: .intrinsic(.ref, .string("AWS::StackId")))
    /// `AWS::Partition`: `aws`, `aws-cn` or `aws-us-gov`, for ARNs.
    public static let partition = Value<String>(unchecked: .intrinsic(.ref, .string("AWS::Partition")))
    /// `AWS::URLSuffix`: `amazonaws.com` or the partition's own.
    public static let urlSuffix = Value<String>(unchecked: .intrinsic(.ref, .string("AWS::URLSuffix")))
    /// `AWS::NotificationARNs`: the stack's notification topics.
    public static let notificationARNs = Value<[String]>(unchecked: .intrinsic(.ref, .string("AWS::NotificationARNs")))
}
