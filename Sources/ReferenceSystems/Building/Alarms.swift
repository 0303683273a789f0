import Formwork
import FormworkCloudWatch
import FormworkRDS

extension SystemStack {
    /// One alarm on an RDS metric of one instance, notifying the alert topic on ALARM and
    /// the recovery topic on OK. Missing data is breaching: a stopped or failed instance
    /// sends no metrics, and that must alarm, not look healthy.
    @discardableResult
    func databaseAlarm(
        _ id: String, purpose: String, instance: DatabaseInstance, metric: String, description: String,
        statistic: String = "Average", comparison: String = "GreaterThanThreshold", threshold: Double,
        unit: String? = nil, policy: AlarmPolicy, condition: Condition? = nil
    ) -> ResourceHandle<CloudWatch.Alarm> {
        guard let alertTopic, let recoveryTopic else { preconditionFailure("call alerting() before adding alarms") }
        return stack.add(id, CloudWatch.Alarm(
            alarmActions: [alertTopic.ref],
            alarmDescription: .literal(description),
            alarmName: name(purpose),
            comparisonOperator: .literal(comparison),
            dimensions: [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: instance.handle.ref)],
            evaluationPeriods: .literal(policy.evaluationPeriods),
            metricName: .literal(metric),
            namespace: "AWS/RDS",
            okActions: [recoveryTopic.ref],
            period: .literal(policy.periodSeconds),
            statistic: .literal(statistic),
            tags: tags(name: purpose),
            threshold: .literal(threshold),
            treatMissingData: "breaching",
            unit: unit.map { .literal($0) }), condition: condition)
    }

    /// The alarms a standalone instance needs (AL-02): CPU, connections at 80 % of the
    /// explicit max_connections, read and write latency, free storage.
    func primaryAlarms(_ instance: DatabaseInstance, prefix: String = "Primary", purpose: String = "primary", spec: DatabaseSpec, policy: AlarmPolicy) {
        let tuning = spec.tuning
        databaseAlarm("\(prefix)HighCPUAlarm", purpose: "\(purpose)-cpu", instance: instance, metric: "CPUUtilization",
                      description: "CPU above \(Int(policy.cpuPercent)) % for \(policy.evaluationPeriods) periods",
                      threshold: policy.cpuPercent, unit: "Percent", policy: policy)
        databaseAlarm("\(prefix)ConnectionsAlarm", purpose: "\(purpose)-connections", instance: instance, metric: "DatabaseConnections",
                      description: "Connections above 80 % of max_connections (\(tuning.maxConnections) on \(spec.instanceClass.rawValue))",
                      threshold: Double(tuning.connectionsAlarmThreshold), unit: "Count", policy: policy)
        databaseAlarm("\(prefix)ReadLatencyAlarm", purpose: "\(purpose)-read-latency", instance: instance, metric: "ReadLatency",
                      description: "Read latency above \(Int(policy.latencySeconds * 1000)) ms (the metric is in seconds)",
                      threshold: policy.latencySeconds, unit: "Seconds", policy: policy)
        databaseAlarm("\(prefix)WriteLatencyAlarm", purpose: "\(purpose)-write-latency", instance: instance, metric: "WriteLatency",
                      description: "Write latency above \(Int(policy.latencySeconds * 1000)) ms (the metric is in seconds)",
                      threshold: policy.latencySeconds, unit: "Seconds", policy: policy)
        let freeBytes = Double(spec.allocatedStorageGiB) * policy.freeStorageFraction * 1_073_741_824
        databaseAlarm("\(prefix)LowStorageAlarm", purpose: "\(purpose)-free-storage", instance: instance, metric: "FreeStorageSpace",
                      description: "Free storage below \(Int(policy.freeStorageFraction * 100)) % of the allocated \(spec.allocatedStorageGiB) GiB",
                      comparison: "LessThanThreshold", threshold: freeBytes.rounded(), unit: "Bytes", policy: policy)
    }

    /// A replica's alarms: replication lag in seconds, and CPU.
    func replicaAlarms(_ instance: DatabaseInstance, prefix: String, purpose: String, policy: AlarmPolicy, condition: Condition? = nil) {
        databaseAlarm("\(prefix)LagAlarm", purpose: "\(purpose)-lag", instance: instance, metric: "ReplicaLag",
                      description: "Replication lag above \(Int(policy.replicaLagSeconds)) s (the metric is in seconds)",
                      statistic: "Maximum", threshold: policy.replicaLagSeconds, unit: "Seconds", policy: policy, condition: condition)
        databaseAlarm("\(prefix)HighCPUAlarm", purpose: "\(purpose)-cpu", instance: instance, metric: "CPUUtilization",
                      description: "CPU above \(Int(policy.cpuPercent)) % for \(policy.evaluationPeriods) periods",
                      threshold: policy.cpuPercent, unit: "Percent", policy: policy, condition: condition)
    }

    /// RDS events (failover, failure, recovery, maintenance) to the alert topic (AL-09).
    func databaseEvents(_ instances: [DatabaseInstance], condition: Condition? = nil) {
        guard let alertTopic else { preconditionFailure("call alerting() before adding event subscriptions") }
        stack.add("DatabaseEventSubscription", RDS.EventSubscription(
            enabled: true,
            eventCategories: ["availability", "failover", "failure", "recovery", "maintenance", "low storage"],
            snsTopicArn: alertTopic.ref,
            sourceIds: Value(unchecked: .array(instances.map(\.handle.ref.node))),
            sourceType: "db-instance",
            subscriptionName: name("db-events"),
            tags: tags(name: "db-events")), condition: condition)
    }
}
