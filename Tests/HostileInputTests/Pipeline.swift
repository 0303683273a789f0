import Foundation
import FormworkDiff
import FormworkRuleKit
import FormworkRules
import FormworkSchemaData
import FormworkTemplate
import FormworkTestSupport
import Testing

/// Every stage a hostile template can reach, in one process: read, lint with every rule,
/// every reporter, canonical YAML and JSON (with the self-check), and a diff against the
/// original. A trap anywhere fails the whole test run, which is the point.
enum Pipeline {
    static let root = Repository.root
    static let reporters: [(String, @Sendable (LintReport) -> [UInt8])] = [
        ("text", { Array(LintReporters.text($0).utf8) }), ("json", { LintReporters.json($0) }),
        ("sarif", { LintReporters.sarif($0, version: "test") }), ("github", { Array(LintReporters.github($0).utf8) }),
        ("junit", { Array(LintReporters.junit($0).utf8) }),
    ]

    struct Outcome {
        var read: ReadResult
        var findings: [Diagnostic] = []
        var reports: [String: [UInt8]] = [:]
        var formatted: [SourceFormat: Result<[UInt8], Error>] = [:]
        var diff: DiffReport?
    }

    @discardableResult
    static func run(_ text: String, file: String = "hostile.yaml", against original: Template? = nil, profile: Profile = .ephemeral) -> Outcome {
        let read = TemplateReader.read(Array(text.utf8), file: file)
        var outcome = Outcome(read: read)
        guard let template = read.template else {
            for (name, render) in reporters { outcome.reports[name] = render(LintReport(files: [.init(file: file, diagnostics: read.diagnostics)], skipped: 0)) }
            return outcome
        }
        outcome.findings = Linter(registry: .shared).lint(template, file: file, configuration: profile)
        let report = LintReport(files: [.init(file: file, diagnostics: outcome.findings)], skipped: 0)
        for (name, render) in reporters { outcome.reports[name] = render(report) }
        for format in SourceFormat.allCases {
            outcome.formatted[format] = Result { try Formatter.canonical(template.value, as: format) }
        }
        if let original {
            var diff = TemplateDiff(local: template, deployed: DeployedStack(template: original), registry: .shared)
            diff.localFile = file
            let report = diff.run()
            _ = DiffReports.text(report, colour: false)
            _ = DiffReports.markdown(report)
            _ = JSONWriter.write(DiffReports.json(report))
            outcome.diff = report
        }
        return outcome
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: root + "/" + path, encoding: .utf8)
    }

    /// The templates the hostile variants are made from: seed 004 and the compiled references.
    static var bases: [String] {
        let templates = (try? FileManager.default.contentsOfDirectory(atPath: root + "/templates")) ?? []
        return ["fixtures/seed-004/TapStack.yml"] + templates.sorted().flatMap { system -> [String] in
            let files = (try? FileManager.default.contentsOfDirectory(atPath: root + "/templates/" + system)) ?? []
            return files.filter { $0.hasSuffix(".yml") }.sorted().map { "templates/\(system)/\($0)" }
        }
    }
}
