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
    private var buffer: [UInt8] = []
    /// A message larger than this is refused (the connection is then unusable: it ends).
    static let maximumMessage = 64 << 20

    init(input: Int32, output: Int32) {
        self.input = input
        self.output = output
    }

    enum Received {
        case message(Node)
        /// A body that is not JSON: answered with a parse error.
        case malformed
        case end
    }

    /// The next message, or the end of the input.
    func receive() -> Received {
        while true {
            if let (headerEnd, length) = header() {
                guard length <= Self.maximumMessage else { return .end }
                while buffer.count < headerEnd + length {
                    guard fill() else { return .end }
                }
                let body = Array(buffer[headerEnd..<(headerEnd + length)])
                buffer.removeFirst(headerEnd + length)
                guard let node = TemplateReader.readData(body, file: "message.json"), node.objectValue != nil else { return .malformed }
                return .message(node)
            }
            if buffer.count > 64 << 10 { return .end }  // headers never end: not LSP
            guard fill() else { return .end }
        }
    }

    /// True when a whole message is buffered or bytes arrive within `milliseconds`.
    func hasInput(within milliseconds: Int32) -> Bool {
        if let (end, length) = header(), buffer.count >= end + length { return true }
        var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }

    func send(_ message: Node) {
        let body = JSONWriter.compact(message, spaced: false)
        var bytes = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
        bytes += body
        FileIO.writeAll(output, bytes)
    }

    /// The end of the headers and the body's length, once the headers are buffered.
    private func header() -> (Int, Int)? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4) where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            let text = String(decoding: buffer[0..<index], as: UTF8.self)
            var length = 0
            for line in text.split(separator: "\r\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == "content-length" { length = Int(parts[1].trimmingCharacters) ?? 0 }
            }
            return (index + 4, length)
        }
        return nil
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(input, &chunk, chunk.count)
            if count > 0 {
                buffer += chunk[0..<count]
                return true
            }
            if count < 0 && errno == EINTR { continue }
            return false
        }
    }
}

extension Substring {
    var trimmingCharacters: String { String(self).trimmingSpaces }
}
