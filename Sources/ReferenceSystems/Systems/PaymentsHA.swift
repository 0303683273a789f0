import Formwork
import FormworkConstructs

/// Seed 001: high-availability PostgreSQL 14 for payments: Multi-AZ db.r6g.xlarge, a
/// customer-managed key, a versioned backup bucket that deletes with the stack, a VPC with
/// public and private subnets and one NAT gateway, interface endpoints for RDS, SNS,
/// CloudWatch Logs and EventBridge (the profile's `natGateways` and `vpcEndpoints`), TLS
/// only, alarms on SNS.
enum PaymentsHA {
    static let system = System(
        name: "payments-ha", summary: "payments PostgreSQL 14: Multi-AZ db.r6g.xlarge, CMK, backup bucket, public/private VPC with NAT and endpoints, TLS only",
        profile: Profiles.paymentsHA, manifestInfo: seed("001_ae93fd8ab36c23fe.txt")) { [AppStack(file: "TapStack", stack: make())] }

    static func make() -> Stack {
        let base = SystemScope("payments-ha", profile: Profiles.paymentsHA, keyUsedBy: "database and backup",
                               description: "Payments PostgreSQL 14 on RDS, Multi-AZ in a private VPC: compiled by Formwork from Sources/ReferenceSystems/Systems/PaymentsHA.swift")
        let primary = base.primary(.r6gXLarge, engineVersion: "14.17", databaseName: "payments")
        _ = DatabaseAlarms(base.scope, for: primary, topic: base.alarms)
        let bucket = BackupBucket(base.scope, "BackupBucket", key: base.key)
        base.outputs(primary)
        base.stack.output("BackupBucketName", bucket.handle.ref, description: "Versioned, encrypted backups and exports")
        return base.stack
    }
}
