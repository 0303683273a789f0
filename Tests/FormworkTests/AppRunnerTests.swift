import Foundation
import Formwork
import FormworkTemplate
import FormworkRuleKit
import FormworkRuleTesting
import FormworkSNS
import Testing

/// A user's app in miniature: two systems, one of them in two regions with a manifest,
/// through the verbs `swift run <App> ...` gives.
struct TinyApp: FormworkApp {
    static let profile: Profile = {
        var profile = Profile(name: "tiny", basedOn: .ephemeral)
        profile.tagging.requiredTags = [("Environment", .intrinsic("Ref", .string("EnvironmentSuffix")))]
        return profile
    }()

    var systems: [System] {
        [
            System(name: "alerts", summary: "one topic", profile: Self.profile, file: "Alerts") { topicStack() },
            System(name: "paired", summary: "two regions", profile: Self.profile,
                   deployment: Deployment(stacks: [.init(role: "east", region: "us-east-1", stackName: "paired-east", file: "East"),
                                                   .init(role: "west", region: "us-west-2", stackName: "paired-west", file: "West")],
                                          steps: [.init(role: "east", inputs: [], why: "first"), .init(role: "west", inputs: [], why: "second")])) {
                [AppStack(file: "East", region: "us-east-1", role: "east", stack: topicStack()),
                 AppStack(file: "West", region: "us-west-2", role: "west", stack: topicStack())]
            },
        ]
    }
}

func topicStack() -> Stack {
    let stack = Stack(description: "a topic")
    let suffix = stack.parameter("EnvironmentSuffix", .string(allowedPattern: "^[a-z0-9-]+$", maxLength: 12))
    let email = stack.parameter("AlertEmail", .string())
    let topic = stack.add("Topic", SNS.Topic {
        $0.kmsMasterKeyId = "alias/aws/sns"
        $0.tags = .tags(["Environment": suffix.ref])
        $0.topicName = "alerts-\(suffix)"
    })
    stack.add("Mail", SNS.Subscription(protocol: "email", topicArn: topic.ref) { $0.endpoint = email.ref })
    return stack
}

/// A team's own rule, in Swift: every topic has a DisplayName (what an email's sender shows).
struct TopicDisplayNames: Rule {
    static let description = RuleDescription(
        id: "ORD-10", name: "topic-display-names", family: .team, severity: .warning,
        rationale: "An alarm mail's sender is the topic's DisplayName: without one, the on-call engineer sees an address that does not say which team's alarm it is.",
        triggering: ["Resources:\n  ↓Alerts:\n    Type: AWS::SNS::Topic\n"],
        nonTriggering: ["Resources:\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: orders alarms\n"])

    func check(_ template: Template, _ context: RuleContext) {
        for topic in template.resources where topic.type == "AWS::SNS::Topic" && topic.properties?["DisplayName"] == nil {
            context.report("\(topic.logicalID) has no DisplayName", at: topic.keyLocation, path: [.key("Resources"), .key(topic.logicalID)])
        }
    }
}

/// TinyApp with the team's rule.
struct TeamRuleApp: FormworkApp {
    var systems: [System] { TinyApp().systems }
    var rules: [any Rule] { [TopicDisplayNames()] }
}

/// An app whose rule borrows Formwork's namespace.
struct BorrowingApp: FormworkApp {
    struct Borrowed: Rule {
        static let description = RuleDescription(id: "SN-99", name: "borrowed", family: .team, severity: .warning,
                                                 rationale: "a rule in Formwork's own namespace, which the app refuses to run", triggering: [], nonTriggering: [])
        func check(_ template: Template, _ context: RuleContext) {}
    }
    var systems: [System] { TinyApp().systems }
    var rules: [any Rule] { [Borrowed()] }
}

@Suite struct AppRunnerTests {
    @Test func anAppsOwnRulesRunInSynthLintAndCheck() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-app-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plain = AppRunner(TinyApp()), team = AppRunner(TeamRuleApp())
        let (results, failed) = team.compile(["alerts"], format: .yaml)
        #expect(failed == nil)
        let warnings = results.flatMap(\.warnings).filter { $0.ruleID == "ORD-10" }
        // At the Swift line that added the topic (topicStack's `stack.add("Topic", ...)`).
        #expect(warnings.count == 1 && warnings[0].location.line == 36 && warnings[0].file?.hasSuffix("AppRunnerTests.swift") == true, "\(warnings.map(\.text))")
        #expect(plain.compile(["alerts"], format: .yaml).results.flatMap(\.warnings).allSatisfy { $0.ruleID != "ORD-10" })
        #expect(plain.run(["synth", "--out", folder]) == 0)
        #expect(plain.run(["check", "--templates", folder]) == 0)
        #expect(team.run(["check", "--templates", folder]) == 1, "the team's rule finds the topics")
        #expect(plain.run(["lint", "\(folder)/alerts"]) == 0)
        #expect(team.run(["lint", "\(folder)/alerts"]) == 4, "cfn-lint's bitmask: warnings")
        #expect(team.run(["lint", "--fail-on", "error", "\(folder)/alerts"]) == 0)
        #expect(AppRunner(BorrowingApp()).run(["list"]) == 64)
        #expect(RuleExamples.failures(of: TopicDisplayNames()) == [])
    }

    @Test func synthWritesWhatCheckThenAccepts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-app-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runner = AppRunner(TinyApp())
        #expect(runner.run(["synth", "--out", folder]) == 0)
        for file in ["alerts/Alerts.yml", "alerts/Alerts.json", "paired/East.yml", "paired/West.json", "paired/manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(file)"), "\(file) is not written")
        }
        let manifest = try String(contentsOfFile: "\(folder)/paired/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"template\": \"East.yml\""))
        #expect(runner.run(["check", "--templates", folder]) == 0)
        try "# hand edit\n".write(toFile: "\(folder)/alerts/Alerts.yml", atomically: true, encoding: .utf8)
        #expect(runner.run(["check", "--templates", folder]) == 1)
        #expect(runner.run(["lint", "\(folder)/paired"]) == 0)
        #expect(runner.run(["list"]) == 0)
    }

    @Test func usageErrorsAre64() {
        let runner = AppRunner(TinyApp())
        #expect(runner.run([]) == 64)
        #expect(runner.run(["deploy"]) == 64)
        #expect(runner.run(["synth", "nosuchsystem"]) == 64)
        #expect(runner.run(["synth", "--format", "xml"]) == 64)
        #expect(runner.run(["synth", "--bogus"]) == 64)
        #expect(runner.run(["diff", "paired", "x.json"]) == 64, "a system of two stacks needs SYSTEM/FILE")
        #expect(runner.run(["lint", "--fail-on", "sometimes"]) == 64)
    }

    @Test func diffComparesTheCompiledStack() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-app-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runner = AppRunner(TinyApp())
        #expect(runner.run(["synth", "alerts", "--out", folder]) == 0)
        #expect(runner.run(["diff", "alerts", "\(folder)/alerts/Alerts.json"]) == 0)
        #expect(runner.run(["diff", "paired/East", "\(folder)/alerts/Alerts.json"]) == 0)
        #expect(runner.run(["diff", "alerts", "\(folder)/missing.json"]) == 2)
    }
}
