import FormworkRuleKit
import FormworkTemplate

/// The hardcoding family's settings (HC-01): the words that name an environment.
public struct HardcodingSettings: RuleSettings, Hashable {
    /// Words that name an environment and so must not be hardcoded.
    public var environmentWords: Set<String> = ["prod", "production", "dev", "development", "stage", "staging"]

    /// The defaults: prod, production, dev, development, stage, staging.
    public init() {}

    public static let keys = ["environmentWords"]

    public static func read(_ key: String, _ value: Node, into profile: inout Profile) throws(SettingProblem) {
        let words = try SettingValue.strings(value, "environmentWords must be a list of words")
        profile.hardcoding.environmentWords = Set(words.map { $0.lowercased() })
    }

    public static func written(_ profile: Profile) -> [(key: String, value: Node)] {
        [("environmentWords", SettingValue.list(profile.hardcoding.environmentWords.sorted()))]
    }
}

extension Profile {
    /// The hardcoding family's settings.
    public var hardcoding: HardcodingSettings {
        get { self[settings: HardcodingSettings.self] }
        set { self[settings: HardcodingSettings.self] = newValue }
    }
}
