import FormworkSchema
import FormworkTemplate

/// A rule's description: what `formwork rules` prints and what the tests run. The examples
/// are whole templates; in a triggering example each `↓` marks where a finding must land
/// (it is removed before the template is read).
public struct RuleDescription: Sendable {
    public var id: String
    public var name: String
    public var family: String
    public var severity: Severity
    public var rationale: String
    /// cfn-lint rule ids whose findings mean the same defect at the same place.
    public var cfnLint: [String]
    public var triggeringExamples: [String]
    public var nonTriggeringExamples: [String]
    /// For a change rule (checked by `formwork diff`, not `lint`): the deployed template the
    /// examples are updates of.
    public var deployedExample: String?

    public init(id: String, name: String, family: String, severity: Severity, rationale: String, cfnLint: [String] = [],
                deployed: String? = nil, triggering: [String], nonTriggering: [String]) {
        deployedExample = deployed
        self.id = id
        self.name = name
        self.family = family
        self.severity = severity
        self.rationale = rationale
        self.cfnLint = cfnLint
        triggeringExamples = triggering
        nonTriggeringExamples = nonTriggering
    }
}

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
    public let configuration: LintConfiguration
    public let values: PossibleValues
    let template: Template
    var findings: [Diagnostic] = []
    private var currentRule: RuleDescription?
    private var cachedSchemaIssues: [SchemaIssue]?
    private var cachedFunctions: [FunctionUse]?
    private var cachedNames: TemplateNames?

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
        let value: Value
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

    init(file: String?, template: Template, registry: SchemaRegistry, configuration: LintConfiguration) {
        self.file = file
        self.registry = registry
        self.configuration = configuration
        self.template = template
        values = PossibleValues(template: template)
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

    func begin(_ rule: RuleDescription) { currentRule = rule }

    /// Reports a finding of the running rule at a value's place.
    public func report(_ message: String, at location: Location, path: [PathComponent], hint: String? = nil) {
        guard let rule = currentRule else { return }
        findings.append(Diagnostic(ruleID: rule.id, severity: configuration.severity(for: rule), message: message,
                                   file: file, location: location.isKnown ? location : Location(line: 1, column: 1),
                                   path: path, hint: hint))
    }
}

/// One example of a rule, as the tests run it: the template without its `↓` marks, and the
/// places the marks stood (where the findings must land).
public struct RuleExample: Sendable, CustomStringConvertible {
    public var rule: String
    public var index: Int
    public var triggering: Bool
    public var text: String
    public var description: String { "\(rule) \(triggering ? "triggering" : "non-triggering") #\(index + 1)" }

    /// Every example of these rules, triggering first.
    public static func all(of rules: [RuleDescription]) -> [RuleExample] {
        rules.flatMap { rule in
            rule.triggeringExamples.enumerated().map { RuleExample(rule: rule.id, index: $0.offset, triggering: true, text: $0.element) }
                + rule.nonTriggeringExamples.enumerated().map { RuleExample(rule: rule.id, index: $0.offset, triggering: false, text: $0.element) }
        }
    }

    public var template: (text: String, marks: [Location]) {
        var clean = ""
        var marks: [Location] = []
        var line = 1, column = 1
        for character in text {
            if character == "↓" {
                marks.append(Location(line: line, column: column))
                continue
            }
            clean.append(character)
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (clean, marks)
    }
}
