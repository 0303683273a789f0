@testable import FormworkLanguageServer
import Dispatch
import FormworkTemplate
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exact lints of a large document run off the publishing path (issue 31: a publication
/// at least every 500 ms while typing): quick publications go on while one runs, a change
/// that cannot be published quickly waits for it, a lint that ended after the text changed
/// publishes nothing older than what was published, and what settles is a whole lint's.
@Suite struct BackgroundLintTests {
    static let uri = SessionTests.uri

    static func change(_ session: LanguageServerSession, version: Int, line: Int, _ text: String) {
        let params = "{\"textDocument\": {\"uri\": \"\(uri)\", \"version\": \(version)}, \"contentChanges\": [{\"range\": {\"start\": {\"line\": \(line), \"character\": 0}, \"end\": {\"line\": \(line + 1), \"character\": 0}}, \"text\": \(EditingTests.json(.string(text + "\n")))}]}"
        _ = session.receive(SessionTests.message("textDocument/didChange", params))
    }

    static func versions(_ messages: [Node]) -> [Int] {
        messages.filter { $0["method"]?.stringValue == "textDocument/publishDiagnostics" }.compactMap { $0["params"]?["version"]?.intValue }
    }

    static func whole(_ lines: [String]) -> String {
        IncrementalLintTests.published(SessionTests.open(IncrementalLintTests.session(incrementalLines: .max), lines.joined(separator: "\n") + "\n"))
    }

    @Test func typingWhileTheFirstLintRunsWaitsForItThenPublishesQuickly() throws {
        var lines = IncrementalLintTests.template(groups: 6)
        let session = IncrementalLintTests.session(incrementalLines: 0)
        let escaped = EditingTests.json(.string(lines.joined(separator: "\n") + "\n"))
        _ = session.receive(SessionTests.message("textDocument/didOpen", "{\"textDocument\": {\"uri\": \"\(Self.uri)\", \"languageId\": \"yaml\", \"version\": 1, \"text\": \(escaped)}}"))
        let opened = session.publishQuickly(deferring: true)
        #expect(opened.messages.isEmpty)
        let first = try #require(opened.exact.first)
        // A key while the first (whole) lint runs: nothing to publish quickly from yet.
        let multi = try #require(lines.firstIndex(of: "      MultiAZ: false"))
        lines[multi] = "      MultiAZ: true"
        Self.change(session, version: 2, line: multi, lines[multi])
        let typed = session.publishQuickly(deferring: true)
        #expect(typed.messages.isEmpty && typed.exact.isEmpty)
        #expect(session.held == [Self.uri] && session.pending.isEmpty)
        // The first lint ends: its findings (the newest there are), then the key's, quickly.
        #expect(Self.versions(session.finished(first, first.run())) == [1])
        #expect(session.pending == [Self.uri] && session.held.isEmpty)
        let quick = session.publishQuickly(deferring: true)
        #expect(Self.versions(quick.messages) == [2] && quick.exact.isEmpty)
        #expect(session.unsettled == [Self.uri])
        // The text settles: the exact lint runs; a key meanwhile is published quickly.
        let settling = session.publishSettled(deferring: true)
        #expect(settling.messages.isEmpty)
        let exact = try #require(settling.exact.first)
        #expect(!session.settling, "one exact lint of a document at a time")
        let storage = try #require(lines.firstIndex(of: "      AllocatedStorage: '20'"))
        lines[storage] = "      AllocatedStorage: '5'"
        Self.change(session, version: 3, line: storage, lines[storage])
        let meanwhile = session.publishQuickly(deferring: true)
        #expect(Self.versions(meanwhile.messages) == [3] && meanwhile.exact.isEmpty)
        // It ends after the text changed: nothing published (version 3 is out already), but
        // the next edits start from it.
        #expect(session.finished(exact, exact.run()).isEmpty)
        #expect(session.incremental[Self.uri]?.revision == exact.document.revision)
        let settled = session.publishSettled(deferring: true)
        let last = try #require(settled.exact.first)
        let published = session.finished(last, last.run())
        #expect(Self.versions(published) == [3])
        #expect(IncrementalLintTests.published(published) == Self.whole(lines))
        #expect(session.unsettled.isEmpty && session.pending.isEmpty && session.running.isEmpty)
    }

    @Test func aChangeOutsideTheResourcesWaitsForTheRunningLint() throws {
        var lines = IncrementalLintTests.template(groups: 6)
        let session = IncrementalLintTests.session(incrementalLines: 0)
        _ = SessionTests.open(session, lines.joined(separator: "\n") + "\n")
        let multi = try #require(lines.firstIndex(of: "      MultiAZ: false"))
        lines[multi] = "      MultiAZ: true"
        Self.change(session, version: 2, line: multi, lines[multi])
        #expect(Self.versions(session.publishQuickly(deferring: true).messages) == [2])
        let exact = try #require(session.publishSettled(deferring: true).exact.first)
        // The parameter's default changes: no quick publication, and no second exact lint
        // beside the running one.
        let parameter = try #require(lines.firstIndex(of: "    Default: dev"))
        lines[parameter] = "    Default: prod"
        Self.change(session, version: 3, line: parameter, lines[parameter])
        let typed = session.publishQuickly(deferring: true)
        #expect(typed.messages.isEmpty && typed.exact.isEmpty && session.held == [Self.uri])
        // The running lint's findings are still newer than what was published (version 2's
        // quick ones): published; then the change's exact lint.
        #expect(Self.versions(session.finished(exact, exact.run())) == [2])
        let next = session.publishQuickly(deferring: true)
        #expect(next.messages.isEmpty)
        let job = try #require(next.exact.first)
        let published = session.finished(job, job.run())
        #expect(Self.versions(published) == [3])
        #expect(IncrementalLintTests.published(published) == Self.whole(lines))
    }

    @Test func aLintOfAnEarlierOpeningIsDropped() throws {
        let lines = IncrementalLintTests.template(groups: 2)
        let session = IncrementalLintTests.session(incrementalLines: 0)
        let text = EditingTests.json(.string(lines.joined(separator: "\n") + "\n"))
        let open = SessionTests.message("textDocument/didOpen", "{\"textDocument\": {\"uri\": \"\(Self.uri)\", \"languageId\": \"yaml\", \"version\": 1, \"text\": \(text)}}")
        _ = session.receive(open)
        let stale = try #require(session.publishQuickly(deferring: true).exact.first)
        _ = session.receive(SessionTests.message("textDocument/didClose", "{\"textDocument\": {\"uri\": \"\(Self.uri)\"}}"))
        _ = session.receive(open)
        let job = try #require(session.publishQuickly(deferring: true).exact.first)
        #expect(session.finished(stale, stale.run()).isEmpty)
        #expect(session.incremental[Self.uri] == nil)
        #expect(Self.versions(session.finished(job, job.run())) == [1])
    }

    /// A client slow to read: the messages are written in order, and a publication that a
    /// newer one of the same document overtook while waiting is not written at all.
    @Test func aSlowClientGetsTheNewestPublicationInOrder() throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        defer { close(readEnd) }
        let outgoing = Outgoing(output: writeEnd)
        func publication(_ uri: String, _ version: Int) -> Node {
            .object(ObjectMap(["jsonrpc": .string("2.0"), "method": .string("textDocument/publishDiagnostics"),
                               "params": .object(ObjectMap(["uri": .string(uri), "version": .number(String(version)), "diagnostics": .array([])]))]))
        }
        // Larger than a pipe holds: the writer waits on it until the reader below starts.
        outgoing.send(.object(ObjectMap(["jsonrpc": .string("2.0"), "method": .string("window/logMessage"),
                                         "params": .object(ObjectMap(["type": .number("4"), "message": .string(String(repeating: "x", count: 1 << 20))]))])))
        outgoing.send(publication("file:///a.yaml", 2))
        outgoing.send(publication("file:///b.yaml", 2))
        outgoing.send(.object(ObjectMap(["jsonrpc": .string("2.0"), "id": .number("7"), "result": Node(.null)])))
        outgoing.send(publication("file:///a.yaml", 3))
        let received = Received()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = read(readEnd, &chunk, chunk.count)
                guard count > 0 else { break }
                received.bytes.withLock { $0 += chunk[0..<count] }
            }
            done.signal()
        }
        outgoing.flush()
        close(writeEnd)
        done.wait()
        var framer = MessageFramer()
        framer.append(received.bytes.withLock { $0 })
        var seen: [String] = []
        while case .body(let body)? = framer.next() {
            let message = try #require(TemplateReader.readStrictJSON(body).root)
            seen.append([message["method"]?.stringValue ?? "response", message["params"]?["uri"]?.stringValue, message["params"]?["version"].map(EditingTests.json)]
                .compactMap { $0 }.joined(separator: " "))
        }
        #expect(seen == ["window/logMessage", "textDocument/publishDiagnostics file:///b.yaml 2", "response", "textDocument/publishDiagnostics file:///a.yaml 3"])
    }

    final class Received: Sendable {
        let bytes = Mutex<[UInt8]>([])
    }
}
