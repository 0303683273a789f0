import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// Runs every enabled rule over a template, applies the template's own suppressions, and
/// returns the findings in report order (file, line, column).
public struct Linter: Sendable {
    public var registry: SchemaRegistry
    public var rules: [any Rule.Type] {
        didSet { described = Self.described(rules) }
    }
    /// False in an editor: every finding is made (no per-rule cap); `LintJob` then leaves the
    /// file's findings uncapped too.
    public var capsFindings = true
    /// The rules with their descriptions, read once: a rule type's `description` is a copy of
    /// a large value, which each template's lint read about eight times per rule (6 % of a
    /// corpus's instructions).
    private var described: [(rule: TeamRule, walksSchema: Bool)]

    public init(registry: SchemaRegistry, rules: [any Rule.Type] = RuleRegistry.all) {
        self.registry = registry
        self.rules = rules
        described = Self.described(rules)
    }

    private static func described(_ rules: [any Rule.Type]) -> [(rule: TeamRule, walksSchema: Bool)] {
        rules.map { (TeamRule($0), schemaWalkRules.contains(ObjectIdentifier($0))) }
    }

    /// The profile a template names in `Metadata: formwork: profile`, if any.
    public static func declaredProfile(_ template: Template) -> String? {
        template.metadata?["formwork"]?["profile"]?.stringValue
    }

    public func lint(_ original: Template, file: String?, configuration: Profile) -> [Diagnostic] {
        // Fn::ForEach loops made into the resources they make, beside the loops.
        let (template, madeBy) = LoopExpansion.expanded(original)
        let found = judge(template, file: file, configuration: configuration)
        return finish(found, original: original, expanded: template, madeBy: madeBy, file: file, configuration: configuration)
    }

    /// What some of the rules found in a template whose loops are expanded, before the
    /// template's suppressions and the redaction (``finish``): the language server judges
    /// the resources an edit touched by the rules that read one resource, and keeps the rest.
    package struct Judgement: Sendable {
        package var findings: [Diagnostic] = []
        package var unbuilt: [[RuleContext.Unbuilt: Int]] = []
        /// Pattern steps the rules spent (a budget ran out when the findings hold an LN-02).
        package var steps = 0

        package init() {}

        package static func + (left: Judgement, right: Judgement) -> Judgement {
            var sum = left
            sum.findings += right.findings
            sum.unbuilt += right.unbuilt
            sum.steps += right.steps
            return sum
        }
    }

    /// Runs the enabled rules that `including` accepts (and the team's own rules when
    /// `team`). Each group's pattern budget is the share a run of every rule gives it.
    package func judge(_ template: Template, file: String?, configuration: Profile, including: (RuleID) -> Bool = { _ in true }, team: Bool = true) -> Judgement {
        // Three groups run side by side, each with its own context: the rules that share the
        // schema walk, the other structural rules, the house rules. The findings are merged
        // and sorted, so the report does not depend on which finishes first.
        // A team's own rules (its app's, its `.formwork.yml`'s) join the house rules' group.
        let teamRules = configuration.teamRules.filter { configuration.isEnabled($0.description) }
        let teamIDs = Set(teamRules.map(\.description.id))
        func runs(_ rule: TeamRule) -> Bool {
            !teamIDs.isEmpty && teamIDs.contains(rule.description.id) ? team : including(rule.description.id)
        }
        // The groups' rules, chosen in one pass (each rule copied once); `enabled`: the groups
        // with any enabled rule, which share the file's pattern budget.
        var chosen: [[TeamRule]] = [[], [], []]
        var enabled = [false, false, !teamRules.isEmpty]
        for index in described.indices where configuration.isEnabled(described[index].rule.description) {
            let group = described[index].walksSchema ? 0 : described[index].rule.description.family == .structure ? 1 : 2
            enabled[group] = true
            if runs(described[index].rule) { chosen[group].append(described[index].rule) }
        }
        chosen[2] += teamRules.filter(runs)
        let groups = chosen.filter { !$0.isEmpty }
        let shares = enabled.filter { $0 }.count
        // The walk of the template's functions, which rules of every group read, made once
        // for all groups rather than once in each.
        let functions = groups.count > 1 ? RuleContext(file: file, template: template, configuration: configuration).memo(FunctionsKey.self) : nil
        // So are the string literals, when rules of more than one group read them.
        let literals = groups.filter { $0.contains { StringLiterals.readers.contains($0.description.id) } }.count > 1 ? StringLiterals(template) : nil
        // And what each resource names, read off the functions.
        let references = groups.filter { $0.contains { ResourceReferenceIndex.readers.contains($0.description.id) } }.count > 1
            ? functions.map { ResourceReferenceIndex(template.resources, $0) } : nil
        let found = Parallel.map(groups) { group -> Judgement in
            let context = RuleContext(file: file, template: template, configuration: configuration, capped: capsFindings)
            context.provide(RegistryKey.self, registry)
            if let functions { context.provide(FunctionsKey.self, functions) }
            if let literals { context.provide(StringLiteralsKey.self, literals) }
            if let references { context.provide(ResourceReferencesKey.self, references) }
            // The file's pattern budget, in equal shares per group so that what each rule
            // judges does not depend on which group runs faster.
            let share = PatternBudget(steps: PatternBudget.stepsPerFile / shares)
            // Read in place: binding each rule to a name would copy its description.
            group.withUnsafeBufferPointer { rules in
                for index in rules.indices {
                    context.begin(rules[index].description)
                    let budget = PatternBudget(steps: PatternBudget.stepsPerRule, parent: share)
                    PatternBudget.$current.withValue(budget) { rules[index].check(template, context) }
                    if budget.unjudged > 0 { context.findings.append(PatternBudgetFinding.finding(rules[index].description.id, count: budget.unjudged, file: file)) }
                }
            }
            var judgement = Judgement()
            judgement.findings = context.findings
            judgement.unbuilt = [context.unbuilt]
            judgement.steps = PatternBudget.stepsPerFile / shares - share.stepsLeft
            return judgement
        }
        return found.reduce(Judgement(), +)
    }

    /// The report of what the rules found: the template's suppressions applied (and those
    /// that suppress nothing reported), NoEcho values redacted, findings sorted and unique.
    package func finish(_ found: Judgement, original: Template, expanded template: Template, madeBy: [String: String], file: String?, configuration: Profile) -> [Diagnostic] {
        var suppressed = Suppressions(template: template, file: file, configuration: configuration)
        let counted = suppressed.count(found.unbuilt, file: file)
        // The rules that run, asked for only when a suppression suppressed nothing (rarely).
        let running = {
            Set((self.described.map(\.rule) + configuration.teamRules).filter { configuration.isEnabled($0.description) }.map(\.description.id))
        }
        let findings = suppressed.apply(to: found.findings, running: running) + counted
        // No finding may print a NoEcho parameter's value, whatever rule wrote it, nor the
        // name of a resource a loop made from one.
        let secrets = Self.secrets(original, madeBy: madeBy, deployment: configuration.parameterValues)
        let named = findings.map { finding -> Diagnostic in
            guard !madeBy.isEmpty, finding.path.count >= 2, case .key(let id) = finding.path[1], let loop = madeBy[id] else { return finding }
            var copy = finding
            copy.message += " (in \(id), which \(loop) makes)"
            return copy
        }
        let placed = DeploymentValuePlaces.apply(named, templateFile: file)
        return Self.unique(placed.map { Self.namingConvention($0).redacting(secrets) }.sortedForReport())
    }

    /// The setting of `.formwork.yml` (and of `Profile`) each convention-dependent rule
    /// judges by: its findings say so, so that a team that wants other conventions knows
    /// what to write instead of silencing the rule.
    public static let conventions: [RuleID: String] = [
        "NM-01": "suffixParameter", "NM-02": "suffixParameter", "NM-04": "suffixParameter", "TG-01": "requiredTags", "HC-01": "environmentWords",
        "LC-01": "allowRetain", "LC-03": "deletionProtection", "RDS-04": "backupRetentionDays", "RDS-12": "instanceClasses",
        "RDS-13": "engineMajorVersion", "RDS-24": "backupReplicationDays", "AL-04": "thresholds", "AL-05": "evaluationPeriods",
        "ST-20": "evaluationDate", "ST-21": "evaluationDate",
    ]

    static func namingConvention(_ diagnostic: Diagnostic) -> Diagnostic {
        guard let key = conventions[diagnostic.ruleID] else { return diagnostic }
        var copy = diagnostic
        copy.message += " (convention `\(key)` in .formwork.yml)"
        return copy
    }

    /// Findings with the same rule, place and message once: a rule that sees a value through
    /// several `Fn::If` branches or parameter values says it once.
    static func unique(_ sorted: [Diagnostic]) -> [Diagnostic] {
        var result: [Diagnostic] = []
        result.reserveCapacity(sorted.count)
        // Equal findings sort into one run (same file, place, rule and message): each is
        // compared with the run kept so far rather than hashed whole into a set.
        var run = 0
        for diagnostic in sorted {
            if run < result.count, !Self.sameRun(result[run], diagnostic) { run = result.count }
            if result[run...].contains(diagnostic) { continue }
            result.append(diagnostic)
        }
        return result
    }

    /// Whether two findings sort as one (`Diagnostic.reportOrder` puts neither first).
    private static func sameRun(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        (a.file ?? "") == (b.file ?? "") && a.location == b.location && a.ruleID == b.ruleID && a.message == b.message
    }

    /// The most findings a report shows for one file; the rest are counted in one last
    /// finding (`LN-01`) of their highest severity, so that the exit code stays what it was.
    public static let maximumFindingsPerFile = RuleContext.maximumFindingsPerRule

    /// Caps a file's findings (in report order) at `maximumFindingsPerFile`.
    public static func capped(_ findings: [Diagnostic], file: String?) -> [Diagnostic] {
        guard findings.count > maximumFindingsPerFile else { return findings }
        let hidden = findings[maximumFindingsPerFile...]
        let severity = hidden.map(\.severity).max() ?? .info
        let counts = Severity.allCases.compactMap { level -> String? in
            let count = hidden.filter { $0.severity == level }.count
            return count == 0 ? nil : "\(count) \(level.rawValue)\(count == 1 ? "" : "s")"
        }
        return Array(findings.prefix(maximumFindingsPerFile)) + [Diagnostic(
            ruleID: OutputCap.id, severity: severity,
            message: "\(hidden.count) more findings in this file are not shown (\(counts.joined(separator: ", "))): a report shows at most \(maximumFindingsPerFile) per file",
            file: file, location: Location(line: 1, column: 1))]
    }
}

/// The finding that says a rule left values unjudged because the patterns' budget ran out.
public enum PatternBudgetFinding {
    public static let id: RuleID = "LN-02"

    static func finding(_ rule: RuleID, count: Int, file: String?) -> Diagnostic {
        Diagnostic(ruleID: id, severity: .info,
                   message: "\(count) value\(count == 1 ? " was" : "s were") not judged by \(rule): matching patterns took more than the budget (\(PatternBudget.stepsPerRule) steps per rule, \(PatternBudget.stepsPerFile) per file)",
                   file: file, location: Location(line: 1, column: 1))
    }
}

/// The finding that stands for those a capped report leaves out.
public enum OutputCap {
    public static let id: RuleID = "LN-01"
}

/// Suppressions written in the template: resource Metadata
/// `formwork: {ignore: [{rule: ID, reason: ..., until: YYYY-MM-DD}]}` (a reason is required
/// unless the profile says `suppressionReasons: optional`; an expiry date where it says
/// `suppressionExpiry: required`; a suppression that suppresses nothing is reported, and
/// one past its date suppresses nothing and is itself an error, SP-02), and cfn-lint's
/// `Metadata: cfn-lint: config: ignore_checks: [...]` at the resource or template level.
struct Suppressions {
    struct Entry {
        /// What the suppression names, as written: an id, a family or a cfn-lint id.
        var rule: String
        var resource: String?
        var location: Location
        var path: [PathComponent]
        var used = false
    }

    var entries: [Entry] = []
    var problems: [Diagnostic] = []
    let file: String?

    init(template: Template, file: String?, configuration: Profile = .ephemeral) {
        self.file = file
        let settings = configuration.suppressions
        let today = configuration.evaluationDate ?? EvaluationDate.today
        for id in Self.cfnLintIgnores(template.metadata) {
            entries.append(Entry(rule: id, resource: nil, location: .none, path: [.key("Metadata")], used: true))
        }
        for resource in template.resources {
            let base: [PathComponent] = [.key("Resources"), .key(resource.logicalID), .key("Metadata")]
            for id in Self.cfnLintIgnores(resource.metadata) {
                entries.append(Entry(rule: id, resource: resource.logicalID, location: .none, path: base, used: true))
            }
            guard let ignores = resource.metadata?["formwork"]?["ignore"] else { continue }
            for (index, item) in (ignores.arrayValue ?? []).enumerated() {
                let path = base + [.key("formwork"), .key("ignore"), .index(index)]
                guard let rule = item["rule"]?.stringValue else {
                    problems.append(Diagnostic(ruleID: SuppressionRule.id, severity: .error, message: "a suppression needs `rule: ID`", file: file, location: item.location, path: path))
                    continue
                }
                let reason = item["reason"]?.stringValue
                if settings.reasonRequired, reason.map({ $0.trimmingSpaces.isEmpty }) ?? true {
                    problems.append(Diagnostic(ruleID: SuppressionRule.id, severity: .error, message: "the suppression of \(rule) needs a reason", file: file, location: item.location, path: path))
                    continue
                }
                if let until = item["until"] {
                    // A YAML date is read as its text; a day that is no day is refused, not ignored.
                    guard let day = until.scalarText, CalendarDay(day) != nil else {
                        problems.append(Diagnostic(ruleID: SuppressionRule.id, severity: .error, message: "the suppression of \(rule) has until: '\((until.scalarText ?? "").printable)', which is no day (YYYY-MM-DD)",
                                                   file: file, location: until.location, path: path + [.key("until")]))
                        continue
                    }
                    // Days written YYYY-MM-DD compare as their text.
                    if day < today {
                        problems.append(Diagnostic(ruleID: SuppressionRule.expired, severity: .error,
                                                   message: "the suppression of \(rule) on \(resource.logicalID) expired on \(day): it suppresses nothing now; fix the finding or renew the suppression with a new date",
                                                   file: file, location: until.location, path: path + [.key("until")]))
                        continue
                    }
                } else if settings.expiryRequired {
                    problems.append(Diagnostic(ruleID: SuppressionRule.id, severity: .error, message: "the suppression of \(rule) needs an expiry date (until: YYYY-MM-DD)", file: file, location: item.location, path: path))
                    continue
                }
                entries.append(Entry(rule: rule, resource: resource.logicalID, location: item.location, path: path))
            }
        }
    }

    /// A suppression names a whole rule id (`LC-01`), a family by its word (`lifecycle`) or
    /// by one of its id groups (`LC`, `RDS`: every rule of it), or a cfn-lint id (`E3012`, or
    /// a prefix cfn-lint accepts such as `E30`), which silences the Formwork rules that
    /// declare it as an overlap. Never a partial id: `LC-0` silences nothing.
    static func matches(_ suppression: String, _ ruleID: RuleID) -> Bool {
        if ruleID.isNamed(by: suppression) { return true }
        let wanted = suppression.uppercased()
        let described = RuleRegistry.rule(ruleID)?.description
        if let family = described?.family ?? RuleFamily.allCases.first(where: { $0.idGroups.contains(ruleID.group) }) {
            if RuleFamily(named: suppression) == family { return true }
            if family.idGroups.contains(where: { $0 == wanted }), ruleID.group == wanted { return true }
        } else if ruleID.group == wanted {
            return true  // a tool finding's group: `PS` names every reader finding
        }
        guard let first = wanted.first, "EWI".contains(first), wanted.dropFirst().allSatisfy(\.isNumber), wanted.count >= 2,
              let declared = described?.cfnLint else { return false }
        return declared.contains { $0.uppercased().hasPrefix(wanted) }
    }

    static func cfnLintIgnores(_ metadata: ObjectMap?) -> [String] {
        guard let checks = metadata?["cfn-lint"]?["config"]?["ignore_checks"]?.arrayValue else { return [] }
        return checks.compactMap(\.stringValue)
    }

    /// The findings that were counted and not built, less those the template suppresses:
    /// one `LN-01` per rule with their count, at the rule's severity (the exit code is what
    /// the built findings would have made it).
    mutating func count(_ groups: [[RuleContext.Unbuilt: Int]], file: String?) -> [Diagnostic] {
        var perRule: [RuleID: (count: Int, severity: Severity)] = [:]
        for (unbuilt, count) in groups.flatMap({ $0 }) {
            if let index = entries.firstIndex(where: { $0.resource != nil && $0.resource == unbuilt.resource && Self.matches($0.rule, unbuilt.rule) })
                ?? entries.firstIndex(where: { $0.resource == nil && Self.matches($0.rule, unbuilt.rule) }) {
                entries[index].used = true
                continue
            }
            perRule[unbuilt.rule, default: (0, unbuilt.severity)].count += count
        }
        return perRule.sorted { $0.key < $1.key }.map { rule, counted in
            Diagnostic(ruleID: OutputCap.id, severity: counted.severity,
                       message: "\(counted.count) more \(rule) findings in this file were counted, not made: a report shows at most \(Linter.maximumFindingsPerFile) per file",
                       file: file, location: Location(line: 1, column: 1))
        }
    }

    /// `running`: the rules this profile runs. A suppression of rules that do not run here
    /// (an RDS rule under `structural`) is not reported as suppressing nothing.
    mutating func apply(to findings: [Diagnostic], running: () -> Set<RuleID>) -> [Diagnostic] {
        var kept: [Diagnostic] = []
        for finding in findings {
            let resource: String? = finding.path.count >= 2 && finding.path[0] == .key("Resources") ? finding.path[1].description : nil
            // The resource's own suppression first, so that it counts as used; then the template's.
            if let index = entries.firstIndex(where: { $0.resource != nil && $0.resource == resource && Self.matches($0.rule, finding.ruleID) })
                ?? entries.firstIndex(where: { $0.resource == nil && Self.matches($0.rule, finding.ruleID) }) {
                entries[index].used = true
                continue
            }
            kept.append(finding)
        }
        let unused = entries.filter { !$0.used }
        guard !unused.isEmpty else { return kept + problems }
        let all = RuleRegistry.ids
        let running = running()
        for entry in unused {
            let named = all.filter { Self.matches(entry.rule, $0) }
            if !named.isEmpty, !named.contains(where: running.contains) { continue }
            kept.append(Diagnostic(ruleID: SuppressionRule.id, severity: .warning,
                                   message: "the suppression of \(entry.rule) on \(entry.resource ?? "the template") suppresses nothing; remove it",
                                   file: file, location: entry.location.isKnown ? entry.location : Location(line: 1, column: 1), path: entry.path))
        }
        return kept + problems
    }
}

/// The rule suppressions themselves are reported under.
public enum SuppressionRule {
    public static let id: RuleID = "SP-01"
    /// A suppression past its `until:` date.
    public static let expired: RuleID = "SP-02"
}

