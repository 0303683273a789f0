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
        let unavailable = stack.add("PrimaryUnavailableAlarm", CloudWatch.Alarm(
            alarmActions: [alertTopic.ref],
            alarmDescription: .literal("The primary database failed \(inputs.failureThreshold) consecutive one-minute health checks from the standby region"),
            alarmName: system.name("primary-unavailable"),
            comparisonOperator: "LessThanThreshold",
            dimensions: [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: inputs.primaryIdentifier)],
            evaluationPeriods: .literal(inputs.failureThreshold),
            metricName: "PrimaryAvailable",
            namespace: namespace,
            okActions: [recoveryTopic.ref],
            period: 60,
            statistic: "Maximum",
            tags: system.tags(name: "primary-unavailable"),
            threshold: 1,
            treatMissingData: "breaching",
            unit: "Count"), condition: condition)
        let healthCheck = stack.add("PrimaryHealthCheck", Route53.HealthCheck(
            healthCheckConfig: Route53.HealthCheck.HealthCheckConfig(
                alarmIdentifier: Route53.HealthCheck.AlarmIdentifier(name: system.name("primary-unavailable"), region: Pseudo.region),
                insufficientDataHealthStatus: "LastKnownStatus",
                type: "CLOUDWATCH_METRIC"),
            healthCheckTags: system.tags(name: "primary-health")), condition: condition, dependsOn: [unavailable])
        stack.add("PrimaryRecord", Route53.RecordSet(
            comment: "The primary while its health check passes; the failover function points it at the promoted replica",
            failover: "PRIMARY", healthCheckId: healthCheck.ref, hostedZoneId: zone.ref, name: recordName,
            resourceRecords: Value(unchecked: .array([inputs.primaryEndpoint.node])), setIdentifier: "primary", ttl: "60", type: "CNAME"),
            condition: condition)
        stack.add("StandbyRecord", Route53.RecordSet(
            comment: "The standby replica, answered when the primary's health check fails",
            failover: "SECONDARY", hostedZoneId: zone.ref, name: recordName,
            resourceRecords: Value(unchecked: .array([inputs.replica.handle.endpointAddress.node])), setIdentifier: "standby", ttl: "60", type: "CNAME"),
            condition: condition)

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
        let schedule = stack.add("HealthMonitorSchedule", Events.Rule(
            description: "Runs the health monitor every minute",
            name: system.name("health-monitor"),
            scheduleExpression: "rate(1 minute)",
            state: "ENABLED",
            tags: system.tags(name: "health-monitor"),
            targets: [Events.Rule.Target(arn: monitor.arn, id: "HealthMonitor", retryPolicy: Events.Rule.RetryPolicy(maximumEventAgeInSeconds: 60, maximumRetryAttempts: 0))]),
            condition: condition)
        stack.add("HealthMonitorSchedulePermission", Lambda.Permission(
            action: "lambda:InvokeFunction", functionName: monitor.ref, principal: "events.amazonaws.com", sourceArn: schedule.arn),
            condition: condition)
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
        let role = stack.add("\(id)Role", IAM.Role(
            assumeRolePolicyDocument: Policies.trust("lambda.amazonaws.com"),
            description: .literal(roleDescription),
            policies: [IAM.Role.Policy(policyDocument: Policies.document(
                permissions + [Policies.allow(["logs:CreateLogStream", "logs:PutLogEvents"], [logs.arn], sid: "WriteItsLogs")]),
                policyName: .literal(purpose))],
            roleName: functionName,
            tags: tags(name: purpose)), condition: condition)
        var variables = ObjectMap()
        for (key, value) in environment { variables.set(key, value.node) }
        return stack.add(id, Lambda.Function(
            code: Lambda.Function.Code(zipFile: .literal(source)),
            description: .literal(description),
            environment: Lambda.Function.Environment(variables: JSON(Node.object(variables))),
            functionName: functionName,
            handler: "index.handler",
            memorySize: 256,
            role: role.arn,
            runtime: "python3.12",
            tags: tags(name: purpose),
            timeout: .literal(timeoutSeconds)), condition: condition, dependsOn: [logs])
    }

    /// `/aws/lambda/<name>`, declared so that it goes with the stack (LC-06).
    func functionLogGroup(_ id: String, functionName: Value<String>, condition: Condition?) -> ResourceHandle<Logs.LogGroup> {
        stack.add(id, Logs.LogGroup(kmsKeyId: JSON(logKey().arn), logGroupName: "/aws/lambda/\(functionName)", retentionInDays: 30, tags: tags()),
                  condition: condition, deletionPolicy: .delete, updateReplacePolicy: .delete)
    }
}
