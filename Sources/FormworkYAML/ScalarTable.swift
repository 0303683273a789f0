/// The strings of one read's scalars, each short text made once: the parser asks here
/// instead of building a `String` per scalar, so that a key or a tag written a hundred
/// times (`Type`, `Properties`, `!Ref`) is validated and allocated once, and equal texts
/// share one representation (their comparison ends at `sameScalars`' first test).
///
/// Texts are found by a seeded hash of their bytes (`hash(_:)`), which duplicate-key
/// detection uses too; the bytes are compared before a string is reused, so a collision
/// costs time, never a wrong string.
struct ScalarTable {
    /// Longer texts (scripts, descriptions) are rarely repeated: made as they come.
    static let maxLength = 48
    /// A text not found after this many slots is made afresh, not stored: a run of
    /// colliding texts costs a bounded search each.
    private static let maxProbes = 16

    private struct Entry {
        var hash: UInt64
        /// Where the text's bytes start in `arena`, and their count.
        var start: Int32
        var count: Int32
        var text: String
    }

    /// Open addressing over `entries`: an entry's offset plus one, 0 for a free slot. The
    /// slots hold no strings, so that making, growing and freeing them is a fill of
    /// integers, not a walk over optional strings.
    private var slots: [Int32]
    private var entries: [Entry] = []
    private var arena: [UInt8] = []
    private var mask: Int
    private let seed: UInt64
    private let multiplier: UInt64

    /// Drawn once per process from the system's generator: a text cannot be written to
    /// collide with another for a hash it cannot know.
    private static let seeds: (seed: UInt64, multiplier: UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next() | 1)
    }()

    init() {
        // Seed 004 (33 KB) holds about 500 distinct short texts.
        let capacity = 2048
        slots = Array(repeating: 0, count: capacity)
        entries.reserveCapacity(capacity / 2)
        arena.reserveCapacity(8 * 1024)
        mask = capacity - 1
        (seed, multiplier) = Self.seeds
    }

    /// A hash of `bytes`, the same for the same bytes within this process.
    @inline(__always)
    func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        Self.hash(bytes, seed: seed, multiplier: multiplier)
    }

    /// The same hash, with the process's seeds: what `ScalarKey` gives `Hasher`, one word
    /// instead of the text's bytes.
    static func digest(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let seeds = Self.seeds
        return hash(bytes, seed: seeds.seed, multiplier: seeds.multiplier)
    }

    /// Eight bytes at a time, each word folded in by a full-width multiplication with a
    /// secret odd multiplier (the high and low halves xored).
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64, multiplier: UInt64) -> UInt64 {
        let count = bytes.count
        var h = seed ^ UInt64(truncatingIfNeeded: count)
        guard count > 0, let base = bytes.baseAddress else { return fold(h, multiplier) }
        let raw = UnsafeRawPointer(base)
        if count >= 8 {
            var offset = 0
            while offset + 8 <= count {
                h = fold(h ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self), multiplier)
                offset += 8
            }
            // The last (overlapping) eight bytes: the count is already in the hash.
            if offset < count { h = fold(h ^ raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), multiplier) }
        } else {
            var tail: UInt64 = 0
            var offset = 0
            while offset < count {
                tail |= UInt64(base[offset]) << (8 * UInt64(offset))
                offset += 1
            }
            h = fold(h ^ tail, multiplier)
        }
        return fold(h, multiplier ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The hash of a string's bytes (an alias used as a key).
    func hash(_ text: String) -> UInt64 {
        var copy = text
        return copy.withUTF8 { hash($0) }
    }

    @inline(__always)
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// The string of `bytes` (read as UTF-8, as `String(decoding:as:)` reads them), whose
    /// `hash` the caller has computed.
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> String {
        let count = bytes.count
        guard count <= Self.maxLength else { return String(decoding: bytes, as: UTF8.self) }
        var slot = Int(truncatingIfNeeded: hash) & mask
        var probes = 0
        let found: Int? = slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                arena.withUnsafeBufferPointer { arena in
                    while probes < Self.maxProbes {
                        let index = Int(slots[slot]) - 1
                        if index < 0 { return nil }
                        if entries[index].hash == hash, Int(entries[index].count) == count,
                           Self.same(bytes, arena.baseAddress.map { $0 + Int(entries[index].start) }) { return index }
                        slot = (slot + 1) & mask
                        probes += 1
                    }
                    return nil
                }
            }
        }
        if let found { return entries[found].text }
        let text = String(decoding: bytes, as: UTF8.self)
        // A free slot ends the search; a search that ran out of probes stores nothing.
        if probes < Self.maxProbes { store(text, bytes, hash: hash, at: slot) }
        return text
    }

    private static func same(_ bytes: UnsafeBufferPointer<UInt8>, _ kept: UnsafePointer<UInt8>?) -> Bool {
        guard let base = bytes.baseAddress, let kept else { return bytes.isEmpty }
        let left = UnsafeRawPointer(kept), right = UnsafeRawPointer(base)
        let count = bytes.count
        var offset = 0
        while offset + 8 <= count {
            if left.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != right.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
            offset += 8
        }
        while offset < count {
            if left.load(fromByteOffset: offset, as: UInt8.self) != right.load(fromByteOffset: offset, as: UInt8.self) { return false }
            offset += 1
        }
        return true
    }

    private mutating func store(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, at slot: Int) {
        entries.append(Entry(hash: hash, start: Int32(truncatingIfNeeded: arena.count), count: Int32(truncatingIfNeeded: bytes.count), text: text))
        slots[slot] = Int32(truncatingIfNeeded: entries.count)
        arena.append(contentsOf: bytes)
        if entries.count * 2 > slots.count { grow() }
    }

    /// Twice the slots, the entries placed again.
    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        mask = slots.count - 1
        for index in entries.indices {
            var slot = Int(truncatingIfNeeded: entries[index].hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(truncatingIfNeeded: index + 1)
        }
    }
}
