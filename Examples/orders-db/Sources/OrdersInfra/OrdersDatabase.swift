import Formwork
import FormworkCloudWatch
import FormworkEC2
import FormworkIAM
import FormworkKMS
import FormworkLogs
import FormworkRDS
import FormworkSNS

/// PostgreSQL for the orders service in a VPC the platform team already runs: encrypted
/// with its own key, Multi-AZ, tuned, monitored, alarms to the team's topic.
func ordersDatabase() -> Stack {
    let stack = Stack(description: "orders PostgreSQL 16 on RDS in the shared VPC (Examples/orders-db)")
    let suffix = stack.parameter("EnvironmentSuffix", .string(
        description: "Suffix of every name and the Environment tag (dev1, pr482)",
        allowedPattern: "^[a-z0-9][a-z0-9-]*$", minLength: 1, maxLength: 12))
    let vpc = stack.parameter("VpcId", .awsSpecific("AWS::EC2::VPC::Id", description: "The shared VPC"))
    let subnets = stack.parameter("DataSubnetIds", .awsSpecificList("AWS::EC2::Subnet::Id", description: "Private data subnets, one per zone"))
    let appCidr = stack.parameter("ApplicationCidr", .string(
        description: "The application subnets' CIDR, the only clients", allowedPattern: "^[0-9./]+$"))
    let email = stack.parameter("AlertEmail", .string(description: "Who is told when an alarm fires", allowedPattern: "^[^@\\s]+@[^@\\s]+$"))

    func name(_ purpose: String) -> Value<String> { "orders-\(literal: purpose)-\(suffix)" }
    func tags<Tag: TagProtocol>(_ purpose: String) -> [Tag] {
        .tags(["Name": name(purpose), "Environment": suffix.ref, "Team": "orders"])
    }

    // One key for the database, its logs and its alarms' topic. CloudWatch Logs, CloudWatch
    // alarms and RDS events call KMS themselves, for this account only (KM-02, KM-04).
    let key = stack.add("DatabaseKey", KMS.Key {
        $0.description = "orders database key"
        $0.enableKeyRotation = true
        $0.keyPolicy = ["Version": "2012-10-17", "Statement": [
            ["Sid": "AccountAdministersTheKey", "Effect": "Allow",
             "Principal": ["AWS": JSON("arn:\(Pseudo.partition):iam::\(Pseudo.accountID):root" as Value<String>)],
             "Action": "kms:*", "Resource": "*"],
            ["Sid": "LogGroupsOfThisAccount", "Effect": "Allow",
             "Principal": ["Service": JSON("logs.\(Pseudo.region).amazonaws.com" as Value<String>)],
             "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*",
             "Condition": ["ArnLike": ["kms:EncryptionContext:aws:logs:arn":
                 JSON("arn:\(Pseudo.partition):logs:\(Pseudo.region):\(Pseudo.accountID):log-group:*" as Value<String>)]]],
            ["Sid": "AlarmsAndEventsPublish", "Effect": "Allow",
             "Principal": ["Service": ["cloudwatch.amazonaws.com", "events.rds.amazonaws.com"]],
             "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*",
             "Condition": ["StringEquals": ["aws:SourceAccount": JSON("\(Pseudo.accountID)" as Value<String>)]]],
        ]]
        $0.pendingWindowInDays = 7
        $0.tags = tags("db-key")
    }, deletionPolicy: .delete, updateReplacePolicy: .delete)

    let topic = stack.add("AlarmTopic", SNS.Topic { $0.topicName = name("alarms"); $0.kmsMasterKeyId = key.ref; $0.tags = tags("alarms") })
    stack.add("AlarmEmail", SNS.Subscription(protocol: "email", topicArn: topic.ref) { $0.endpoint = email.ref })

    let group = stack.add("DatabaseSecurityGroup", EC2.SecurityGroup(groupDescription: "PostgreSQL from the application subnets") {
        $0.vpcId = vpc.ref
        $0.securityGroupIngress = [EC2.SecurityGroup.Ingress(ipProtocol: "tcp") {
            $0.cidrIp = appCidr.ref
            $0.fromPort = 5432
            $0.toPort = 5432
            $0.description = "PostgreSQL from the application"
        }]
        // A database opens no connections: the one egress rule matches nothing.
        $0.securityGroupEgress = [EC2.SecurityGroup.Egress(ipProtocol: "icmp") {
            $0.cidrIp = "255.255.255.255/32"
            $0.fromPort = 252
            $0.toPort = 86
            $0.description = "No outbound traffic"
        }]
        $0.tags = tags("db-sg")
    })
    let subnetGroup = stack.add("DatabaseSubnets", RDS.DBSubnetGroup(dbSubnetGroupDescription: "orders data subnets", subnetIds: subnets.ref) {
        $0.tags = tags("db-subnets")
    })
    let parameters = stack.add("DatabaseParameters", RDS.DBParameterGroup(description: "PostgreSQL 16 for orders: TLS only, slow statements logged", family: "postgres16") {
        $0.parameters = ["rds.force_ssl": "1", "log_min_duration_statement": "1000"]
        $0.tags = tags("postgres16")
    })
    let monitoring = stack.add("MonitoringRole", IAM.Role(assumeRolePolicyDocument: ["Version": "2012-10-17", "Statement": [[
            "Effect": "Allow", "Principal": ["Service": "monitoring.rds.amazonaws.com"], "Action": "sts:AssumeRole",
        ]]]) {
        $0.managedPolicyArns = ["arn:\(Pseudo.partition):iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"]
        $0.tags = tags("rds-monitoring")
    })
    let logs = ["postgresql", "upgrade"].map { log in
        stack.add("Database\(log == "postgresql" ? "Postgresql" : "Upgrade")Logs", Logs.LogGroup {
            $0.kmsKeyId = key.arn
            $0.logGroupName = "/aws/rds/instance/orders-db-\(suffix)/\(literal: log)"
            $0.retentionInDays = 30
            $0.tags = .tags(["Environment": suffix.ref, "Team": "orders"])
        }, deletionPolicy: .delete, updateReplacePolicy: .delete)
    }

    let database = stack.add("Database", RDS.DBInstance {
        $0.dbInstanceIdentifier = name("db")
        $0.engine = .postgres
        $0.engineVersion = "16.6"
        $0.dbInstanceClass = .dbT4gMedium
        $0.multiAZ = true
        $0.publiclyAccessible = false
        // Storage: encrypted gp3 that grows on its own.
        $0.storageType = "gp3"
        $0.allocatedStorage = "50"
        $0.maxAllocatedStorage = 200
        $0.storageEncrypted = true
        $0.kmsKeyId = key.arn
        // Credentials: RDS keeps the secret, encrypted with the stack's key.
        $0.masterUsername = "orders_admin"
        $0.manageMasterUserPassword = true
        $0.masterUserSecret = RDS.DBInstance.MasterUserSecret { $0.kmsKeyId = key.arn }
        // Network and tuning.
        $0.dbSubnetGroupName = subnetGroup.ref
        $0.vpcSecurityGroups = [group.groupId]
        $0.dbParameterGroupName = parameters.ref
        // Backups and maintenance; nothing is kept when the stack goes.
        $0.backupRetentionPeriod = 7
        $0.preferredBackupWindow = "03:00-04:00"
        $0.preferredMaintenanceWindow = "sun:04:30-sun:05:30"
        $0.autoMinorVersionUpgrade = true
        $0.copyTagsToSnapshot = true
        $0.deleteAutomatedBackups = true
        $0.deletionProtection = false
        // Observability.
        $0.enablePerformanceInsights = true
        $0.performanceInsightsKMSKeyId = key.arn
        $0.performanceInsightsRetentionPeriod = 7
        $0.monitoringInterval = 60
        $0.monitoringRoleArn = monitoring.arn
        $0.enableCloudwatchLogsExports = ["postgresql", "upgrade"]
        $0.enableIAMDatabaseAuthentication = true
        $0.tags = tags("db")
    }, dependsOn: logs, deletionPolicy: .delete, updateReplacePolicy: .delete)

    stack.add("DatabaseEvents", RDS.EventSubscription(snsTopicArn: topic.ref) {
        $0.enabled = true
        $0.eventCategories = ["failure", "failover", "availability", "recovery"]
        $0.sourceIds = [database.ref]
        $0.sourceType = "db-instance"
        $0.subscriptionName = name("db-events")
        $0.tags = tags("db-events")
    })

    // The helper forwards its caller's place, so that a finding about one alarm is reported
    // at the line that asked for it (docs/swift-diagnostics.md).
    func alarm(_ id: String, metric: String, unit: Value<CloudWatch.Alarm.Unit>, threshold: Value<Double>,
               statistic: Value<CloudWatch.Alarm.Statistic> = .average, comparison: Value<CloudWatch.Alarm.ComparisonOperator> = .greaterThanThreshold,
               file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        stack.add(id, CloudWatch.Alarm {
            $0.alarmName = name("db-\(metric.lowercased())")
            $0.namespace = "AWS/RDS"
            $0.metricName = "\(metric)"
            $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: database.ref)]
            $0.statistic = statistic
            $0.period = 60
            $0.evaluationPeriods = 3
            $0.comparisonOperator = comparison
            $0.threshold = threshold
            $0.unit = unit
            // A stopped database sends no metrics: that must alarm, not look healthy.
            $0.treatMissingData = .breaching
            $0.alarmActions = [topic.ref]
            $0.okActions = [topic.ref]
            $0.tags = tags("db-\(metric.lowercased())")
        }, at: CallSite(file: file, line: line, column: column))
    }
    alarm("CPUAlarm", metric: "CPUUtilization", unit: .percent, threshold: 80)
    alarm("ConnectionsAlarm", metric: "DatabaseConnections", unit: .count, threshold: 300)
    alarm("StorageAlarm", metric: "FreeStorageSpace", unit: .bytes, threshold: 5_368_709_120, statistic: .minimum, comparison: .lessThanThreshold)
    alarm("ReadLatencyAlarm", metric: "ReadLatency", unit: .seconds, threshold: 0.2)
    alarm("WriteLatencyAlarm", metric: "WriteLatency", unit: .seconds, threshold: 0.2)

    stack.output("DatabaseEndpoint", database.endpointAddress, description: "Where the orders service connects")
    return stack
}
