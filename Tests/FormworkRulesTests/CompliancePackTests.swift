import Foundation
import FormworkRuleKit
import FormworkRules
import FormworkSchemaData
import FormworkTemplate
import FormworkTestSupport
import Testing

/// The compliance packs: mappings from public sources, runs that carry control ids.
@Suite struct CompliancePackTests {
    @Test func everyPackMapsKnownRulesToItsOwnControlsWithSources() {
        #expect(CompliancePack.names == ["cis-aws-foundations", "nist-800-53-r5", "pci-dss-4", "hipaa"])
        for pack in CompliancePack.all {
            #expect(!pack.sources.isEmpty && pack.sources.allSatisfy { $0.contains("@") }, "\(pack.name) records its sources with their commits")
            #expect(!pack.rules.isEmpty, "\(pack.name) maps no rule")
            for mapping in pack.rules {
                #expect(RuleRegistry.rule(mapping.rule) != nil, "\(pack.name): \(mapping.rule) is no rule")
                #expect(!mapping.controls.isEmpty && mapping.controls.allSatisfy(pack.controls.contains), "\(pack.name): \(mapping.rule)'s controls are the framework's")
                #expect(!mapping.via.isEmpty)
            }
        }
        // Spot checks against the mapping files: RDS storage encryption is CIS 2.3.1; a
        // bucket's TLS-only policy is NIST SC-8 and HIPAA 164.312(e)(1).
        #expect(CompliancePack.named("cis-aws-foundations")?.tags(of: "RDS-01") == ["cis-aws-foundations/2.3.1"])
        #expect(CompliancePack.named("nist-800-53-r5")?.tags(of: "S3-04").contains("nist-800-53-r5/SC-8") == true)
        #expect(CompliancePack.named("hipaa")?.tags(of: "S3-04").contains("hipaa/164.312(e)(1)") == true)
    }

    @Test func coverageListsControlsWithAndWithoutRules() throws {
        let text = try #require(CompliancePack.named("nist-800-53-r5")).coverage()
        #expect(text.hasPrefix("NIST SP 800-53 revision 5 (nist-800-53-r5): "))
        #expect(text.contains("\n  SC-8 ") && text.contains("S3-04 (S3_BUCKET_SSL_REQUESTS_ONLY)"))
        #expect(text.contains("Without a rule") && text.contains("aws-guard-rules-registry@"))
    }

    /// Acceptance: a pack run on seed 004's template reports control ids in SARIF (tags),
    /// JSON, JUnit properties and text, and runs the pack's rules only.
    @Test func aPackRunOnSeed004CarriesControlIds() throws {
        let seed = Repository.root + "/fixtures/seed-004/TapStack.yml"
        var selection = LintSelection()
        selection.pack = CompliancePack.named("nist-800-53-r5")
        let report = LintJob.run(paths: [seed], profile: nil, registry: .shared, selection: selection)
        let findings = report.diagnostics
        let packRules = try #require(selection.pack).ruleIDs
        #expect(!findings.isEmpty && findings.allSatisfy { packRules.contains($0.ruleID) || $0.ruleID.group == "SP" }, "\(findings.map(\.ruleID))")
        #expect(findings.contains { $0.ruleID == "KM-01" && $0.controls.contains("nist-800-53-r5/SC-12") })
        let sarif = try JSONSerialization.jsonObject(with: Data(LintReporters.sarif(report, version: "test"))) as? [String: Any]
        let results = try #require(((sarif?["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
        let tags = results.compactMap { ($0["properties"] as? [String: Any])?["tags"] as? [String] }
        #expect(tags.count == results.count && tags.contains { $0.contains("nist-800-53-r5/SC-12") })
        #expect(String(decoding: LintReporters.json(report), as: UTF8.self).contains("\"controls\": ["))
        #expect(LintReporters.junit(report).contains("<property name=\"KM-01 at "))
        #expect(LintReporters.text(report).contains("  controls: nist-800-53-r5/CM-6a"))
    }
}
