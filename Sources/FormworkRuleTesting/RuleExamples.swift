import FormworkRuleKit
import FormworkRules
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate

/// Verifies a rule's examples exactly as Formwork verifies its own: a triggering example must
/// give the rule's findings at its `↓` marks, one per mark; a non-triggering one none; and
/// each triggering example with its findings suppressed where they stand (the resource's
/// `Metadata: formwork: ignore` with a reason, else cfn-lint's template-level
/// `ignore_checks`) must be silent, with no suppression left unused.
///
/// ```swift
/// @Test func bucketNamesRule() {
///     #expect(RuleExamples.failures(of: BucketNames.self) == [])
/// }
/// ```
///
/// The answers are failures as lines of text (empty when all is well), so that XCTest and
/// Swift Testing report them alike.
public enum RuleExamples {
    /// Every problem with a rule's examples and description: each example as above, at least
    /// one example of each kind, a rationale, and for a team's rule an id in the team's
    /// namespace (`ORD-01`).
    public static func failures(of rule: any Rule.Type) -> [String] {
        let description = rule.description
        var found: [String] = []
        if !isBuiltIn(rule), let problem = TeamRuleIDs.problem(with: description.id) { found.append("\(description.id): \(problem)") }
        if description.triggeringExamples.isEmpty || description.nonTriggeringExamples.isEmpty {
            found.append("\(description.id) needs triggering and non-triggering examples")
        }
        if description.rationale.count <= 40 { found.append("\(description.id) needs a rationale (more than 40 characters)") }
        for example in RuleExample.all(of: [description]) {
            found += failures(example, of: rule)
            if example.triggering { found += suppressedVariantFailures(example, of: rule) }
        }
        return found
    }

    /// The same for a rule value (`FormworkApp.rules` holds values).
    public static func failures(of rule: any Rule) -> [String] { failures(of: type(of: rule)) }

    /// One example: a triggering one gives the rule's findings exactly at its marks, a
    /// non-triggering one gives none.
    public static func failures(_ example: RuleExample, of rule: any Rule.Type) -> [String] {
        let (text, marks) = example.template
        let findings: [Diagnostic]
        switch lint(text, file: "example.yaml", rule) {
        case .failure(let problem): return ["\(example): \(problem.text)"]
        case .success(let found): findings = found
        }
        if example.triggering {
            if marks.isEmpty { return ["\(example): a triggering example needs ↓ marks"] }
            // Exact: one finding per mark, so that a rule that reports a place twice fails.
            if findings.map(\.location).sorted() != marks.sorted() {
                return ["\(example): findings at \(findings.map { "\($0.location) \($0.message)" }), marks at \(marks)"]
            }
        } else if !findings.isEmpty {
            return ["\(example): should not trigger, but gave \(findings.map(\.text))"]
        }
        return []
    }

    /// A triggering example with its findings suppressed where they stand is silent: no
    /// finding of the rule, and no suppression left unused (`SP-01`).
    public static func suppressedVariantFailures(_ example: RuleExample, of rule: any Rule.Type) -> [String] {
        guard let template = TemplateReader.read(Array(example.template.text.utf8), file: "example.yaml").template else {
            return ["\(example): the example does not parse"]
        }
        let id = rule.description.id
        guard case .success(let findings) = lint(example.template.text, file: "example.yaml", rule) else { return [] }
        var root = template.root
        var resources = root["Resources"]?.objectValue ?? ObjectMap()
        var templateLevel = false
        for finding in findings {
            guard finding.path.count >= 2, finding.path[0] == .key("Resources"), case .key(let logicalID) = finding.path[1],
                  var body = resources[logicalID]?.objectValue else {
                templateLevel = true
                continue
            }
            var metadata = body["Metadata"]?.objectValue ?? ObjectMap()
            var formwork = metadata["formwork"]?.objectValue ?? ObjectMap()
            var ignores = formwork["ignore"]?.arrayValue ?? []
            if !ignores.contains(where: { $0["rule"]?.stringValue == id.rawValue }) {
                ignores.append(.object(ObjectMap(["rule": .string(id.rawValue), "reason": .string("the example's own finding")])))
            }
            formwork["ignore"] = .array(ignores)
            metadata["formwork"] = .object(formwork)
            body["Metadata"] = .object(metadata)
            resources[logicalID] = .object(body)
        }
        if !resources.entries.isEmpty { root["Resources"] = .object(resources) }
        if templateLevel {
            var metadata = root["Metadata"]?.objectValue ?? ObjectMap()
            metadata["cfn-lint"] = .object(ObjectMap(["config": .object(ObjectMap(["ignore_checks": .array([.string(id.rawValue)])]))]))
            root["Metadata"] = .object(metadata)
        }
        guard let bytes = try? YAMLWriter.write(.object(root)) else { return ["\(example): the suppressed variant cannot be written"] }
        let text = String(decoding: bytes, as: UTF8.self)
        switch lint(text, file: "suppressed.yaml", rule, keeping: [id, SuppressionRule.id]) {
        case .failure(let problem): return ["\(example) suppressed: \(problem.text)"]
        case .success(let after) where !after.isEmpty: return ["\(example) suppressed: still gives \(after.map(\.text))\n\(text)"]
        case .success: return []
        }
    }

    /// Whether the rule is one of Formwork's own (a team's rule runs through its profile).
    static func isBuiltIn(_ rule: any Rule.Type) -> Bool {
        RuleRegistry.rule(rule.description.id).map { ObjectIdentifier($0) == ObjectIdentifier(rule) } ?? false
    }

    /// The rule's findings (and those of `keeping`) on the text, under the profile the text
    /// names in its Metadata (as any template does), else `ephemeral`.
    static func lint(_ text: String, file: String, _ rule: any Rule.Type, keeping: Set<RuleID>? = nil) -> Result<[Diagnostic], ExampleProblem> {
        let read = TemplateReader.read(Array(text.utf8), file: file)
        guard let template = read.template else {
            return .failure(ExampleProblem(text: read.diagnostics.first?.text ?? "the example does not parse"))
        }
        var configuration: Profile
        switch Profile.resolve(for: template, file: file, explicit: nil, configuration: nil, profiles: .builtIn) {
        case .success(let resolved): configuration = resolved
        case .failure(let errors): return .failure(ExampleProblem(text: errors.diagnostics.map(\.text).joined(separator: "\n")))
        }
        let linter: Linter
        if isBuiltIn(rule) {
            linter = Linter(registry: .shared, rules: [rule])
        } else {
            linter = Linter(registry: .shared, rules: [])
            configuration.add([TeamRule(rule)])
        }
        let wanted = keeping ?? [rule.description.id]
        return .success(linter.lint(template, file: file, configuration: configuration).filter { wanted.contains($0.ruleID) })
    }
}

/// Why an example could not be linted (it does not parse, its profile is unknown).
struct ExampleProblem: Error {
    let text: String
}
