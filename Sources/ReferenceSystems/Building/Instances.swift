import Formwork
import FormworkLogs
import FormworkRDS

/// A DB instance in a system, with what belongs to it: its log groups (declared, so that
/// stack deletion removes them: LC-06) and its alarms.
struct DatabaseInstance {
    let handle: ResourceHandle<RDS.DBInstance>
    let identifier: Value<String>
}

/// Where a read replica's source is.
enum ReplicaSource {
    /// An instance in the same template and region.
    case sameRegion(ResourceHandle<RDS.DBInstance>)
    /// An instance in another region: its ARN and region, both parameters fed from the
    /// primary stack's outputs (manifest.json).
    case crossRegion(arn: Value<String>, region: Value<String>)
}

extension SystemStack {
    /// The log groups RDS would create for the exported logs, declared so that they go with
    /// the stack, with a retention.
    func rdsLogGroups(idPrefix: String, identifier: Value<String>, days: Value<Int>, condition: Condition?) -> [any AnyResourceHandle] {
        let key = logKey()
        return ["postgresql", "upgrade"].map { log in
            stack.add("\(idPrefix)\(log.prefix(1).uppercased() + log.dropFirst())LogGroup", Logs.LogGroup {
                $0.kmsKeyId = key.arn
                $0.logGroupName = "/aws/rds/instance/\(identifier)/\(literal: log)"
                $0.retentionInDays = days
                $0.tags = tags()
            }, condition: condition, deletionPolicy: .delete, updateReplacePolicy: .delete)
        }
    }

    /// The primary: encrypted with the stack's key, Multi-AZ, private, backed up, with
    /// Performance Insights, Enhanced Monitoring and log exports, deleted with the stack.
    func primaryDatabase(
        id: String = "PrimaryDB", purpose: String = "db-primary", foundation: DatabaseFoundation, key: EncryptionKey,
        masterSecretArn: Value<String>? = nil, backupReplication: (region: Value<String>, kmsKeyArn: Value<String>, days: Int)? = nil,
        role: String = "primary"
    ) -> DatabaseInstance {
        let spec = foundation.spec
        let identifier = name(purpose)
        let logGroups = rdsLogGroups(idPrefix: id, identifier: identifier, days: spec.logRetentionDays, condition: nil)
        var properties = RDS.DBInstance()
        properties.dbInstanceIdentifier = identifier
        properties.engine = "postgres"
        properties.engineVersion = .literal(spec.engineVersion)
        properties.dbInstanceClass = .literal(spec.instanceClass.rawValue)
        properties.allocatedStorage = .literal(String(spec.allocatedStorageGiB))
        properties.maxAllocatedStorage = spec.maxAllocatedStorageGiB
        properties.storageType = "gp3"
        properties.storageEncrypted = true
        properties.kmsKeyId = key.arn
        properties.dbName = spec.databaseName
        switch spec.credentials {
        case .managedByRDS:
            properties.masterUsername = "dbadmin"
            properties.manageMasterUserPassword = true
            properties.masterUserSecret = RDS.DBInstance.MasterUserSecret { $0.kmsKeyId = key.arn }
        case .existingSecret:
            guard let secret = masterSecretArn else { preconditionFailure("a spec with an existing secret needs its ARN parameter") }
            properties.masterUsername = "{{resolve:secretsmanager:\(secret):SecretString:username}}"
            properties.masterUserPassword = "{{resolve:secretsmanager:\(secret):SecretString:password}}"
        }
        properties.dbSubnetGroupName = foundation.subnetGroup.ref
        properties.vpcSecurityGroups = [foundation.securityGroup.groupId]
        properties.dbParameterGroupName = foundation.parameterGroup.ref
        properties.multiAZ = true
        properties.publiclyAccessible = false
        properties.backupRetentionPeriod = .literal(spec.backupRetentionDays)
        properties.preferredBackupWindow = spec.backupWindow
        properties.preferredMaintenanceWindow = spec.maintenanceWindow
        if let backupReplication {
            properties.automaticBackupReplicationRegion = backupReplication.region
            properties.automaticBackupReplicationKmsKeyId = backupReplication.kmsKeyArn
            properties.automaticBackupReplicationRetentionPeriod = .literal(backupReplication.days)
        }
        applyObservability(&properties, spec: spec, foundation: foundation, key: key)
        properties.deletionProtection = false
        properties.deleteAutomatedBackups = true
        properties.tags = tags(name: purpose, [("Role", "\(role)")])
        let handle = stack.add(id, properties, dependsOn: logGroups, deletionPolicy: .delete, updateReplacePolicy: .delete)
        return DatabaseInstance(handle: handle, identifier: identifier)
    }

    /// A read replica: what a replica may set, and its security groups explicitly (without
    /// them CloudFormation reverts the replica to the VPC's default group on the next update).
    func replicaDatabase(
        id: String, purpose: String, source: ReplicaSource, foundation: DatabaseFoundation, key: EncryptionKey,
        availabilityZone: Int? = nil, multiAZ: Bool = false, condition: Condition? = nil, role: String = "read-replica"
    ) -> DatabaseInstance {
        // CloudFormation ignores a replica's DeletionPolicy (LC-04), except for a standby that
        // may be promoted: once standalone, the default would be a final snapshot.
        let mayBePromoted: Bool
        if case .crossRegion = source { mayBePromoted = true } else { mayBePromoted = false }
        let spec = foundation.spec
        let identifier = name(purpose)
        let logGroups = rdsLogGroups(idPrefix: id, identifier: identifier, days: spec.logRetentionDays, condition: condition)
        var properties = RDS.DBInstance()
        properties.dbInstanceIdentifier = identifier
        switch source {
        case .sameRegion(let primary):
            properties.sourceDBInstanceIdentifier = primary.ref
        case .crossRegion(let arn, let region):
            properties.sourceDBInstanceIdentifier = arn
            properties.sourceRegion = region
            // A cross-region replica lives in this region's VPC and is encrypted with this
            // region's key.
            properties.kmsKeyId = key.arn
            properties.dbSubnetGroupName = foundation.subnetGroup.ref
        }
        properties.dbInstanceClass = .literal(spec.instanceClass.rawValue)
        properties.dbParameterGroupName = foundation.parameterGroup.ref
        properties.vpcSecurityGroups = [foundation.securityGroup.groupId]
        properties.publiclyAccessible = false
        properties.storageType = "gp3"
        properties.maxAllocatedStorage = spec.maxAllocatedStorageGiB
        if let availabilityZone { properties.availabilityZone = .select(availabilityZone, from: .getAZs()) }
        if multiAZ { properties.multiAZ = true }
        applyObservability(&properties, spec: spec, foundation: foundation, key: key)
        properties.tags = tags(name: purpose, [("Role", "\(role)")])
        let handle = stack.add(id, properties, condition: condition, dependsOn: logGroups,
                               deletionPolicy: mayBePromoted ? .delete : nil, updateReplacePolicy: mayBePromoted ? .delete : nil,
                               metadata: mayBePromoted ? ["formwork": ["ignore": [["rule": "LC-04", "reason": "the standby is promoted on failover; standalone, it must not leave a final snapshot"]]]] : nil)
        return DatabaseInstance(handle: handle, identifier: identifier)
    }

    private func applyObservability(_ properties: inout RDS.DBInstance, spec: DatabaseSpec, foundation: DatabaseFoundation, key: EncryptionKey) {
        properties.enablePerformanceInsights = true
        properties.performanceInsightsKMSKeyId = key.arn
        properties.performanceInsightsRetentionPeriod = spec.performanceInsightsRetentionDays
        properties.monitoringInterval = spec.monitoringIntervalSeconds
        properties.monitoringRoleArn = foundation.monitoringRole.arn
        properties.enableCloudwatchLogsExports = ["postgresql", "upgrade"]
        properties.enableIAMDatabaseAuthentication = true
        properties.autoMinorVersionUpgrade = true
        properties.copyTagsToSnapshot = true
    }
}
