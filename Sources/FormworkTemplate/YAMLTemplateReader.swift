import FormworkYAML

/// Turns a libyaml node tree into `Value`s the way CloudFormation and cfn-lint read it:
/// YAML 1.1 scalar resolution for plain scalars, short-form tags as their long forms.
enum YAMLTemplateReader {
    struct Failure: Error {
        var id: String
        var message: String
        var location: Location
    }

    static let yamlTagPrefix = "tag:yaml.org,2002:"

    static func value(_ node: YAMLNode) throws(Failure) -> Value {
        guard let tag = node.tag, tag != "!" else {
            return try untagged(node)
        }
        if tag.hasPrefix(yamlTagPrefix) {
            return try standardTag(String(tag.dropFirst(yamlTagPrefix.count)), node)
        }
        guard tag.hasPrefix("!"), tag.count > 1 else {
            throw Failure(id: ReadDiagnosticID.tag, message: "unknown tag '\(tag)'; CloudFormation reads only its short-form function tags such as !Ref", location: node.mark)
        }
        return try shortForm(String(tag.dropFirst()), node)
    }

    private static func untagged(_ node: YAMLNode) throws(Failure) -> Value {
        switch node.content {
        case .scalar(let text, let style):
            if node.tag == "!" || style != .plain { return Value(.string(text), at: node.mark) }
            return plainScalar(text, at: node.mark)
        case .sequence(let items):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try value(item)) }
            return Value(.array(values), at: node.mark)
        case .mapping(let pairs):
            var entries: [ObjectMap.Entry] = []
            entries.reserveCapacity(pairs.count)
            for pair in pairs {
                guard case .scalar(let key, _) = pair.key.content else { continue }
                if let tag = pair.key.tag, tag != "!", !tag.hasPrefix(yamlTagPrefix) {
                    throw Failure(id: ReadDiagnosticID.complexKey, message: "a mapping key must be a string, not the function '\(tag) \(key)' (is a flow mapping missing its braces?)", location: pair.key.mark)
                }
                entries.append(ObjectMap.Entry(key: key, keyLocation: pair.key.mark, value: try value(pair.value)))
            }
            return makeObject(entries, at: node.mark)
        }
    }

    static func plainScalar(_ text: String, at location: Location) -> Value {
        switch YAML11Resolver.resolve(plain: text) {
        case .null: return Value(.null, at: location)
        case .bool(let flag): return Value(.bool(flag), at: location)
        case .int, .float: return Value(.number(text), at: location)
        case .timestamp, .merge, .string: return Value(.string(text), at: location)
        }
    }

    private static func standardTag(_ name: String, _ node: YAMLNode) throws(Failure) -> Value {
        switch (name, node.content) {
        case ("str", .scalar(let text, _)), ("timestamp", .scalar(let text, _)):
            return Value(.string(text), at: node.mark)
        case ("int", .scalar(let text, _)) where YAML11Resolver.resolve(plain: text) == .int,
             ("float", .scalar(let text, _)) where [.int, .float].contains(YAML11Resolver.resolve(plain: text)):
            return Value(.number(text), at: node.mark)
        case ("bool", .scalar(let text, _)):
            if case .bool(let flag) = YAML11Resolver.resolve(plain: text) { return Value(.bool(flag), at: node.mark) }
        case ("null", .scalar(let text, _)) where YAML11Resolver.resolve(plain: text) == .null:
            return Value(.null, at: node.mark)
        case ("seq", .sequence), ("map", .mapping):
            var copy = node
            copy.tag = nil
            return try untagged(copy)
        default:
            break
        }
        throw Failure(id: ReadDiagnosticID.tag, message: "the value cannot be read as !!\(name)", location: node.mark)
    }

    private static func shortForm(_ suffix: String, _ node: YAMLNode) throws(Failure) -> Value {
        let name = (suffix == "Ref" || suffix == "Condition") ? suffix : "Fn::" + suffix
        var argument: Value
        switch node.content {
        case .scalar(let text, _):
            // A tagged scalar is always a string, as in cfn-lint: `!Ref 5` refers to "5".
            argument = Value(.string(text), at: node.mark)
        case .sequence, .mapping:
            var copy = node
            copy.tag = nil
            argument = try untagged(copy)
        }
        if name == "Condition" {
            return Value(.object(ObjectMap([ObjectMap.Entry(key: name, keyLocation: node.mark, value: argument)])), at: node.mark)
        }
        if name == "Fn::GetAtt" { argument = splitGetAtt(argument) }
        return Value(.intrinsic(Intrinsic(name: name, argument: argument)), at: node.mark)
    }

    /// A one-key mapping whose key is `Ref` or `Fn::*` is an intrinsic function call.
    static func makeObject(_ entries: [ObjectMap.Entry], at location: Location) -> Value {
        if entries.count == 1, Intrinsic.isFunctionName(entries[0].key) {
            var argument = entries[0].value
            if entries[0].key == "Fn::GetAtt" { argument = splitGetAtt(argument) }
            return Value(.intrinsic(Intrinsic(name: entries[0].key, argument: argument)), at: location)
        }
        return Value(.object(ObjectMap(entries)), at: location)
    }

    /// `"A.B.C"` becomes `["A", "B.C"]`: the logical id ends at the first dot.
    static func splitGetAtt(_ argument: Value) -> Value {
        guard case .string(let text) = argument.kind, let dot = text.firstIndex(of: ".") else { return argument }
        return Value(.array([
            Value(.string(String(text[..<dot])), at: argument.location),
            Value(.string(String(text[text.index(after: dot)...])), at: argument.location),
        ]), at: argument.location)
    }
}
