import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// A rule that reports the template's schema issues (`RuleContext.reportSchemaIssues`): the
/// linter runs these together, since they share one walk. Each is listed in
/// `schemaWalkRules` too (a test keeps the list whole).
protocol SchemaWalkRule: Rule {}

/// The schema walk's rules, by type: the linter groups rules by this set, not by asking each
/// rule type whether it conforms (the first such question for each type scans every
/// conformance record of the binary, 0.2 M instructions, 36 M for the rule list).
let schemaWalkRules: Set<ObjectIdentifier> = Set(([
    UnknownProperties.self, RequiredProperties.self, ValueTypes.self, ValueConstraints.self, ValueFormats.self, RefFormats.self,
    DependentProperties.self, IdentifierFormats.self,
] as [any SchemaWalkRule.Type]).map { ObjectIdentifier($0) })

/// The registry the rules judge types by; the linter provides it.
enum RegistryKey: RuleContextKey {
    static func value(in context: RuleContext) -> SchemaRegistry { SchemaRegistry.empty }
}

/// What the house rules read of a template, each found once per template (the context's memo).
enum PossibleValuesKey: RuleContextKey {
    static func value(in context: RuleContext) -> PossibleValues {
        PossibleValues(template: context.template, known: context.configuration.parameterValues, files: context.configuration.parameterValueFiles)
    }
}

enum PoliciesKey: RuleContextKey {
    static func value(in context: RuleContext) -> [ParsedPolicy] { ParsedPolicy.all(in: context.template, values: context.values) }
}

enum NamesKey: RuleContextKey {
    static func value(in context: RuleContext) -> TemplateNames { TemplateNames(context.template) }
}

enum FunctionsKey: RuleContextKey {
    static func value(in context: RuleContext) -> [RuleContext.FunctionUse] {
        var found: [RuleContext.FunctionUse] = []
        TemplateNames.functions(in: context.template) { function, value, path, inConditions in
            // A Sub's variables, scanned here once for the rules that read them (ST-11, ST-13, ST-16).
            let variables = function.name == .sub ? SubTemplate.variables(function.subText ?? "") : []
            found.append(RuleContext.FunctionUse(function: function, value: value, path: path, inConditions: inConditions, subVariables: variables))
        }
        return found
    }
}

enum SchemaIssuesKey: RuleContextKey {
    static func value(in context: RuleContext) -> [SchemaIssue] { SchemaValidator.issues(in: context.template, registry: context.registry) }
}

enum KeyConsumersKey: RuleContextKey {
    static func value(in context: RuleContext) -> KeyConsumers { KeyConsumers(context.template) }
}

extension RuleContext {
    /// The registry the rules judge types by.
    public var registry: SchemaRegistry { memo(RegistryKey.self) }

    /// Every value a property can take, through parameters and conditions.
    public var values: PossibleValues { memo(PossibleValuesKey.self) }

    /// The template's policy documents, parsed once for the IAM, S3, SNS, KMS and Lambda rules.
    public var policies: [ParsedPolicy] { memo(PoliciesKey.self) }

    /// What the template defines that functions can name, gathered once for the rules.
    var names: TemplateNames { memo(NamesKey.self) }

    /// What uses each of the template's KMS keys, found once for KM-02 and KM-04.
    var keyConsumers: KeyConsumers { memo(KeyConsumersKey.self) }

    /// The template's schema issues, found once for the rules that report them.
    public var schemaIssues: [SchemaIssue] { memo(SchemaIssuesKey.self) }

    /// One intrinsic function where CloudFormation evaluates it.
    struct FunctionUse {
        let function: Intrinsic
        let value: Node
        let path: [PathComponent]
        let inConditions: Bool
        /// For an Fn::Sub, the `${...}` variables of its text (`Intrinsic.subText`), own
        /// variables included; empty for any other function.
        let subVariables: [String]
    }

    /// The template's intrinsic functions, walked once for the rules that read them.
    var functions: [FunctionUse] { memo(FunctionsKey.self) }

    /// The identity policies that apply to a role (its own and those attached to it).
    func identityPolicies(of role: String) -> [ParsedPolicy] {
        policies.filter { $0.kind == .identity && $0.roles.contains(role) }
    }

    /// A role's, user's or group's ManagedPolicyArns, each with the AWS managed policy it
    /// names (`service-role/AWS_ConfigRole`), nil for another account's policy or one not
    /// known before deployment.
    func awsManagedPolicies(of resource: Resource) -> [(text: PolicyText, name: String?)] {
        PolicyText.expand(resource.properties?["ManagedPolicyArns"], values: values, resources: []).map { text in
            (text, text.text?.suffix(after: ":iam::aws:policy/"))
        }
    }

    /// Reports the template's schema issues of these kinds as the running rule's findings.
    func reportSchemaIssues(_ kinds: Set<SchemaIssue.Kind>) {
        for issue in schemaIssues where kinds.contains(issue.kind) {
            report(issue.message, at: issue.location, path: issue.path)
        }
    }
}
