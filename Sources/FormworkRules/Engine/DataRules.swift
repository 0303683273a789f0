import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// A rule written as data (`.formwork.yml`'s `rules: custom:`): the resource types it reads
/// (globs: `AWS::S3::*`), a property path below `Properties` (`*` takes every item of a list
/// or every value of a mapping), an operator and a value. It judges every value the
/// property can take, through parameters and both branches of `Fn::If`, and reports each
/// that fails at the value itself (a parameter's Default or AllowedValues entry when the
/// value comes from there).
package struct DataRule: Sendable {
    /// What a value must do.
    package enum Operator: String, Sendable, CaseIterable {
        case equals, notEquals = "not equals", isIn = "in", notIn = "not in", matches, exists, absent
        case atLeast = "at least", atMost = "at most", contains

        /// The operator a configuration names: its words in any case, spaces, `_` or
        /// camel case (`not in`, `not_in`, `notIn`).
        init?(named text: String) {
            let folded = text.lowercased().filter { $0.isLetter }
            guard let found = Operator.allCases.first(where: { $0.rawValue.filter { $0 != " " } == folded }) else { return nil }
            self = found
        }

        /// Whether the operator needs a value (`exists` and `absent` do not).
        var needsValue: Bool { self != .exists && self != .absent }
    }

    /// One step of a property path.
    package enum Step: Sendable, Equatable {
        case key(String)
        /// Every item of a list, every value of a mapping.
        case every
    }

    package var id: RuleID
    package var name: String
    package var severity: Severity
    /// What the finding says first (the rule's rationale); the value judged follows.
    package var message: String?
    package var resourceTypes: [String]
    package var property: [Step]
    package var propertyText: String
    package var `operator`: Operator
    /// The value the operator compares with (a list for `in` and `not in`).
    package var value: Node?

    /// The rule as the linter runs it.
    package var teamRule: TeamRule {
        let rule = self
        let description = RuleDescription(
            id: id, name: name, family: .team, severity: severity,
            rationale: message ?? "\(resourceTypes.joined(separator: ", ")): Properties.\(propertyText) \(requirement) (a data rule of .formwork.yml)",
            triggering: [], nonTriggering: [])
        return TeamRule(description: description) { template, context in rule.check(template, context) }
    }

    /// The property path as written (`Tags[*].Key`, `Tags.*.Key`), or why it is not one.
    package static func path(_ text: String) -> Result<[Step], SettingProblemText> {
        var steps: [Step] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var name = Substring(part)
            var every = 0
            while name.hasSuffix("[*]") {
                name = name.dropLast(3)
                every += 1
            }
            if name.isEmpty && every == 0 { return .failure(SettingProblemText("the property path '\(text.printable)' has an empty step")) }
            if name.contains("[") || name.contains("]") { return .failure(SettingProblemText("the property path '\(text.printable)' has a bracket other than [*]")) }
            if name == "*" { steps.append(.every) } else if !name.isEmpty { steps.append(.key(String(name))) }
            steps += Array(repeating: .every, count: every)
        }
        return steps.isEmpty ? .failure(SettingProblemText("the property path is empty")) : .success(steps)
    }

    /// What the operator asks, in words (`must be at least 86400`).
    var requirement: String {
        let shown = value.map(Self.shown) ?? ""
        switch self.operator {
        case .equals: return "must equal \(shown)"
        case .notEquals: return "must not equal \(shown)"
        case .isIn: return "must be one of \(shown)"
        case .notIn: return "must not be one of \(shown)"
        case .matches: return "must match \(shown)"
        case .exists: return "must be set"
        case .absent: return "must not be set"
        case .atLeast: return "must be at least \(shown)"
        case .atMost: return "must be at most \(shown)"
        case .contains: return "must contain \(shown)"
        }
    }

    static func shown(_ value: Node) -> String {
        if let items = value.arrayValue { return "[" + items.map(shown).joined(separator: ", ") + "]" }
        return value.scalarText.map { "'\($0.printable)'" } ?? "a \(value.objectValue != nil ? "mapping" : "value")"
    }

    func applies(to type: String) -> Bool {
        resourceTypes.contains { Glob($0).matches(type) }
    }

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where applies(to: resource.type ?? "") {
            let base: [PathComponent] = [.key("Resources"), .key(resource.logicalID), .key("Properties")]
            walk(resource.properties.map { Node(.object($0), at: resource.body["Properties"]?.location ?? resource.keyLocation) },
                 property[...], path: base, anchor: resource.keyLocation, resource: resource.logicalID, context)
        }
    }

    /// Follows the path through mappings, lists (`*`) and both branches of `Fn::If`; at its
    /// end, judges every value the property can take.
    private func walk(_ node: Node?, _ steps: ArraySlice<Step>, path: [PathComponent], anchor: Location, resource: String, _ context: RuleContext) {
        guard let node else {
            judgeAbsent(at: anchor, path: path, resource: resource, context)
            return
        }
        if let function = node.intrinsicValue {
            if function.name == .if, let branches = function.argument.arrayValue, branches.count == 3 {
                for index in 1...2 {
                    walk(branches[index], steps, path: path + [.key("Fn::If"), .index(index)], anchor: node.location, resource: resource, context)
                }
                return
            }
            if function.name == .ref, function.argument.stringValue == "AWS::NoValue" {
                judgeAbsent(at: node.location, path: path, resource: resource, context)
                return
            }
        }
        guard let step = steps.first else {
            judge(node, path: path, resource: resource, context)
            return
        }
        let rest = steps.dropFirst()
        switch step {
        case .key(let key):
            // A mapping the template builds at deployment (a Ref, a GetAtt) is not judged.
            guard let map = node.objectValue else { return }
            // A missing key is reported where its mapping stands (the resource's key at the top).
            walk(map[key], rest, path: path + [.key(key)], anchor: map.entries.first { $0.key == key }?.keyLocation ?? anchor, resource: resource, context)
        case .every:
            if let items = node.arrayValue {
                for (index, item) in items.enumerated() {
                    walk(item, rest, path: path + [.index(index)], anchor: item.location, resource: resource, context)
                }
            } else if let map = node.objectValue {
                for entry in map.entries {
                    walk(entry.value, rest, path: path + [.key(entry.key)], anchor: entry.keyLocation, resource: resource, context)
                }
            }
        }
    }

    private func judgeAbsent(at location: Location, path: [PathComponent], resource: String, _ context: RuleContext) {
        guard self.operator == .exists else { return }
        report("\(resource) has no \(Self.text(of: path))", at: location, path: path, context)
    }

    private func judge(_ node: Node, path: [PathComponent], resource: String, _ context: RuleContext) {
        for candidate in context.values.candidates(node) {
            switch candidate {
            case .absent:
                judgeAbsent(at: node.location, path: path, resource: resource, context)
            case .unresolved(let value, _):
                // Known only at deployment: present, but not judged against a value.
                if self.operator == .absent { report("\(resource) sets \(Self.text(of: path))", at: value.location, path: path, context) }
            case .literal(let value, let via):
                if let failure = failure(of: value) {
                    report("\(resource)'s \(Self.text(of: path)) \(failure)\(via.map { " (\($0))" } ?? "")", at: value.location, path: path, context, via: via)
                }
            }
        }
    }

    /// Why a literal fails the operator, or nil when it passes.
    private func failure(of actual: Node) -> String? {
        let shown = Self.shown(actual)
        switch self.operator {
        case .exists: return nil
        case .absent: return "is \(shown); it \(requirement)"
        case .equals: return value.map { Self.same(actual, $0) } == true ? nil : "is \(shown); it \(requirement)"
        case .notEquals: return value.map { Self.same(actual, $0) } == true ? "is \(shown); it \(requirement)" : nil
        case .isIn: return (value?.arrayValue ?? []).contains { Self.same(actual, $0) } ? nil : "is \(shown); it \(requirement)"
        case .notIn: return (value?.arrayValue ?? []).contains { Self.same(actual, $0) } ? "is \(shown); it \(requirement)" : nil
        case .matches:
            guard let text = actual.scalarText, let pattern = value?.scalarText else { return "is \(shown), not text; it \(requirement)" }
            // A pattern the bounded matcher could not judge (its budget spent) is not a finding:
            // the linter counts it in LN-02.
            return PatternCache.matches(pattern, text) == false ? "is \(shown); it \(requirement)" : nil
        case .atLeast, .atMost:
            guard let number = actual.numberValue, let limit = value?.numberValue else { return "is \(shown), not a number; it \(requirement)" }
            let passes = self.operator == .atLeast ? number >= limit : number <= limit
            return passes ? nil : "is \(shown); it \(requirement)"
        case .contains:
            guard let wanted = value else { return nil }
            if let items = actual.arrayValue { return items.contains { Self.same($0, wanted) } ? nil : "is \(shown); it \(requirement)" }
            if let text = actual.stringValue, let part = wanted.scalarText { return text.contains(part) ? nil : "is \(shown); it \(requirement)" }
            return "is \(shown), neither a list nor text; it \(requirement)"
        }
    }

    /// Scalars compare as their text (`true` and `"true"`, `5` and `"5"` are the same to
    /// CloudFormation); lists and mappings by content.
    static func same(_ a: Node, _ b: Node) -> Bool {
        if let x = a.scalarText, let y = b.scalarText { return x == y }
        return a == b
    }

    private func report(_ message: String, at location: Location, path: [PathComponent], _ context: RuleContext, via: PossibleValues.Via? = nil) {
        context.report(self.message.map { "\($0): \(message)" } ?? message, at: location, path: path, via: via)
    }

    /// `Properties.Tags.0.Key` for a finding's path below the resource.
    static func text(of path: [PathComponent]) -> String {
        var shown: [String] = []
        var afterIf = false
        for component in path.dropFirst(2) {
            // The branch of an Fn::If is where the value stands, not part of the property's name.
            if component == .key("Fn::If") { afterIf = true; continue }
            if afterIf { afterIf = false; continue }
            shown.append(component.description)
        }
        return shown.joined(separator: ".")
    }
}

/// A reason text for a problem that is placed later (where the value stands).
package struct SettingProblemText: Error, Sendable {
    package var message: String
    package init(_ message: String) { self.message = message }
}

extension DataRule {
    /// The keys a data rule of `rules: custom:` may have.
    static let keys = ["id", "name", "resourceTypes", "property", "operator", "value", "severity", "message"]

    /// Reads one entry of `rules: custom:`, or says what is wrong, at the key or value.
    package static func read(_ entry: Node) -> Result<DataRule, SettingProblem> {
        guard let map = entry.objectValue else {
            return .failure(SettingProblem("a custom rule is a mapping with \(keys.joined(separator: ", "))", at: entry))
        }
        for item in map.entries where !keys.contains(item.key) {
            return .failure(SettingProblem("unknown key '\(item.key.printable)' in a custom rule; expected one of \(keys.joined(separator: ", "))",
                                           at: Node(.string(item.key), at: item.keyLocation)))
        }
        guard let idNode = map["id"], let idText = idNode.stringValue else { return .failure(SettingProblem("a custom rule needs `id: NAMESPACE-NAME` (such as ORD-01)", at: entry)) }
        if let problem = TeamRuleIDs.problem(with: RuleID(idText)) { return .failure(SettingProblem(problem, at: idNode)) }
        guard let typesNode = map["resourceTypes"] else { return .failure(SettingProblem("the custom rule \(idText.printable) needs resourceTypes (such as AWS::S3::Bucket or AWS::S3::*)", at: entry)) }
        let types = typesNode.arrayValue?.compactMap(\.stringValue) ?? typesNode.stringValue.map { [$0] } ?? []
        if types.isEmpty || types.count != (typesNode.arrayValue?.count ?? 1) || types.contains(where: { !$0.contains("::") }) {
            return .failure(SettingProblem("resourceTypes must be a resource type or a list of them, with * as a wildcard (AWS::S3::*)", at: typesNode))
        }
        guard let propertyNode = map["property"], let propertyText = propertyNode.stringValue else {
            return .failure(SettingProblem("the custom rule \(idText.printable) needs property: a path below Properties (BucketEncryption.ServerSideEncryptionConfiguration[*].BucketKeyEnabled)", at: map["property"] ?? entry))
        }
        let steps: [Step]
        switch path(propertyText) {
        case .success(let found): steps = found
        case .failure(let problem): return .failure(SettingProblem(problem.message, at: propertyNode))
        }
        guard let operatorNode = map["operator"], let operatorText = operatorNode.stringValue, let op = Operator(named: operatorText) else {
            return .failure(SettingProblem("operator must be one of \(Operator.allCases.map(\.rawValue).joined(separator: ", "))", at: map["operator"] ?? entry))
        }
        let value = map["value"]
        if op.needsValue {
            guard let value else { return .failure(SettingProblem("the operator \(op.rawValue) needs a value", at: operatorNode)) }
            switch op {
            case .isIn, .notIn:
                guard value.arrayValue != nil else { return .failure(SettingProblem("the operator \(op.rawValue) needs a list of values", at: value)) }
            case .atLeast, .atMost:
                guard value.numberValue != nil else { return .failure(SettingProblem("the operator \(op.rawValue) needs a number", at: value)) }
            case .matches:
                guard let pattern = value.stringValue, PatternCache.matches(pattern, "") != nil else {
                    return .failure(SettingProblem("the operator matches needs a regular expression Formwork can evaluate (no backreferences or possessive quantifiers)", at: value))
                }
            default:
                break
            }
        } else if let value {
            return .failure(SettingProblem("the operator \(op.rawValue) takes no value", at: value))
        }
        var severity = Severity.warning
        if let severityNode = map["severity"] {
            guard let level = severityNode.stringValue.flatMap(Severity.init(rawValue:)) else { return .failure(SettingProblem("severity must be error, warning or info", at: severityNode)) }
            severity = level
        }
        var message: String?
        if let messageNode = map["message"] {
            guard let text = messageNode.stringValue, !text.trimmingSpaces.isEmpty else { return .failure(SettingProblem("message must be text", at: messageNode)) }
            message = text
        }
        var name = idText.lowercased()
        if let nameNode = map["name"] {
            guard let text = nameNode.stringValue, !text.trimmingSpaces.isEmpty else { return .failure(SettingProblem("name must be text", at: nameNode)) }
            name = text
        }
        return .success(DataRule(id: RuleID(idText), name: name, severity: severity, message: message, resourceTypes: types, property: steps,
                                 propertyText: propertyText, operator: op, value: value))
    }
}
