import FormworkSchema
import FormworkTemplate

/// Ids of the problems `Stack.compile()` reports.
package enum CompileDiagnosticID {
    package static let requiredProperty: RuleID = "CP-01"
    package static let enumValue: RuleID = "CP-02"
    package static let pattern: RuleID = "CP-03"
    package static let range: RuleID = "CP-04"
    package static let invalidID: RuleID = "CP-05"
    package static let duplicateID: RuleID = "CP-06"
    package static let danglingReference: RuleID = "CP-07"
    package static let undefinedCondition: RuleID = "CP-08"
    package static let templateLimit: RuleID = "CP-09"
    package static let unknownType: RuleID = "CP-10"
    package static let literal: RuleID = "CP-11"
    package static let unknownAttribute: RuleID = "CP-12"
}

/// The checks the Swift compiler cannot make, run on the compiled template: required
/// properties (including nested objects'), literals within the schema's enums, patterns,
/// lengths and ranges (through `SchemaValidator`, as the structural lint rules), logical ids,
/// references that name nothing, conditions that are not defined, and CloudFormation's
/// template limits. Only literals are judged here; the validation pass judges every value a
/// property can take.
package enum StackCompiler {
    /// CloudFormation's quotas (CloudFormation User Guide, "quotas").
    package enum Limits {
        package static let resources = 500
        package static let parameters = 200
        package static let outputs = 200
        package static let mappings = 200
        package static let logicalIDLength = 255
        package static let descriptionBytes = 1024
        /// A template body uploaded through S3.
        package static let templateBytes = 1_048_576
    }

    package static func isValidLogicalID(_ name: String) -> Bool {
        name.utf8.count <= Limits.logicalIDLength && Template.isAlphanumericName(name)
    }

    package static func check(_ template: Template, registry: SchemaRegistry) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let resources = template.root["Resources"]?.objectValue ?? ObjectMap()
        let parameters = template.parameters ?? ObjectMap()
        let conditions = template.conditions ?? ObjectMap()

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

        // References and conditions: the walk the structural lint rules (ST-09 to ST-14) use.
        checkReferences(template, conditions: Set(conditions.keys), registry: registry, found: &found)

        // Each resource against its schema.
        let serverless = template.transforms.contains { $0.hasPrefix("AWS::Serverless") }
        for entry in resources.entries {
            guard let body = entry.value.objectValue, let type = body["Type"]?.stringValue else { continue }
            let path: [PathComponent] = [.key("Resources"), .key(entry.key)]
            if let condition = body["Condition"]?.stringValue, conditions[condition] == nil {
                found.append(Diagnostic(ruleID: CompileDiagnosticID.undefinedCondition, message: "\(entry.key) uses the condition '\(condition)', which is not defined", path: path + [.key("Condition")]))
            }
            for name in body["DependsOn"].map(dependsOn) ?? [] where resources[name] == nil {
                found.append(Diagnostic(ruleID: CompileDiagnosticID.danglingReference, message: "\(entry.key) depends on '\(name)', which is not a resource of this stack", path: path + [.key("DependsOn")]))
            }
            // SAM's types are the Serverless transform's, not the registry's.
            if StructureFacts.isExempt(type, serverless: serverless) { continue }
            if !registry.contains(type) {
                found.append(Diagnostic(ruleID: CompileDiagnosticID.unknownType, message: "\(type) is not a resource type of the CloudFormation registry", path: path + [.key("Type")]))
            }
        }
        // Each resource against its schema: the walk the structural lint rules use, reported
        // under the compile ids. Unknown properties and wrong types cannot be written with
        // the typed models, so only the constraints are reported.
        for issue in SchemaValidator.issues(in: template, registry: registry) {
            let id: RuleID
            switch issue.kind {
            case .required: id = CompileDiagnosticID.requiredProperty
            case .enumValue:
                // String literals of the typed enums were judged when written (`LiteralProblem`),
                // and `.other(...)` is the escape for values newer than the schema.
                if template.value.value(at: issue.path)?.stringValue != nil { continue }
                id = CompileDiagnosticID.enumValue
            case .pattern, .format: id = CompileDiagnosticID.pattern
            case .length, .range, .itemCount: id = CompileDiagnosticID.range
            case .unknownProperty, .type, .valueFormat, .refFormat, .dependency: continue
            }
            found.append(Diagnostic(ruleID: id, message: issue.message, path: issue.path))
        }
        return found
    }

    private static func dependsOn(_ value: Node) -> [String] {
        if let name = value.stringValue { return [name] }
        return value.arrayValue?.compactMap(\.stringValue) ?? []
    }

    private static func checkReferences(_ template: Template, conditions: Set<String>, registry: SchemaRegistry, found: inout [Diagnostic]) {
        let names = TemplateNames(template)
        // `{Condition: Name}` inside Conditions (the object form the typed conditions write).
        for entry in template.conditions?.entries ?? [] {
            for reference in TemplateNames.conditionReferences(in: entry.value, at: [.key("Conditions"), .key(entry.key)])
            where !reference.isIf && !conditions.contains(reference.name) {
                found.append(Diagnostic(ruleID: CompileDiagnosticID.undefinedCondition, message: "the condition '\(reference.name)' is not defined", path: reference.path))
            }
        }
        TemplateNames.functions(in: template) { function, _, here, inConditions in
            switch function.name {
            case LiteralProblem.marker:
                let message = function.argument.arrayValue?.first?.stringValue ?? "a literal of the wrong kind"
                // At the property, not at the marker inside it.
                found.append(Diagnostic(ruleID: CompileDiagnosticID.literal, message: message, path: here.last == .key(LiteralProblem.marker.rawValue) ? Array(here.dropLast()) : here))
            // Under a Transform (SAM, a macro) the names may be the transform's own (a SAM
            // function's `<Name>Role`), so a reference to nothing is not judged: lint does the same.
            case .ref:
                if !names.transformed, let name = function.argument.stringValue, !names.isReferable(name, inConditions: inConditions) {
                    found.append(Diagnostic(ruleID: CompileDiagnosticID.danglingReference, message: "Ref to '\(name)', which is not a parameter, resource or pseudo parameter of this stack", path: here))
                }
            case .getAtt:
                if let id = function.argument.arrayValue?.first?.stringValue, names.resources[id] == nil {
                    guard !names.transformed else { break }
                    found.append(Diagnostic(ruleID: CompileDiagnosticID.danglingReference, message: "Fn::GetAtt of '\(id)', which is not a resource of this stack", path: here))
                } else if let arguments = function.argument.arrayValue, arguments.count == 2, let id = arguments[0].stringValue,
                          let attribute = arguments[1].stringValue,
                          let type = template.resource(id)?.type, let summary = registry.summary(for: type),
                          !summary.acceptsAttribute(attribute) {
                    let known = summary.attributes.isEmpty ? "it has none" : "it has " + summary.attributes.joined(separator: ", ")
                    found.append(Diagnostic(ruleID: CompileDiagnosticID.unknownAttribute, message: "Fn::GetAtt \(id).\(attribute): \(type) has no attribute '\(attribute)' (\(known))", path: here))
                }
            case .if:
                if let name = function.argument.arrayValue?.first?.stringValue, !conditions.contains(name) {
                    found.append(Diagnostic(ruleID: CompileDiagnosticID.undefinedCondition, message: "\(function.name) names the condition '\(name)', which is not defined", path: here))
                }
            case .sub:
                let local = function.subLocals
                for variable in SubTemplate.variables(function.subText ?? "") where !local.contains(variable) {
                    let id = variable.split(separator: ".", maxSplits: 1).first.map(String.init) ?? variable
                    if !names.transformed && !names.isReferable(variable, inConditions: false) && names.resources[id] == nil {
                        found.append(Diagnostic(ruleID: CompileDiagnosticID.danglingReference, message: "Fn::Sub uses ${\(variable)}, which names nothing in this stack", path: here))
                    }
                }
            default:
                break
            }
        }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }

}
