import FormworkRuleKit
import FormworkTemplate

/// What a suppression (`Metadata: formwork: ignore`) must carry: a reason (by default), and
/// where a team wants every exception to be looked at again, an expiry date (`until:`).
package struct SuppressionSettings: RuleSettings, Hashable {
    /// Whether each suppression needs `reason:` (the default: an exception says why).
    package var reasonRequired = true
    /// Whether each suppression needs `until: YYYY-MM-DD`.
    package var expiryRequired = false

    package init() {}

    package static let keys = ["suppressionReasons", "suppressionExpiry"]

    package static func read(_ key: String, _ value: Node, into profile: inout Profile) throws(SettingProblem) {
        let required = try SettingValue.choice(value, key, ["required", "optional"]) == "required"
        if key == "suppressionReasons" { profile.suppressions.reasonRequired = required } else { profile.suppressions.expiryRequired = required }
    }

    /// Only what differs from the defaults: the written profiles of teams that never set
    /// these stay as they were.
    package static func written(_ profile: Profile) -> [(key: String, value: Node)] {
        var keys: [(key: String, value: Node)] = []
        if !profile.suppressions.reasonRequired { keys.append(("suppressionReasons", .string("optional"))) }
        if profile.suppressions.expiryRequired { keys.append(("suppressionExpiry", .string("required"))) }
        return keys
    }
}

extension Profile {
    /// What the template's suppressions must carry.
    package var suppressions: SuppressionSettings {
        get { self[settings: SuppressionSettings.self] }
        set { self[settings: SuppressionSettings.self] = newValue }
    }
}
