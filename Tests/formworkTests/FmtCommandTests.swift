import Foundation
import FormworkTestSupport
import Testing

/// The `formwork` executable as users run it: exit codes, output streams, files written.
enum CLI {
    static let root = Repository.root

    static let binary: String = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("formwork").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        for folder in [".build/debug", ".build/release"] where FileManager.default.isExecutableFile(atPath: "\(root)/\(folder)/formwork") {
            return "\(root)/\(folder)/formwork"
        }
        return "formwork"
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the command; with `timeout`, under timeout(1), killed after that many seconds, so
    /// that a hang fails the test instead of stalling the suite.
    static func run(_ arguments: [String], stdin: String? = nil, timeout: Int? = nil) throws -> Run {
        let process = Process()
        if let timeout {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            process.arguments = ["-s", "KILL", String(timeout), binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self), stderr: String(decoding: stderrData, as: UTF8.self))
    }

    static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

@Suite struct FmtCommandTests {
    @Test func printsCanonicalFormAndExitsZero() throws {
        let run = try CLI.run(["fmt", CLI.root + "/fixtures/fmt/short-forms.yaml"])
        #expect(run.status == 0)
        let expected = try String(contentsOfFile: CLI.root + "/fixtures/fmt/short-forms.canonical.yaml", encoding: .utf8)
        #expect(run.stdout == expected)
        #expect(run.stderr.isEmpty)
    }

    @Test func readsStandardInput() throws {
        let run = try CLI.run(["fmt", "-", "--format", "json"], stdin: "Resources: {A: {Type: X}}\n")
        #expect(run.status == 0)
        #expect(run.stdout == "{\n  \"Resources\": {\n    \"A\": {\n      \"Type\": \"X\"\n    }\n  }\n}\n")
    }

    @Test func checkListsFilesNotCanonicalAndExitsOne() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let messy = folder + "/messy.yaml", tidy = folder + "/tidy.yaml"
        try "Resources:\n    A: {Type: X}\n".write(toFile: messy, atomically: true, encoding: .utf8)
        try "Resources:\n  A:\n    Type: X\n".write(toFile: tidy, atomically: true, encoding: .utf8)
        let run = try CLI.run(["fmt", "--check", messy, tidy])
        #expect(run.status == 1)
        #expect(run.stdout == "not canonical: \(messy)\n")
        #expect(try String(contentsOfFile: messy, encoding: .utf8) == "Resources:\n    A: {Type: X}\n")
        #expect(try CLI.run(["fmt", "--check", tidy]).status == 0)
    }

    @Test func writeReplacesFilesAndIsThenCanonical() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/t.json"
        try #"{"Resources": {"A": {"Properties": {"P": 1}, "Type": "X"}}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["fmt", "--write", path]).status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("{\n  \"Resources\": {\n    \"A\": {\n      \"Type\": \"X\""))
        #expect(try CLI.run(["fmt", "--check", path]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["t.json"])
    }

    @Test func badInputExitsTwoWritesNothingAndSaysWhere() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let good = folder + "/good.yaml", bad = folder + "/bad.yaml"
        try "Resources:\n    A: {Type: X}\n".write(toFile: good, atomically: true, encoding: .utf8)
        try "Resources:\n  A: 1\n  A: 2\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let run = try CLI.run(["fmt", "--write", bad])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("\(bad):3:3: error: duplicate key 'A'"))
        #expect(try String(contentsOfFile: bad, encoding: .utf8) == "Resources:\n  A: 1\n  A: 2\n")
        let missing = try CLI.run(["fmt", folder + "/missing.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("[PS-00]"))
    }

    @Test func usageErrorsExitSixtyFour() throws {
        #expect(try CLI.run(["fmt", "--write", "--check", "x.yaml"]).status == 64)
        #expect(try CLI.run(["fmt", "--format", "toml", "x.yaml"]).status == 64)
        #expect(try CLI.run(["fmt"]).status == 64)
    }

    @Test func everyHostileFixtureExitsTwoWithoutACrash() throws {
        let folder = CLI.root + "/fixtures/hostile"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasSuffix(".expected") }.sorted()
        #expect(names.count >= 12)
        for name in names {
            let run = try CLI.run(["fmt", folder + "/" + name])
            #expect(run.status == 2, "\(name): \(run.stderr)")
            #expect(run.stderr.hasPrefix(folder + "/" + name + ":"), "\(name): \(run.stderr)")
        }
    }
}

@Suite struct DiffCommandTests {
    static var fixtures: String { CLI.root + "/fixtures/diff" }

    @Test func noDifferencesExitZero() throws {
        let run = try CLI.run(["diff", Self.fixtures + "/base.yaml", Self.fixtures + "/moto/json/get-template.json",
                               "--stack-description", Self.fixtures + "/moto/json/describe-stacks.json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "There were no differences\n")
    }

    @Test func differencesExitOneAndFailOnFilters() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let local = folder + "/local.yaml"
        let text = try String(contentsOfFile: Self.fixtures + "/base.yaml", encoding: .utf8).replacingOccurrences(of: "Value: orders", with: "Value: billing")
        try text.write(toFile: local, atomically: true, encoding: .utf8)
        let deployed = Self.fixtures + "/moto/get-template.json"
        let any = try CLI.run(["diff", local, deployed, "--format", "json"])
        #expect(any.status == 1)
        #expect(any.stdout.contains("\"action\": \"modify\""))
        #expect(try CLI.run(["diff", local, deployed, "--fail-on", "replacement"]).status == 0)
        let markdown = try CLI.run(["diff", local, deployed, "--format", "markdown", "--fail-on", "data-loss"])
        #expect(markdown.status == 0)
        #expect(markdown.stdout.hasPrefix("### Stack differences"))
    }

    @Test func troubleExitsTwoWithAPlace() throws {
        let bad = try CLI.run(["diff", Self.fixtures + "/base.yaml", Self.fixtures + "/moto/describe-stacks.json"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("moto/describe-stacks.json:1:1: error: expected a template"), "\(bad.stderr)")
        #expect(try CLI.run(["diff", Self.fixtures + "/base.yaml"]).status == 64)
        #expect(try CLI.run(["diff", Self.fixtures + "/base.yaml", Self.fixtures + "/base.yaml", "--parameter", "novalue"]).status == 64)
    }
}

@Suite struct LintCommandTests {
    @Test func exitCodeIsTheBitmaskAndFormatsWork() throws {
        let seed = CLI.root + "/fixtures/seed-004/TapStack.yml"
        let text = try CLI.run(["lint", seed])
        // Informational findings do not count by default (as in cfn-lint).
        #expect(text.status == 6, "\(text.stderr)")
        #expect(text.stdout.hasSuffix("1 file linted, 0 skipped: 45 errors, 17 warnings, 15 informational\n"))
        #expect(try CLI.run(["lint", "--fail-on", "error", seed]).status == 2)
        #expect(try CLI.run(["lint", "--fail-on", "info", seed]).status == 14)
        #expect(try CLI.run(["lint", "--fail-on", "none", seed]).status == 0)
        let sarif = try CLI.run(["lint", "--format", "sarif", seed])
        #expect(sarif.stdout.contains("\"version\": \"2.1.0\""))
        #expect(try CLI.run(["lint", "--profile", "nope", seed]).status == 64)
        let rules = try CLI.run(["rules", "--format", "json"])
        #expect(rules.status == 0 && rules.stdout.contains("\"cfnLint\""))
        #expect(try CLI.run(["rules", "LC-99"]).status == 2)
    }

    @Test func cleanTemplatesExitZero() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
        Parameters:
          EnvironmentSuffix:
            Type: String
            AllowedPattern: '^[a-z0-9-]+$'
            MaxLength: 20
          AlertEmail:
            Type: String
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              TopicName: !Sub 'alerts-${EnvironmentSuffix}'
              KmsMasterKeyId: alias/aws/sns
              Tags:
                - Key: Environment
                  Value: !Ref EnvironmentSuffix
          Mail:
            Type: AWS::SNS::Subscription
            Properties:
              TopicArn: !Ref Topic
              Protocol: email
              Endpoint: !Ref AlertEmail
        """.write(toFile: folder + "/clean.yaml", atomically: true, encoding: .utf8)
        let run = try CLI.run(["lint", folder])
        #expect(run.status == 0, "\(run.stdout)")
    }
}

/// `formwork synth` runs the repository's app; here the reference systems' app, built
/// beside the CLI (`make app`), named with `--app` so that the test needs no nested `swift run`.
@Suite struct SynthCommandTests {
    static let app = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().appendingPathComponent("reference-systems").path
    static var appIsBuilt: Bool { FileManager.default.isExecutableFile(atPath: app) }

    @Test(.enabled(if: appIsBuilt, "the reference-systems app is not built beside the CLI (make app)"))
    func listsTheSystems() throws {
        let run = try CLI.run(["synth", "--app", Self.app, "--list"])
        #expect(run.status == 0)
        for name in ["user-api", "payments-ha", "postgres-dr", "active-passive", "ecommerce"] {
            #expect(run.stdout.contains(name + " "))
        }
    }

    @Test(.enabled(if: appIsBuilt, "the reference-systems app is not built beside the CLI (make app)"))
    func writesOnceThenNothingChanges() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try CLI.run(["synth", "--app", Self.app, "--all", "--out", folder])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "5 systems, 16 files, 16 written, 0 unchanged\n")
        let second = try CLI.run(["synth", "--app", Self.app, "--out", folder])
        #expect(second.stdout == "5 systems, 16 files, 0 written, 16 unchanged\n")
        let committed = try Data(contentsOf: URL(fileURLWithPath: CLI.root + "/templates/postgres-dr/TapStack.ap-southeast-1.yml"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/postgres-dr/TapStack.ap-southeast-1.yml")) == committed)
        let json = try CLI.run(["synth", "--app", Self.app, "user-api", "--format", "json", "--out", folder + "/json"])
        #expect(json.status == 0)
        #expect(FileManager.default.fileExists(atPath: folder + "/json/user-api/TapStack.json"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/json/user-api/TapStack.yml"))
    }

    @Test(.enabled(if: appIsBuilt, "the reference-systems app is not built beside the CLI (make app)"))
    func usageErrorsExit64() throws {
        #expect(try CLI.run(["synth", "--app", Self.app, "no-such-system"]).status == 64)
        #expect(try CLI.run(["synth", "--app", Self.app, "--all", "user-api"]).status == 64)
        let empty = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let none = try CLI.run(["synth", "--directory", empty])
        #expect(none.status == 64 && none.stderr.contains("has no Formwork app"), "\(none.stderr)")
    }
}

@Suite struct DocumentationTests {
    /// docs/lint.md's rule list is `formwork rules`, generated from the rules themselves.
    @Test func lintDocumentListsTheRulesAsTheCommandDoes() throws {
        let document = try String(contentsOfFile: CLI.root + "/docs/lint.md", encoding: .utf8)
        let run = try CLI.run(["rules"])
        #expect(run.status == 0)
        #expect(document.contains("```\n$ formwork rules\n" + run.stdout + "```\n"), "docs/lint.md's rule list differs from `formwork rules`: re-record it (make test-docs RECORD=1)")
    }

    /// docs/rules.md is `formwork rules --format markdown`: a section per family.
    @Test func rulesDocumentIsGenerated() throws {
        let document = try String(contentsOfFile: CLI.root + "/docs/rules.md", encoding: .utf8)
        let run = try CLI.run(["rules", "--format", "markdown"])
        #expect(run.status == 0)
        #expect(document == run.stdout, "docs/rules.md differs from `formwork rules --format markdown`: run `make docs`")
        for family in ["iam", "s3", "kms", "sns", "network", "route53", "lambda", "logs", "hygiene", "secrets"] {
            #expect(document.contains("\n## \(family) ("), "docs/rules.md has no \(family) section")
        }
    }

    /// docs/typed-stacks.md shows the files of Examples/orders-db, which `make test` builds and
    /// runs from a copy: a block after `<!-- file: PATH -->` must be that file.
    @Test func typedStacksDocumentShowsTheExamplePackageAsItIs() throws {
        let readme = try String(contentsOfFile: CLI.root + "/docs/typed-stacks.md", encoding: .utf8)
        let marker = "<!-- file: "
        var shown = 0
        var rest = Substring(readme)
        while let start = rest.range(of: marker) {
            rest = rest[start.upperBound...]
            let path = String(rest[..<rest.range(of: " -->")!.lowerBound])
            let open = try #require(rest.range(of: "```swift\n"))
            let close = try #require(rest[open.upperBound...].range(of: "\n```\n"))
            let block = String(rest[open.upperBound..<close.lowerBound]) + "\n"
            let file = try String(contentsOfFile: CLI.root + "/" + path, encoding: .utf8)
            #expect(block == file, "docs/typed-stacks.md's block for \(path) differs from the file")
            shown += 1
            rest = rest[close.upperBound...]
        }
        #expect(shown == 3)
    }

    /// Every code fence of the README and of docs/*.md is closed, so no section turns into a
    /// code block.
    @Test func documentationFencesBalance() throws {
        let documents = try ["README.md"] + FileManager.default.contentsOfDirectory(atPath: CLI.root + "/docs")
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        for name in documents {
            let text = try String(contentsOfFile: CLI.root + "/" + name, encoding: .utf8)
            var open: Int?
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.hasPrefix("```") {
                if open == nil {
                    open = index + 1
                } else {
                    #expect(line == "```", "\(name):\(index + 1) closes the fence of line \(open!) with text after it")
                    open = nil
                }
            }
            #expect(open == nil, "\(name): the fence opened at line \(open ?? 0) is never closed")
        }
    }
}

@Suite struct CorpusLintTests {
    /// Issue 6: no crash, hang or unlocated finding on any file of cfn-lint's corpus.
    static let corpus = CLI.root + "/../shared/corpus/cfn-lint/templates"

    @Test(.enabled(if: FileManager.default.fileExists(atPath: corpus), "../shared/corpus/cfn-lint is not beside the repository"))
    func wholeCorpusLintsWithLocatedFindings() throws {
        let corpus = Self.corpus
        let run = try CLI.run(["lint", "--profile", "structural", "--format", "json", corpus])
        #expect([0, 2, 4, 6, 8, 10, 12, 14].contains(run.status), "exit \(run.status): \(run.stderr)")
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(findings.count > 200)
        for finding in findings {
            let line = finding["line"] as? Int ?? 0, column = finding["column"] as? Int ?? 0
            #expect(line >= 1 && column >= 1, "unlocated: \(finding)")
            #expect((finding["file"] as? String)?.isEmpty == false)
        }
    }
}
