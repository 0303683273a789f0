import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// cfn-lint's custom rule files (`cfn-lint --custom-rules FILE`, `-z`), read as they are, so
/// that a team moving from cfn-lint keeps its files: one rule a line,
/// `<Type> <Property[.Child...]> <Operator> <Value> [WARN|ERROR] [Message]`, `#` comments.
/// Each rule is judged as cfn-lint 1.51.0 judges it (`cfnlint/rules/custom`): its id is
/// `E` or `W` and 9000 plus its line number; lists on the path are taken item by item, both
/// branches of `Fn::If` are judged, `AWS::NoValue` is absent, and a value that is a function
/// (a Ref, a GetAtt, a Sub) is not judged; comparisons are cfn-lint's (EQUALS ignores case,
/// REGEX_MATCH anchors at the start, the number comparisons take whole numbers only), and
/// each finding stands where cfn-lint puts it: at the key of the value judged.
package enum CfnLintCustomRules {
    /// cfn-lint's operators, as its message about an unknown one lists them.
    static let operators = ["EQUALS", "NOT_EQUALS", "REGEX_MATCH", "==", "!=", "IN", "NOT_IN", ">", "<", ">=", "<=", "IS DEFINED", "IS NOT_DEFINED"]

    /// The rules of a file, or its located problems (a line cfn-lint itself cannot read).
    package static func read(path: String) -> Result<[TeamRule], ConfigurationErrors> {
        switch FileIO.read(path) {
        case .failure(let failure):
            return .failure(ConfigurationErrors(diagnostics: [Diagnostic(ruleID: ReadDiagnosticID.io, message: "the custom rules file cannot be read: \(failure)",
                                                                         file: path, location: Location(line: 1, column: 1))]))
        case .success(let bytes):
            return parse(String(decoding: bytes, as: UTF8.self), file: path)
        }
    }

    /// The rules of a file's text.
    package static func parse(_ text: String, file: String) -> Result<[TeamRule], ConfigurationErrors> {
        var rules: [TeamRule] = []
        var problems: [Diagnostic] = []
        // cfn-lint counts every line (comments and blank ones too) and reads them as Python's
        // `for line in file` does: split after each \n.
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            var line = raw
            while let last = line.unicodeScalars.last, last.properties.isWhitespace { line.unicodeScalars.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            // Python's str.split(" ", 3): at single spaces, at most four parts.
            var parts: [String] = []
            var rest = Substring(line)
            while parts.count < 3, let space = rest.firstIndex(of: " ") {
                parts.append(String(rest[..<space]))
                rest = rest[rest.index(after: space)...]
            }
            parts.append(String(rest))
            guard parts.count == 4 else {
                problems.append(Diagnostic(ruleID: ConfigurationFile.diagnosticID,
                                           message: "a custom rule is `<Type> <Property> <Operator> <Value> [WARN|ERROR] [Message]`; this line has \(parts.count) part\(parts.count == 1 ? "" : "s") (cfn-lint stops on it)",
                                           file: file, location: Location(line: number, column: 1)))
                continue
            }
            rules.append(rule(type: parts[0], property: parts[1], operator: parts[2], argument: parts[3], number: number))
        }
        return problems.isEmpty ? .success(rules) : .failure(ConfigurationErrors(diagnostics: problems))
    }

    /// One line's rule, made as cfn-lint's `make_rule` makes it.
    static func rule(type: String, property: String, operator word: String, argument: String, number: Int) -> TeamRule {
        var level = "E"
        var expected: PythonValue
        var message: String?
        if argument.contains("WARN") || argument.contains("ERROR") {
            let marker = argument.contains("WARN") ? "WARN" : "ERROR"
            level = marker == "WARN" ? "W" : "E"
            let pieces = argument.pythonSplit(marker)
            expected = setOrText(pieces[0])
            // An empty message is Python-falsy: the operator's own message stands.
            if pieces.count > 1, case let text = pieces[1].pythonStripped.trimmingQuotes, !text.isEmpty { message = text }
        } else {
            expected = PythonValue.json(argument)
        }
        if case .text(let text) = expected { expected = .text(text.pythonStripped.trimmingQuotes) }
        let id = RuleID("\(level)\(9000 + number)")
        let op: Operator?
        switch word {
        case "EQUALS", "==": op = .equals
        case "NOT_EQUALS", "!=": op = .notEquals
        case "REGEX_MATCH": op = .regex
        case "IN": op = .isIn
        case "NOT_IN": op = .notIn
        case ">": op = .greater
        case ">=": op = .greaterOrEqual
        case "<": op = .less
        case "<=": op = .lessOrEqual
        case "IS" where expected == .text("DEFINED"): op = .defined
        case "IS" where expected == .text("NOT_DEFINED"): op = .notDefined
        default: op = nil
        }
        guard let op else {
            // cfn-lint reports an unknown operator on every template, at its start, as an error.
            let shown = word == "IS" ? "IS \(expected.text)" : word
            let invalid = RuleID("E\(9000 + number)")
            let description = RuleDescription(id: invalid, name: "invalid-custom-rule-\(number)", family: .team, severity: .error,
                                              rationale: "Created from the custom rule parameter. This rule is the result of an invalid configuration of a custom rule.",
                                              triggering: [], nonTriggering: [])
            return TeamRule(description: description) { _, context in
                context.report("\"\(shown)\" not in supported operators: [\(operators.joined(separator: ", "))]", at: Location(line: 1, column: 1), path: [])
            }
        }
        let rule = CfnLintRule(type: type, chain: property.pythonSplit("."), operator: op, expected: expected, message: message)
        let description = RuleDescription(id: id, name: "custom-rule-\(number)", family: .team, severity: level == "W" ? .warning : .error,
                                          rationale: "cfn-lint custom rule (line \(number)): \(type) \(property) \(word) \(expected.text)", triggering: [], nonTriggering: [])
        return TeamRule(description: description) { template, context in rule.check(template, context) }
    }

    /// `process_sets`: `[a,b]` (with a level after it) is a list of its comma-separated
    /// parts as written; anything else stays text.
    static func setOrText(_ raw: String) -> PythonValue {
        let scalars = Array(raw)
        if scalars.count > 1, scalars[0] == "[", scalars[scalars.count - 2] == "]" || scalars[scalars.count - 1] == "]" {
            let inner = String(scalars[1..<(scalars.count - 2 >= 1 ? scalars.count - 2 : 1)])
            return .list(inner.pythonSplit(",").map { PythonValue.text($0) })
        }
        return .text(raw)
    }

    enum Operator {
        case equals, notEquals, regex, isIn, notIn, greater, greaterOrEqual, less, lessOrEqual, defined, notDefined
    }
}

/// A value as cfn-lint holds it (what `json.loads` makes of a rule's value, what PyYAML makes
/// of a template's scalar), with Python's `str()` and `==`.
enum PythonValue: Equatable, Sendable {
    case text(String), integer(String), real(String), boolean(Bool), none
    case list([PythonValue])
    /// A mapping (only ever compared through its `str()`, which cfn-lint rarely meets).
    case mapping(String)

    /// Python's `str()`.
    var text: String {
        switch self {
        case .text(let text): return text
        case .integer(let digits): return digits
        case .real(let literal): return literal
        case .boolean(let flag): return flag ? "True" : "False"
        case .none: return "None"
        case .list(let items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
        case .mapping(let text): return text
        }
    }

    /// Python's `repr()`.
    var repr: String {
        if case .text(let text) = self { return "'\(text)'" }
        return self.text
    }

    /// `json.loads` of a rule's value, else the text itself.
    static func json(_ raw: String) -> PythonValue {
        let text = raw.pythonStripped
        switch text {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "null": return .none
        default: break
        }
        if let number = number(text) { return number }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\""), !text.dropFirst().dropLast().contains("\"") {
            return .text(String(text.dropFirst().dropLast()))
        }
        if text.hasPrefix("["), text.hasSuffix("]") {
            let inner = String(text.dropFirst().dropLast()).trimming(" ")
            if inner.isEmpty { return .list([]) }
            var items: [PythonValue] = []
            for part in inner.pythonSplit(",") {
                let item = json(part)
                // Not JSON (an unquoted word): json.loads fails, and the whole stays text.
                if case .text = item, !part.pythonStripped.hasPrefix("\"") { return .text(raw) }
                items.append(item)
            }
            return .list(items)
        }
        return .text(raw)
    }

    /// A JSON number, as Python holds it.
    static func number(_ text: String) -> PythonValue? {
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard let first = body.first, first.isNumber else { return nil }
        if body.allSatisfy(\.isNumber) { return (body.count > 1 && first == "0") ? nil : .integer(text) }
        guard let value = Double(text), body.allSatisfy({ $0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "-" || $0 == "+" }) else { return nil }
        return .real(pythonFloat(value))
    }

    /// Python's `str()` of a float: `1.5`, `10.0`, `1e+20`.
    static func pythonFloat(_ value: Double) -> String {
        // Swift's description agrees with Python's shortest repr (`10.0`, `1.5`, `1e+16`).
        "\(value)"
    }

    /// A template value as PyYAML (cfn-lint's reader) makes it.
    init(_ node: Node) {
        switch node.kind {
        case .string(let text): self = .text(text)
        case .bool(let flag): self = .boolean(flag)
        case .null: self = .none
        case .number(let literal):
            let real = literal.lowercased().contains { $0 == "." || $0 == "e" || $0 == "n" || $0 == "i" }
            if !real, let integer = node.intValue { self = .integer(String(integer)) } else if let number = node.numberValue { self = .real(PythonValue.pythonFloat(number)) } else { self = .text(literal) }
        case .array(let items): self = .list(items.map(PythonValue.init))
        case .object, .intrinsic: self = .mapping("{...}")
        }
    }

    /// Python's `int()` of `str()`, stripped: a whole number, or nil.
    var wholeNumber: Int? {
        var text = self.text.pythonStripped.replacingOccurrences(of: "_", with: "")
        if text.hasPrefix("+") { text.removeFirst() }
        return Int(text)
    }
}

/// One rule of a cfn-lint custom rules file, judged as cfn-lint judges it.
struct CfnLintRule: Sendable {
    let type: String
    let chain: [String]
    let `operator`: CfnLintCustomRules.Operator
    let expected: PythonValue
    let message: String?

    /// Where a value was found: its node, its path, and the place cfn-lint reports it at.
    struct Found {
        let node: Node
        let path: [PathComponent]
        let place: Location
    }

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.type == type {
            let properties = resource.body["Properties"]
            let anchor = resource.body.entries.first { $0.key == "Properties" }?.keyLocation ?? resource.keyLocation
            let path: [PathComponent] = [.key("Resources"), .key(resource.logicalID), .key("Properties")]
            let object = properties ?? Node(.object(ObjectMap()), at: anchor)
            switch self.operator {
            case .defined: defined(object, chain[...], path: path, place: anchor, topLevel: true, context)
            case .notDefined: notDefined(object, chain[...], path: path, place: anchor, context)
            default: compare(object, chain[...], path: path, place: anchor, context)
            }
        }
    }

    /// `get_values`: the values of `key` in a mapping, a list's items one by one, both
    /// branches of `Fn::If`, `AWS::NoValue` left out. Nil when the key is missing (or the
    /// value is no mapping); empty when it holds only `AWS::NoValue`.
    static func values(of object: Node, _ key: String, path: [PathComponent]) -> [Found]? {
        guard let map = object.objectValue, let entry = map.entries.first(where: { $0.key == key }) else { return nil }
        let keyPath = path + [.key(key)]
        var found: [Found] = []
        func take(_ value: Node, _ path: [PathComponent], _ place: Location) {
            if let function = value.intrinsicValue {
                if function.name == .if, let branches = function.argument.arrayValue, branches.count == 3 {
                    for index in 1...2 { take(branches[index], path + [.key("Fn::If"), .index(index)], place) }
                    return
                }
                if function.name == .ref, function.argument.stringValue == "AWS::NoValue" { return }
            }
            found.append(Found(node: value, path: path, place: place))
        }
        if let items = entry.value.arrayValue {
            for (index, item) in items.enumerated() {
                take(item, keyPath + [.index(index)], entry.keyLocation)
            }
        } else {
            take(entry.value, keyPath, entry.keyLocation)
        }
        return found
    }

    private func compare(_ object: Node, _ chain: ArraySlice<String>, path: [PathComponent], place: Location, _ context: RuleContext) {
        guard let key = chain.first, let found = Self.values(of: object, key, path: path) else { return }
        for value in found {
            // A function's value is known at deployment only: cfn-lint does not judge it.
            if value.node.intrinsicValue != nil { continue }
            if chain.count > 1 {
                compare(value.node, chain.dropFirst(), path: value.path, place: value.place, context)
            } else if let failure = failure(PythonValue(value.node)) {
                context.report(message ?? failure, at: value.place, path: value.path)
            }
        }
    }

    /// cfn-lint's comparison functions: the default message of a failure, or nil.
    private func failure(_ value: PythonValue) -> String? {
        let actual = value.text.pythonStripped
        switch self.operator {
        case .equals: return actual.lowercased() == expected.text.pythonStripped.lowercased() ? nil : "Must equal check failed"
        case .notEquals: return actual.lowercased() == expected.text.pythonStripped.lowercased() ? "Must not equal check failed" : nil
        case .regex:
            let pattern = "^(?:" + expected.text.pythonStripped + ")"
            return PatternCache.matches(pattern, actual) == false ? "Regex does not match" : nil
        case .isIn: return contains(value) == false ? "In set check failed" : nil
        case .notIn: return contains(value) == true ? "Not in set check failed" : nil
        case .greater, .greaterOrEqual, .less, .lessOrEqual:
            guard let number = value.wholeNumber, let limit = expected.wholeNumber else { return "Given values are not numeric" }
            switch self.operator {
            case .greater: return number <= limit ? "Greater than check failed" : nil
            case .greaterOrEqual: return number < limit ? "Greater than check failed" : nil
            case .less: return number >= limit ? "Lesser than check failed" : nil
            default: return number > limit ? "Lesser than check failed" : nil
            }
        case .defined, .notDefined: return nil
        }
    }

    /// Python's `value in expected`: membership in a list, a substring of a text (nil where
    /// Python would raise, as for a number in a text: cfn-lint stops there).
    private func contains(_ value: PythonValue) -> Bool? {
        switch expected {
        case .list(let items): return items.contains(value)
        case .text(let text):
            guard case .text(let part) = value else { return nil }
            return part.isEmpty || text.contains(part)
        default: return nil
        }
    }

    /// `IS DEFINED`: a missing step of the chain is a finding, at the deepest place that exists.
    private func defined(_ object: Node, _ chain: ArraySlice<String>, path: [PathComponent], place: Location, topLevel: Bool, _ context: RuleContext) {
        guard let key = chain.first else { return }
        if !topLevel, chain.count == 1, let map = object.objectValue, map.count == 1, let only = map[key]?.intrinsicValue,
           only.name == .ref, only.argument.stringValue == "AWS::NoValue" {
            report(path, at: place, "must be defined", context)
            return
        }
        guard let found = Self.values(of: object, key, path: path) else {
            report(path + [.key(key)], at: place, "must be defined", context)
            return
        }
        for value in found {
            let node = value.node.intrinsicValue.map { $0.argument } ?? value.node
            let next = value.node.intrinsicValue.map { value.path + [.key($0.name.rawValue)] } ?? value.path
            if chain.count > 1 { defined(node, chain.dropFirst(), path: next, place: value.place, topLevel: false, context) }
        }
    }

    /// `IS NOT_DEFINED`: a value at the end of the chain is a finding, at its key.
    private func notDefined(_ object: Node, _ chain: ArraySlice<String>, path: [PathComponent], place: Location, _ context: RuleContext) {
        guard let key = chain.first, let found = Self.values(of: object, key, path: path) else { return }
        for value in found {
            let node = value.node.intrinsicValue.map { $0.argument } ?? value.node
            let next = value.node.intrinsicValue.map { value.path + [.key($0.name.rawValue)] } ?? value.path
            if chain.count == 1 {
                report(next, at: value.place, "must not be defined", context)
            } else {
                notDefined(node, chain.dropFirst(), path: next, place: value.place, context)
            }
        }
    }

    /// cfn-lint's message names the path as a Python list: `['Resources', 'Topic', ...]`.
    private func report(_ path: [PathComponent], at place: Location, _ what: String, _ context: RuleContext) {
        let shown = "[" + path.map { component -> String in
            switch component {
            case .key(let key): return "'\(key)'"
            case .index(let index): return String(index)
            }
        }.joined(separator: ", ") + "]"
        context.report(message ?? "\(shown) \(what)", at: place, path: path)
    }
}

extension String {
    /// Python's `str.strip()`: whitespace off both ends.
    var pythonStripped: String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// Python's `str.split(separator)`: at every occurrence, empty parts kept.
    func pythonSplit(_ separator: String) -> [String] {
        var parts: [String] = []
        var current = Substring(self)
        while let range = current.firstRange(of: separator) {
            parts.append(String(current[..<range.lowerBound]))
            current = current[range.upperBound...]
        }
        parts.append(String(current))
        return parts
    }

    /// Python's `strip('"')`.
    var trimmingQuotes: String {
        var text = Substring(self)
        while text.first == "\"" { text.removeFirst() }
        while text.last == "\"" { text.removeLast() }
        return String(text)
    }

    /// The text without `character` at either end.
    func trimming(_ character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}
