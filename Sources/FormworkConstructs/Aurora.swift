import Formwork
import FormworkEC2
import FormworkLogs
import FormworkRDS

/// An Aurora PostgreSQL cluster: a writer and `readers` readers in the network's data
/// subnets, encrypted with a customer-managed key (RDS-01), cluster and instance parameter
/// groups of its family (RDS-08; TLS only, RDS-11), an RDS-managed master secret (RDS-14,
/// SM-01), IAM authentication, backups and windows, the postgresql log exported to a
/// declared log group (LC-06), Performance Insights and Enhanced Monitoring on every member
/// (RDS-06, RDS-07), nothing set on a member that the cluster owns (RDS-21), and deletion
/// protection as the profile says. `addProxy()` puts an RDS Proxy in front (TLS required,
/// IAM authentication), and `grantConnect(to:asUser:)` names the proxy's or the cluster's
/// resource id in the `rds-db:connect` ARN.
public final class AuroraPostgresCluster {
    /// The cluster's handle (`ref` is its identifier, `endpointAddress`, `dbClusterResourceId`).
    public let handle: ResourceHandle<RDS.DBCluster>
    /// The cluster as it is rendered: set any property before synth.
    public var model: RDS.DBCluster
    /// The cluster parameter group as it is rendered.
    public var clusterParameterGroup: RDS.DBClusterParameterGroup
    /// The members' parameter group as it is rendered.
    public var instanceParameterGroup: RDS.DBParameterGroup
    /// The log group of the exported postgresql log as it is rendered.
    public var logGroupModel: Logs.LogGroup
    /// The members, writer first, as they are rendered.
    public var instances: [(id: String, model: RDS.DBInstance)]
    /// The security group, subnet group and monitoring role.
    public let access: DatabaseAccess
    /// The key storage, Performance Insights, the secret and the logs are encrypted with.
    public let key: EncryptionKey
    /// The members' class.
    public let instanceClass: DatabaseClass
    /// The proxy, once `addProxy()` has added it.
    public private(set) var proxy: DatabaseProxy?
    let scope: Scope
    let network: Network
    let id: String
    let site: CallSite

    /// A cluster `<system>-<purpose>-<suffix>` of Aurora PostgreSQL `engineVersion` (`16.6`),
    /// with a writer and `readers` readers of `instanceClass`.
    public init(_ scope: Scope, _ id: String, purpose: String = "db", network: Network, instanceClass: DatabaseClass, engineVersion: String,
                readers: Int = 1, key: EncryptionKey? = nil, masterUsername: String = "postgres",
                file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        let site = CallSite(file: file, line: line, column: column)
        self.scope = scope
        self.network = network
        self.id = id
        self.site = site
        self.instanceClass = instanceClass
        let key = key ?? EncryptionKey(scope, "\(id)Key", purpose: "\(purpose)-key", usedBy: "database encryption key", at: site)
        self.key = key
        key.grantLogGroups()
        let access = DatabaseAccess(scope, id, purpose: purpose, network: network, port: 5432, at: site)
        self.access = access
        let major = engineVersion.split(separator: ".").first.map(String.init) ?? engineVersion
        let family = "aurora-postgresql\(major)"
        clusterParameterGroup = RDS.DBClusterParameterGroup(description: .literal("Aurora PostgreSQL \(major) cluster: TLS only, connections logged"),
                                                            family: .literal(family),
                                                            parameters: ["log_connections": "1", "log_disconnections": "1", "rds.force_ssl": "1"]) {
            $0.tags = scope.tags(name: "\(family)-cluster")
        }
        instanceParameterGroup = RDS.DBParameterGroup(description: .literal("Aurora PostgreSQL \(major) members: slow statements logged"),
                                                      family: .literal(family)) {
            $0.parameters = ["log_min_duration_statement": "1000"]
            $0.tags = scope.tags(name: family)
        }
        let identifier = scope.name(purpose)
        logGroupModel = LogGroups.model(scope, name: "/aws/rds/cluster/\(identifier)/postgresql", key: key, retentionDays: 30)
        handle = ResourceHandle(logicalID: id)
        model = RDS.DBCluster {
            $0.backupRetentionPeriod = .literal(scope.backupRetentionDays)
            $0.copyTagsToSnapshot = true
            $0.dbClusterIdentifier = identifier
            $0.dbClusterParameterGroupName = ResourceHandle<RDS.DBClusterParameterGroup>(logicalID: "\(id)ClusterParameterGroup").ref
            $0.dbSubnetGroupName = access.subnetGroup.ref
            $0.deletionProtection = .literal(scope.protectsData)
            $0.enableCloudwatchLogsExports = ["postgresql"]
            $0.enableIAMDatabaseAuthentication = true
            $0.engine = .auroraPostgresql
            $0.engineVersion = .literal(engineVersion)
            $0.kmsKeyId = key.arn
            $0.manageMasterUserPassword = true
            $0.masterUserSecret = RDS.DBCluster.MasterUserSecret { $0.kmsKeyId = key.arn }
            $0.masterUsername = .literal(masterUsername)
            $0.preferredBackupWindow = "03:00-04:00"
            $0.preferredMaintenanceWindow = "sun:04:30-sun:05:30"
            $0.storageEncrypted = true
            $0.tags = scope.tags(name: purpose)
            $0.vpcSecurityGroupIds = [access.securityGroup.groupId]
        }
        let clusterRef = handle.ref
        instances = (0...max(readers, 0)).map { index in
            let role = index == 0 ? "writer" : "reader-\(index)"
            let member = RDS.DBInstance {
                $0.autoMinorVersionUpgrade = true
                $0.dbClusterIdentifier = clusterRef
                $0.dbInstanceClass = .literal(instanceClass.name)
                $0.dbInstanceIdentifier = scope.name("\(purpose)-\(role)")
                $0.dbParameterGroupName = ResourceHandle<RDS.DBParameterGroup>(logicalID: "\(id)ParameterGroup").ref
                $0.enablePerformanceInsights = true
                $0.engine = .auroraPostgresql
                $0.monitoringInterval = 60
                $0.monitoringRoleArn = access.monitoringRole.arn
                $0.performanceInsightsKMSKeyId = key.arn
                $0.performanceInsightsRetentionPeriod = 7
                $0.promotionTier = .literal(index == 0 ? 0 : 1)
                $0.publiclyAccessible = false
                $0.tags = scope.tags(name: "\(purpose)-\(role)")
            }
            return (id: index == 0 ? "\(id)Writer" : "\(id)Reader\(index)", model: member)
        }
        scope.stack.finally { [self] in
            scope.add("\(id)ClusterParameterGroup", clusterParameterGroup, at: site)
            scope.add("\(id)ParameterGroup", instanceParameterGroup, at: site)
            let logs = LogGroups.add(scope, [("\(id)PostgresqlLogs", logGroupModel)], at: site)
            scope.add(id, model, dependsOn: logs, deletionPolicy: scope.databaseDeletionPolicy,
                            updateReplacePolicy: scope.databaseReplacePolicy, at: site)
            for member in instances { scope.add(member.id, member.model, at: site) }
        }
    }

    /// The members' handles, writer first (alarms, event subscriptions).
    public var instanceHandles: [ResourceHandle<RDS.DBInstance>] { instances.map { ResourceHandle(logicalID: $0.id) } }
    /// The writer endpoint's host name.
    public var endpoint: Value<String> { handle.endpointAddress }
    /// The reader endpoint's host name.
    public var readerEndpoint: Value<String> { handle.readEndpointAddress }

    /// Puts an RDS Proxy in front of the cluster (`<system>-<purpose>-proxy-<suffix>`): TLS
    /// required, IAM authentication required, the cluster's managed secret read through a
    /// role of its own; clients connect to the proxy, which alone reaches the cluster.
    @discardableResult
    public func addProxy(purpose: String = "proxy") -> DatabaseProxy {
        if let proxy { return proxy }
        let proxy = DatabaseProxy(self, purpose: purpose)
        self.proxy = proxy
        return proxy
    }

    /// Lets `grantee` connect as the database user `user` with an IAM token: rds-db:connect on
    /// `dbuser:<resource id>/<user>`, the proxy's (`prx-...`, from its ARN) when there is one,
    /// else the cluster's.
    public func grantConnect(to grantee: Grantee, asUser user: String) {
        let resourceID = proxy?.resourceID ?? handle.dbClusterResourceId
        grantee.allow(Statement(actions: [.rdsDb.connect],
                                resources: ["arn:\(Pseudo.partition):rds-db:\(Pseudo.region):\(Pseudo.accountID):dbuser:\(resourceID)/\(literal: user)"]))
    }

    /// Admits connections from a security group (a function's): to the proxy when there is
    /// one, else to the cluster.
    public func allowConnections(from peer: ResourceHandle<EC2.SecurityGroup>, description: String) {
        if let proxy { proxy.allowConnections(from: peer, description: description) } else { access.allowConnections(from: peer, description: description) }
    }
}

/// An RDS Proxy in front of an Aurora PostgreSQL cluster (`AuroraPostgresCluster.addProxy()`).
public final class DatabaseProxy {
    /// The proxy's handle (`endpoint`, `dbProxyArn`).
    public let handle: ResourceHandle<RDS.DBProxy>
    /// The proxy as it is rendered.
    public var model: RDS.DBProxy
    /// The proxy's security group as it is rendered.
    public var securityGroupModel: EC2.SecurityGroup
    /// The proxy's security group.
    public let securityGroup: ResourceHandle<EC2.SecurityGroup>
    /// The role the proxy reads the cluster's secret with.
    public let role: Role
    /// The proxy's target group (the cluster) as it is rendered.
    public var targetGroupModel: RDS.DBProxyTargetGroup

    init(_ cluster: AuroraPostgresCluster, purpose: String) {
        let scope = cluster.scope
        let id = cluster.id
        let site = cluster.site
        handle = ResourceHandle(logicalID: "\(id)Proxy")
        securityGroup = ResourceHandle(logicalID: "\(id)ProxySecurityGroup")
        role = Role(scope, "\(id)ProxyRole", purpose: purpose, assumedBy: .rds, description: "Lets the RDS Proxy read the cluster's managed secret", at: site)
        let secret = cluster.handle.masterUserSecretSecretArn
        role.allow(Statement(sid: "ReadTheClusterSecret", actions: [.secretsmanager.getSecretValue], resources: [secret]))
        role.allow(Statement(sid: "DecryptTheClusterSecret", actions: [.kms.decrypt], resources: [cluster.key.arn],
                             conditions: [.stringEquals(.kmsViaService, "secretsmanager.\(Pseudo.region).amazonaws.com")]))
        let network = cluster.network
        securityGroupModel = EC2.SecurityGroup(groupDescription: "PostgreSQL to the proxy from the application subnets and named peers only") {
            $0.groupName = scope.name("\(purpose)-sg")
            $0.securityGroupIngress = network.applicationCIDRs.enumerated().map { index, cidr in
                EC2.SecurityGroup.Ingress(ipProtocol: "tcp") {
                    $0.cidrIp = .literal(cidr)
                    $0.description = .literal("PostgreSQL from application subnet \(index + 1)")
                    $0.fromPort = 5432
                    $0.toPort = 5432
                }
            }
            $0.tags = scope.tags(name: "\(purpose)-sg")
            $0.vpcId = network.vpc.ref
        }
        cluster.access.allowConnections(from: securityGroup, description: "PostgreSQL from the RDS Proxy")
        let securityGroup = securityGroup
        model = RDS.DBProxy(dbProxyName: scope.name(purpose), engineFamily: .postgresql, roleArn: role.arn, vpcSubnetIds: network.dataSubnetIDs) {
            $0.auth = [RDS.DBProxy.AuthFormat {
                $0.authScheme = .secrets
                $0.iamAuth = .required
                $0.secretArn = secret
            }]
            $0.requireTLS = true
            $0.tags = scope.tags(name: purpose)
            $0.vpcSecurityGroupIds = [securityGroup.groupId]
        }
        targetGroupModel = RDS.DBProxyTargetGroup(dbProxyName: handle.ref, targetGroupName: .default) { $0.dbClusterIdentifiers = [cluster.handle.ref] }
        scope.stack.finally { [self] in
            scope.add(securityGroup.logicalID, securityGroupModel, at: site)
            scope.add(handle.logicalID, model, dependsOn: [role.policyHandle], at: site)
            // The target can be registered once the writer is available.
            scope.add("\(id)ProxyTargetGroup", targetGroupModel, dependsOn: [cluster.instanceHandles[0]], at: site)
        }
    }

    /// The proxy's endpoint host name: where clients connect.
    public var endpoint: Value<String> { handle.endpoint }

    /// The proxy's resource id (`prx-...`), the last part of its ARN: what `rds-db:connect`
    /// names for IAM authentication through the proxy.
    public var resourceID: Value<String> { .select(6, from: .split(":", handle.dbProxyArn)) }

    /// Admits connections from another security group.
    public func allowConnections(from peer: ResourceHandle<EC2.SecurityGroup>, description: String) {
        securityGroupModel.securityGroupIngress = (securityGroupModel.securityGroupIngress ?? []) + [EC2.SecurityGroup.Ingress(ipProtocol: "tcp") {
            $0.description = .literal(description)
            $0.fromPort = 5432
            $0.sourceSecurityGroupId = peer.groupId
            $0.toPort = 5432
        }]
    }
}
