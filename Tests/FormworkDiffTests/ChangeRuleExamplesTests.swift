import FormworkDiff
import FormworkRuleKit
import FormworkRules
import FormworkSchemaData
import FormworkTemplate
import Testing

/// The change rules' examples, run the way `formwork diff` runs them: each example is an
/// update of the rule's deployed template; a triggering one gives findings of the rule
/// exactly at its `↓` marks, a non-triggering one none.
@Suite struct ChangeRuleExamplesTests {
    static let examples: [RuleExample] = RuleExample.all(of: ChangeRuleRegistry.all.map { $0.description })

    @Test(arguments: examples)
    func example(_ example: RuleExample) throws {
        let rule = try #require(ChangeRuleRegistry.rule(example.rule))
        let deployedText = try #require(rule.description.deployedExample, "a change rule names its deployed template")
        let deployed = try #require(TemplateReader.read(Array(deployedText.utf8), file: "deployed.yaml").template)
        let (text, marks) = example.template
        let local = try #require(TemplateReader.read(Array(text.utf8), file: "local.yaml").template, "the example does not parse")
        var diff = TemplateDiff(local: local, deployed: DeployedStack(template: deployed), registry: .shared)
        diff.localFile = "local.yaml"
        let findings = diff.run().findings.filter { $0.ruleID == example.rule }
        if example.triggering {
            #expect(!marks.isEmpty, "a triggering example needs ↓ marks")
            #expect(Set(findings.map(\.location)) == Set(marks), "findings at \(findings.map { "\($0.location) \($0.message)" }), marks at \(marks)")
        } else {
            #expect(findings.isEmpty, "\(findings.map(\.text))")
        }
    }

    @Test func changeRulesDoNotShareIDsWithLintRules() {
        let lintIDs = Set(RuleRegistry.all.map { $0.description.id })
        for rule in ChangeRuleRegistry.all {
            #expect(!lintIDs.contains(rule.description.id))
            #expect(rule.description.rationale.count > 40)
        }
    }
}
