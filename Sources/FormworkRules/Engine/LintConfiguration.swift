import FormworkTemplate

/// What a profile sets: the suffix parameter, the required tags, which rules run and at
/// what severity. Built-in profiles are named; a template names its own in its Metadata
/// (`formwork: {profile: NAME}`) and `--profile` overrides it.
public struct LintConfiguration: Sendable {
    public var profile: String
    /// The parameter every name must carry (`EnvironmentSuffix`).
    public var suffixParameter = "EnvironmentSuffix"
    /// Tag keys every taggable resource carries; a value, when given, is required too
    /// (`Environment` must be `Ref EnvironmentSuffix`, written `{Ref: EnvironmentSuffix}`).
    public var requiredTags: [(key: String, value: Value?)] = [("Environment", .intrinsic("Ref", .string("EnvironmentSuffix")))]
    /// Words that name an environment and so must not be hardcoded.
    public var environmentWords: Set<String> = ["prod", "production", "dev", "development", "stage", "staging"]
    /// Whether deletion protection is required (production) or forbidden (destroyable stacks).
    public var deletionProtectionRequired = false
    /// Whether Retain is allowed where it protects data (production).
    public var retainAllowed = false
    /// Alarm thresholds the house wants (AL-04), in the metrics' own units.
    public var thresholds = AlarmThresholds()
    public var disabledRules: Set<String> = []
    public var severityOverrides: [String: Severity] = [:]

    public init(profile: String) {
        self.profile = profile
    }

    public func severity(for rule: RuleDescription) -> Severity {
        severityOverrides[rule.id] ?? rule.severity
    }

    public func isEnabled(_ rule: RuleDescription) -> Bool {
        !disabledRules.contains(rule.id)
    }

    /// The built-in profiles.
    public static func builtIn(_ name: String) -> LintConfiguration? {
        switch name {
        case "ephemeral":
            return LintConfiguration(profile: name)
        case "production":
            var configuration = LintConfiguration(profile: name)
            configuration.deletionProtectionRequired = true
            configuration.retainAllowed = true
            configuration.disabledRules = ["LC-01", "LC-02"]
            return configuration
        default:
            return nil
        }
    }

    public static let builtInNames = ["ephemeral", "production"]
}

/// The thresholds AL-04 holds alarms to: an alarm set higher fires too late.
public struct AlarmThresholds: Sendable, Hashable {
    public var cpuPercent = 80.0
    public var latencySeconds = 0.2
    public var replicaLagSeconds = 60.0
    /// DatabaseConnections alarms fire by this fraction of max_connections.
    public var connectionsFraction = 0.8

    public init() {}
}
