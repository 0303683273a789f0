import FormworkRuleKit
import FormworkRules
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate
import Testing

/// Rules that agree: doing what one rule's hint says must not raise another rule's finding
/// at the same resource (LC-06 asked for a DependsOn that TP-04 then called obsolete).
@Suite struct RuleAgreementTests {
    /// A finding's hint as an edit of the template, where it is one: `Key: value` (a
    /// property of the finding's object, or a resource attribute), `use Delete` on a policy.
    static func apply(_ finding: Diagnostic, to template: Template) -> Template? {
        guard let hint = finding.hint, finding.path.count >= 2, finding.path[0] == .key("Resources"), case .key(let id) = finding.path[1],
              var body = template.root["Resources"]?.objectValue?[id]?.objectValue else { return nil }
        var text = Substring(hint)
        for verb in ["write ", "set "] where text.hasPrefix(verb) { text = text.dropFirst(verb.count) }
        let key: String, value: Node
        if text.hasPrefix("use "), finding.path.count == 3, case .key(let attribute) = finding.path[2], attribute.hasSuffix("Policy") {
            key = attribute
            value = Node(.string(String(text.dropFirst(4))))
        } else {
            guard let colon = text.firstIndex(of: ":"), text[..<colon].allSatisfy({ $0.isLetter || $0.isNumber }), text.first?.isUppercase == true,
                  let parsed = TemplateReader.readData(Array(("value: " + text[text.index(after: colon)...]).utf8)), let read = parsed.objectValue?["value"] else { return nil }
            // Prose after the value (`60 with MonitoringRoleArn`) is no assignment.
            if let words = read.stringValue, words.contains(" "), !text[text.index(after: colon)...].contains("'") { return nil }
            key = String(text[..<colon])
            value = read
        }
        switch key {
        case "DependsOn":
            var names = body["DependsOn"].map { $0.arrayValue ?? [$0] } ?? []
            names.append(value)
            body.set("DependsOn", Node(.array(names)))
        case "DeletionPolicy", "UpdateReplacePolicy", "Condition":
            body.set(key, value)
        default:
            // The property at the finding's path, or a property of the resource it names.
            var properties = body["Properties"]?.objectValue ?? ObjectMap()
            if finding.path.count == 2 || finding.path == [finding.path[0], finding.path[1], .key("Properties")] || finding.path.last == .key(key) && finding.path.count == 4 {
                properties.set(key, value)
            } else {
                return nil
            }
            body.set("Properties", Node(.object(properties)))
        }
        var root = template.root
        var resources = root["Resources"]?.objectValue ?? ObjectMap()
        resources.set(id, Node(.object(body)))
        root.set("Resources", Node(.object(resources)))
        return Template(root: root)
    }

    static let applicable: [RuleExample] = RuleExample.all(of: RuleRegistry.all.map { $0.description }).filter { $0.triggering && $0.rule != "ST-00" }

    @Test(arguments: applicable)
    func applyingAHintRaisesNoOtherRuleThere(_ example: RuleExample) throws {
        let template = try #require(TemplateReader.read(Array(example.template.text.utf8), file: "example.yaml").template)
        let configuration = try Profile.resolve(for: template, file: "example.yaml", explicit: nil, configuration: nil, profiles: .builtIn).get()
        let linter = Linter(registry: .shared)
        let before = linter.lint(template, file: "example.yaml", configuration: configuration)
        for finding in before where finding.ruleID == example.rule {
            guard let fixed = Self.apply(finding, to: template) else { continue }
            let resource = finding.path[1]
            func others(_ findings: [Diagnostic]) -> Set<String> {
                Set(findings.filter { $0.ruleID != example.rule && $0.path.count >= 2 && $0.path[1] == resource }.map { "\($0.ruleID) \($0.path.map(\.description).joined(separator: "/"))" })
            }
            let after = linter.lint(fixed, file: "example.yaml", configuration: configuration)
            // A hint names a resource the example does not have (`!Ref AlertTopic`): the
            // references it leaves dangling (ST-09 to ST-11) are the example's, not a conflict.
            let raised = others(after).subtracting(others(before)).filter { !["ST-09", "ST-10", "ST-11"].contains($0.prefix(5)) }
            #expect(raised.isEmpty, "\(example): applying `\(finding.hint ?? "")` raised \(raised.sorted())")
        }
    }

    /// LC-06 and TP-04: a function that names its log group in LoggingConfig is ordered after
    /// it already; LC-06 does not ask for a DependsOn that TP-04 would call obsolete.
    @Test func aReferencedLogGroupNeedsNoDependsOn() throws {
        let text = "Resources:\n  Worker:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: worker\n      LoggingConfig:\n        LogGroup: !Ref WorkerLogs\n  WorkerLogs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: /aws/lambda/worker\n      RetentionInDays: 7\n"
        let template = try #require(TemplateReader.read(Array(text.utf8), file: "t.yaml").template)
        let findings = Linter(registry: .shared).lint(template, file: "t.yaml", configuration: .ephemeral)
        #expect(!findings.contains { $0.ruleID == "LC-06" || $0.ruleID == "TP-04" }, "\(findings.map(\.text))")
    }

    /// A parameter and a resource of one name: ST-50 says so; it is no cycle of the resource
    /// with itself.
    @Test func aParameterAndAResourceOfOneNameAreNotACycle() throws {
        let text = "Parameters:\n  Alerts:\n    Type: String\nResources:\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref Alerts\n"
        let template = try #require(TemplateReader.read(Array(text.utf8), file: "t.yaml").template)
        let findings = Linter(registry: .shared).lint(template, file: "t.yaml", configuration: .structural)
        #expect(!findings.contains { $0.ruleID == "ST-13" }, "\(findings.map(\.text))")
        #expect(findings.contains { $0.ruleID == "ST-50" })
    }

    /// RDS-21 reports an Aurora member's own storage settings; ST-23 does not repeat them in
    /// JSON-Schema words (cfn-lint E3682).
    @Test func anAuroraMemberIsJudgedOnce() throws {
        let text = "Resources:\n  Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-postgresql\n  Member:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: !Ref Cluster\n      Engine: aurora-postgresql\n      DBInstanceClass: db.r6g.large\n      AllocatedStorage: '20'\n"
        let template = try #require(TemplateReader.read(Array(text.utf8), file: "t.yaml").template)
        let findings = Linter(registry: .shared).lint(template, file: "t.yaml", configuration: .ephemeral)
        #expect(findings.contains { $0.ruleID == "RDS-21" && $0.message.contains("AllocatedStorage") })
        #expect(!findings.contains { $0.ruleID == "ST-23" && $0.path.contains(.key("Member")) }, "\(findings.map(\.text))")
    }

    /// A profile made from a team profile made from production is written as production-based.
    @Test func aProductionBasedProfileIsWrittenAsOne() throws {
        let team = Profile(name: "team", basedOn: .production)
        let payments = Profile(name: "payments", basedOn: team)
        var renamed = Profile.production
        renamed.name = "orders"
        let document = ConfigurationFile.document(profiles: [team, payments, renamed, Profile(name: "plain")])
        let profiles = try #require(document.objectValue?["profiles"]?.objectValue)
        #expect(profiles["team"]?.objectValue?["basedOn"]?.stringValue == "production")
        #expect(profiles["payments"]?.objectValue?["basedOn"]?.stringValue == "production")
        #expect(profiles["orders"]?.objectValue?["basedOn"]?.stringValue == "production")
        #expect(profiles["plain"]?.objectValue?["basedOn"]?.stringValue == "ephemeral")
    }
}
