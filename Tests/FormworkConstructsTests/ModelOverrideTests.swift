import Foundation
import Formwork
import FormworkCloudWatch
import FormworkConstructs
import FormworkTemplate
import Testing

/// Every construct exposes the models it renders: a property set on each of them before synth
/// reaches the template (the CDK's escape hatch, typed).
@Suite struct ModelOverrideTests {
    /// The template's property `path` of resource `id`, as text.
    static func property(_ template: Template?, _ id: String, _ path: String...) -> String? {
        var node = template?.root["Resources"]?[id]?["Properties"]
        for key in path { node = node?[key] }
        return node?.scalarText
    }

    @Test func networkModelsReachTheTemplate() throws {
        var profile = Build.ephemeral
        profile.network.natGateways = 1
        profile.network.vpcEndpoints = ["logs"]
        let (findings, template) = Build.compile(profile) { scope in
            let network = Network(scope)
            network.vpcModel.instanceTenancy = "default"
            network.subnetModels[0].model.mapPublicIpOnLaunch = false
            network.subnetModels[1].model.cidrBlock = "10.0.12.0/24"
            network.routeTableModels[0].model.tags = scope.tags(name: "private-routes-overridden")
            network.natGatewayModels[0].model.connectivityType = "public"
            network.addressModels[0].model.publicIpv4Pool = "amazon"
            network.endpointModels[0].model.tags = scope.tags(name: "s3-endpoint-overridden")
            network.endpointSecurityGroupModel?.groupDescription = "HTTPS to the endpoints"
            network.internetGatewayModel?.tags = scope.tags(name: "igw-overridden")
            network.associationModels.removeAll { $0.id == "PrivateSubnetRoutes4" }
        }
        #expect(findings.isEmpty, "\(Build.describe(findings))")
        #expect(Self.property(template, "VPC", "InstanceTenancy") == "default")
        #expect(Self.property(template, "ApplicationSubnet2", "CidrBlock") == "10.0.12.0/24")
        #expect(Self.property(template, "NATGateway1", "ConnectivityType") == "public")
        #expect(Self.property(template, "NATAddress1", "PublicIpv4Pool") == "amazon")
        let tags: [Node] = template?.root["Resources"]?["S3GatewayEndpoint"]?["Properties"]?["Tags"]?.arrayValue ?? []
        let name: Node? = tags.first?["Value"]
        #expect(name?.intrinsicValue?.argument.stringValue?.contains("s3-endpoint-overridden") == true)
        #expect(Self.property(template, "EndpointSecurityGroup", "GroupDescription") == "HTTPS to the endpoints")
        #expect(template?.root["Resources"]?["PrivateSubnetRoutes4"] == nil)
        #expect(template?.root["Resources"]?["PrivateSubnetRoutes3"] != nil)
    }

    @Test func databaseModelsReachTheTemplate() throws {
        let (findings, template) = Build.compile(Build.ephemeral) { scope in
            let network = Network(scope)
            let database = PostgresInstance(scope, "Database", network: network, instanceClass: .r6gLarge, engineVersion: "16.6")
            database.parameterGroup.description = "overridden"
            database.logGroupModels[0].model.retentionInDays = 90
            database.access.subnetGroupModel.dbSubnetGroupDescription = "the data subnets"
            database.access.securityGroupModel.groupDescription = "PostgreSQL from the application"
            database.access.monitoringRole.model.maxSessionDuration = 7200
            let replica = PostgresReadReplica(of: database, "Replica")
            replica.model.performanceInsightsRetentionPeriod = 31
            let source = scope.stack.parameter("PrimaryArn", .string(description: "The primary in the other region")).ref
            let sourceRegion = scope.stack.parameter("PrimaryRegion", .string(description: "The primary's region")).ref
            let standby = PostgresReadReplica(scope, "Standby", sourceArn: source, sourceRegion: sourceRegion,
                                              network: network, instanceClass: .r6gLarge, engineVersion: "16.6", key: database.key)
            standby.parameterGroup?.description = "the standby's"
            standby.logGroupModels[1].model.retentionInDays = 60
            let topic = EncryptedTopic(scope, "Alarms", purpose: "alarms", key: database.key)
            let alarms = DatabaseAlarms(scope, for: database, replicas: [replica], topic: topic)
            alarms.events[0].model.enabled = false
            _ = DatabaseAlarms(scope, forStandby: standby, topic: topic)
            database.key.alias.aliasName = "alias/orders-overridden-\(scope.suffix)"
        }
        #expect(findings.isEmpty, "\(Build.describe(findings))")
        #expect(Self.property(template, "DatabaseParameterGroup", "Description") == "overridden")
        #expect(Self.property(template, "DatabasePostgresqlLogs", "RetentionInDays") == "90")
        #expect(Self.property(template, "DatabaseSubnetGroup", "DBSubnetGroupDescription") == "the data subnets")
        #expect(Self.property(template, "DatabaseSecurityGroup", "GroupDescription") == "PostgreSQL from the application")
        #expect(Self.property(template, "DatabaseMonitoringRole", "MaxSessionDuration") == "7200")
        #expect(Self.property(template, "Replica", "PerformanceInsightsRetentionPeriod") == "31")
        #expect(Self.property(template, "StandbyParameterGroup", "Description") == "the standby's")
        #expect(Self.property(template, "StandbyUpgradeLogs", "RetentionInDays") == "60")
        #expect(Self.property(template, "DatabaseEventsSubscription", "Enabled") == "false")
        #expect(template?.root["Resources"]?["DatabaseKeyAlias"]?["Properties"]?["AliasName"]?.intrinsicValue?.argument.stringValue == "alias/orders-overridden-${EnvironmentSuffix}")
    }

    @Test func auroraModelsReachTheTemplate() throws {
        let (findings, template) = Build.compile(Build.ephemeral) { scope in
            let network = Network(scope)
            let cluster = AuroraPostgresCluster(scope, "Cluster", network: network, instanceClass: .r6gLarge, engineVersion: "16.6")
            cluster.model.backupRetentionPeriod = 14
            cluster.clusterParameterGroup.description = "cluster overridden"
            cluster.instanceParameterGroup.description = "members overridden"
            cluster.instances[1].model.promotionTier = 2
            cluster.logGroupModel.retentionInDays = 90
            let proxy = cluster.addProxy()
            proxy.model.idleClientTimeout = 900
            proxy.securityGroupModel.groupDescription = "to the proxy"
            proxy.targetGroupModel.connectionPoolConfigurationInfo = .init { $0.maxConnectionsPercent = 90 }
            proxy.role.model.maxSessionDuration = 7200
            _ = DatabaseAlarms(scope, for: cluster, topic: EncryptedTopic(scope, "Alarms", purpose: "alarms", key: cluster.key))
        }
        #expect(findings.isEmpty, "\(Build.describe(findings))")
        #expect(Self.property(template, "Cluster", "BackupRetentionPeriod") == "14")
        #expect(Self.property(template, "ClusterClusterParameterGroup", "Description") == "cluster overridden")
        #expect(Self.property(template, "ClusterParameterGroup", "Description") == "members overridden")
        #expect(Self.property(template, "ClusterReader1", "PromotionTier") == "2")
        #expect(Self.property(template, "ClusterPostgresqlLogs", "RetentionInDays") == "90")
        #expect(Self.property(template, "ClusterProxy", "IdleClientTimeout") == "900")
        #expect(Self.property(template, "ClusterProxySecurityGroup", "GroupDescription") == "to the proxy")
        #expect(Self.property(template, "ClusterProxyTargetGroup", "ConnectionPoolConfigurationInfo", "MaxConnectionsPercent") == "90")
        #expect(Self.property(template, "ClusterProxyRole", "MaxSessionDuration") == "7200")
    }

    @Test func messagingStorageAndFailoverModelsReachTheTemplate() throws {
        let (findings, template) = Build.compile(Build.ephemeral) { scope in
            let network = Network(scope)
            let key = EncryptionKey(scope, "AppKey", purpose: "app-key", usedBy: "application encryption key")
            key.model.description = "the key, overridden"
            let topic = EncryptedTopic(scope, "Alarms", purpose: "alarms", key: key)
            topic.model.fifoTopic = false
            topic.subscriptionModel.rawMessageDelivery = false
            let queue = Queue(scope, "Jobs", purpose: "jobs", key: key)
            queue.model.delaySeconds = 5
            queue.deadLetterModel.messageRetentionPeriod = 604_800
            queue.alarmOnDeadLetters(to: topic, scope: scope, purpose: "jobs")
            queue.deadLetterAlarmModel?.evaluationPeriods = 3
            let worker = LambdaWorker(scope, "Worker", purpose: "worker", source: "def handler(event, context):\n    return {}\n",
                                      description: "the jobs worker", logKey: key, network: network)
            worker.consume(queue)
            worker.model.reservedConcurrentExecutions = 5
            worker.securityGroupModel?.groupDescription = "the worker, outbound only"
            worker.logGroupModel.retentionInDays = 90
            worker.mappingModels[0].model.batchSize = 5
            worker.role.model.maxSessionDuration = 7200
            let standbyKey = scope.stack.parameter("StandbyKeyArn", .string(description: "The standby region's key")).ref
            let bucket = BackupBucket(scope, "Backups", key: key, replicateTo: .init(bucketArn: "arn:\(Pseudo.partition):s3:::orders-standby-\(scope.suffix)", kmsKeyArn: standbyKey))
            bucket.model.objectLockEnabled = false
            bucket.replicationRole?.model.maxSessionDuration = 7200
            let alarm = ResourceHandle<CloudWatch.Alarm>(logicalID: "JobsQueueDeadLetterAlarm")
            let pair = FailoverPair(scope, "Database", name: "orders-db-\(scope.suffix).example.internal", hostedZoneId: "Z123",
                                    primary: "primary.example.internal", secondary: "standby.example.internal", healthAlarm: alarm)
            pair.healthCheck.healthCheckConfig?.inverted = false
            pair.primaryRecord.comment = "the primary"
            pair.secondaryRecord.comment = "the standby"
        }
        #expect(findings.isEmpty, "\(Build.describe(findings))")
        #expect(Self.property(template, "AppKey", "Description") == "the key, overridden")
        #expect(Self.property(template, "AlarmsEmailSubscription", "RawMessageDelivery") == "false")
        #expect(Self.property(template, "JobsQueue", "DelaySeconds") == "5")
        #expect(Self.property(template, "JobsDeadLetterQueue", "MessageRetentionPeriod") == "604800")
        #expect(Self.property(template, "JobsQueueDeadLetterAlarm", "EvaluationPeriods") == "3")
        #expect(Self.property(template, "Worker", "ReservedConcurrentExecutions") == "5")
        #expect(Self.property(template, "WorkerSecurityGroup", "GroupDescription") == "the worker, outbound only")
        #expect(Self.property(template, "WorkerLogGroup", "RetentionInDays") == "90")
        #expect(Self.property(template, "WorkerJobsQueueMapping", "BatchSize") == "5")
        #expect(Self.property(template, "WorkerRole", "MaxSessionDuration") == "7200")
        #expect(Self.property(template, "Backups", "ObjectLockEnabled") == "false")
        #expect(Self.property(template, "BackupsReplicationRole", "MaxSessionDuration") == "7200")
        #expect(Self.property(template, "DatabasePrimaryRecord", "Comment") == "the primary")
        #expect(Self.property(template, "DatabaseSecondaryRecord", "Comment") == "the standby")
        #expect(Self.property(template, "DatabaseHealthCheck", "HealthCheckConfig", "Inverted") == "false")
    }
}
