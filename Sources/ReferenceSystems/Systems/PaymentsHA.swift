import Formwork

/// Seed 001: high-availability PostgreSQL 14 for payments: Multi-AZ db.r6g.xlarge, a
/// customer-managed key, a versioned backup bucket that deletes with the stack, a VPC with
/// public and private subnets and one NAT gateway, interface endpoints for RDS, SNS,
/// CloudWatch Logs and EventBridge, TLS only, alarms on SNS.
enum PaymentsHA {
    static let system = System(
        name: "payments-ha", summary: "payments PostgreSQL 14: Multi-AZ db.r6g.xlarge, CMK, backup bucket, public/private VPC with NAT and endpoints, TLS only",
        profile: Profiles.paymentsHA, manifestInfo: seed("001_ae93fd8ab36c23fe.txt")) { [AppStack(file: "TapStack", stack: make())] }

    static func make() -> Stack {
        let system = SystemStack(
            system: "payments-ha",
            description: "Payments PostgreSQL 14 on RDS, Multi-AZ in a private VPC: compiled by Formwork from Sources/ReferenceSystems/Systems/PaymentsHA.swift")
        system.alerting()
        var options = Network.Options()
        options.publicSubnetsWithNAT = true
        options.interfaceEndpoints = ["rds", "sns", "logs", "events"]
        let network = Network(system, options)
        let key = EncryptionKey(system, usedBy: "database and backup")
        var spec = DatabaseSpec(.r6gXLarge, engineVersion: "14.17")
        spec.databaseName = "payments"
        let foundation = DatabaseFoundation(system, network: network, spec: spec)
        let primary = system.primaryDatabase(foundation: foundation, key: key)
        system.primaryAlarms(primary, spec: spec, policy: AlarmPolicy())
        system.databaseEvents([primary])
        let bucket = system.backupBucket(key: key)
        Outputs.database(system, primary, network: network, key: key)
        system.stack.output("BackupBucketName", bucket.ref, description: "Versioned, encrypted backups and exports")
        return system.stack
    }
}
