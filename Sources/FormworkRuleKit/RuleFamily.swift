import FormworkTemplate

/// The families rules are grouped in: what `formwork rules --family` selects, what
/// profiles switch together, and what a suppression may name by its word (`lifecycle`) or by
/// one of its id groups (`LC`).
public enum RuleFamily: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case structure, lifecycle, naming, hardcoding, tagging, rds, alarms
    case sns, kms, secrets, iam, s3, network, route53, lambda, logs, hygiene
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
