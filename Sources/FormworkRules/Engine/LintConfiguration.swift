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
    /// The backup retention a profile requires (RDS-04), in days.
    public var backupRetentionDays: Int?
    /// The instance classes a profile allows (RDS-12); empty allows any.
    public var instanceClasses: [String] = []
    /// The PostgreSQL major version a profile requires (RDS-13).
    public var engineMajorVersion: Int?
    /// Days of automated backups replicated to another region (RDS-24), when required.
    public var backupReplicationDays: Int?
    /// The evaluation periods every alarm uses (AL-05).
    public var evaluationPeriods: Int?
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

    /// Whether Retain is allowed (production, or `allowRetain`): LC-01 does not run.
    public var retainAllowed: Bool { disabledRules.contains("LC-01") }

    public func isEnabled(_ rule: RuleDescription) -> Bool {
        !disabledRules.contains(rule.id)
    }

    /// The built-in profiles.
    public static func builtIn(_ name: String) -> LintConfiguration? {
        switch name {
        case "ephemeral":
            return LintConfiguration(profile: name)
        // Only the structural checks (ST-*), without the house rules: what any template needs,
        // and what parity with cfn-lint is measured with.
        case "structural":
            var configuration = LintConfiguration(profile: name)
            configuration.disabledRules = Set(RuleRegistry.all.filter { $0.description.family != "structure" }.map { $0.description.id })
            return configuration
        case "production":
            var configuration = LintConfiguration(profile: name)
            configuration.deletionProtectionRequired = true
            configuration.disabledRules = ["LC-01", "LC-02"]
            return configuration
        // The five reference systems (seeds 000 to 004; rule-catalogue.md §3 and §3.6).
        case "user-api":
            var configuration = LintConfiguration(profile: name)
            configuration.requiredTags += [("Team", .string("platform")), ("Service", .string("user-api"))]
            configuration.backupRetentionDays = 35
            configuration.instanceClasses = ["db.r6g.large"]
            configuration.evaluationPeriods = 2
            return configuration
        case "payments-ha":
            var configuration = LintConfiguration(profile: name)
            configuration.instanceClasses = ["db.r6g.xlarge"]
            configuration.engineMajorVersion = 14
            return configuration
        case "postgres-dr":
            var configuration = LintConfiguration(profile: name)
            configuration.requiredTags += [("Owner", nil), ("DR-Role", nil)]
            configuration.instanceClasses = ["db.t3.medium"]
            configuration.backupReplicationDays = 7
            configuration.engineMajorVersion = 14
            return configuration
        case "active-passive":
            var configuration = LintConfiguration(profile: name)
            configuration.backupRetentionDays = 1
            return configuration
        case "ecommerce":
            var configuration = LintConfiguration(profile: name)
            configuration.requiredTags += [("Role", nil)]
            configuration.instanceClasses = ["db.m5.large", "db.m5.xlarge", "db.m5.2xlarge", "db.r5.large", "db.r5.xlarge", "db.r5.2xlarge"]
            configuration.engineMajorVersion = 16
            return configuration
        default:
            return nil
        }
    }

    public static let builtInNames = ["ephemeral", "structural", "production", "user-api", "payments-ha", "postgres-dr", "active-passive", "ecommerce"]
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
