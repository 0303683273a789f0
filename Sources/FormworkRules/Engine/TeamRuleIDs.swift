import FormworkRuleKit
import FormworkTemplate

/// The ids a team's own rules may take: `NAMESPACE-REST` (`ORD-01`, `ACME-S3-01`), in a
/// namespace no built-in rule or tool reports under, so that a suppression or a
/// `rules: disable:` entry names exactly one rule and a group names the team's rules only.
package enum TeamRuleIDs {
    /// The groups of the built-in rules, the change rules and the tools' own findings.
    package static let reserved: Set<String> = Set(RuleFamily.allCases.flatMap(\.idGroups).map(String.init))
        .union(RuleRegistry.all.map { String($0.description.id.group) })
        .union(["PS", "CF", "SP", "LN", "CK", "CP", "DF", "FMT", "PR", "RL", "LSP", "E", "W", "I"])

    /// What is wrong with `id` as a team rule's id, or nil when it is one.
    package static func problem(with id: RuleID) -> String? {
        let text = id.rawValue
        let group = String(id.group)
        guard let first = group.first, first.isASCII, first.isLetter, (2...16).contains(group.count),
              group.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }), text.count > group.count + 1,
              text.dropFirst(group.count + 1).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            return "a team rule's id is NAMESPACE-NAME (such as ORD-01 or ACME-S3-01: 2 to 16 letters or digits, a dash, then letters, digits, - or _); '\(text.printable)' is not"
        }
        if reserved.contains(group.uppercased()) {
            return "the namespace \(group) of '\(text.printable)' is Formwork's own; a team rule's id needs a namespace of the team's (such as ORD-01)"
        }
        return nil
    }

    /// The first problem with a set of team rules: a bad id, or two rules of one id.
    package static func problem(with rules: [RuleDescription]) -> String? {
        var seen = Set<String>()
        for rule in rules {
            if let problem = problem(with: rule.id) { return problem }
            if !seen.insert(rule.id.rawValue.uppercased()).inserted { return "two team rules have the id \(rule.id.rawValue.printable)" }
        }
        return nil
    }
}
