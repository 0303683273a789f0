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
    let key = stack.add("DatabaseKey", KMS.Key(
        description: "orders database key", enableKeyRotation: true,
        keyPolicy: ["Version": "2012-10-17", "Statement": [
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
        ]],
        pendingWindowInDays: 7, tags: tags("db-key")), deletionPolicy: .delete, updateReplacePolicy: .delete)

    let topic = stack.add("AlarmTopic", SNS.Topic(kmsMasterKeyId: JSON(key.ref), tags: tags("alarms"), topicName: name("alarms")))
    stack.add("AlarmEmail", SNS.Subscription(endpoint: email.ref, protocol: "email", topicArn: topic.ref))

    let group = stack.add("DatabaseSecurityGroup", EC2.SecurityGroup(
        groupDescription: "PostgreSQL from the application subnets",
        securityGroupEgress: [EC2.SecurityGroup.Egress(cidrIp: "255.255.255.255/32", description: "No outbound traffic", fromPort: 252, ipProtocol: "icmp", toPort: 86)],
        securityGroupIngress: [EC2.SecurityGroup.Ingress(cidrIp: appCidr.ref, description: "PostgreSQL from the application", fromPort: 5432, ipProtocol: "tcp", toPort: 5432)],
        tags: tags("db-sg"), vpcId: vpc.ref))
    let subnetGroup = stack.add("DatabaseSubnets", RDS.DBSubnetGroup(
        dbSubnetGroupDescription: "orders data subnets", subnetIds: subnets.ref, tags: tags("db-subnets")))
    let parameters = stack.add("DatabaseParameters", RDS.DBParameterGroup(
        description: "PostgreSQL 16 for orders: TLS only, slow statements logged", family: "postgres16",
        parameters: ["rds.force_ssl": "1", "log_min_duration_statement": "1000"], tags: tags("postgres16")))
    let monitoring = stack.add("MonitoringRole", IAM.Role(
        assumeRolePolicyDocument: ["Version": "2012-10-17", "Statement": [[
            "Effect": "Allow", "Principal": ["Service": "monitoring.rds.amazonaws.com"], "Action": "sts:AssumeRole",
        ]]],
        managedPolicyArns: ["arn:\(Pseudo.partition):iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"],
        tags: tags("rds-monitoring")))
    let logs = ["postgresql", "upgrade"].map { log in
        stack.add("Database\(log == "postgresql" ? "Postgresql" : "Upgrade")Logs", Logs.LogGroup(
            kmsKeyId: JSON(key.arn), logGroupName: "/aws/rds/instance/orders-db-\(suffix)/\(literal: log)", retentionInDays: 30,
            tags: .tags(["Environment": suffix.ref, "Team": "orders"])), deletionPolicy: .delete, updateReplacePolicy: .delete)
    }

    let database = stack.add("Database", RDS.DBInstance(
        allocatedStorage: "50", autoMinorVersionUpgrade: true, backupRetentionPeriod: 7, copyTagsToSnapshot: true,
        dbInstanceClass: "db.t4g.medium", dbInstanceIdentifier: name("db"), dbParameterGroupName: parameters.ref,
        dbSubnetGroupName: subnetGroup.ref, deleteAutomatedBackups: true, deletionProtection: false,
        enableCloudwatchLogsExports: ["postgresql", "upgrade"], enableIAMDatabaseAuthentication: true,
        enablePerformanceInsights: true, engine: "postgres", engineVersion: "16.6", kmsKeyId: JSON(key.arn),
        manageMasterUserPassword: true, masterUserSecret: RDS.DBInstance.MasterUserSecret(kmsKeyId: JSON(key.arn)),
        masterUsername: "orders_admin", maxAllocatedStorage: 200, monitoringInterval: 60, monitoringRoleArn: monitoring.arn,
        multiAZ: true, performanceInsightsKMSKeyId: key.arn, performanceInsightsRetentionPeriod: 7,
        preferredBackupWindow: "03:00-04:00", preferredMaintenanceWindow: "sun:04:30-sun:05:30", publiclyAccessible: false,
        storageEncrypted: true, storageType: "gp3", tags: tags("db"), vpcSecurityGroups: [group.groupId]),
        dependsOn: logs, deletionPolicy: .delete, updateReplacePolicy: .delete)

    stack.add("DatabaseEvents", RDS.EventSubscription(
        enabled: true, eventCategories: ["failure", "failover", "availability", "recovery"], snsTopicArn: topic.ref,
        sourceIds: [database.ref], sourceType: "db-instance", subscriptionName: name("db-events"), tags: tags("db-events")))

    func alarm(_ id: String, metric: String, unit: String, threshold: Double, statistic: String = "Average") {
        stack.add(id, CloudWatch.Alarm(
            alarmActions: [topic.ref], alarmName: name("db-\(metric.lowercased())"),
            comparisonOperator: metric == "FreeStorageSpace" ? "LessThanThreshold" : "GreaterThanThreshold",
            dimensions: [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: database.ref)],
            evaluationPeriods: 3, metricName: .literal(metric), namespace: "AWS/RDS", okActions: [topic.ref], period: 60,
            statistic: .literal(statistic), tags: tags("db-\(metric.lowercased())"), threshold: .literal(threshold),
            treatMissingData: "breaching", unit: .literal(unit)))
    }
    alarm("CPUAlarm", metric: "CPUUtilization", unit: "Percent", threshold: 80)
    alarm("ConnectionsAlarm", metric: "DatabaseConnections", unit: "Count", threshold: 300)
    alarm("StorageAlarm", metric: "FreeStorageSpace", unit: "Bytes", threshold: 5_368_709_120, statistic: "Minimum")
    alarm("ReadLatencyAlarm", metric: "ReadLatency", unit: "Seconds", threshold: 0.2)
    alarm("WriteLatencyAlarm", metric: "WriteLatency", unit: "Seconds", threshold: 0.2)

    stack.output("DatabaseEndpoint", database.endpointAddress, description: "Where the orders service connects")
    return stack
}
