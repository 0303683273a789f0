import Foundation
import FormworkRuleKit
import FormworkTestSupport
@testable import FormworkRules
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate
import Testing

enum LintFixtures {
    static let root = Repository.root

    static func lint(_ text: String, profile: String = "ephemeral") throws -> [Diagnostic] {
        let template = try #require(TemplateReader.read(Array(text.utf8), file: "t.yaml").template)
        return Linter(registry: .shared).lint(template, file: "t.yaml", configuration: Profile.builtIn(profile)!)
    }
}

@Suite struct LintTests {
    /// Acceptance: the seed 004 template's known defects, each at its line (the whole
    /// report is a reference file).
    @Test func seed004FindingsAreReportedWhereTheyAre() throws {
        // Linted by absolute path and reported by the repository-relative one, without
        // changing the working directory under tests that run in parallel.
        let relative = "fixtures/seed-004/TapStack.yml"
        var report = LintJob.run(paths: [LintFixtures.root + "/" + relative], profile: nil, registry: .shared)
        report.files = report.files.map { result in
            LintReport.FileResult(file: relative, diagnostics: result.diagnostics.map { diagnostic in
                var copy = diagnostic
                copy.file = relative
                return copy
            })
        }
        let findings = report.diagnostics
        func has(_ id: RuleID, line: Int, _ fragment: String) -> Bool {
            findings.contains { $0.ruleID == id && $0.location.line == line && $0.message.contains(fragment) }
        }
        #expect(has("LC-01", line: 304, "DBEncryptionKey has DeletionPolicy Retain"))
        #expect(has("LC-01", line: 305, "UpdateReplacePolicy Retain"))
        #expect(has("LC-02", line: 482, "PrimaryDB has DeletionPolicy Snapshot"))
        #expect(has("LC-02", line: 483, "UpdateReplacePolicy Snapshot"))
        #expect(findings.filter { $0.ruleID == "AL-01" && $0.message.contains("no AlarmActions") }.count == 8)
        #expect(has("AL-02", line: 480, "no alarm on DatabaseConnections"))
        #expect(has("AL-03", line: 723, "30000"))
        #expect(has("NM-04", line: 7, "defaults to 'prod'"))
        #expect(has("RDS-15", line: 533, "ReadReplica1 sets no VPCSecurityGroups"))
        #expect(has("RDS-15", line: 564, "ReadReplica2 sets no VPCSecurityGroups"))
        #expect(findings.filter { $0.ruleID == "TG-01" }.count == 8)
        // Issue 14: the security and service findings, each at its line.
        #expect(has("RDS-16", line: 291, "allows egress of every protocol to the world"))
        #expect(has("RDS-16", line: 285, "a range as wide as 10.0.0.0/16"))
        #expect(has("RDS-16", line: 280, "the public subnet PublicSubnet1"))
        #expect(has("S3-05", line: 641, "grants export.rds.amazonaws.com without aws:SourceAccount or aws:SourceArn"))
        #expect(has("IA-06", line: 426, "trusts the whole account"))
        #expect(has("TP-01", line: 1054, "`${!If` in Fn::Sub is the literal text"))
        #expect(has("KM-01", line: 301, "does not rotate"))
        #expect(has("KM-02", line: 317, "grants rds.amazonaws.com without kms:ViaService"))
        #expect(has("KM-02", line: 326, "grants logs.amazonaws.com without kms:ViaService"))
        // The key is exported (KMSKeyId): another stack may use it for its logs (issue 35).
        #expect(!findings.contains { $0.ruleID == "KM-02" && $0.message.contains("nothing in the template") })
        #expect(has("KM-04", line: 402, "RDSExportRole may use BackupBucket's objects, but not use its key DBEncryptionKey"))
        #expect(has("IA-08", line: 404, "s3:PutObject* grants"))
        #expect(has("SM-01", line: 348, "holds the master password of PrimaryDB"))
        // The account root's kms:* is the default delegation to IAM, not a broad grant.
        #expect(!findings.contains { $0.ruleID == "KM-02" && $0.location.line == 311 })
        // No replica false positives: Multi-AZ, backups and encryption are not demanded of replicas.
        #expect(!findings.contains { ["RDS-03", "LC-02", "LC-03"].contains($0.ruleID) && $0.message.contains("Replica") })
        let text = LintReporters.text(report)
        let reference = LintFixtures.root + "/fixtures/lint/seed-004.expected"
        if ProcessInfo.processInfo.environment["FORMWORK_RECORD"] == "1" {
            try text.write(toFile: reference, atomically: true, encoding: .utf8)
        } else {
            #expect(text == (try String(contentsOfFile: reference, encoding: .utf8)), "the seed 004 report changed: review and re-record with FORMWORK_RECORD=1")
        }
    }

    @Test func suppressionsNeedReasonsAndMustSuppressSomething() throws {
        let findings = try LintFixtures.lint("""
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
                  - rule: TG-01
                  - rule: NM-01
                    reason: nothing to suppress here
              cfn-lint:
                config:
                  ignore_checks: [W3011]
            Properties:
              Tags: [{Key: Environment, Value: !Ref EnvironmentSuffix}]
        """)
        #expect(!findings.contains { $0.ruleID == "LC-01" })
        #expect(findings.contains { $0.ruleID == "SP-01" && $0.message.contains("suppression of TG-01 needs a reason") })
        #expect(findings.contains { $0.ruleID == "SP-01" && $0.message.contains("NM-01") && $0.message.contains("suppresses nothing") })
    }

    /// Under `structural` the house rules do not run: suppressing one is not "nothing".
    @Test func suppressionsOfRulesThatDoNotRunAreNotReported() throws {
        let template = """
        Resources:
          Key:
            Type: AWS::KMS::Key
            Metadata:
              formwork:
                ignore:
                  - {rule: LC-07, reason: the default window is wanted}
                  - {rule: ST-16, reason: nothing to suppress here}
        """
        let structural = try LintFixtures.lint(template, profile: "structural")
        #expect(structural.filter { $0.ruleID == "SP-01" }.map(\.message) == ["the suppression of ST-16 on Key suppresses nothing; remove it"])
        let ephemeral = try LintFixtures.lint(template)
        #expect(!ephemeral.contains { $0.ruleID == "SP-01" && $0.message.contains("LC-07") })
    }

    @Test func cfnLintIgnoreChecksAreHonoured() throws {
        let findings = try LintFixtures.lint("""
        Metadata:
          cfn-lint:
            config:
              ignore_checks: [TG-01]
        Resources:
          Topic:
            Type: AWS::SNS::Topic
        """)
        #expect(!findings.contains { $0.ruleID == "TG-01" })
    }

    @Test func productionProfileRequiresDeletionProtection() throws {
        let text = """
        Resources:
          Primary:
            Type: AWS::RDS::DBInstance
            DeletionPolicy: Retain
            Properties:
              DeletionProtection: false
        """
        let ephemeral = try LintFixtures.lint(text)
        #expect(ephemeral.contains { $0.ruleID == "LC-01" })
        #expect(!ephemeral.contains { $0.ruleID == "LC-03" })
        let production = try LintFixtures.lint(text, profile: "production")
        #expect(!production.contains { $0.ruleID == "LC-01" })
        #expect(production.contains { $0.ruleID == "LC-03" && $0.message.contains("profile requires it") })
    }

    @Test func unresolvableValuesAreReportedNotAssumed() throws {
        let findings = try LintFixtures.lint("""
        Parameters:
          Protect:
            Type: String
        Resources:
          Primary:
            Type: AWS::RDS::DBInstance
            DeletionPolicy: Delete
            UpdateReplacePolicy: Delete
            Properties:
              DeletionProtection: !Ref Protect
        """)
        #expect(findings.contains { $0.ruleID == "LC-03" && $0.message.contains("cannot be resolved") })
    }

    @Test func exitCodeIsCfnLintsBitmask() {
        let report = LintReport(files: [.init(file: "a", diagnostics: [
            Diagnostic(ruleID: "X", severity: .error, message: "e"), Diagnostic(ruleID: "Y", severity: .info, message: "i"),
        ])], skipped: 0)
        #expect(report.exitCode(failOn: .info) == 10)
        #expect(report.exitCode(failOn: .warning) == 2)
        #expect(LintReport(files: [], skipped: 0).exitCode(failOn: .info) == 0)
    }

    @Test func reportersCarryTheDocumentedShapes() throws {
        let diagnostics = try LintFixtures.lint("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    DeletionPolicy: Retain\n")
        let report = LintReport(files: [.init(file: "t.yaml", diagnostics: diagnostics)], skipped: 0)
        let json = try #require(TemplateReader.readData(LintReporters.json(report))?.arrayValue)
        let first = try #require(json.first?.objectValue)
        for key in ["rule", "severity", "message", "file", "line", "column", "path"] { #expect(first[key] != nil, "\(key)") }
        let sarif = try #require(TemplateReader.readData(LintReporters.sarif(report, version: "test")))
        #expect(sarif["version"]?.stringValue == "2.1.0")
        let run = try #require(sarif["runs"]?.arrayValue?.first)
        #expect(run["tool"]?["driver"]?["rules"]?.arrayValue?.isEmpty == false)
        #expect(run["results"]?.arrayValue?.first?["locations"]?.arrayValue?.first?["physicalLocation"]?["region"]?["startLine"] != nil)
        #expect(LintReporters.github(report).contains("::error file=t.yaml,line=4,col=21,title=LC-01::"))
        let junit = LintReporters.junit(report)
        #expect(junit.contains("<testsuite name=\"t.yaml\""))
        #expect(junit.contains("<failure type=\"error\""))
    }

    @Test func foldersAreSearchedForTemplatesOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-lint-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/nested/.hidden", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/.build", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "Resources: {}\n".write(toFile: folder + "/a.yaml", atomically: true, encoding: .utf8)
        try "{\"AWSTemplateFormatVersion\": \"2010-09-09\"}\n".write(toFile: folder + "/nested/b.json", atomically: true, encoding: .utf8)
        try "name: config\n".write(toFile: folder + "/config.yml", atomically: true, encoding: .utf8)
        try "Resources: {}\n".write(toFile: folder + "/nested/.hidden/c.yaml", atomically: true, encoding: .utf8)
        try "Resources: {}\n".write(toFile: folder + "/.build/d.yaml", atomically: true, encoding: .utf8)
        let found = TemplateFinder.find([folder])
        #expect(found.files == [folder + "/a.yaml", folder + "/nested/b.json"])
        #expect(found.skipped == [folder + "/config.yml"])
        #expect(TemplateFinder.find([folder + "/*.yaml"]).files == [folder + "/a.yaml"])
        #expect(TemplateFinder.find([folder + "/missing.yaml"]).missing.count == 1)
    }

    /// A template under build/ (or cdk.out/, .aws-sam/) is not linted, but counted as skipped
    /// with its folder, so that the summary does not say "0 skipped" of it.
    @Test func templatesInBuildFoldersAreCountedAsSkipped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-build-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/build/nested", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/node_modules", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "Resources: {}\n".write(toFile: folder + "/a.yaml", atomically: true, encoding: .utf8)
        try "Resources: {}\n".write(toFile: folder + "/build/template.yaml", atomically: true, encoding: .utf8)
        try "Resources: {}\n".write(toFile: folder + "/build/nested/packaged.json", atomically: true, encoding: .utf8)
        try "build output\n".write(toFile: folder + "/build/log.txt", atomically: true, encoding: .utf8)
        try "{}\n".write(toFile: folder + "/node_modules/package.json", atomically: true, encoding: .utf8)
        let candidates = TemplateFinder.candidates([folder])
        #expect(candidates.inFolders == [folder + "/a.yaml"])
        #expect(candidates.notEntered.map(\.folder) == [folder + "/build"] && candidates.notEntered.map(\.files) == [2])
        let report = LintJob.run(candidates: candidates, profile: "structural", registry: .shared)
        #expect(report.skipped == 2)
        #expect(LintReporters.text(report).hasSuffix("1 file linted, 2 skipped (2 in build folders, not linted: \(folder)/build/): 0 errors, 0 warnings, 0 informational\n"),
                "\(LintReporters.text(report))")
    }

    @Test func rulesDocumentationComesFromTheRules() throws {
        let json = try #require(RuleDocumentation.json(RuleRegistry.all.map { $0.description }).arrayValue)
        #expect(json.count == RuleRegistry.all.count)
        for key in ["id", "name", "family", "severity", "description", "cfnLint"] { #expect(json[0][key] != nil, "\(key)") }
        #expect(RuleDocumentation.detail(NoRetainPoliciesDescription.value).contains("DeletionPolicy: ↓Retain"))
    }
}

enum NoRetainPoliciesDescription {
    static var value: RuleDescription { RuleRegistry.rule("LC-01")!.description }
}

@Suite struct ConfigurationFileTests {
    func write(_ text: String, in folder: String) throws -> String {
        let path = folder + "/.formwork.yml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path + "/stacks/deep", withIntermediateDirectories: true)
        return path
    }

    @Test func unknownKeysAndBadValuesAreLocated() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = try write("profile: staging\nrequiredTag: {}\nrules:\n  disable: [XX-01]\n  severity: {TG-03: loud}\n", in: root)
        guard case .failure(let errors) = ConfigurationFile.load(path) else {
            Issue.record("a bad configuration loaded")
            return
        }
        let places = errors.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.ruleID)" }
        #expect(places == ["1:10 CF-01", "2:1 CF-01", "4:13 CF-01", "5:21 CF-01"], "\(errors.diagnostics.map(\.text))")
    }

    @Test func foundUpwardAndApplied() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try write("requiredTags:\n  Environment: !Ref Stage\n  Team: payments\nsuffixParameter: Stage\nrules:\n  disable: [HC-04]\n  severity: {TG-03: warning}\nexclude: ['stacks/deep/skip.yaml']\n", in: root)
        let template = root + "/stacks/deep/t.yaml"
        try "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags: [{Key: Environment, Value: !Ref Stage}]\n".write(toFile: template, atomically: true, encoding: .utf8)
        try "Resources: {}\n".write(toFile: root + "/stacks/deep/skip.yaml", atomically: true, encoding: .utf8)
        #expect(ConfigurationFile.locate(for: template) == root + "/.formwork.yml")
        let report = LintJob.run(paths: [root + "/stacks"], profile: nil, registry: .shared)
        #expect(report.files.map(\.file) == [template])
        let findings = report.diagnostics
        #expect(findings.contains { $0.ruleID == "TG-01" && $0.message.contains("no Team tag") })
        #expect(!findings.contains { $0.ruleID == "TG-01" && $0.message.contains("Environment") })
        #expect(findings.contains { $0.ruleID == "NM-04" && $0.message.contains("no Stage parameter") })
    }
}

@Suite struct LoopExpansionTests {
    @Test func theResourcesALoopMakesAreJudged() throws {
        let text = """
        Transform: AWS::LanguageExtensions
        Mappings:
          Queues:
            prod: {Names: [Orders, Refunds]}
        Parameters:
          Stage: {Type: String}
        Resources:
          Fn::ForEach::Queues:
            - Name
            - !FindInMap [Queues, !Ref Stage, Names]
            - Queue${Name}:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Sub '${Name}-queue'
                  Unknown: 1
        """
        let findings = try LintFixtures.lint(text, profile: "structural").filter { $0.ruleID == "ST-04" }
        #expect(findings.map { $0.path.prefix(2).map(\.description) } == [["Resources", "QueueOrders"], ["Resources", "QueueRefunds"]], "\(findings.map(\.text))")
        #expect(findings.allSatisfy { $0.message.contains("which Fn::ForEach::Queues makes") && $0.location.line == 15 })
        let template = try #require(TemplateReader.read(Array(text.utf8)).template)
        let expanded = LoopExpansion.expanded(template)
        #expect(expanded.madeBy == ["QueueOrders": "Fn::ForEach::Queues", "QueueRefunds": "Fn::ForEach::Queues"])
        #expect(expanded.template.resource("QueueRefunds")?.properties?["QueueName"]?.intrinsicValue?.argument.stringValue == "Refunds-queue")
        // A collection not known before deployment leaves the loop alone.
        let unknown = text.replacingOccurrences(of: "!FindInMap [Queues, !Ref Stage, Names]", with: "!Split [',', !Ref Stage]")
        #expect(LoopExpansion.expanded(try #require(TemplateReader.read(Array(unknown.utf8)).template)).madeBy.isEmpty)
    }
}

@Suite struct SuppressionMatchingTests {
    static let retained = "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    DeletionPolicy: Retain\n    Metadata:\n      formwork:\n        ignore:\n        - {rule: RULE, reason: kept on purpose}\n"

    func findings(_ rule: String) throws -> [Diagnostic] {
        try LintFixtures.lint(Self.retained.replacingOccurrences(of: "RULE", with: rule)).filter { $0.ruleID == "LC-01" || $0.ruleID == "SP-01" }
    }

    @Test func aPartialIdSuppressesNothing() throws {
        let found = try findings("LC-0")
        #expect(found.contains { $0.ruleID == "LC-01" }, "LC-0 silenced LC-01")
        #expect(found.contains { $0.ruleID == "SP-01" }, "the unused suppression is reported")
    }

    @Test func aWholeIdOrAFamilySuppresses() throws {
        #expect(try findings("LC-01").isEmpty)
        #expect(try findings("LC").isEmpty)
        #expect(try findings("lc-01").isEmpty)
        #expect(try findings("lifecycle").isEmpty, "the family's word")
    }

    @Test func aFamilyIsMatchedByItsDeclaredGroupsOnly() {
        #expect(Suppressions.matches("alarms", "DA-01"), "DA-01 is of the alarms family")
        #expect(Suppressions.matches("DA", "DA-01"))
        #expect(!Suppressions.matches("AL", "DA-01"), "AL is a group of alarms, but DA-01 is not in it")
        #expect(!Suppressions.matches("R", "RDS-01"), "a prefix of a group is no group")
        #expect(!Suppressions.matches("RDS-1", "RDS-16"))
        #expect(!Suppressions.matches("naming", "LC-01"))
        #expect(Suppressions.matches("PS", ReadDiagnosticID.duplicateKey), "a tool finding's group")
    }

    @Test func cfnLintIdsSuppressTheRulesThatDeclareThem() throws {
        let template = "Metadata:\n  cfn-lint:\n    config:\n      ignore_checks: [E3002]\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      Unknown: 1\n"
        #expect(try LintFixtures.lint(template, profile: "structural").filter { $0.ruleID == "ST-04" }.isEmpty)
        let unsuppressed = template.replacingOccurrences(of: "[E3002]", with: "[E9999]")
        #expect(try LintFixtures.lint(unsuppressed, profile: "structural").contains { $0.ruleID == "ST-04" })
    }
}
