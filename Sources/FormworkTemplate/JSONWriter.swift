import FormworkYAML

/// Canonical JSON: long-form intrinsics, 2-space indent, `": "` after keys, UTF-8 kept as
/// is (only what JSON requires is escaped), a final newline.
public enum JSONWriter {
    public static func write(_ value: Node) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        write(value, indent: 0, into: &out)
        out.append(0x0A)
        return out
    }

    /// One-line JSON in long form, keys in order: `{"a":1}`, or `{"a": 1, "b": 2}` spaced.
    public static func compact(_ value: Node, spaced: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        compact(value, spaced ? Array(", ".utf8) : [UInt8(ascii: ",")], spaced ? Array(": ".utf8) : [UInt8(ascii: ":")], &out)
        return out
    }

    private static func compact(_ value: Node, _ comma: [UInt8], _ colon: [UInt8], _ out: inout [UInt8]) {
        switch value.kind {
        case .null, .bool, .number, .string:
            write(value, indent: 0, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (offset, item) in items.enumerated() {
                if offset > 0 { out += comma }
                compact(item, comma, colon, &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let map):
            out.append(UInt8(ascii: "{"))
            for (offset, entry) in map.entries.enumerated() {
                if offset > 0 { out += comma }
                writeString(entry.key, &out)
                out += colon
                compact(entry.value, comma, colon, &out)
            }
            out.append(UInt8(ascii: "}"))
        case .intrinsic(let function):
            out.append(UInt8(ascii: "{"))
            writeString(function.name.rawValue, &out)
            out += colon
            compact(function.argument, comma, colon, &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ indent: Int, _ out: inout [UInt8]) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent))
    }

    private static func write(_ value: Node, indent: Int, into out: inout [UInt8]) {
        switch value.kind {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let literal):
            if let json = NumberLiteral.jsonForm(literal) {
                out.append(contentsOf: json.utf8)
            } else {
                // Infinity and NaN have no JSON form; they survive as their YAML text.
                writeString(literal, &out)
            }
        case .string(let text): writeString(text, &out)
        case .array(let items):
            if items.isEmpty {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (offset, item) in items.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 2, &out)
                write(item, indent: indent + 2, into: &out)
            }
            newline(indent, &out)
            out.append(UInt8(ascii: "]"))
        case .object(let map):
            if map.isEmpty {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            for (offset, entry) in map.entries.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 2, &out)
                writeString(entry.key, &out)
                out.append(contentsOf: ": ".utf8)
                write(entry.value, indent: indent + 2, into: &out)
            }
            newline(indent, &out)
            out.append(UInt8(ascii: "}"))
        case .intrinsic(let function):
            out.append(UInt8(ascii: "{"))
            newline(indent + 2, &out)
            writeString(function.name.rawValue, &out)
            out.append(contentsOf: ": ".utf8)
            write(function.argument, indent: indent + 2, into: &out)
            newline(indent, &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    public static func writeString(_ text: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        // Runs of bytes that need no escape are copied at once (a language server's
        // publication writes megabytes of messages and paths).
        text.withUTF8 { bytes in
            var start = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                escape(byte, &out)
                start = index + 1
            }
            if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func escape(_ byte: UInt8, _ out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
        case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
        case 0x0A: out.append(contentsOf: "\\n".utf8)
        case 0x0D: out.append(contentsOf: "\\r".utf8)
        case 0x09: out.append(contentsOf: "\\t".utf8)
        case 0x08: out.append(contentsOf: "\\b".utf8)
        case 0x0C: out.append(contentsOf: "\\f".utf8)
        default:
            out.append(contentsOf: "\\u00".utf8)
            out.append(contentsOf: hexByte(byte).lowercased().utf8)
        }
    }
}
