import FormworkYAML

/// Canonical YAML: block style with 2-space indents, short-form intrinsics, and quotes on
/// every string a YAML 1.1 reader (CloudFormation, cfn-lint) or a YAML 1.2/JSON-minded
/// reader would take for something else. Function argument lists that hold only one-line
/// scalars are written in flow style (`!If [IsProd, 3, 1]`), as hand-written templates do;
/// everything else is block style. Values stream straight into libyaml's emitter.
public enum YAMLWriter {
    /// Long-form names that have a short-form tag. The language extensions (Fn::Length,
    /// Fn::ToJsonString, Fn::ForEach::*) and unknown functions stay in long form.
    public static let shortForms: Set<IntrinsicName> = [
        "Ref", "Fn::Base64", "Fn::Cidr", "Fn::FindInMap", "Fn::GetAtt", "Fn::GetAZs",
        "Fn::ImportValue", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::Sub", "Fn::Transform",
        "Fn::And", "Fn::Equals", "Fn::If", "Fn::Not", "Fn::Or",
        "Fn::Contains", "Fn::EachMemberEquals", "Fn::EachMemberIn", "Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll",
    ]

    /// Widest flow sequence, in bytes, before block style is used instead.
    static let flowWidth = 80

    public static func write(_ value: Node) throws(YAMLEventWriter.Failure) -> [UInt8] {
        let writer = try YAMLEventWriter()
        write(value, to: writer, flow: false)
        return try writer.finish()
    }

    private static func write(_ value: Node, to writer: YAMLEventWriter, flow: Bool) {
        switch value.kind {
        case .null: writer.scalar("null")
        case .bool(let flag): writer.scalar(flag ? "true" : "false")
        case .number(let literal): writer.scalar(NumberLiteral.yamlForm(literal))
        case .string(let text): writer.scalar(text, style: stringStyle(text))
        case .array(let items):
            writer.beginSequence(flow: flow)
            for item in items { write(item, to: writer, flow: flow) }
            writer.endSequence()
        case .object(let map):
            writer.beginMapping()
            for entry in map.entries {
                writer.scalar(entry.key, style: keyStyle(entry.key))
                write(entry.value, to: writer, flow: false)
            }
            writer.endMapping()
        case .intrinsic(let function):
            writeFunction(function, to: writer)
        }
    }

    private static func writeLongForm(_ function: Intrinsic, to writer: YAMLEventWriter, tag: String? = nil) {
        writer.beginMapping(tag: tag)
        writer.scalar(function.name.rawValue, style: keyStyle(function.name.rawValue))
        write(function.argument, to: writer, flow: false)
        writer.endMapping()
    }

    private static func writeFunction(_ function: Intrinsic, to writer: YAMLEventWriter) {
        guard shortForms.contains(function.name) else { return writeLongForm(function, to: writer) }
        let tag = "!" + function.name.shortName
        let argument = function.argument
        switch argument.kind {
        case .string(let text):
            writer.scalar(text, style: stringStyle(text), tag: tag)
        case .array(let items):
            if function.name == .getAtt, let dotted = dottedGetAtt(items) {
                writer.scalar(dotted, style: .plain, tag: tag)
                return
            }
            if function.name == .ref { return writeLongForm(function, to: writer) }
            let flow = fitsFlow(argument)
            writer.beginSequence(tag: tag, flow: flow)
            for item in items {
                if let name = conditionReference(item) {
                    // `{Condition: X}` among arguments reads best, and back the same, as `!Condition X`.
                    writer.scalar(name, style: stringStyle(name), tag: "!Condition")
                } else {
                    write(item, to: writer, flow: flow)
                }
            }
            writer.endSequence()
        case .object(let map):
            if function.name == .ref { return writeLongForm(function, to: writer) }
            writer.beginMapping(tag: tag)
            for entry in map.entries {
                writer.scalar(entry.key, style: keyStyle(entry.key))
                write(entry.value, to: writer, flow: false)
            }
            writer.endMapping()
        case .intrinsic(let inner):
            // One tag per node: the inner function is written in long form under the tag.
            if function.name == .ref { return writeLongForm(function, to: writer) }
            writeLongForm(inner, to: writer, tag: tag)
        case .null, .bool, .number:
            // A tagged scalar reads back as a string, so these keep the long form.
            writeLongForm(function, to: writer)
        }
    }

    /// `A.B` for `[A, B]` when both parts are plain names. A dotted attribute keeps the list
    /// form (`!GetAtt [Db, Endpoint.Address]`): `A.B.C` is valid CloudFormation, but moto and
    /// some other readers reject it.
    private static func dottedGetAtt(_ items: [Node]) -> String? {
        guard items.count == 2, let resource = items[0].stringValue, let attribute = items[1].stringValue,
              !resource.isEmpty, !attribute.isEmpty, !resource.utf8.contains(UInt8(ascii: ".")),
              !attribute.utf8.contains(UInt8(ascii: ".")) else { return nil }
        let dotted = resource + "." + attribute
        if needsQuotes(dotted) || dotted.utf8.contains(where: { $0 <= 0x20 || $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: ":") }) {
            return nil
        }
        return dotted
    }

    static func conditionReference(_ value: Node) -> String? {
        guard case .object(let map) = value.kind, map.count == 1, let name = map["Condition"]?.stringValue,
              !hasLineBreak(name) else { return nil }
        return name
    }

    /// True when an argument list holds only one-line scalars, short-form scalar functions
    /// and such lists, and its flow form fits `flowWidth`.
    private static func fitsFlow(_ value: Node) -> Bool {
        var width = 0
        return measureFlow(value, &width) && width <= flowWidth
    }

    private static func measureFlow(_ value: Node, _ width: inout Int) -> Bool {
        switch value.kind {
        case .null: width += 4
        case .bool: width += 5
        case .number(let literal):
            // libyaml quotes a plain `1:30` (sexagesimal) in flow context, which would make
            // the number a string: such lists are written in block style (found by the fuzzer).
            if literal.utf8.contains(UInt8(ascii: ":")) { return false }
            width += literal.utf8.count
        case .string(let text):
            if hasLineBreak(text) { return false }
            width += text.utf8.count + 2
        case .array(let items):
            width += 2
            for item in items {
                width += 2
                if !measureFlow(item, &width) { return false }
            }
        case .object:
            guard let name = conditionReference(value) else { return false }
            width += name.utf8.count + 11
        case .intrinsic(let function):
            guard shortForms.contains(function.name) else { return false }
            width += function.name.rawValue.utf8.count
            switch function.argument.kind {
            case .string(let text):
                if hasLineBreak(text) { return false }
                width += text.utf8.count + 2
            case .array:
                if !measureFlow(function.argument, &width) { return false }
            default:
                return false
            }
        }
        return width <= flowWidth
    }

    /// Whether the text holds a `\n`: asked of every scalar written, so over the UTF-8 bytes
    /// in place rather than through the view's iterator.
    static func hasLineBreak(_ text: String) -> Bool {
        if let found = text.utf8.withContiguousStorageIfAvailable({ bytes in bytes.contains(0x0A) }) { return found }
        return text.utf8.contains(0x0A)
    }

    static func keyStyle(_ key: String) -> ScalarStyle {
        needsQuotes(key) || hasLineBreak(key) ? .singleQuoted : .plain
    }

    static func stringStyle(_ text: String) -> ScalarStyle {
        if hasLineBreak(text) { return .literal }
        return needsQuotes(text) ? .singleQuoted : .plain
    }

    /// Whether a plain scalar with this text would be read as something other than this
    /// string by a YAML 1.1 reader, or by a YAML 1.2 or JSON-minded one.
    public static func needsQuotes(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return true }
        // Only these first bytes can start a non-string plain scalar (see YAML11Resolver).
        switch first {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "y"), UInt8(ascii: "Y"),
             UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"),
             UInt8(ascii: "O"), UInt8(ascii: "<"), UInt8(ascii: "="):
            if text.utf8.count > 5 { return false }
            if YAML11Resolver.resolve(plain: text) != .string { return true }
            return text == "y" || text == "Y" || text == "n" || text == "N" || text == "="
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if YAML11Resolver.resolve(plain: text) != .string { return true }
            if NumberLiteral.isJSONNumber(text) { return true }
            if text.hasPrefix("0o"), text.utf8.count > 2, text.utf8.dropFirst(2).allSatisfy({ $0 >= 48 && $0 <= 55 }) { return true }
            let lower = text.lowercased()
            return lower == ".inf" || lower == "-.inf" || lower == "+.inf" || lower == ".nan"
        default:
            return false
        }
    }
}
