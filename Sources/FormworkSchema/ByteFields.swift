/// Splitting generated text (the registry's summary lines, the IAM action table, the Lambda
/// runtime table) on one ASCII byte, without making a `String` of the whole line first:
/// `String.split` walks grapheme clusters, which cost more than the rest of decoding a type's
/// summary or a service's actions (the first lint of a process decodes a few dozen of them).
enum ByteFields {
    /// The fields of `bytes` between `separator`s, as `split(separator:omittingEmptySubsequences:)`
    /// gives them for ASCII separators.
    static func split(_ bytes: UnsafeBufferPointer<UInt8>, _ separator: UInt8, omittingEmpty: Bool) -> [UnsafeBufferPointer<UInt8>] {
        var fields: [UnsafeBufferPointer<UInt8>] = []
        guard let base = bytes.baseAddress else { return omittingEmpty ? [] : [bytes] }
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == separator {
            if !omittingEmpty || index > start { fields.append(UnsafeBufferPointer(start: base + start, count: index - start)) }
            start = index + 1
        }
        return fields
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Whether `bytes` is the one ASCII character `character`.
    static func isOne(_ bytes: UnsafeBufferPointer<UInt8>, _ character: Unicode.Scalar) -> Bool {
        bytes.count == 1 && bytes[0] == UInt8(ascii: character)
    }
}
