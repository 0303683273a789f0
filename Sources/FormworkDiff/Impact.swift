/// How much an update disturbs a resource, from least to most.
public enum Replacement: String, Sendable, Comparable, CaseIterable, Codable {
    /// Updated in place.
    case none
    /// Updated in place with a reboot or failover.
    case interruption
    /// Replaced or not depending on values that cannot be known here.
    case may
    /// Replaced: a new resource is created and the old one deleted.
    case will

    private var rank: Int {
        switch self {
        case .none: return 0
        case .interruption: return 1
        case .may: return 2
        case .will: return 3
        }
    }

    public static func < (lhs: Replacement, rhs: Replacement) -> Bool { lhs.rank < rhs.rank }
}

/// What the CloudFormation documentation's "Update requires" says where the registry's
/// `conditionalCreateOnlyProperties` is too coarse (rule-catalogue.md §5.4). Keyed by
/// type, then top-level property.
public enum UpdateBehaviour {
    public struct Rule: Sendable {
        public var replacement: Replacement
        public var reason: String
        /// A different verdict when the property is removed.
        public var onRemoval: (Replacement, String)?
    }

    static let rebootOrFailover = "DBInstance doc: Update requires some interruptions (reboot, or failover when Multi-AZ)"

    public static let table: [String: [String: Rule]] = [
        "AWS::RDS::DBInstance": [
            "MultiAZ": Rule(replacement: .interruption, reason: rebootOrFailover),
            "DBInstanceClass": Rule(replacement: .interruption, reason: rebootOrFailover),
            "DBParameterGroupName": Rule(replacement: .interruption, reason: rebootOrFailover),
            "BackupRetentionPeriod": Rule(replacement: .interruption, reason: rebootOrFailover + "; 0 <-> non-zero restarts the instance"),
            "StorageType": Rule(replacement: .interruption, reason: rebootOrFailover),
            "AutoMinorVersionUpgrade": Rule(replacement: .interruption, reason: rebootOrFailover),
            "AvailabilityZone": Rule(replacement: .interruption, reason: rebootOrFailover),
            "Engine": Rule(replacement: .interruption, reason: rebootOrFailover),
            "EngineVersion": Rule(replacement: .interruption, reason: rebootOrFailover + " (version upgrade)"),
            "PreferredMaintenanceWindow": Rule(replacement: .interruption, reason: rebootOrFailover),
            "AllocatedStorage": Rule(replacement: .none, reason: "DBInstance doc: storage grows in place (no interruption)"),
            "SourceDBInstanceIdentifier": Rule(
                replacement: .interruption, reason: rebootOrFailover,
                onRemoval: (.interruption, "removing SourceDBInstanceIdentifier promotes the read replica to a standalone instance")),
            "DBSnapshotIdentifier": Rule(
                replacement: .will, reason: "DBInstance doc: a different snapshot restores a new instance",
                onRemoval: (.will, "removing DBSnapshotIdentifier after a restore creates an empty instance and deletes the restored one")),
            "DBClusterSnapshotIdentifier": Rule(replacement: .interruption, reason: rebootOrFailover),
            "RestoreTime": Rule(replacement: .interruption, reason: rebootOrFailover),
            "UseLatestRestorableTime": Rule(replacement: .interruption, reason: rebootOrFailover),
            "SourceDBClusterIdentifier": Rule(replacement: .interruption, reason: rebootOrFailover),
            "SourceDBInstanceAutomatedBackupsArn": Rule(replacement: .interruption, reason: rebootOrFailover),
            "SourceDbiResourceId": Rule(replacement: .interruption, reason: rebootOrFailover),
            "Port": Rule(replacement: .will, reason: "DBInstance doc: Update requires Replacement"),
            "PerformanceInsightsKMSKeyId": Rule(replacement: .will, reason: "DBInstance doc: Update requires Replacement"),
        ],
        "AWS::RDS::DBCluster": [
            "EngineVersion": Rule(replacement: .interruption, reason: "DBCluster doc: Update requires some interruptions (version upgrade)"),
            "DBClusterParameterGroupName": Rule(replacement: .interruption, reason: "DBCluster doc: Update requires some interruptions"),
            "BackupRetentionPeriod": Rule(replacement: .none, reason: "DBCluster doc: Update requires no interruption"),
            "SnapshotIdentifier": Rule(
                replacement: .will, reason: "DBCluster doc: a different snapshot restores a new cluster",
                onRemoval: (.will, "removing SnapshotIdentifier after a restore creates an empty cluster and deletes the restored one")),
        ],
    ]
}
