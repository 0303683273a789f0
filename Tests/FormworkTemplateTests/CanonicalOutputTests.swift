import Foundation
import Testing
@testable import FormworkTemplate

@Suite struct CanonicalOutputTests {
    /// Reference tests: each fixture's canonical YAML and JSON are committed beside it.
    @Test(arguments: ["short-forms.yaml", "long-forms.json"])
    func referenceOutputs(name: String) throws {
        let path = Repository.fixture("fmt/" + name)
        let base = path.split(separator: ".").dropLast().joined(separator: ".")
        for format in SourceFormat.allCases {
            // As `fmt` formats a file: YAML output keeps the input's comments.
            let outcome = FormatJob.run(path: path, format: format)
            let text = String(decoding: try #require(outcome.canonical, "\(outcome.diagnostics.map(\.text))"), as: UTF8.self)
            let reference = base + ".canonical." + format.rawValue
            if let problem = matchReference(text, reference) { Issue.record(Comment(rawValue: problem)) }
        }
    }

    @Test func sectionsAndAttributesTakeTheFrozenOrder() throws {
        let text = "Outputs: {}\nResources:\n  A:\n    Properties: {}\n    Type: X\n    Custom: 1\n    DependsOn: B\nZed: 1\nAWSTemplateFormatVersion: '2010-09-09'\n"
        let root = try #require(TemplateReader.read(Array(text.utf8)).root)
        let out = String(decoding: try Formatter.canonical(root, as: .yaml), as: UTF8.self)
        #expect(out == "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: X\n    DependsOn: B\n    Properties: {}\n    Custom: 1\nOutputs: {}\nZed: 1\n")
    }

    @Test(arguments: ["yes", "No", "on", "OFF", "true", "null", "~", "", "010", "0x1F", "1e5", "1.5", ".5", "-1",
                      "2010-09-09", "1:30", "y", "n", "=", "<<", ".inf", "0o17", "+1"])
    func misreadableStringsAreQuoted(text: String) throws {
        #expect(YAMLWriter.needsQuotes(text))
        let value = Node.object(ObjectMap([ObjectMap.Entry(key: "k", value: .string(text))]))
        let out = try Formatter.canonical(value, as: .yaml)
        let back = TemplateReader.read(out).root
        #expect(back?["k"]?.stringValue == text, "\(String(decoding: out, as: UTF8.self))")
    }

    @Test(arguments: ["hello", "us-east-1", "10.0.0.0/16", "AWS::S3::Bucket", "db.r6g.large", "arn:aws:s3:::x"])
    func ordinaryStringsStayPlain(text: String) {
        #expect(!YAMLWriter.needsQuotes(text))
    }

    @Test func numbersSurviveBothFormats() throws {
        for literal in ["010", "0x1F", "1_000", "1.", ".5", "-1.5e+3", "1:30", "1e5", "12345678901234567890123", "0.20"] {
            let value = Node.object(ObjectMap([ObjectMap.Entry(key: "n", value: .number(literal))]))
            for format in SourceFormat.allCases {
                let back = TemplateReader.read(try Formatter.canonical(value, as: format)).root
                #expect(back == value, "\(literal) as \(format)")
            }
        }
    }

    @Test func innerFunctionOfAShortFormIsWrittenLong() throws {
        let value = Node.object(ObjectMap([ObjectMap.Entry(key: "U", value: .intrinsic("Fn::Base64", .intrinsic("Fn::Sub", .string("x ${A}"))))]))
        let out = String(decoding: try Formatter.canonical(value, as: .yaml), as: UTF8.self)
        #expect(out == "U: !Base64\n  Fn::Sub: x ${A}\n")
    }

    @Test func scalarArgumentsThatAreNotStringsKeepTheLongForm() throws {
        let value = Node.object(ObjectMap([ObjectMap.Entry(key: "S", value: .intrinsic("Fn::Base64", .number("5")))]))
        let out = String(decoding: try Formatter.canonical(value, as: .yaml), as: UTF8.self)
        #expect(out == "S:\n  Fn::Base64: 5\n")
    }

    /// Every corpus template: canonical output is a fixed point in both formats, and
    /// YAML -> JSON -> YAML keeps the content.
    @Test(.enabled(if: Repository.hasCorpora, Comment(rawValue: Repository.noCorpora)))
    func corpusIsIdempotentAndRoundTrips() throws {
        let files = Repository.corpus
        try #require(files.count > 200, "the cfn-lint corpus is missing from ../shared")
        var checked = 0
        for file in files {
            guard let root = TemplateReader.read(path: file).root else { continue }
            for format in SourceFormat.allCases {
                let once = try Formatter.canonical(root, as: format)
                let again = try #require(TemplateReader.read(once).root)
                let twice = try Formatter.canonical(again, as: format)
                #expect(once == twice, "\(file) is not idempotent as \(format)")
            }
            let json = try Formatter.canonical(root, as: .json)
            let fromJSON = try #require(TemplateReader.read(json).root)
            let yaml = try Formatter.canonical(fromJSON, as: .yaml)
            #expect(TemplateReader.read(yaml).root == root, "\(file): YAML -> JSON -> YAML changed the content")
            checked += 1
        }
        print("fmt idempotence and round trip: \(checked) of \(files.count) corpus templates")
        #expect(checked >= files.count - 12)
    }

    @Test func outputIsDeterministic() throws {
        let root = try #require(TemplateReader.read(path: Repository.fixture("seed-004/TapStack.yml")).root)
        for format in SourceFormat.allCases {
            let first = try Formatter.canonical(root, as: format)
            for _ in 0..<3 { #expect(try Formatter.canonical(root, as: format) == first) }
        }
    }
}

@Suite struct HostileInputTests {
    /// Each hostile fixture has its expected diagnostics beside it (`.expected`).
    @Test(arguments: ["alias-bomb.yaml", "alias-text-bomb.yaml", "binary.yaml", "complex-key.yaml", "deep-nesting.yaml", "duplicate-keys.yaml",
                      "empty.yaml", "invalid-utf8.yaml", "root-sequence.yaml", "tabs.yaml", "trailing-comma.json",
                      "two-documents.yaml", "unknown-tag.yaml",
                      // Lines counted as libyaml counts them (issue 25), by both readers.
                      "lone-cr-duplicate.yaml", "lone-cr-trailing-comma.json", "yaml-line-breaks-duplicate.yaml"])
    func hostileFixturesGetLocatedDiagnostics(name: String) {
        let file = "fixtures/hostile/" + name
        let outcome = FormatJob.run(path: Repository.root + "/" + file)
        #expect(outcome.canonical == nil)
        #expect(!outcome.diagnostics.isEmpty)
        for diagnostic in outcome.diagnostics {
            #expect(diagnostic.location.isKnown, "\(diagnostic.text)")
        }
        let text = outcome.diagnostics.map { d -> String in
            var copy = d
            copy.file = file
            return copy.text
        }.joined(separator: "\n") + "\n"
        if let problem = matchReference(text, Repository.fixture("hostile/" + name + ".expected")) {
            Issue.record(Comment(rawValue: problem))
        }
    }

    /// Inputs the fuzzer found slow or wrong, kept so that they stay fixed.
    @Test func fuzzRegressionsFormatWithinBounds() throws {
        let folder = Repository.fixture("fuzz-regressions")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(!names.isEmpty)
        for name in names {
            let outcome = FormatJob.run(path: folder + "/" + name)
            // Alias amplification is bounded by nodes and by bytes of text.
            #expect((outcome.canonical?.count ?? 0) < 64 << 20, "\(name)")
            #expect(outcome.canonical != nil || !outcome.diagnostics.isEmpty, "\(name)")
        }
    }

    @Test func fileSizeLimitRefusesBeforeReading() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-big-\(getpid()).yaml").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x61, count: 2048))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = FormatJob.run(path: path, limits: .init(maxBytes: 1024))
        #expect(outcome.diagnostics.first?.ruleID == ReadDiagnosticID.size)
    }

    @Test func atomicWriteReplacesAndKeepsMode() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-atomic-\(getpid()).yaml").path
        _ = FileManager.default.createFile(atPath: path, contents: Data("old".utf8), attributes: [.posixPermissions: 0o640])
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard case .success = FileIO.writeAtomically(Array("new\n".utf8), to: path) else {
            Issue.record("write failed")
            return
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.contains("formwork-atomic-\(getpid()).yaml.formwork-") }
        #expect(leftovers.isEmpty)
    }
}
