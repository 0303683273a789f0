import Formwork
import FormworkConstructs

/// The shape the two multi-region systems share: a primary stack and a standby stack in
/// another region, with a cross-region read replica, S3 cross-region replication, RDS
/// automated-backup replication, and the failover machinery in the standby region.
///
/// The stacks need each other's resources both ways (the replica needs the primary; the
/// primary's backup and bucket replication need the standby's key and bucket), so the
/// standby is deployed twice: first its landing zone (key, bucket, network, topic; the
/// replica and the failover machinery wait for `PrimaryDatabaseArn`), then the primary,
/// then the standby again with the primary's outputs. manifest.json says so.
struct MultiRegionSystem: Sendable {
    var system: String
    var profile: Profile
    var primaryRegion: String
    var standbyRegion: String
    var instanceClass: DatabaseClass
    var engineVersion: String
    var allocatedStorageGiB = 100
    var maxStorageGiB = 500
    /// Seed 003: master credentials from an existing secret (fetch, do not create).
    var existingSecret = false
    var backupReplicationDays: Int
    /// The tags besides Environment, by role ("primary", "standby").
    var tags: @Sendable (_ role: String) -> KeyValuePairs<String, Value<String>>
    var describe: @Sendable (_ role: String) -> String

    func templates() -> [AppStack] {
        [AppStack(file: "TapStack.\(primaryRegion)", region: primaryRegion, role: "primary", stack: primary()),
         AppStack(file: "TapStack.\(standbyRegion)", region: standbyRegion, role: "standby", stack: standby())]
    }

    private func base(_ role: String, secondOctet: Int, keyUsedBy: String) -> SystemScope {
        SystemScope(system, profile: profile, keyUsedBy: keyUsedBy, description: describe(role),
                    tags: tags(role), secondOctet: secondOctet, separateRecoveryTopic: true)
    }

    func primary() -> Stack {
        // Seed 002: topics for failures and for recoveries, in both regions.
        let base = base("primary", secondOctet: 0, keyUsedBy: "database and backup")
        let stack = base.stack
        let standbyRegion = stack.parameter("StandbyRegion", .string(
            description: "The standby region (manifest.json), where backups and objects are replicated",
            allowedPattern: "^[a-z]{2}(-[a-z]+)+-[0-9]$", constraintDescription: "a region name")).ref
        let standbyKey = stack.parameter("StandbyKeyArn", .string(
            description: "The standby stack's KMS key (output KMSKeyArn): encrypts replicated backups and objects there",
            allowedPattern: "^arn:[a-z-]+:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", constraintDescription: "a KMS key ARN")).ref
        let standbyBucket = stack.parameter("StandbyBucketArn", .string(
            description: "The standby stack's backup bucket (output BackupBucketArn)",
            allowedPattern: "^arn:[a-z-]+:s3:::.+$", constraintDescription: "an S3 bucket ARN")).ref
        let secret = existingSecret ? stack.parameter("DatabaseSecretArn", .string(
            description: "ARN of the existing Secrets Manager secret with the master username and password (keys username and password)",
            allowedPattern: "^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$",
            constraintDescription: "a Secrets Manager secret ARN")).ref : nil
        let primary = PostgresInstance(base.scope, "PrimaryDB", purpose: "db-primary", network: base.network, instanceClass: instanceClass,
                                       engineVersion: engineVersion, key: base.key, allocatedStorageGiB: allocatedStorageGiB, maxAllocatedStorageGiB: maxStorageGiB,
                                       credentials: secret.map { .existingSecret(arn: $0) } ?? .managedByRDS)
        primary.replicateBackups(toRegion: standbyRegion, key: standbyKey, retentionDays: backupReplicationDays)
        _ = DatabaseAlarms(base.scope, for: primary, topic: base.alarms, okTopic: base.recoveries)
        let bucket = BackupBucket(base.scope, "BackupBucket", key: base.key, replicateTo: .init(bucketArn: standbyBucket, kmsKeyArn: standbyKey))
        base.outputs(primary)
        stack.output("BackupBucketArn", bucket.arn, description: "Versioned, encrypted backups, replicated to the standby region")
        stack.output("RecoveryTopicArn", base.recoveries.arn, description: "Recoveries: alarms back to OK")
        return stack
    }

    func standby() -> Stack {
        let base = base("standby", secondOctet: 1, keyUsedBy: "replica and backup")
        let stack = base.stack
        let primaryArn = stack.parameter("PrimaryDatabaseArn", .string(
            description: "The primary stack's PrimaryDBArn output; empty on the first deployment (landing zone only)",
            default: "", allowedPattern: "^(arn:[a-z-]+:rds:[a-z0-9-]+:[0-9]{12}:db:[a-z0-9-]+)?$", constraintDescription: "empty or a DB instance ARN")).ref
        let primaryEndpoint = stack.parameter("PrimaryDatabaseEndpoint", .string(
            description: "The primary stack's PrimaryDBEndpoint output", default: "",
            allowedPattern: "^[a-z0-9.-]*$", maxLength: 255, constraintDescription: "a DNS name")).ref
        let primaryRegion = stack.parameter("PrimaryRegion", .string(
            description: "The primary's region (manifest.json)",
            allowedPattern: "^[a-z]{2}(-[a-z]+)+-[0-9]$", constraintDescription: "a region name")).ref
        let primaryDeployed = stack.condition("PrimaryDeployed", .not(.equals(primaryArn, "")))
        // The landing zone (key, bucket, network, topics) always; the rest once the primary exists.
        let bucket = BackupBucket(base.scope, "BackupBucket", key: base.key)
        let scope = base.scope.when(primaryDeployed)
        let replica = PostgresReadReplica(scope, "StandbyDB", purpose: "db-standby", sourceArn: primaryArn, sourceRegion: primaryRegion,
                                          network: base.network, instanceClass: instanceClass, engineVersion: engineVersion, key: base.key)
        _ = DatabaseAlarms(scope, forStandby: replica, topic: base.alarms, okTopic: base.recoveries)
        Failover.add(to: base, scope, primaryIdentifier: base.scope.name("db-primary"), primaryArn: primaryArn, primaryRegion: primaryRegion,
                 primaryEndpoint: primaryEndpoint, replica: replica, backupRetentionDays: profile.rds.backupRetentionDays ?? 7)
        stack.output("KMSKeyArn", base.key.arn, description: "Encrypts the replica, replicated backups and replicated objects")
        stack.output("BackupBucketArn", bucket.arn, description: "Receives the primary bucket's replication")
        stack.output("StandbyDBEndpoint", replica.endpoint, description: "The cross-region replica", condition: primaryDeployed)
        stack.output("AlarmTopicArn", base.alarms.arn, description: "Failures: alarms, RDS events, failover")
        stack.output("RecoveryTopicArn", base.recoveries.arn, description: "Recoveries: alarms back to OK")
        return stack
    }

    func deployment() -> Deployment {
        Deployment(
            stacks: [Deployment.StackEntry(role: "primary", region: primaryRegion, stackName: "\(system)-primary-${EnvironmentSuffix}"),
                     Deployment.StackEntry(role: "standby", region: standbyRegion, stackName: "\(system)-standby-${EnvironmentSuffix}")],
            steps: [
                Deployment.Step(role: "standby", inputs: [Deployment.Input(parameter: "PrimaryRegion", fromRole: "primary", output: nil)],
                                why: "the landing zone: key, bucket, network, topics; the replica and the failover machinery wait for PrimaryDatabaseArn"),
                Deployment.Step(role: "primary", inputs: [
                    Deployment.Input(parameter: "StandbyRegion", fromRole: "standby", output: nil),
                    Deployment.Input(parameter: "StandbyKeyArn", fromRole: "standby", output: "KMSKeyArn"),
                    Deployment.Input(parameter: "StandbyBucketArn", fromRole: "standby", output: "BackupBucketArn"),
                ], why: "the primary, replicating backups and objects to the standby's key and bucket"),
                Deployment.Step(role: "standby", inputs: [
                    Deployment.Input(parameter: "PrimaryRegion", fromRole: "primary", output: nil),
                    Deployment.Input(parameter: "PrimaryDatabaseArn", fromRole: "primary", output: "PrimaryDBArn"),
                    Deployment.Input(parameter: "PrimaryDatabaseEndpoint", fromRole: "primary", output: "PrimaryDBEndpoint"),
                ], why: "the cross-region replica, the failover records and the health monitor"),
            ],
            notes: [
                "Every stack also takes EnvironmentSuffix and AlertEmail; the standby takes HostedZoneId and HostedZoneName (the record is <system>-db-<suffix>.<zone>).",
                "Delete in reverse: the standby stack, then the primary (the replica must go before its source).",
                "After a failover the promoted replica is the primary and the PRIMARY record points at it; failing back is a new deployment with the roles swapped.",
            ])
    }
}

/// Seed 002: automated disaster recovery for PostgreSQL 14 on db.t3.medium: primary in
/// ap-southeast-2, standby in ap-southeast-1.
enum PostgresDR {
    static let definition = MultiRegionSystem(
        system: "postgres-dr", profile: Profiles.postgresDR, primaryRegion: "ap-southeast-2", standbyRegion: "ap-southeast-1",
        instanceClass: .t3Medium, engineVersion: "14.17", backupReplicationDays: 7,
        tags: { ["Owner": "platform-team", "DR-Role": .literal($0)] },
        describe: { role in "postgres-dr \(role) region: PostgreSQL 14 with a cross-region replica, health monitor and automated failover. Compiled by Formwork from Sources/ReferenceSystems/Systems/MultiRegion.swift" })

    static let system = System(
        name: "postgres-dr", summary: "automated DR: cross-region replica, backup and S3 replication, Route 53 failover, Lambda health monitor and failover",
        profile: Profiles.postgresDR, deployment: definition.deployment(), manifestInfo: seed("002_84e4e1ab23869401.txt")) { definition.templates() }
}

/// Seed 003: active-passive across us-east-1 and us-west-2 with Route 53 failover, under
/// the general deployment rules; master credentials from an existing secret.
enum ActivePassive {
    static let definition = MultiRegionSystem(
        system: "active-passive", profile: Profiles.activePassive, primaryRegion: "us-east-1", standbyRegion: "us-west-2",
        instanceClass: .t3Medium, engineVersion: "16.6", allocatedStorageGiB: 20, maxStorageGiB: 100, existingSecret: true,
        backupReplicationDays: 1, tags: { ["Project": "active-passive", "Role": .literal($0)] },
        describe: { role in "active-passive \(role) region: PostgreSQL 16 with a cross-region replica and Route 53 failover. Compiled by Formwork from Sources/ReferenceSystems/Systems/MultiRegion.swift" })

    static let system = System(
        name: "active-passive", summary: "multi-region active-passive: cross-region replica, Route 53 failover records and health checks, existing secret",
        profile: Profiles.activePassive, deployment: definition.deployment(), manifestInfo: seed("003_5c08f2e9d55c37fb.txt")) { definition.templates() }
}
