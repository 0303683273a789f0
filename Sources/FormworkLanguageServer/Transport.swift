#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FormworkTemplate

/// JSON-RPC messages framed by `Content-Length` headers (the LSP base protocol) on two file
/// descriptors. Reads block; `hasInput(within:)` lets the server debounce.
final class Transport {
    private let input: Int32
    private let output: Int32
    private var framer = MessageFramer()

    init(input: Int32, output: Int32) {
        self.input = input
        self.output = output
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

    /// True when a whole message is buffered or bytes arrive within `milliseconds`.
    func hasInput(within milliseconds: Int32) -> Bool {
        if framer.hasFrame { return true }
        var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }

    func send(_ message: Node) {
        let body = JSONWriter.compact(message, spaced: false)
        var bytes = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
        bytes += body
        FileIO.writeAll(output, bytes)
    }

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
