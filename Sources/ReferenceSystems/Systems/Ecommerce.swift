import Formwork
import FormworkCloudWatch
import FormworkIAM

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
        let system = SystemStack(
            system: "ecommerce",
            description: "E-commerce PostgreSQL 16 on RDS: Multi-AZ primary, two read replicas, KMS encryption, Performance Insights, CloudWatch alarms on SNS, S3 backup exports. Compiled by Formwork from Sources/ReferenceSystems/Systems/Ecommerce.swift",
            // Seed 004 tags Name, Environment and Role; Role is the instances' own role, and
            // "database" on everything else.
            tags: [("Role", "database")])
        let stack = system.stack
        system.alerting()
        var options = Network.Options()
        options.publicSubnetsWithNAT = true
        let network = Network(system, options)
        let key = EncryptionKey(system, usedBy: "database, backup and Performance Insights")
        var spec = DatabaseSpec(.m5Large, engineVersion: "16.6")
        spec.maxAllocatedStorageGiB = 1000
        spec.databaseName = "ecommercedb"
        let foundation = DatabaseFoundation(system, network: network, spec: spec)
        let primary = system.primaryDatabase(foundation: foundation, key: key)
        let replicas = (1...2).map { index in
            system.replicaDatabase(id: "ReadReplica\(index)", purpose: "db-replica-\(index)", source: .sameRegion(primary.handle),
                                   foundation: foundation, key: key, availabilityZone: index - 1)
        }
        var policy = AlarmPolicy()
        policy.cpuPercent = 75
        system.primaryAlarms(primary, spec: spec, policy: policy)
        for (index, replica) in replicas.enumerated() {
            system.replicaAlarms(replica, prefix: "Replica\(index + 1)", purpose: "replica-\(index + 1)", policy: policy)
        }
        system.databaseEvents([primary] + replicas)
        let bucket = system.backupBucket(key: key)
        let exportRole = stack.add("RDSExportRole", IAM.Role(assumeRolePolicyDocument: Policies.trust("export.rds.amazonaws.com")) {
            $0.description = "Lets RDS export snapshots to the backup bucket"
            $0.policies = [IAM.Role.Policy(policyDocument: Policies.document([
                Policies.allow(["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], ["\(bucket.arn)/*"], sid: "WriteExports"),
                Policies.allow(["s3:ListBucket", "s3:GetBucketLocation"], [bucket.arn], sid: "ListTheBucket"),
                Policies.allow(["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey", "kms:CreateGrant"], [key.arn], sid: "UseTheKey"),
            ]), policyName: "snapshot-export")]
            $0.roleName = system.name("rds-export")
            $0.tags = system.tags(name: "rds-export")
        })
        stack.add("MonitoringDashboard", CloudWatch.Dashboard(dashboardBody: Dashboard.body(primary: primary, replicas: replicas)) {
            $0.dashboardName = system.name("db")
        })

        Outputs.database(system, primary, network: network, key: key)
        for (index, replica) in replicas.enumerated() {
            stack.output("ReadReplica\(index + 1)Endpoint", replica.handle.endpointAddress, description: "Read replica \(index + 1)")
        }
        stack.output("DBSecurityGroupId", foundation.securityGroup.groupId, description: "The database's security group")
        stack.output("DBSecretArn", "\(primary.handle.attribute("MasterUserSecret.SecretArn") as Value<String>)", description: "The master credentials, managed and rotated by RDS")
        stack.output("BackupBucketName", bucket.ref, description: "Snapshot exports and backups")
        stack.output("RDSExportRoleArn", exportRole.arn, description: "The role for start-export-task")
        stack.output("PrimaryDBResourceId", primary.handle.dbiResourceId, description: "For rds-db:connect policies (IAM database authentication)")
        stack.output("CloudWatchDashboardURL", "https://console.\(Pseudo.urlSuffix)/cloudwatch/home?region=\(Pseudo.region)#dashboards:name=\(system.name("db"))", description: "The dashboard")
        return stack
    }
}

/// The dashboard body: JSON text with the instances' identifiers substituted.
enum Dashboard {
    static func body(primary: DatabaseInstance, replicas: [DatabaseInstance]) -> Value<String> {
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
