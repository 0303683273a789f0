import FormworkRules
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate
import Testing

/// Every example of every rule (SwiftLint's way): a triggering example must give findings of
/// its rule exactly at the `↓` marks; a non-triggering one must give none.
@Suite struct RuleExamplesTests {
    struct Example: CustomTestStringConvertible, Sendable {
        var rule: String
        var index: Int
        var triggering: Bool
        var text: String
        var testDescription: String { "\(rule) \(triggering ? "triggering" : "non-triggering") #\(index + 1)" }
    }

    static let examples: [Example] = RuleRegistry.all.flatMap { rule -> [Example] in
        let description = rule.description
        return description.triggeringExamples.enumerated().map { Example(rule: description.id, index: $0.offset, triggering: true, text: $0.element) }
            + description.nonTriggeringExamples.enumerated().map { Example(rule: description.id, index: $0.offset, triggering: false, text: $0.element) }
    }

    /// The template without its marks, and the marks' places.
    static func strip(_ text: String) -> (String, [Location]) {
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

    @Test(arguments: examples)
    func example(_ example: Example) throws {
        let (text, marks) = Self.strip(example.text)
        let template = try #require(TemplateReader.read(Array(text.utf8), file: "example.yaml").template, "the example does not parse")
        let rule = try #require(RuleRegistry.rule(example.rule))
        let linter = Linter(registry: .shared, rules: [rule])
        // An example may name its profile in its Metadata, as any template does.
        let profile = Linter.declaredProfile(template) ?? "ephemeral"
        let configuration = try #require(LintConfiguration.builtIn(profile), "unknown profile \(profile)")
        let findings = linter.lint(template, file: "example.yaml", configuration: configuration)
            .filter { $0.ruleID == example.rule }
        if example.triggering {
            #expect(!marks.isEmpty, "a triggering example needs ↓ marks")
            #expect(Set(findings.map(\.location)) == Set(marks), "findings at \(findings.map { "\($0.location) \($0.message)" }), marks at \(marks)")
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
