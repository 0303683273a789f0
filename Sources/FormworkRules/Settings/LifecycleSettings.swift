import FormworkRuleKit
import FormworkTemplate

/// The lifecycle family's settings (LC-01, LC-03): whether stacks are destroyable.
public struct LifecycleSettings: RuleSettings, Hashable {
    /// Whether deletion protection is required (production) or forbidden (destroyable stacks).
    public var deletionProtectionRequired = false
    /// Whether DynamoDB tables keep point-in-time recovery (LC-11): `production` requires it;
    /// `ephemeral` stacks are destroyed with their data.
    public var pointInTimeRecoveryRequired = false

    /// The defaults: destroyable stacks.
    public init() {}

    /// `allowRetain: true` is LC-01 disabled, and is written as such.
    public static let keys = ["deletionProtection", "allowRetain", "pointInTimeRecovery"]

    public static func read(_ key: String, _ value: Node, into profile: inout Profile) throws(SettingProblem) {
        if key == "allowRetain" {
            guard case .bool(let allowed) = value.kind else { throw SettingProblem("allowRetain must be true or false", at: value) }
            profile.setEnabled(!allowed, ["LC-01"])
            return
        }
        if key == "pointInTimeRecovery" {
            profile.lifecycle.pointInTimeRecoveryRequired = try SettingValue.choice(value, key, ["required", "optional"]) == "required"
            return
        }
        profile.lifecycle.deletionProtectionRequired = try SettingValue.choice(value, key, ["forbidden", "required"]) == "required"
    }

    public static func written(_ profile: Profile) -> [(key: String, value: Node)] {
        [("deletionProtection", .string(profile.lifecycle.deletionProtectionRequired ? "required" : "forbidden")),
         ("pointInTimeRecovery", .string(profile.lifecycle.pointInTimeRecoveryRequired ? "required" : "optional"))]
    }
}

extension Profile {
    /// The lifecycle family's settings.
    public var lifecycle: LifecycleSettings {
        get { self[settings: LifecycleSettings.self] }
        set { self[settings: LifecycleSettings.self] = newValue }
    }
}
