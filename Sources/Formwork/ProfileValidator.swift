import FormworkCore
import FormworkRuleKit
import FormworkRules
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate

/// The validation pass a typed stack compiles through: the rules `formwork lint` runs, under
/// a profile.
public struct ProfileValidator: StackValidator {
    public var profile: Profile
    public var registry: SchemaRegistry

    public init(_ profile: Profile, registry: SchemaRegistry = .shared) {
        self.profile = profile
        self.registry = registry
    }

    public var profileName: String? { profile.name }

    public func validate(_ template: Template) -> [Diagnostic] {
        Linter(registry: registry).lint(template, file: nil, configuration: profile)
    }
}

extension Stack {
    /// Compiles, then validates under `profile` (the rules of `formwork lint`): an error
    /// stops the compile with every diagnostic at the Swift line of its resource, and nothing
    /// is emitted. The profile's name is written into the template's Metadata.
    public func compile(profile: Profile) throws(StackErrors) -> CompiledStack {
        try compile(validatingWith: ProfileValidator(profile))
    }
}
