import FormworkSchema
import FormworkTemplate

/// How much an update disturbs a resource, from least to most.
public enum Replacement: String, Sendable, Comparable, CaseIterable, Codable {
    /// Updated in place.
    case none
    /// Updated in place with a reboot, failover or another interruption.
    case interruption
    /// Replaced or not depending on values that cannot be known here.
    case may
    /// Replaced: a new resource is created and the old one deleted.
    case will
    /// The property cannot be updated: CloudFormation refuses the update and rolls back.
    case fails

    private var rank: Int {
        switch self {
        case .none: return 0
        case .interruption: return 1
        case .may: return 2
        case .will: return 3
        case .fails: return 4
        }
    }

    /// A new resource (or possibly one): its physical id and attributes change.
    public var isReplacement: Bool { self == .may || self == .will }

    public static func < (lhs: Replacement, rhs: Replacement) -> Bool { lhs.rank < rhs.rank }
}

/// Which source decided a change's verdict (recorded in the JSON report).
public enum VerdictSource: String, Sendable, Codable {
    /// A correction of the table where the page text or today's behaviour qualifies it.
    case patch
    /// The resource's UpdatePolicy (or UpdateReplacePolicy) changes the documented verdict.
    case updatePolicy
    /// The User Guide's "Update requires" of the property.
    case documentation
    /// The registry's createOnly / conditionalCreateOnly paths (types the guide does not document).
    case registry
    /// A value this property reads changes (a replaced resource, a new attribute value).
    case propagation
    /// A resource attribute (DependsOn, Metadata, policies) or the resource type.
    case template
    /// Documentation newer than the User Guide table (the template reference pages today), or
    /// the registry, where it is more destructive than the table.
    case laterDocumentation
    /// CloudFormation's own change set (a resource known only from `--change-set`).
    case changeSet
}

/// One verdict with its reason and its source.
public struct Verdict: Sendable {
    public var replacement: Replacement
    public var reason: String
    public var source: VerdictSource

    public init(_ replacement: Replacement, _ reason: String, _ source: VerdictSource) {
        self.replacement = replacement
        self.reason = reason
        self.source = source
    }
}

/// Where the User Guide's table is qualified by its own page text or by today's behaviour:
/// each patch says where it comes from. Keyed by type, then top-level property.
public enum UpdatePatches {
    public struct Patch: Sendable {
        public var replacement: Replacement
        public var reason: String
        /// A different verdict when the property is removed.
        public var onRemoval: (Replacement, String)?

        init(_ replacement: Replacement, _ reason: String, onRemoval: (Replacement, String)? = nil) {
            self.replacement = replacement
            self.reason = reason
            self.onRemoval = onRemoval
        }
    }

    static let rebootOrFailover = "DBInstance doc: Update requires some interruptions (reboot, or failover when Multi-AZ)"
    static func kmsImmutable(_ property: String) -> String {
        "KMS Key doc: \"If you change the value of the \(property) property on an existing KMS key, the update request fails, regardless of the value of the UpdateReplacePolicy attribute\""
    }

    /// A DB cluster's `Engine`, by value: the table's "Some interruptions" holds only for the
    /// one engine change RDS makes in place, Aurora MySQL 1 (`aurora`) upgraded to
    /// `aurora-mysql`. ModifyDBCluster takes no engine, so any other change (aurora-postgresql
    /// to aurora-mysql, Aurora to a Multi-AZ cluster's `mysql`) fails the update. Nil where the
    /// table's verdict stands (that upgrade, no change, a value not known here).
    static func clusterEngine(before: Node?, after: Node?) -> Verdict? {
        guard let old = before?.stringValue?.lowercased(), let new = after?.stringValue?.lowercased(), old != new,
              !(old == "aurora" && new == "aurora-mysql") else { return nil }
        return Verdict(.fails, "RDS changes a DB cluster's engine in place only from aurora to aurora-mysql (ModifyDBCluster takes no Engine): \(old) -> \(new) fails the update; a new cluster under another logical id, and a migration of the data, changes the engine", .patch)
    }

    public static let table: [String: [String: Patch]] = [
        // The DBInstance page: the table says "No interruption" or "Some interruptions" for
        // properties whose text says more (rule-catalogue.md §5.4).
        "AWS::RDS::DBInstance": [
            "MultiAZ": Patch(.interruption, rebootOrFailover),
            "DBInstanceClass": Patch(.interruption, rebootOrFailover),
            "DBParameterGroupName": Patch(.interruption, rebootOrFailover),
            "BackupRetentionPeriod": Patch(.interruption, rebootOrFailover + "; 0 <-> non-zero restarts the instance"),
            "StorageType": Patch(.interruption, rebootOrFailover),
            "AutoMinorVersionUpgrade": Patch(.interruption, rebootOrFailover),
            "AvailabilityZone": Patch(.interruption, rebootOrFailover),
            "Engine": Patch(.interruption, rebootOrFailover),
            "EngineVersion": Patch(.interruption, rebootOrFailover + " (version upgrade)"),
            "PreferredMaintenanceWindow": Patch(.interruption, rebootOrFailover),
            "AllocatedStorage": Patch(.none, "DBInstance doc: storage grows in place (no interruption)"),
            "SourceDBInstanceIdentifier": Patch(.interruption, rebootOrFailover,
                onRemoval: (.interruption, "removing SourceDBInstanceIdentifier promotes the read replica to a standalone instance")),
            "DBSnapshotIdentifier": Patch(.will, "DBInstance doc: a different snapshot restores a new instance",
                onRemoval: (.will, "removing DBSnapshotIdentifier after a restore creates an empty instance and deletes the restored one")),
            "DBClusterSnapshotIdentifier": Patch(.interruption, rebootOrFailover),
            "RestoreTime": Patch(.interruption, rebootOrFailover),
            "UseLatestRestorableTime": Patch(.interruption, rebootOrFailover),
            "SourceDBClusterIdentifier": Patch(.interruption, rebootOrFailover),
            "SourceDBInstanceAutomatedBackupsArn": Patch(.interruption, rebootOrFailover),
            "SourceDbiResourceId": Patch(.interruption, rebootOrFailover),
            "Port": Patch(.will, "DBInstance doc: Update requires Replacement"),
            "PerformanceInsightsKMSKeyId": Patch(.will, "DBInstance doc: Update requires Replacement"),
        ],
        "AWS::RDS::DBCluster": [
            "EngineVersion": Patch(.interruption, "DBCluster doc: Update requires some interruptions (version upgrade)"),
            "DBClusterParameterGroupName": Patch(.interruption, "DBCluster doc: Update requires some interruptions"),
            "BackupRetentionPeriod": Patch(.none, "DBCluster doc: Update requires no interruption"),
            "SnapshotIdentifier": Patch(.will, "DBCluster doc: a different snapshot restores a new cluster",
                onRemoval: (.will, "removing SnapshotIdentifier after a restore creates an empty cluster and deletes the restored one")),
        ],
        // The KMS Key page: the table says Replacement, the text that the update fails.
        "AWS::KMS::Key": [
            "KeySpec": Patch(.fails, kmsImmutable("KeySpec")),
            "KeyUsage": Patch(.fails, kmsImmutable("KeyUsage")),
            "MultiRegion": Patch(.fails, kmsImmutable("MultiRegion")),
        ],
    ]
}
