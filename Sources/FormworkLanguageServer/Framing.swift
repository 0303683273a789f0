import FormworkTemplate

/// The LSP base protocol's framing on bytes, without I/O: header lines (`Name: value` ended
/// by `\r\n`), a blank line, then exactly `Content-Length` bytes of body. Every way the
/// headers can be wrong (no `Content-Length`, two of them, a negative, non-numeric or
/// oversized one, a line without a colon, headers that never end) is a `.refused` frame
/// with the reason, after which the framer skips to the next `Content-Length` header, so
/// that one bad message costs one error, never the connection or a crash.
struct MessageFramer {
    /// The largest body accepted (64 MiB, the template reader's limit).
    static let maximumBody = 64 << 20
    /// Headers longer than this never end: refused.
    static let maximumHeaders = 64 << 10

    enum Frame: Equatable {
        /// A whole body, not yet judged.
        case body([UInt8])
        /// Headers that do not frame a message, and why.
        case refused(String)
    }

    private var buffer: [UInt8] = []
    /// Where the unconsumed bytes start (consumed bytes are dropped in bulk).
    private var start = 0
    /// How far the search for the blank line has looked (so that bytes arriving one at a
    /// time are scanned once).
    private var scanned = 0
    /// After refused headers: the bytes before the next `Content-Length` are skipped.
    private var resynchronising = false
    /// The headers of the message whose body is still arriving: its end.
    private var pendingBodyEnd: Int?

    mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            scanned -= start
            if let end = pendingBodyEnd { pendingBodyEnd = end - start }
            start = 0
        }
        buffer += bytes
    }

    /// True when `next()` would give a frame without more bytes (judged without consuming
    /// or copying the buffer: the server asks while it debounces).
    var hasFrame: Bool {
        if let end = pendingBodyEnd { return buffer.count >= end }
        if resynchronising { return false }  // a refusal was given; the next header decides
        var index = max(start, scanned - 3)
        while index + 3 < buffer.count {
            if buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
                guard case .success(let length) = Self.contentLength(buffer[start..<index]) else { return true }
                return buffer.count >= index + 4 + length
            }
            index += 1
        }
        return buffer.count - start > Self.maximumHeaders
    }

    /// The next frame, or nil when more bytes are needed.
    mutating func next() -> Frame? {
        if resynchronising && !resynchronise() { return nil }
        if let end = pendingBodyEnd {
            guard buffer.count >= end else { return nil }
            let body = Array(buffer[start..<end])
            consume(to: end)
            pendingBodyEnd = nil
            return .body(body)
        }
        guard let (headersEnd, bodyStart) = findBlankLine() else {
            if buffer.count - start > Self.maximumHeaders {
                consume(to: buffer.count)
                resynchronising = true
                return .refused("the headers run past \(Self.maximumHeaders) bytes without a blank line")
            }
            return nil
        }
        let headers = buffer[start..<headersEnd]
        consume(to: bodyStart)
        switch Self.contentLength(headers) {
        case .failure(let reason):
            resynchronising = true
            return .refused(reason.text)
        case .success(let length):
            pendingBodyEnd = start + length
            return next()
        }
    }

    private mutating func consume(to end: Int) {
        start = end
        scanned = max(scanned, end)
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.count <= 1 << 20)
            start = 0
            scanned = 0
        }
    }

    /// The end of the header lines and the start of the body, once `\r\n\r\n` is buffered.
    private mutating func findBlankLine() -> (Int, Int)? {
        var index = max(start, scanned - 3)
        while index + 3 < buffer.count {
            if buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
                return (index, index + 4)
            }
            index += 1
        }
        scanned = max(start, buffer.count - 3)
        return nil
    }

    /// Drops bytes up to the next `Content-Length:` (any case); true once found. The body of
    /// refused headers has no known length, and the next message's headers follow it
    /// directly, so the name is looked for anywhere.
    private mutating func resynchronise() -> Bool {
        let name = Array("content-length:".utf8)
        var index = start
        while index + name.count <= buffer.count {
            if (0..<name.count).allSatisfy({ Self.lowercased(buffer[index + $0]) == name[$0] }) {
                consume(to: index)
                resynchronising = false
                return true
            }
            index += 1
        }
        // Keep a tail that may be the start of the name.
        consume(to: max(start, buffer.count - name.count))
        return false
    }

    struct Refusal: Error { var text: String }

    /// The body length the header lines give: exactly one `Content-Length` of decimal digits,
    /// at most `maximumBody`.
    static func contentLength(_ headers: ArraySlice<UInt8>) -> Result<Int, Refusal> {
        var length: Int?
        for line in headers.split(separator: 10, omittingEmptySubsequences: false) {
            var line = line
            if line.last == 13 { line = line.dropLast() }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                return .failure(Refusal(text: "a header line without a colon: '\(shown(line))'"))
            }
            let name = String(decoding: line[..<colon].map(lowercased), as: UTF8.self)
            guard name == "content-length" else { continue }  // Content-Type and others: not needed
            var value = Array(line[(colon + 1)...])
            while value.first == 32 || value.first == 9 { value.removeFirst() }
            while value.last == 32 || value.last == 9 { value.removeLast() }
            guard length == nil else { return .failure(Refusal(text: "more than one Content-Length header")) }
            guard !value.isEmpty, value.allSatisfy({ (48...57).contains($0) }) else {
                return .failure(Refusal(text: "Content-Length '\(shown(value))' is not a length (decimal digits)"))
            }
            // Digits past the limit's length need not be added up (nor overflow an Int).
            let digits = value.drop(while: { $0 == 48 })
            guard digits.count <= 9, let number = Int(String(decoding: digits, as: UTF8.self)) ?? (digits.isEmpty ? 0 : nil), number <= maximumBody else {
                return .failure(Refusal(text: "Content-Length \(shown(value.prefix(40))) is more than the limit of \(maximumBody) bytes"))
            }
            length = number
        }
        guard let length else { return .failure(Refusal(text: "the headers have no Content-Length")) }
        return .success(length)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }

    /// Header text for a message: printable, and short.
    private static func shown<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        let text = String(decoding: bytes.prefix(80), as: UTF8.self).printable
        return bytes.count > 80 ? text + "..." : text
    }
}

extension LanguageServerSession {
    /// Answers raw wire bytes, as `formwork lsp` does when they arrive on standard input:
    /// framed, judged and received in order; refused frames and bodies that are not JSON get
    /// their JSON-RPC errors. For tests and the fuzzer, which drive the wire without a pipe.
    public func receive(wire bytes: [UInt8]) -> [Node] {
        var framer = MessageFramer()
        framer.append(bytes)
        var replies: [Node] = []
        while let frame = framer.next() {
            switch Transport.judge(frame) {
            case .message(let message): replies += receive(message)
            case .malformed(let code, let text): replies.append(error(Node(.null), code: code, text))
            case .end: return replies
            }
        }
        return replies
    }
}
