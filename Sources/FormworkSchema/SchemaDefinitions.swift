/// A schema's `definitions`, by name. Read from the generated data, a definition is decoded
/// when first asked for, once per process: an S3 bucket's schema has 90 of them and a
/// template's bucket reaches a few (decoding them all was most of a type's first use).
public struct SchemaDefinitions: Sendable, Sequence {
    /// One definition: decoded already, or where its encoding is.
    final class Entry: Sendable {
        private let decoded: Shape?
        private let base: UnsafeSendablePointer?
        private let range: Range<Int>
        private let once = Once<Shape>()

        init(_ shape: Shape) {
            decoded = shape
            base = nil
            range = 0..<0
        }

        init(base: UnsafePointer<UInt8>, range: Range<Int>) {
            decoded = nil
            self.base = UnsafeSendablePointer(pointer: base)
            self.range = range
        }

        var shape: Shape {
            if let decoded { return decoded }
            return once.value {
                var reader = CompactReader(base: base!.pointer, range: range)
                return Shape(reading: &reader)
            }
        }
    }

    /// Static bytes, never written: safe to read from any thread.
    struct UnsafeSendablePointer: @unchecked Sendable {
        let pointer: UnsafePointer<UInt8>
    }

    private let entries: [String: Entry]

    init(entries: [String: Entry]) { self.entries = entries }

    /// Definitions decoded already.
    public init(_ shapes: [String: Shape] = [:]) {
        entries = shapes.mapValues(Entry.init)
    }

    /// The definition named `name` (what a `$ref` to `#/definitions/name` means).
    public subscript(name: String) -> Shape? { entries[name]?.shape }

    /// Every definition's name, in no particular order.
    public var keys: [String] { Array(entries.keys) }

    /// How many definitions there are.
    public var count: Int { entries.count }

    /// Every definition, decoded (in no particular order).
    public func makeIterator() -> IndexingIterator<[(key: String, value: Shape)]> {
        entries.map { (key: $0.key, value: $0.value.shape) }.makeIterator()
    }
}
