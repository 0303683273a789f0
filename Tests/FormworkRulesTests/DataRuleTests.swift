import Foundation
import FormworkRuleKit
import FormworkRules
import FormworkSchemaData
import FormworkTemplate
import Testing

/// `.formwork.yml`'s `rules: custom:`: the team's rules as data.
@Suite struct DataRuleTests {
    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-data-rules-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Lints `template` beside a `.formwork.yml` of `config`; the findings as text.
    func lint(config: String, template: String) throws -> [String] {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try config.write(toFile: root + "/.formwork.yml", atomically: true, encoding: .utf8)
        try template.write(toFile: root + "/t.yaml", atomically: true, encoding: .utf8)
        let report = LintJob.run(paths: [root + "/t.yaml"], profile: nil, registry: .shared)
        return report.diagnostics.filter { $0.ruleID.group == "ORD" || $0.ruleID == "CF-01" }.map { diagnostic in
            "\(diagnostic.location.line):\(diagnostic.location.column) \(diagnostic.severity.rawValue) \(diagnostic.ruleID) \(diagnostic.message)"
        }
    }

    static let config = """
    rules:
      custom:
        - {id: ORD-01, resourceTypes: AWS::SQS::Queue, property: MessageRetentionPeriod, operator: at least, value: 86400, severity: error}
        - {id: ORD-02, resourceTypes: 'AWS::SQS::*', property: 'Tags[*].Key', operator: in, value: [Team, Environment]}
        - {id: ORD-03, resourceTypes: [AWS::SNS::Topic], property: KmsMasterKeyId, operator: exists, message: topics are encrypted}
        - {id: ORD-04, resourceTypes: AWS::SNS::Topic, property: TopicName, operator: matches, value: '^orders-'}
        - {id: ORD-05, resourceTypes: AWS::SQS::Queue, property: QueueName, operator: not equals, value: orders}
        - {id: ORD-06, resourceTypes: AWS::SQS::Queue, property: FifoQueue, operator: absent}
        - {id: ORD-07, resourceTypes: AWS::SQS::Queue, property: RedrivePolicy.maxReceiveCount, operator: at most, value: 5}
        - {id: ORD-08, resourceTypes: AWS::SNS::Topic, property: DisplayName, operator: contains, value: orders}
        - {id: ORD-09, resourceTypes: AWS::SNS::Topic, property: FifoTopic, operator: equals, value: false}
        - {id: ORD-10, resourceTypes: AWS::SQS::Queue, property: Tags.*.Value, operator: not in, value: [TODO]}
      severity: {ORD-02: info}

    """

    static let template = """
    Parameters:
      Retention: {Type: Number, AllowedValues: [60, 86400]}
    Conditions:
      Fifo: !Equals [!Ref AWS::Region, us-east-1]
    Resources:
      Orders:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: !Ref Retention
          QueueName: orders
          FifoQueue: !If [Fifo, true, !Ref AWS::NoValue]
          RedrivePolicy: {deadLetterTargetArn: arn, maxReceiveCount: 10}
          Tags: [{Key: Team, Value: orders}, {Key: Owner, Value: TODO}]
      Alerts:
        Type: AWS::SNS::Topic
        Properties:
          TopicName: alerts
          DisplayName: orders alarms
          FifoTopic: true

    """

    @Test func everyOperatorOnEveryValueAtTheValue() throws {
        let found = try lint(config: Self.config, template: Self.template)
        #expect(found == [
            "2:45 error ORD-01 Orders's Properties.MessageRetentionPeriod is '60'; it must be at least '86400' (parameter Retention AllowedValues)",
            "10:18 warning ORD-05 Orders's Properties.QueueName is 'orders'; it must not equal 'orders'",
            "11:29 warning ORD-06 Orders's Properties.FifoQueue is 'true'; it must not be set",
            "12:66 warning ORD-07 Orders's Properties.RedrivePolicy.maxReceiveCount is '10'; it must be at most '5'",
            "13:48 info ORD-02 Orders's Properties.Tags.1.Key is 'Owner'; it must be one of ['Team', 'Environment']",
            "13:62 warning ORD-10 Orders's Properties.Tags.1.Value is 'TODO'; it must not be one of ['TODO']",
            "14:3 warning ORD-03 topics are encrypted: Alerts has no Properties.KmsMasterKeyId",
            "17:18 warning ORD-04 Alerts's Properties.TopicName is 'alerts'; it must match '^orders-'",
            "19:18 warning ORD-09 Alerts's Properties.FifoTopic is 'true'; it must equal 'false'",
        ], "\(found.joined(separator: "\n"))")
    }

    @Test func suppressionsAndProfilesNameDataRules() throws {
        let config = Self.config + "profiles:\n  quiet:\n    rules: {disable: [ORD-01, ORD-02, ORD-03, ORD-04, ORD-05, ORD-06, ORD-07, ORD-09, ORD-10]}\n"
        let suppressed = Self.template.replacingOccurrences(of: "  Alerts:\n    Type: AWS::SNS::Topic\n",
                                                            with: "  Alerts:\n    Type: AWS::SNS::Topic\n    Metadata: {formwork: {ignore: [{rule: ORD-04, reason: the legacy name stays}]}}\n")
        let found = try lint(config: config, template: suppressed)
        #expect(!found.contains { $0.contains("ORD-04") } && found.contains { $0.contains("ORD-03") })
        let quiet = try lint(config: config, template: "Metadata: {formwork: {profile: quiet}}\n" + Self.template)
        #expect(quiet == [], "\(quiet)")
    }

    @Test func badRulesAreLocated() throws {
        let config = """
        rules:
          custom:
            - {id: LC-77, resourceTypes: AWS::SQS::Queue, property: A, operator: exists}
            - {id: ORD-01, resourceTypes: Queue, property: A, operator: exists}
            - {id: ORD-02, resourceTypes: AWS::SQS::Queue, property: 'A..B', operator: exists}
            - {id: ORD-03, resourceTypes: AWS::SQS::Queue, property: A, operator: bigger, value: 1}
            - {id: ORD-04, resourceTypes: AWS::SQS::Queue, property: A, operator: in, value: x}
            - {id: ORD-05, resourceTypes: AWS::SQS::Queue, property: A, operator: matches, value: '(a)\\1'}
            - {id: ORD-06, resourceTypes: AWS::SQS::Queue, property: A, operator: exists, severity: loud}
            - {id: ORD-07, resourceTypes: AWS::SQS::Queue, property: A, operator: at least}
            - {id: ORD-08, resourceTypes: AWS::SQS::Queue, property: A, operator: exists, colour: red}
            - {id: ORD-09, resourceTypes: AWS::SQS::Queue, property: A, operator: exists}
            - {id: ORD-09, resourceTypes: AWS::SQS::Queue, property: B, operator: exists}

        """
        let found = try lint(config: config, template: "Resources: {}\n")
        #expect(found.map { String($0.prefix { $0 != " " }) } == ["3:12", "4:35", "5:62", "6:75", "7:86", "8:91", "9:93", "10:75", "11:83", "13:12"], "\(found.joined(separator: "\n"))")
        #expect(found.allSatisfy { $0.contains("error CF-01") })
    }
}
