import FormworkRuleKit
import FormworkTemplate

/// ST-58: a Ref, Fn::GetAtt or Fn::Sub names a conditional resource only where it exists.
struct ConditionalTargets: Rule {
    static let description = RuleDescription(
        id: "ST-58", name: "conditional-targets", family: .structure, severity: .warning,
        rationale: "A resource with a `Condition` exists only in the deployments where its condition is true. A Ref, Fn::GetAtt or `${...}` that names it from a place deployed without that condition (an unconditional resource or output, or one under another condition, outside an Fn::If on the condition) leaves CloudFormation an unresolved dependency there, and the stack fails. The conditions are judged by their Fn::Equals tests, so conditions written alike or one the negation of another agree; the finding names a deployment where the target is missing. DependsOn is judged by ST-12.",
        acrossResources: true,
        cfnLint: ["W1001"],
        triggering: [
            "Parameters:\n  Env:\n    Type: String\n    AllowedValues: [prod, dev]\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Condition: IsProd\n  Site:\n    Type: AWS::S3::Bucket\n    Properties:\n      LoggingConfiguration:\n        DestinationBucketName: ↓!Ref Logs\nOutputs:\n  LogsArn:\n    Value: ↓!Sub '${Logs.Arn}'\n",
        ],
        nonTriggering: [
            "Parameters:\n  Env:\n    Type: String\n    AllowedValues: [prod, dev]\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n  IsDev: !Equals [dev, !Ref Env]\n  IsNotDev: !Not [!Equals [!Ref Env, dev]]\nResources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Condition: IsProd\n  Site:\n    Type: AWS::S3::Bucket\n    Properties:\n      LoggingConfiguration: !If [IsDev, !Ref AWS::NoValue, {DestinationBucketName: !Ref Logs}]\n  Archive:\n    Type: AWS::S3::Bucket\n    Condition: IsNotDev\n    Properties:\n      LoggingConfiguration:\n        DestinationBucketName: !GetAtt Logs.Arn\nOutputs:\n  LogsArn:\n    Condition: IsProd\n    Value: !GetAtt Logs.Arn\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        guard ConditionAvailability.judges(template) else { return }
        var availability = ConditionAvailability(template)
        guard !availability.resourceConditions.isEmpty else { return }
        let parameters = context.names.parameters
        func judge(_ function: Intrinsic, _ value: Node, _ path: [PathComponent], subVariables: [String]) {
            let targets: [String]
            switch function.name {
            case .ref:
                guard let name = function.argument.stringValue, availability.resourceConditions[name] != nil, !parameters.contains(name) else { return }
                targets = [name]
            case .getAtt:
                guard let name = ResourceReferences.getAttTarget(function.argument), availability.resourceConditions[name] != nil else { return }
                targets = [name]
            case .sub: targets = Self.subTargets(subVariables, locals: function.subLocals, parameters, among: availability.resourceConditions)
            default: return
            }
            for target in targets {
                guard let condition = availability.resourceConditions[target], let holds = Self.requirements(template, path),
                      let missing = availability.missing(target, where: holds) else { continue }
                context.report("\(function.name.rawValue) to '\(target)', a resource created only when condition '\(condition)' is true, where it may not exist (\(ConditionAvailability.describe(missing))): the stack fails with an unresolved dependency",
                               at: value.location, path: Array(path.dropLast()),  // the place holding the function, as cfn-lint names it
                               hint: "put the reference in an Fn::If on '\(condition)', or give the place a condition that implies it")
            }
        }
        // The functions the other rules walked for (Properties, the policies, Outputs), then
        // Metadata, which they do not read but CloudFormation resolves (cfn-init's files).
        for use in context.functions where !use.inConditions { judge(use.function, use.value, use.path, subVariables: use.subVariables) }
        for entry in template.root["Resources"]?.objectValue?.entries ?? [] where !entry.key.hasPrefix("Fn::ForEach::") {
            guard let metadata = entry.value["Metadata"] else { continue }
            TemplateNames.functions(in: metadata, at: [.key("Resources"), .key(entry.key), .key("Metadata")]) { function, value, path in
                judge(function, value, path, subVariables: function.name == .sub ? SubTemplate.variables(function.subText ?? "") : [])
            }
        }
    }

    /// The conditional resources a Sub's `${...}` name, once each (not its own variables or
    /// parameters); `variables` as the shared walk scanned them.
    private static func subTargets(_ variables: [String], locals: Set<String>, _ parameters: Set<String>, among conditional: [String: String]) -> [String] {
        var named: [String] = []
        for variable in variables {
            let name = SubVariableScan.head(variable)
            guard conditional[name] != nil, !locals.contains(variable), !locals.contains(name), !parameters.contains(variable), !named.contains(name) else { continue }
            named.append(name)
        }
        return named
    }

    /// The conditions that hold where `path` leads: the resource's or output's `Condition`
    /// and each Fn::If branch on the way; nil where the path cannot be followed.
    private static func requirements(_ template: Template, _ path: [PathComponent]) -> [ConditionAvailability.Requirement]? {
        guard path.count > 2, case .key(let section) = path[0], case .key(let name) = path[1],
              var current = template.root[section]?.objectValue?[name] else { return nil }
        var holds: [ConditionAvailability.Requirement] = []
        if let condition = current["Condition"]?.stringValue { holds.append(.init(condition: condition, holds: true)) }
        var index = 2
        while index < path.count {
            switch (current.kind, path[index]) {
            case (.object(let map), .key(let key)):
                guard let next = map[key] else { return nil }
                current = next
            case (.array(let items), .index(let position)):
                guard items.indices.contains(position) else { return nil }
                current = items[position]
            case (.intrinsic(let function), .key(let key)) where key == function.name.rawValue:
                if function.name == .if, index + 1 < path.count, case .index(let branch) = path[index + 1], branch == 1 || branch == 2,
                   let parts = function.argument.arrayValue, parts.count == 3, let condition = parts[0].stringValue {
                    holds.append(.init(condition: condition, holds: branch == 1))
                    current = parts[branch]
                    index += 2
                    continue
                }
                current = function.argument
            default:
                return nil
            }
            index += 1
        }
        return holds
    }
}
