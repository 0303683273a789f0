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
    /// Built only for larger maps; small maps are searched linearly, which is faster.
    /// Keys by their bytes (`ScalarKey`): YAML and JSON keys are compared byte for byte.
    private var index: [ScalarKey: Int]?
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
        if let index { return index[ScalarKey(key)] }
        // The keys compared in place: `firstIndex` over `entries` copied each entry (its key
        // and its value retained and released) to compare its key, the cost of most lookups.
        return entries.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                if buffer[offset].key.sameScalars(as: key) { return offset }
                offset += 1
            }
            return nil
        }
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
            if index != nil || entries.count > Self.indexThreshold {
                if index == nil { rebuildIndex() } else { index?[ScalarKey(key)] = entries.count - 1 }
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
        guard entries.count > Self.indexThreshold else {
            index = nil
            return
        }
        var built = [ScalarKey: Int](minimumCapacity: entries.count)
        for (offset, entry) in entries.enumerated() where built[ScalarKey(entry.key)] == nil {
            built[ScalarKey(entry.key)] = offset
        }
        index = built
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
