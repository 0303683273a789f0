import FormworkYAML

/// Canonical YAML: block style with 2-space indents, short-form intrinsics, and quotes on
/// every string a YAML 1.1 reader (CloudFormation, cfn-lint) or a YAML 1.2/JSON-minded
/// reader would take for something else. Short function arguments that hold only scalars
/// are written in flow style (`!If [IsProd, 3, 1]`) so that they read as they do in
/// hand-written templates; everything else is block style.
public enum YAMLWriter {
    /// Long-form names that have a short-form tag. The language extensions (Fn::Length,
    /// Fn::ToJsonString, Fn::ForEach::*) and unknown functions stay in long form.
    public static let shortForms: Set<String> = [
        "Ref", "Fn::Base64", "Fn::Cidr", "Fn::FindInMap", "Fn::GetAtt", "Fn::GetAZs",
        "Fn::ImportValue", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::Sub", "Fn::Transform",
        "Fn::And", "Fn::Equals", "Fn::If", "Fn::Not", "Fn::Or",
        "Fn::Contains", "Fn::EachMemberEquals", "Fn::EachMemberIn", "Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll",
    ]

    /// Widest flow sequence, in characters, before block style is used instead.
    static let flowWidth = 80

    public static func write(_ value: Value) throws(YAMLEmitter.Failure) -> [UInt8] {
        try YAMLEmitter.emit(node(value))
    }

    static func node(_ value: Value) -> YAMLNode {
        switch value.kind {
        case .null: return .scalar("null")
        case .bool(let flag): return .scalar(flag ? "true" : "false")
        case .number(let literal): return .scalar(NumberLiteral.yamlForm(literal))
        case .string(let text): return stringNode(text)
        case .array(let items): return YAMLNode(.sequence(items.map(node)))
        case .object(let map):
            return YAMLNode(.mapping(map.entries.map { YAMLNode.Pair(key: keyNode($0.key), value: node($0.value)) }))
        case .intrinsic(let function): return intrinsicNode(function)
        }
    }

    static func longForm(_ function: Intrinsic) -> YAMLNode {
        YAMLNode(.mapping([YAMLNode.Pair(key: keyNode(function.name), value: node(function.argument))]))
    }

    static func intrinsicNode(_ function: Intrinsic) -> YAMLNode {
        guard shortForms.contains(function.name) else { return longForm(function) }
        let tag = "!" + (function.name.hasPrefix("Fn::") ? String(function.name.dropFirst(4)) : function.name)
        let argument = function.argument
        switch argument.kind {
        case .string(let text):
            var scalar = stringNode(text)
            scalar.tag = tag
            return scalar
        case .array(let items):
            if function.name == "Fn::GetAtt", items.count == 2,
               let resource = items[0].stringValue, let attribute = items[1].stringValue,
               !resource.contains("."), !resource.isEmpty, !attribute.isEmpty,
               !needsQuotes(resource + "." + attribute), !(resource + "." + attribute).contains(" ") {
                return YAMLNode(.scalar(resource + "." + attribute, .plain), tag: tag)
            }
            if function.name == "Ref" { return longForm(function) }
            var sequence = YAMLNode(.sequence(items.map(argumentNode)), tag: tag)
            sequence.flow = fitsFlow(argument)
            applyFlow(&sequence)
            return sequence
        case .object(let map):
            if function.name == "Ref" { return longForm(function) }
            return YAMLNode(.mapping(map.entries.map { YAMLNode.Pair(key: keyNode($0.key), value: node($0.value)) }), tag: tag)
        case .intrinsic(let inner):
            // One tag per node: the inner function is written in long form under the tag.
            if function.name == "Ref" { return longForm(function) }
            var mapping = longForm(inner)
            mapping.tag = tag
            return mapping
        case .null, .bool, .number:
            // A tagged scalar reads back as a string, so these keep the long form.
            return longForm(function)
        }
    }

    /// A condition reference `{Condition: X}` among a function's arguments reads best, and
    /// reads back the same, as `!Condition X`.
    static func argumentNode(_ value: Value) -> YAMLNode {
        if let name = conditionReference(value) {
            var scalar = stringNode(name)
            scalar.tag = "!Condition"
            return scalar
        }
        return node(value)
    }

    static func conditionReference(_ value: Value) -> String? {
        guard case .object(let map) = value.kind, map.count == 1, let name = map["Condition"]?.stringValue, !name.contains("\n") else { return nil }
        return name
    }

    /// Marks nested sequences flow as well: inside a flow sequence nothing may be block.
    private static func applyFlow(_ node: inout YAMLNode) {
        guard node.flow, case .sequence(var items) = node.content else { return }
        for index in items.indices {
            if case .sequence = items[index].content {
                items[index].flow = true
                applyFlow(&items[index])
            }
        }
        node.content = .sequence(items)
    }

    /// True when an argument list holds only one-line scalars, short-form scalar functions
    /// and such lists, and its flow form fits `flowWidth`.
    private static func fitsFlow(_ value: Value) -> Bool {
        var width = 0
        return flowWidth(value, &width) && width <= flowWidth
    }

    private static func flowWidth(_ value: Value, _ width: inout Int) -> Bool {
        switch value.kind {
        case .null: width += 4
        case .bool: width += 5
        case .number(let literal): width += literal.count
        case .string(let text):
            if text.contains("\n") { return false }
            width += text.count + 2
        case .array(let items):
            width += 2
            for item in items {
                width += 2
                if !flowWidth(item, &width) { return false }
            }
        case .object:
            guard let name = conditionReference(value) else { return false }
            width += name.count + 11
        case .intrinsic(let function):
            guard shortForms.contains(function.name), function.name != "Fn::Sub" || function.argument.stringValue != nil else { return false }
            width += function.name.count
            switch function.argument.kind {
            case .string(let text):
                if text.contains("\n") { return false }
                width += text.count + 2
            case .array where function.name == "Fn::GetAtt":
                return flowWidth(function.argument, &width)
            case .array:
                return flowWidth(function.argument, &width)
            default:
                return false
            }
        }
        return width <= flowWidth
    }

    static func keyNode(_ key: String) -> YAMLNode {
        .scalar(key, style: needsQuotes(key) || key.contains("\n") ? .singleQuoted : .plain)
    }

    static func stringNode(_ text: String) -> YAMLNode {
        if text.contains("\n") { return .scalar(text, style: .literal) }
        return .scalar(text, style: needsQuotes(text) ? .singleQuoted : .plain)
    }

    /// Whether a plain scalar with this text would be read as something other than this
    /// string by a YAML 1.1 reader, or by a YAML 1.2 or JSON-minded one.
    public static func needsQuotes(_ text: String) -> Bool {
        if YAML11Resolver.resolve(plain: text) != .string { return true }
        switch text {
        case "y", "Y", "n", "N", "=": return true
        default: break
        }
        guard let first = text.utf8.first else { return true }
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
            || (first >= 48 && first <= 57) {
            if NumberLiteral.isJSONNumber(text) { return true }
            if text.hasPrefix("0o"), text.count > 2, text.dropFirst(2).allSatisfy({ ("0"..."7").contains($0) }) { return true }
            let lower = text.lowercased()
            if [".inf", "-.inf", "+.inf", ".nan"].contains(lower) { return true }
        }
        return false
    }
}
