import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import FormworkTestSupport
import Testing

/// Issue 18's classes through the command, each with inputs of its own: every refusal is a
/// located diagnostic with a documented id and an exit code below 128, within 20 s. Commands
/// run under `timeout`, so a hang fails the test instead of stalling the suite.
@Suite(.serialized) struct HostileCommandTests {
    struct Outcome {
        var status: Int32
        var output: String
        var bytes: Int
    }

    /// The command under a 20 s timeout, its standard output and error together.
    static func formwork(_ arguments: [String], stdin: String? = nil) -> Outcome {
        guard let run = try? CLI.run(arguments, stdin: stdin, timeout: 20) else { return Outcome(status: -1, output: "cannot start", bytes: 0) }
        let output = run.stdout + run.stderr
        return Outcome(status: run.status, output: output, bytes: output.utf8.count)
    }

    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-hostile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let template = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"

    // MARK: class 2, hangs

    @Test func fifosAreRefusedWithoutBlocking() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/x.yaml", 0o644) == 0)
        let named = Self.formwork(["lint", dir + "/x.yaml"])
        #expect(named.status == 2 && named.output.contains("is a FIFO, not a regular file [PS-00]"), "\(named.output)")
        try Self.template.write(toFile: dir + "/good.yaml", atomically: true, encoding: .utf8)
        let walked = Self.formwork(["lint", "--profile", "structural", dir])
        #expect(walked.status == 2 && walked.output.contains("x.yaml:1:1: error: a FIFO, not a regular file: not linted [PS-00]"), "\(walked.output)")
        let globbed = Self.formwork(["lint", "--profile", "structural", dir + "/*.yaml"])
        #expect(globbed.status == 2 && globbed.output.contains("[PS-00]"), "\(globbed.output)")
        let fmt = Self.formwork(["fmt", dir + "/x.yaml"])
        #expect(fmt.status == 2 && fmt.output.contains("[PS-00]"), "\(fmt.output)")
        // A FIFO named .formwork.yml above the template: a located refusal, no hang.
        let nested = dir + "/nested"
        try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
        try Self.template.write(toFile: nested + "/t.yaml", atomically: true, encoding: .utf8)
        #expect(mkfifo(dir + "/.formwork.yml", 0o644) == 0)
        let config = Self.formwork(["lint", nested + "/t.yaml"])
        #expect(config.status == 2 && config.output.contains(".formwork.yml") && config.output.contains("FIFO"), "\(config.output)")
    }

    @Test func patternsTheMatcherRefusesAreNotJudgedInsteadOfHanging() throws {
        let long = String(repeating: "a", count: 1_100)
        let text = """
        Parameters:
          Lookahead:
            Type: String
            AllowedPattern: '^(?=(a+)+b).*$'
            Default: '\(long)'
          Backtracking:
            Type: String
            AllowedPattern: '(a+)+b'
            Default: '\(long)'
          Backreference:
            Type: String
            AllowedPattern: '(a+)\\1+b'
            Default: '\(long)'
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              TopicName: !Join ['-', [!Ref Lookahead, !Ref Backtracking, !Ref Backreference]]
        """
        let started = Date()
        let outcome = Self.formwork(["lint", "--profile", "structural", "-"], stdin: text)
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(outcome.status < 128, "\(outcome.output)")
    }

    // MARK: class 3, blow-ups

    @Test func smallFilesMakeBoundedReports() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let values = (0..<2_000).map { "      - v\($0)" }.joined(separator: "\n")
        var expression = "!Ref P"
        for _ in 0..<8 { expression = "{'Fn::If': [C, \(expression), \(expression)]}" }
        try "Parameters:\n  P:\n    Type: String\n    AllowedValues:\n\(values)\nConditions:\n  C: !Equals [a, b]\nResources:\n  D:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageType: \(expression)\n      Engine: \(expression)\n"
            .write(toFile: dir + "/ifs.yaml", atomically: true, encoding: .utf8)
        let ring = (0..<10_000).map { "  R\($0):\n    Type: AWS::SNS::Topic\n    DependsOn: R\(($0 + 1) % 10_000)" }.joined(separator: "\n")
        try ("Resources:\n" + ring + "\n").write(toFile: dir + "/ring.yaml", atomically: true, encoding: .utf8)
        for file in ["ifs.yaml", "ring.yaml"] {
            let outcome = Self.formwork(["lint", dir + "/" + file])
            #expect(outcome.status < 128 && outcome.status != 0)
            #expect(outcome.bytes < 1 << 20, "\(file): \(outcome.bytes) bytes of report")
        }
        let ring10k = Self.formwork(["lint", "--profile", "structural", dir + "/ring.yaml"])
        #expect(ring10k.output.contains("10000 resources are in one circular dependency"), "\(ring10k.output.prefix(500))")
        #expect(ring10k.output.components(separatedBy: "[ST-13]").count == 2, "the ring is reported once")
        let capped = Self.formwork(["lint", dir + "/ring.yaml"])
        #expect(capped.output.contains("[LN-01]"), "the report is capped with a count")
    }

    // MARK: class 4, injection

    @Test func templateTextCannotInjectIntoReports() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let evil = "X\r\n::error file=pwned::injected\u{1B}]0;title\u{07}\u{1B}[31m`|</failure>\u{0}\u{202E}"
        let json = "{\"Resources\": {\"Topic\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": {\"TopicName\": {\"Ref\": \(jsonString(evil))}}}}}"
        let file = dir + "/evil.json"
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        let github = Self.formwork(["lint", "--profile", "structural", "--format", "github", file])
        let lines = github.output.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("::error ") || $0.hasPrefix("::warning ") || $0.hasPrefix("::notice ") }, "\(github.output)")
        #expect(!github.output.unicodeScalars.contains { $0 == "\r" || $0 == "\u{1B}" || $0 == "\u{0}" })
        let text = Self.formwork(["lint", "--profile", "structural", file])
        #expect(!text.output.unicodeScalars.contains { $0 == "\r" || $0 == "\u{1B}" || $0 == "\u{7}" || $0 == "\u{202E}" }, "\(text.output)")
        let junit = Self.formwork(["lint", "--profile", "structural", "--format", "junit", file])
        let parser = XMLParser(data: Data(junit.output.utf8))
        #expect(parser.parse(), "JUnit is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        // The Markdown diff: a backtick or a bar in a value stays inside its code span.
        let before = dir + "/before.yaml", after = dir + "/after.yaml"
        try "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: plain\n".write(toFile: before, atomically: true, encoding: .utf8)
        try "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: 'a`` | b`'\n".write(toFile: after, atomically: true, encoding: .utf8)
        let markdown = Self.formwork(["diff", "--format", "markdown", after, before])
        #expect(markdown.output.contains("```\"a`` \\| b`\"```"), "\(markdown.output)")
        let coloured = Self.formwork(["diff", after, before])
        #expect(!coloured.output.contains("\u{1B}"), "no colour when the output is not a terminal")
        // On a terminal (script(1) gives the command a pty): colour, unless NO_COLOR or TERM=dumb.
        if Repository.hasCommand("script") {
            let command = "\(CLI.binary) diff '\(after)' '\(before)'"
            let onTerminal = Repository.run(["env", "-u", "NO_COLOR", "TERM=xterm", "script", "-qec", command, "/dev/null"])?.output ?? ""
            #expect(onTerminal.contains("\u{1B}["), "colour on a terminal: \(onTerminal.prefix(200))")
            for setting in ["NO_COLOR=1", "TERM=dumb"] {
                let plain = Repository.run(["env", "TERM=xterm", setting, "script", "-qec", command, "/dev/null"])?.output ?? ""
                #expect(!plain.contains("\u{1B}["), "\(setting) still coloured")
            }
        }
    }

    // MARK: class 5, secrets

    @Test func noEchoValuesAreNeverPrinted() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let secret = "Sup3r-secret-Value"
        let template = { (value: String) in
            "Parameters:\n  Password:\n    Type: String\n    NoEcho: true\n    Default: \(value)\n    AllowedPattern: '^[0-9]+$'\n    MinLength: 40\nResources:\n  DB:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: db.t3.micro\n      Engine: postgres\n      MasterUsername: admin\n      MasterUserPassword: !Ref Password\n"
        }
        try template(secret).write(toFile: dir + "/deployed.yaml", atomically: true, encoding: .utf8)
        try template("Another-secret-2").write(toFile: dir + "/local.yaml", atomically: true, encoding: .utf8)
        try #"{"Stacks": [{"StackName": "s", "Parameters": [{"ParameterKey": "Password", "ParameterValue": "****"}]}]}"#
            .write(toFile: dir + "/stacks.json", atomically: true, encoding: .utf8)
        for format in ["text", "json", "sarif", "github", "junit"] {
            let outcome = Self.formwork(["lint", "--format", format, dir + "/deployed.yaml"])
            #expect(outcome.status != 0 && !outcome.output.contains(secret) && !outcome.output.contains("Sup3r"), "\(format): \(outcome.output)")
        }
        for format in ["text", "json", "markdown"] {
            let outcome = Self.formwork(["diff", "--format", format, "--parameter", "Password=Given-on-the-command-line", "--stack-description", dir + "/stacks.json",
                                         dir + "/local.yaml", dir + "/deployed.yaml"])
            for leaked in [secret, "Another-secret-2", "Given-on-the-command-line"] {
                #expect(!outcome.output.contains(leaked), "\(format) printed a NoEcho value: \(outcome.output)")
            }
        }
    }

    // MARK: class 6, files silently left out

    @Test func nothingIsSilentlyLeftOut() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        try Self.template.write(toFile: dir + "/real/t.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.yaml", withDestinationPath: "real/t.yaml")
        try FileManager.default.createSymbolicLink(atPath: dir + "/real/loop", withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: dir + "/broken.yaml", withDestinationPath: "nowhere.yaml")
        // A name that is not UTF-8, beside them.
        var raw = Array((dir + "/bad").utf8) + [0xFF] + Array(".yaml".utf8) + [0]
        raw.withUnsafeMutableBytes { pointer in
            let fd = open(pointer.baseAddress!.assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY | O_TRUNC, 0o644)
            _ = Self.template.withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }
        let outcome = Self.formwork(["lint", "--profile", "structural", "--format", "json", dir])
        let files = Set((try? JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [[String: Any]])?.compactMap { $0["file"] as? String } ?? [])
        #expect(files.contains(dir + "/broken.yaml"), "\(outcome.output)")
        let text = Self.formwork(["lint", "--profile", "structural", dir])
        // real/t.yaml, link.yaml, bad\xFF.yaml are linted; the loop is skipped and counted.
        #expect(text.output.contains("files linted, 1 skipped"), "\(text.output)")
        #expect(text.output.contains("broken.yaml:1:1: error: a broken symbolic link"), "\(text.output)")
        // Unreadable folders, where the tests can drop root's rights.
        if getuid() == 0, Repository.hasCommand("setpriv") {
            try FileManager.default.createDirectory(atPath: dir + "/locked", withIntermediateDirectories: true)
            try Self.template.write(toFile: dir + "/locked/t.yaml", atomically: true, encoding: .utf8)
            chmod(dir + "/locked", 0)
            chmod(dir, 0o755)
            let locked = Repository.run(["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", CLI.binary, "lint", "--profile", "structural", dir])
            chmod(dir + "/locked", 0o755)
            #expect(locked?.status == 2 && locked?.output.contains("locked:1:1: error: the folder cannot be read") == true, "\(locked?.output ?? "")")
        }
    }

    @Test func namesThatAreNotUTF8AreReadByTheirBytes() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var path = Array((dir + "/caf").utf8) + [0xE9] + Array(".yaml".utf8) + [0]
        path.withUnsafeMutableBytes { pointer in
            let fd = open(pointer.baseAddress!.assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY | O_TRUNC, 0o644)
            _ = "Resources:\n  Topic:\n    Type: AWS::SNS::Topicc\n".withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }
        let outcome = Self.formwork(["lint", "--profile", "structural", dir])
        #expect(outcome.output.contains("caf\\xE9.yaml:3:11: error:"), "\(outcome.output)")
        #expect(outcome.output.contains("1 file linted"), "\(outcome.output)")
    }

    // MARK: class 7, fmt --write

    @Test func fmtWriteKeepsLinksOwnersAndLeavesNoTemporaryFiles() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let messy = "Resources:\n  Topic:\n    Properties: {TopicName: x}\n    Type: AWS::SNS::Topic\n"
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        try messy.write(toFile: dir + "/real/t.yaml", atomically: true, encoding: .utf8)
        chmod(dir + "/real/t.yaml", 0o640)
        if getuid() == 0 { chown(dir + "/real/t.yaml", 65534, 65534) }
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.yaml", withDestinationPath: "real/t.yaml")
        let outcome = Self.formwork(["fmt", "--write", dir + "/link.yaml"])
        #expect(outcome.status == 0, "\(outcome.output)")
        let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/link.yaml")
        #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink, "the link is still a link")
        let target = try FileManager.default.attributesOfItem(atPath: dir + "/real/t.yaml")
        #expect((target[.posixPermissions] as? Int) == 0o640)
        if getuid() == 0 { #expect((target[.ownerAccountID] as? Int) == 65534) }
        #expect(try String(contentsOfFile: dir + "/real/t.yaml", encoding: .utf8).hasPrefix("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"))
        // A name near the system's limit (255 bytes) still writes.
        let longName = dir + "/" + String(repeating: "n", count: 250) + ".yaml"
        try messy.write(toFile: longName, atomically: true, encoding: .utf8)
        #expect(Self.formwork(["fmt", "--write", longName]).status == 0)
        // Killed at random moments: no temporary file is left behind.
        let big = dir + "/big.yaml"
        let resources = (0..<6_000).map { "  Topic\($0):\n    Properties: {TopicName: t\($0)}\n    Type: AWS::SNS::Topic" }.joined(separator: "\n")
        try ("Resources:\n" + resources + "\n").write(toFile: big, atomically: true, encoding: .utf8)
        for attempt in 0..<12 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["fmt", "--write", big]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(10_000 + attempt * 15_000))
            kill(process.processIdentifier, attempt % 2 == 0 ? SIGKILL : SIGTERM)
            process.waitUntilExit()
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".fw-") || $0.contains(".formwork-") }
        #expect(left.isEmpty, "temporary files left: \(left)")
    }

    // MARK: class 8, the self-check on valid input

    @Test func deepAndInfiniteValuesFormatInBothSyntaxes() throws {
        var expression = "x"
        for _ in 0..<126 { expression = "!Join ['', [\(expression)]]" }
        let deep = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: \(expression)\n"
        for format in ["yaml", "json"] {
            let outcome = Self.formwork(["fmt", "--format", format, "-"], stdin: deep)
            #expect(outcome.status == 0, "\(format): \(outcome.output.prefix(400))")
        }
        let infinite = "Resources:\n  T:\n    Type: AWS::SQS::Queue\n    Properties:\n      DelaySeconds: .inf\n      MaximumMessageSize: .nan\n      VisibilityTimeout: -.inf\n"
        let json = Self.formwork(["fmt", "--format", "json", "-"], stdin: infinite)
        #expect(json.status == 0 && json.output.contains("\"DelaySeconds\": \".inf\""), "\(json.output)")
    }

    // MARK: class 9, Unicode

    @Test func keysAndValuesCompareByScalars() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        let keys = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Metadata:\n      \(composed): 1\n      \(decomposed): 2\n"
        let read = Self.formwork(["fmt", "-"], stdin: keys)
        #expect(read.status == 0 && !read.output.contains("PS-02"), "\(read.output)")
        let before = dir + "/before.yaml", after = dir + "/after.yaml"
        try "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: \(composed)\n".write(toFile: before, atomically: true, encoding: .utf8)
        try "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: \(decomposed)\n".write(toFile: after, atomically: true, encoding: .utf8)
        let diff = Self.formwork(["diff", after, before])
        #expect(diff.status == 1 && diff.output.contains("replace"), "a create-only TopicName whose bytes differ replaces the topic: \(diff.output)")
    }

    // MARK: class 10, strict shapes

    @Test(arguments: [
        ("local", "{}", "expected a template with Resources"),
        ("local", "{\"TemplateBody\": \"Resources: {}\"}", "this is `aws cloudformation get-template` output"),
        ("stacks", "{\"Stacks\": [{\"Outputs\": {\"A\": \"b\"}}]}", "\"Outputs\" must be a list"),
        ("stacks", "{\"Stacks\": [{\"Parameters\": {\"A\": \"b\"}}]}", "\"Parameters\" must be a list"),
        ("stacks", "{\"Stacks\": [{\"Parameters\": [{\"ParameterKey\": \"A\", \"ParameterValue\": 5}]}]}", "must be a string"),
        ("stacks", "{\"Stacks\": [{\"Outputs\": [{\"OutputKey\": \"A\", \"OutputValue\": [1]}]}]}", "must be a string"),
    ])
    func diffInputsHaveStrictShapes(role: String, text: String, expected: String) throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.template.write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
        try text.write(toFile: dir + "/input.json", atomically: true, encoding: .utf8)
        let arguments = role == "local" ? ["diff", dir + "/input.json", dir + "/t.yaml"] : ["diff", dir + "/t.yaml", dir + "/t.yaml", "--stack-description", dir + "/input.json"]
        let outcome = Self.formwork(arguments)
        #expect(outcome.status == 2 && outcome.output.contains(expected) && outcome.output.contains("[DF-01]") && outcome.output.contains("input.json:1:"), "\(outcome.output)")
    }
}

private func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        default:
            if scalar.value < 0x20 { result += String(format: "\\u%04x", scalar.value) } else { result.unicodeScalars.append(scalar) }
        }
    }
    return result + "\""
}
