// Imported by `formwork import` from rds-postgres.yaml.
import Formwork
import FormworkCloudWatch
import FormworkEC2
import FormworkRDS
import FormworkRoute53
import FormworkSecretsManager

/// Imported from ../shared/corpus/real-world/templates/widdix+aws-cf-templates/state/rds-postgres.yaml.
/// State: RDS Postgres, a cloudonaut.io template, sponsored by https://github.com/ngault
func rdsPostgres() -> Stack {
    let stack = Stack(description: "State: RDS Postgres, a cloudonaut.io template, sponsored by https://github.com/ngault", metadata: [
        "AWS::CloudFormation::Interface": [
            "ParameterGroups": [
                [
                    "Label": ["default": "Parent Stacks"],
                    "Parameters": [
                        "ParentVPCStack",
                        "ParentClientStack",
                        "ParentKmsKeyStack",
                        "ParentZoneStack",
                        "ParentSSHBastionStack",
                        "ParentAlertStack",
                        "ParentSecretStack",
                    ],
                ],
                [
                    "Label": ["default": "RDS Parameters"],
                    "Parameters": [
                        "DBSnapshotIdentifier",
                        "EngineVersion",
                        "DBAllocatedStorage",
                        "DBInstanceClass",
                        "DBName",
                        "DBBackupRetentionPeriod",
                        "DBMasterUsername",
                        "DBMasterUserPassword",
                        "DBMultiAZ",
                        "DBOptionGroupName",
                        "DBParameterGroupName",
                        "SubDomainNameWithDot",
                        "PreferredBackupWindow",
                        "PreferredMaintenanceWindow",
                        "EnableIAMDatabaseAuthentication",
                    ],
                ],
            ],
        ],
    ])

    // Parameters
    let parentVPCStack = stack.parameter("ParentVPCStack", .string(description: "Stack name of parent VPC stack based on vpc/vpc-*azs.yaml template."))
    let parentClientStack = stack.parameter("ParentClientStack", .string(description: "Stack name of parent client stack based on state/client-sg.yaml template."))
    let parentKmsKeyStack = stack.parameter("ParentKmsKeyStack", .string(description: "Optional Stack name of parent KMS key stack based on security/kms-key.yaml template (ignored when DBSnapshotIdentifier is set, value used from snapshot).", default: ""))
    let parentZoneStack = stack.parameter("ParentZoneStack", .string(description: "Optional stack name of parent zone stack based on vpc/vpc-zone-*.yaml template.", default: ""))
    let parentSSHBastionStack = stack.parameter("ParentSSHBastionStack", .string(description: "Optional but recommended stack name of parent SSH bastion host/instance stack based on vpc/vpc-*-bastion.yaml template.", default: ""))
    let parentAlertStack = stack.parameter("ParentAlertStack", .string(description: "Optional but recommended stack name of parent alert stack based on operations/alert.yaml template.", default: ""))
    let parentSecretStack = stack.parameter("ParentSecretStack", .string(description: "Optional Stack name of parent SecretsManager Secret Stack based on state/secretsmanager-dbsecret.yaml template.", default: ""))
    let dbSnapshotIdentifier = stack.parameter("DBSnapshotIdentifier", .string(description: "Optional name or Amazon Resource Name (ARN) of the DB snapshot from which you want to restore (leave blank to create an empty database).", default: ""))
    let dbAllocatedStorage = stack.parameter("DBAllocatedStorage", .integer(description: "The allocated storage size, specified in GB (ignored when DBSnapshotIdentifier is set, value used from snapshot).", default: 5, minValue: 5, maxValue: 16384))
    let dbInstanceClass = stack.parameter("DBInstanceClass", .string(description: "The instance type of database server.", default: "db.t2.micro"))
    let dbName = stack.parameter("DBName", .string(description: "Name of the database (ignored when DBSnapshotIdentifier is set, value used from snapshot).", default: ""))
    let dbBackupRetentionPeriod = stack.parameter("DBBackupRetentionPeriod", .integer(description: "The number of days to keep snapshots of the database.", default: 30, minValue: 0, maxValue: 35))
    let dbMasterUsername = stack.parameter("DBMasterUsername", .string(description: "The master user name for the DB instance (ignored when DBSnapshotIdentifier is set, value used from snapshot).", default: "master"))
    let dbMasterUserPassword = stack.parameter("DBMasterUserPassword", .string(description: "The master password for the DB instance (ignored when DBSnapshotIdentifier is set, value used from snapshot. Also ignored when ParentSecretStack is used).", default: "", noEcho: true))
    let dbMultiAZ = stack.parameter("DBMultiAZ", .string(description: "Specifies if the database instance is deployed to multiple Availability Zones for HA.", default: "true", allowedValues: ["true", "false"]))
    let dbOptionGroupName = stack.parameter("DBOptionGroupName", .string(description: "Optional name of an existing DB option group.", default: ""))
    let dbParameterGroupName = stack.parameter("DBParameterGroupName", .string(description: "Optional name of an existing DB parameter group.", default: ""))
    let subDomainNameWithDot = stack.parameter("SubDomainNameWithDot", .string(description: "Name that is used to create the DNS entry with trailing dot, e.g. §{SubDomainNameWithDot}§{HostedZoneName}. Leave blank for naked (or apex and bare) domain. Requires ParentZoneStack parameter!", default: "postgres."))
    let preferredBackupWindow = stack.parameter("PreferredBackupWindow", .string(description: "The daily time range in UTC during which you want to create automated backups.", default: "09:54-10:24"))
    let preferredMaintenanceWindow = stack.parameter("PreferredMaintenanceWindow", .string(description: "The weekly time range (in UTC) during which system maintenance can occur.", default: "sat:07:00-sat:07:30"))
    let engineVersion = stack.parameter("EngineVersion", .string(description: "PostgreSQL version.", allowedValues: ["15.3", "15.2", "14.8", "14.7", "14.4", "14.3", "13.11", "13.10", "13.7", "12.15", "12.14", "12.11", "11.20", "11.19", "11.16"]))
    let enableIAMDatabaseAuthentication = stack.parameter("EnableIAMDatabaseAuthentication", .string(description: "Enable mapping of AWS Identity and Access Management (IAM) accounts to database accounts (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.html).", default: "false", allowedValues: ["true", "false"]))

    // Conditions
    let hasSecret = stack.condition("HasSecret", .not(.equals(parentSecretStack.ref, "")))
    let hasKmsKey = stack.condition("HasKmsKey", .not(.equals(parentKmsKeyStack.ref, "")))
    let hasZone = stack.condition("HasZone", .not(.equals(parentZoneStack.ref, "")))
    let hasSSHBastionSecurityGroup = stack.condition("HasSSHBastionSecurityGroup", .not(.equals(parentSSHBastionStack.ref, "")))
    let hasAlertTopic = stack.condition("HasAlertTopic", .not(.equals(parentAlertStack.ref, "")))
    let hasDBSnapshotIdentifier = stack.condition("HasDBSnapshotIdentifier", .not(.equals(dbSnapshotIdentifier.ref, "")))
    let hasDBOptionGroupName = stack.condition("HasDBOptionGroupName", .not(.equals(dbOptionGroupName.ref, "")))
    let hasDBParameterGroupName = stack.condition("HasDBParameterGroupName", .not(.equals(dbParameterGroupName.ref, "")))
    let hasKmsKeyAndNotDBSnapshotIdentifier = stack.condition("HasKmsKeyAndNotDBSnapshotIdentifier", .and([.condition(hasKmsKey), .not(.condition(hasDBSnapshotIdentifier))]))

    // Resources
    let databaseSecurityGroup = stack.add("DatabaseSecurityGroup", EC2.SecurityGroup(groupDescription: Pseudo.stackName) {
        $0.vpcId = .importValue("\(parentVPCStack)-VPC")
        $0.securityGroupIngress = [
            EC2.SecurityGroup.Ingress(ipProtocol: "tcp") {
                $0.fromPort = 5432
                $0.toPort = 5432
                $0.sourceSecurityGroupId = .importValue("\(parentClientStack)-ClientSecurityGroup")
            },
        ]
    })
    stack.add("DatabaseSecurityGroupInSSHBastion", EC2.SecurityGroupIngress(ipProtocol: "tcp") {
        $0.groupId = databaseSecurityGroup.ref
        $0.fromPort = 5432
        $0.toPort = 5432
        $0.sourceSecurityGroupId = .importValue("\(parentSSHBastionStack)-SecurityGroup")
    }, condition: hasSSHBastionSecurityGroup)
    let dbSubnetGroup = stack.add("DBSubnetGroup", RDS.DBSubnetGroup(
        dbSubnetGroupDescription: Pseudo.stackName,
        subnetIds: .split(",", .importValue("\(parentVPCStack)-SubnetsPrivate")),
    ))
    let dbInstance = stack.add("DBInstance", RDS.DBInstance {
        $0.allocatedStorage = Value(raw: ["Fn::If": ["HasDBSnapshotIdentifier", ["Ref": "AWS::NoValue"], JSON(dbAllocatedStorage.ref)]])
        $0.allowMajorVersionUpgrade = false
        $0.autoMinorVersionUpgrade = true
        $0.backupRetentionPeriod = dbBackupRetentionPeriod.ref
        $0.copyTagsToSnapshot = true
        $0.dbInstanceClass = Value(dbInstanceClass.ref)
        $0.dbName = Value(raw: ["Fn::If": ["HasDBSnapshotIdentifier", ["Ref": "AWS::NoValue"], JSON(dbName.ref)]])
        $0.dbParameterGroupName = .if(hasDBParameterGroupName, dbParameterGroupName.ref, else: nil)
        $0.dbSnapshotIdentifier = .if(hasDBSnapshotIdentifier, dbSnapshotIdentifier.ref, else: nil)
        $0.dbSubnetGroupName = dbSubnetGroup.ref
        $0.enableIAMDatabaseAuthentication = Value(raw: JSON(enableIAMDatabaseAuthentication.ref))
        $0.engine = .postgres
        $0.engineVersion = Value(raw: ["Fn::If": ["HasDBSnapshotIdentifier", ["Ref": "AWS::NoValue"], JSON(engineVersion.ref)]])
        $0.kmsKeyId = .if(hasKmsKeyAndNotDBSnapshotIdentifier, .importValue("\(parentKmsKeyStack)-KeyId"), else: nil)
        $0.masterUsername = Value(raw: ["Fn::If": ["HasDBSnapshotIdentifier", ["Ref": "AWS::NoValue"], JSON(dbMasterUsername.ref)]])
        $0.masterUserPassword = Value(raw: ["Fn::If": [
                "HasDBSnapshotIdentifier",
                ["Ref": "AWS::NoValue"],
                ["Fn::If": [
                        "HasSecret",
                        ["Fn::Join": [
                                "",
                                [
                                    "{{resolve:secretsmanager:",
                                    ["Fn::ImportValue": JSON("\(parentSecretStack)-SecretArn" as Value<String>)],
                                    ":SecretString:password}}",
                                ],
                            ]],
                        JSON(dbMasterUserPassword.ref),
                    ]],
            ]])
        $0.multiAZ = Value(raw: JSON(dbMultiAZ.ref))
        $0.optionGroupName = .if(hasDBOptionGroupName, dbOptionGroupName.ref, else: nil)
        $0.preferredBackupWindow = preferredBackupWindow.ref
        $0.preferredMaintenanceWindow = preferredMaintenanceWindow.ref
        $0.storageType = "gp2"
        $0.storageEncrypted = Value(raw: ["Fn::If": ["HasDBSnapshotIdentifier", ["Ref": "AWS::NoValue"], ["Fn::If": ["HasKmsKey", true, false]]]])
        $0.vpcSecurityGroups = [databaseSecurityGroup.ref]
    }, deletionPolicy: .snapshot, updateReplacePolicy: .snapshot)
    stack.add("SecretTargetAttachment", SecretsManager.SecretTargetAttachment(
        secretId: .importValue("\(parentSecretStack)-SecretArn"),
        targetId: dbInstance.ref,
        targetType: "AWS::RDS::DBInstance",
    ), condition: hasSecret)
    stack.add("RecordSet", Route53.RecordSet(
        name: .sub("${SubDomainNameWithDot}${HostedZoneName}", [
            "SubDomainNameWithDot": subDomainNameWithDot.ref,
            "HostedZoneName": .importValue("\(parentZoneStack)-HostedZoneName"),
        ]),
        type: "CNAME",
    ) {
        $0.hostedZoneId = .importValue("\(parentZoneStack)-HostedZoneId")
        $0.resourceRecords = [dbInstance.endpointAddress]
        $0.ttl = "60"
    }, condition: hasZone)
    stack.add("DatabaseBurstBalanceTooLowAlarm", CloudWatch.Alarm {
        $0.alarmActions = [.importValue("\(parentAlertStack)-TopicARN")]
        $0.alarmDescription = "Average database storage burst balance over last 10 minutes too low, expect a significant performance drop soon."
        $0.comparisonOperator = .lessThanThreshold
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: dbInstance.ref)]
        $0.evaluationPeriods = 1
        $0.metricName = "BurstBalance"
        $0.namespace = "AWS/RDS"
        $0.okActions = [.importValue("\(parentAlertStack)-TopicARN")]
        $0.period = 600
        $0.statistic = .average
        $0.threshold = 20
    }, condition: hasAlertTopic)
    stack.add("DatabaseCPUUtilizationTooHighAlarm", CloudWatch.Alarm {
        $0.alarmActions = [.importValue("\(parentAlertStack)-TopicARN")]
        $0.alarmDescription = "Average database CPU utilization over last 10 minutes too high."
        $0.comparisonOperator = .greaterThanThreshold
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: dbInstance.ref)]
        $0.evaluationPeriods = 1
        $0.metricName = "CPUUtilization"
        $0.namespace = "AWS/RDS"
        $0.okActions = [.importValue("\(parentAlertStack)-TopicARN")]
        $0.period = 600
        $0.statistic = .average
        $0.threshold = 80
    }, condition: hasAlertTopic)
    stack.add("DatabaseCPUCreditBalanceTooLowAlarm", CloudWatch.Alarm {
        $0.alarmActions = [.importValue("\(parentAlertStack)-TopicARN")]
        $0.alarmDescription = "Average database CPU credit balance over last 10 minutes too low, expect a significant performance drop soon."
        $0.comparisonOperator = .lessThanThreshold
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: dbInstance.ref)]
        $0.evaluationPeriods = 1
        $0.metricName = "CPUCreditBalance"
        $0.namespace = "AWS/RDS"
        $0.okActions = [.importValue("\(parentAlertStack)-TopicARN")]
        $0.period = 600
        $0.statistic = .average
        $0.threshold = 20
    }, condition: hasAlertTopic)
    stack.add("DatabaseDiskQueueDepthTooHighAlarm", CloudWatch.Alarm {
        $0.alarmActions = [.importValue("\(parentAlertStack)-TopicARN")]
        $0.alarmDescription = "Average database disk queue depth over last 10 minutes too high, performance may suffer."
        $0.comparisonOperator = .greaterThanThreshold
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: dbInstance.ref)]
        $0.evaluationPeriods = 1
        $0.metricName = "DiskQueueDepth"
        $0.namespace = "AWS/RDS"
        $0.okActions = [.importValue("\(parentAlertStack)-TopicARN")]
        $0.period = 600
        $0.statistic = .average
        $0.threshold = 64
    }, condition: hasAlertTopic)
    stack.add("DatabaseFreeableMemoryTooLowAlarm", CloudWatch.Alarm {
        $0.alarmActions = [.importValue("\(parentAlertStack)-TopicARN")]
        $0.alarmDescription = "Average database freeable memory over last 10 minutes too low, performance may suffer."
        $0.comparisonOperator = .lessThanThreshold
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: dbInstance.ref)]
        $0.evaluationPeriods = 1
        $0.metricName = "FreeableMemory"
        $0.namespace = "AWS/RDS"
        $0.okActions = [.importValue("\(parentAlertStack)-TopicARN")]
        $0.period = 600
        $0.statistic = .average
        // 64 Megabyte in Byte
        $0.threshold = 64000000
    }, condition: hasAlertTopic)
    stack.add("DatabaseFreeStorageSpaceTooLowAlarm", CloudWatch.Alarm {
        $0.alarmActions = [.importValue("\(parentAlertStack)-TopicARN")]
        $0.alarmDescription = "Average database free storage space over last 10 minutes too low."
        $0.comparisonOperator = .lessThanThreshold
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: dbInstance.ref)]
        $0.evaluationPeriods = 1
        $0.metricName = "FreeStorageSpace"
        $0.namespace = "AWS/RDS"
        $0.okActions = [.importValue("\(parentAlertStack)-TopicARN")]
        $0.period = 600
        $0.statistic = .average
        // 2 Gigabyte in Byte
        $0.threshold = 2000000000
    }, condition: hasAlertTopic)
    stack.add("DatabaseSwapUsageTooHighAlarm", CloudWatch.Alarm {
        $0.alarmActions = [.importValue("\(parentAlertStack)-TopicARN")]
        $0.alarmDescription = "Average database swap usage over last 10 minutes too high, performance may suffer."
        $0.comparisonOperator = .greaterThanThreshold
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: dbInstance.ref)]
        $0.evaluationPeriods = 1
        $0.metricName = "SwapUsage"
        $0.namespace = "AWS/RDS"
        $0.okActions = [.importValue("\(parentAlertStack)-TopicARN")]
        $0.period = 600
        $0.statistic = .average
        // 256 Megabyte in Byte
        $0.threshold = 256000000
    }, condition: hasAlertTopic)
    stack.add("DatabaseEventSubscription", RDS.EventSubscription(snsTopicArn: .importValue("\(parentAlertStack)-TopicARN")) {
        $0.eventCategories = ["failover", "failure", "low storage", "maintenance", "read replica", "recovery"]
        $0.sourceIds = [dbInstance.ref]
        $0.sourceType = "db-instance"
    }, condition: hasAlertTopic)

    // Outputs
    stack.output("TemplateID", "state/rds-postgres" as Value<String>, description: "cloudonaut.io template id.")
    stack.output("TemplateVersion", "__VERSION__" as Value<String>, description: "cloudonaut.io template version.")
    stack.output("StackName", "\(Pseudo.stackName)" as Value<String>, description: "Stack name.")
    stack.output("InstanceName", dbInstance.ref, description: "The name of the database instance.", export: "\(Pseudo.stackName)-InstanceName")
    stack.output("DNSName", dbInstance.endpointAddress, description: "The connection endpoint for the database.", export: "\(Pseudo.stackName)-DNSName")
    stack.output("SecurityGroupId", databaseSecurityGroup.ref, description: "The security group used to manage access to RDS Postgres.", export: "\(Pseudo.stackName)-SecurityGroupId")
    return stack
}
