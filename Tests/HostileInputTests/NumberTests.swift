import Foundation
import FormworkRules
import FormworkTemplate
import Testing

/// Class 1: numbers that do not fit an `Int` (infinities, NaN, 1e999, 20 digits) wherever a
/// template has a number, in every template the project knows.
@Suite struct NumberTests {
    static let hostile = [".inf", "-.inf", ".nan", "1e999", "99999999999999999999", "-99999999999999999999", "'1e999'", "1.7976931348623157e309"]

    /// Every number of the template (a plain scalar after `: ` or `- `) replaced by `literal`.
    static func replacingNumbers(_ text: String, with literal: String) -> String {
        let pattern = try! NSRegularExpression(pattern: #"(?m)^(\s*(?:-\s+|[A-Za-z0-9_:-]+:\s+))-?[0-9]+(\.[0-9]+)?\s*$"#)
        return pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1" + NSRegularExpression.escapedTemplate(for: literal))
    }

    @Test(arguments: Pipeline.bases)
    func everyNumberHostileAtOnce(_ base: String) throws {
        let text = try Pipeline.text(base)
        let original = try #require(TemplateReader.read(Array(text.utf8), file: base).template)
        for literal in Self.hostile {
            let mutated = Self.replacingNumbers(text, with: literal)
            #expect(mutated != text, "\(base) has no number to replace")
            let outcome = Pipeline.run(mutated, file: base, against: original)
            #expect(outcome.read.template != nil, "\(base) with \(literal): \(outcome.read.diagnostics.map(\.text))")
            #expect(outcome.findings.allSatisfy { $0.location.isKnown }, "\(base) with \(literal): an unlocated finding")
            for (format, result) in outcome.formatted {
                if case .failure(let error) = result { Issue.record("\(base) with \(literal): \(format) does not format: \(error)") }
            }
        }
    }

    /// The classes' own examples, each a small template.
    @Test(arguments: [
        "Parameters:\n  EnvironmentSuffix:\n    Type: String\n    MaxLength: .inf\n    AllowedPattern: '^[a-z]+$'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub 'a-${EnvironmentSuffix}'\n",
        "Resources:\n  D:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Port: .inf\n      BackupRetentionPeriod: .nan\n      DBInstanceClass: db.t3.micro\n      Engine: postgres\n",
        "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n      - {IpProtocol: tcp, FromPort: 1e999, ToPort: 99999999999999999999, CidrIp: 0.0.0.0/0}\n",
        "Resources:\n  A:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      EvaluationPeriods: .inf\n      DatapointsToAlarm: .nan\n      Period: -.inf\n      Threshold: 1e999\n",
        "Outputs:\n  O:\n    Value: !Select [1e999, [a, b]]\nResources:\n  T:\n    Type: AWS::SNS::Topic\n",
    ])
    func smallExamples(_ text: String) {
        let outcome = Pipeline.run(text)
        #expect(outcome.read.template != nil)
        for (format, result) in outcome.formatted {
            if case .failure(let error) = result { Issue.record("\(format) does not format: \(error)") }
        }
    }
}
