import FormworkTemplate

/// The families rules are grouped in: what `formwork rules --family` selects, what
/// profiles switch together, and what a suppression may name by its word (`lifecycle`) or by
/// one of its id groups (`LC`).
public enum RuleFamily: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// Templates CloudFormation accepts: sections, types, properties, references (ST).
    case structure
    /// What deletion and replacement do to data: policies, protection, recovery (LC).
    case lifecycle
    /// Names that keep environments apart: the suffix parameter, limits (NM).
    case naming
    /// Values that belong in parameters: environment words, accounts, regions (HC).
    case hardcoding
    /// Required tags and tag propagation (TG).
    case tagging
    /// Databases: encryption, availability, backups, parameters, versions (RDS).
    case rds
    /// Alarms and dashboards: coverage, units, thresholds, actions (AL, DA).
    case alarms
    /// Topics: encryption, subscriptions, policies (SN).
    case sns
    /// Keys: rotation, policies, aliases, what uses them (KM).
    case kms
    /// Secrets: managed credentials, no secrets in plain text (SM).
    case secrets
    /// Policies and roles: wildcards, trust, dangerous actions (IA).
    case iam
    /// Buckets: encryption, public access, versioning, TLS, logging (S3).
    case s3
    /// VPCs, subnets, security groups, endpoints, TLS, instance metadata (NW).
    case network
    /// Failover records and health checks (R5).
    case route53
    /// Functions and event rules: runtimes, limits, logging, permissions (LM, EV).
    case lambda
    /// Log groups and access logs: retention, encryption (LG).
    case logs
    /// Template hygiene: escaped Sub text, secrets in outputs, obsolete DependsOn (TP).
    case hygiene
    /// A team's own rules (in Swift or in `.formwork.yml`), with ids in the team's namespace.
    case team

    public var description: String { rawValue }

    /// The id groups the family's rules use.
    public var idGroups: [Substring] {
        switch self {
        case .structure: return ["ST"]
        case .lifecycle: return ["LC"]
        case .naming: return ["NM"]
        case .hardcoding: return ["HC"]
        case .tagging: return ["TG"]
        case .rds: return ["RDS"]
        case .alarms: return ["AL", "DA"]
        case .sns: return ["SN"]
        case .kms: return ["KM"]
        case .secrets: return ["SM"]
        case .iam: return ["IA"]
        case .s3: return ["S3"]
        case .network: return ["NW"]
        case .route53: return ["R5"]
        case .lambda: return ["LM", "EV"]
        case .logs: return ["LG"]
        case .hygiene: return ["TP"]
        case .team: return []
        }
    }

    /// The family a user named by its word, case-insensitively.
    public init?(named text: String) {
        guard let family = RuleFamily.allCases.first(where: { $0.rawValue == text.lowercased() }) else { return nil }
        self = family
    }
}
