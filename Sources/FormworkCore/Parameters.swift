import FormworkTemplate

/// A template parameter; `ref` is its value, typed.
public struct Parameter<T: CFNType>: Sendable {
    /// The parameter's logical id.
    public let name: String

    var reference: Node { .intrinsic("Ref", .string(name)) }

    /// `Ref`: the parameter's value.
    public var ref: Value<T> { Value(unchecked: reference) }
}

/// How a parameter is declared: its CloudFormation type and constraints. The factories fix
/// the Swift type of the parameter's value.
public struct ParameterDefinition<T: CFNType>: Sendable {
    /// The CloudFormation type (`String`, `Number`, `AWS::EC2::VPC::Id`, ...).
    public var type: String
    /// What the parameter is for, as consoles show it.
    public var description: String?
    package var defaultValue: Node?
    package var allowedValues: [Node]?
    /// A regular expression the value must match (strings).
    public var allowedPattern: String?
    /// The shortest value allowed (strings).
    public var minLength: Int?
    /// The longest value allowed (strings).
    public var maxLength: Int?
    /// The least value allowed (numbers).
    public var minValue: Double?
    /// The greatest value allowed (numbers).
    public var maxValue: Double?
    /// Whether CloudFormation masks the value (secrets): Formwork never prints it either.
    public var noEcho = false
    /// What a console says when a value breaks the constraints.
    public var constraintDescription: String?
    /// The whole declaration as written (`raw(_:)`), rendered as is.
    var declaration: ObjectMap?

    func render() -> ObjectMap {
        if let declaration { return declaration }
        var map = ObjectMap()
        map.set("Type", .string(type))
        if let description { map.set("Description", .string(description)) }
        if let defaultValue { map.set("Default", defaultValue) }
        if let allowedValues { map.set("AllowedValues", .array(allowedValues)) }
        if let allowedPattern { map.set("AllowedPattern", .string(allowedPattern)) }
        if let minLength { map.set("MinLength", .number(String(minLength))) }
        if let maxLength { map.set("MaxLength", .number(String(maxLength))) }
        if let minValue { map.set("MinValue", .number(NumberLiteral.text(of: minValue))) }
        if let maxValue { map.set("MaxValue", .number(NumberLiteral.text(of: maxValue))) }
        if noEcho { map.set("NoEcho", .bool(true)) }
        if let constraintDescription { map.set("ConstraintDescription", .string(constraintDescription)) }
        return map
    }
}

extension ParameterDefinition where T == String {
    /// `Type: String`.
    public static func string(description: String? = nil, default defaultValue: String? = nil, allowedValues: [String]? = nil,
                              allowedPattern: String? = nil, minLength: Int? = nil, maxLength: Int? = nil,
                              noEcho: Bool = false, constraintDescription: String? = nil) -> Self {
        Self(type: "String", description: description, defaultValue: defaultValue.map { .string($0) },
             allowedValues: allowedValues?.map { .string($0) }, allowedPattern: allowedPattern, minLength: minLength,
             maxLength: maxLength, noEcho: noEcho, constraintDescription: constraintDescription)
    }

    /// An AWS-specific parameter type whose value is one id (`AWS::EC2::VPC::Id`,
    /// `AWS::EC2::KeyPair::KeyName`, `AWS::SSM::Parameter::Value<String>`).
    public static func awsSpecific(_ type: String, description: String? = nil, default defaultValue: String? = nil) -> Self {
        Self(type: type, description: description, defaultValue: defaultValue.map { .string($0) })
    }
}

extension ParameterDefinition where T == Int {
    /// `Type: Number`, used where an integer goes.
    public static func integer(description: String? = nil, default defaultValue: Int? = nil, allowedValues: [Int]? = nil,
                               minValue: Int? = nil, maxValue: Int? = nil, constraintDescription: String? = nil) -> Self {
        Self(type: "Number", description: description, defaultValue: defaultValue.map { .number(String($0)) },
             allowedValues: allowedValues?.map { .number(String($0)) }, minValue: minValue.map(Double.init),
             maxValue: maxValue.map(Double.init), constraintDescription: constraintDescription)
    }
}

extension ParameterDefinition where T == Double {
    /// `Type: Number`.
    public static func number(description: String? = nil, default defaultValue: Double? = nil, minValue: Double? = nil,
                              maxValue: Double? = nil, constraintDescription: String? = nil) -> Self {
        Self(type: "Number", description: description, defaultValue: defaultValue.map { .number(NumberLiteral.text(of: $0)) },
             minValue: minValue, maxValue: maxValue, constraintDescription: constraintDescription)
    }
}

extension ParameterDefinition where T == [String] {
    /// `Type: CommaDelimitedList`.
    public static func commaDelimitedList(description: String? = nil, default defaultValue: [String]? = nil) -> Self {
        Self(type: "CommaDelimitedList", description: description, defaultValue: defaultValue.map { .string($0.joined(separator: ",")) })
    }

    /// `List<AWS::EC2::Subnet::Id>` and the other AWS-specific list types.
    public static func awsSpecificList(_ type: String, description: String? = nil) -> Self {
        Self(type: "List<\(type)>", description: description)
    }
}
