import FormworkTemplate

/// `Fn::Sub` from Swift string interpolation: `"db-\(suffix)"` with a parameter becomes
/// `!Sub db-${EnvironmentSuffix}`; a resource's ref becomes `${Id}`, an attribute
/// `${Id.Attr}`, any other expression a named variable. Literal `${` is escaped as `${!`
/// only inside a Sub; a string with no expressions stays a plain string.
public struct SubInterpolation: StringInterpolationProtocol {
    var plain = ""
    var template = ""
    var variables: [(String, Node)] = []
    var expressions = 0

    /// An empty interpolation (Swift calls it for each interpolated string literal).
    public init(literalCapacity: Int, interpolationCount: Int) {
        plain.reserveCapacity(literalCapacity)
        template.reserveCapacity(literalCapacity)
    }

    /// The literal text between the interpolations: kept as written (a `${` in it is
    /// escaped as `${!` when the string becomes a Sub).
    public mutating func appendLiteral(_ literal: String) {
        plain += literal
        template += Self.escape(literal)
    }

    /// A string value: a `Ref` becomes `${Id}`, a `GetAtt` `${Id.Attr}`, any other expression a named variable.
    public mutating func appendInterpolation(_ value: Value<String>) { append(value.node) }
    /// A whole-number value, as its text.
    public mutating func appendInterpolation(_ value: Value<Int>) { append(value.node) }
    /// A number value, as its text.
    public mutating func appendInterpolation(_ value: Value<Double>) { append(value.node) }
    /// A string parameter's value, `${Name}`.
    public mutating func appendInterpolation(_ parameter: Parameter<String>) { append(parameter.reference) }
    /// A whole-number parameter's value, `${Name}`.
    public mutating func appendInterpolation(_ parameter: Parameter<Int>) { append(parameter.reference) }
    /// A number parameter's value, `${Name}`.
    public mutating func appendInterpolation(_ parameter: Parameter<Double>) { append(parameter.reference) }
    /// Not a list: `Fn::Sub` takes strings, and a list's `${Name}` fails at deploy.
    @available(*, unavailable, message: "a list cannot go in a string (Fn::Sub takes strings): interpolate Value<String>.join(\",\", parameter.ref) instead")
    public mutating func appendInterpolation<P: ListType>(_ parameter: Parameter<P>) { append(parameter.reference) }
    /// Not a list: `Fn::Sub` takes strings.
    @available(*, unavailable, message: "a list cannot go in a string (Fn::Sub takes strings): interpolate Value<String>.join(\",\", list) instead")
    public mutating func appendInterpolation<E>(_ list: Value<[E]>) { append(list.node) }
    /// A resource's `Ref`, `${Id}`.
    public mutating func appendInterpolation<P>(_ resource: ResourceHandle<P>) { append(resource.ref.node) }
    /// Text written as is, with `${` escaped.
    public mutating func appendInterpolation(literal text: String) { appendLiteral(text) }
    /// Swift values known when the stack is built are text of the template (`"\(count) days"`);
    /// typed values (`Value`, parameters, resources) are the `Fn::Sub` variables.
    /// A Swift string known when the stack is built, written as is.
    public mutating func appendInterpolation(_ text: String) { appendLiteral(text) }
    /// A Swift number known when the stack is built, written as is.
    public mutating func appendInterpolation(_ number: Int) { appendLiteral(String(number)) }

    mutating func append(_ node: Node) {
        switch node.kind {
        case .string(let text):
            appendLiteral(text)
        case .number(let literal):
            appendLiteral(literal)
        case .intrinsic(let function) where function.name == .ref && function.argument.stringValue != nil:
            expressions += 1
            template += "${" + function.argument.stringValue! + "}"
        case .intrinsic(let function) where function.name == .getAtt:
            if let parts = function.argument.arrayValue, parts.count == 2, let id = parts[0].stringValue, let attribute = parts[1].stringValue {
                expressions += 1
                template += "${" + id + "." + attribute + "}"
            } else {
                variable(node)
            }
        case .intrinsic(let function) where function.name == .sub && function.argument.stringValue != nil:
            // A nested plain Sub folds into this one.
            expressions += 1
            template += function.argument.stringValue!
        default:
            variable(node)
        }
    }

    private mutating func variable(_ node: Node) {
        expressions += 1
        let name = "Var\(variables.count)"
        variables.append((name, node))
        template += "${" + name + "}"
    }

    static func escape(_ text: String) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var previous: Character?
        for character in text {
            result.append(character)
            if previous == "$", character == "{" { result.append("!") }
            previous = character
        }
        return result
    }
}

extension Value: ExpressibleByStringInterpolation where T == String {
    /// `"db-\(suffix)"`: a plain string when nothing is interpolated, else `Fn::Sub` (with
    /// named variables for expressions that are not references).
    public init(stringInterpolation: SubInterpolation) {
        if stringInterpolation.expressions == 0 {
            self.init(unchecked: .string(stringInterpolation.plain))
        } else if stringInterpolation.variables.isEmpty {
            self.init(unchecked: .intrinsic(.sub, .string(stringInterpolation.template)))
        } else {
            var map = ObjectMap()
            for (name, node) in stringInterpolation.variables { map.set(name, node) }
            self.init(unchecked: .intrinsic(.sub, .array([.string(stringInterpolation.template), .object(map)])))
        }
    }
}
