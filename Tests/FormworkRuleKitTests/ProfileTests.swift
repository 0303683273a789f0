import FormworkRuleKit
import FormworkTemplate
import Testing

/// A family's settings as the kit stores them: defaults until set, one value per type.
private struct ExampleSettings: RuleSettings, Equatable {
    var limit = 3
    static let keys = ["exampleLimit"]
    static func read(_ key: String, _ value: Node, into profile: inout Profile) throws(SettingProblem) {
        guard let number = value.numberValue, number >= 0 else { throw SettingProblem("exampleLimit must be a number", at: value) }
        profile[settings: ExampleSettings.self].limit = Int(number)
    }
    static func written(_ profile: Profile) -> [(key: String, value: Node)] {
        [("exampleLimit", .number(String(profile[settings: ExampleSettings.self].limit)))]
    }
}

private struct ExampleRule: Rule {
    static let description = RuleDescription(id: "EX-01", name: "example", family: .hygiene, severity: .warning,
                                             rationale: "An example.", triggering: [], nonTriggering: [])
    func check(_ template: Template, _ context: RuleContext) {}
}

@Suite struct ProfileTests {
    @Test func settingsAreTheFamilysDefaultsUntilSet() throws {
        var profile = Profile(name: "team")
        #expect(profile[settings: ExampleSettings.self].limit == 3)
        profile[settings: ExampleSettings.self].limit = 7
        #expect(profile[settings: ExampleSettings.self].limit == 7)
        let copy = Profile(name: "copy", basedOn: profile)
        #expect(copy[settings: ExampleSettings.self].limit == 7 && copy.basedOn == "team")
        try ExampleSettings.read("exampleLimit", .number("9"), into: &profile)
        #expect(ExampleSettings.written(profile).first?.value.scalarText == "9")
        #expect(throws: SettingProblem.self) { try ExampleSettings.read("exampleLimit", .string("x"), into: &profile) }
    }

    @Test func disabledFamiliesKeepTheRulesEnabledByName() {
        var profile = Profile(name: "only-structure")
        let rule = ExampleRule.description
        #expect(profile.isEnabled(rule))
        profile.disabledFamilies = [.hygiene]
        #expect(!profile.isEnabled(rule))
        profile.setEnabled(true, [rule.id])
        #expect(profile.isEnabled(rule))
        profile.setEnabled(false, [rule.id])
        #expect(!profile.isEnabled(rule) && profile.disabledRules.contains(rule.id))
    }

    @Test func severityOverridesWin() {
        var profile = Profile(name: "team")
        #expect(profile.severity(for: ExampleRule.description) == .warning)
        profile.severityOverrides["EX-01"] = .error
        #expect(profile.severity(for: ExampleRule.description) == .error)
    }
}

/// What rules share is computed once per template, and findings carry the profile's severity.
@Suite struct RuleContextTests {
    private final class Counter: @unchecked Sendable { var count = 0 }
    private enum CountedKey: RuleContextKey {
        nonisolated(unsafe) static var counter = Counter()
        static func value(in context: RuleContext) -> Int {
            counter.count += 1
            return context.template.resources.count
        }
    }

    @Test func aMemoIsComputedOnce() throws {
        let template = try #require(TemplateReader.read(Array("Resources:\n  A:\n    Type: AWS::SNS::Topic\n".utf8), file: "t.yaml").template)
        let context = RuleContext(file: "t.yaml", template: template, configuration: Profile(name: "p"))
        CountedKey.counter = Counter()
        #expect(context.memo(CountedKey.self) == 1)
        #expect(context.memo(CountedKey.self) == 1)
        #expect(CountedKey.counter.count == 1)
    }

    @Test func findingsTakeTheProfilesSeverity() throws {
        let template = try #require(TemplateReader.read(Array("Resources:\n  A:\n    Type: AWS::SNS::Topic\n".utf8), file: "t.yaml").template)
        var profile = Profile(name: "p")
        profile.severityOverrides["EX-01"] = .info
        let context = RuleContext(file: "t.yaml", template: template, configuration: profile)
        context.report("outside a rule", at: Location(line: 2, column: 3), path: [])
        #expect(context.findings.isEmpty, "nothing is reported outside a running rule")
        context.begin(ExampleRule.description)
        context.report("a finding", at: Location(line: 2, column: 3), path: [.key("Resources")], severity: .error)
        #expect(context.findings.map(\.severity) == [.info])
        #expect(context.findings.first?.location == Location(line: 2, column: 3))
    }
}
