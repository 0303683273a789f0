import FormworkTemplate

/// One check of the validation pass. A rule reads the template and reports through the
/// context; it never prints and never fails. Its ``description`` is its documentation and
/// its test: `formwork rules` prints it, and every example runs as a test.
public protocol Rule: Sendable {
    /// The rule's id, name, family, severity, rationale and examples.
    static var description: RuleDescription { get }
    /// Rules are made afresh for each template; they keep no state between templates.
    init()
    /// Reports the template's problems through `context`.
    func check(_ template: Template, _ context: RuleContext)
}

/// Something worked out once per template and shared by the rules that read it: the
/// template's policy documents, its intrinsic functions, its schema issues. A key names the
/// value and says how to compute it; ``RuleContext/memo(_:)`` computes it on first use.
public protocol RuleContextKey {
    /// What the key stands for.
    associatedtype Value
    /// Computes the value for the context's template.
    static func value(in context: RuleContext) -> Value
}

/// What a rule sees besides the template, and where it reports: the profile it runs under,
/// the values worked out once per template (``memo(_:)``), and ``report(_:at:path:hint:)``.
public final class RuleContext: @unchecked Sendable {
    /// The template's file as reports print it; nil for a compiled stack.
    public let file: String?
    /// The template the rules read (loops already expanded).
    public let template: Template
    /// The profile the rules run under: which rules, at which severity, with which settings.
    public let configuration: Profile
    package var findings: [Diagnostic] = []
    /// The running rule's id: all a finding takes of its description (a copy of the whole
    /// description per rule and template was a measurable part of a corpus's lint).
    private var currentRule: RuleID?
    // One context serves one thread: the linter gives each group of rules its own.
    // Boxed, so that a lookup is a class cast rather than a dynamic cast from `Any`.
    private var memos: [ObjectIdentifier: AnyObject] = [:]

    private final class Memo<Value> {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// The most findings one rule makes for one file: a report shows at most this many, so
    /// the rest are counted (``count(_:path:)``), never built.
    package static let maximumFindingsPerRule = 1_000

    /// Findings a rule reported past the cap, per resource (nil: the template's), counted
    /// and never built: 2,000 resources missing 2,000 tags cost a count, not four million
    /// messages.
    package struct Unbuilt: Hashable {
        package var rule: RuleID
        package var severity: Severity
        package var resource: String?

        /// Counted under the resource the path names (nil: the template's).
        init(rule: RuleID, severity: Severity, path: [PathComponent]) {
            self.rule = rule
            self.severity = severity
            resource = path.count >= 2 && path[0] == .key("Resources") ? path[1].description : nil
        }
    }
    package var unbuilt: [Unbuilt: Int] = [:]
    private var builtByRule = 0
    /// This context's cap per rule (`maximumFindingsPerRule`, or none for an editor, which
    /// shows findings where they stand rather than in one report).
    private let findingsPerRule: Int
    private var currentSeverity = Severity.error

    package init(file: String?, template: Template, configuration: Profile, capped: Bool = true) {
        findingsPerRule = capped ? Self.maximumFindingsPerRule : Int.max
        self.file = file
        self.template = template
        self.configuration = configuration
    }

    /// The value of `key` for this template, computed on first use and kept.
    public func memo<Key: RuleContextKey>(_ key: Key.Type) -> Key.Value {
        let id = ObjectIdentifier(key)
        // A key's entry is only ever its own `Memo<Key.Value>` (here and in `provide`).
        if let known = memos[id] { return unsafeDowncast(known, to: Memo<Key.Value>.self).value }
        let value = Key.value(in: self)
        memos[id] = Memo(value)
        return value
    }

    /// Sets the value of `key` before any rule asks (what the engine knows already, such as
    /// the registry).
    package func provide<Key: RuleContextKey>(_ key: Key.Type, _ value: Key.Value) {
        memos[ObjectIdentifier(key)] = Memo(value)
    }

    /// The settings of one family under this profile.
    public func settings<Settings: RuleSettings>(_ type: Settings.Type) -> Settings {
        configuration[settings: type]
    }

    package func begin(_ rule: RuleDescription) {
        currentRule = rule.id
        currentSeverity = configuration.severity(for: rule)
        builtByRule = 0
    }

    /// True once the running rule has made as many findings as a report shows: a rule with
    /// many findings per resource may then ``count(_:path:)`` them instead of reporting each.
    public var isCounting: Bool { builtByRule >= findingsPerRule }

    /// Counts `count` findings of the running rule at `path` without making them.
    public func count(_ count: Int, path: [PathComponent]) {
        guard let rule = currentRule, count > 0 else { return }
        unbuilt[Unbuilt(rule: rule, severity: currentSeverity, path: path), default: 0] += count
    }

    /// Reports a finding of the running rule at a value's place (line 1 when the place is
    /// unknown), at the profile's severity for the rule. The message and hint are made only
    /// for findings that are kept.
    public func report(_ message: @autoclosure () -> String, at location: Location, path: [PathComponent], hint: @autoclosure () -> String? = nil) {
        report(message(), at: location, path: path, severity: nil, hint: hint())
    }

    /// Reports with a severity other than the rule's own (HC-01: names are errors, tags
    /// warnings), unless the profile overrides the rule's severity.
    public func report(_ message: @autoclosure () -> String, at location: Location, path: [PathComponent], severity: Severity?,
                       hint: @autoclosure () -> String? = nil) {
        report(message(), at: location, path: path, severity: severity, hint: hint(), deploymentValue: nil)
    }

    /// Reports a finding on a value of a deployment's parameters file, which the linter
    /// places there.
    package func report(_ message: @autoclosure () -> String, at location: Location, path: [PathComponent], severity: Severity?,
                        hint: @autoclosure () -> String?, deploymentValue: DeploymentValuePlace?) {
        guard let rule = currentRule else { return }
        let level = configuration.severityOverrides[rule] ?? severity ?? currentSeverity
        guard !isCounting else {
            unbuilt[Unbuilt(rule: rule, severity: level, path: path), default: 0] += 1
            return
        }
        builtByRule += 1
        var finding = Diagnostic(ruleID: rule, severity: level, message: message(),
                                 file: file, location: location.isKnown ? location : Location(line: 1, column: 1),
                                 path: path, hint: hint())
        finding.deploymentValue = deploymentValue
        findings.append(finding)
    }
}
