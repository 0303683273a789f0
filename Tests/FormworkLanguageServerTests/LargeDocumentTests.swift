@testable import FormworkLanguageServer
import FormworkRules
import FormworkSchemaData
import FormworkTemplate
import Testing

/// A large document (issue 31): an edit re-lints the resources it touched and gives what a
/// whole lint gives; a resource that does not read leaves the others' findings in place.
@Suite struct LargeDocumentTests {
    static let uri = SessionTests.uri

    /// 100 databases of 21 lines (2,104 lines): past the incremental threshold.
    static let text: String = {
        var lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Resources:"]
        for index in 0..<100 {
            lines += ["  Db\(index):", "    Type: AWS::RDS::DBInstance", "    DeletionPolicy: Snapshot", "    Properties:", "      Engine: postgres",
                      "      DBInstanceClass: db.t4g.micro", "      AllocatedStorage: '20'", "      MasterUsername: admin_user", "      ManageMasterUserPassword: true",
                      "      StorageEncrypted: true", "      MultiAZ: false", "      BackupRetentionPeriod: 7", "      PubliclyAccessible: false",
                      "      Tags:", "        - Key: Index", "          Value: '\(index)'", "        - Key: Owner", "          Value: platform",
                      "        - Key: Tier", "          Value: data", "      CopyTagsToSnapshot: true"]
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static func found(_ published: [Node]) -> Set<String> {
        Set((published.last?["params"]?["diagnostics"]?.arrayValue ?? []).map { diagnostic in
            "\(diagnostic["code"]?.stringValue ?? "") \(diagnostic["range"]?["start"]?["line"]?.intValue ?? -1) \(diagnostic["message"]?.stringValue ?? "")"
        })
    }

    static func change(_ session: LanguageServerSession, version: Int, line: Int, from start: Int, to end: Int, _ text: String) -> [Node] {
        let escaped = EditingTests.json(.string(text))
        _ = session.receive(SessionTests.message("textDocument/didChange", "{\"textDocument\": {\"uri\": \"\(uri)\", \"version\": \(version)}, \"contentChanges\": [{\"range\": {\"start\": {\"line\": \(line), \"character\": \(start)}, \"end\": {\"line\": \(line), \"character\": \(end)}}, \"text\": \(escaped)}]}"))
        return session.publishPending()
    }

    /// What a whole lint of the text gives (a session of its own, whose first lint is whole).
    static func whole(_ text: String) -> Set<String> {
        found(SessionTests.open(EditingTests.session(), text))
    }

    @Test func anEditReLintsItsResourceAndAgreesWithAWholeLint() throws {
        let session = EditingTests.session()
        let opened = Self.found(SessionTests.open(session, Self.text))
        // Db99 starts on line 2081 (0-based): findings reach it.
        #expect(opened.contains { (Int($0.split(separator: " ")[1]) ?? 0) >= 2081 }, "findings reach the last resource")
        var lines = Self.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // An edit inside Db50: its policy becomes Delete.
        let policy = try #require(lines.firstIndex(of: "  Db50:")) + 2
        let quick = Self.found(Self.change(session, version: 2, line: policy, from: 20, to: 28, "Delete"))
        #expect(session.incrementalLints == 1, "the edit is linted incrementally")
        lines[policy] = "    DeletionPolicy: Delete"
        var current = lines.joined(separator: "\n")
        #expect(quick == Self.whole(current), "\(quick.symmetricDifference(Self.whole(current)).sorted())")
        // A line added inside Db5 moves the findings of every resource below it.
        let tags = try #require(lines.firstIndex(of: "  Db5:")) + 13
        let moved = Self.found(Self.change(session, version: 3, line: tags, from: 0, to: 0, "      Port: '5432'\n"))
        lines.insert("      Port: '5432'", at: tags)
        current = lines.joined(separator: "\n")
        #expect(moved == Self.whole(current), "\(moved.symmetricDifference(Self.whole(current)).sorted())")
        // Db10's type half-typed: the document does not read, the others keep their findings.
        let type = try #require(lines.firstIndex(of: "  Db10:")) + 1
        let before = Self.found(Self.change(session, version: 4, line: type, from: 0, to: 0, ""))
        let broken = Self.found(Self.change(session, version: 5, line: type, from: 10, to: 30, "AWS::RDS::"))
        #expect(broken.contains { $0.hasPrefix("PS-01 \(type) ") }, "\(broken.filter { $0.hasPrefix("PS") })")
        let outside = { (found: Set<String>) in found.filter { !$0.hasPrefix("PS-") && !(type - 1..<type + 20).contains(Int($0.split(separator: " ")[1]) ?? -1) } }
        #expect(outside(broken) == outside(before) && outside(before).count > 500, "\(outside(before).count) -> \(outside(broken).count)")
    }
}
