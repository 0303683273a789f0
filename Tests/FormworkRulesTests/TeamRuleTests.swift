import FormworkRuleKit
import FormworkRules
import FormworkRuleTesting
import FormworkSchemaData
import FormworkTemplate
import Testing

/// A team's rule as a team writes it: every value the property can take (through parameters
/// and Fn::If), reported at the value.
struct QueueRetention: Rule {
    static let description = RuleDescription(
        id: "ORD-01", name: "queue-retention", family: .team, severity: .warning,
        rationale: "The orders team replays a day of messages after an incident: every queue keeps its messages at least a day (MessageRetentionPeriod of 86400 seconds or more).",
        triggering: [
            "Parameters:\n  Retention: {Type: Number, AllowedValues: [↓60, 86400]}\nResources:\n  Orders:\n    Type: AWS::SQS::Queue\n    Properties:\n      MessageRetentionPeriod: !Ref Retention\n  ↓Refunds:\n    Type: AWS::SQS::Queue\n",
        ],
        nonTriggering: [
            "Resources:\n  Orders:\n    Type: AWS::SQS::Queue\n    Properties:\n      MessageRetentionPeriod: 345600\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for queue in template.resources where queue.type == "AWS::SQS::Queue" {
            let path: [PathComponent] = [.key("Resources"), .key(queue.logicalID), .key("Properties"), .key("MessageRetentionPeriod")]
            for candidate in context.values.candidates(queue.properties?["MessageRetentionPeriod"]) {
                switch candidate {
                case .absent:
                    context.report("\(queue.logicalID) keeps messages 4 days by default; set MessageRetentionPeriod", at: queue.keyLocation, path: Array(path.prefix(2)))
                case .literal(let value, _):
                    if let seconds = value.scalarText.flatMap(Int.init), seconds < 86_400 {
                        context.report("\(queue.logicalID) keeps messages \(seconds) s, less than a day", at: value.location, path: path)
                    }
                case .unresolved:
                    continue
                }
            }
        }
    }
}

/// The same rule with a wrong mark: the helper must say so.
struct MisplacedMark: Rule {
    static let description: RuleDescription = {
        var description = QueueRetention.description
        description.id = "ORD-02"
        description.triggeringExamples = ["Resources:\n  Orders:\n    Type: AWS::SQS::Queue\n    Properties:\n      MessageRetentionPeriod: 60↓\n"]
        return description
    }()

    func check(_ template: Template, _ context: RuleContext) { QueueRetention().check(template, context) }
}

/// A rule in Formwork's own namespace: refused.
struct BorrowedNamespace: Rule {
    static let description: RuleDescription = {
        var description = QueueRetention.description
        description.id = "LC-99"
        return description
    }()

    func check(_ template: Template, _ context: RuleContext) {}
}

@Suite struct TeamRuleTests {
    @Test func theHelperVerifiesATeamRulesExamples() {
        #expect(RuleExamples.failures(of: QueueRetention.self) == [])
        #expect(RuleExamples.failures(of: QueueRetention()) == [])
    }

    @Test func theHelperFailsAMisplacedMark() {
        let failures = RuleExamples.failures(of: MisplacedMark.self)
        #expect(failures.count == 1 && failures[0].contains("ORD-02 triggering #1: findings at"), "\(failures)")
    }

    @Test func aTeamRuleNeedsItsOwnNamespace() {
        #expect(RuleExamples.failures(of: BorrowedNamespace.self).contains { $0.contains("Formwork's own") })
        #expect(TeamRuleIDs.problem(with: "ACME-S3-01") == nil)
        #expect(TeamRuleIDs.problem(with: "acme") != nil)
        #expect(TeamRuleIDs.problem(with: "RDS-40") != nil)
        #expect(TeamRuleIDs.problem(with: [QueueRetention.description, QueueRetention.description]) == "two team rules have the id ORD-01")
    }

    @Test func aProfileRunsItsTeamRulesUnderEveryProfileAndSuppressionsNameThem() throws {
        let text = """
        Resources:
          Orders:
            Type: AWS::SQS::Queue
            Properties:
              MessageRetentionPeriod: 120
          Refunds:
            Type: AWS::SQS::Queue
            Metadata:
              formwork:
                ignore: [{rule: ORD, reason: refunds are replayed from the ledger}]

        """
        let template = try #require(TemplateReader.read(Array(text.utf8), file: "t.yaml").template)
        for base in [Profile.ephemeral, .structural, .production] {
            var profile = base
            profile.add([QueueRetention()])
            let findings = Linter(registry: .shared).lint(template, file: "t.yaml", configuration: profile).filter { $0.ruleID == "ORD-01" || $0.ruleID == "SP-01" }
            #expect(findings.map(\.text) == ["t.yaml:5:31: warning: Orders keeps messages 120 s, less than a day [ORD-01]"], "\(base.name)")
            profile.setEnabled(false, ["ORD-01"])
            #expect(Linter(registry: .shared).lint(template, file: "t.yaml", configuration: profile).filter { $0.ruleID == "ORD-01" }.isEmpty)
        }
    }
}
