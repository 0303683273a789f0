import FormworkSchema
import FormworkTemplate

/// One check of the validation pass. Rules read the template and report through the
/// context; they never print and never fail.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    init()
    func check(_ template: Template, _ context: RuleContext)
}

/// A rule that reports the template's schema issues (`RuleContext.reportSchemaIssues`): the
/// linter runs these together, since they share one walk.
protocol SchemaWalkRule: Rule {}

/// What a rule sees besides the template, and where it reports.
public final class RuleContext: @unchecked Sendable {
    public let file: String?
    public let registry: SchemaRegistry
    public let configuration: Profile
    public let values: PossibleValues
    let template: Template
    var findings: [Diagnostic] = []
    private var currentRule: RuleDescription?
    private var cachedSchemaIssues: [SchemaIssue]?
    private var cachedFunctions: [FunctionUse]?
    private var cachedNames: TemplateNames?
    private var cachedPolicies: [PolicyDocument]?
    private var cachedKeyConsumers: KeyConsumers?

    /// What uses each of the template's KMS keys, found once for KM-02 and KM-04.
    var keyConsumers: KeyConsumers {
        if let cachedKeyConsumers { return cachedKeyConsumers }
        let found = KeyConsumers(template)
        cachedKeyConsumers = found
        return found
    }

    /// The identity policies that apply to a role (its own and those attached to it).
    func identityPolicies(of role: String) -> [PolicyDocument] {
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

    /// The template's policy documents, parsed once for the IAM, S3, SNS, KMS and Lambda rules.
    public var policies: [PolicyDocument] {
        if let cachedPolicies { return cachedPolicies }
        let found = PolicyDocument.all(in: template, values: values)
        cachedPolicies = found
        return found
    }

    /// What the template defines that functions can name, gathered once for the rules.
    var names: TemplateNames {
        if let cachedNames { return cachedNames }
        let found = TemplateNames(template)
        cachedNames = found
        return found
    }

    /// One intrinsic function where CloudFormation evaluates it.
    struct FunctionUse {
        let function: Intrinsic
        let value: Node
        let path: [PathComponent]
        let inConditions: Bool
    }

    /// The template's intrinsic functions, walked once for the rules that read them.
    var functions: [FunctionUse] {
        if let cachedFunctions { return cachedFunctions }
        var found: [FunctionUse] = []
        TemplateNames.functions(in: template) { found.append(FunctionUse(function: $0, value: $1, path: $2, inConditions: $3)) }
        cachedFunctions = found
        return found
    }

    init(file: String?, template: Template, registry: SchemaRegistry, configuration: Profile) {
        self.file = file
        self.registry = registry
        self.configuration = configuration
        self.template = template
        values = PossibleValues(template: template, known: configuration.parameterValues)
    }

    /// Reports the template's schema issues of these kinds as the running rule's findings.
    func reportSchemaIssues(_ kinds: Set<SchemaIssue.Kind>) {
        for issue in schemaIssues where kinds.contains(issue.kind) {
            report(issue.message, at: issue.location, path: issue.path)
        }
    }

    /// The template's schema issues, found once for the rules that report them.
    public var schemaIssues: [SchemaIssue] {
        if let cachedSchemaIssues { return cachedSchemaIssues }
        let found = SchemaValidator.issues(in: template, registry: registry)
        cachedSchemaIssues = found
        return found
    }

    func begin(_ rule: RuleDescription) {
        currentRule = rule
        currentSeverity = configuration.severity(for: rule)
        builtByRule = 0
    }

    /// Findings a rule reported past the cap, per resource (nil: the template's), counted
    /// and never built: a report shows at most `Linter.maximumFindingsPerFile` per file, so
    /// 2,000 resources missing 2,000 tags cost a count, not four million messages.
    struct Unbuilt: Hashable {
        var rule: RuleID
        var severity: Severity
        var resource: String?
    }
    var unbuilt: [Unbuilt: Int] = [:]
    private var builtByRule = 0
    private var currentSeverity = Severity.error

    /// True once the running rule has made as many findings as a report shows: a rule with
    /// many findings per resource may then `count` them instead of reporting each.
    var isCounting: Bool { builtByRule >= Linter.maximumFindingsPerFile }

    /// Counts `count` findings of the running rule at `path` without making them.
    func count(_ count: Int, path: [PathComponent]) {
        guard let rule = currentRule, count > 0 else { return }
        let resource = path.count >= 2 && path[0] == .key("Resources") ? path[1].description : nil
        unbuilt[Unbuilt(rule: rule.id, severity: currentSeverity, resource: resource), default: 0] += count
    }

    /// Reports a finding of the running rule at a value's place. The message and hint are
    /// made only for findings that are kept.
    public func report(_ message: @autoclosure () -> String, at location: Location, path: [PathComponent], hint: @autoclosure () -> String? = nil) {
        guard let rule = currentRule else { return }
        let severity = currentSeverity
        guard !isCounting else { return count(1, path: path) }
        builtByRule += 1
        findings.append(Diagnostic(ruleID: rule.id, severity: severity, message: message(),
                                   file: file, location: location.isKnown ? location : Location(line: 1, column: 1),
                                   path: path, hint: hint()))
    }
}

