import FormworkYAML

/// A 64-bit digest of a value's content, equal for values that are `==` (places ignored,
/// objects as key sets, numbers by value). The formatter's self-check compares digests so
/// that the input tree can be released before the output is read back: one tree in memory
/// at a time instead of two. Seeded per process, so digests are never stored.
package enum ContentDigest {
    /// `asJSON`: the content as JSON can hold it, where a number JSON has no form for
    /// (`.inf`, `.nan`) is the string of its literal, as the JSON writer writes it.
    package static func of(_ value: Node, asJSON: Bool = false) -> Int {
        var hasher = Hasher()
        feed(value, &hasher, asJSON: asJSON)
        return hasher.finalize()
    }

    private static func feed(_ value: Node, _ hasher: inout Hasher, asJSON: Bool) {
        switch value.kind {
        case .null:
            hasher.combine(0 as UInt8)
        case .bool(let flag):
            hasher.combine(1 as UInt8)
            hasher.combine(flag)
        case .number(let literal) where asJSON && NumberLiteral.jsonForm(literal) == nil:
            hasher.combine(3 as UInt8)
            hasher.combine(ScalarKey(literal))
        case .number(let literal):
            hasher.combine(2 as UInt8)
            switch NumberLiteral.normalise(literal) {
            case .integer(let digits): hasher.combine(digits)
            case .real(let real):
                if real.isFinite, real == real.rounded(), abs(real) < 1e15 {
                    hasher.combine(String(Int64(real)))
                } else {
                    hasher.combine(real.isNaN ? Double.nan.bitPattern : real.bitPattern)
                }
            case .text(let text): hasher.combine(ScalarKey(text))
            }
        case .string(let text):
            hasher.combine(3 as UInt8)
            hasher.combine(ScalarKey(text))
        case .array(let items):
            hasher.combine(4 as UInt8)
            hasher.combine(items.count)
            for item in items { feed(item, &hasher, asJSON: asJSON) }
        case .object(let map):
            hasher.combine(5 as UInt8)
            hasher.combine(map.count)
            // Order-insensitive: the entries' own digests are summed.
            var sum = 0
            for entry in map.entries {
                var entryHasher = Hasher()
                entryHasher.combine(ScalarKey(entry.key))
                feed(entry.value, &entryHasher, asJSON: asJSON)
                sum &+= entryHasher.finalize()
            }
            hasher.combine(sum)
        case .intrinsic(let function):
            hasher.combine(6 as UInt8)
            hasher.combine(ScalarKey(function.name.rawValue))
            feed(function.argument, &hasher, asJSON: asJSON)
        }
    }
}
