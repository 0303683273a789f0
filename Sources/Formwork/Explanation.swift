import FormworkDiff
import FormworkRuleKit
import FormworkRules
import FormworkTemplate

/// What `formwork explain ID` prints: a rule's description with its examples (lint and
/// change rules, by id or name), a reader, configuration or check finding's meaning, or the
/// Formwork rules that report a cfn-lint id.
package enum Explanation {
    /// The explanation of `id`, or nil when nothing is named so.
    package static func text(for id: String) -> String? {
        let rules = RuleRegistry.documented(adding: ChangeRuleRegistry.all.map { $0.description })
        if let rule = rules.first(where: { $0.id.isNamed(by: id) || $0.name == id }) {
            return RuleDocumentation.detail(rule)
        }
        if let finding = ToolFindings.finding(id) {
            return "\(finding.id) \(finding.name) (\(finding.severity.rawValue))\n\n\(finding.description)\n"
        }
        guard let first = id.uppercased().first, "EWI".contains(first), id.dropFirst().allSatisfy(\.isNumber), id.count > 1 else { return nil }
        let overlapping = rules.filter { $0.cfnLint.contains { $0.uppercased() == id.uppercased() } }
        guard !overlapping.isEmpty else { return nil }
        var text = "cfn-lint's \(id.uppercased()) is reported by \(overlapping.map { "\($0.id) \($0.name)" }.joined(separator: ", ")).\n"
        for rule in overlapping { text += "\n" + RuleDocumentation.detail(rule) }
        return text
    }
}
