import FormworkYAML

/// A strict RFC 8259 reader that keeps the line and column of every key and value, reports
/// every duplicate key with both places, and bounds nesting. Numbers keep their text.
struct JSONTemplateReader {
    struct Failure: Error {
        var id: RuleID
        var message: String
        var location: Location
        var related: Location?
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let limits: ParseLimits
    /// False for plain JSON data (schemas): one-key `Ref`/`Fn::*` objects stay objects.
    var intrinsics = true
    private var offset = 0
    private var line = 1
    private var column = 1
    private var depth = 0
    private(set) var duplicates: [Failure] = []

    init(bytes: UnsafeBufferPointer<UInt8>, limits: ParseLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Reads one JSON value filling the whole input (a UTF-8 byte order mark is skipped).
    mutating func readDocument() throws(Failure) -> Node {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
        skipWhitespace()
        let value = try readValue()
        skipWhitespace()
        if offset < bytes.count {
            throw failure("unexpected \(describeCurrent()) after the JSON value")
        }
        return value
    }

    private var here: Location { Location(line: line, column: column) }

    private func failure(_ message: String, id: RuleID = ReadDiagnosticID.syntax) -> Failure {
        Failure(id: id, message: message, location: here)
    }

    private func describeCurrent() -> String {
        guard offset < bytes.count else { return "end of input" }
        let byte = bytes[offset]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(hexByte(byte))"
    }

    private mutating func advance() {
        let byte = bytes[offset]
        // Lines are counted as the YAML reader counts them (`\r\n`, `\r`, `\n`, NEL, LS, PS).
        let breaks = LineIndex.startsBreak(bytes, at: offset)
        offset += 1
        if breaks {
            line += 1
            column = 1
        } else if byte != UInt8(ascii: "\n") && byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: advance()
            default: return
            }
        }
    }

    private mutating func expect(_ literal: StaticString, _ kind: Node.Kind) throws(Failure) -> Node {
        let start = here
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw failure("unexpected end of input") }
        for i in 0..<count where bytes[offset + i] != literal.utf8Start[i] {
            throw failure("unexpected \(describeCurrent()); expected a JSON value")
        }
        for _ in 0..<count { advance() }
        return Node(kind, at: start)
    }

    private mutating func readValue() throws(Failure) -> Node {
        guard offset < bytes.count else { throw failure("unexpected end of input; expected a JSON value") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try readObject()
        case UInt8(ascii: "["): return try readArray()
        case UInt8(ascii: "\""):
            let start = here
            return Node(.string(try readString()), at: start)
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumber()
        default: throw failure("unexpected \(describeCurrent()); expected a JSON value")
        }
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > limits.maxDepth {
            throw failure("nesting is deeper than the limit of \(limits.maxDepth) levels", id: ReadDiagnosticID.depth)
        }
    }

    private mutating func readObject() throws(Failure) -> Node {
        let start = here
        try enter()
        advance()
        var entries: [ObjectMap.Entry] = []
        var seen: [ScalarKey: Location] = [:]
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
            advance()
            depth -= 1
            return Node(.object(ObjectMap()), at: start)
        }
        while true {
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
                throw failure("unexpected \(describeCurrent()); expected a key in double quotes")
            }
            let keyLocation = here
            let key = try readString()
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
                throw failure("unexpected \(describeCurrent()); expected ':' after the key")
            }
            advance()
            skipWhitespace()
            let value = try readValue()
            if let first = seen[ScalarKey(key)] {
                duplicates.append(Failure(id: ReadDiagnosticID.duplicateKey,
                                          message: "duplicate key '\(key)' (first defined at line \(first.line), column \(first.column))",
                                          location: keyLocation, related: first))
            } else {
                seen[ScalarKey(key)] = keyLocation
                entries.append(ObjectMap.Entry(key: key, keyLocation: keyLocation, value: value))
            }
            skipWhitespace()
            guard offset < bytes.count else { throw failure("unexpected end of input; expected ',' or '}'") }
            if bytes[offset] == UInt8(ascii: ",") {
                advance()
                continue
            }
            if bytes[offset] == UInt8(ascii: "}") {
                advance()
                depth -= 1
                return intrinsics ? ValueTreeBuilder.makeObject(entries, at: start) : Node(.object(ObjectMap(entries)), at: start)
            }
            throw failure("unexpected \(describeCurrent()); expected ',' or '}'")
        }
    }

    private mutating func readArray() throws(Failure) -> Node {
        let start = here
        try enter()
        advance()
        var items: [Node] = []
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
            advance()
            depth -= 1
            return Node(.array(items), at: start)
        }
        while true {
            skipWhitespace()
            items.append(try readValue())
            skipWhitespace()
            guard offset < bytes.count else { throw failure("unexpected end of input; expected ',' or ']'") }
            if bytes[offset] == UInt8(ascii: ",") {
                advance()
                continue
            }
            if bytes[offset] == UInt8(ascii: "]") {
                advance()
                depth -= 1
                return Node(.array(items), at: start)
            }
            throw failure("unexpected \(describeCurrent()); expected ',' or ']'")
        }
    }

    private mutating func readNumber() throws(Failure) -> Node {
        let start = here
        let from = offset
        while offset < bytes.count, Self.isNumberByte(bytes[offset]) { advance() }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<offset]), as: UTF8.self)
        guard NumberLiteral.isJSONNumber(text) else {
            throw Failure(id: ReadDiagnosticID.syntax, message: "'\(text)' is not a JSON number", location: start)
        }
        return Node(.number(text), at: start)
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    private mutating func readString() throws(Failure) -> String {
        advance() // opening quote
        var scalars: [UInt8] = []
        var runStart = offset
        while true {
            guard offset < bytes.count else { throw failure("unterminated string") }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                scalars.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]))
                advance()
                return String(decoding: scalars, as: UTF8.self)
            }
            if byte < 0x20 {
                throw failure("a control character (0x\(hexByte(byte))) must be escaped inside a JSON string")
            }
            if byte == UInt8(ascii: "\\") {
                scalars.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]))
                advance()
                guard offset < bytes.count else { throw failure("unterminated string") }
                let escape = bytes[offset]
                advance()
                switch escape {
                case UInt8(ascii: "\""): scalars.append(0x22)
                case UInt8(ascii: "\\"): scalars.append(0x5C)
                case UInt8(ascii: "/"): scalars.append(0x2F)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try readHex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                            throw failure("a high surrogate \\u escape must be followed by a low surrogate")
                        }
                        advance(); advance()
                        let low = try readHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw failure("invalid low surrogate in \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw failure("a lone low surrogate cannot be escaped in a string")
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw failure("invalid \\u escape") }
                    scalars.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    throw failure("invalid escape '\\\(Character(Unicode.Scalar(escape)))' in a JSON string")
                }
                runStart = offset
                continue
            }
            advance()
        }
    }

    private mutating func readHex4() throws(Failure) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard offset < bytes.count else { throw failure("unterminated \\u escape") }
            let byte = bytes[offset]
            let digit: UInt32
            switch byte {
            case 48...57: digit = UInt32(byte - 48)
            case 65...70: digit = UInt32(byte - 55)
            case 97...102: digit = UInt32(byte - 87)
            default: throw failure("invalid hexadecimal digit in a \\u escape")
            }
            code = code << 4 | digit
            advance()
        }
        return code
    }
}

/// The offset of the first byte that breaks UTF-8, or nil when the bytes are valid.
func firstInvalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var i = 0
    let n = bytes.count
    guard let base = bytes.baseAddress else { return nil }
    let raw = UnsafeRawPointer(base)
    while i < n {
        // Templates are nearly all ASCII: eight bytes at a time while no high bit is set
        // (a byte at a time cost 0.2 M instructions per read of seed 004).
        while i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
        guard i < n else { break }
        let b = bytes[i]
        if b < 0x80 { i += 1; continue }
        var need = 0
        var minimum: UInt32 = 0
        var code: UInt32 = 0
        switch b {
        case 0xC2...0xDF: need = 1; code = UInt32(b & 0x1F); minimum = 0x80
        case 0xE0...0xEF: need = 2; code = UInt32(b & 0x0F); minimum = 0x800
        case 0xF0...0xF4: need = 3; code = UInt32(b & 0x07); minimum = 0x10000
        default: return i
        }
        guard i + need < n else { return i }
        for k in 1...need {
            let c = bytes[i + k]
            guard c & 0xC0 == 0x80 else { return i }
            code = code << 6 | UInt32(c & 0x3F)
        }
        if code < minimum || code > 0x10FFFF || (0xD800...0xDFFF).contains(code) { return i }
        i += need + 1
    }
    return nil
}
