import FormworkTemplate

/// The deployments a template's conditions allow, for the rules that judge each one (ST-22,
/// ST-23): every assignment of the conditions a value uses that keeps the conditions defined
/// from others consistent, and the value as that assignment deploys it.
enum ConditionScenarios {
    /// Every consistent assignment of `used` and the conditions they are defined from, with
    /// their names sorted; nil when they are more than `maximum` (not judged). `allowed`: the
    /// AllowedValues of parameters, which rule out an assignment where a parameter equals none.
    static func assignments(_ used: Set<String>, _ conditions: ObjectMap, maximum: Int, allowed: [String: Set<String>] = [:]) -> (names: [String], truths: [[String: Bool]])? {
        var all = used
        closeOver(&all, conditions)
        let names = all.sorted()
        guard names.count <= maximum else { return nil }
        let truths = (0..<(1 << names.count)).compactMap { bits -> [String: Bool]? in
            var truth: [String: Bool] = [:]
            for (index, name) in names.enumerated() { truth[name] = bits & (1 << index) != 0 }
            return consistent(truth, conditions, allowed: allowed) ? truth : nil
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

    /// The conditions a value names, in document order, as `TemplateNames.conditionReferences`
    /// finds them, without the paths it makes at every step (UniqueIdentifiers asks for
    /// every candidate resource's properties).
    static func names(in value: Node) -> [String] {
        var found: [String] = []
        collectNames(value, &found)
        return found
    }

    private static func collectNames(_ value: Node, _ found: inout [String]) {
        switch value.kind {
        case .object(let map):
            if map.count == 1, let name = map["Condition"]?.stringValue { found.append(name) }
            for entry in map.entries { collectNames(entry.value, &found) }
        case .array(let items):
            for item in items { collectNames(item, &found) }
        case .intrinsic(let function):
            if function.name == .if, let name = function.argument.arrayValue?.first?.stringValue { found.append(name) }
            collectNames(function.argument, &found)
        default:
            break
        }
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
    /// its definition, and no parameter (or pseudo parameter) equal to two different
    /// literals at once: `Equals [!Ref AppType, Public]` and `Equals [!Ref AppType, Private]`
    /// are never both true. Other `Fn::Equals` are free.
    static func consistent(_ truth: [String: Bool], _ conditions: ObjectMap, allowed: [String: Set<String>] = [:]) -> Bool {
        var equal: [String: String] = [:]
        var unequal: [String: Set<String>] = [:]
        for (name, value) in truth.sorted(by: { $0.key < $1.key }) {
            guard let definition = conditions[name] else { continue }
            if let evaluated = evaluate(definition, truth), evaluated != value { return false }
            guard let (parameter, literal) = equality(definition) else { continue }
            if value {
                if let other = equal[parameter], other != literal { return false }
                if unequal[parameter]?.contains(literal) == true { return false }
                equal[parameter] = literal
            } else {
                if equal[parameter] == literal { return false }
                unequal[parameter, default: []].insert(literal)
            }
        }
        // A parameter unequal to each of its allowed values cannot be deployed.
        for (parameter, values) in unequal {
            if let choices = allowed[parameter], !choices.isEmpty, choices.isSubset(of: values) { return false }
        }
        return true
    }

    /// The AllowedValues of each parameter that has them, as text.
    static func allowedValues(_ template: Template) -> [String: Set<String>] {
        var allowed: [String: Set<String>] = [:]
        for entry in template.root["Parameters"]?.objectValue?.entries ?? [] {
            guard let values = entry.value["AllowedValues"]?.arrayValue else { continue }
            allowed[entry.key] = Set(values.compactMap(\.scalarText))
        }
        return allowed
    }

    /// `Fn::Equals [!Ref P, literal]` (either order): the parameter and the literal.
    static func equality(_ definition: Node) -> (String, String)? {
        guard let function = definition.intrinsicValue, function.name == .equals, let items = function.argument.arrayValue, items.count == 2 else { return nil }
        for (reference, literal) in [(items[0], items[1]), (items[1], items[0])] {
            if let ref = reference.intrinsicValue, ref.name == .ref, let parameter = ref.argument.stringValue, let text = literal.scalarText, literal.intrinsicValue == nil {
                return (parameter, text)
            }
        }
        return nil
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
