import FormworkRuleKit
import FormworkRules
import FormworkRuleTesting
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
        // The public helper a team's rule is verified with (FormworkRuleTesting), so that
        // Formwork's rules and a team's are held to the same test.
        let rule = try #require(RuleRegistry.rule(example.rule))
        let failures = RuleExamples.failures(example, of: rule)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// Every triggering example, with its findings suppressed where they stand (a resource's
    /// `Metadata: formwork: ignore` with a reason; cfn-lint's template-level ignore_checks for
    /// the others), is silent: no finding of the rule, and no suppression left unused.
    @Test(arguments: examples.filter { $0.triggering && $0.rule != "ST-00" })
    func suppressedVariantIsSilent(_ example: RuleExample) throws {
        let rule = try #require(RuleRegistry.rule(example.rule))
        let failures = RuleExamples.suppressedVariantFailures(example, of: rule)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
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
