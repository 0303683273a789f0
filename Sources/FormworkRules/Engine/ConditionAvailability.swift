import FormworkTemplate

/// Whether a resource created under a condition exists where the template names it (ST-12 for
/// DependsOn, ST-58 for Ref, Fn::GetAtt and Fn::Sub). A place holds the conditions around it:
/// its resource's or output's `Condition`, and the Fn::If branches it sits in. The target is
/// missing there when some deployment makes all of those hold and the target's condition
/// false; CloudFormation then refuses the stack (unresolved resource dependencies).
///
/// Conditions are judged over their `Fn::Equals` tests, not their names, so that two
/// conditions written alike, or one the negation of another, are known to agree: a test of a
/// parameter (or pseudo parameter) against a literal is one fact, at most one literal per
/// parameter holds, none outside its AllowedValues, and one of them when they cover all of
/// its AllowedValues. Any other test is a fact of its own. Templates whose conditions rest on
/// more than `maximumFacts` facts, or on a condition that is missing or circular, are not
/// judged.
struct ConditionAvailability {
    /// One condition that holds, or does not, at a place.
    struct Requirement: Hashable, Comparable {
        let condition: String
        let holds: Bool
        static func < (left: Requirement, right: Requirement) -> Bool {
            (left.condition, left.holds ? 1 : 0) < (right.condition, right.holds ? 1 : 0)
        }
    }

    static let maximumFacts = 12
    /// Assignments tried per template, whatever its references: a template of many places
    /// under many conditions stops being judged rather than taking unbounded time.
    static let maximumAssignments = 1 << 18

    /// Whether the template's references can be judged as written: no transform, or only the
    /// ones that keep a resource's `Condition` and the names it is referred to by (SAM gives
    /// what it generates its resource's condition; the language extensions expand loops,
    /// which lint does first).
    static func judges(_ template: Template) -> Bool {
        template.transforms.allSatisfy { $0 == "AWS::Serverless-2016-10-31" || $0 == "AWS::LanguageExtensions" }
    }

    private indirect enum Test {
        case fact(Int)
        case constant(Bool)
        case not(Test)
        case all([Test])
        case any([Test])
    }

    /// A test of a parameter against a literal.
    private struct Equality: Hashable {
        let parameter: String
        let literal: String
    }

    /// The condition each conditional resource is created under.
    let resourceConditions: [String: String]
    private let definitions: ObjectMap
    private let allowed: [String: Set<String>]
    private var facts: [String: Int] = [:]
    private var equalities: [Int: Equality] = [:]
    private var tests: [String: Test?] = [:]
    private var verdicts: [[Requirement]: [Requirement]?] = [:]
    private var assignmentsLeft = Self.maximumAssignments

    init(_ template: Template) {
        var conditional: [String: String] = [:]
        for entry in template.root["Resources"]?.objectValue?.entries ?? [] {
            if let condition = entry.value["Condition"]?.stringValue { conditional[entry.key] = condition }
        }
        resourceConditions = conditional
        definitions = template.conditions ?? ObjectMap()
        allowed = conditional.isEmpty ? [:] : ConditionScenarios.allowedValues(template)
    }

    /// The requirements that make `target` missing at a place where `context` holds, sorted
    /// (the target's condition as not holding among them); nil when the target is there in
    /// every such deployment, is unconditional, or the conditions are not judged.
    mutating func missing(_ target: String, where context: [Requirement]) -> [Requirement]? {
        guard let condition = resourceConditions[target] else { return nil }
        let wanted = Array(Set(context + [Requirement(condition: condition, holds: false)])).sorted()
        if let known = verdicts[wanted] { return known }
        let verdict = judge(wanted)
        verdicts[wanted] = verdict
        return verdict
    }

    /// `wanted` when some assignment of the facts makes every requirement true.
    private mutating func judge(_ wanted: [Requirement]) -> [Requirement]? {
        var seen: [String: Bool] = [:]
        for requirement in wanted {
            if let other = seen[requirement.condition], other != requirement.holds { return nil }
            seen[requirement.condition] = requirement.holds
        }
        var tests: [Test] = []
        for requirement in wanted {
            guard let test = test(of: requirement.condition) else { return nil }
            tests.append(test)
        }
        // Only the facts these conditions rest on are assigned, numbered from 0.
        var used: [Int: Int] = [:]
        for test in tests { Self.collectFacts(test, into: &used) }
        let count = used.count
        guard count <= Self.maximumFacts, assignmentsLeft >= 1 << count else { return nil }
        assignmentsLeft -= 1 << count
        let compiled = zip(tests, wanted).map { (Self.renumber($0.0, used), $0.1.holds) }
        let local = used.compactMap { global, position in equalities[global].map { (position, $0) } }
        for bits in 0..<(1 << count) where possible(bits, local) {
            if compiled.allSatisfy({ Self.evaluate($0.0, bits) == $0.1 }) { return wanted }
        }
        return nil
    }

    private static func collectFacts(_ test: Test, into used: inout [Int: Int]) {
        switch test {
        case .fact(let index): if used[index] == nil { used[index] = used.count }
        case .constant: break
        case .not(let inner): collectFacts(inner, into: &used)
        case .all(let items), .any(let items): for item in items { collectFacts(item, into: &used) }
        }
    }

    private static func renumber(_ test: Test, _ used: [Int: Int]) -> Test {
        switch test {
        case .fact(let index): return .fact(used[index] ?? 0)
        case .constant: return test
        case .not(let inner): return .not(renumber(inner, used))
        case .all(let items): return .all(items.map { renumber($0, used) })
        case .any(let items): return .any(items.map { renumber($0, used) })
        }
    }

    /// Whether the parameters' tests in `bits` can hold together.
    private func possible(_ bits: Int, _ equalities: [(Int, Equality)]) -> Bool {
        var held: [String: String] = [:]
        var tested: [String: Set<String>] = [:]
        for (index, equality) in equalities {
            tested[equality.parameter, default: []].insert(equality.literal)
            guard bits & (1 << index) != 0 else { continue }
            if held[equality.parameter] != nil { return false }
            if let choices = allowed[equality.parameter], !choices.isEmpty, !choices.contains(equality.literal) { return false }
            held[equality.parameter] = equality.literal
        }
        for (parameter, literals) in tested where held[parameter] == nil {
            if let choices = allowed[parameter], !choices.isEmpty, choices.isSubset(of: literals) { return false }
        }
        return true
    }

    private static func evaluate(_ test: Test, _ bits: Int) -> Bool {
        switch test {
        case .fact(let index): return bits & (1 << index) != 0
        case .constant(let value): return value
        case .not(let inner): return !evaluate(inner, bits)
        case .all(let items): return items.allSatisfy { evaluate($0, bits) }
        case .any(let items): return items.contains { evaluate($0, bits) }
        }
    }

    /// A condition's definition as a test of facts, nil when it is missing, circular or
    /// malformed (left to ST-14 and its neighbours).
    private mutating func test(of condition: String) -> Test? {
        if let known = tests[condition] { return known }
        tests[condition] = .some(nil)  // a circular definition meets this and is not judged
        let built = definitions[condition].flatMap { compile($0) }
        tests[condition] = built
        return built
    }

    private mutating func compile(_ value: Node) -> Test? {
        if let map = value.objectValue, map.count == 1, let name = map["Condition"]?.stringValue { return test(of: name) }
        guard let function = value.intrinsicValue else { return nil }
        let items = function.argument.arrayValue ?? []
        switch function.name {
        case .not:
            guard items.count == 1, let inner = compile(items[0]) else { return nil }
            return .not(inner)
        case .and, .or:
            var parts: [Test] = []
            for item in items {
                guard let part = compile(item) else { return nil }
                parts.append(part)
            }
            return function.name == .and ? .all(parts) : .any(parts)
        case .equals:
            guard items.count == 2 else { return nil }
            if let (parameter, literal) = ConditionScenarios.equality(value) {
                return .fact(fact("=\(parameter)\u{0}\(literal)", Equality(parameter: parameter, literal: literal)))
            }
            if let left = items[0].scalarText, let right = items[1].scalarText, items[0].intrinsicValue == nil, items[1].intrinsicValue == nil {
                return .constant(left == right)
            }
            let sides = [Self.text(of: items[0]), Self.text(of: items[1])].sorted()
            return .fact(fact(sides.joined(separator: "\u{0}"), nil))
        default:
            return nil
        }
    }

    private mutating func fact(_ key: String, _ equality: Equality?) -> Int {
        if let index = facts[key] { return index }
        let index = facts.count
        facts[key] = index
        if let equality { equalities[index] = equality }
        return index
    }

    /// A value written out, so that two tests written alike are one fact.
    private static func text(of value: Node) -> String {
        switch value.kind {
        case .object(let map): return "{" + map.entries.map { "\($0.key):\(text(of: $0.value))" }.joined(separator: ",") + "}"
        case .array(let items): return "[" + items.map { text(of: $0) }.joined(separator: ",") + "]"
        case .intrinsic(let function): return "{\(function.name.rawValue):\(text(of: function.argument))}"
        default: return value.scalarText ?? ""
        }
    }

    /// `when condition 'A' is true and 'B' is false`, for a message.
    static func describe(_ requirements: [Requirement]) -> String {
        "when " + requirements.map { "'\($0.condition)' is \($0.holds ? "true" : "false")" }.joined(separator: " and ")
    }
}
