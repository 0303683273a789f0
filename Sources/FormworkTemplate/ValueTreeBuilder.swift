import FormworkYAML

/// Builds `Value`s straight from the parser's events, the way CloudFormation and cfn-lint
/// read YAML: YAML 1.1 resolution for plain scalars, short-form tags as their long forms.
final class ValueTreeBuilder: YAMLTreeBuilder {
    // Unchecked: the builder is one read's, called by the parser one event at a time, and
    // a runtime exclusivity check per access (about 60 instructions each) buys nothing.
    @exclusivity(unchecked) private var stack: [Node] = []
    private var anchors: [Int: Node] = [:]
    private(set) var root: Node?

    static let yamlTagPrefix = "tag:yaml.org,2002:"

    init() {
        stack.reserveCapacity(64)
    }

    func pushScalar(_ text: String, style: ScalarStyle, tag: String?, mark: Mark) throws(YAMLError) {
        guard let tag, !Self.isNonSpecific(tag) else {
            stack.append(style == .plain && tag == nil ? Self.plainScalar(text, at: mark) : Node(.string(text), at: mark))
            return
        }
        if Self.isStandard(tag) {
            stack.append(try Self.standardScalar(String(tag.dropFirst(Self.yamlTagPrefix.count)), text, mark))
            return
        }
        // A tagged scalar is always a string, as in cfn-lint: `!Ref 5` refers to "5".
        stack.append(try shortForm(tag, Node(.string(text), at: mark), mark))
    }

    /// `!`, the non-specific tag (a quoted scalar's): by its one byte, not a String comparison.
    @inline(__always)
    private static func isNonSpecific(_ tag: String) -> Bool {
        tag.utf8.count == 1 && tag.utf8.first == UInt8(ascii: "!")
    }

    /// `tag:yaml.org,2002:...` (`!!str`); a short-form tag starts with `!`, and is passed
    /// over at its first byte.
    @inline(__always)
    private static func isStandard(_ tag: String) -> Bool {
        tag.utf8.first == UInt8(ascii: "t") && tag.hasPrefix(yamlTagPrefix)
    }

    func endSequence(count: Int, tag: String?, mark: Mark) throws(YAMLError) {
        var items: [Node] = []
        items.reserveCapacity(count)
        let base = stack.count - count
        stack.withUnsafeMutableBufferPointer { values in
            for offset in base..<values.count { items.append(Self.take(&values[offset])) }
        }
        dropLast(count)
        try push(Node(.array(items), at: mark), tag: tag, collection: "seq")
    }

    /// The top `count` values (mostly nulls left by `take`) removed one by one: a
    /// collection has a few, and `removeLast(_:)` is a generic range replacement.
    @inline(__always)
    private func dropLast(_ count: Int) {
        for _ in 0..<count { stack.removeLast() }
    }

    /// The value moved out of the stack, a null left in its place: a copy would retain
    /// it, and the stack's removal of the original release it again.
    @inline(__always)
    private static func take(_ slot: inout Node) -> Node {
        var value = Node(.null)
        swap(&value, &slot)
        return value
    }

    func endMapping(keys: ArraySlice<YAMLKey?>, tag: String?, mark: Mark) throws(YAMLError) {
        let count = keys.count
        var entries: [ObjectMap.Entry] = []
        entries.reserveCapacity(count)
        let base = stack.count - count
        let refused: Int? = keys.withUnsafeBufferPointer { keys in
            stack.withUnsafeMutableBufferPointer { values in
                for offset in 0..<count {
                    guard let key = keys[offset] else { continue }
                    if let keyTag = key.tag, !Self.isNonSpecific(keyTag), !Self.isStandard(keyTag) { return offset }
                    entries.append(ObjectMap.Entry(key: key.text, keyLocation: key.mark, value: Self.take(&values[base + offset])))
                }
                return nil
            }
        }
        if let refused, let key = keys[keys.startIndex + refused], let keyTag = key.tag {
            throw YAMLError(.complexKey, "a mapping key must be a string, not the function '\(keyTag) \(key.text)' (is a flow mapping missing its braces?)", at: key.mark)
        }
        dropLast(count)
        // A block mapping under a short-form tag (`!Base64` over `Fn::Sub: ...` on the next
        // line) starts, to libyaml, at the tag: the tag is the outer function, and the
        // mapping (a long-form function itself, often) is where its first key is.
        let functionTag = tag.map { !Self.isNonSpecific($0) && !Self.isStandard($0) } ?? false
        let start = functionTag && (entries.first.map { $0.keyLocation.line > mark.line } ?? false) ? entries[0].keyLocation : mark
        try push(Self.makeObject(entries, at: start), tag: tag, collection: "map", at: mark)
    }

    func discard() { stack.removeLast() }

    func saveAnchor(_ anchor: Int) { anchors[anchor] = stack.last }

    func pushAnchor(_ anchor: Int, mark: Mark) {
        guard var value = anchors[anchor] else { return }
        value.location = mark
        stack.append(value)
    }

    func finish() -> Bool {
        root = stack.popLast()
        return root != nil
    }

    /// `mark`: where the tag is, for the function it makes (the value's own place by default).
    private func push(_ value: Node, tag: String?, collection: String, at mark: Mark? = nil) throws(YAMLError) {
        guard let tag, !Self.isNonSpecific(tag) else {
            stack.append(value)
            return
        }
        if Self.isStandard(tag) {
            guard tag == Self.yamlTagPrefix + collection else {
                throw YAMLError(.tag, "the value cannot be read as !!\(tag.dropFirst(Self.yamlTagPrefix.count))", at: value.location)
            }
            stack.append(value)
            return
        }
        stack.append(try shortForm(tag, value, mark ?? value.location))
    }

    static func plainScalar(_ text: String, at location: Location) -> Node {
        switch YAML11Resolver.resolve(plain: text) {
        case .null: return Node(.null, at: location)
        case .bool(let flag): return Node(.bool(flag), at: location)
        case .int, .float: return Node(.number(text), at: location)
        case .timestamp, .merge, .string: return Node(.string(text), at: location)
        }
    }

    private static func standardScalar(_ name: String, _ text: String, _ mark: Mark) throws(YAMLError) -> Node {
        let resolved = YAML11Resolver.resolve(plain: text)
        switch name {
        case "str", "timestamp":
            return Node(.string(text), at: mark)
        case "int" where resolved == .int, "float" where resolved == .int || resolved == .float:
            return Node(.number(text), at: mark)
        case "bool":
            if case .bool(let flag) = resolved { return Node(.bool(flag), at: mark) }
        case "null" where resolved == .null:
            return Node(.null, at: mark)
        default:
            break
        }
        throw YAMLError(.tag, "the value cannot be read as !!\(name)", at: mark)
    }

    /// The functions of the short-form tags met in this read, by the tag's representation:
    /// the parser makes each distinct tag text once, so a tag met again is the same
    /// `String` (its two words equal), found without hashing or comparing its bytes. The
    /// tag is kept, so its storage cannot be reused by another text.
    @exclusivity(unchecked) private var resolvedTags: [(tag: String, name: IntrinsicName, form: ShortForm)] = []

    /// What a short-form tag makes besides an intrinsic function call of its name.
    private enum ShortForm {
        case function, getAtt, condition
    }

    /// `!Name argument` as its long form: `Ref`, `Condition`, otherwise `Fn::Name`.
    private func shortForm(_ tag: String, _ argument: Node, _ mark: Mark) throws(YAMLError) -> Node {
        let (name, form) = try resolve(tag, mark)
        switch form {
        case .condition:
            return Node(.object(ObjectMap([ObjectMap.Entry(key: name.rawValue, keyLocation: mark, value: argument)])), at: mark)
        case .getAtt:
            return Node(.intrinsic(Intrinsic(name: name, argument: Self.splitGetAtt(argument))), at: mark)
        case .function:
            return Node(.intrinsic(Intrinsic(name: name, argument: argument)), at: mark)
        }
    }

    private func resolve(_ tag: String, _ mark: Mark) throws(YAMLError) -> (IntrinsicName, ShortForm) {
        let bits = unsafeBitCast(tag, to: (UInt64, UInt64).self)
        let cached: (IntrinsicName, ShortForm)? = resolvedTags.withUnsafeBufferPointer { known in
            for index in known.indices where unsafeBitCast(known[index].tag, to: (UInt64, UInt64).self) == bits { return (known[index].name, known[index].form) }
            return nil
        }
        if let cached { return cached }
        let name: String
        if let known = Self.knownShortForms[ScalarKey(tag)] {
            name = known
        } else {
            guard tag.hasPrefix("!"), tag.count > 1 else {
                throw YAMLError(.tag, "unknown tag '\(tag)'; CloudFormation reads only its short-form function tags such as !Ref", at: mark)
            }
            let suffix = tag.dropFirst()
            name = (suffix == "Ref" || suffix == "Condition") ? String(suffix) : "Fn::" + suffix
        }
        let form: ShortForm = name == "Condition" ? .condition : name == IntrinsicName.getAtt.rawValue ? .getAtt : .function
        if resolvedTags.count < 32 { resolvedTags.append((tag, IntrinsicName(rawValue: name), form)) }
        return (IntrinsicName(rawValue: name), form)
    }

    /// The long forms of the documented short tags (`!Sub` -> `Fn::Sub`), by the tag's bytes:
    /// what `shortForm` works out of any tag, looked up (Characters compared and a string
    /// built per tag cost more than the rest of reading the scalar).
    private static let knownShortForms: [ScalarKey: String] = {
        let names: [IntrinsicName] = [.ref, .getAtt, .sub, .join, .select, .split, .if, .equals, .not, .and, .or, .findInMap, .base64, .cidr,
                                      .getAZs, .importValue, .transform, .length, .toJsonString, .forEach, "Condition"]
        return Dictionary(uniqueKeysWithValues: names.map { (ScalarKey("!" + $0.shortName), $0.rawValue) })
    }()

    /// A one-key mapping whose key is `Ref` or `Fn::*` is an intrinsic function call.
    static func makeObject(_ entries: [ObjectMap.Entry], at location: Location) -> Node {
        if entries.count == 1, Intrinsic.isFunctionName(entries[0].key) {
            var argument = entries[0].value
            if entries[0].key == "Fn::GetAtt" { argument = splitGetAtt(argument) }
            return Node(.intrinsic(Intrinsic(name: IntrinsicName(rawValue: entries[0].key), argument: argument)), at: location)
        }
        return Node(.object(ObjectMap(entries)), at: location)
    }

    /// `"A.B.C"` becomes `["A", "B.C"]`: the logical id ends at the first dot.
    static func splitGetAtt(_ argument: Node) -> Node {
        guard case .string(let text) = argument.kind, let dot = text.utf8.firstIndex(of: UInt8(ascii: ".")) else { return argument }
        return Node(.array([
            Node(.string(String(text[..<dot])), at: argument.location),
            Node(.string(String(text[text.index(after: dot)...])), at: argument.location),
        ]), at: argument.location)
    }
}
