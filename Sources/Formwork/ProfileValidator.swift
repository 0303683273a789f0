import FormworkCore
import FormworkRuleKit
import FormworkRules
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate

/// The validation pass a typed stack compiles through: the rules `formwork lint` runs, under
/// a profile.
package struct ProfileValidator: StackValidator {
    package var profile: Profile
    package var registry: SchemaRegistry

    package init(_ profile: Profile, registry: SchemaRegistry = .shared) {
        self.profile = profile
        self.registry = registry
    }

    package var profileName: String? { profile.name }

    package func validate(_ template: Template) -> [Diagnostic] {
        Linter(registry: registry).lint(template, file: nil, configuration: profile)
    }

    /// A profile's severity overrides apply to the compile's checks too (`"CP-03": .warning`):
    /// what `formwork import` writes for a template that broke them before it was imported.
    package func compileCheckSeverity(_ id: RuleID) -> Severity? {
        id.rawValue.hasPrefix("CP-") ? profile.severityOverrides[id] : nil
    }
}

extension Stack {
    /// The checked template, without the validation pass: throws every problem the Swift
    /// compiler cannot see (required properties, value sets, patterns, references, limits),
    /// each at the Swift line that declared the offending entry.
    public func compile() throws(StackErrors) -> Template {
        try compile(registry: .shared)
    }

    /// Compiles, then validates under `profile` (the rules of `formwork lint`): an error
    /// stops the compile with every diagnostic at the Swift line of its resource, and nothing
    /// is emitted. The profile's name is written into the template's Metadata.
    package func compile(profile: Profile) throws(StackErrors) -> CompiledStack {
        try compile(validatingWith: ProfileValidator(profile))
    }
}
