import Foundation
import Testing

/// `formwork check` in a repository that is not this one, and the lint options CI uses.
@Suite struct CICommandTests {
    static let clean = "Metadata:\n  formwork: {profile: structural}\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n"
    static let gitAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/git")

    static func git(_ arguments: [String], in folder: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-C", folder] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }

    static func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// A small repository: two templates, a non-template YAML file, an ignored broken
    /// template, a broken one in node_modules.
    static func repository() throws -> String {
        let folder = try CLI.temporaryFolder()
        try git(["init", "-q"], in: folder)
        try write(clean, folder + "/infra/network.yaml")
        try write(clean, folder + "/infra/db/database.json.template")
        try write("name: not a template\nitems: [1, 2]\n", folder + "/config/settings.yml")
        try write("Resources: [\n", folder + "/scratch/broken.yaml")
        try write("scratch/\n", folder + "/.gitignore")
        try write("Resources: {\n", folder + "/node_modules/pkg/bad.yaml")
        return folder
    }

    @Test(.enabled(if: gitAvailable, "git is not installed")) func checkLintsExactlyTheRepositorysTemplates() throws {
        let folder = try Self.repository()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try CLI.run(["check", folder])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("lint      2       0         0     0"), "\(run.stdout)")
        #expect(run.stdout.contains("from git, 1 not a template; no Formwork app: clean"), "\(run.stdout)")

        try Self.write("Resources:\n  Topic:\n    Type: AWS::SNS::Topics\n", folder + "/infra/network.yaml")
        let bad = try CLI.run(["check", folder])
        #expect(bad.status == 2)
        #expect(bad.stdout.contains("\(folder)/infra/network.yaml:3:11: error:"), "\(bad.stdout)")
        #expect(bad.stdout.hasSuffix("FAILED\n"))
    }

    @Test(.enabled(if: gitAvailable, "git is not installed")) func checkFollowsTheConfigurationAndRunsTheApp() throws {
        let folder = try Self.repository()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // include narrows; canonical form required; the app is a command that fails.
        try Self.write("check:\n  include: ['infra/*.yaml']\n  canonical: true\n  app: sh -c 'echo templates/x.yml is stale; exit 1' app\n", folder + "/.formwork.yml")
        try Self.write("Resources:\n  Topic: {Type: 'AWS::SNS::Topic'}\nMetadata:\n  formwork: {profile: structural}\n", folder + "/infra/network.yaml")
        let run = try CLI.run(["check", folder, "--sarif", folder + "/check.sarif"])
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("templates/x.yml is stale"), "\(run.stdout)")
        #expect(run.stdout.contains("\(folder)/infra/network.yaml:1:1: error: not in canonical form [CK-02]"), "\(run.stdout)")
        #expect(run.stdout.contains("\(folder)/.formwork.yml:1:1: error: the app's check failed"), "\(run.stdout)")
        #expect(run.stdout.contains("lint                1       0"), "\(run.stdout)")
        let sarif = try String(contentsOfFile: folder + "/check.sarif", encoding: .utf8)
        #expect(sarif.contains("\"uri\": \"infra/network.yaml\""))
        #expect(sarif.contains("\"uriBaseId\": \"%SRCROOT%\""))

        try Self.write("check:\n  include: ['infra/**']\n  app: none\n", folder + "/.formwork.yml")
        let annotated = try CLI.run(["check", folder, "--annotations"])
        #expect(annotated.status == 0, "\(annotated.stdout)\(annotated.stderr)")
        try Self.write("check:\n  inclde: []\n", folder + "/.formwork.yml")
        let misspelt = try CLI.run(["check", folder])
        #expect(misspelt.status == 2)
        #expect(misspelt.stdout.contains(".formwork.yml:2:11: error: unknown key 'inclde' in check"), "\(misspelt.stdout)")
    }

    @Test func checkOutsideGitReportsWhatItCannotRead() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.write(Self.clean, folder + "/ok.yaml")
        #expect(mkfifo(folder + "/pipe.yaml", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: folder + "/broken.yaml", withDestinationPath: "nowhere.yaml")
        let run = try CLI.run(["check", folder], timeout: 60)
        #expect(run.status == 2)
        #expect(run.stdout.contains("\(folder)/pipe.yaml:1:1: error: a FIFO, not a regular file: not linted [PS-00]"), "\(run.stdout)")
        #expect(run.stdout.contains("\(folder)/broken.yaml:1:1: error: a broken symbolic link"), "\(run.stdout)")
        #expect(run.stdout.contains("from the folder"))
        #expect(try CLI.run(["check", folder + "/ok.yaml"]).status == 2)
        #expect(try CLI.run(["check", folder + "/missing"]).stderr.contains("no such folder [PS-00]"))
    }

    @Test func lintOptionsCIUses() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.write("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n", folder + "/a/b/c/deep.yaml")
        try Self.write("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n", folder + "/top.yaml")
        try Self.write("Resources: {\n", folder + "/.hidden/x.yaml")
        // `**` spans folders, never into hidden ones.
        let glob = try CLI.run(["lint", "--profile", "structural", folder + "/**/*.yaml"])
        #expect(glob.stdout.hasSuffix("2 files linted, 0 skipped: 0 errors, 0 warnings, 0 informational\n"), "\(glob.stdout)")
        // Ignoring by id, family and cfn-lint id; an unknown check is a usage error.
        let all = try CLI.run(["lint", folder + "/top.yaml"])
        #expect(all.status == 6)
        let ignored = try CLI.run(["lint", "--ignore-checks", "NM-04", "--ignore-checks", "TG", "--ignore-checks", "sns", folder + "/top.yaml"])
        #expect(ignored.status == 0, "\(ignored.stdout)")
        #expect(try CLI.run(["lint", "--ignore-checks", "Q1234", folder + "/top.yaml"]).status == 64)
        // cfn-lint's E3012 maps to the value-type rule.
        try Self.write("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: {FifoTopic: [1]}\n", folder + "/typed.yaml")
        #expect(try CLI.run(["lint", "--profile", "structural", folder + "/typed.yaml"]).status == 2)
        #expect(try CLI.run(["lint", "--profile", "structural", "--ignore-checks", "E3012", folder + "/typed.yaml"]).status == 0)
        // Quiet and an output file.
        let quiet = try CLI.run(["lint", "--quiet", "--profile", "structural", folder + "/top.yaml", "--output-file", folder + "/report.txt"])
        #expect(quiet.status == 0 && quiet.stdout.isEmpty)
        #expect(try String(contentsOfFile: folder + "/report.txt", encoding: .utf8) == "")
        // Deployment values decide what a Ref can be: `true` is allowed, but not deployed.
        try Self.write("Parameters:\n  Public: {Type: String, Default: 'false', AllowedValues: ['true', 'false']}\nResources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Delete\n    Properties:\n      Engine: postgres\n      DBInstanceClass: db.t3.micro\n      PubliclyAccessible: !Ref Public\n", folder + "/db.yaml")
        let rds02 = ["lint", "--format", "json", "--ignore-checks", "NM,TG,RDS-03,RDS-04,RDS-05,RDS-06,RDS-07,RDS-08,RDS-14,RDS-16,RDS-18,RDS-20,ST"]
        let defaulted = try CLI.run(rds02 + [folder + "/db.yaml"])
        #expect(defaulted.stdout.contains("\"rule\": \"RDS-02\""), "\(defaulted.stdout)")
        let given = try CLI.run(rds02 + ["--parameters", "Public=false", folder + "/db.yaml"])
        #expect(!given.stdout.contains("\"rule\": \"RDS-02\""), "\(given.stdout)")
        try Self.write("[{\"ParameterKey\": \"Public\", \"ParameterValue\": \"true\"}]\n", folder + "/params.json")
        let fromFile = try CLI.run(rds02 + ["--parameter-file", folder + "/params.json", folder + "/db.yaml"])
        #expect(fromFile.stdout.contains("\"rule\": \"RDS-02\""), "\(fromFile.stdout)")
        // A finding is placed at a deployment value by what it judged, not by its text: a name
        // that reads like the value's place stays where it is, as written.
        let lookalike = "the deployment value of Public (\(folder)/params.json:1:47)"
        try Self.write("Parameters:\n  Public: {Type: String, Default: 'false', AllowedValues: ['true', 'false']}\nResources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Delete\n    Properties:\n      Engine: postgres\n      DBInstanceClass: db.t3.micro\n      PubliclyAccessible: !Ref Public\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '\(lookalike)'\n", folder + "/named.yaml")
        let named = try CLI.run(["lint", "--parameter-file", folder + "/params.json", folder + "/named.yaml"])
        #expect(named.stdout.contains("\(folder)/named.yaml:14:18: error: Topic.TopicName is the fixed name '\(lookalike)'"), "\(named.stdout)")
        #expect(named.stdout.contains("\(folder)/params.json:1:47: error: Database can be reachable from the internet (the deployment value of Public in \(folder)/params.json) [RDS-02]"), "\(named.stdout)")
        try Self.write("{\"Size\": [1]}\n", folder + "/bad-params.json")
        let badFile = try CLI.run(["lint", "--parameter-file", folder + "/bad-params.json", folder + "/db.yaml"])
        #expect(badFile.status == 2 && badFile.stderr.contains("bad-params.json:1:10: error: the value of Size must be a scalar [CF-01]"), "\(badFile.stderr)")
        #expect(try CLI.run(["lint", "--regions", "mars-1", folder + "/top.yaml"]).status == 64)
    }
}

@Suite struct GraphCommandTests {
    @Test func edgesForEveryKindOfReferenceAndStatefulResourcesMarked() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/t.yaml"
        try """
        Parameters:
          Name: {Type: String}
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
            Properties: {BucketName: !Ref Name}
          Topic:
            Type: AWS::SNS::Topic
            DependsOn: Bucket
            Properties:
              TopicName: !Sub '${Name}-${Bucket.Arn}'
              DisplayName: !GetAtt Bucket.DomainName
        Outputs:
          TopicArn: {Value: !Ref Topic}

        """.write(toFile: path, atomically: true, encoding: .utf8)
        let dot = try CLI.run(["graph", path])
        #expect(dot.status == 0)
        for edge in ["n1 -> n0 [label=\"Ref\"]", "n2 -> n1 [label=\"DependsOn\", style=dashed]", "n2 -> n1 [label=\"GetAtt\"]", "n2 -> n1 [label=\"Sub\"]",
                     "n2 -> n0 [label=\"Sub\"]", "n3 -> n2 [label=\"Ref\"]"] {
            #expect(dot.stdout.contains(edge), "\(edge)\n\(dot.stdout)")
        }
        #expect(dot.stdout.contains("n1 [label=\"Bucket\\nAWS::S3::Bucket\", shape=cylinder"))
        #expect(dot.stdout.components(separatedBy: " -> ").count - 1 == 6)
        let mermaid = try CLI.run(["graph", "--format", "mermaid", "--no-parameters", path])
        #expect(mermaid.stdout.hasPrefix("flowchart LR\n"))
        #expect(mermaid.stdout.contains("n0[(\"Bucket<br/>AWS::S3::Bucket\")]"), "\(mermaid.stdout)")
        #expect(!mermaid.stdout.contains("Name"))
        let broken = try CLI.run(["graph", folder + "/missing.yaml"])
        #expect(broken.status == 2 && broken.stderr.contains("missing.yaml:1:1: error:"))
    }

    @Test func explainKnowsRulesToolFindingsAndCfnLintIDs() throws {
        #expect(try CLI.run(["explain", "LC-01"]).stdout.hasPrefix("LC-01 no-retain-policies (lifecycle, error)\n"))
        #expect(try CLI.run(["explain", "CK-02"]).stdout.hasPrefix("CK-02 canonical-format (error)\n"))
        #expect(try CLI.run(["explain", "E3012"]).stdout.hasPrefix("cfn-lint's E3012 is reported by ST-06 value-types, ST-19 function-shapes.\n"))
        let unknown = try CLI.run(["explain", "ZZ-99"])
        #expect(unknown.status == 2 && unknown.stderr.contains("[RL-01]"))
    }
}

@Suite struct LanguageServerCommandTests {
    static func frame(_ body: String) -> String { "Content-Length: \(body.utf8.count)\r\n\r\n" + body }

    @Test func servesOverStandardInputAndSurvivesGarbage() throws {
        let input = Self.frame("{not json") + Self.frame("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}")
            + Self.frame("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}") + Self.frame("{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}")
        let run = try CLI.run(["lsp"], stdin: input, timeout: 30)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"code\":-32700"))
        #expect(run.stdout.contains("\"serverInfo\":{\"name\":\"formwork\""))
        // The input ending without shutdown and exit: exit code 1, no hang.
        let cut = try CLI.run(["lsp"], stdin: Self.frame("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}"), timeout: 30)
        #expect(cut.status == 1)
        // A header that never ends, or an absurd length: the server stops instead of reading forever.
        #expect(try CLI.run(["lsp"], stdin: "Content-Length: 99999999999\r\n\r\n{}", timeout: 30).status == 1)
    }
}

@Suite struct InitCommandTests {
    /// The written file states the house's conventions: linting under it is linting without it.
    @Test func writesTheHouseConventionsOnceAndKeepsAnExistingFile() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let template = folder + "/stack.yaml"
        try "Parameters:\n  EnvironmentSuffix: {Type: String, Default: prod}\nResources:\n  Key:\n    Type: AWS::KMS::Key\n    DeletionPolicy: Retain\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: logs}\n".write(toFile: template, atomically: true, encoding: .utf8)
        let without = try CLI.run(["lint", "--format", "json", template])
        let first = try CLI.run(["init", folder])
        #expect(first.status == 0 && first.stdout == "wrote \(folder)/.formwork.yml\n")
        let with = try CLI.run(["lint", "--format", "json", template])
        #expect(with.stdout == without.stdout, "\(with.stdout)")
        #expect(!with.stdout.contains("CF-01"))
        #expect(try CLI.run(["init", folder]).status == 1)
        #expect(try CLI.run(["init", "--force", folder]).status == 0)
    }
}
