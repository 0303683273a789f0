import FormworkTemplate

/// A template's Conditions evaluated with the parameter values known for one side of the
/// diff: true, false, or nil when a value is not known here.
struct ConditionEvaluator {
    let conditions: ObjectMap
    let known: [String: Node]

    init(template: Template, known: [String: Node]) {
        conditions = template.root["Conditions"]?.objectValue ?? ObjectMap()
        self.known = known
    }

    /// Whether a resource with `Condition: name` exists on this side (no condition: it does).
    func isActive(_ condition: Node?) -> Bool? {
        guard let condition else { return true }
        guard let name = condition.stringValue else { return nil }
        var visiting = Set<String>()
        return evaluate(named: name, &visiting)
    }

    private func evaluate(named name: String, _ visiting: inout Set<String>) -> Bool? {
        guard let body = conditions[name], visiting.insert(name).inserted else { return nil }
        defer { visiting.remove(name) }
        return evaluate(body, &visiting)
    }

    private func evaluate(_ value: Node, _ visiting: inout Set<String>) -> Bool? {
        if case .bool(let flag) = value.kind { return flag }
        guard case .intrinsic(let function) = value.kind else { return nil }
        switch function.name {
        case "Condition":
            return function.argument.stringValue.flatMap { evaluate(named: $0, &visiting) }
        case .not:
            guard let items = function.argument.arrayValue, items.count == 1 else { return nil }
            return evaluate(items[0], &visiting).map { !$0 }
        case .and, .or:
            guard let items = function.argument.arrayValue, !items.isEmpty else { return nil }
            let values = items.map { evaluate($0, &visiting) }
            let isAnd = function.name == .and
            // A known false decides an And, a known true an Or, whatever else is unknown.
            if values.contains(where: { $0 == !isAnd }) { return !isAnd }
            if values.contains(where: { $0 == nil }) { return nil }
            return isAnd
        case .equals:
            guard let items = function.argument.arrayValue, items.count == 2,
                  let a = scalar(items[0]), let b = scalar(items[1]) else { return nil }
            return a.sameScalars(as: b)
        default:
            return nil
        }
    }

    private func scalar(_ value: Node) -> String? {
        if case .intrinsic(let function) = value.kind {
            guard function.name == .ref, let name = function.argument.stringValue, let value = known[name] else { return nil }
            return value.scalarText
        }
        return value.scalarText
    }
}
