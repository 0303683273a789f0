import Foundation
import Testing

/// What a newcomer's first runs say (issue 34): which conventions judged templates nothing
/// configured, a flood grouped by rule, counts in the singular, an unmatched glob named, and
/// `check` reporting what `lint` reports.
@Suite struct FirstRunCommandTests {
    static let topic = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"

    @Test func lintWithoutConfigurationSaysOnceWhichConventionsJudged() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try CICommandTests.write(Self.topic, folder + "/a.yaml")
        try CICommandTests.write(Self.topic, folder + "/b.yaml")
        try CICommandTests.write("Metadata:\n  formwork: {profile: structural}\n" + Self.topic, folder + "/chosen.yaml")
        let run = try CLI.run(["lint", folder])
        #expect(run.stderr.components(separatedBy: "note: ").count == 2, "\(run.stderr)")
        #expect(run.stderr.contains("no .formwork.yml or profile applies to 2 of the 3 templates, so Formwork's house conventions judged them"))
        #expect(run.stderr.contains("`formwork init` writes a .formwork.yml") && run.stderr.contains("`--profile structural`"))
        // Chosen conventions, or -q: nothing to say.
        #expect(try CLI.run(["lint", "--profile", "ephemeral", folder]).stderr.isEmpty)
        #expect(try CLI.run(["lint", "-q", folder]).stderr.isEmpty)
        try CICommandTests.write("profile: ephemeral\n", folder + "/.formwork.yml")
        #expect(try CLI.run(["lint", folder]).stderr.isEmpty)
    }

    @Test func manyFindingsAreCountedByRuleAndCountsAgreeInNumber() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // 25 topics without tags or a suffix: TG-01 and NM-01 each 25 times, and more.
        let topics = (1...25).map { "  Topic\($0):\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: fixed\($0)}\n" }.joined()
        try CICommandTests.write("Resources:\n" + topics, folder + "/many.yaml")
        let many = try CLI.run(["lint", folder + "/many.yaml"])
        let lines = many.stdout.split(separator: "\n").map(String.init)
        let heading = try #require(lines.firstIndex { $0.hasPrefix("findings by rule (most frequent first") }, "\(many.stdout)")
        #expect(lines[heading + 1].hasPrefix("  ") && lines[heading + 1].hasSuffix("  error"))
        let counted = lines[(heading + 1)...].prefix { $0.hasPrefix("  ") }
        #expect(counted.contains { $0.contains("TG-01") && $0.contains(" 25 ") }, "\(counted)")
        #expect(lines.last!.hasPrefix("1 file linted, 0 skipped: "))
        // Few findings: no grouping, and one of each in the singular.
        try CICommandTests.write("Parameters:\n  Unused: {Type: String}\nResources:\n  Queue:\n    Type: AWS::SQS::Queues\n", folder + "/one.yaml")
        let one = try CLI.run(["lint", "--profile", "structural", folder + "/one.yaml"])
        #expect(one.stdout.hasSuffix("1 file linted, 0 skipped: 1 error, 1 warning, 0 informational\n"), "\(one.stdout)")
        #expect(!one.stdout.contains("findings by rule"))
    }

    @Test func aGlobMatchingNothingIsAUsageErrorNamingIt() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try CICommandTests.write(Self.topic, folder + "/a.yaml")
        let run = try CLI.run(["lint", folder + "/infra/**/*.yml", folder + "/a.yaml"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("no file matches the glob '\(folder)/infra/**/*.yml'"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        // A missing file that is not a glob stays a located PS-00.
        let missing = try CLI.run(["lint", "--profile", "structural", folder + "/gone.yaml"])
        #expect(missing.status == 2 && missing.stdout.contains("no such file or folder [PS-00]"))
    }

    @Test func checkReportsWhatLintReports() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A key that waits the default 30 days before deletion: LC-07, informational.
        let key = """
        Parameters:
          EnvironmentSuffix: {Type: String, AllowedPattern: '^[a-z0-9-]+$', MaxLength: 20}
        Resources:
          Key:
            Type: AWS::KMS::Key
            DeletionPolicy: Delete
            UpdateReplacePolicy: Delete
            Properties:
              EnableKeyRotation: true
              Tags: [{Key: Environment, Value: !Ref EnvironmentSuffix}]

        """
        try CICommandTests.write(key, folder + "/key.yaml")
        let lint = try CLI.run(["lint", "-q", folder + "/key.yaml"])
        let found = lint.stdout.split(separator: "\n").filter { $0.contains(": info: ") }
        #expect(!found.isEmpty, "\(lint.stdout)")
        let check = try CLI.run(["check", folder])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        for line in found {
            #expect(check.stdout.contains(String(line)), "check lacks: \(line)\n\(check.stdout)")
        }
        #expect(check.stdout.contains("1 candidate file from the folder, 0 not templates"), "\(check.stdout)")
    }
}
