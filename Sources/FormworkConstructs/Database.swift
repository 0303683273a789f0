import Formwork
import FormworkEC2
import FormworkLogs
import FormworkRDS

/// What every PostgreSQL construct shares: the security group whose ingress names its peers
/// (application subnets, other groups) on the database port only (RDS-16), the subnet group
/// over the network's data subnets, and the Enhanced Monitoring role.
public final class DatabaseAccess {
    /// The database's security group.
    public let securityGroup: ResourceHandle<EC2.SecurityGroup>
    /// The security group as it is rendered; `allowConnections(from:description:)` adds peers.
    public var securityGroupModel: EC2.SecurityGroup
    /// The subnet group.
    public let subnetGroup: ResourceHandle<RDS.DBSubnetGroup>
    /// The subnet group as it is rendered.
    public var subnetGroupModel: RDS.DBSubnetGroup
    /// The role RDS publishes Enhanced Monitoring metrics with.
    public let monitoringRole: Role
    /// The database port.
    public let port: Int

    init(_ scope: Scope, _ id: String, purpose: String, network: Network, port: Int, at site: CallSite) {
        self.port = port
        securityGroup = ResourceHandle(logicalID: "\(id)SecurityGroup")
        securityGroupModel = EC2.SecurityGroup(groupDescription: "PostgreSQL from the application subnets and named peers only") {
            $0.groupName = scope.name("\(purpose)-sg")
            // A database opens no connections: the one egress rule matches nothing (the CDK's
            // form for allowAllOutbound false).
            $0.securityGroupEgress = [EC2.SecurityGroup.Egress(ipProtocol: "icmp") {
                $0.cidrIp = "255.255.255.255/32"
                $0.description = "Disallow all outbound traffic"
                $0.fromPort = 252
                $0.toPort = 86
            }]
            $0.securityGroupIngress = network.applicationCIDRs.enumerated().map { index, cidr in
                EC2.SecurityGroup.Ingress(ipProtocol: "tcp") {
                    $0.cidrIp = .literal(cidr)
                    $0.description = .literal("PostgreSQL from application subnet \(index + 1)")
                    $0.fromPort = .literal(port)
                    $0.toPort = .literal(port)
                }
            }
            $0.tags = scope.tags(name: "\(purpose)-sg")
            $0.vpcId = network.vpc.ref
        }
        subnetGroup = ResourceHandle(logicalID: "\(id)SubnetGroup")
        subnetGroupModel = RDS.DBSubnetGroup(dbSubnetGroupDescription: "Private data subnets of the database, one per zone", subnetIds: network.dataSubnetIDs) {
            $0.dbSubnetGroupName = scope.name("\(purpose)-subnets")
            $0.tags = scope.tags(name: "\(purpose)-subnets")
        }
        monitoringRole = Role(scope, "\(id)MonitoringRole", purpose: "\(purpose)-monitoring", assumedBy: .rdsMonitoring,
                              description: "Lets RDS publish Enhanced Monitoring metrics",
                              managedPolicies: [managedPolicy("service-role/AmazonRDSEnhancedMonitoringRole")], at: site)
        scope.stack.finally { [self] in
            scope.add(subnetGroup.logicalID, subnetGroupModel, at: site)
            scope.add(securityGroup.logicalID, securityGroupModel, at: site)
        }
    }

    /// Admits connections on the database port from another security group (a function's,
    /// a proxy's).
    public func allowConnections(from peer: ResourceHandle<EC2.SecurityGroup>, description: String) {
        securityGroupModel.securityGroupIngress = (securityGroupModel.securityGroupIngress ?? []) + [EC2.SecurityGroup.Ingress(ipProtocol: "tcp") {
            $0.description = .literal(description)
            $0.fromPort = .literal(port)
            $0.sourceSecurityGroupId = peer.groupId
            $0.toPort = .literal(port)
        }]
    }
}

extension DatabaseAccess {
    /// An instance that stands on its own (a primary, or a cross-region replica, which becomes
    /// one when promoted), with the hardened settings both share: Multi-AZ in these subnets
    /// and behind this security group, encrypted with `key`, the parameter group `<id>ParameterGroup`,
    /// IAM authentication, Performance Insights, Enhanced Monitoring, log exports, gp3 storage,
    /// deletion protection as the profile says; `configure` sets the rest.
    func standaloneInstance(_ scope: Scope, _ id: String, identifier: Value<String>, purpose: String, instanceClass: DatabaseClass,
                            key: EncryptionKey, _ configure: (inout RDS.DBInstance) -> Void) -> RDS.DBInstance {
        var model = RDS.DBInstance {
            $0.autoMinorVersionUpgrade = true
            $0.copyTagsToSnapshot = true
            $0.dbInstanceClass = .literal(instanceClass.name)
            $0.dbInstanceIdentifier = identifier
            $0.dbParameterGroupName = ResourceHandle<RDS.DBParameterGroup>(logicalID: "\(id)ParameterGroup").ref
            $0.dbSubnetGroupName = subnetGroup.ref
            $0.deletionProtection = .literal(scope.protectsData)
            $0.enableCloudwatchLogsExports = ["postgresql", "upgrade"]
            $0.enableIAMDatabaseAuthentication = true
            $0.enablePerformanceInsights = true
            $0.kmsKeyId = key.arn
            $0.monitoringInterval = 60
            $0.monitoringRoleArn = monitoringRole.arn
            $0.multiAZ = true
            $0.performanceInsightsKMSKeyId = key.arn
            $0.performanceInsightsRetentionPeriod = 7
            $0.publiclyAccessible = false
            $0.storageType = "gp3"
            $0.tags = scope.tags(name: purpose)
            $0.vpcSecurityGroups = [securityGroup.groupId]
        }
        configure(&model)
        return model
    }

    /// Adds a standalone instance's parameter group (when it has its own), its log groups, and
    /// the instance after them, kept on deletion and replacement as the profile says.
    func addStandalone(_ scope: Scope, _ id: String, _ model: RDS.DBInstance, parameterGroup: RDS.DBParameterGroup?,
                       parameterGroupMetadata: JSON? = nil, logGroups: [(id: String, model: Logs.LogGroup)], metadata: JSON? = nil,
                       at site: CallSite) {
        if let parameterGroup { scope.add("\(id)ParameterGroup", parameterGroup, metadata: parameterGroupMetadata, at: site) }
        let logs = LogGroups.add(scope, logGroups, at: site)
        scope.add(id, model, dependsOn: logs, deletionPolicy: scope.databaseDeletionPolicy, updateReplacePolicy: scope.databaseReplacePolicy,
                  metadata: metadata, at: site)
    }
}

/// Where a construct's resources go when the stack is deleted: deleted in a destroyable
/// stack (LC-01, LC-02); a final snapshot where the profile keeps data (production).
extension Scope {
    var databaseDeletionPolicy: DeletionPolicy { profile.retainAllowed ? .snapshot : .delete }
    var databaseReplacePolicy: UpdateReplacePolicy { profile.retainAllowed ? .snapshot : .delete }
    var backupRetentionDays: Int { profile.rds.backupRetentionDays ?? 7 }
}

/// A standalone RDS PostgreSQL instance, right by construction: Multi-AZ (RDS-03), in the
/// network's data subnets, encrypted with a customer-managed key (RDS-01), a parameter group
/// of its family (TLS only, slow statements and connections logged; RDS-08, RDS-11),
/// Performance Insights (RDS-06), Enhanced Monitoring with its role (RDS-07), backups and
/// windows (RDS-04, RDS-05), log exports to declared log groups (RDS-18, LC-06), an
/// RDS-managed master secret (RDS-14, SM-01), IAM authentication (RDS-17), gp3 storage that
/// grows (RDS-20), and deletion protection as the profile says (LC-03).
public final class PostgresInstance {
    /// The instance's handle (`ref` is its identifier, `endpointAddress`).
    public let handle: ResourceHandle<RDS.DBInstance>
    /// The instance as it is rendered: set any property before synth.
    public var model: RDS.DBInstance
    /// The parameter group as it is rendered.
    public var parameterGroup: RDS.DBParameterGroup
    /// The log groups of the exported logs as they are rendered, by logical id.
    public var logGroupModels: [(id: String, model: Logs.LogGroup)]
    /// The security group, subnet group and monitoring role.
    public let access: DatabaseAccess
    /// The key storage, Performance Insights, the secret and the logs are encrypted with.
    public let key: EncryptionKey
    /// The class, for the tuning and the alarms.
    public let instanceClass: DatabaseClass
    /// The storage allocated, in GiB (the free-storage alarm's base).
    public let allocatedStorageGiB: Int
    /// The purpose in its name (`<system>-<purpose>-<suffix>`), which its alarms' names share.
    public let purpose: String
    let scope: Scope
    /// The suppressions the parameter group carries (`tuneMemory(because:)`).
    var parameterGroupIgnores: [JSON] = []

    /// How the master user's password is kept.
    public enum Credentials {
        /// RDS creates and rotates a secret encrypted with the instance's key
        /// (ManageMasterUserPassword): no password ever appears in the template (RDS-14).
        case managedByRDS
        /// An existing Secrets Manager secret (keys `username` and `password`), read with
        /// dynamic references at deploy time: for a team whose secrets are made elsewhere.
        case existingSecret(arn: Value<String>)
    }

    /// An instance `<system>-<purpose>-<suffix>` of PostgreSQL `engineVersion` (a pinned minor
    /// version, `16.6`), its storage growing from `allocatedStorageGiB` to
    /// `maxAllocatedStorageGiB` (five times as much unless given).
    public init(_ scope: Scope, _ id: String, purpose: String = "db", network: Network, instanceClass: DatabaseClass, engineVersion: String,
                key: EncryptionKey? = nil, allocatedStorageGiB: Int = 100, maxAllocatedStorageGiB: Int? = nil, databaseName: String? = nil,
                masterUsername: String = "postgres", credentials: Credentials = .managedByRDS,
                file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        let site = CallSite(file: file, line: line, column: column)
        self.scope = scope
        self.instanceClass = instanceClass
        self.allocatedStorageGiB = allocatedStorageGiB
        self.purpose = purpose
        let key = key ?? EncryptionKey(scope, "\(id)Key", purpose: "\(purpose)-key", usedBy: "database encryption key", at: site)
        self.key = key
        key.grantLogGroups()
        access = DatabaseAccess(scope, id, purpose: purpose, network: network, port: 5432, at: site)
        parameterGroup = PostgresParameters.group(scope, engineVersion: engineVersion)
        let identifier = scope.name(purpose)
        logGroupModels = LogGroups.rds(scope, id, identifier: identifier, key: key)
        handle = ResourceHandle(logicalID: id)
        let access = access
        model = access.standaloneInstance(scope, id, identifier: identifier, purpose: purpose, instanceClass: instanceClass, key: key) {
            $0.allocatedStorage = .literal(String(allocatedStorageGiB))
            $0.backupRetentionPeriod = .literal(scope.backupRetentionDays)
            if let databaseName { $0.dbName = .literal(databaseName) }
            $0.deleteAutomatedBackups = .literal(!scope.protectsData)
            $0.engine = .postgres
            $0.engineVersion = .literal(engineVersion)
            switch credentials {
            case .managedByRDS:
                $0.manageMasterUserPassword = true
                $0.masterUserSecret = RDS.DBInstance.MasterUserSecret { $0.kmsKeyId = key.arn }
                $0.masterUsername = .literal(masterUsername)
            case .existingSecret(let arn):
                $0.masterUsername = "{{resolve:secretsmanager:\(arn):SecretString:username}}"
                $0.masterUserPassword = "{{resolve:secretsmanager:\(arn):SecretString:password}}"
            }
            $0.maxAllocatedStorage = .literal(maxAllocatedStorageGiB ?? allocatedStorageGiB * 5)
            $0.preferredBackupWindow = "03:00-04:00"
            $0.preferredMaintenanceWindow = "sun:04:30-sun:05:30"
            $0.storageEncrypted = true
        }
        scope.stack.finally { [self] in
            access.addStandalone(scope, id, model, parameterGroup: parameterGroup,
                                 parameterGroupMetadata: parameterGroupIgnores.isEmpty ? nil : ["formwork": ["ignore": .array(parameterGroupIgnores)]],
                                 logGroups: logGroupModels, at: site)
        }
    }

    /// Sets the memory parameters the class's memory fixes (call it before overriding the
    /// parameter group's other parameters), as the catalogue computes them:
    /// shared_buffers 25 % of memory (`{DBInstanceClassMemory/32768}` pages),
    /// `max_connections` explicitly (the class's `maxConnections`, which the connections alarm
    /// takes its share of), and pg_stat_statements preloaded. All three are static: a change
    /// reboots the instance in its maintenance window (a failover with Multi-AZ), which RDS-10
    /// warns of; `reason` says why the team accepts it, and is written as the suppression.
    public func tuneMemory(because reason: String) {
        let parameters = PostgresParameters.entries + [
            ("max_connections", JSON(stringLiteral: String(instanceClass.maxConnections))),
            ("shared_buffers", "{DBInstanceClassMemory/32768}"),
            ("shared_preload_libraries", "pg_stat_statements"),
        ]
        parameterGroup.parameters = .object(parameters.sorted { $0.key < $1.key })
        parameterGroup.description = .literal("PostgreSQL \(instanceClass.name) tuned: shared_buffers 25 %, effective_cache_size 75 %, max_connections \(instanceClass.maxConnections)")
        parameterGroupIgnores.append(["rule": "RDS-10", "reason": JSON(stringLiteral: reason)])
    }

    /// Replicates the automated backups to `region`, encrypted there with `key` (an ARN of that
    /// region), kept `retentionDays` days: a restore when the instance's region is lost.
    public func replicateBackups(toRegion region: Value<String>, key: Value<String>, retentionDays: Int) {
        model.automaticBackupReplicationRegion = region
        model.automaticBackupReplicationKmsKeyId = key
        model.automaticBackupReplicationRetentionPeriod = .literal(retentionDays)
    }

    /// The endpoint's host name.
    public var endpoint: Value<String> { handle.endpointAddress }

    /// Lets `grantee` connect as the database user `user` with an IAM token: rds-db:connect on
    /// `dbuser:<DbiResourceId>/<user>`, nothing wider.
    public func grantConnect(to grantee: Grantee, asUser user: String) {
        grantee.allow(Statement(actions: [.rdsDb.connect],
                                resources: ["arn:\(Pseudo.partition):rds-db:\(Pseudo.region):\(Pseudo.accountID):dbuser:\(handle.dbiResourceId)/\(literal: user)"]))
    }
}

/// A read replica: of a `PostgresInstance` in the same region, or of an instance in another
/// region (a standby). It inherits backups, credentials and encryption from its source
/// (RDS-15), and sets its security groups, its parameter group, Performance Insights,
/// monitoring and its log exports (to declared log groups, LC-06) itself.
public final class PostgresReadReplica {
    /// The replica's handle.
    public let handle: ResourceHandle<RDS.DBInstance>
    /// The replica as it is rendered.
    public var model: RDS.DBInstance
    /// Its source in the same stack, whose class and key it shares (nil for a cross-region replica).
    public let source: PostgresInstance?
    /// The replica's class.
    public let instanceClass: DatabaseClass
    /// The purpose in its name, which its alarms' names share.
    public let purpose: String
    /// The replica's identifier (`<system>-<purpose>-<suffix>`).
    public let identifier: Value<String>
    /// The parameter group of a cross-region replica as it is rendered (a same-region replica
    /// shares its source's).
    public var parameterGroup: RDS.DBParameterGroup?
    /// The security group, subnet group and monitoring role of a cross-region replica.
    public let access: DatabaseAccess?
    /// The log groups of the replica's exported logs as they are rendered, by logical id.
    public var logGroupModels: [(id: String, model: Logs.LogGroup)] = []

    /// A replica `<system>-<purpose>-<suffix>` of `source`, in the zone of index
    /// `availabilityZone` of the region's when given.
    public init(of source: PostgresInstance, _ id: String, purpose: String = "db-replica", availabilityZone: Int? = nil,
                file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        let site = CallSite(file: file, line: line, column: column)
        let scope = source.scope
        self.source = source
        instanceClass = source.instanceClass
        self.purpose = purpose
        let identifier = scope.name(purpose)
        self.identifier = identifier
        access = nil
        logGroupModels = LogGroups.rds(scope, id, identifier: identifier, key: source.key)
        handle = ResourceHandle(logicalID: id)
        model = RDS.DBInstance {
            $0.autoMinorVersionUpgrade = true
            $0.copyTagsToSnapshot = true
            $0.dbInstanceClass = .literal(source.instanceClass.name)
            $0.dbInstanceIdentifier = scope.name(purpose)
            $0.dbParameterGroupName = ResourceHandle<RDS.DBParameterGroup>(logicalID: "\(source.handle.logicalID)ParameterGroup").ref
            $0.deletionProtection = .literal(scope.protectsData)
            $0.enableCloudwatchLogsExports = ["postgresql", "upgrade"]
            $0.enablePerformanceInsights = true
            $0.monitoringInterval = 60
            $0.monitoringRoleArn = source.access.monitoringRole.arn
            $0.performanceInsightsKMSKeyId = source.key.arn
            $0.performanceInsightsRetentionPeriod = 7
            $0.publiclyAccessible = false
            $0.sourceDBInstanceIdentifier = source.handle.ref
            $0.tags = scope.tags(name: purpose)
            $0.vpcSecurityGroups = [source.access.securityGroup.groupId]
            if let availabilityZone { $0.availabilityZone = .select(availabilityZone, from: .getAZs()) }
        }
        scope.stack.finally { [self] in scope.add(id, model, dependsOn: LogGroups.add(scope, logGroupModels, at: site), at: site) }
    }

    /// A cross-region replica `<system>-<purpose>-<suffix>` of the instance `sourceArn` in
    /// `sourceRegion`: a Multi-AZ standby in this region's `network`, encrypted with this
    /// region's `key`, with its own parameter group, security group, subnet group, monitoring
    /// role and log groups, since it becomes a standalone primary when promoted. For the same
    /// reason it is deleted with the stack (CloudFormation ignores a replica's DeletionPolicy,
    /// LC-04, but not a promoted one's: the default would leave a final snapshot).
    public init(_ scope: Scope, _ id: String, purpose: String = "db-standby", sourceArn: Value<String>, sourceRegion: Value<String>,
                network: Network, instanceClass: DatabaseClass, engineVersion: String, key: EncryptionKey,
                file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        let site = CallSite(file: file, line: line, column: column)
        source = nil
        self.instanceClass = instanceClass
        self.purpose = purpose
        let identifier = scope.name(purpose)
        self.identifier = identifier
        key.grantLogGroups()
        logGroupModels = LogGroups.rds(scope, id, identifier: identifier, key: key)
        let access = DatabaseAccess(scope, id, purpose: purpose, network: network, port: 5432, at: site)
        self.access = access
        parameterGroup = PostgresParameters.group(scope, engineVersion: engineVersion)
        handle = ResourceHandle(logicalID: id)
        model = access.standaloneInstance(scope, id, identifier: identifier, purpose: purpose, instanceClass: instanceClass, key: key) {
            $0.sourceDBInstanceIdentifier = sourceArn
            $0.sourceRegion = sourceRegion
        }
        scope.stack.finally { [self] in
            access.addStandalone(scope, id, model, parameterGroup: parameterGroup, logGroups: logGroupModels,
                                 metadata: ["formwork": ["ignore": [["rule": "LC-04", "reason": "the standby is promoted on failover; standalone, it must not leave a final snapshot"]]]],
                                 at: site)
        }
    }

    /// The endpoint's host name.
    public var endpoint: Value<String> { handle.endpointAddress }
}

/// The parameters the constructs set: dynamic ones only, so that a change never reboots the
/// database (RDS-10). shared_buffers and max_connections are static; their RDS defaults are
/// already formulas of the class's memory, and a team that wants its own sets them on the
/// exposed parameter group model and suppresses RDS-10 with its reason.
enum PostgresParameters {
    static let entries: [(key: String, value: JSON)] = [
        // 75 % of memory in 8 kB pages, the catalogue's formula (RDS-09).
        ("effective_cache_size", "{DBInstanceClassMemory*3/32768}"),
        ("log_connections", "1"),
        ("log_disconnections", "1"),
        ("log_min_duration_statement", "1000"),
        ("rds.force_ssl", "1"),
    ]

    /// The parameter group of PostgreSQL `engineVersion`'s family, with `entries`.
    static func group(_ scope: Scope, engineVersion: String) -> RDS.DBParameterGroup {
        let major = engineVersion.split(separator: ".").first.map(String.init) ?? engineVersion
        return RDS.DBParameterGroup(description: .literal("PostgreSQL \(major): TLS only, slow statements and connections logged"),
                                    family: .literal("postgres\(major)")) {
            $0.parameters = .object(entries)
            $0.tags = scope.tags(name: "postgres\(major)")
        }
    }
}
