import Formwork
import FormworkEC2
import FormworkIAM
import FormworkKMS
import FormworkRDS

/// How a system's PostgreSQL is built: the class (which fixes the tuning), the pinned
/// engine version, storage, backups and windows, and how the master credentials are kept.
struct DatabaseSpec: Sendable {
    var instanceClass: InstanceClass
    /// A pinned minor version (cfn-lint flags a bare major such as `14` as deprecated).
    /// RDS applies newer minors in the maintenance window (AutoMinorVersionUpgrade), and the
    /// pin is raised here when the fleet has moved.
    var engineVersion: String
    var allocatedStorageGiB = 100
    // Settings that go into the template as they are are template values.
    var maxAllocatedStorageGiB: Value<Int> = 500
    var backupRetentionDays = 7
    var backupWindow: Value<String> = "03:00-04:00"
    var maintenanceWindow: Value<String> = "sun:04:30-sun:05:30"
    var performanceInsightsRetentionDays: Value<Int> = 7
    var monitoringIntervalSeconds: Value<Int> = 60
    var credentials = Credentials.managedByRDS
    var databaseName: Value<String>?
    var logRetentionDays: Value<Int> = 30

    enum Credentials: Sendable {
        /// RDS creates and rotates the secret (ManageMasterUserPassword), encrypted with the
        /// stack's key: no password ever appears in the template.
        case managedByRDS
        /// An existing Secrets Manager secret (seed 003: fetch, do not create), named by a
        /// parameter and read with dynamic references at deploy time.
        case existingSecret
    }

    init(_ instanceClass: InstanceClass, engineVersion: String) {
        self.instanceClass = instanceClass
        self.engineVersion = engineVersion
    }

    var majorVersion: Int { Int(engineVersion.split(separator: ".")[0]) ?? 0 }
    var tuning: PostgresTuning { PostgresTuning(instanceClass, majorVersion: majorVersion) }
}

/// What alarms fire at, in the metrics' own units (seconds for latency and lag).
struct AlarmPolicy: Sendable {
    var cpuPercent = 80.0
    var latencySeconds = 0.2
    var replicaLagSeconds = 60.0
    var evaluationPeriods = 2
    var periodSeconds = 60
    /// FreeStorageSpace alarms below this share of the allocated storage.
    var freeStorageFraction = 0.1
    init() {}
}

/// The stack's customer-managed KMS key (storage, Performance Insights, the managed
/// secret, backups): rotated yearly, deleted 7 days after the stack (LC-07).
struct EncryptionKey {
    let key: ResourceHandle<KMS.Key>

    init(_ system: SystemStack, id: String = "DBEncryptionKey", purpose: String = "db-key", usedBy: String) {
        let stack = system.stack
        key = system.encryptionKey(id, for: usedBy, tag: purpose)
        stack.add("\(id)Alias", KMS.Alias(aliasName: "alias/\(literal: system.system)-\(literal: purpose)-\(system.suffix)", targetKeyId: key.ref))
    }

    var arn: Value<String> { key.arn }
}

/// The pieces every instance of a system shares: security group, subnet group, tuned
/// parameter group and the Enhanced Monitoring role.
struct DatabaseFoundation {
    let securityGroup: ResourceHandle<EC2.SecurityGroup>
    let subnetGroup: ResourceHandle<RDS.DBSubnetGroup>
    let parameterGroup: ResourceHandle<RDS.DBParameterGroup>
    let monitoringRole: ResourceHandle<IAM.Role>
    let spec: DatabaseSpec

    init(_ system: SystemStack, network: Network, spec: DatabaseSpec) {
        let stack = system.stack
        self.spec = spec
        securityGroup = stack.add("DBSecurityGroup", EC2.SecurityGroup(groupDescription: "PostgreSQL from the application subnets only") {
            $0.groupName = system.name("db-sg")
            // A database opens no connections: the one egress rule matches nothing (the
            // form the CDK uses for allowAllOutbound false).
            $0.securityGroupEgress = [EC2.SecurityGroup.Egress(ipProtocol: "icmp") {
                $0.cidrIp = "255.255.255.255/32"
                $0.description = "Disallow all outbound traffic"
                $0.fromPort = 252
                $0.toPort = 86
            }]
            $0.securityGroupIngress = network.ingress(port: 5432) { "PostgreSQL from application subnet \($0 + 1)" }
            $0.tags = system.tags(name: "db-sg")
            $0.vpcId = network.vpc.ref
        })
        subnetGroup = stack.add("DBSubnetGroup", RDS.DBSubnetGroup(dbSubnetGroupDescription: "Private data subnets of the database, one per availability zone", subnetIds: network.dataSubnetIDs) {
            $0.dbSubnetGroupName = system.name("db-subnets")
            $0.tags = system.tags(name: "db-subnets")
        })
        let tuning = spec.tuning
        var parameters: [(String, JSON)] = tuning.parameters.map { ($0.0, JSON(stringLiteral: $0.1)) }
        parameters.sort { $0.0 < $1.0 }
        parameterGroup = stack.add("DBParameterGroup", RDS.DBParameterGroup(description: .literal("PostgreSQL \(tuning.majorVersion) tuned for \(spec.instanceClass.rawValue): shared_buffers 25 %, effective_cache_size 75 %, max_connections \(tuning.maxConnections)"), family: .literal(tuning.family)) {
            $0.dbParameterGroupName = system.name(tuning.family)
            $0.parameters = .object(parameters)
            $0.tags = system.tags(name: tuning.family)
        },
            metadata: ["formwork": ["ignore": [[
                "rule": "RDS-10",
                "reason": "shared_buffers and max_connections are static: changing them reboots the instance in its next maintenance window. The tuning is the seed's requirement; Multi-AZ keeps the reboot a failover.",
            ]]]])
        monitoringRole = stack.add("EnhancedMonitoringRole", IAM.Role(assumeRolePolicyDocument: Policies.trust("monitoring.rds.amazonaws.com")) {
            $0.description = "Lets RDS publish Enhanced Monitoring metrics"
            $0.managedPolicyArns = ["arn:\(Pseudo.partition):iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"]
            $0.roleName = system.name("rds-monitoring")
            $0.tags = system.tags(name: "rds-monitoring")
        })
    }
}

/// Small IAM policy documents.
enum Policies {
    /// A key policy's first statement: the account's IAM policies decide who uses the key
    /// (KMS's default delegation; KM-04 relies on it for RDS, Secrets Manager and S3).
    static let accountAdministersTheKey: JSON = [
        "Sid": "AccountAdministersTheKey",
        "Effect": "Allow",
        "Principal": ["AWS": JSON(Value<String>("arn:\(Pseudo.partition):iam::\(Pseudo.accountID):root"))],
        "Action": "kms:*",
        "Resource": "*",
    ]

    static func trust(_ service: String) -> PolicyDocument {
        ["Version": "2012-10-17", "Statement": [["Effect": "Allow", "Principal": ["Service": JSON(stringLiteral: service)], "Action": "sts:AssumeRole"]]]
    }

    static func allow(_ actions: [String], _ resources: [Value<String>], sid: String? = nil) -> JSON {
        var statement: [(String, JSON)] = []
        if let sid { statement.append(("Sid", JSON(stringLiteral: sid))) }
        statement.append(("Effect", "Allow"))
        statement.append(("Action", .array(actions.map { JSON(stringLiteral: $0) })))
        statement.append(("Resource", .array(resources.map { JSON($0) })))
        return .object(statement)
    }

    static func document(_ statements: [JSON]) -> PolicyDocument {
        ["Version": "2012-10-17", "Statement": .array(statements)]
    }
}
