import FormworkRuleKit
import FormworkTemplate

/// RDS-03: Multi-AZ on standalone instances.
struct MultiAZ: Rule {
    static let description = RuleDescription(
        id: "RDS-03", name: "multi-az", family: .rds, severity: .error,
        rationale: "A standalone instance survives the loss of a zone only with MultiAZ: true; with MultiAZ, AvailabilityZone must be left out (RDS picks the zones). Read replicas and Aurora members are exempt: for them Multi-AZ is a cost decision, not a defect (checkov and cfn-guard flag them anyway).",
        peers: [.checkov("CKV_AWS_157")],
        triggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MultiAZ: ↓false\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MultiAZ: true\n      AvailabilityZone: ↓us-east-1a\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MultiAZ: true\n",
            "Resources:\n  Replica:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      SourceDBInstanceIdentifier: !Ref Primary\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.isStandaloneDatabase {
            let path = Places.resourcePath(resource, .key("Properties"), .key("MultiAZ"))
            var canBeMultiAZ = false
            for candidate in context.values.candidates(resource.properties?["MultiAZ"]) {
                switch candidate {
                case .literal(let value, let via):
                    if value.isTrue { canBeMultiAZ = true } else {
                        context.report("\(resource.logicalID) can run in one zone (MultiAZ \((value.scalarText ?? "?"))\(via.map { ", \($0)" } ?? ""))", at: value.location, path: path, hint: "MultiAZ: true", via: via)
                    }
                case .absent:
                    context.report("\(resource.logicalID) runs in one zone (MultiAZ is not set)", at: resource.keyLocation, path: path, hint: "MultiAZ: true")
                case .unresolved(let value, let reason):
                    context.report("\(resource.logicalID) MultiAZ cannot be resolved (\(reason))", at: value.location, path: path)
                }
            }
            if canBeMultiAZ, let zone = resource.properties?["AvailabilityZone"] {
                context.report("\(resource.logicalID) sets AvailabilityZone with MultiAZ: RDS chooses the zones", at: zone.location,
                               path: Places.resourcePath(resource, .key("Properties"), .key("AvailabilityZone")))
            }
        }
    }
}

/// RDS-07: enhanced monitoring at a valid interval, with its role.
struct EnhancedMonitoring: Rule {
    static let intervals: Set<Double> = [0, 1, 5, 10, 15, 30, 60]

    static let description = RuleDescription(
        id: "RDS-07", name: "enhanced-monitoring", family: .rds, severity: .error,
        rationale: "MonitoringInterval must be one of 0, 1, 5, 10, 15, 30 or 60 (cfn-lint accepts 45, and the deployment fails); a non-zero interval needs MonitoringRoleArn, and the house wants it on. Every value a parameter allows is checked. Aurora sets it per instance: every member of a cluster needs it too.",
        peers: [.checkov("CKV_AWS_118")],
        triggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MonitoringInterval: ↓45\n",
            "Parameters:\n  Interval:\n    Type: Number\n    AllowedValues: [↓0, 60]\nResources:\n  ↓Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MonitoringInterval: !Ref Interval\n",
            "Resources:\n  ↓Member:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: orders\n      DBInstanceClass: db.r6g.large\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MonitoringInterval: 60\n      MonitoringRoleArn: !GetAtt MonitoringRole.Arn\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.isStandaloneDatabase || resource.isReadReplica || resource.isClusterMember {
            let properties = resource.properties ?? ObjectMap()
            let path = Places.resourcePath(resource, .key("Properties"), .key("MonitoringInterval"))
            var positive = false
            for candidate in context.values.candidates(properties["MonitoringInterval"]) {
                switch candidate {
                case .literal(let value, let via):
                    guard let interval = value.numberValue else { continue }
                    if !Self.intervals.contains(interval) {
                        context.report("\(resource.logicalID) MonitoringInterval \((value.scalarText ?? "?")) is not one of 0, 1, 5, 10, 15, 30, 60", at: value.location, path: path)
                    } else if interval == 0 {
                        context.report("\(resource.logicalID) can run without enhanced monitoring (MonitoringInterval 0\(via.map { ", \($0)" } ?? ""))", at: value.location, path: path, hint: "MonitoringInterval: 60", via: via)
                    } else {
                        positive = true
                    }
                case .absent:
                    context.report("\(resource.logicalID) has no enhanced monitoring", at: resource.keyLocation, path: path, hint: "MonitoringInterval: 60 with MonitoringRoleArn")
                case .unresolved(let value, let reason):
                    context.report("\(resource.logicalID) MonitoringInterval cannot be resolved (\(reason))", at: value.location, path: path)
                }
            }
            if positive, properties["MonitoringRoleArn"] == nil {
                context.report("\(resource.logicalID) has a MonitoringInterval but no MonitoringRoleArn", at: resource.keyLocation,
                               path: Places.resourcePath(resource, .key("Properties"), .key("MonitoringRoleArn")))
            }
        }
    }
}

/// RDS-15: the shape of a read replica.
struct ReplicaShape: Rule {
    static let inherited = ["BackupRetentionPeriod", "DBName", "MasterUsername", "MasterUserPassword", "PreferredBackupWindow", "DBSnapshotIdentifier", "StorageEncrypted"]

    static let description = RuleDescription(
        id: "RDS-15", name: "replica-shape", family: .rds, severity: .error,
        rationale: "A read replica inherits its backups, name, credentials and encryption from its source, so CloudFormation's DBInstance doc says not to set them; and it must set VPCSecurityGroups explicitly, or the next stack update moves it to the VPC's default security group. Findings here are about what a replica must or must not set: nothing a replica cannot set is demanded of it.",
        triggering: [
            "Resources:\n  ↓Replica:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      SourceDBInstanceIdentifier: !Ref Primary\n      StorageEncrypted: ↓true\n",
        ],
        nonTriggering: [
            "Resources:\n  Replica:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      SourceDBInstanceIdentifier: !Ref Primary\n      VPCSecurityGroups: [!Ref DatabaseGroup]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.isReadReplica {
            let properties = resource.properties ?? ObjectMap()
            if properties["VPCSecurityGroups"] == nil {
                context.report("the read replica \(resource.logicalID) sets no VPCSecurityGroups: the next update moves it to the VPC's default security group",
                               at: resource.keyLocation, path: Places.resourcePath(resource, .key("Properties"), .key("VPCSecurityGroups")),
                               hint: "list the database security group, as on the source")
            }
            for name in Self.inherited {
                guard let value = properties[name] else { continue }
                context.report("the read replica \(resource.logicalID) sets \(name), which it inherits from its source", at: value.location,
                               path: Places.resourcePath(resource, .key("Properties"), .key(name)), hint: "remove it")
            }
        }
    }
}

/// RDS-01: encrypted storage with a customer-managed key.
struct StorageEncryption: Rule {
    static let description = RuleDescription(
        id: "RDS-01", name: "storage-encryption", family: .rds, severity: .error,
        rationale: "Standalone instances and clusters encrypt their storage with a customer-managed key (StorageEncrypted: true and KmsKeyId). Replicas inherit encryption and must not set StorageEncrypted (RDS-15); a replica in another region must name a key of its own region. checkov and cfn-guard flag replicas here; this rule does not.",
        cfnLint: ["E3720"],
        peers: [.checkov("CKV_AWS_16"), .checkov("CKV_AWS_96")],
        triggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageEncrypted: ↓false\n",
            "Resources:\n  ↓Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageEncrypted: true\n",
            // One finding for a cluster that may be unencrypted: its key is judged once it is always encrypted.
            "Conditions:\n  Encrypt: !Equals [!Ref AWS::Region, eu-west-1]\nResources:\n  Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      StorageEncrypted: !If [Encrypt, true, ↓false]\n",
            "Resources:\n  ↓Replica:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      SourceDBInstanceIdentifier: arn:aws:rds:eu-west-1:123456789012:db:primary\n      SourceRegion: eu-west-1\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageEncrypted: true\n      KmsKeyId: !Ref Key\n",
            "Resources:\n  Replica:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      SourceDBInstanceIdentifier: !Ref Primary\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources {
            let properties = resource.properties ?? ObjectMap()
            if resource.isReadReplica {
                // Cross-region: the source is an ARN or SourceRegion is set; the key must be the replica region's.
                let crossRegion = properties["SourceRegion"] != nil || (properties["SourceDBInstanceIdentifier"]?.stringValue?.hasPrefix("arn:") ?? false)
                if crossRegion, properties["KmsKeyId"] == nil {
                    context.report("the cross-region replica \(resource.logicalID) names no KmsKeyId of its own region", at: resource.keyLocation,
                                   path: Places.resourcePath(resource, .key("Properties"), .key("KmsKeyId")))
                }
                continue
            }
            guard resource.isStandaloneDatabase || resource.type == "AWS::RDS::DBCluster" else { continue }
            let path = Places.resourcePath(resource, .key("Properties"), .key("StorageEncrypted"))
            // The key is judged only where every value encrypts: one that may not is the finding.
            var alwaysEncrypted = true
            for candidate in context.values.candidates(properties["StorageEncrypted"]) {
                switch candidate {
                case .literal(let value, let via):
                    if !value.isTrue {
                        alwaysEncrypted = false
                        context.report("\(resource.logicalID) can store data unencrypted\(via.map { " (\($0))" } ?? "")", at: value.location, path: path, hint: "StorageEncrypted: true", via: via)
                    }
                case .absent:
                    alwaysEncrypted = false
                    context.report("\(resource.logicalID) stores data unencrypted (StorageEncrypted is not set)", at: resource.keyLocation, path: path, hint: "StorageEncrypted: true")
                case .unresolved(let value, let reason):
                    alwaysEncrypted = false
                    context.report("\(resource.logicalID) StorageEncrypted cannot be resolved (\(reason))", at: value.location, path: path)
                }
            }
            if alwaysEncrypted, properties["KmsKeyId"] == nil {
                context.report("\(resource.logicalID) encrypts with the AWS-managed key; name a customer-managed KmsKeyId", at: resource.keyLocation,
                               path: Places.resourcePath(resource, .key("Properties"), .key("KmsKeyId")))
            }
        }
    }
}

/// RDS-02: databases are not reachable from the internet.
struct NotPubliclyAccessible: Rule {
    static let description = RuleDescription(
        id: "RDS-02", name: "not-publicly-accessible", family: .rds, severity: .error,
        rationale: "PubliclyAccessible defaults depend on the subnet group (true in a default VPC); say false explicitly. Every value a parameter allows is checked.",
        peers: [.checkov("CKV_AWS_17")],
        triggering: [
            "Resources:\n  ↓Primary:\n    Type: AWS::RDS::DBInstance\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      PubliclyAccessible: ↓true\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      PubliclyAccessible: false\n",
            "Resources:\n  Member:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: !Ref Cluster\n      PubliclyAccessible: false\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.type == "AWS::RDS::DBInstance" {
            let path = Places.resourcePath(resource, .key("Properties"), .key("PubliclyAccessible"))
            for candidate in context.values.candidates(resource.properties?["PubliclyAccessible"]) {
                switch candidate {
                case .literal(let value, let via) where value.isTrue:
                    context.report("\(resource.logicalID) can be reachable from the internet\(via.map { " (\($0))" } ?? "")", at: value.location, path: path, hint: "PubliclyAccessible: false", via: via)
                case .absent:
                    context.report("\(resource.logicalID) leaves PubliclyAccessible to the subnet group's default", at: resource.keyLocation, path: path, hint: "PubliclyAccessible: false")
                case .unresolved(let value, let reason):
                    context.report("\(resource.logicalID) PubliclyAccessible cannot be resolved (\(reason))", at: value.location, path: path)
                default:
                    break
                }
            }
        }
    }
}

/// RDS-04: backups kept, explicitly, on what owns them.
struct BackupRetention: Rule {
    static let description = RuleDescription(
        id: "RDS-04", name: "backup-retention", family: .rds, severity: .error,
        rationale: "Standalone instances and clusters keep automated backups for an explicit 1 to 35 days (0 disables them, and a replica's source must have them); replicas and Aurora members must not set it (they inherit it, and CloudFormation rejects it on members).",
        cfnLint: ["E3719", "I3013"],
        triggering: [
            "Resources:\n  ↓Primary:\n    Type: AWS::RDS::DBInstance\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      BackupRetentionPeriod: ↓0\n",
            "Resources:\n  Member:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: !Ref Cluster\n      BackupRetentionPeriod: ↓7\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      BackupRetentionPeriod: 7\n",
            "Resources:\n  Replica:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      SourceDBInstanceIdentifier: !Ref Primary\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources {
            let value = resource.properties?["BackupRetentionPeriod"]
            let path = Places.resourcePath(resource, .key("Properties"), .key("BackupRetentionPeriod"))
            if resource.isClusterMember, let value {
                context.report("the cluster member \(resource.logicalID) sets BackupRetentionPeriod; the cluster owns its backups", at: value.location, path: path)
                continue
            }
            guard resource.isStandaloneDatabase || resource.type == "AWS::RDS::DBCluster" else { continue }
            for candidate in context.values.candidates(value) {
                switch candidate {
                case .literal(let literal, let via):
                    guard let days = literal.numberValue else { continue }
                    if days < 1 || days > 35 {
                        context.report("\(resource.logicalID) keeps backups for \((literal.scalarText ?? "?")) days\(via.map { " (\($0))" } ?? ""); 1 to 35 are allowed, and 0 disables them", at: literal.location, path: path, via: via)
                    } else if let required = context.configuration.rds.backupRetentionDays, days.checkedInt != required {
                        context.report("\(resource.logicalID) keeps backups for \((literal.scalarText ?? "?")) days\(via.map { " (\($0))" } ?? ""); the \(context.configuration.name) profile requires \(required)", at: literal.location, path: path, via: via)
                    }
                case .absent:
                    context.report("\(resource.logicalID) does not say how long to keep backups (CloudFormation's default is 1 day)", at: resource.keyLocation, path: path, hint: "BackupRetentionPeriod: 7")
                case .unresolved(let literal, let reason):
                    context.report("\(resource.logicalID) BackupRetentionPeriod cannot be resolved (\(reason))", at: literal.location, path: path)
                }
            }
        }
    }
}

/// RDS-06: Performance Insights on, with a retention RDS accepts.
struct PerformanceInsights: Rule {
    static let description = RuleDescription(
        id: "RDS-06", name: "performance-insights", family: .rds, severity: .error,
        rationale: "Performance Insights shows what a database is waiting on; its retention must be 7, 31 times 1 to 23, or 731 days. Aurora turns it on per instance, so every member of a cluster needs it too.",
        cfnLint: ["E3030"],
        triggering: [
            "Resources:\n  ↓Primary:\n    Type: AWS::RDS::DBInstance\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      EnablePerformanceInsights: true\n      PerformanceInsightsRetentionPeriod: ↓30\n",
            "Resources:\n  Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-postgresql\n  ↓Member:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: !Ref Cluster\n      DBInstanceClass: db.r6g.large\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      EnablePerformanceInsights: true\n      PerformanceInsightsRetentionPeriod: 7\n",
        ])

    static let retentions: Set<Double> = Set([7, 731] + (1...23).map { Double(31 * $0) })

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.isStandaloneDatabase || resource.isReadReplica || resource.isClusterMember {
            let properties = resource.properties ?? ObjectMap()
            let enabled = context.values.candidates(properties["EnablePerformanceInsights"]).allSatisfy {
                if case .literal(let value, _) = $0 { return value.isTrue }
                return false
            }
            if !enabled {
                context.report("\(resource.logicalID) can run without Performance Insights", at: properties["EnablePerformanceInsights"]?.location ?? resource.keyLocation,
                               path: Places.resourcePath(resource, .key("Properties"), .key("EnablePerformanceInsights")), hint: "EnablePerformanceInsights: true")
            }
            for candidate in context.values.candidates(properties["PerformanceInsightsRetentionPeriod"]) {
                if case .literal(let value, _) = candidate, let days = value.numberValue, !Self.retentions.contains(days) {
                    context.report("\(resource.logicalID) PerformanceInsightsRetentionPeriod \((value.scalarText ?? "?")) is not 7, a multiple of 31 up to 713, or 731", at: value.location,
                                   path: Places.resourcePath(resource, .key("Properties"), .key("PerformanceInsightsRetentionPeriod")))
                }
            }
        }
    }
}


/// RDS-12 and RDS-13: the instance class and engine version the profile chose.
struct InstanceClassPolicy: Rule {
    static let description = RuleDescription(
        id: "RDS-12", name: "instance-class", family: .rds, severity: .warning,
        rationale: "A team sizes each database on purpose and lists the classes in its profile (`instanceClasses` in .formwork.yml): an instance whose class, or any class its parameter allows, is outside the list is a different system. Classes that do not exist are cfn-lint's E3025.",
        cfnLint: [],
        triggering: [
            "Metadata:\n  formwork: {settings: {instanceClasses: [db.r6g.large]}}\nResources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: ↓db.t3.medium\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: db.t3.medium\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let allowed = context.configuration.rds.instanceClasses
        guard !allowed.isEmpty else { return }
        for resource in template.resources where resource.type == "AWS::RDS::DBInstance" {
            for candidate in context.values.candidates(resource.properties?["DBInstanceClass"]) {
                guard case .literal(let value, let via) = candidate, let name = value.stringValue, !allowed.contains(name) else { continue }
                context.report("\(resource.logicalID) can run on \(name)\(via.map { " (\($0))" } ?? ""); the \(context.configuration.name) profile allows \(allowed.joined(separator: ", "))",
                               at: value.location, path: Places.resourcePath(resource, .key("Properties"), .key("DBInstanceClass")), via: via)
            }
        }
    }
}

struct EngineMajorVersion: Rule {
    static let description = RuleDescription(
        id: "RDS-13", name: "engine-version", family: .rds, severity: .warning,
        rationale: "A system's PostgreSQL major version is a decision, recorded in its profile (`engineMajorVersion` in .formwork.yml): its parameter group family, rds.force_ssl's default and its extensions follow from it. The version is pinned to a minor that cfn-lint does not flag as deprecated (W3691); minor upgrades come through AutoMinorVersionUpgrade.",
        cfnLint: ["W3691"],
        triggering: [
            "Metadata:\n  formwork: {settings: {engineMajorVersion: 14}}\nResources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      EngineVersion: ↓'16.6'\n",
        ],
        nonTriggering: [
            "Metadata:\n  formwork: {settings: {engineMajorVersion: 14}}\nResources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      EngineVersion: '14.17'\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        guard let major = context.configuration.rds.engineMajorVersion else { return }
        for resource in template.resources where resource.isStandaloneDatabase {
            for candidate in context.values.candidates(resource.properties?["EngineVersion"]) {
                guard case .literal(let value, let via) = candidate, let version = value.scalarText,
                      let found = version.split(separator: ".").first.flatMap({ Int($0) }), found != major else { continue }
                context.report("\(resource.logicalID) runs PostgreSQL \(version)\(via.map { " (\($0))" } ?? ""); the \(context.configuration.name) profile runs \(major)", at: value.location,
                               path: Places.resourcePath(resource, .key("Properties"), .key("EngineVersion")), via: via)
            }
        }
    }
}
