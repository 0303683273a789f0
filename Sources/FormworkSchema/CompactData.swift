import FormworkTemplate

/// The form the generator writes the registry's JSON data in (the registry schemas, cfn-lint's
/// extension constraints), so that nothing is parsed as JSON at lint time: tagged,
/// length-prefixed tokens of printable ASCII, one value per line of a raw string literal
/// (`StaticString`: the bytes are read where the binary maps them, never copied whole).
/// Reading a value copies its strings out; there is no tokenizer, no escape handling in the
/// common case, no number parsing for lengths beyond a few digits, and the schema keywords
/// are one-byte codes, so a schema's keys are never compared as text.
///
/// Tokens (lengths and counts in decimal):
/// - `z` null, `t` true, `f` false;
/// - `n<length>:<literal>` a number, its literal as the JSON reader keeps it;
/// - `s<length>:<bytes>` a string of printable characters (UTF-8 above ASCII included);
/// - `e<length>:<bytes>` a string with a control character or DEL in it: those written as
///   `\u00XX`, and `\` as `\\`;
/// - `[<count>:` an array, its `count` values following;
/// - `{<count>:` an object, `count` entries following, each a key and a value, where a key
///   is `k<code>` (a `SchemaKeyword`, the code `SchemaKeyword.codes[index]`) or a string.
package enum CompactData {
    /// The encoding of a JSON value (no intrinsic functions: registry data has none).
    package static func encode(_ value: Node) -> String {
        var out: [UInt8] = []
        encode(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func encode(_ value: Node, into out: inout [UInt8]) {
        switch value.kind {
        case .null: out.append(UInt8(ascii: "z"))
        case .bool(let flag): out.append(UInt8(ascii: flag ? "t" : "f"))
        case .number(let literal): token("n", Array(literal.utf8), into: &out)
        case .string(let text): string(text, into: &out)
        case .array(let items):
            header("[", items.count, into: &out)
            for item in items { encode(item, into: &out) }
        case .object(let map):
            header("{", map.count, into: &out)
            for entry in map.entries {
                if let keyword = SchemaKeyword(rawValue: entry.key) {
                    out.append(UInt8(ascii: "k"))
                    out.append(SchemaKeyword.codes[keyword.index])
                } else {
                    string(entry.key, into: &out)
                }
                encode(entry.value, into: &out)
            }
        case .intrinsic(let function):
            // Not in registry data; kept as the one-key object JSON would have.
            encode(.object(ObjectMap([ObjectMap.Entry(key: function.name.rawValue, value: function.argument)])), into: &out)
        }
    }

    static func string(_ text: String, into out: inout [UInt8]) {
        let bytes = Array(text.utf8)
        guard bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return token("s", bytes, into: &out) }
        var escaped: [UInt8] = []
        let hex = Array("0123456789abcdef".utf8)
        for byte in bytes {
            if byte < 0x20 || byte == 0x7F {
                escaped += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            } else if byte == UInt8(ascii: "\\") {
                escaped += [byte, byte]
            } else {
                escaped.append(byte)
            }
        }
        token("e", escaped, into: &out)
    }

    static func token(_ tag: Unicode.Scalar, _ bytes: [UInt8], into out: inout [UInt8]) {
        header(tag, bytes.count, into: &out)
        out += bytes
    }

    static func header(_ tag: Unicode.Scalar, _ count: Int, into out: inout [UInt8]) {
        out.append(UInt8(ascii: tag))
        out += Array(String(count).utf8)
        out.append(UInt8(ascii: ":"))
    }
}

/// The keywords of the registry's schemas and of cfn-lint's extension schemas, each written as
/// one code byte in `CompactData`.
package enum SchemaKeyword: String, CaseIterable, Sendable {
    case type, ref = "$ref", properties, required, additionalProperties, patternProperties, items, insertionOrder, uniqueItems
    case enumValues = "enum", constValue = "const", pattern, format, minimum, maximum, exclusiveMinimum, exclusiveMaximum
    case minLength, maxLength, minItems, maxItems, oneOf, anyOf, allOf, not, ifSchema = "if", thenSchema = "then", elseSchema = "else"
    case contains, propertyNames, multipleOf, dependentRequired, dependentExcluded, dependencies, definitions
    case typeName, primaryIdentifier, readOnlyProperties, writeOnlyProperties, createOnlyProperties, conditionalCreateOnlyProperties
    case deprecatedProperties, tagging, taggable, tagProperty, tagUpdatable, tagOnCreate, cloudFormationSystemTags
    case maxProperties, minProperties, enumCaseInsensitive, uniqueKeys, maxUniqueItems, prefixItems
    /// The fields of an extension constraint (`ExtensionConstraints.Constraint`).
    case id, path, file, schema
    /// `default`: read by the generator for the models' documentation; the generated data
    /// leaves it out. Last, so that the codes of the others stay as they are.
    case defaultValue = "default"

    /// The code bytes, by case index: letters and digits only, so that no code can form a raw
    /// string literal's delimiter or escape.
    static let codes = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    static let byCode: [SchemaKeyword?] = {
        var table = [SchemaKeyword?](repeating: nil, count: 256)
        for (index, keyword) in allCases.enumerated() { table[Int(codes[index])] = keyword }
        return table
    }()

    /// `init(rawValue:)` as a table: that initialiser compares the name with every raw value
    /// in turn, and a schema's property names are read as keys (what decoding a type cost most).
    static let byName: [String: SchemaKeyword] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })

    var index: Int { Self.allCases.firstIndex(of: self)! }
}

/// Reads `CompactData` tokens from generated static text. The text is the generator's, and
/// checked by the generated-code test; a malformed token still never reads out of bounds
/// (it reads as null and ends the value).
package struct CompactReader {
    let base: UnsafePointer<UInt8>
    var offset: Int
    let end: Int

    /// The value at `range` of `text` (a line's REST, as `SortedLines.find` gives it).
    package init(_ text: StaticString, _ range: Range<Int>) {
        self.init(base: text.utf8Start, range: range)
    }

    /// The value at `range` of bytes that outlive the reader.
    package init(base: UnsafePointer<UInt8>, range: Range<Int>) {
        self.base = base
        offset = range.lowerBound
        end = range.upperBound
    }

    /// One key of an object: its keyword when it is one, and its text.
    package struct Key {
        package var keyword: SchemaKeyword?
        package var name: String
    }

    var next: UInt8 { offset < end ? base[offset] : 0 }

    /// The decimal count or length after a tag, and its `:`.
    mutating func count() -> Int {
        var value = 0
        while offset < end, base[offset] != UInt8(ascii: ":") {
            value = value &* 10 &+ Int(base[offset] &- 0x30)
            offset += 1
        }
        offset += 1
        return max(0, min(value, end - offset))
    }

    /// The bytes of a length-prefixed token whose tag has been read.
    mutating func bytes() -> UnsafeBufferPointer<UInt8> {
        let length = count()
        defer { offset += length }
        return UnsafeBufferPointer(start: base + offset, count: length)
    }

    /// The count of the object that starts here (its header read), or nil (nothing read).
    package mutating func objectCount() -> Int? {
        guard next == UInt8(ascii: "{") else { return nil }
        offset += 1
        return count()
    }

    /// The count of the array that starts here (its header read), or nil (nothing read).
    package mutating func arrayCount() -> Int? {
        guard next == UInt8(ascii: "[") else { return nil }
        offset += 1
        return count()
    }

    package mutating func key() -> Key {
        if next == UInt8(ascii: "k"), offset + 1 < end, let keyword = SchemaKeyword.byCode[Int(base[offset + 1])] {
            offset += 2
            return Key(keyword: keyword, name: keyword.rawValue)
        }
        let name = string() ?? ""
        return Key(keyword: SchemaKeyword.byName[name], name: name)
    }

    /// The string that starts here, or nil (and the value skipped) when it is something else.
    package mutating func string() -> String? {
        switch next {
        case UInt8(ascii: "s"):
            offset += 1
            return String(decoding: bytes(), as: UTF8.self)
        case UInt8(ascii: "e"):
            offset += 1
            return Self.unescape(bytes())
        default:
            skip()
            return nil
        }
    }

    /// The value that starts here, as a `Node` (without a place: it was read from no file).
    package mutating func node() -> Node {
        guard offset < end else { return .null }
        let tag = base[offset]
        switch tag {
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            offset += 1
            return .bool(tag == UInt8(ascii: "t"))
        case UInt8(ascii: "n"):
            offset += 1
            return .number(String(decoding: bytes(), as: UTF8.self))
        case UInt8(ascii: "s"), UInt8(ascii: "e"):
            return .string(string() ?? "")
        case UInt8(ascii: "["):
            let count = arrayCount() ?? 0
            var items: [Node] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(node()) }
            return .array(items)
        case UInt8(ascii: "{"):
            let count = objectCount() ?? 0
            var entries: [ObjectMap.Entry] = []
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let name = key().name
                entries.append(ObjectMap.Entry(key: name, value: node()))
            }
            return .object(ObjectMap(entries))
        default:
            // `z`, or a malformed token: the value ends here.
            offset = tag == UInt8(ascii: "z") ? offset + 1 : end
            return .null
        }
    }

    /// Steps over the value that starts here: one loop over the tokens, counting the values
    /// still to step over (an object's keys counted with its values), not a call per value
    /// (stepping over what is not decoded is most of reading a type's data now).
    package mutating func skip() {
        var pending = 1
        while pending > 0, offset < end {
            pending -= 1
            let tag = base[offset]
            offset += 1
            switch tag {
            case UInt8(ascii: "n"), UInt8(ascii: "s"), UInt8(ascii: "e"): offset += count()
            case UInt8(ascii: "["): pending += count()
            case UInt8(ascii: "{"): pending += 2 * count()
            // A keyword key: its code byte (a key is read where a value would be).
            case UInt8(ascii: "k"): offset += 1
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "z"): break
            default: offset = end
            }
        }
        offset = min(offset, end)
    }

    static func unescape(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                if bytes[index + 1] == UInt8(ascii: "u"), index + 5 < bytes.count {
                    out.append(hexValue(bytes[index + 4]) << 4 | hexValue(bytes[index + 5]))
                    index += 6
                } else {
                    out.append(bytes[index + 1])
                    index += 2
                }
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ digit: UInt8) -> UInt8 {
        digit >= UInt8(ascii: "a") ? digit - UInt8(ascii: "a") + 10 : digit &- UInt8(ascii: "0")
    }
}
