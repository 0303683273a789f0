import FormworkRuleKit
import FormworkTemplate

/// The naming family's settings (NM-*, and the rules that ask names to carry the suffix).
public struct NamingSettings: RuleSettings, Hashable {
    /// The parameter every name must carry (`EnvironmentSuffix`).
    public var suffixParameter = "EnvironmentSuffix"

    /// The defaults: `EnvironmentSuffix`.
    public init() {}

    public static let keys = ["suffixParameter"]

    public static func read(_ key: String, _ value: Node, into profile: inout Profile) throws(SettingProblem) {
        guard let name = value.stringValue, !name.isEmpty else { throw SettingProblem("suffixParameter must be a parameter name", at: value) }
        profile.naming.suffixParameter = name
    }

    public static func written(_ profile: Profile) -> [(key: String, value: Node)] {
        [("suffixParameter", .string(profile.naming.suffixParameter))]
    }
}

extension Profile {
    /// The naming family's settings.
    public var naming: NamingSettings {
        get { self[settings: NamingSettings.self] }
        set { self[settings: NamingSettings.self] = newValue }
    }
}
