import FormworkCore
import FormworkRuleKit
import FormworkSchemaData
import FormworkTemplate

/// What a template breaks before `formwork import` reads it: the imported app's profile reports
/// these as warnings, so that its synth writes the template as it was (docs/import.md).
package enum ImportedChecks {
    /// The structural rules the template breaks (`structuralFindings`, from `formwork lint
    /// --profile structural`, errors only) and the compile's own checks (`CP-*`) it breaks.
    package static func broken(_ template: Template, structuralFindings: [Diagnostic]) -> Set<RuleID> {
        Set(structuralFindings.filter { $0.severity == .error }.map(\.ruleID))
            .union(StackCompiler.check(template, registry: .shared).map(\.ruleID))
    }
}
