extension String.UTF8View {
    /// Substring search on bytes (String.contains goes through the regex machinery).
    package func containsBytes(of needle: String) -> Bool {
        // Native strings are searched in place; others copied once.
        if let found = withContiguousStorageIfAvailable({ bytes in needle.utf8.withContiguousStorageIfAvailable { Self.search(bytes, for: $0) } }), let found {
            return found
        }
        return Self.search(Array(self), for: Array(needle.utf8))
    }

    private static func search<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, for pattern: Bytes) -> Bool where Bytes.Index == Int {
        guard pattern.count <= bytes.count, let first = pattern.first else { return pattern.isEmpty }
        var index = bytes.startIndex
        let last = bytes.endIndex - pattern.count
        while index <= last {
            if bytes[index] == first, bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return true }
            index += 1
        }
        return false
    }
}

extension String {
    /// `contains` as Characters compare, answered by a byte search when that gives the same
    /// answer: both texts ASCII (each character one byte) and no line break in the needle
    /// (CR LF is one Character). `String.contains(String)` costs tens of thousands of
    /// instructions a call.
    package func containsText(_ needle: String) -> Bool {
        let plain = needle.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0A && $0 != 0x0D } && utf8.allSatisfy { $0 < 0x80 }
        return plain ? utf8.containsBytes(of: needle) : contains(needle)
    }
}
