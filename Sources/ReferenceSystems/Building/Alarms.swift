import Formwork
import FormworkCloudWatch
import FormworkRDS

extension SystemStack {
    /// One alarm on an RDS metric of one instance, notifying the alert topic on ALARM and
    /// the recovery topic on OK. Missing data is breaching: a stopped or failed instance
    /// sends no metrics, and that must alarm, not look healthy.
    @discardableResult
    func databaseAlarm(
        _ id: String, purpose: String, instance: DatabaseInstance, metric: Value<String>, description: Value<String>,
        statistic: Value<CloudWatch.Alarm.Statistic> = .average, comparison: Value<CloudWatch.Alarm.ComparisonOperator> = .greaterThanThreshold,
        threshold: Double, unit: Value<CloudWatch.Alarm.Unit>? = nil, policy: AlarmPolicy, condition: Condition? = nil
    ) -> ResourceHandle<CloudWatch.Alarm> {
        guard let alertTopic, let recoveryTopic else { preconditionFailure("call alerting() before adding alarms") }
        return stack.add(id, CloudWatch.Alarm {
            $0.alarmActions = [alertTopic.ref]
            $0.alarmDescription = description
            $0.alarmName = name(purpose)
            $0.comparisonOperator = comparison
            $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: instance.handle.ref)]
            $0.evaluationPeriods = .literal(policy.evaluationPeriods)
            $0.metricName = metric
            $0.namespace = "AWS/RDS"
            $0.okActions = [recoveryTopic.ref]
            $0.period = .literal(policy.periodSeconds)
            $0.statistic = statistic
            $0.tags = tags(name: purpose)
            $0.threshold = .literal(threshold)
            $0.treatMissingData = .breaching
            $0.unit = unit
        }, condition: condition)
    }

    /// The alarms a standalone instance needs (AL-02): CPU, connections at 80 % of the
    /// explicit max_connections, read and write latency, free storage.
    func primaryAlarms(_ instance: DatabaseInstance, prefix: String = "Primary", purpose: String = "primary", spec: DatabaseSpec, policy: AlarmPolicy) {
        let tuning = spec.tuning
        databaseAlarm("\(prefix)HighCPUAlarm", purpose: "\(purpose)-cpu", instance: instance, metric: "CPUUtilization",
                      description: "CPU above \(Int(policy.cpuPercent)) % for \(policy.evaluationPeriods) periods",
                      threshold: policy.cpuPercent, unit: .percent, policy: policy)
        databaseAlarm("\(prefix)ConnectionsAlarm", purpose: "\(purpose)-connections", instance: instance, metric: "DatabaseConnections",
                      description: "Connections above 80 % of max_connections (\(tuning.maxConnections) on \(spec.instanceClass.rawValue))",
                      threshold: Double(tuning.connectionsAlarmThreshold), unit: .count, policy: policy)
        databaseAlarm("\(prefix)ReadLatencyAlarm", purpose: "\(purpose)-read-latency", instance: instance, metric: "ReadLatency",
                      description: "Read latency above \(Int(policy.latencySeconds * 1000)) ms (the metric is in seconds)",
                      threshold: policy.latencySeconds, unit: .seconds, policy: policy)
        databaseAlarm("\(prefix)WriteLatencyAlarm", purpose: "\(purpose)-write-latency", instance: instance, metric: "WriteLatency",
                      description: "Write latency above \(Int(policy.latencySeconds * 1000)) ms (the metric is in seconds)",
                      threshold: policy.latencySeconds, unit: .seconds, policy: policy)
        let freeBytes = Double(spec.allocatedStorageGiB) * policy.freeStorageFraction * 1_073_741_824
        databaseAlarm("\(prefix)LowStorageAlarm", purpose: "\(purpose)-free-storage", instance: instance, metric: "FreeStorageSpace",
                      description: "Free storage below \(Int(policy.freeStorageFraction * 100)) % of the allocated \(spec.allocatedStorageGiB) GiB",
                      comparison: .lessThanThreshold, threshold: freeBytes.rounded(), unit: .bytes, policy: policy)
    }

    /// A replica's alarms: replication lag in seconds, and CPU.
    func replicaAlarms(_ instance: DatabaseInstance, prefix: String, purpose: String, policy: AlarmPolicy, condition: Condition? = nil) {
        databaseAlarm("\(prefix)LagAlarm", purpose: "\(purpose)-lag", instance: instance, metric: "ReplicaLag",
                      description: "Replication lag above \(Int(policy.replicaLagSeconds)) s (the metric is in seconds)",
                      statistic: .maximum, threshold: policy.replicaLagSeconds, unit: .seconds, policy: policy, condition: condition)
        databaseAlarm("\(prefix)HighCPUAlarm", purpose: "\(purpose)-cpu", instance: instance, metric: "CPUUtilization",
                      description: "CPU above \(Int(policy.cpuPercent)) % for \(policy.evaluationPeriods) periods",
                      threshold: policy.cpuPercent, unit: .percent, policy: policy, condition: condition)
    }

    /// RDS events (failover, failure, recovery, maintenance) to the alert topic (AL-09).
    func databaseEvents(_ instances: [DatabaseInstance], condition: Condition? = nil) {
        guard let alertTopic else { preconditionFailure("call alerting() before adding event subscriptions") }
        stack.add("DatabaseEventSubscription", RDS.EventSubscription(snsTopicArn: alertTopic.ref) {
            $0.enabled = true
            $0.eventCategories = ["availability", "failover", "failure", "recovery", "maintenance", "low storage"]
            $0.sourceIds = .list(instances.map(\.handle.ref))
            $0.sourceType = "db-instance"
            $0.subscriptionName = name("db-events")
            $0.tags = tags(name: "db-events")
        }, condition: condition)
    }
}
