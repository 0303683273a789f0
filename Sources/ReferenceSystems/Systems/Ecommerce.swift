import Formwork
import FormworkCloudWatch
import FormworkConstructs

/// Seed 004: the e-commerce TapStack.yml, corrected and re-expressed as a typed stack:
/// Multi-AZ primary and two read replicas in separate zones, gp3 storage with autoscaling,
/// one key for storage, backups and Performance Insights, backup bucket with exports,
/// alarms wired to SNS, a dashboard. Every change from the seed is listed in
/// templates/ecommerce/README.md and checked by a test.
enum Ecommerce {
    static let system = System(
        name: "ecommerce", summary: "the seed 004 TapStack.yml corrected: Multi-AZ primary, two replicas, KMS, S3 exports, alarms on SNS, dashboard",
        profile: Profiles.ecommerce, manifestInfo: seed("004_8dff4cf71fc8b86d.txt")) { [AppStack(file: "TapStack", stack: make())] }

    static func make() -> Stack {
        // Seed 004 tags Name, Environment and Role.
        let base = SystemScope("ecommerce", profile: Profiles.ecommerce, keyUsedBy: "database, backup and Performance Insights",
                               description: "E-commerce PostgreSQL 16 on RDS: Multi-AZ primary, two read replicas, KMS encryption, Performance Insights, CloudWatch alarms on SNS, S3 backup exports. Compiled by Formwork from Sources/ReferenceSystems/Systems/Ecommerce.swift",
                               tags: ["Role": "database"])
        let (scope, stack) = (base.scope, base.stack)
        let primary = base.primary(.m5Large, engineVersion: "16.6", maxStorageGiB: 1000, databaseName: "ecommercedb")
        let replicas = (1...2).map { PostgresReadReplica(of: primary, "ReadReplica\($0)", purpose: "db-replica-\($0)", availabilityZone: $0 - 1) }
        _ = DatabaseAlarms(scope, for: primary, replicas: replicas, topic: base.alarms)
        let bucket = BackupBucket(scope, "BackupBucket", key: base.key)
        // RDS's snapshot export writes to the bucket with this role, encrypted with the key.
        let exportRole = Role(scope, "RDSExportRole", purpose: "rds-export", assumedBy: ServicePrincipal("export.rds.amazonaws.com"),
                              description: "Lets RDS export snapshots to the backup bucket")
        bucket.grantRead(to: exportRole)
        bucket.grantWrite(to: exportRole)
        exportRole.allow(Statement(sid: "ManageExports", actions: [.s3.deleteObject, .s3.getBucketLocation], resources: [bucket.arn, bucket.objectsArn]))
        exportRole.allow(Statement(sid: "UseTheKey", actions: [.kms.encrypt, .kms.reEncryptFrom, .kms.reEncryptTo, .kms.generateDataKeyWithoutPlaintext,
                                                               .kms.describeKey, .kms.createGrant], resources: [base.key.arn]))
        stack.add("MonitoringDashboard", CloudWatch.Dashboard(dashboardBody: dashboard(primary: primary, replicas: replicas)) {
            $0.dashboardName = scope.name("db")
        })

        base.outputs(primary)
        for (index, replica) in replicas.enumerated() {
            stack.output("ReadReplica\(index + 1)Endpoint", replica.endpoint, description: "Read replica \(index + 1)")
        }
        stack.output("DBSecurityGroupId", primary.access.securityGroup.groupId, description: "The database's security group")
        stack.output("DBSecretArn", "\(primary.handle.attribute("MasterUserSecret.SecretArn") as Value<String>)", description: "The master credentials, managed and rotated by RDS")
        stack.output("BackupBucketName", bucket.handle.ref, description: "Snapshot exports and backups")
        stack.output("RDSExportRoleArn", exportRole.arn, description: "The role for start-export-task")
        stack.output("PrimaryDBResourceId", primary.handle.dbiResourceId, description: "For rds-db:connect policies (IAM database authentication)")
        stack.output("CloudWatchDashboardURL", "https://console.\(Pseudo.urlSuffix)/cloudwatch/home?region=\(Pseudo.region)#dashboards:name=\(scope.name("db"))", description: "The dashboard")
        return stack
    }

    /// The dashboard body: JSON text with the instances' identifiers substituted.
    static func dashboard(primary: PostgresInstance, replicas: [PostgresReadReplica]) -> Value<String> {
        func metric(_ name: String, _ id: String) -> String { "[\"AWS/RDS\", \"\(name)\", \"DBInstanceIdentifier\", \"${\(id)}\"]" }
        let ids = [primary.handle.logicalID] + replicas.map(\.handle.logicalID)
        func widget(_ title: String, _ metrics: [String], x: Int, y: Int) -> String {
            "{\"type\": \"metric\", \"x\": \(x), \"y\": \(y), \"width\": 12, \"height\": 6, \"properties\": {\"title\": \"\(title)\", \"region\": \"${AWS::Region}\", \"stat\": \"Average\", \"period\": 60, \"metrics\": [\(metrics.joined(separator: ", "))]}}"
        }
        let widgets = [
            widget("CPU utilization (%)", ids.map { metric("CPUUtilization", $0) }, x: 0, y: 0),
            widget("Connections", [metric("DatabaseConnections", ids[0])], x: 12, y: 0),
            widget("Read and write latency (s)", [metric("ReadLatency", ids[0]), metric("WriteLatency", ids[0])], x: 0, y: 6),
            widget("Replica lag (s)", replicas.map { metric("ReplicaLag", $0.handle.logicalID) }, x: 12, y: 6),
            widget("Free storage (bytes)", [metric("FreeStorageSpace", ids[0])], x: 0, y: 12),
        ]
        return .sub("{\"widgets\": [\(widgets.joined(separator: ", "))]}")
    }
}
