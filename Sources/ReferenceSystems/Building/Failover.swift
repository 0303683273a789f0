import Formwork
import FormworkCloudWatch
import FormworkEvents
import FormworkIAM
import FormworkLambda
import FormworkLogs
import FormworkRoute53

/// The standby region's failover machinery: a health monitor on an EventBridge schedule
/// that publishes the primary's availability as a metric, an alarm on that metric that a
/// Route 53 health check follows, failover records (PRIMARY on the primary's endpoint while
/// the check is healthy, SECONDARY on the replica), and a failover function that promotes
/// the replica and points the PRIMARY record at it. It all lives in the standby stack: the
/// stack that must work when the primary's region does not.
struct FailoverMachinery {
    struct Inputs {
        var primaryIdentifier: Value<String>
        var primaryArn: Value<String>
        var primaryRegion: Value<String>
        var primaryEndpoint: Value<String>
        var replica: DatabaseInstance
        var condition: Condition
        /// Consecutive failed one-minute checks before failover.
        var failureThreshold = 3
        /// The failover function's budget (seed 002: within 5 minutes of detection).
        var budgetSeconds = 300
        var backupRetentionDays: Int
    }

    init(_ system: SystemStack, _ inputs: Inputs) {
        let stack = system.stack
        let zone = stack.parameter("HostedZoneId", .awsSpecific("AWS::Route53::HostedZone::Id", description: "The hosted zone of the database's DNS name"))
        let zoneName = stack.parameter("HostedZoneName", .string(
            description: "The hosted zone's domain (for example example.internal); clients connect to <system>-db-<suffix>.<domain>",
            allowedPattern: "^([a-z0-9-]+\\.)*[a-z0-9-]+$", maxLength: 200, constraintDescription: "a lowercase domain name"))
        // The suffix keeps the environments that share a zone apart.
        let recordName: Value<String> = "\(literal: system.system)-db-\(system.suffix).\(zoneName)"
        guard let alertTopic = system.alertTopic, let recoveryTopic = system.recoveryTopic, let alertKey = system.alertKey else {
            preconditionFailure("call alerting() before the failover machinery")
        }
        let condition = inputs.condition
        let namespace: Value<String> = "Formwork/\(literal: system.system)"
        let replicaArn: Value<String> = "arn:\(Pseudo.partition):rds:\(Pseudo.region):\(Pseudo.accountID):db:\(inputs.replica.identifier)"

        // The primary is unavailable: the monitor's metric is below 1 for the threshold's minutes.
        let unavailable = stack.add("PrimaryUnavailableAlarm", CloudWatch.Alarm {
            $0.alarmActions = [alertTopic.ref]
            $0.alarmDescription = .literal("The primary database failed \(inputs.failureThreshold) consecutive one-minute health checks from the standby region")
            $0.alarmName = system.name("primary-unavailable")
            $0.comparisonOperator = "LessThanThreshold"
            $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: inputs.primaryIdentifier)]
            $0.evaluationPeriods = .literal(inputs.failureThreshold)
            $0.metricName = "PrimaryAvailable"
            $0.namespace = namespace
            $0.okActions = [recoveryTopic.ref]
            $0.period = 60
            $0.statistic = "Maximum"
            $0.tags = system.tags(name: "primary-unavailable")
            $0.threshold = 1
            $0.treatMissingData = "breaching"
            $0.unit = "Count"
        }, condition: condition)
        let healthCheckConfig = Route53.HealthCheck.HealthCheckConfig(type: .cloudwatchMetric) {
            $0.alarmIdentifier = Route53.HealthCheck.AlarmIdentifier(name: system.name("primary-unavailable"), region: .init(Pseudo.region))
            $0.insufficientDataHealthStatus = .lastKnownStatus
        }
        let healthCheck = stack.add("PrimaryHealthCheck", Route53.HealthCheck(healthCheckConfig: healthCheckConfig) {
            $0.healthCheckTags = system.tags(name: "primary-health")
        }, condition: condition, dependsOn: [unavailable])
        stack.add("PrimaryRecord", Route53.RecordSet(name: recordName, type: "CNAME") {
            $0.comment = "The primary while its health check passes; the failover function points it at the promoted replica"
            $0.failover = "PRIMARY"
            $0.healthCheckId = healthCheck.ref
            $0.hostedZoneId = zone.ref
            $0.resourceRecords = [inputs.primaryEndpoint]
            $0.setIdentifier = "primary"
            $0.ttl = "60"
        }, condition: condition)
        stack.add("StandbyRecord", Route53.RecordSet(name: recordName, type: "CNAME") {
            $0.comment = "The standby replica, answered when the primary's health check fails"
            $0.failover = "SECONDARY"
            $0.hostedZoneId = zone.ref
            $0.resourceRecords = [inputs.replica.handle.endpointAddress]
            $0.setIdentifier = "standby"
            $0.ttl = "60"
        }, condition: condition)

        // The failover function.
        let failover = system.pythonFunction(
            "FailoverFunction", purpose: "failover", source: LambdaSources.failover,
            description: "Promotes the standby replica and points the database record at it",
            roleDescription: "Promote the standby replica, repoint the database record, notify",
            permissions: [
                Policies.allow(["rds:DescribeDBInstances", "rds:PromoteReadReplica"], [replicaArn], sid: "PromoteTheReplica"),
                Policies.allow(["route53:ChangeResourceRecordSets"], ["arn:\(Pseudo.partition):route53:::hostedzone/\(zone)"], sid: "RepointTheRecord"),
                Policies.allow(["sns:Publish"], [alertTopic.ref], sid: "Notify"),
                Policies.allow(["kms:Decrypt", "kms:GenerateDataKey"], [alertKey.arn], sid: "EncryptTheNotification"),
            ],
            environment: [
                "REPLICA_ID": JSON(inputs.replica.identifier),
                "HOSTED_ZONE_ID": JSON(zone.ref),
                "RECORD_NAME": JSON(recordName),
                "SET_IDENTIFIER": "primary",
                "TOPIC_ARN": JSON(alertTopic.ref),
                "BUDGET_SECONDS": JSON(stringLiteral: String(inputs.budgetSeconds)),
                "POLL_SECONDS": "15",
                "BACKUP_RETENTION_DAYS": JSON(stringLiteral: String(inputs.backupRetentionDays)),
            ],
            timeoutSeconds: inputs.budgetSeconds + 30, condition: condition)

        // The health monitor, every minute.
        let monitor = system.pythonFunction(
            "HealthMonitorFunction", purpose: "health-monitor", source: LambdaSources.healthMonitor,
            description: "Checks the primary database every minute and starts the failover after consecutive failures",
            roleDescription: "Check the primary, publish its availability, start the failover",
            permissions: [
                Policies.allow(["rds:DescribeDBInstances"], [inputs.primaryArn, replicaArn], sid: "DescribeTheDatabases"),
                // Metric APIs take no resource ARNs.
                Policies.allow(["cloudwatch:PutMetricData", "cloudwatch:GetMetricStatistics"], ["*"], sid: "PublishAvailability"),
                Policies.allow(["lambda:InvokeFunction"], [failover.arn], sid: "StartTheFailover"),
                Policies.allow(["sns:Publish"], [alertTopic.ref], sid: "Notify"),
                Policies.allow(["kms:Decrypt", "kms:GenerateDataKey"], [alertKey.arn], sid: "EncryptTheNotification"),
            ],
            environment: [
                "PRIMARY_ID": JSON(inputs.primaryIdentifier),
                "PRIMARY_REGION": JSON(inputs.primaryRegion),
                "REPLICA_ID": JSON(inputs.replica.identifier),
                "FAILOVER_FUNCTION": JSON(failover.ref),
                "TOPIC_ARN": JSON(alertTopic.ref),
                "METRIC_NAMESPACE": JSON(namespace),
                "FAILURE_THRESHOLD": JSON(stringLiteral: String(inputs.failureThreshold)),
            ],
            timeoutSeconds: 50, condition: condition)
        let schedule = stack.add("HealthMonitorSchedule", Events.Rule {
            $0.description = "Runs the health monitor every minute"
            $0.name = system.name("health-monitor")
            $0.scheduleExpression = "rate(1 minute)"
            $0.state = "ENABLED"
            $0.tags = system.tags(name: "health-monitor")
            $0.targets = [Events.Rule.Target(arn: monitor.arn, id: "HealthMonitor") {
                $0.retryPolicy = Events.Rule.RetryPolicy { $0.maximumEventAgeInSeconds = 60; $0.maximumRetryAttempts = 0 }
            }]
        }, condition: condition)
        stack.add("HealthMonitorSchedulePermission", Lambda.Permission(action: "lambda:InvokeFunction", functionName: monitor.ref, principal: "events.amazonaws.com") {
            $0.sourceArn = schedule.arn
        }, condition: condition)
    }
}

extension SystemStack {
    /// A Python function from inlined source, with its own role (the given permissions plus
    /// writing its own log group) and its log group declared with a retention (LC-06).
    func pythonFunction(
        _ id: String, purpose: String, source: String, description: String, roleDescription: String,
        permissions: [JSON], environment: KeyValuePairs<String, JSON>, timeoutSeconds: Int, condition: Condition?
    ) -> ResourceHandle<Lambda.Function> {
        let functionName = name(purpose)
        let logs = functionLogGroup("\(id)LogGroup", functionName: functionName, condition: condition)
        let role = stack.add("\(id)Role", IAM.Role(assumeRolePolicyDocument: Policies.trust("lambda.amazonaws.com")) {
            $0.description = .literal(roleDescription)
            $0.policies = [IAM.Role.Policy(policyDocument: Policies.document(
                permissions + [Policies.allow(["logs:CreateLogStream", "logs:PutLogEvents"], [logs.arn], sid: "WriteItsLogs")]), policyName: .literal(purpose))]
            $0.roleName = functionName
            $0.tags = tags(name: purpose)
        }, condition: condition)
        return stack.add(id, Lambda.Function(code: Lambda.Function.Code { $0.zipFile = .literal(source) }, role: role.arn) {
            $0.description = .literal(description)
            $0.environment = Lambda.Function.Environment { $0.variables = .object(environment.map { ($0.key, $0.value) }) }
            $0.functionName = functionName
            $0.handler = "index.handler"
            $0.memorySize = 256
            $0.runtime = "python3.12"
            $0.tags = tags(name: purpose)
            $0.timeout = .literal(timeoutSeconds)
        }, condition: condition, dependsOn: [logs])
    }

    /// `/aws/lambda/<name>`, declared so that it goes with the stack (LC-06).
    func functionLogGroup(_ id: String, functionName: Value<String>, condition: Condition?) -> ResourceHandle<Logs.LogGroup> {
        stack.add(id, Logs.LogGroup {
            $0.kmsKeyId = logKey().arn
            $0.logGroupName = "/aws/lambda/\(functionName)"
            $0.retentionInDays = 30
            $0.tags = tags()
        },
                  condition: condition, deletionPolicy: .delete, updateReplacePolicy: .delete)
    }
}
