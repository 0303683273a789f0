import Foundation
import FormworkDiff
import FormworkRules
import FormworkSchemaData
import FormworkTemplate
import Testing

/// Every input the fuzzer found (fixtures/fuzz-regressions), through every stage it reaches.
@Suite struct FuzzRegressionTests {
    static var inputs: [String] {
        let folder = Pipeline.root + "/fixtures/fuzz-regressions"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted().map { "fixtures/fuzz-regressions/" + $0 }
    }

    @Test(arguments: inputs)
    func findingStaysFixed(_ path: String) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Pipeline.root + "/" + path))
        let text = String(decoding: bytes, as: UTF8.self)
        let base = try #require(TemplateReader.read(Array("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n".utf8)).template)
        // As the fuzzer reads: any root, formatted in both syntaxes, read back to the same.
        let any = TemplateReader.read(Array(bytes), file: path, requireMapping: false)
        if let root = any.root {
            for format in SourceFormat.allCases {
                do {
                    _ = try Formatter.canonical(root, as: format)
                } catch {
                    Issue.record("\(path): the \(format) self-check fails: \(error)")
                }
            }
        }
        let outcome = Pipeline.run(text, file: path, against: base, profile: .ephemeral)
        if outcome.read.template == nil {
            #expect(!outcome.read.diagnostics.isEmpty && outcome.read.diagnostics.allSatisfy { $0.location.isKnown })
        }
        for (format, result) in outcome.formatted {
            if case .failure(let error) = result { Issue.record("\(path): \(format) does not format: \(error)") }
        }
        #expect(outcome.findings.allSatisfy { $0.location.isKnown })
        // The fuzzer's invariant: a template does not differ from itself.
        if let template = outcome.read.template {
            let same = TemplateDiff(local: template, deployed: DeployedStack(template: template), registry: .shared).run()
            #expect(!same.hasDifferences, "\(path) differs from itself: \(DiffReports.text(same, colour: false))")
        }
    }
}
