import FormworkTemplate

/// A team's conventions as data: the suffix parameter, the required tags, thresholds, which
/// rules run and at what severity. Written in Swift (`Profile(name:basedOn:)` and the
/// properties) or in `.formwork.yml`; the rule engine knows three generic profiles
/// (`ephemeral`, `structural`, `production`) and a `ProfileCatalogue` adds a team's own. A
/// template names its profile in its Metadata (`formwork: {profile: NAME}`) and `--profile`
/// overrides it.
public struct Profile: Sendable {
    /// The name templates give in `Metadata: formwork: profile`.
    public var name: String
    /// The parameter every name must carry (`EnvironmentSuffix`).
    public var suffixParameter = "EnvironmentSuffix"
    /// Tag keys every taggable resource carries; a value, when given, is required too
    /// (`Environment` must be `Ref EnvironmentSuffix`, written `{Ref: EnvironmentSuffix}`).
    public var requiredTags: [(key: String, value: Node?)] = [("Environment", .intrinsic("Ref", .string("EnvironmentSuffix")))]
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
    /// How many NAT gateways the network has (NW-03), when the team fixes it (seed 003: one).
    public var natGateways: Int?
    /// The services every VPC reaches through interface or gateway endpoints (NW-04):
    /// `rds`, `sns`, `logs`, `events`, `s3`, `dynamodb`, ...
    public var vpcEndpoints: [String] = []
    /// Whether every bucket replicates to another region (S3-06; seed 002).
    public var bucketReplicationRequired = false
    /// Whether buckets and API stages keep access logs (S3-08, LG-03): `production` requires
    /// them; `ephemeral` stacks are destroyed with whatever the logs would describe.
    public var accessLoggingRequired = false
    /// Whether DynamoDB tables keep point-in-time recovery (LC-11): `production` requires it.
    public var pointInTimeRecoveryRequired = false
    /// The evaluation periods every alarm uses (AL-05).
    public var evaluationPeriods: Int?
    /// Alarm thresholds the house wants (AL-04), in the metrics' own units.
    public var thresholds = AlarmThresholds()
    /// The day lifecycle rules judge against (`YYYY-MM-DD`): nil is today (or
    /// SOURCE_DATE_EPOCH); a team pins it to make reports reproducible across days.
    public var evaluationDate: String?
    public var disabledRules: Set<RuleID> = []
    /// Values known for the deployment (`lint --parameters KEY=VALUE`, `--regions` for
    /// `AWS::Region`): a Ref to one of these names takes exactly these values, instead of the
    /// parameter's Default and AllowedValues.
    public var parameterValues: [String: [Node]] = [:]
    public var severityOverrides: [RuleID: Severity] = [:]

    /// A profile with the defaults of `ephemeral`.
    public init(name: String) {
        self.name = name
    }

    /// A copy of `base` under another name, to change from there.
    public init(name: String, basedOn base: Profile) {
        self = base
        self.name = name
    }

    public func severity(for rule: RuleDescription) -> Severity {
        severityOverrides[rule.id] ?? rule.severity
    }

    /// Whether Retain is allowed (production, or `allowRetain`): LC-01 does not run.
    public var retainAllowed: Bool { disabledRules.contains("LC-01") }

    public func isEnabled(_ rule: RuleDescription) -> Bool {
        !disabledRules.contains(rule.id)
    }

    /// Destroyable stacks: nothing retained, no deletion protection (the default).
    public static let ephemeral = Profile(name: "ephemeral")

    /// Only the structural checks (ST-*), without the house rules: what any template needs,
    /// and what parity with cfn-lint is measured with.
    public static let structural: Profile = {
        var profile = Profile(name: "structural")
        profile.disabledRules = Set(RuleRegistry.all.filter { $0.description.family != .structure }.map { $0.description.id })
        return profile
    }()

    /// Long-lived stacks: deletion protection required, Retain allowed.
    public static let production: Profile = {
        var profile = Profile(name: "production")
        profile.deletionProtectionRequired = true
        profile.accessLoggingRequired = true
        profile.pointInTimeRecoveryRequired = true
        profile.disabledRules = ["LC-01", "LC-02"]
        return profile
    }()

    /// The generic profile of that name, if any (see `ProfileCatalogue` for a team's own).
    public static func builtIn(_ name: String) -> Profile? { ProfileCatalogue.builtIn.named(name) }
}

/// The profiles a linter can name: the generic ones, plus those an app or a team adds.
public struct ProfileCatalogue: Sendable {
    public private(set) var profiles: [Profile]

    public init(_ profiles: [Profile]) {
        self.profiles = profiles
    }

    public static let builtIn = ProfileCatalogue([.ephemeral, .structural, .production])

    public func named(_ name: String) -> Profile? { profiles.first { $0.name == name } }

    public var names: [String] { profiles.map(\.name) }

    /// These profiles plus others; a profile of a name already known replaces it.
    public func adding(_ others: [Profile]) -> ProfileCatalogue {
        var result = self
        for profile in others {
            if let index = result.profiles.firstIndex(where: { $0.name == profile.name }) {
                result.profiles[index] = profile
            } else {
                result.profiles.append(profile)
            }
        }
        return result
    }
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
