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

    @Test func everyRuleIsDescribedAndUnique() {
        var ids = Set<String>()
        for rule in RuleRegistry.all {
            let description = rule.description
            #expect(ids.insert(description.id).inserted, "\(description.id) twice")
            #expect(!description.triggeringExamples.isEmpty && !description.nonTriggeringExamples.isEmpty, "\(description.id) lacks examples")
            #expect(description.rationale.count > 40, "\(description.id) needs a rationale")
        }
    }
}
