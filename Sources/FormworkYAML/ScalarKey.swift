/// A string compared and hashed by its UTF-8 bytes, not by Swift's canonical equivalence:
/// CloudFormation, YAML and JSON compare keys and values byte for byte, so "café" written
/// precomposed and decomposed are two keys (not a duplicate), and a change between them is
/// a change.
public struct ScalarKey: Hashable, Sendable {
    public let text: String

    public init(_ text: String) { self.text = text }

    public static func == (lhs: ScalarKey, rhs: ScalarKey) -> Bool { lhs.text.sameScalars(as: rhs.text) }

    public func hash(into hasher: inout Hasher) {
        // One word, a seeded digest of the bytes: `Hasher` fed the bytes themselves cost
        // twice as much per key (index building of every larger mapping, key lookups).
        var copy = text
        copy.withUTF8 { hasher.combine(ScalarTable.digest($0)) }
    }
}

extension String {
    /// Equality by UTF-8 bytes (hence by Unicode scalars), where `==` is canonical equivalence.
    public func sameScalars(as other: String) -> Bool {
        // The same representation (a small string's bytes held inline, or one storage) is
        // the same text: most key lookups end here.
        if unsafeBitCast(self, to: (UInt64, UInt64).self) == unsafeBitCast(other, to: (UInt64, UInt64).self) { return true }
        guard utf8.count == other.utf8.count else { return false }
        // Native strings hold their UTF-8 contiguously: compare the buffers eight bytes at a
        // time, not two iterators byte by byte (every object key lookup of the rules comes here).
        let contiguous = utf8.withContiguousStorageIfAvailable { mine in
            other.utf8.withContiguousStorageIfAvailable { theirs in Self.sameBytes(mine, theirs) }
        }
        if let contiguous, let same = contiguous { return same }
        return utf8.elementsEqual(other.utf8)
    }

    /// Two buffers of the same length, compared a word at a time.
    private static func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = a.count
        guard count > 0, let p = a.baseAddress, let q = b.baseAddress else { return true }
        let left = UnsafeRawPointer(p), right = UnsafeRawPointer(q)
        var offset = 0
        while offset + 8 <= count {
            if left.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != right.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
            offset += 8
        }
        while offset < count {
            if p[offset] != q[offset] { return false }
            offset += 1
        }
        return true
    }
}
