import Foundation
import FormworkTestSupport
import FormworkRules
import FormworkSchemaData
import FormworkTemplate
import Testing

/// Issue 14: checkov's findings on seed 004 and the compiled reference templates beside
/// Formwork's (checkov 3.3.30's, committed in Tests/oracle by `checkov_parity.py --refresh`),
/// and each of checkov's false positives absent from Formwork's report: the read replicas'
/// encryption and Multi-AZ (a replica inherits both), and rds.force_ssl on PostgreSQL 16
/// (on by default from 15).
@Suite struct CheckovFalsePositiveTests {
    struct Failure: Hashable {
        var file: String
        var resource: String
        var check: String
    }

    static func checkovFailures() throws -> [Failure] {
        let path = Repository.root + "/Tests/oracle/checkov-3.3.30-local.json"
        let node = try #require(TemplateReader.readData(Array(try String(contentsOfFile: path, encoding: .utf8).utf8), file: path))
        return (node["results"]?.arrayValue ?? []).compactMap { row in
            guard let items = row.arrayValue?.compactMap(\.stringValue), items.count == 4, items[3] == "FAILED" else { return nil }
            return Failure(file: items[0], resource: items[1], check: items[2])
        }
    }

    /// The Formwork rules whose ground each false positive is on.
    static let falsePositives: [(check: String, rules: [RuleID], why: String)] = [
        ("CKV_AWS_16", ["RDS-01"], "a read replica inherits its source's encryption"),
        ("CKV_AWS_157", ["RDS-03"], "a read replica has no Multi-AZ of its own to set"),
        ("CKV2_AWS_69", ["RDS-11"], "rds.force_ssl is 1 by default on PostgreSQL 15 and later"),
    ]

    @Test func checkovsFalsePositivesAreAbsent() throws {
        let failures = try Self.checkovFailures()
        let files = ["fixtures/seed-004/TapStack.yml"] + (try FileManager.default.contentsOfDirectory(atPath: Repository.root + "/templates")).sorted().flatMap { system in
            ((try? FileManager.default.contentsOfDirectory(atPath: Repository.root + "/templates/" + system)) ?? []).filter { $0.hasPrefix("TapStack") && $0.hasSuffix(".yml") }.sorted().map { "templates/\(system)/\($0)" }
        }
        var checked: [String: Int] = [:]
        for file in files {
            let template = try #require(TemplateReader.read(path: Repository.root + "/" + file).template, "\(file) does not read")
            let findings = Linter(registry: .shared).lint(template, file: file, configuration: .ephemeral)
            for (check, rules, why) in Self.falsePositives {
                for failure in failures where failure.file == file && failure.check == check {
                    let resource = try #require(template.resource(failure.resource))
                    // Only the false positives: replicas for the first two, a postgres 15+ group for the third.
                    if check != "CKV2_AWS_69" { guard resource.isReadReplica else { continue } }
                    checked[file, default: 0] += 1
                    let reported = findings.filter { rules.contains($0.ruleID) && $0.path.count >= 2 && $0.path[1] == .key(failure.resource) }
                    #expect(reported.isEmpty, "\(file) \(failure.resource): checkov's \(check) is a false positive (\(why)), and Formwork reports \(reported.map(\.text))")
                }
            }
        }
        // Seed 004: the two replicas twice each, and the primary's parameter group (the issue's
        // list); the reference systems' replicas draw the same from checkov.
        #expect(checked["fixtures/seed-004/TapStack.yml"] == 5, "checkov's false positives on seed 004: \(checked)")
        #expect(checked.values.reduce(0, +) > 5, "the reference templates' replicas: \(checked)")
    }
}
