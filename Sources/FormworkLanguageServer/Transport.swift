#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import FormworkTemplate
import Synchronization

/// JSON-RPC messages framed by `Content-Length` headers (the LSP base protocol) on two file
/// descriptors. Reads block; `wait(_:or:)` lets the server debounce; writes go through
/// ``Outgoing``.
final class Transport {
    private let input: Int32
    private let output: Int32
    private var framer = MessageFramer()

    private let outgoing: Outgoing

    init(input: Int32, output: Int32) {
        self.input = input
        self.output = output
        outgoing = Outgoing(output: output)
    }

    enum Received {
        case message(Node)
        /// Bytes that are not a JSON-RPC message: answered with this error (id null).
        case malformed(code: Int, message: String)
        case end
    }

    /// The next message, or the end of the input.
    func receive() -> Received {
        while true {
            if let frame = framer.next() { return Self.judge(frame) }
            guard fill() else { return .end }
        }
    }

    /// A frame as a message: the body must be strict JSON (a YAML body is not JSON-RPC).
    static func judge(_ frame: MessageFramer.Frame) -> Received {
        switch frame {
        case .refused(let reason):
            return .malformed(code: JSONRPCError.parseError, message: "the message is not framed: \(reason)")
        case .body(let body):
            let read = TemplateReader.readStrictJSON(body)
            if let node = read.root { return .message(node) }
            let diagnostic = read.diagnostics.first ?? Diagnostic(ruleID: ReadDiagnosticID.syntax, message: "not JSON", location: Location(line: 1, column: 1))
            return .malformed(code: JSONRPCError.parseError,
                                  message: "the message is not JSON: \(diagnostic.location.line):\(diagnostic.location.column): \(diagnostic.message.printable)")
        }
    }

    enum Wake: Equatable {
        /// A whole message is buffered, or bytes arrived.
        case input
        /// The other descriptor is readable.
        case other
        case timeout
    }

    /// Waits at most `milliseconds` (no limit when negative) for input or for `other` to be
    /// readable; input first.
    func wait(_ milliseconds: Int32, or other: Int32) -> Wake {
        if framer.hasFrame { return .input }
        var descriptors = [pollfd(fd: input, events: Int16(POLLIN), revents: 0), pollfd(fd: other, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = poll(&descriptors, other >= 0 ? 2 : 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return ready == 0 ? .timeout : .input }
            return descriptors[0].revents != 0 ? .input : .other
        }
    }

    func send(_ message: Node) { outgoing.send(message) }

    /// Returns once every message sent is written.
    func flush() { outgoing.flush() }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(input, &chunk, chunk.count)
            if count > 0 {
                framer.append(chunk[0..<count])
                return true
            }
            if count < 0 && errno == EINTR { continue }
            return false
        }
    }
}

/// Messages written on a thread of their own, in the order sent, so that a client slow to
/// read (a full pipe) never holds back the linting; a document's publication still waiting
/// when a newer one of the same document is sent is dropped (the client would replace it
/// at once), so that a slow client gets the newest diagnostics instead of a backlog.
final class Outgoing: Sendable {
    private struct Queue {
        var messages: [(document: String?, message: Node)] = []
        var draining = false
    }

    private let output: Int32
    private let queue = Mutex(Queue())
    private let writer = DispatchQueue(label: "formwork.lsp.output")

    init(output: Int32) {
        self.output = output
    }

    func send(_ message: Node) {
        let document = message["method"]?.stringValue == "textDocument/publishDiagnostics" ? message["params"]?["uri"]?.stringValue : nil
        let start: Bool = queue.withLock { queue in
            if let document { queue.messages.removeAll { $0.document == document } }
            queue.messages.append((document, message))
            defer { queue.draining = true }
            return !queue.draining
        }
        if start { writer.async { self.drain() } }
    }

    func flush() { writer.sync {} }

    private func drain() {
        while let message = next() {
            let body = JSONWriter.compact(message, spaced: false)
            var bytes = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
            bytes += body
            FileIO.writeAll(output, bytes)
        }
    }

    /// The next message to write; nil (and no drain running) when none waits.
    private func next() -> Node? {
        queue.withLock { queue in
            guard !queue.messages.isEmpty else {
                queue.draining = false
                return nil
            }
            return queue.messages.removeFirst().message
        }
    }
}
