import FormworkTemplate

/// An extension constraint's JSON schema with its keywords worked out once per process: each
/// schema object becomes a list of steps in the schema's own order, with its subschemas,
/// limits, names and messages' parts ready. ``ConstraintEvaluator`` runs it; judging a
/// template then costs no keyword comparison, schema lookup or copy of schema nodes (ST-23 was
/// the costliest rule of a lint). What it finds is exactly what evaluating the JSON gives,
/// step for step (the same patterns are matched, so the same pattern budget is spent).
final class ConstraintProgram: @unchecked Sendable {
    enum Bound { case minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf }

    /// The JSON type names a `type` keyword may list (`other`: a name no value has).
    enum TypeName: String {
        case string, integer, number, boolean, array, object, null, other

        init(_ name: String) { self = TypeName(rawValue: name) ?? .other }
    }

    enum Step {
        /// `$ref` to the root's `definitions` (by name).
        case ref(String)
        case type([TypeName], shown: String)
        /// `strings`: the allowed values as bytes when every one is a string (a set lookup
        /// instead of a comparison per value).
        case enumeration([Node], strings: Set<ScalarKey>?)
        case const(Node)
        case pattern(String)
        case bound(Bound, Double)
        case minLength(Int), maxLength(Int)
        case required([String])
        case properties([(name: String, schema: ConstraintProgram)])
        /// `schema` nil: `additionalProperties: false`.
        case additionalProperties(declared: Set<String>, schema: ConstraintProgram?)
        case propertyNames(ConstraintProgram)
        case dependentRequired([(name: String, needs: [String])])
        case dependentExcluded([(name: String, excludes: [String])])
        case items(ConstraintProgram)
        case minItems(Int), maxItems(Int)
        case contains(ConstraintProgram)
        case allOf([ConstraintProgram])
        case anyOf([ConstraintProgram]), oneOf([ConstraintProgram])
        case not(ConstraintProgram, schema: Node)
        case conditional(ConstraintProgram, then: ConstraintProgram?, otherwise: ConstraintProgram?)
    }

    enum Form {
        /// `true` or `false` as a schema.
        case boolean(Bool)
        case object([Step])
        /// Anything else: no schema, judges nothing.
        case inert
    }

    let form: Form
    /// The root's `definitions` (empty below the root).
    let definitions: [ScalarKey: ConstraintProgram]

    /// Compiles `schema`; `isRoot`: it is the whole constraint, whose `definitions` `$ref`s name.
    init(_ schema: Node, isRoot: Bool = true) {
        var definitions: [ScalarKey: ConstraintProgram] = [:]
        if isRoot, let table = schema["definitions"]?.objectValue {
            for entry in table.entries where definitions[ScalarKey(entry.key)] == nil {
                definitions[ScalarKey(entry.key)] = ConstraintProgram(entry.value, isRoot: false)
            }
        }
        self.definitions = definitions
        switch schema.kind {
        case .bool(let flag): form = .boolean(flag)
        case .object(let rules): form = .object(Self.steps(rules))
        default: form = .inert
        }
    }

    private static func steps(_ rules: ObjectMap) -> [Step] {
        func sub(_ node: Node) -> ConstraintProgram { ConstraintProgram(node, isRoot: false) }
        var steps: [Step] = []
        for entry in rules.entries {
            let rule = entry.value
            switch entry.key {
            case "$ref":
                if let reference = rule.stringValue, reference.hasPrefix("#/definitions/") {
                    steps.append(.ref(String(reference.dropFirst("#/definitions/".count))))
                }
            case "type":
                let names = rule.arrayValue?.compactMap(\.stringValue) ?? rule.stringValue.map { [$0] } ?? []
                if !names.isEmpty { steps.append(.type(names.map(TypeName.init), shown: names.map { "'\($0)'" }.joined(separator: ", "))) }
            case "enum":
                if let allowed = rule.arrayValue {
                    let strings = allowed.allSatisfy { $0.stringValue != nil } ? Set(allowed.map { ScalarKey($0.stringValue!) }) : nil
                    steps.append(.enumeration(allowed, strings: strings))
                }
            case "const": steps.append(.const(rule))
            case "pattern": if let pattern = rule.stringValue { steps.append(.pattern(pattern)) }
            case "minimum": if let limit = rule.numberValue { steps.append(.bound(.minimum, limit)) }
            case "maximum": if let limit = rule.numberValue { steps.append(.bound(.maximum, limit)) }
            case "exclusiveMinimum": if let limit = rule.numberValue { steps.append(.bound(.exclusiveMinimum, limit)) }
            case "exclusiveMaximum": if let limit = rule.numberValue { steps.append(.bound(.exclusiveMaximum, limit)) }
            case "multipleOf": if let limit = rule.numberValue { steps.append(.bound(.multipleOf, limit)) }
            case "minLength": if let limit = rule.intValue { steps.append(.minLength(limit)) }
            case "maxLength": if let limit = rule.intValue { steps.append(.maxLength(limit)) }
            case "required": steps.append(.required(rule.arrayValue?.compactMap(\.stringValue) ?? []))
            case "properties":
                if let properties = rule.objectValue { steps.append(.properties(properties.entries.map { ($0.key, sub($0.value)) })) }
            case "additionalProperties":
                let declared = Set(rules["properties"]?.objectValue?.keys ?? [])
                if case .bool(false) = rule.kind {
                    steps.append(.additionalProperties(declared: declared, schema: nil))
                } else if rule.objectValue != nil {
                    steps.append(.additionalProperties(declared: declared, schema: sub(rule)))
                }
            case "propertyNames": steps.append(.propertyNames(sub(rule)))
            case "dependentRequired":
                if let table = rule.objectValue { steps.append(.dependentRequired(table.entries.map { ($0.key, $0.value.arrayValue?.compactMap(\.stringValue) ?? []) })) }
            case "dependentExcluded":
                if let table = rule.objectValue { steps.append(.dependentExcluded(table.entries.map { ($0.key, $0.value.arrayValue?.compactMap(\.stringValue) ?? []) })) }
            case "items": steps.append(.items(sub(rule)))
            case "minItems": if let limit = rule.intValue { steps.append(.minItems(limit)) }
            case "maxItems": if let limit = rule.intValue { steps.append(.maxItems(limit)) }
            case "contains": steps.append(.contains(sub(rule)))
            case "allOf": steps.append(.allOf((rule.arrayValue ?? []).map(sub)))
            case "anyOf": steps.append(.anyOf((rule.arrayValue ?? []).map(sub)))
            case "oneOf": steps.append(.oneOf((rule.arrayValue ?? []).map(sub)))
            case "not": steps.append(.not(sub(rule), schema: rule))
            case "if": steps.append(.conditional(sub(rule), then: rules["then"].map(sub), otherwise: rules["else"].map(sub)))
            default: break
            }
        }
        return steps
    }
}
