import FormworkRuleKit
import FormworkTemplate

extension Profile {
    /// Destroyable stacks: nothing retained, no deletion protection (the default).
    public static let ephemeral: Profile = {
        var profile = Profile(name: "ephemeral")
        profile.genericBase = "ephemeral"
        return profile
    }()

    /// Only the structural checks (ST-*), without the house rules: what any template needs,
    /// and what parity with cfn-lint is measured with. A team's own rules still run: a team
    /// that adds a rule means it for every template.
    public static let structural: Profile = {
        var profile = Profile(name: "structural")
        profile.genericBase = "structural"
        profile.disabledFamilies = Set(RuleFamily.allCases.filter { $0 != .structure && $0 != .team })
        return profile
    }()

    /// Long-lived stacks: deletion protection required, Retain allowed.
    public static let production: Profile = {
        var profile = Profile(name: "production")
        profile.genericBase = "production"
        profile.lifecycle.deletionProtectionRequired = true
        profile.lifecycle.pointInTimeRecoveryRequired = true
        profile.logs.accessLoggingRequired = true
        profile.disabledRules = ["LC-01", "LC-02"]
        return profile
    }()

    /// The generic profile of that name, if any (see `ProfileCatalogue` for a team's own).
    public static func builtIn(_ name: String) -> Profile? { ProfileCatalogue.builtIn.named(name) }
}

extension ProfileCatalogue {
    /// The generic profiles: `ephemeral`, `structural`, `production`.
    public static let builtIn = ProfileCatalogue([.ephemeral, .structural, .production])
}
