import FormworkTemplate

/// RDS-03: Multi-AZ on standalone instances.
struct MultiAZ: Rule {
    static let description = RuleDescription(
        id: "RDS-03", name: "multi-az", family: "rds", severity: .error,
        rationale: "A standalone instance survives the loss of a zone only with MultiAZ: true; with MultiAZ, AvailabilityZone must be left out (RDS picks the zones). Read replicas and Aurora members are exempt: for them Multi-AZ is a cost decision, not a defect (checkov and cfn-guard flag them anyway).",
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
                        context.report("\(resource.logicalID) can run in one zone (MultiAZ \(AlarmUnits.text(value))\(via.map { ", \($0)" } ?? ""))", at: value.location, path: path, hint: "MultiAZ: true")
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
        id: "RDS-07", name: "enhanced-monitoring", family: "rds", severity: .error,
        rationale: "MonitoringInterval must be one of 0, 1, 5, 10, 15, 30 or 60 (cfn-lint accepts 45, and the deployment fails); a non-zero interval needs MonitoringRoleArn, and the house wants it on. Every value a parameter allows is checked.",
        triggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MonitoringInterval: ↓45\n",
            "Parameters:\n  Interval:\n    Type: Number\n    AllowedValues: [↓0, 60]\nResources:\n  ↓Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MonitoringInterval: !Ref Interval\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MonitoringInterval: 60\n      MonitoringRoleArn: !GetAtt MonitoringRole.Arn\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.isStandaloneDatabase || resource.isReadReplica {
            let properties = resource.properties ?? ObjectMap()
            let path = Places.resourcePath(resource, .key("Properties"), .key("MonitoringInterval"))
            var positive = false
            for candidate in context.values.candidates(properties["MonitoringInterval"]) {
                switch candidate {
                case .literal(let value, let via):
                    guard let interval = AlarmUnits.number(value) else { continue }
                    if !Self.intervals.contains(interval) {
                        context.report("\(resource.logicalID) MonitoringInterval \(AlarmUnits.text(value)) is not one of 0, 1, 5, 10, 15, 30, 60", at: value.location, path: path)
                    } else if interval == 0 {
                        context.report("\(resource.logicalID) can run without enhanced monitoring (MonitoringInterval 0\(via.map { ", \($0)" } ?? ""))", at: value.location, path: path, hint: "MonitoringInterval: 60")
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
        id: "RDS-15", name: "replica-shape", family: "rds", severity: .error,
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
