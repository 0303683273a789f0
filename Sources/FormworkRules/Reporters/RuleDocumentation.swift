import FormworkTemplate

/// `formwork rules`: the documentation, written from the rules' own descriptions.
public enum RuleDocumentation {
    public static func list(_ rules: [RuleDescription]) -> String {
        let width = rules.map(\.name.count).max() ?? 0
        let idWidth = rules.map(\.id.rawValue.count).max() ?? 0
        return rules.map { rule in
            "\(rule.id.rawValue.padding(idWidth))  \(rule.severity.rawValue.padding(7))  \(rule.name.padding(width))  \(rule.family)"
        }.joined(separator: "\n") + "\n"
    }

    public static func detail(_ rule: RuleDescription) -> String {
        var lines = ["\(rule.id) \(rule.name) (\(rule.family), \(rule.severity.rawValue))", "", rule.rationale, ""]
        if !rule.cfnLint.isEmpty { lines += ["Overlaps cfn-lint: " + rule.cfnLint.joined(separator: ", "), ""] }
        if !rule.peers.isEmpty { lines += ["Covers the ground of: " + rule.peers.map(\.description).joined(separator: ", "), ""] }
        var sections = [("Triggers (a ↓ marks each finding):", rule.triggeringExamples), ("Does not trigger:", rule.nonTriggeringExamples)]
        if let deployed = rule.deployedExample {
            lines += ["Checked by `formwork diff`: the examples are updates of this deployed template.", ""]
            sections.insert(("Deployed:", [deployed]), at: 0)
        }
        for (title, examples) in sections {
            lines.append(title)
            for example in examples {
                lines.append("")
                var body = Substring(example)
                while body.last == "\n" { body.removeLast() }
                lines += body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ rules: [RuleDescription]) -> Node {
        .array(rules.map { rule in
            var map = ObjectMap()
            map.set("id", .string(rule.id.rawValue))
            map.set("name", .string(rule.name))
            map.set("family", .string(rule.family.rawValue))
            map.set("severity", .string(rule.severity.rawValue))
            map.set("description", .string(rule.rationale))
            map.set("cfnLint", .array(rule.cfnLint.map { .string($0) }))
            if !rule.peers.isEmpty { map.set("peers", .array(rule.peers.map { .string($0.description) })) }
            map.set("triggeringExamples", .array(rule.triggeringExamples.map { .string($0) }))
            map.set("nonTriggeringExamples", .array(rule.nonTriggeringExamples.map { .string($0) }))
            map.set("checkedBy", .string(rule.deployedExample == nil ? "lint" : "diff"))
            if let deployed = rule.deployedExample { map.set("deployedExample", .string(deployed)) }
            return .object(map)
        })
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
