import Foundation
import FormworkTestSupport
import Testing

/// Issue 25's classes through the command: writes that only replace regular files, file
/// names printed through the same escaping as everything else, configuration that cannot
/// be read or says an impossible date. Each ends in a located, documented diagnostic.
@Suite(.serialized) struct HostileRoundThreeTests {
    typealias Hostile = HostileCommandTests

    /// A Unix socket bound at `path` (kept open by the returned descriptor).
    static func socket(at path: String) -> Int32 {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        #expect(bound == 0)
        return fd
    }

    /// The file type at a path, the path itself (not what a link names).
    static func kind(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    @Test func outputFilesReplaceOnlyRegularFiles() throws {
        let dir = try Hostile.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let template = dir + "/t.yaml"
        try Hostile.template.write(toFile: template, atomically: true, encoding: .utf8)
        // A character device: as root a copy of /dev/null made here (the real one is never
        // put at risk), else /dev/null through a link (a rename into /dev would be refused
        // anyway).
        let device = dir + "/null"
        if getuid() == 0 {
            #expect(mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0)  // makedev(1, 3): a macro Swift does not import
        } else {
            try FileManager.default.createSymbolicLink(atPath: device, withDestinationPath: "/dev/null")
        }
        #expect(mkfifo(dir + "/fifo", 0o644) == 0)
        let socket = Self.socket(at: dir + "/sock")
        defer { close(socket) }
        try FileManager.default.createDirectory(atPath: dir + "/folder", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/to-device", withDestinationPath: "null")
        try FileManager.default.createSymbolicLink(atPath: dir + "/to-fifo", withDestinationPath: dir + "/fifo")
        try FileManager.default.createSymbolicLink(atPath: dir + "/loop-a", withDestinationPath: "loop-b")
        try FileManager.default.createSymbolicLink(atPath: dir + "/loop-b", withDestinationPath: "loop-a")
        let cases = [("null", "character device"), ("fifo", "a FIFO"), ("sock", "a socket"), ("folder", "a directory"),
                     ("to-device", "character device"), ("to-fifo", "a FIFO"), ("loop-a", "do not end")]
        for (name, what) in cases {
            let before = Self.kind(dir + "/" + name)
            for format in ["text", "sarif"] {
                let outcome = Hostile.formwork(["lint", "--profile", "structural", "--format", format, "--output-file", dir + "/" + name, template])
                #expect(outcome.status == 2, "\(name): \(outcome.output)")
                #expect(outcome.output.contains("\(dir)/\(name):1:1: error: ") && outcome.output.contains(what) && outcome.output.contains("[PS-00]"), "\(name): \(outcome.output)")
            }
            #expect(before == Self.kind(dir + "/" + name), "\(name) was replaced")
        }
        if getuid() == 0 {
            #expect(Self.kind(device) == S_IFCHR)
        }
        // A link to a regular file is written through: the target gets the report, the link stays.
        try "old".write(toFile: dir + "/report.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/report-link", withDestinationPath: "report.txt")
        let through = Hostile.formwork(["lint", "--profile", "structural", "--output-file", dir + "/report-link", template])
        #expect(through.status == 0, "\(through.output)")
        #expect(try String(contentsOfFile: dir + "/report.txt", encoding: .utf8).contains("1 file linted"))
        #expect(try FileManager.default.attributesOfItem(atPath: dir + "/report-link")[.type] as? FileAttributeType == .typeSymbolicLink)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".fw-") }
        #expect(left.isEmpty, "temporary files left: \(left)")
    }

    @Test func fmtWriteRefusesALinkToADevice() throws {
        let dir = try Hostile.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/fifo", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/t.yaml", withDestinationPath: "fifo")
        let outcome = Hostile.formwork(["fmt", "--write", dir + "/t.yaml"])
        #expect(outcome.status == 2 && outcome.output.contains("[PS-00]") && outcome.output.contains("FIFO"), "\(outcome.output)")
        #expect(Self.kind(dir + "/fifo") == S_IFIFO)
    }

    @Test func fileNamesCannotForgeAnnotationsOrDriveTheTerminal() throws {
        let dir = try Hostile.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let evil = dir + "/x\r\n::error file=pwned::forged\u{1B}[31m.yaml"
        try "Resources:\n  Topic:\n    Properties: {TopicName: x}\n    Type: AWS::SNS::Topic\n".write(toFile: evil, atomically: true, encoding: .utf8)
        let check = Hostile.formwork(["fmt", "--check", evil])
        #expect(check.status == 1 && check.output.hasPrefix("not canonical: "), "\(check.output)")
        #expect(!check.output.unicodeScalars.contains { $0 == "\r" || $0 == "\u{1B}" }, "\(check.output)")
        #expect(check.output.split(separator: "\n").count == 1)
        for arguments in [["lint", "--profile", "structural", "--format", "github", evil], ["lint", "--profile", "structural", "--output-file", evil + "/no", evil]] {
            let outcome = Hostile.formwork(arguments)
            #expect(!outcome.output.unicodeScalars.contains { $0 == "\r" || $0 == "\u{1B}" }, "\(outcome.output)")
            #expect(!outcome.output.split(separator: "\n").contains { $0.hasPrefix("::error file=pwned") }, "\(outcome.output)")
        }
    }

    @Test(arguments: ["2026-13-45", "2025-02-29", "2026-00-10", "2026-04-31", "26-01-01", "2026-1-011"])
    func datesThatAreNotDaysAreRefused(date: String) throws {
        let dir = try Hostile.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Hostile.template.write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
        try "evaluationDate: '\(date)'\n".write(toFile: dir + "/.formwork.yml", atomically: true, encoding: .utf8)
        let outcome = Hostile.formwork(["lint", dir + "/t.yaml"])
        #expect(outcome.status == 2 && outcome.output.contains(".formwork.yml:1:17: error: evaluationDate must be a day") && outcome.output.contains("[CF-01]"), "\(outcome.output)")
        try "evaluationDate: '2024-02-29'\n".write(toFile: dir + "/.formwork.yml", atomically: true, encoding: .utf8)
        #expect(Hostile.formwork(["lint", dir + "/t.yaml"]).status != 2)
    }

    @Test func aConfigurationThatCannotBeReadIsAnErrorNeverTheDefaults() throws {
        let dir = try Hostile.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let nested = dir + "/templates"
        try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
        try Hostile.template.write(toFile: nested + "/t.yaml", atomically: true, encoding: .utf8)
        let config = dir + "/.formwork.yml"
        let setups: [(String, () throws -> Void)] = [
            ("leads to no file", { try FileManager.default.createSymbolicLink(atPath: config, withDestinationPath: "missing.yml") }),
            ("leads to no file", { try FileManager.default.createSymbolicLink(atPath: config, withDestinationPath: ".formwork.yml") }),
            ("a directory", { try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true) }),
        ]
        for (what, setup) in setups {
            try? FileManager.default.removeItem(atPath: config)
            try setup()
            let outcome = Hostile.formwork(["lint", nested + "/t.yaml"])
            #expect(outcome.status == 2 && outcome.output.contains(".formwork.yml:1:1: error: ") && outcome.output.contains(what) && outcome.output.contains("[PS-00]"),
                    "\(what): \(outcome.output)")
        }
        // Unreadable: only a user other than root is refused by the mode.
        if getuid() != 0 {
            try? FileManager.default.removeItem(atPath: config)
            try "profile: structural\n".write(toFile: config, atomically: true, encoding: .utf8)
            chmod(config, 0)
            let outcome = Hostile.formwork(["lint", nested + "/t.yaml"])
            #expect(outcome.status == 2 && outcome.output.contains("[PS-00]"), "\(outcome.output)")
        }
    }

    // MARK: NoEcho values from the deployment

    static let secretTemplate = """
        Transform: AWS::LanguageExtensions
        Metadata:
          formwork: {settings: {instanceClasses: [db.r6g.large]}}
        Parameters:
          Class:
            Type: String
            NoEcho: true
          Short:
            Type: String
            NoEcho: true
            Default: x9
          Names:
            Type: CommaDelimitedList
            NoEcho: true
            Default: Zeta9,Kappa4
        Resources:
          DB:
            Type: AWS::RDS::DBInstance
            Properties:
              DBInstanceClass: !Ref Class
              Engine: postgres
          Small:
            Type: AWS::RDS::DBInstance
            Properties:
              DBInstanceClass: !Ref Short
              Engine: postgres
          Fn::ForEach::Topics:
            - Name
            - !Ref Names
            - Topic${Name}:
                Type: AWS::SNS::Topic
                Properties:
                  DeliveryPolicy: 5

        """

    @Test(arguments: ["db.secret9.huge", "q", "z3"])
    func noEchoDeploymentValuesAreNeverPrinted(value: String) throws {
        let dir = try Hostile.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.secretTemplate.write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
        try "Parameters:\n  Class: \(value)\n".write(toFile: dir + "/params.yaml", atomically: true, encoding: .utf8)
        for given in [["--parameter-file", dir + "/params.yaml"], ["--parameters", "Class=\(value)"]] {
            for format in ["text", "json", "sarif", "github", "junit"] {
                let outcome = Hostile.formwork(["lint", "--profile", "production", "--format", format] + given + [dir + "/t.yaml"])
                #expect(outcome.status != 0 && outcome.status < 128 && outcome.output.contains("RDS-12"), "\(format): \(outcome.output.prefix(300))")
                let words = Set(outcome.output.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "." }).map(String.init))
                for secret in [value, "x9", "Zeta9", "Kappa4", "TopicZeta9", "TopicKappa4"] {
                    #expect(!words.contains(secret) && (secret.count < 8 || !outcome.output.contains(secret)), "\(format) printed \(secret)")
                }
            }
            // A finding on a value from a parameters file stands at that value, with a note at
            // the Ref that takes it; a value from the command line has no place but the Ref.
            let text = Hostile.formwork(["lint", "--profile", "production"] + given + [dir + "/t.yaml"])
            if given[0] == "--parameter-file" {
                #expect(text.output.contains("params.yaml:2:10: warning: DB can run on **** (the deployment value of Class in \(dir)/params.yaml)"), "\(text.output)")
                #expect(text.output.contains("t.yaml:20:24: note: the template takes this value at Resources/DB/Properties/DBInstanceClass"), "\(text.output)")
            } else {
                #expect(text.output.contains("t.yaml:20:24: warning: DB can run on **** (the deployment value of Class)"), "\(text.output)")
            }
        }
    }

    // MARK: unbounded work

    /// The command's outcome and how long it took.
    static func timed(_ arguments: [String]) -> (HostileCommandTests.Outcome, Duration) {
        let clock = ContinuousClock()
        var outcome: HostileCommandTests.Outcome!
        let elapsed = clock.measure { outcome = Hostile.formwork(arguments) }
        return (outcome, elapsed)
    }

    @Test func findingsPastTheCapAreCountedNotMade() throws {
        let dir = try Hostile.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tags = (0..<2_000).map { "  T\($0): v" }.joined(separator: "\n")
        try ("requiredTags:\n" + tags + "\n").write(toFile: dir + "/.formwork.yml", atomically: true, encoding: .utf8)
        let resources = (0..<2_000).map { "  Q\($0):\n    Type: AWS::SQS::Queue" }.joined(separator: "\n")
        try ("Resources:\n" + resources + "\n").write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
        let (outcome, elapsed) = Self.timed(["lint", dir + "/t.yaml"])
        #expect(outcome.status == 2, "\(outcome.output.prefix(300))")
        #expect(outcome.output.contains("t.yaml:1:1: error: 3999000 more TG-01 findings in this file were counted, not made: a report shows at most 1000 per file [LN-01]"), "\(outcome.output.prefix(600))")
        #expect(outcome.bytes < 1 << 20)
        #expect(elapsed < .seconds(20), "\(elapsed)")
        // A suppression still applies to what is only counted.
        let suppressed = "Resources:\n" + (0..<2_000).map { "  Q\($0):\n    Type: AWS::SQS::Queue\n    Metadata: {formwork: {ignore: [{rule: TG-01, reason: test}]}}" }.joined(separator: "\n") + "\n"
        try suppressed.write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        let quiet = Hostile.formwork(["lint", dir + "/s.yaml"])
        #expect(!quiet.output.contains("TG-01"), "\(quiet.output.prefix(600))")
    }

    @Test func thePatternBudgetIsPerFileAndSaysWhatItLeftUnjudged() throws {
        let dir = try Hostile.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let parameters = (0..<2_000).map { "  P\($0):\n    Type: String\n    Default: '\(String(repeating: "a", count: 30))!'\n    AllowedPattern: '^(a+)+$'" }.joined(separator: "\n")
        try ("Parameters:\n" + parameters + "\nResources:\n  T:\n    Type: AWS::SNS::Topic\n").write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let (outcome, elapsed) = Self.timed(["lint", "--profile", "structural", dir + "/p.yaml"])
        #expect(outcome.status < 128 && elapsed < .seconds(30), "\(elapsed)")
        #expect(outcome.output.contains("p.yaml:1:1: info: 2000 values were not judged by ST-15: matching patterns took more than the budget"), "\(outcome.output.suffix(600))")
        // Long values: 600 of 60,000 characters stay bounded.
        let long = String(repeating: "b", count: 60_000)
        let topics = (0..<600).map { "  T\($0):\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '\(long)'" }.joined(separator: "\n")
        try ("Resources:\n" + topics + "\n").write(toFile: dir + "/long.yaml", atomically: true, encoding: .utf8)
        let (big, bigElapsed) = Self.timed(["lint", "--profile", "structural", dir + "/long.yaml"])
        #expect(big.status < 128 && bigElapsed < .seconds(30) && big.bytes < 1 << 20, "\(bigElapsed) \(big.output.suffix(300))")
    }

    @Test func propagationAlongALongReferenceChainIsLinear() throws {
        let dir = try Hostile.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let count = 5_000
        let chain = (0..<(count - 1)).map { "  T\($0):\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !GetAtt T\($0 + 1).TopicName" }.joined(separator: "\n")
        let template = "Resources:\n" + chain + "\n  T\(count - 1):\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: x\n"
        try template.write(toFile: dir + "/deployed.yaml", atomically: true, encoding: .utf8)
        try template.replacingOccurrences(of: "TopicName: x", with: "TopicName: y").write(toFile: dir + "/local.yaml", atomically: true, encoding: .utf8)
        let (outcome, elapsed) = Self.timed(["diff", dir + "/local.yaml", dir + "/deployed.yaml"])
        #expect(outcome.output.contains("5000 resources differ (5000 replaced"), "\(outcome.output.suffix(300))")
        // Debug build on a shared machine: quadratic propagation took minutes here.
        #expect(elapsed < .seconds(30), "\(elapsed)")
    }

    // MARK: every listed rule can be disabled

    @Test func everyRuleThatRulesListsCanBeDisabled() throws {
        let dir = try Hostile.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let listed = Hostile.formwork(["rules", "--format", "json"])
        let rules = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        let ids = rules.compactMap { $0["id"] as? String }
        #expect(ids.contains("LC-08") && ids.count > 100)
        try ("rules:\n  disable: [" + ids.joined(separator: ", ") + "]\n").write(toFile: dir + "/.formwork.yml", atomically: true, encoding: .utf8)
        try Hostile.template.write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
        let lint = Hostile.formwork(["lint", dir + "/t.yaml"])
        #expect(lint.status == 0 && !lint.output.contains("CF-01"), "\(lint.output)")
        // And the diff honours it: LC-08 disabled is not reported, enabled it is.
        let deployed = "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceIdentifier: orders-db-dev1\n      DBName: orders\n      DBInstanceClass: db.m5.large\n"
        try deployed.write(toFile: dir + "/deployed.yaml", atomically: true, encoding: .utf8)
        try deployed.replacingOccurrences(of: "DBName: orders", with: "DBName: sales").write(toFile: dir + "/local.yaml", atomically: true, encoding: .utf8)
        try "rules:\n  disable: [LC-08]\n".write(toFile: dir + "/.formwork.yml", atomically: true, encoding: .utf8)
        let quiet = Hostile.formwork(["diff", dir + "/local.yaml", dir + "/deployed.yaml"])
        #expect(quiet.status == 1 && !quiet.output.contains("LC-08"), "\(quiet.output)")
        try "rules:\n  severity: {LC-08: warning}\n".write(toFile: dir + "/.formwork.yml", atomically: true, encoding: .utf8)
        let warned = Hostile.formwork(["diff", dir + "/local.yaml", dir + "/deployed.yaml"])
        #expect(warned.output.contains("local.yaml:6:15: warning: Database: changing Properties/DBName replaces the resource"), "\(warned.output)")
        try "evaluationDate: 2026-02-30\n".write(toFile: dir + "/.formwork.yml", atomically: true, encoding: .utf8)
        let broken = Hostile.formwork(["diff", dir + "/local.yaml", dir + "/deployed.yaml"])
        #expect(broken.status == 2 && broken.output.contains("[CF-01]"), "\(broken.output)")
    }
}
