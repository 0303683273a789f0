import FormworkRuleKit
import FormworkTemplate

/// RDS-21: Aurora clusters and their member instances have the shape Aurora accepts.
struct AuroraShape: Rule {
    /// Instance properties the cluster manages: on a member they are rejected or ignored
    /// (the DBInstance doc says "Amazon Aurora: Not applicable" for each). Backup retention
    /// is RDS-04's.
    static let clusterManaged = [
        "AllocatedStorage", "MaxAllocatedStorage", "StorageType", "Iops", "StorageThroughput", "StorageEncrypted", "KmsKeyId",
        "MasterUsername", "MasterUserPassword", "ManageMasterUserPassword", "DBName", "MultiAZ", "PreferredBackupWindow",
        "VPCSecurityGroups", "EnableIAMDatabaseAuthentication", "DeletionProtection", "CopyTagsToSnapshot", "Port",
        "SourceDBInstanceIdentifier", "DBSnapshotIdentifier",
    ]

    static let description = RuleDescription(
        id: "RDS-21", name: "aurora-shape", family: .rds, severity: .error,
        rationale: "An Aurora member instance takes its storage, encryption, credentials, network, backups and protection from its cluster: setting them on the instance is rejected or silently ignored, and checkov and cfn-guard then judge the member as if it were a standalone instance. A member's Engine must be its cluster's; a db.serverless member needs the cluster's ServerlessV2ScalingConfiguration (MinCapacity at most MaxCapacity); Serverless v1 (EngineMode serverless) has reached its end of life. A cluster needs its Engine unless it is restored from a snapshot or cloned.",
        acrossResources: true,
        cfnLint: ["E3682", "E3707", "E3709"],
        triggering: [
            "Resources:\n  Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-postgresql\n  Member:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: !Ref Cluster\n      Engine: ↓aurora-mysql\n      DBInstanceClass: db.r6g.large\n      StorageEncrypted: ↓true\n",
            "Resources:\n  Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-postgresql\n  ↓Member:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: !Ref Cluster\n      Engine: aurora-postgresql\n      DBInstanceClass: db.serverless\n",
            "Resources:\n  ↓Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      DatabaseName: orders\n",
            "Resources:\n  Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-postgresql\n      EngineMode: ↓serverless\n      ServerlessV2ScalingConfiguration:\n        MinCapacity: ↓8\n        MaxCapacity: 2\n",
        ],
        nonTriggering: [
            "Resources:\n  Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-postgresql\n      StorageEncrypted: true\n      ServerlessV2ScalingConfiguration:\n        MinCapacity: 0.5\n        MaxCapacity: 8\n  Member:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: !Ref Cluster\n      Engine: aurora-postgresql\n      DBInstanceClass: db.serverless\n",
            "Resources:\n  Standalone:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      StorageEncrypted: true\n      MultiAZ: true\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let clusters = Dictionary(template.resources.filter { $0.type == "AWS::RDS::DBCluster" }.map { ($0.logicalID, $0) }) { first, _ in first }
        for cluster in clusters.values.sorted(by: { $0.logicalID < $1.logicalID }) {
            let properties = cluster.properties ?? ObjectMap()
            // A cluster restored from a snapshot or cloned takes its source's engine.
            if properties["Engine"] == nil, properties["SnapshotIdentifier"] == nil, properties["SourceDBClusterIdentifier"] == nil {
                context.report("\(cluster.logicalID) has no Engine: CloudFormation requires it unless the cluster is restored from a snapshot or cloned",
                               at: cluster.keyLocation, path: Places.resourcePath(cluster), hint: "Engine: aurora-postgresql")
            }
            for candidate in context.values.candidates(properties["EngineMode"]) {
                if case .literal(let value, _) = candidate, value.stringValue == "serverless" {
                    context.report("\(cluster.logicalID) uses Aurora Serverless v1, which has reached its end of life", at: value.location,
                                   path: Places.resourcePath(cluster, .key("Properties"), .key("EngineMode")),
                                   hint: "EngineMode: provisioned with ServerlessV2ScalingConfiguration and db.serverless members")
                }
            }
            if let scaling = properties["ServerlessV2ScalingConfiguration"]?.objectValue,
               let minimum = scaling["MinCapacity"], let maximum = scaling["MaxCapacity"],
               let low = minimum.numberValue, let high = maximum.numberValue, low > high {
                context.report("\(cluster.logicalID) scales from \(minimum.scalarText ?? "?") ACUs to fewer, \(maximum.scalarText ?? "?")", at: minimum.location,
                               path: Places.resourcePath(cluster, .key("Properties"), .key("ServerlessV2ScalingConfiguration"), .key("MinCapacity")))
            }
        }
        for member in template.resources where member.isClusterMember {
            let properties = member.properties ?? ObjectMap()
            for name in Self.clusterManaged {
                guard let value = properties[name] else { continue }
                context.report("\(member.logicalID) is an Aurora member: \(name) belongs to its cluster", at: value.location,
                               path: Places.resourcePath(member, .key("Properties"), .key(name)), hint: "set \(name) on the DBCluster")
            }
            // The cluster in this template, when the member names it by Ref.
            guard let reference = properties["DBClusterIdentifier"]?.intrinsicValue, reference.name == .ref,
                  let clusterID = reference.argument.stringValue, let cluster = clusters[clusterID] else { continue }
            let clusterProperties = cluster.properties ?? ObjectMap()
            if let engine = properties["Engine"], let memberEngine = engine.stringValue,
               let clusterEngine = clusterProperties["Engine"]?.stringValue, memberEngine != clusterEngine {
                context.report("\(member.logicalID) Engine \(memberEngine) is not its cluster's (\(clusterEngine))", at: engine.location,
                               path: Places.resourcePath(member, .key("Properties"), .key("Engine")))
            }
            let serverless = context.values.candidates(properties["DBInstanceClass"]).contains {
                if case .literal(let value, _) = $0 { return value.stringValue == "db.serverless" }
                return false
            }
            if serverless, clusterProperties["ServerlessV2ScalingConfiguration"] == nil {
                context.report("\(member.logicalID) is db.serverless but \(clusterID) has no ServerlessV2ScalingConfiguration", at: member.keyLocation,
                               path: Places.resourcePath(member, .key("Properties"), .key("DBInstanceClass")),
                               hint: "ServerlessV2ScalingConfiguration: {MinCapacity: 0.5, MaxCapacity: 8} on the cluster")
            }
        }
    }
}
