import Formwork
import FormworkSNS
import FormworkTemplate
import Testing

/// One finding, one line: a system's stacks in several regions make the same Swift line's
/// finding once each; synth labels it with the system, stacks and regions, once.
@Suite struct SystemFindingsTests {
    /// A topic nobody subscribes to (SN-02, a warning), written once for every region.
    static func lonelyTopic() -> Stack {
        let stack = Stack(description: "a topic")
        let suffix = stack.parameter("EnvironmentSuffix", .string(allowedPattern: "^[a-z0-9-]+$", maxLength: 12))
        stack.add("Topic", SNS.Topic {
            $0.kmsMasterKeyId = "alias/aws/sns"
            $0.tags = .tags(["Environment": suffix.ref])
            $0.topicName = "alerts-\(suffix)"
        })
        return stack
    }

    static func system(regions: [String]) -> System {
        System(name: "paired", profile: TinyApp.profile,
               deployment: Deployment(stacks: regions.map { .init(role: $0, region: $0, stackName: "paired-\($0)") },
                                      steps: regions.map { .init(role: $0, inputs: [], why: "each") })) {
            regions.map { AppStack(file: "TapStack.\($0)", region: $0, role: $0, stack: lonelyTopic()) }
        }
    }

    @Test func aFindingOfEveryRegionIsPrintedOnceWithTheRegions() throws {
        let result = Synthesizer.compile(Self.system(regions: ["us-east-1", "us-west-2"]))
        let lonely = result.warnings.filter { $0.ruleID == "SN-02" }
        try #require(lonely.count == 1, "\(result.warnings.map(\.text))")
        #expect(lonely[0].message.hasSuffix("[system paired, stacks TapStack.us-east-1, TapStack.us-west-2, regions us-east-1, us-west-2]"), "\(lonely[0].message)")
        #expect(lonely[0].file?.hasSuffix("SystemFindingsTests.swift") == true)
    }

    @Test func aFindingOfOneStackNamesItsStackAndRegion() throws {
        let system = System(name: "mixed", profile: TinyApp.profile,
                            deployment: Deployment(stacks: [.init(role: "a", region: "eu-west-1", stackName: "a"), .init(role: "b", region: "eu-west-2", stackName: "b")],
                                                   steps: [.init(role: "a", inputs: [], why: "first"), .init(role: "b", inputs: [], why: "second")])) {
            [AppStack(file: "A", region: "eu-west-1", role: "a", stack: Self.lonelyTopic()), AppStack(file: "B", region: "eu-west-2", role: "b", stack: topicStack())]
        }
        let lonely = Synthesizer.compile(system).warnings.filter { $0.ruleID == "SN-02" }
        try #require(lonely.count == 1)
        #expect(lonely[0].message.hasSuffix("[system mixed, stack A, region eu-west-1]"), "\(lonely[0].message)")
    }

    @Test func aSingleStackSystemIsNotLabelled() {
        let system = System(name: "single", profile: TinyApp.profile, file: "Alerts") { Self.lonelyTopic() }
        let lonely = Synthesizer.compile(system).warnings.filter { $0.ruleID == "SN-02" }
        #expect(lonely.count == 1)
        #expect(lonely.allSatisfy { !$0.message.contains("[system") })
    }
}
