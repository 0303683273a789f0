import FormworkRuleKit
import FormworkTemplate

/// The identity policies of SAM's serverless functions and state machines: `Policies` holds
/// inline documents (`{Statement: [...]}`) and policy templates (`{S3ReadPolicy: {BucketName:
/// ...}}`), which the SAM transform turns into the statements of the role it makes. Both are
/// read here so that the policy rules judge them, each statement at its line (a template's at
/// its name). Managed policy names and ARNs (strings) are not documents and are skipped, as
/// are templates this version of SAM does not define.
enum SAMPolicies {
    static let holders: Set<String> = ["AWS::Serverless::Function", "AWS::Serverless::StateMachine"]

    /// Every policy template's statements, parsed once.
    static let templates: [String: Node] = {
        let bytes = SAMPolicyTemplateData.definitions.withUTF8Buffer { Array($0) }
        var found: [String: Node] = [:]
        for entry in TemplateReader.readData(bytes, file: "SAMPolicyTemplateData")?.objectValue?.entries ?? [] { found[entry.key] = entry.value }
        return found
    }()

    static func documents(in template: Template, values: PossibleValues, resources: Set<String>) -> [ParsedPolicy] {
        var found: [ParsedPolicy] = []
        for function in template.resources where holders.contains(function.type ?? "") {
            for (item, path) in Branches.items(function.properties?["Policies"], Places.resourcePath(function, .key("Properties"), .key("Policies"))) {
                guard let map = item.objectValue else { continue }
                if map["Statement"] != nil {
                    found.append(ParsedPolicy(owner: function, kind: .identity, path: path, node: item,
                                                statements: ParsedPolicy.statements(item["Statement"], path + [.key("Statement")], values, resources)))
                } else if map.count == 1, let entry = map.entries.first, let statements = templates[entry.key] {
                    let place = entry.keyLocation
                    let expanded = Node(.object(ObjectMap([ObjectMap.Entry(key: "Statement", keyLocation: place, value: expand(statements, parameters: entry.value.objectValue ?? ObjectMap(), at: place))])), at: place)
                    let templatePath = path + [.key(entry.key)]
                    let parsed = ParsedPolicy.statements(expanded["Statement"], templatePath, values, resources).map { statement in
                        var statement = statement
                        statement.path = templatePath
                        statement.sid = statement.sid ?? entry.key
                        return statement
                    }
                    found.append(ParsedPolicy(owner: function, kind: .identity, path: templatePath, node: expanded, statements: parsed))
                }
            }
        }
        return found
    }

    /// A template's statements with the function's parameter values in place of the
    /// template's Refs to them, every node at `place`.
    static func expand(_ value: Node, parameters: ObjectMap, at place: Location) -> Node {
        switch value.kind {
        case .array(let items): return Node(.array(items.map { expand($0, parameters: parameters, at: place) }), at: place)
        case .object(let map):
            if map.count == 1, let entry = map.entries.first {
                if entry.key == "Ref", let name = entry.value.stringValue {
                    return parameters[name] ?? .intrinsic(.ref, .string(name, at: place), at: place)
                }
                if entry.key == "Fn::Sub" { return substitute(entry.value, parameters: parameters, at: place) }
                if Intrinsic.isFunctionName(entry.key) {
                    return .intrinsic(IntrinsicName(rawValue: entry.key), expand(entry.value, parameters: parameters, at: place), at: place)
                }
            }
            return Node(.object(ObjectMap(map.entries.map { ObjectMap.Entry(key: $0.key, keyLocation: place, value: expand($0.value, parameters: parameters, at: place)) })), at: place)
        default: return Node(value.kind, at: place)
        }
    }

    /// `Fn::Sub: [text, {variable: {Ref: Parameter}}]` with the parameters' values written in:
    /// a literal's text, `${Name}` for a Ref or GetAtt; the value itself when the text is only
    /// that variable (`${secretArn}`), so that a Ref to a secret stays a reference.
    static func substitute(_ argument: Node, parameters: ObjectMap, at place: Location) -> Node {
        guard let parts = argument.arrayValue, parts.count == 2, var text = parts[0].stringValue, let variables = parts[1].objectValue else {
            return .intrinsic(.sub, expand(argument, parameters: parameters, at: place), at: place)
        }
        for variable in variables.entries {
            let value = expand(variable.value, parameters: parameters, at: place)
            if text == "${\(variable.key)}" { return value }
            let written: String?
            switch value.kind {
            case .string(let literal): written = literal
            case .number, .bool: written = value.scalarText
            case .intrinsic(let function) where function.name == .ref: written = function.argument.stringValue.map { "${\($0)}" }
            case .intrinsic(let function) where function.name == .getAtt:
                written = function.argument.arrayValue.map { $0.compactMap(\.stringValue).joined(separator: ".") }.map { "${\($0)}" } ?? function.argument.stringValue.map { "${\($0)}" }
            default: written = nil
            }
            if let written { text = replacing("${\(variable.key)}", with: written, in: text) }
        }
        return text.has("${") ? .intrinsic(.sub, .string(text, at: place), at: place) : .string(text, at: place)
    }

    /// `text` with every `target` replaced.
    static func replacing(_ target: String, with replacement: String, in text: String) -> String {
        var result = "", rest = text
        while let before = rest.prefix(before: target), let after = rest.suffix(after: target) {
            result += before + replacement
            rest = after
        }
        return result + rest
    }
}
