import Foundation
import FormworkRuleKit
import FormworkRules
import FormworkSchemaData
import FormworkTemplate
import Testing

/// Suppressions that carry a reason, may expire, and findings whose fingerprints survive edits.
@Suite struct SuppressionExpiryTests {
    static func template(until: String?, settings: String = "") -> String {
        """
        Metadata:
          formwork: {settings: {evaluationDate: 2026-12-07\(settings)}}
        Resources:
          Key:
            Type: AWS::KMS::Key
            DeletionPolicy: Retain
            UpdateReplacePolicy: Retain
            Metadata:
              formwork:
                ignore:
                  - rule: LC-01
                    reason: the key encrypts backups kept by the audit account
        \(until.map { "            until: \($0)\n" } ?? "")
        """
    }

    func lint(_ text: String) throws -> [Diagnostic] {
        let template = try #require(TemplateReader.read(Array(text.utf8), file: "t.yaml").template)
        let profile = try Profile.resolve(for: template, file: "t.yaml", explicit: nil, configuration: nil, profiles: .builtIn).get()
        return Linter(registry: .shared).lint(template, file: "t.yaml", configuration: profile)
    }

    @Test func anExpiredSuppressionIsAnErrorAndSuppressesNothing() throws {
        let current = try lint(Self.template(until: "2026-12-07"))
        #expect(!current.contains { $0.ruleID == "LC-01" || $0.ruleID.group == "SP" }, "\(current.map(\.text))")
        let expired = try lint(Self.template(until: "2026-12-06"))
        let finding = try #require(expired.first { $0.ruleID == "SP-02" })
        #expect(finding.severity == .error && finding.location == Location(line: 13, column: 20) && finding.message.contains("expired on 2026-12-06"), "\(finding.text)")
        #expect(expired.contains { $0.ruleID == "LC-01" }, "the finding it hid is reported again")
        #expect(!expired.contains { $0.ruleID == "SP-01" }, "an expired suppression is not also 'unused'")
        let malformed = try lint(Self.template(until: "2026-02-30"))
        #expect(malformed.contains { $0.ruleID == "SP-01" && $0.message.contains("which is no day") && $0.location.line == 13 })
    }

    @Test func reasonsAndExpiryAreRequiredWhereTheProfileSays() throws {
        let noReason = Self.template(until: nil).replacingOccurrences(of: "            reason: the key encrypts backups kept by the audit account\n", with: "")
        #expect(try lint(noReason).contains { $0.ruleID == "SP-01" && $0.message.contains("needs a reason") })
        let optional = noReason.replacingOccurrences(of: "evaluationDate: 2026-12-07", with: "evaluationDate: 2026-12-07, suppressionReasons: optional")
        #expect(try !lint(optional).contains { $0.ruleID.group == "SP" || $0.ruleID == "LC-01" })
        let expiring = Self.template(until: nil, settings: ", suppressionExpiry: required")
        #expect(try lint(expiring).contains { $0.ruleID == "SP-01" && $0.message.contains("needs an expiry date") })
    }

    @Test func everyUnusedSuppressionIsReported() throws {
        let text = Self.template(until: "2027-01-31").replacingOccurrences(of: "DeletionPolicy: Retain", with: "DeletionPolicy: Delete")
            .replacingOccurrences(of: "UpdateReplacePolicy: Retain", with: "UpdateReplacePolicy: Delete")
        #expect(try lint(text).contains { $0.ruleID == "SP-01" && $0.message.contains("suppresses nothing") && $0.location.line == 11 })
    }

    /// Code scanning keeps a finding's history by its fingerprint: lines inserted above it
    /// move the finding, not its fingerprint.
    @Test func fingerprintsDoNotDependOnLines() throws {
        func sarif(_ text: String) throws -> [(line: Int, rule: String, fingerprint: String)] {
            let template = try #require(TemplateReader.read(Array(text.utf8), file: "t.yaml").template)
            let findings = Linter(registry: .shared).lint(template, file: "t.yaml", configuration: .ephemeral)
            let report = LintReport(files: [LintReport.FileResult(file: "t.yaml", diagnostics: findings)], skipped: 0)
            let document = try JSONSerialization.jsonObject(with: Data(LintReporters.sarif(report, version: "test"))) as? [String: Any]
            let results = try #require(((document?["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
            return results.map { result in
                let region = ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
                return (region?["startLine"] as? Int ?? 0, result["ruleId"] as? String ?? "", (result["partialFingerprints"] as? [String: String])?["formwork/v1"] ?? "")
            }
        }
        let text = "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n"
        let before = try sarif(text)
        let after = try sarif("# three lines\n# inserted above\n# the finding\n" + text)
        let moved = try #require(before.first { $0.rule == "LC-01" })
        let kept = try #require(after.first { $0.rule == "LC-01" })
        #expect(kept.line == moved.line + 3)
        #expect(kept.fingerprint == moved.fingerprint && !kept.fingerprint.isEmpty)
        #expect(Set(before.map(\.fingerprint)) == Set(after.map(\.fingerprint)))
    }
}
