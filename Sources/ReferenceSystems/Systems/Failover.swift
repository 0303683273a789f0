import Formwork
import FormworkCloudWatch
import FormworkConstructs
import FormworkEvents
import FormworkLambda

/// The standby region's failover machinery: a health monitor on an EventBridge schedule
/// that publishes the primary's availability as a metric, an alarm on that metric that a
/// Route 53 health check follows, failover records (PRIMARY on the primary's endpoint while
/// the check is healthy, SECONDARY on the replica), and a failover function that promotes
/// the replica and points the PRIMARY record at it. It all lives in the standby stack: the
/// stack that must work when the primary's region does not.
enum Failover {
    /// Consecutive failed one-minute checks before failover.
    static let failureThreshold = 3
    /// The failover function's budget (seed 002: within 5 minutes of detection).
    static let budgetSeconds = 300

    static func add(to base: SystemScope, _ scope: Scope, primaryIdentifier: Value<String>, primaryArn: Value<String>, primaryRegion: Value<String>,
         primaryEndpoint: Value<String>, replica: PostgresReadReplica, backupRetentionDays: Int) {
        let stack = base.stack
        let zone = stack.parameter("HostedZoneId", .awsSpecific("AWS::Route53::HostedZone::Id", description: "The hosted zone of the database's DNS name")).ref
        let zoneName = stack.parameter("HostedZoneName", .string(
            description: "The hosted zone's domain (for example example.internal); clients connect to <system>-db-<suffix>.<domain>",
            allowedPattern: "^([a-z0-9-]+\\.)*[a-z0-9-]+$", maxLength: 200, constraintDescription: "a lowercase domain name")).ref
        // The suffix keeps the environments that share a zone apart.
        let recordName: Value<String> = "\(literal: scope.system)-db-\(scope.suffix).\(zoneName)"
        let namespace: Value<String> = "Formwork/\(literal: scope.system)"
        let replicaArn: Value<String> = "arn:\(Pseudo.partition):rds:\(Pseudo.region):\(Pseudo.accountID):db:\(replica.identifier)"
        let condition = scope.condition

        // The primary is unavailable: the monitor's metric is below 1 for the threshold's minutes.
        let unavailable = stack.add("PrimaryUnavailableAlarm", CloudWatch.Alarm {
            $0.alarmActions = [base.alarms.arn]
            $0.alarmDescription = .literal("The primary database failed \(Self.failureThreshold) consecutive one-minute health checks from the standby region")
            $0.alarmName = scope.name("primary-unavailable")
            $0.comparisonOperator = .lessThanThreshold
            $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: primaryIdentifier)]
            $0.evaluationPeriods = .literal(Self.failureThreshold)
            $0.metricName = "PrimaryAvailable"
            $0.namespace = namespace
            $0.okActions = [base.recoveries.arn]
            $0.period = 60
            $0.statistic = .maximum
            $0.tags = scope.tags(name: "primary-unavailable")
            $0.threshold = 1
            $0.treatMissingData = .breaching
            $0.unit = .count
        }, condition: condition)
        _ = FailoverPair(scope, "Database", name: recordName, hostedZoneId: zone, primary: primaryEndpoint, secondary: replica.endpoint, healthAlarm: unavailable)

        // Notifications go to the alert topic: sns:Publish and its key's data-key calls.
        func notify(_ worker: LambdaWorker) {
            worker.allow(Statement(sid: "Notify", actions: [.sns.publish], resources: [base.alarms.arn]))
            worker.allow(Statement(sid: "EncryptTheNotification", actions: [.kms.decrypt, .kms.generateDataKey], resources: [base.alarms.key.arn]))
        }
        let failover = LambdaWorker(scope, "FailoverFunction", purpose: "failover", source: LambdaSources.failover,
                                    description: "Promotes the standby replica and points the database record at it", logKey: base.key,
                                    timeoutSeconds: Self.budgetSeconds + 30, environment: [
                                        "REPLICA_ID": replica.identifier, "HOSTED_ZONE_ID": zone, "RECORD_NAME": recordName, "SET_IDENTIFIER": "primary",
                                        "TOPIC_ARN": base.alarms.arn, "BUDGET_SECONDS": .literal(String(Self.budgetSeconds)), "POLL_SECONDS": "15",
                                        "BACKUP_RETENTION_DAYS": .literal(String(backupRetentionDays)),
                                    ])
        failover.allow(Statement(sid: "PromoteTheReplica", actions: [.rds.describeDBInstances, .rds.promoteReadReplica], resources: [replicaArn]))
        failover.allow(Statement(sid: "RepointTheRecord", actions: [.route53.changeResourceRecordSets], resources: ["arn:\(Pseudo.partition):route53:::hostedzone/\(zone)"]))
        notify(failover)

        // The health monitor, every minute.
        let monitor = LambdaWorker(scope, "HealthMonitorFunction", purpose: "health-monitor", source: LambdaSources.healthMonitor,
                                   description: "Checks the primary database every minute and starts the failover after consecutive failures",
                                   logKey: base.key, timeoutSeconds: 50, environment: [
                                       "PRIMARY_ID": primaryIdentifier, "PRIMARY_REGION": primaryRegion, "REPLICA_ID": replica.identifier,
                                       "FAILOVER_FUNCTION": failover.handle.ref, "TOPIC_ARN": base.alarms.arn, "METRIC_NAMESPACE": namespace,
                                       "FAILURE_THRESHOLD": .literal(String(Self.failureThreshold)),
                                   ])
        monitor.allow(Statement(sid: "DescribeTheDatabases", actions: [.rds.describeDBInstances], resources: [primaryArn, replicaArn]))
        // Metric APIs take no resource ARNs.
        monitor.allow(Statement(sid: "PublishAvailability", actions: [.cloudwatch.putMetricData, .cloudwatch.getMetricStatistics], resources: ["*"]))
        monitor.allow(Statement(sid: "StartTheFailover", actions: [.lambda.invokeFunction], resources: [failover.arn]))
        notify(monitor)
        let schedule = stack.add("HealthMonitorSchedule", Events.Rule {
            $0.description = "Runs the health monitor every minute"
            $0.name = scope.name("health-monitor")
            $0.scheduleExpression = "rate(1 minute)"
            $0.state = "ENABLED"
            $0.tags = scope.tags(name: "health-monitor")
            $0.targets = [Events.Rule.Target(arn: monitor.arn, id: "HealthMonitor") {
                $0.retryPolicy = Events.Rule.RetryPolicy { $0.maximumEventAgeInSeconds = 60; $0.maximumRetryAttempts = 0 }
            }]
        }, condition: condition)
        stack.add("HealthMonitorSchedulePermission", Lambda.Permission(action: "lambda:InvokeFunction", functionName: monitor.handle.ref, principal: "events.amazonaws.com") {
            $0.sourceArn = schedule.arn
        }, condition: condition)
    }
}
