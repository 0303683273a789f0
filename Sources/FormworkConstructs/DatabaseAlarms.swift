import Formwork
import FormworkCloudWatch
import FormworkRDS

/// The alarms a database needs (AL-02), each to `topic` on ALARM and on OK (AL-01), named
/// with the suffix (AL-08), missing data breaching (AL-07), in the metrics' own units (AL-03),
/// thresholds and evaluation periods from the profile (AL-04); and an RDS event
/// subscription for failures, failovers and recoveries (AL-09). The topic is granted to
/// CloudWatch and RDS events on both sides (its policy and its key's).
public final class DatabaseAlarms {
    /// The alarms as they are rendered, by logical id: set any property before synth.
    public var alarms: [(id: String, model: CloudWatch.Alarm)] = []
    /// The event subscriptions as they are rendered.
    public var events: [(id: String, model: RDS.EventSubscription)] = []
    private let scope: Scope
    private let topic: EncryptedTopic
    private let okTopic: EncryptedTopic
    private let prefix: String

    private init(_ scope: Scope, _ prefix: String, topic: EncryptedTopic, okTopic: EncryptedTopic?, site: CallSite) {
        self.scope = scope
        self.topic = topic
        self.okTopic = okTopic ?? topic
        self.prefix = prefix
        for topic in [topic, self.okTopic] {
            topic.grantPublishToAlarms()
            topic.grantPublishToDatabaseEvents()
        }
        scope.stack.finally { [self] in
            for alarm in alarms { scope.add(alarm.id, alarm.model, at: site) }
            for subscription in events { scope.add(subscription.id, subscription.model, at: site) }
        }
    }

    /// CPU, connections (a share of the class's max_connections), read and write latency,
    /// free storage and freeable memory of a standalone instance; each replica's lag and
    /// CPU. Recoveries (OK) go to `okTopic` when a team keeps them apart, else to `topic`.
    public convenience init(_ scope: Scope, for database: PostgresInstance, replicas: [PostgresReadReplica] = [], topic: EncryptedTopic,
                            okTopic: EncryptedTopic? = nil,
                            file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        let prefix = database.handle.logicalID
        self.init(scope, prefix, topic: topic, okTopic: okTopic, site: CallSite(file: file, line: line, column: column))
        let instance = Dimension.instance(database.handle)
        addCommon(instance, purpose: database.purpose, instanceClass: database.instanceClass)
        let freeBytes = Double(database.allocatedStorageGiB) * 0.1 * 1_073_741_824
        add("LowStorage", purpose: "\(database.purpose)-free-storage", dimension: instance, metric: "FreeStorageSpace",
            description: "Free storage below 10 % of the allocated \(database.allocatedStorageGiB) GiB",
            comparison: .lessThanThreshold, threshold: freeBytes, unit: .bytes, statistic: .minimum)
        for replica in replicas { addReplica(replica) }
        subscribe("\(prefix)Events", [database.handle.ref] + replicas.map(\.handle.ref), type: "db-instance", purpose: "\(database.purpose)-events")
    }

    /// A cross-region replica's lag and CPU, and its events (the standby of another region's
    /// primary, in the standby's stack).
    public convenience init(_ scope: Scope, forStandby replica: PostgresReadReplica, topic: EncryptedTopic, okTopic: EncryptedTopic? = nil,
                            file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        self.init(scope, "", topic: topic, okTopic: okTopic, site: CallSite(file: file, line: line, column: column))
        addReplica(replica)
        subscribe("\(replica.handle.logicalID)Events", [replica.handle.ref], type: "db-instance", purpose: "\(replica.purpose)-events")
    }

    private func addReplica(_ replica: PostgresReadReplica) {
        let id = replica.handle.logicalID
        add("\(id)Lag", purpose: "\(replica.purpose)-lag", dimension: .instance(replica.handle), metric: "ReplicaLag",
            description: "Replication lag above \(Int(thresholds.replicaLagSeconds)) s",
            threshold: thresholds.replicaLagSeconds, unit: .seconds, statistic: .maximum, prefixed: false)
        add("\(id)HighCPU", purpose: "\(replica.purpose)-cpu", dimension: .instance(replica.handle), metric: "CPUUtilization",
            description: "CPU above \(Int(thresholds.cpuPercent)) %", threshold: thresholds.cpuPercent, unit: .percent, prefixed: false)
    }

    /// CPU, connections, read and write latency and freeable memory of each member of an
    /// Aurora cluster, AuroraReplicaLag of each reader, and the cluster's events.
    public convenience init(_ scope: Scope, for cluster: AuroraPostgresCluster, topic: EncryptedTopic,
                            file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        self.init(scope, cluster.handle.logicalID, topic: topic, okTopic: nil, site: CallSite(file: file, line: line, column: column))
        for (index, member) in cluster.instanceHandles.enumerated() {
            let role = index == 0 ? "writer" : "reader-\(index)"
            let idPart = index == 0 ? "Writer" : "Reader\(index)"
            addCommon(.instance(member), purpose: "db-\(role)", instanceClass: cluster.instanceClass, idPart: idPart)
            if index > 0 {
                add("\(idPart)ReplicaLag", purpose: "db-\(role)-lag", dimension: .instance(member), metric: "AuroraReplicaLag",
                    description: "Aurora replica lag above \(Int(thresholds.replicaLagSeconds * 1000)) ms (the metric is in milliseconds)",
                    threshold: thresholds.replicaLagSeconds * 1000, unit: .milliseconds, statistic: .maximum)
            }
        }
        // The members' events (AL-09) and the cluster's own (failovers are cluster events).
        subscribe("\(prefix)InstanceEvents", cluster.instanceHandles.map(\.ref), type: "db-instance", purpose: "db-instance-events")
        subscribe("\(prefix)ClusterEvents", [cluster.handle.ref], type: "db-cluster", purpose: "db-cluster-events",
                  categories: ["failover", "failure", "maintenance", "notification"])
    }

    private var thresholds: AlarmThresholds { scope.profile.alarms.thresholds }

    private func addCommon(_ dimension: Dimension, purpose: String, instanceClass: DatabaseClass, idPart: String = "") {
        add("\(idPart)HighCPU", purpose: "\(purpose)-cpu", dimension: dimension, metric: "CPUUtilization",
            description: "CPU above \(Int(thresholds.cpuPercent)) %", threshold: thresholds.cpuPercent, unit: .percent)
        let connections = (Double(instanceClass.maxConnections) * thresholds.connectionsFraction).rounded(.down)
        add("\(idPart)Connections", purpose: "\(purpose)-connections", dimension: dimension, metric: "DatabaseConnections",
            description: "Connections above \(Int(thresholds.connectionsFraction * 100)) % of max_connections (\(instanceClass.maxConnections) on \(instanceClass.name))",
            threshold: connections, unit: .count)
        for metric in ["ReadLatency", "WriteLatency"] {
            add("\(idPart)\(metric)", purpose: "\(purpose)-\(metric == "ReadLatency" ? "read" : "write")-latency", dimension: dimension, metric: metric,
                description: "\(metric) above \(Int(thresholds.latencySeconds * 1000)) ms (the metric is in seconds)",
                threshold: thresholds.latencySeconds, unit: .seconds)
        }
        add("\(idPart)LowMemory", purpose: "\(purpose)-memory", dimension: dimension, metric: "FreeableMemory",
            description: "Freeable memory below 10 % of \(instanceClass.memoryGiB) GiB",
            comparison: .lessThanThreshold, threshold: Double(instanceClass.memoryBytes / 10), unit: .bytes, statistic: .minimum)
    }

    enum Dimension {
        case instance(ResourceHandle<RDS.DBInstance>)
        var model: CloudWatch.Alarm.Dimension {
            switch self {
            case .instance(let handle): return CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: handle.ref)
            }
        }
    }

    private func add(_ idPart: String, purpose: String, dimension: Dimension, metric: String, description: String,
                     comparison: Value<CloudWatch.Alarm.ComparisonOperator> = .greaterThanThreshold, threshold: Double,
                     unit: Value<CloudWatch.Alarm.Unit>, statistic: Value<CloudWatch.Alarm.Statistic> = .average, prefixed: Bool = true) {
        let topic = topic.arn
        let okTopic = okTopic.arn
        let periods = scope.profile.alarms.evaluationPeriods ?? 2
        alarms.append((id: "\(prefixed ? prefix : "")\(idPart)Alarm", model: CloudWatch.Alarm {
            $0.alarmActions = [topic]
            $0.alarmDescription = .literal(description)
            $0.alarmName = scope.name(purpose)
            $0.comparisonOperator = comparison
            $0.dimensions = [dimension.model]
            $0.evaluationPeriods = .literal(periods)
            $0.metricName = .literal(metric)
            $0.namespace = "AWS/RDS"
            $0.okActions = [okTopic]
            $0.period = 60
            $0.statistic = statistic
            $0.tags = scope.tags(name: purpose)
            $0.threshold = .literal(threshold)
            $0.treatMissingData = .breaching
            $0.unit = unit
        }))
    }

    private func subscribe(_ id: String, _ sources: [Value<String>], type: Value<String>, purpose: String,
                           categories: [String] = ["availability", "failover", "failure", "recovery", "maintenance"]) {
        events.append((id: "\(id)Subscription", model: RDS.EventSubscription(snsTopicArn: topic.arn) {
            $0.enabled = true
            $0.eventCategories = .literal(categories)
            $0.sourceIds = .list(sources)
            $0.sourceType = type
            $0.subscriptionName = scope.name(purpose)
            $0.tags = scope.tags(name: purpose)
        }))
    }
}

extension PostgresInstance {
    /// The instance's ``DatabaseAlarms`` (and its replicas'), in its scope: the stack keeps
    /// them whether or not the result is used.
    @discardableResult
    public func addAlarms(replicas: [PostgresReadReplica] = [], topic: EncryptedTopic, okTopic: EncryptedTopic? = nil,
                          file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> DatabaseAlarms {
        DatabaseAlarms(scope, for: self, replicas: replicas, topic: topic, okTopic: okTopic, file: file, line: line, column: column)
    }
}

extension AuroraPostgresCluster {
    /// The cluster's ``DatabaseAlarms``, in its scope: the stack keeps them whether or not
    /// the result is used, as ``addProxy(purpose:)`` does a proxy.
    @discardableResult
    public func addAlarms(topic: EncryptedTopic, file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> DatabaseAlarms {
        DatabaseAlarms(scope, for: self, topic: topic, file: file, line: line, column: column)
    }
}

extension Queue {
    /// An alarm when the dead-letter queue holds any message (a message that failed every
    /// retry), to `topic` on ALARM and OK; CloudWatch is granted the topic.
    public func alarmOnDeadLetters(to topic: EncryptedTopic, scope: Scope, purpose: String,
                                   file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        topic.grantPublishToAlarms()
        let site = CallSite(file: file, line: line, column: column)
        deadLetterAlarmModel = CloudWatch.Alarm {
            $0.alarmActions = [topic.arn]
            $0.alarmDescription = "Messages in the dead-letter queue: they failed every retry"
            $0.alarmName = scope.name("\(purpose)-dlq-depth")
            $0.comparisonOperator = .greaterThanThreshold
            $0.dimensions = [CloudWatch.Alarm.Dimension(name: "QueueName", value: deadLetterName)]
            $0.evaluationPeriods = 1
            $0.metricName = "ApproximateNumberOfMessagesVisible"
            $0.namespace = "AWS/SQS"
            $0.okActions = [topic.arn]
            $0.period = 300
            $0.statistic = .maximum
            $0.tags = scope.tags(name: "\(purpose)-dlq-depth")
            $0.threshold = 0
            $0.treatMissingData = .notBreaching
            $0.unit = .count
        }
        scope.stack.finally { [self] in
            if let deadLetterAlarmModel { scope.add("\(handle.logicalID)DeadLetterAlarm", deadLetterAlarmModel, at: site) }
        }
    }
}
