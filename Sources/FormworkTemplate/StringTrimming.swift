extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    package var trimmingSpaces: String {
        // ASCII text (nearly all) is trimmed on its bytes: the same result, without reversing
        // Characters (about 100,000 instructions a call). There a Character is a byte, except
        // CR LF, which is one Character and no newline: a trailing `\n` after `\r` stays.
        if let trimmed = utf8.withContiguousStorageIfAvailable({ bytes -> String? in
            var start = 0, end = bytes.count
            for byte in bytes where byte >= 0x80 { return nil }
            func blank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 }
            while start < end, blank(bytes[start]) { start += 1 }
            while end > start, blank(bytes[end - 1]), !(bytes[end - 1] == 0x0A && end - 2 >= start && bytes[end - 2] == 0x0D) { end -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }), let trimmed {
            return trimmed
        }
        return String(drop(while: { $0 == " " || $0 == "\n" || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\n" || $0 == "\t" }).reversed())
    }
}
