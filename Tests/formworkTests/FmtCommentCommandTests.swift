import Foundation
import FormworkTestSupport
import Testing

/// `fmt` and comments as users meet them: `--write` keeps them, JSON says what it drops,
/// a comment with no place stops the write.
@Suite struct FmtCommentCommandTests {
    @Test func writeKeepsCommentsAndJSONSaysItDropsThem() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/t.yaml"
        try "# header\nResources:\n  A:   # the topic\n    Properties: {}\n    Type: AWS::SNS::Topic\n".write(toFile: path, atomically: true, encoding: .utf8)
        let write = try CLI.run(["fmt", "--write", path])
        #expect(write.status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "# header\nResources:\n  A: # the topic\n    Type: AWS::SNS::Topic\n    Properties: {}\n")
        #expect(try CLI.run(["fmt", "--check", path]).status == 0)
        let json = try CLI.run(["fmt", "--format", "json", path])
        #expect(json.status == 0)
        #expect(json.stderr == "\(path): note: 2 comments dropped: JSON has none\n")
        #expect(!json.stdout.contains("#"))
    }

    @Test func aCommentWithNoPlaceWritesNothing() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/t.yaml"
        let text = "Resources:\n  A: {Type: AWS::SNS::Topic, # kept where?\n      Properties: {}}\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try CLI.run(["fmt", "--write", path])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("\(path):2:30: error: a comment inside a flow collection"))
        #expect(run.stderr.hasSuffix("[FMT-02]\n"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }
}
