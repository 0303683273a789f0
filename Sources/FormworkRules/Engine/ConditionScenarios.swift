import FormworkTemplate

/// The deployments a template's conditions allow, for the rules that judge each one (ST-22,
/// ST-23): every assignment of the conditions a value uses that keeps the conditions defined
/// from others consistent, and the value as that assignment deploys it.
enum ConditionScenarios {
    /// Every consistent assignment of `used` and the conditions they are defined from, with
    /// their names sorted; nil when they are more than `maximum` (not judged).
    static func assignments(_ used: Set<String>, _ conditions: ObjectMap, maximum: Int) -> (names: [String], truths: [[String: Bool]])? {
        var all = used
        closeOver(&all, conditions)
        let names = all.sorted()
        guard names.count <= maximum else { return nil }
        let truths = (0..<(1 << names.count)).compactMap { bits -> [String: Bool]? in
            var truth: [String: Bool] = [:]
            for (index, name) in names.enumerated() { truth[name] = bits & (1 << index) != 0 }
            return consistent(truth, conditions) ? truth : nil
        }
        return (names, truths)
    }

    /// A value with its Fn::If decided by `truth` and AWS::NoValue left out of objects and lists.
    static func resolved(_ value: Node, _ truth: [String: Bool]) -> Node {
        switch value.kind {
        case .intrinsic(let function) where function.name == .if:
            guard let parts = function.argument.arrayValue, parts.count == 3, let name = parts[0].stringValue, let taken = truth[name] else { return value }
            return resolved(taken ? parts[1] : parts[2], truth)
        case .object(let map):
            let entries = map.entries.compactMap { entry -> ObjectMap.Entry? in
                let inner = resolved(entry.value, truth)
                return isNoValue(inner) ? nil : ObjectMap.Entry(key: entry.key, keyLocation: entry.keyLocation, value: inner)
            }
            return Node(.object(ObjectMap(entries)), at: value.location)
        case .array(let items):
            return Node(.array(items.map { resolved($0, truth) }.filter { !isNoValue($0) }), at: value.location)
        default:
            return value
        }
    }

    static func isNoValue(_ value: Node) -> Bool {
        if case .intrinsic(let function) = value.kind, function.name == .ref, function.argument.stringValue == "AWS::NoValue" { return true }
        return false
    }

    static func names(in value: Node) -> [String] {
        TemplateNames.conditionReferences(in: value).map(\.name)
    }

    /// The conditions the used ones are defined from, so that their relations hold.
    static func closeOver(_ used: inout Set<String>, _ conditions: ObjectMap) {
        var pending = Array(used)
        while let name = pending.popLast() {
            guard let definition = conditions[name] else { continue }
            for other in names(in: definition) where used.insert(other).inserted { pending.append(other) }
        }
    }

    /// Whether the assignment keeps every condition defined from other conditions equal to
    /// its definition (an `Fn::Equals` of parameters is free).
    static func consistent(_ truth: [String: Bool], _ conditions: ObjectMap) -> Bool {
        for (name, value) in truth {
            guard let definition = conditions[name], let evaluated = evaluate(definition, truth) else { continue }
            if evaluated != value { return false }
        }
        return true
    }

    /// A condition's value from the assignment, or nil where it rests on something else.
    static func evaluate(_ value: Node, _ truth: [String: Bool]) -> Bool? {
        if let map = value.objectValue, map.count == 1, let name = map["Condition"]?.stringValue { return truth[name] }
        guard let function = value.intrinsicValue else { return nil }
        let items = function.argument.arrayValue ?? []
        switch function.name {
        case .not: return items.first.flatMap { evaluate($0, truth) }.map { !$0 }
        case .and:
            let values = items.map { evaluate($0, truth) }
            if values.contains(false) { return false }
            return values.contains(nil) ? nil : true
        case .or:
            let values = items.map { evaluate($0, truth) }
            if values.contains(true) { return true }
            return values.contains(nil) ? nil : false
        default: return nil
        }
    }
}
