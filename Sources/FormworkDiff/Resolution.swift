import FormworkTemplate

/// Resolves what CloudFormation resolves before it compares a resource: Refs to parameters and
/// pseudo parameters whose values are known, Conditions, `Fn::If`, `Fn::FindInMap`,
/// `Fn::Select`, `Fn::Split`, `Fn::Join`, `Fn::Sub` and `Fn::Length` of known values. Then a
/// changed parameter value, condition or mapping shows up as the property change it causes,
/// and `!Join ['-', [a, b]]` equals `a-b`. What stays unknown stays an expression, and
/// `unknowns(in:)` names it.
struct Resolver {
    /// Parameter and pseudo-parameter values known on this side.
    let known: [String: Node]
    let mappings: ObjectMap
    /// Each condition's value; nil when it depends on something not known here.
    private(set) var conditions: [String: Bool?] = [:]
    /// The template's resource ids: a Ref or GetAtt to one is the same value on both sides
    /// unless the propagation says otherwise, never an unknown.
    let resources: Set<String>
    /// The Conditions as declared (to say what an undecided one reads).
    let conditionBodies: ObjectMap

    init(known: [String: Node], template: Template? = nil) {
        self.known = known
        conditionBodies = template?.conditions ?? ObjectMap()
        mappings = template?.mappings ?? ObjectMap()
        resources = Set((template?.root["Resources"]?.objectValue ?? ObjectMap()).keys)
        guard let declared = template?.conditions else { return }
        // Conditions read parameters and mappings, never other Fn::If: evaluate them with
        // this resolver before it knows any condition.
        let base = self
        var evaluator = ConditionEvaluator(conditions: declared, resolve: { base.resolve($0) })
        var values: [String: Bool?] = [:]
        for name in declared.keys { values[name] = evaluator.value(of: name) }
        conditions = values
    }

    /// Whether a resource with `Condition: name` exists on this side (no condition: it does).
    func isActive(_ condition: Node?) -> Bool? {
        guard let condition else { return true }
        guard let name = condition.stringValue, let value = conditions[name] else { return nil }
        return value
    }

    func resolve(_ value: Node) -> Node {
        if case .value(let resolved) = resolution(of: value) { return resolved }
        return value
    }

    /// What resolving a value gives: the value itself (nothing in it resolves, so nothing is
    /// rebuilt: most of a template), nothing (`AWS::NoValue`: the key or item disappears), or
    /// a new value.
    private enum Resolution {
        case same
        case removed
        case value(Node)
    }

    /// `value` resolved, and whether that changed it.
    private func resolved(_ value: Node) -> (node: Node, changed: Bool) {
        if case .value(let resolved) = resolution(of: value) { return (resolved, true) }
        return (value, false)
    }

    private func resolution(of value: Node) -> Resolution {
        switch value.kind {
        case .array(let items):
            // Rebuilt from the first item that resolves to something else.
            var rebuilt: [Node]?
            for (index, item) in items.enumerated() {
                let result = resolution(of: item)
                if case .same = result {
                    rebuilt?.append(item)
                    continue
                }
                if rebuilt == nil { rebuilt = Array(items[..<index]) }
                if case .value(let resolved) = result { rebuilt!.append(resolved) }
            }
            return rebuilt.map { .value(Node(.array($0), at: value.location)) } ?? .same
        case .object(let map):
            var rebuilt: [ObjectMap.Entry]?
            for (index, entry) in map.entries.enumerated() {
                let result = resolution(of: entry.value)
                if case .same = result {
                    rebuilt?.append(entry)
                    continue
                }
                if rebuilt == nil {
                    rebuilt = Array(map.entries[..<index])
                    rebuilt!.reserveCapacity(map.count)
                }
                if case .value(let resolved) = result {
                    rebuilt!.append(ObjectMap.Entry(key: entry.key, keyLocation: entry.keyLocation, value: resolved))
                }
            }
            return rebuilt.map { .value(Node(.object(ObjectMap($0)), at: value.location)) } ?? .same
        case .intrinsic(let function):
            return resolveFunction(function, at: value.location)
        default:
            return .same
        }
    }

    private func resolveFunction(_ function: Intrinsic, at location: Location) -> Resolution {
        /// The call with its argument resolved: the same call when the argument is.
        func kept(_ argument: (node: Node, changed: Bool)) -> Resolution {
            argument.changed ? .value(Node(.intrinsic(Intrinsic(name: function.name, argument: argument.node)), at: location)) : .same
        }
        func placed(_ node: Node) -> Resolution { .value(Node(node.kind, at: location.isKnown ? location : node.location)) }
        switch function.name {
        case .ref:
            guard let name = function.argument.stringValue else { return .same }
            if name == "AWS::NoValue" { return .removed }
            if let value = known[name] { return placed(value) }
            return .same
        case .if:
            guard let parts = function.argument.arrayValue, parts.count == 3, let name = parts[0].stringValue,
                  let decided = conditions[name], let flag = decided else { return kept(resolved(function.argument)) }
            let branch = flag ? parts[1] : parts[2]
            let result = resolution(of: branch)
            if case .same = result { return .value(branch) }
            return result
        case .findInMap:
            let argument = resolved(function.argument)
            guard let parts = argument.node.arrayValue, parts.count == 3 || parts.count == 4 else { return kept(argument) }
            let keys = parts.prefix(3).map(\.scalarText)
            if let map = keys[0], let top = keys[1], let second = keys[2] {
                if let found = mappings[map]?[top]?[second] { return placed(found) }
                // A missing key with a DefaultValue (AWS::LanguageExtensions) takes the default.
                if mappings[map] != nil, parts.count == 4, let fallback = parts[3]["DefaultValue"] { return placed(fallback) }
            }
            return kept(argument)
        case .select:
            let argument = resolved(function.argument)
            guard let parts = argument.node.arrayValue, parts.count == 2, let index = parts[0].intValue,
                  let items = parts[1].arrayValue, items.indices.contains(index) else { return kept(argument) }
            return placed(items[index])
        case .split:
            let argument = resolved(function.argument)
            guard let parts = argument.node.arrayValue, parts.count == 2, let delimiter = parts[0].stringValue, !delimiter.isEmpty,
                  let text = parts[1].scalarText else { return kept(argument) }
            return .value(Node(.array(Self.split(text, by: delimiter).map { Node.string($0) }), at: location))
        case .join:
            let argument = resolved(function.argument)
            guard let parts = argument.node.arrayValue, parts.count == 2, let delimiter = parts[0].scalarText,
                  let items = parts[1].arrayValue else { return kept(argument) }
            let texts = items.map(\.scalarText)
            guard !texts.contains(where: { $0 == nil }) else { return kept(argument) }
            return .value(Node(.string(texts.map { $0! }.joined(separator: delimiter)), at: location))
        case .length:
            let argument = resolved(function.argument)
            guard let items = argument.node.arrayValue else { return kept(argument) }
            return .value(Node(.number(String(items.count)), at: location))
        case .sub:
            return .value(resolveSub(function, at: location))
        default:
            return kept(resolved(function.argument))
        }
    }

    /// `text` cut at every `delimiter` (bytes; empty pieces kept, as Fn::Split keeps them).
    static func split(_ text: String, by delimiter: String) -> [String] {
        let bytes = Array(text.utf8), cut = Array(delimiter.utf8)
        var pieces: [String] = []
        var start = 0, index = 0
        while index + cut.count <= bytes.count {
            if Array(bytes[index..<(index + cut.count)]) == cut {
                pieces.append(String(decoding: bytes[start..<index], as: UTF8.self))
                index += cut.count
                start = index
            } else {
                index += 1
            }
        }
        pieces.append(String(decoding: bytes[start...], as: UTF8.self))
        return pieces
    }

    /// `Fn::Sub` with every variable known becomes its text; one with some unknown keeps the
    /// known ones substituted (so two sides that differ only in what is known compare equal).
    private func resolveSub(_ function: Intrinsic, at location: Location) -> Node {
        var text: String
        var locals: [String: Node] = [:]
        var localMap = ObjectMap()
        if let plain = function.argument.stringValue {
            text = plain
        } else if let parts = function.argument.arrayValue, parts.count == 2, let template = parts[0].stringValue, let map = parts[1].objectValue {
            text = template
            localMap = ObjectMap(map.entries.map { ObjectMap.Entry(key: $0.key, keyLocation: $0.keyLocation, value: resolve($0.value)) })
            for entry in localMap.entries { locals[entry.key] = entry.value }
        } else {
            return Node(.intrinsic(Intrinsic(name: .sub, argument: resolve(function.argument))), at: location)
        }
        func value(_ name: String) -> String? { (locals[name] ?? known[name])?.scalarText }
        // One scan of the template: the whole text when every variable is known, else the
        // known ones substituted and the rest (and any escape) kept as written.
        var full = "", rest = ""
        var complete = true
        for part in SubTemplate.parts(text) {
            switch part {
            case .text(let piece):
                full += piece
                rest += piece
            case .escaped(let literal):
                full += "${" + literal + "}"
                rest += "${!" + literal + "}"
            case .variable(let name):
                if let known = value(name) {
                    full += known
                    rest += known
                } else {
                    complete = false
                    rest += "${" + name + "}"
                }
            }
        }
        if complete { return Node(.string(full), at: location) }
        text = rest
        guard !localMap.isEmpty else { return Node(.intrinsic(Intrinsic(name: .sub, argument: .string(text))), at: location) }
        let remaining = Set(SubTemplate.variables(text))
        let usedLocals = ObjectMap(localMap.entries.filter { remaining.contains($0.key) })
        let argument: Node = usedLocals.isEmpty ? .string(text) : .array([.string(text), .object(usedLocals)])
        return Node(.intrinsic(Intrinsic(name: .sub, argument: argument)), at: location)
    }

    /// What a resolved value still depends on that is not known here, in words: a parameter
    /// without a value, a condition that cannot be decided, an import, a mapping lookup.
    /// Refs and GetAtts to the template's resources are not unknowns.
    func unknowns(in value: Node?) -> [String] {
        var found: [String] = []
        func add(_ text: String) { if !found.contains(text) { found.append(text) } }
        func walk(_ value: Node) {
            switch value.kind {
            case .array(let items): items.forEach(walk)
            case .object(let map): map.entries.forEach { walk($0.value) }
            case .intrinsic(let function):
                switch function.name {
                case .ref:
                    let name = function.argument.stringValue ?? "?"
                    if !resources.contains(name) { add(name.hasPrefix("AWS::") ? "the pseudo parameter \(name)" : "the parameter \(name) (no value known)") }
                case .getAtt:
                    let name = function.argument.arrayValue?.first?.stringValue ?? "?"
                    if !resources.contains(name) { add("Fn::GetAtt \(name)") }
                case .if:
                    let name = function.argument.arrayValue?.first?.stringValue ?? "?"
                    let reads = conditionInputs(name)
                    add("the condition \(name)" + (reads.isEmpty ? "" : " (it reads \(reads.joined(separator: ", ")), no value known)"))
                    walk(function.argument)
                case .sub:
                    for variable in function.subText.map(SubTemplate.variables) ?? [] {
                        let name = String(variable.split(separator: ".").first ?? "")
                        if resources.contains(name) || function.subLocals.contains(variable) { continue }
                        add(name.hasPrefix("AWS::") ? "the pseudo parameter \(name)" : "the parameter \(name) (no value known)")
                    }
                    if let locals = function.argument.arrayValue?.last, function.argument.arrayValue?.count == 2 { walk(locals) }
                case .importValue:
                    add("the import \(function.argument.scalarText ?? DiffReports.render(function.argument))")
                default:
                    add(function.name.rawValue)
                    walk(function.argument)
                }
            default:
                break
            }
        }
        if let value { walk(value) }
        return found
    }
}

extension Resolver {
    /// The parameters without a known value that a condition reads, through other conditions.
    func conditionInputs(_ name: String) -> [String] {
        var found: [String] = [], seen: Set<String> = []
        func walk(_ value: Node) {
            switch value.kind {
            case .array(let items): items.forEach(walk)
            case .object(let map):
                if map.count == 1, let other = map["Condition"]?.stringValue {
                    if seen.insert(other).inserted, let body = conditionBodies[other] { walk(body) }
                    return
                }
                map.entries.forEach { walk($0.value) }
            case .intrinsic(let function):
                if function.name == .ref, let parameter = function.argument.stringValue, known[parameter] == nil, !found.contains(parameter) {
                    found.append(parameter)
                } else if function.name == "Condition", let other = function.argument.stringValue, seen.insert(other).inserted, let body = conditionBodies[other] {
                    walk(body)
                } else {
                    walk(function.argument)
                }
            default: break
            }
        }
        if seen.insert(name).inserted, let body = conditionBodies[name] { walk(body) }
        return found
    }
}

/// A template's Conditions evaluated with one side's values: true, false, or nil when a value
/// is not known here. `Fn::Equals` compares resolved values (a mapping lookup, a Sub).
struct ConditionEvaluator {
    let conditions: ObjectMap
    let resolve: (Node) -> Node
    /// Each condition evaluated once: a chain of `!And [!Condition C, !Condition C]` would
    /// otherwise double at every step.
    private var memo: [String: Bool?] = [:]

    init(conditions: ObjectMap, resolve: @escaping (Node) -> Node) {
        self.conditions = conditions
        self.resolve = resolve
    }

    mutating func value(of name: String) -> Bool? {
        var visiting = Set<String>()
        return evaluate(named: name, &visiting)
    }

    private mutating func evaluate(named name: String, _ visiting: inout Set<String>) -> Bool? {
        if let known = memo[name] { return known }
        // A circular condition (ST-14) is unknown here, never a hang.
        guard let body = conditions[name], visiting.insert(name).inserted else { return nil }
        defer { visiting.remove(name) }
        let value = evaluate(body, &visiting)
        memo[name] = .some(value)
        return value
    }

    private mutating func evaluate(_ value: Node, _ visiting: inout Set<String>) -> Bool? {
        if case .bool(let flag) = value.kind { return flag }
        if let text = value.stringValue?.lowercased(), text == "true" || text == "false" { return text == "true" }
        // `!Condition Name` reads as the one-key object `{"Condition": Name}`.
        if let map = value.objectValue, map.count == 1, let name = map["Condition"]?.stringValue { return evaluate(named: name, &visiting) }
        guard case .intrinsic(let function) = value.kind else { return nil }
        switch function.name {
        case "Condition":
            return function.argument.stringValue.flatMap { evaluate(named: $0, &visiting) }
        case .not:
            guard let items = function.argument.arrayValue, items.count == 1 else { return nil }
            return evaluate(items[0], &visiting).map { !$0 }
        case .and, .or:
            guard let items = function.argument.arrayValue, !items.isEmpty else { return nil }
            var values: [Bool?] = []
            for item in items { values.append(evaluate(item, &visiting)) }
            let isAnd = function.name == .and
            // A known false decides an And, a known true an Or, whatever else is unknown.
            if values.contains(where: { $0 == !isAnd }) { return !isAnd }
            if values.contains(where: { $0 == nil }) { return nil }
            return isAnd
        case .equals:
            guard let items = function.argument.arrayValue, items.count == 2 else { return nil }
            let a = resolve(items[0]), b = resolve(items[1])
            if let x = a.scalarText, let y = b.scalarText { return x.sameScalars(as: y) }
            // Two lists (a Split) are equal item by item; anything unresolved is unknown.
            if let x = a.arrayValue, let y = b.arrayValue, !x.contains(where: { $0.scalarText == nil }), !y.contains(where: { $0.scalarText == nil }) {
                return x.count == y.count && zip(x, y).allSatisfy { $0.scalarText!.sameScalars(as: $1.scalarText!) }
            }
            return nil
        default:
            return nil
        }
    }
}
