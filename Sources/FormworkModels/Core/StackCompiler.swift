import FormworkRules
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate

/// Ids of the problems `Stack.compile()` reports.
public enum CompileDiagnosticID {
    public static let requiredProperty = "CP-01"
    public static let enumValue = "CP-02"
    public static let pattern = "CP-03"
    public static let range = "CP-04"
    public static let invalidID = "CP-05"
    public static let duplicateID = "CP-06"
    public static let danglingReference = "CP-07"
    public static let undefinedCondition = "CP-08"
    public static let templateLimit = "CP-09"
    public static let unknownType = "CP-10"
}

/// The checks the Swift compiler cannot make, run on the compiled template: required
/// properties (including nested objects'), literals within the schema's enums, patterns,
/// lengths and ranges, logical ids, references that name nothing, conditions that are not
/// defined, and CloudFormation's template limits. Only literals are judged here; the
/// validation pass judges every value a property can take.
public enum StackCompiler {
    /// CloudFormation's quotas (CloudFormation User Guide, "quotas").
    public enum Limits {
        public static let resources = 500
        public static let parameters = 200
        public static let outputs = 200
        public static let mappings = 200
        public static let logicalIDLength = 255
        public static let descriptionBytes = 1024
        /// A template body uploaded through S3.
        public static let templateBytes = 1_048_576
    }

    static let pseudoParameters: Set<String> = [
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region",
        "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
    ]

    public static func isValidLogicalID(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= Limits.logicalIDLength && name.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) }
    }

    public static func check(_ template: Template, registry: SchemaRegistry = .shared) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let resources = template.root["Resources"]?.objectValue ?? ObjectMap()
        let parameters = template.parameters ?? ObjectMap()
        let conditions = template.conditions ?? ObjectMap()
        let known = Set(resources.keys).union(parameters.keys).union(pseudoParameters)

        // Template limits.
        func limit(_ count: Int, _ maximum: Int, _ what: String) {
            if count > maximum {
                found.append(Diagnostic(ruleID: CompileDiagnosticID.templateLimit, message: "\(count) \(what): CloudFormation allows at most \(maximum)", path: [.key(what.capitalizedFirst)]))
            }
        }
        limit(resources.count, Limits.resources, "resources")
        limit(parameters.count, Limits.parameters, "parameters")
        limit(template.outputs?.count ?? 0, Limits.outputs, "outputs")
        limit(template.mappings?.count ?? 0, Limits.mappings, "mappings")
        if let description = template.description, description.utf8.count > Limits.descriptionBytes {
            found.append(Diagnostic(ruleID: CompileDiagnosticID.templateLimit, message: "the description is \(description.utf8.count) bytes: CloudFormation allows \(Limits.descriptionBytes)", path: [.key("Description")]))
        }
        let size = JSONWriter.write(template.value).count
        if size > Limits.templateBytes {
            found.append(Diagnostic(ruleID: CompileDiagnosticID.templateLimit, message: "the template is \(size) bytes as JSON: CloudFormation allows \(Limits.templateBytes)", path: []))
        }

        // References and conditions, everywhere.
        walkReferences(template.value, path: [], known: known, conditions: Set(conditions.keys), found: &found)

        // Each resource against its schema.
        for entry in resources.entries {
            guard let body = entry.value.objectValue, let type = body["Type"]?.stringValue else { continue }
            let path: [PathComponent] = [.key("Resources"), .key(entry.key)]
            if let condition = body["Condition"]?.stringValue, conditions[condition] == nil {
                found.append(Diagnostic(ruleID: CompileDiagnosticID.undefinedCondition, message: "\(entry.key) uses the condition '\(condition)', which is not defined", path: path + [.key("Condition")]))
            }
            for name in body["DependsOn"].map(dependsOn) ?? [] where resources[name] == nil {
                found.append(Diagnostic(ruleID: CompileDiagnosticID.danglingReference, message: "\(entry.key) depends on '\(name)', which is not a resource of this stack", path: path + [.key("DependsOn")]))
            }
            if type.hasPrefix("Custom::") || type == "AWS::CloudFormation::CustomResource" { continue }
            guard let schema = registry.schema(for: type) else {
                found.append(Diagnostic(ruleID: CompileDiagnosticID.unknownType, message: "\(type) is not a resource type of the CloudFormation registry", path: path + [.key("Type")]))
                continue
            }
            let properties = body["Properties"]?.objectValue ?? ObjectMap()
            checkObject(properties, shape: schema.root, required: schema.required, schema: schema, path: path + [.key("Properties")], found: &found)
        }
        return found
    }

    private static func dependsOn(_ value: Node) -> [String] {
        if let name = value.stringValue { return [name] }
        return value.arrayValue?.compactMap(\.stringValue) ?? []
    }

    private static func walkReferences(_ value: Node, path: [PathComponent], known: Set<String>, conditions: Set<String>, found: inout [Diagnostic]) {
        switch value.kind {
        case .array(let items):
            for (index, item) in items.enumerated() { walkReferences(item, path: path + [.index(index)], known: known, conditions: conditions, found: &found) }
        case .object(let map):
            if map.count == 1, let name = map["Condition"]?.stringValue, path.count > 1, !conditions.contains(name) {
                found.append(Diagnostic(ruleID: CompileDiagnosticID.undefinedCondition, message: "the condition '\(name)' is not defined", path: path + [.key("Condition")]))
            }
            for entry in map.entries { walkReferences(entry.value, path: path + [.key(entry.key)], known: known, conditions: conditions, found: &found) }
        case .intrinsic(let function):
            let here = path + [.key(function.name)]
            switch function.name {
            case "Ref":
                if let name = function.argument.stringValue, !known.contains(name) {
                    found.append(Diagnostic(ruleID: CompileDiagnosticID.danglingReference, message: "Ref to '\(name)', which is not a parameter, resource or pseudo parameter of this stack", path: here))
                }
            case "Fn::GetAtt":
                if let id = function.argument.arrayValue?.first?.stringValue, !known.contains(id) {
                    found.append(Diagnostic(ruleID: CompileDiagnosticID.danglingReference, message: "Fn::GetAtt of '\(id)', which is not a resource of this stack", path: here))
                }
            case "Fn::If":
                if let name = function.argument.arrayValue?.first?.stringValue, !conditions.contains(name) {
                    found.append(Diagnostic(ruleID: CompileDiagnosticID.undefinedCondition, message: "Fn::If names the condition '\(name)', which is not defined", path: here))
                }
            case "Fn::Sub":
                let template: String?
                var local = Set<String>()
                if let text = function.argument.stringValue {
                    template = text
                } else if let parts = function.argument.arrayValue, parts.count == 2 {
                    template = parts[0].stringValue
                    local = Set(parts[1].objectValue?.keys ?? [])
                } else {
                    template = nil
                }
                for variable in SubTemplate.variables(template ?? "") where !local.contains(variable) {
                    let id = variable.split(separator: ".", maxSplits: 1).first.map(String.init) ?? variable
                    if !known.contains(variable) && !known.contains(id) {
                        found.append(Diagnostic(ruleID: CompileDiagnosticID.danglingReference, message: "Fn::Sub uses ${\(variable)}, which names nothing in this stack", path: here))
                    }
                }
            default:
                break
            }
            walkReferences(function.argument, path: here, known: known, conditions: conditions, found: &found)
        default:
            break
        }
    }

    private static func checkObject(_ map: ObjectMap, shape: Shape, required: [String], schema: ResourceSchema, path: [PathComponent], found: inout [Diagnostic]) {
        for name in required where map[name] == nil {
            found.append(Diagnostic(ruleID: CompileDiagnosticID.requiredProperty, message: "\(schema.typeName) requires \(name)", path: path + [.key(name)]))
        }
        for entry in map.entries {
            guard let child = shape.property(entry.key) else { continue }
            checkValue(entry.value, shape: child, schema: schema, path: path + [.key(entry.key)], found: &found)
        }
    }

    private static func checkValue(_ value: Node, shape raw: Shape, schema: ResourceSchema, path: [PathComponent], found: inout [Diagnostic]) {
        let shape = schema.resolve(raw)
        switch value.kind {
        case .object(let map):
            if !shape.properties.isEmpty {
                checkObject(map, shape: shape, required: shape.required, schema: schema, path: path, found: &found)
            }
        case .array(let items):
            if let itemShape = shape.items?.value {
                for (index, item) in items.enumerated() {
                    checkValue(item, shape: itemShape, schema: schema, path: path + [.index(index)], found: &found)
                }
            }
            if let minimum = shape.minItems, items.count < minimum {
                found.append(Diagnostic(ruleID: CompileDiagnosticID.range, message: "\(path.last.map(String.init(describing:)) ?? "the list") needs at least \(minimum) items", path: path))
            }
            if let maximum = shape.maxItems, items.count > maximum {
                found.append(Diagnostic(ruleID: CompileDiagnosticID.range, message: "\(path.last.map(String.init(describing:)) ?? "the list") takes at most \(maximum) items", path: path))
            }
        case .string(let text):
            checkLiteral(value, text: text, number: Double(text), shape: shape, path: path, found: &found)
        case .number(let literal):
            checkLiteral(value, text: literal, number: Double(literal), shape: shape, path: path, found: &found)
        case .bool:
            if let allowed = shape.enumValues, !allowed.contains(value) {
                found.append(Diagnostic(ruleID: CompileDiagnosticID.enumValue, message: "\(describe(path)) must be one of \(allowed.map(render).joined(separator: ", "))", path: path))
            }
        case .intrinsic(let function) where function.name == "Fn::If":
            // Both branches must hold; AWS::NoValue is absence.
            if let branches = function.argument.arrayValue, branches.count == 3 {
                for index in 1...2 where !(branches[index].intrinsicValue.map { $0.name == "Ref" && $0.argument.stringValue == "AWS::NoValue" } ?? false) {
                    checkValue(branches[index], shape: raw, schema: schema, path: path, found: &found)
                }
            }
        default:
            break
        }
    }

    private static func checkLiteral(_ value: Node, text: String, number: Double?, shape: Shape, path: [PathComponent], found: inout [Diagnostic]) {
        if let allowed = shape.enumValues, !allowed.isEmpty, !allowed.contains(where: { sameLiteral($0, value) }) {
            found.append(Diagnostic(ruleID: CompileDiagnosticID.enumValue, message: "\(describe(path)) is '\(text)'; it must be one of \(allowed.map(render).joined(separator: ", "))", path: path))
        }
        if let pattern = shape.pattern, let matches = PatternCache.matches(pattern, text), !matches {
            found.append(Diagnostic(ruleID: CompileDiagnosticID.pattern, message: "\(describe(path)) is '\(text)', which does not match \(pattern)", path: path))
        }
        let length = text.count
        if let minimum = shape.minLength, length < minimum, shape.types.contains(.string) {
            found.append(Diagnostic(ruleID: CompileDiagnosticID.range, message: "\(describe(path)) is \(length) characters long; the minimum is \(minimum)", path: path))
        }
        if let maximum = shape.maxLength, length > maximum, shape.types.contains(.string) {
            found.append(Diagnostic(ruleID: CompileDiagnosticID.range, message: "\(describe(path)) is \(length) characters long; the maximum is \(maximum)", path: path))
        }
        if let number, shape.types.contains(where: { $0 == .integer || $0 == .number }) {
            if let minimum = shape.minimum, number < minimum {
                found.append(Diagnostic(ruleID: CompileDiagnosticID.range, message: "\(describe(path)) is \(text); the minimum is \(NumberLiteral.text(of: minimum))", path: path))
            }
            if let maximum = shape.maximum, number > maximum {
                found.append(Diagnostic(ruleID: CompileDiagnosticID.range, message: "\(describe(path)) is \(text); the maximum is \(NumberLiteral.text(of: maximum))", path: path))
            }
        }
    }

    private static func sameLiteral(_ allowed: Node, _ value: Node) -> Bool {
        if allowed == value { return true }
        // CloudFormation reads "10" and 10 alike.
        switch (allowed.kind, value.kind) {
        case (.number(let a), .string(let b)), (.string(let b), .number(let a)): return NumberLiteral.equal(a, b)
        default: return false
        }
    }

    private static func describe(_ path: [PathComponent]) -> String {
        let keys = path.compactMap { component -> String? in
            if case .key(let key) = component { return key }
            return nil
        }
        guard keys.count >= 3 else { return keys.joined(separator: ".") }
        return keys[1] + "." + keys.dropFirst(3).joined(separator: ".")
    }

    private static func render(_ value: Node) -> String {
        switch value.kind {
        case .string(let text): return text
        case .number(let literal): return literal
        case .bool(let flag): return String(flag)
        default: return "…"
        }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }

}
