import Foundation
import Formwork
import FormworkConstructs
import FormworkTemplate
import FormworkTestSupport
import Testing

/// checkov (3.3.30, `make python-deps` puts it in .build/oracles/checkov) on the orders
/// pipeline's dev and production-based templates: every check it fails is one PARITY.md's
/// section "checkov on the constructs" explains. Tests/example/constructs_example.py runs the
/// same on the package's own synth.
@Suite struct ExampleCheckovTests {
    static let checkov: String? = {
        let local = Repository.root + "/.build/oracles/checkov/bin/checkov"
        if FileManager.default.isExecutableFile(atPath: local) { return local }
        return Repository.hasCommand("checkov") ? "checkov" : nil
    }()

    /// The check ids the section of PARITY.md names (between its markers).
    static func explained() throws -> Set<String> {
        let text = try String(contentsOfFile: Repository.root + "/PARITY.md", encoding: .utf8)
        guard let start = text.range(of: "<!-- constructs-checkov:begin -->"), let end = text.range(of: "<!-- constructs-checkov:end -->") else { return [] }
        let section = String(text[start.upperBound..<end.lowerBound])
        let regex = try NSRegularExpression(pattern: "CKV2?_AWS_[0-9]+")
        return Set(regex.matches(in: section, range: NSRange(section.startIndex..., in: section)).compactMap {
            Range($0.range, in: section).map { String(section[$0]) }
        })
    }

    @Test(.enabled(if: checkov != nil, "checkov is not installed (make python-deps puts it in .build/oracles/checkov)"))
    func everyFailedCheckIsExplained() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orders-checkov-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for profile in [OrdersProfiles.dev, OrdersProfiles.prod] {
            let compiled = try pipeline(profile: profile).compile(profile: profile)
            try Data(try Formatter.canonical(compiled.template.value, as: .yaml)).write(to: URL(fileURLWithPath: "\(folder)/\(profile.name).yml"))
        }
        let checkov = try #require(Self.checkov)
        let run = try #require(Repository.run(["sh", "-c", "'\(checkov)' --framework cloudformation -o json --skip-download -d . 2>/dev/null"], in: folder))
        let parsed = try JSONSerialization.jsonObject(with: Data(run.output.utf8))
        let reports = (parsed as? [[String: Any]]) ?? [(parsed as? [String: Any]) ?? [:]]
        var failed: [String] = []
        var passed = 0
        for report in reports {
            let results = report["results"] as? [String: Any]
            passed += (results?["passed_checks"] as? [Any])?.count ?? 0
            for check in (results?["failed_checks"] as? [[String: Any]]) ?? [] {
                failed.append("\(check["check_id"] as? String ?? "?") \(check["resource"] as? String ?? "?") (\(check["file_path"] as? String ?? "?"))")
            }
        }
        #expect(passed > 0, "checkov checked nothing: \(run.output.prefix(2000))")
        let explained = try Self.explained()
        let unexplained = failed.filter { !explained.contains(String($0.prefix { $0 != " " })) }
        #expect(unexplained.isEmpty, "checkov fails these and PARITY.md does not explain them:\n\(unexplained.sorted().joined(separator: "\n"))")
        print("checkov on the orders pipeline: \(passed) passed, \(failed.count) failed, all explained in PARITY.md:\n\(failed.sorted().joined(separator: "\n"))")
    }
}
