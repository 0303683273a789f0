import FormworkTemplate

extension Linter {
    /// Every text a report must not print for this template: the NoEcho parameters' values
    /// (`Secrets.values`, with the deployment's) and the logical ids of the resources that a
    /// `Fn::ForEach` loop made from a NoEcho parameter's items (each such id holds an item).
    static func secrets(_ template: Template, madeBy: [String: String], deployment: [String: [Node]]) -> [String] {
        var secrets = Secrets.values(in: template, deployment: deployment)
        guard !madeBy.isEmpty else { return secrets }
        let resources = template.root["Resources"]
        var secretLoops: [String: Bool] = [:]
        for (id, loop) in madeBy.sorted(by: { $0.key < $1.key }) {
            let isSecret: Bool
            if let known = secretLoops[loop] {
                isSecret = known
            } else {
                let node = resources?[loop] ?? resources?.intrinsicValue.map { $0.argument }
                isSecret = node.map { loopsOverSecret($0, template, depth: 0) } ?? false
                secretLoops[loop] = isSecret
            }
            if isSecret, !secrets.contains(id) { secrets.append(id) }
        }
        return secrets.sorted { ($0.utf8.count, $0) > ($1.utf8.count, $1) }
    }

    /// Whether a loop, or one inside its body, takes its collection from a NoEcho parameter.
    private static func loopsOverSecret(_ loop: Node, _ template: Template, depth: Int) -> Bool {
        guard depth < 8, let parts = loop.arrayValue, parts.count == 3 else { return false }
        if let function = parts[1].intrinsicValue, function.name == .ref, let name = function.argument.stringValue,
           Secrets.isNoEcho(template.parameters?[name]) {
            return true
        }
        return parts[2].objectValue?.entries.contains { $0.key.hasPrefix("Fn::ForEach::") && loopsOverSecret($0.value, template, depth: depth + 1) } ?? false
    }
}
