import Foundation
import Formwork
import FormworkTemplate
import FormworkRuleKit
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

@Suite struct AppRunnerTests {
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
