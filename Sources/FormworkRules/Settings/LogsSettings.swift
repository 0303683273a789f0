import FormworkRuleKit
import FormworkTemplate

/// The logs family's settings: whether buckets and API stages keep access logs (S3-08, LG-03).
public struct LogsSettings: RuleSettings, Hashable {
    /// Whether buckets and API stages keep access logs: `production` requires them;
    /// `ephemeral` stacks are destroyed with whatever the logs would describe.
    public var accessLoggingRequired = false

    /// The defaults: access logging optional.
    public init() {}

    public static let keys = ["accessLogging"]

    public static func read(_ key: String, _ value: Node, into profile: inout Profile) throws(SettingProblem) {
        profile.logs.accessLoggingRequired = try SettingValue.choice(value, key, ["required", "optional"]) == "required"
    }

    public static func written(_ profile: Profile) -> [(key: String, value: Node)] {
        [("accessLogging", .string(profile.logs.accessLoggingRequired ? "required" : "optional"))]
    }
}

extension Profile {
    /// The logs family's settings.
    public var logs: LogsSettings {
        get { self[settings: LogsSettings.self] }
        set { self[settings: LogsSettings.self] = newValue }
    }
}
