@testable import FormworkLanguageServer
import FormworkRules
import FormworkSchemaData
import FormworkTemplate
import Testing

/// The wire: framing, JSON-RPC's rules on messages, and LSP's on initialization (issue 25).
@Suite struct WireTests {
    static func frame(_ body: String) -> [UInt8] { Array("Content-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8) }

    /// Everything the framer gives for these bytes, fed one at a time (as a slow pipe does)
    /// and all at once: the same frames either way.
    static func frames(_ bytes: [UInt8]) -> [MessageFramer.Frame] {
        var whole = MessageFramer(), trickled = MessageFramer()
        whole.append(bytes)
        var all: [MessageFramer.Frame] = [], slow: [MessageFramer.Frame] = []
        while let frame = whole.next() { all.append(frame) }
        for byte in bytes {
            trickled.append([byte])
            while let frame = trickled.next() { slow.append(frame) }
        }
        #expect(all == slow)
        return all
    }

    @Test(arguments: ["Content-Length: -5", "Content-Length: abc", "Content-Length: +5", "Content-Length:", "Content-Type: application/json",
                      "Content-Length: 99999999999999999999999", "Content-Length: 67108865", "Content-Length: 2\r\nContent-Length: 2", "no colon here"])
    func badHeadersAreRefusedAndTheNextMessageStillArrives(header: String) throws {
        let next = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}"
        let frames = Self.frames(Array("\(header)\r\n\r\n{}".utf8) + Self.frame(next))
        #expect(frames.count == 2, "\(frames)")
        guard case .refused(let reason)? = frames.first else { Issue.record("not refused: \(frames)"); return }
        #expect(!reason.isEmpty)
        #expect(frames.last == .body(Array(next.utf8)))
    }

    @Test func headersThatNeverEndAreRefusedWithinTheirCap() {
        var framer = MessageFramer()
        framer.append([UInt8](repeating: UInt8(ascii: "x"), count: MessageFramer.maximumHeaders + 10))
        guard case .refused? = framer.next() else { Issue.record("not refused"); return }
        #expect(framer.next() == nil)
    }

    @Test func aBodyArrivesWholeWhateverTheChunks() {
        let body = "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"
        #expect(Self.frames(Self.frame(body) + Self.frame(body)) == [.body(Array(body.utf8)), .body(Array(body.utf8))])
        #expect(Self.frames(Array("content-length:  0 \r\n\r\n".utf8)) == [.body([])])
    }

    @Test func hasFrameSaysWhetherNextWouldGiveOne() {
        let body = "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"
        let bytes = Self.frame(body)
        var framer = MessageFramer()
        for (index, byte) in bytes.enumerated() {
            framer.append([byte])
            #expect(framer.hasFrame == (index == bytes.count - 1), "after \(index + 1) bytes")
        }
        #expect(framer.next() == .body(Array(body.utf8)))
        #expect(!framer.hasFrame)
        framer.append(Array("Content-Length: x\r\n\r\n".utf8))
        #expect(framer.hasFrame)
    }

    @Test func aBodyMustBeJSON() {
        for body in ["Resources: {}", "{\"a\": 1, \"a\": 2}", "{\"a\": 1} x", "", "\u{FEFF}"] {
            guard case .malformed(let code, let message) = Transport.judge(.body(Array(body.utf8))) else {
                Issue.record("accepted: \(body)")
                continue
            }
            #expect(code == -32700 && message.hasPrefix("the message is not JSON"), "\(message)")
        }
        guard case .malformed(-32700, _) = Transport.judge(.body([0x7B, 0xFF, 0x7D])) else { Issue.record("invalid UTF-8 accepted"); return }
        guard case .message = Transport.judge(.body(Array("{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}".utf8))) else { Issue.record("JSON refused"); return }
    }

    static func receive(_ session: LanguageServerSession, _ json: String) -> [Node] {
        session.receive(TemplateReader.readStrictJSON(Array(json.utf8)).root!)
    }

    @Test func invalidRequestsGetJSONRPCErrorsAndNotificationsNoAnswer() {
        let session = SessionTests.session()
        let cases: [(String, Int, String)] = [
            ("{\"jsonrpc\":\"2.0\",\"id\":1}", -32600, "1"),
            ("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":5}", -32600, "2"),
            ("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":null}", -32600, "\"x\""),
            ("{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"shutdown\"}", -32600, "null"),
            ("{\"jsonrpc\":\"1.0\",\"id\":3,\"method\":\"shutdown\"}", -32600, "3"),
            ("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"textDocument/hover\",\"params\":7}", -32602, "4"),
            ("{\"jsonrpc\":\"2.0\",\"method\":7}", -32600, "null"),
            ("[]", -32600, "null"),
            ("\"text\"", -32600, "null"),
            ("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"initialize\",\"params\":{}}", -32600, "5"),
        ]
        for (message, code, id) in cases {
            let replies = Self.receive(session, message)
            #expect(replies.count == 1, "\(message)")
            #expect(replies.first?["error"]?["code"]?.intValue == code, "\(message): \(replies)")
            #expect(replies.first.map { String(decoding: JSONWriter.compact($0["id"]!, spaced: false), as: UTF8.self) } == id, "\(message)")
        }
        // Notifications, valid or not, known or not, are never answered.
        for notification in ["{\"jsonrpc\":\"2.0\",\"method\":\"no/such\"}", "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":3}",
                             "{\"jsonrpc\":\"1.0\",\"method\":\"initialized\"}", "{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":null}"] {
            #expect(Self.receive(session, notification).isEmpty, "\(notification)")
        }
        // The session still serves.
        #expect(Self.receive(session, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"shutdown\"}").first?["result"] != nil)
    }

    @Test func beforeInitializeRequestsAreRefusedAndNotificationsDropped() {
        let session = LanguageServerSession(profiles: .builtIn, registry: .shared)
        let early = Self.receive(session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"textDocument/hover\",\"params\":{}}")
        #expect(early.first?["error"]?["code"]?.intValue == -32002 && early.first?["id"]?.intValue == 1)
        #expect(Self.receive(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}").first?["error"]?["code"]?.intValue == -32002)
        _ = Self.receive(session, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"file:///x.yaml\",\"version\":1,\"text\":\"a: 1\"}}}")
        #expect(session.publishPending().isEmpty)
        #expect(Self.receive(session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":{}}").first?["result"] != nil)
        // exit is honoured without initialize, shutdown or not.
        let other = LanguageServerSession(profiles: .builtIn, registry: .shared)
        _ = Self.receive(other, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}")
        #expect(other.exitCode == 1)
    }

    @Test func theWireEndToEnd() {
        let session = LanguageServerSession(profiles: .builtIn, registry: .shared)
        let bytes = Array("Content-Length: -1\r\n\r\n".utf8) + Self.frame("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}")
            + Self.frame("Resources: {}") + Self.frame("{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}")
            + Self.frame("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}")
        let replies = session.receive(wire: bytes)
        #expect(replies.map { $0["error"]?["code"]?.intValue ?? 0 } == [-32700, 0, -32700, 0], "\(replies)")
        #expect(replies.map { $0["id"]?.intValue ?? -1 } == [-1, 1, -1, 2])
    }

    // MARK: line breaks

    static let lf = "Resources:\n  Topic:\n    Type: AWS::SNS::Topics\n  Queue:\n    Type: AWS::SQS::Queue\n    DeletionPolicy: Retain\n"

    static func diagnostics(_ text: String) throws -> [String] {
        let session = SessionTests.session()
        let published = SessionTests.open(session, text)
        let list = try #require(published.first?["params"]?["diagnostics"]?.arrayValue)
        return list.map { diagnostic in
            let range = diagnostic["range"]!
            return "\(diagnostic["code"]!.stringValue!) \(range["start"]!["line"]!.intValue!):\(range["start"]!["character"]!.intValue!)-\(range["end"]!["line"]!.intValue!):\(range["end"]!["character"]!.intValue!)"
        }.sorted()
    }

    @Test(arguments: ["\r\n", "\r"])
    func diagnosticsHaveTheSameRangesWhateverTheLineBreaks(newline: String) throws {
        let expected = try Self.diagnostics(Self.lf)
        #expect(expected.contains { $0.hasPrefix("ST-03 2:10-2:") }, "\(expected)")
        #expect(try Self.diagnostics(Self.lf.replacingScalars(["\n": newline])) == expected)
    }

    @Test(arguments: ["\r\n", "\r", "\n"])
    func incrementalEditsLandWhereTheClientPutsThem(newline: String) throws {
        let session = SessionTests.session()
        _ = SessionTests.open(session, Self.lf.replacingScalars(["\n": newline]))
        // "Topics" -> "Topic": delete the s at line 2, character 25.
        _ = session.receive(SessionTests.message("textDocument/didChange", "{\"textDocument\": {\"uri\": \"\(SessionTests.uri)\", \"version\": 2}, \"contentChanges\": [{\"range\": {\"start\": {\"line\": 2, \"character\": 25}, \"end\": {\"line\": 2, \"character\": 26}}, \"text\": \"\"}]}"))
        let codes = try #require(session.publishPending().first?["params"]?["diagnostics"]?.arrayValue).compactMap { $0["code"]?.stringValue }
        #expect(!codes.contains("ST-03") && codes.contains("LC-01"), "\(codes)")
        let document = try #require(session.documents[SessionTests.uri])
        #expect(document.text == Self.lf.replacingScalars(["\n": newline]).replacingOccurrences("Topics", "Topic"))
    }

    @Test(arguments: ["\r\n", "\r", "\n", "\u{2028}"])
    func formattingReplacesTheWholeDocumentToItsLastLine(newline: String) throws {
        let session = SessionTests.session()
        let text = "Resources: {Topic: {Type: 'AWS::SNS::Topic'}}\(newline)Description: x\(newline)"
        _ = SessionTests.open(session, text)
        let edits = session.receive(SessionTests.message("textDocument/formatting", id: 8, "{\"textDocument\": {\"uri\": \"\(SessionTests.uri)\"}, \"options\": {}}")).last?["result"]?.arrayValue
        let end = try #require(edits?.first?["range"]?["end"])
        // The client counts U+2028 as no line break: the text is one line plus the last break's
        // empty line for the others.
        let lines = newline == "\u{2028}" ? 0 : 2
        #expect(end["line"]?.intValue == lines && end["character"]?.intValue == (lines == 0 ? text.utf16.count : 0), "\(end)")
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
