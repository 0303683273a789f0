import FormworkYAML

/// A 1-based line and column in a template file; `Location.none` for values built in code.
public typealias Location = Mark

/// One value of a template: the untyped model every stage meets at.
///
/// Numbers keep their literal text (`"10"`, `"0.2"`, `"1_000"`), so nothing is rounded on the
/// way through. An intrinsic function (`Ref`, `Fn::*` as a one-key mapping, or any short-form
/// tag) is its own case. Every value remembers where it was read; equality ignores that
/// place and compares content: objects as unordered key sets, numbers by value.
public struct Node: Sendable {
    public enum Kind: Sendable {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case array([Node])
        case object(ObjectMap)
        indirect case intrinsic(Intrinsic)
    }

    public var kind: Kind
    public var location: Location

    public init(_ kind: Kind, at location: Location = .none) {
        self.kind = kind
        self.location = location
    }

    public static let null = Node(.null)
    public static func string(_ text: String, at location: Location = .none) -> Node { Node(.string(text), at: location) }
    public static func number(_ literal: String, at location: Location = .none) -> Node { Node(.number(literal), at: location) }
    public static func bool(_ flag: Bool, at location: Location = .none) -> Node { Node(.bool(flag), at: location) }
    public static func array(_ items: [Node], at location: Location = .none) -> Node { Node(.array(items), at: location) }
    public static func object(_ map: ObjectMap, at location: Location = .none) -> Node { Node(.object(map), at: location) }
    public static func intrinsic(_ name: IntrinsicName, _ argument: Node, at location: Location = .none) -> Node {
        Node(.intrinsic(Intrinsic(name: name, argument: argument)), at: location)
    }

    public var stringValue: String? {
        if case .string(let text) = kind { return text }
        return nil
    }

    /// A number written as a number or as numeric text (CloudFormation reads both).
    public var numberValue: Double? {
        switch kind {
        case .number(let literal):
            // Most literals are plain decimals, which `Double` reads as `normalise` would.
            if NumberLiteral.isPlainDecimal(literal) { return Double(literal) }
            switch NumberLiteral.normalise(literal) {
            case .integer(let digits): return Double(digits)
            case .real(let real): return real
            case .text: return nil
            }
        case .string(let text): return Double(text)
        default: return nil
        }
    }

    /// A number as an integer (toward zero), when it is finite and within `Int`'s range:
    /// the one checked conversion for template numbers (`.inf`, `.nan`, `1e999` and 20-digit
    /// literals give nil, never a trap).
    public var intValue: Int? { numberValue?.checkedInt }

    /// A scalar as text: a string, a number's literal, `true`/`false`.
    public var scalarText: String? {
        switch kind {
        case .string(let text): return text
        case .number(let literal): return literal
        case .bool(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }

    public var objectValue: ObjectMap? {
        if case .object(let map) = kind { return map }
        return nil
    }

    public var arrayValue: [Node]? {
        if case .array(let items) = kind { return items }
        return nil
    }

    public var intrinsicValue: Intrinsic? {
        if case .intrinsic(let function) = kind { return function }
        return nil
    }

    /// The place of the value at a logical path below this one, if it was read from a file.
    public func location(at path: [PathComponent]) -> Location? {
        var current = self
        for step in path {
            switch (step, current.kind) {
            case (.key(let key), .object(let map)):
                guard let next = map[key] else { return nil }
                current = next
            case (.key(let key), .intrinsic(let function)) where key == function.name.rawValue:
                current = function.argument
            case (.index(let index), .array(let items)) where items.indices.contains(index):
                current = items[index]
            default:
                return nil
            }
        }
        return current.location.isKnown ? current.location : nil
    }

    /// The value at a key when this is an object.
    public subscript(key: String) -> Node? {
        objectValue?[key]
    }
}

/// An intrinsic function call: `Ref`, `Fn::GetAtt`, `Fn::Sub`, ... in long-form name.
public struct Intrinsic: Sendable {
    public var name: IntrinsicName
    public var argument: Node

    public init(name: IntrinsicName, argument: Node) {
        self.name = name
        self.argument = argument
    }

    /// True for the names that make a one-key mapping an intrinsic function call.
    public static func isFunctionName(_ key: String) -> Bool {
        key == "Ref" || key.hasPrefix("Fn::")
    }
}

/// An object's entries in source order, with keys unique (the readers reject duplicates).
public struct ObjectMap: Sendable {
    public struct Entry: Sendable {
        public var key: String
        public var keyLocation: Location
        public var value: Node

        public init(key: String, keyLocation: Location = .none, value: Node) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }
    }

    public private(set) var entries: [Entry]
    /// Built only for larger maps; small maps are searched linearly, which is faster. An
    /// open-addressing table of entry offsets plus one (0: an empty slot), its size a power of
    /// two at least twice the entries, hashed by the keys' UTF-8 bytes: YAML and JSON keys are
    /// compared byte for byte. (A `[ScalarKey: Int]` hashed each key with SipHash and compared
    /// it through `sameScalars`: about 480 instructions a lookup.)
    private var index: [Int32]?
    private static let indexThreshold = 12

    public init(_ entries: [Entry] = []) {
        self.entries = entries
        rebuildIndex()
    }

    public init(_ pairs: KeyValuePairs<String, Node>) {
        self.init(pairs.map { Entry(key: $0.key, value: $0.value) })
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }

    public func position(of key: String) -> Int? {
        // The keys compared in place, by their two words: a key read through the buffer and
        // handed to `sameScalars` was retained and released for each entry (most of a lookup's
        // cost), and most entries differ in length. Only keys of the same length whose words
        // differ (a long key, or one small and one not) are compared byte by byte.
        guard let keyOffset = Self.keyOffset else { return entries.firstIndex { $0.key.sameScalars(as: key) } }
        let wanted = Self.words(key)
        let wantedCount = Self.utf8Count(wanted)
        return entries.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            let keys = UnsafeRawPointer(base) + keyOffset
            func matches(_ offset: Int) -> Bool {
                let place = keys + offset * MemoryLayout<Entry>.stride
                let words = (place.load(as: UInt64.self), place.load(fromByteOffset: 8, as: UInt64.self))
                if words == wanted { return true }
                let count = Self.utf8Count(words)
                if let count, let wantedCount, count != wantedCount || (Self.isSmall(words) && Self.isSmall(wanted)) { return false }
                return buffer[offset].key.sameScalars(as: key)
            }
            if let index {
                return index.withUnsafeBufferPointer { table -> Int? in
                    let mask = table.count - 1
                    var slot = Self.hash(key) & mask
                    for _ in 0..<table.count {
                        let stored = Int(table[slot])
                        if stored == 0 { return nil }
                        if matches(stored - 1) { return stored - 1 }
                        slot = (slot + 1) & mask
                    }
                    return nil
                }
            }
            var offset = 0
            while offset < buffer.count {
                if matches(offset) { return offset }
                offset += 1
            }
            return nil
        }
    }

    /// Where an entry holds its key; nil (not a 64-bit String) leaves the lookup to `sameScalars`.
    private static let keyOffset = MemoryLayout<String>.size == 16 ? MemoryLayout<Entry>.offset(of: \Entry.key) : nil

    /// A string's two words as the 64-bit String ABI lays them out (the representation
    /// `sameScalars` also compares first).
    private static func words(_ text: String) -> (UInt64, UInt64) {
        unsafeBitCast(text, to: (UInt64, UInt64).self)
    }

    /// A small string (up to 15 UTF-8 bytes held in the words, unused bytes zero): two small
    /// strings with different words have different texts.
    private static func isSmall(_ words: (UInt64, UInt64)) -> Bool {
        words.1 & (1 << 61) != 0
    }

    /// The UTF-8 count from a string's words, without retaining its storage: a small string's
    /// is in the top byte's low nibble, a native or shared one's in the low 48 bits of its
    /// count and flags; nil for a foreign (bridged) string.
    private static func utf8Count(_ words: (UInt64, UInt64)) -> Int? {
        if isSmall(words) { return Int((words.1 >> 56) & 0xF) }
        if words.1 & (1 << 60) != 0 { return nil }
        return Int(words.0 & 0x0000_FFFF_FFFF_FFFF)
    }

    /// FNV-1a of the key's UTF-8 bytes (the same text, small or not, hashes the same).
    private static func hash(_ key: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let contiguous: Void? = key.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
        if contiguous == nil {
            for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 32))
    }

    /// Adds the entry at `offset` to the table, unless its key is there already (the first
    /// of equal keys is the one found).
    private mutating func insertIntoIndex(_ offset: Int) {
        guard var table = index else { return }
        index = nil  // the table uniquely referenced while it changes
        let key = entries[offset].key
        let mask = table.count - 1
        var slot = Self.hash(key) & mask
        while table[slot] != 0 {
            if entries[Int(table[slot]) - 1].key.sameScalars(as: key) {
                index = table
                return
            }
            slot = (slot + 1) & mask
        }
        table[slot] = Int32(offset + 1)
        index = table
    }

    public subscript(key: String) -> Node? {
        get { position(of: key).map { entries[$0].value } }
        set {
            if let newValue {
                set(key, newValue)
            } else {
                remove(key)
            }
        }
    }

    public func entry(_ key: String) -> Entry? {
        position(of: key).map { entries[$0] }
    }

    /// Replaces the value at `key` in place, or appends a new entry.
    public mutating func set(_ key: String, _ value: Node, keyLocation: Location = .none) {
        if let at = position(of: key) {
            entries[at].value = value
        } else {
            entries.append(Entry(key: key, keyLocation: keyLocation, value: value))
            if let table = index, entries.count * 2 <= table.count {
                insertIntoIndex(entries.count - 1)
            } else if entries.count > Self.indexThreshold {
                rebuildIndex()
            }
        }
    }

    public mutating func remove(_ key: String) {
        guard let at = position(of: key) else { return }
        entries.remove(at: at)
        rebuildIndex()
    }

    /// Reorders entries: the keys of `order` first in that order, then the rest as they were.
    public func reordered(_ order: [String]) -> ObjectMap {
        var first: [Entry] = []
        var taken = Set<ScalarKey>()
        for key in order {
            if let entry = entry(key) {
                first.append(entry)
                taken.insert(ScalarKey(key))
            }
        }
        return ObjectMap(first + entries.filter { !taken.contains(ScalarKey($0.key)) })
    }

    private mutating func rebuildIndex() {
        guard entries.count > Self.indexThreshold, entries.count < Int(Int32.max) / 4 else {
            index = nil
            return
        }
        var size = 32
        while size < entries.count * 2 { size *= 2 }
        index = [Int32](repeating: 0, count: size)
        for offset in entries.indices { insertIntoIndex(offset) }
    }
}

extension Node: Equatable {
    /// Content equality: places are ignored, objects compare as key sets, numbers by value.
    public static func == (lhs: Node, rhs: Node) -> Bool {
        switch (lhs.kind, rhs.kind) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return NumberLiteral.equal(a, b)
        case (.string(let a), .string(let b)): return a.sameScalars(as: b)
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        case (.intrinsic(let a), .intrinsic(let b)): return a.name.rawValue.sameScalars(as: b.name.rawValue) && a.argument == b.argument
        default: return false
        }
    }
}

extension ObjectMap: Equatable {
    public static func == (lhs: ObjectMap, rhs: ObjectMap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for entry in lhs.entries {
            guard let other = rhs[entry.key], other == entry.value else { return false }
        }
        return true
    }
}
