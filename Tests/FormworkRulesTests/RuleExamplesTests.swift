import FormworkRuleKit
import FormworkRules
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate
import Testing

/// Every example of every rule (SwiftLint's way): a triggering example must give findings of
/// its rule exactly at the `↓` marks; a non-triggering one must give none.
@Suite struct RuleExamplesTests {
    static let examples: [RuleExample] = RuleExample.all(of: RuleRegistry.all.map { $0.description })

    @Test(arguments: examples)
    func example(_ example: RuleExample) throws {
        let (text, marks) = example.template
        if example.rule == "ST-00" {
            // Parse errors come from the reader, before any rule runs.
            let read = TemplateReader.read(Array(text.utf8), file: "example.yaml")
            if example.triggering {
                #expect(read.template == nil)
                #expect(Set(read.diagnostics.map(\.location)) == Set(marks), "diagnostics at \(read.diagnostics.map { "\($0.location) \($0.message)" }), marks at \(marks)")
            } else {
                #expect(read.diagnostics.isEmpty && read.template != nil)
            }
            return
        }
        let template = try #require(TemplateReader.read(Array(text.utf8), file: "example.yaml").template, "the example does not parse")
        let rule = try #require(RuleRegistry.rule(example.rule))
        let linter = Linter(registry: .shared, rules: [rule])
        // An example may name its profile in its Metadata, as any template does.
        let configuration = try Profile.resolve(for: template, file: "example.yaml", explicit: nil, configuration: nil, profiles: .builtIn).get()
        let findings = linter.lint(template, file: "example.yaml", configuration: configuration)
            .filter { $0.ruleID == example.rule }
        if example.triggering {
            #expect(!marks.isEmpty, "a triggering example needs ↓ marks")
            // Exact: one finding per mark, so a rule that reports a place twice fails.
            #expect(findings.map(\.location).sorted() == marks.sorted(), "findings at \(findings.map { "\($0.location) \($0.message)" }), marks at \(marks)")
        } else {
            #expect(findings.isEmpty, "\(findings.map(\.text))")
        }
    }

    /// Every triggering example, with its findings suppressed where they stand (a resource's
    /// `Metadata: formwork: ignore` with a reason; cfn-lint's template-level ignore_checks for
    /// the others), is silent: no finding of the rule, and no suppression left unused.
    @Test(arguments: examples.filter { $0.triggering && $0.rule != "ST-00" })
    func suppressedVariantIsSilent(_ example: RuleExample) throws {
        let template = try #require(TemplateReader.read(Array(example.template.text.utf8), file: "example.yaml").template)
        let rule = try #require(RuleRegistry.rule(example.rule))
        let linter = Linter(registry: .shared, rules: [rule])
        let configuration = try Profile.resolve(for: template, file: "example.yaml", explicit: nil, configuration: nil, profiles: .builtIn).get()
        let findings = linter.lint(template, file: "example.yaml", configuration: configuration).filter { $0.ruleID == example.rule }
        var root = template.root
        var resources = root["Resources"]?.objectValue ?? ObjectMap()
        var templateLevel = false
        for finding in findings {
            guard finding.path.count >= 2, finding.path[0] == .key("Resources"), case .key(let id) = finding.path[1],
                  var body = resources[id]?.objectValue else {
                templateLevel = true
                continue
            }
            var metadata = body["Metadata"]?.objectValue ?? ObjectMap()
            var formwork = metadata["formwork"]?.objectValue ?? ObjectMap()
            var ignores = formwork["ignore"]?.arrayValue ?? []
            if !ignores.contains(where: { $0["rule"]?.stringValue == example.rule.rawValue }) {
                ignores.append(.object(ObjectMap(["rule": .string(example.rule.rawValue), "reason": .string("the example's own finding")])))
            }
            formwork["ignore"] = .array(ignores)
            metadata["formwork"] = .object(formwork)
            body["Metadata"] = .object(metadata)
            resources[id] = .object(body)
        }
        if !resources.entries.isEmpty { root["Resources"] = .object(resources) }
        if templateLevel {
            var metadata = root["Metadata"]?.objectValue ?? ObjectMap()
            metadata["cfn-lint"] = .object(ObjectMap(["config": .object(ObjectMap(["ignore_checks": .array([.string(example.rule.rawValue)])]))]))
            root["Metadata"] = .object(metadata)
        }
        let text = try YAMLWriter.write(.object(root))
        let variant = try #require(TemplateReader.read(text, file: "suppressed.yaml").template, "\(String(decoding: text, as: UTF8.self))")
        let after = linter.lint(variant, file: "suppressed.yaml", configuration: configuration)
        #expect(after.filter { $0.ruleID == example.rule || $0.ruleID == "SP-01" }.isEmpty,
                "\(after.map(\.text))\n\(String(decoding: text, as: UTF8.self))")
    }

    @Test func everyRuleIsDescribedAndUnique() {
        var ids = Set<RuleID>()
        for rule in RuleRegistry.all {
            let description = rule.description
            #expect(ids.insert(description.id).inserted, "\(description.id) twice")
            #expect(!description.triggeringExamples.isEmpty && !description.nonTriggeringExamples.isEmpty, "\(description.id) lacks examples")
            #expect(description.rationale.count > 40, "\(description.id) needs a rationale")
        }
    }
}
