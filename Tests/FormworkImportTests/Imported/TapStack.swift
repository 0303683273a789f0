// Imported by `formwork import` from TapStack.yml.
import Formwork
import FormworkCloudWatch
import FormworkEC2
import FormworkIAM
import FormworkKMS
import FormworkRDS
import FormworkS3
import FormworkSecretsManager

/// Imported from fixtures/seed-004/TapStack.yml.
/// Production-ready PostgreSQL RDS with Multi-AZ, Read Replicas, KMS encryption, Performance Insights, CloudWatch monitoring, and S3 backup exports
func tapStack() -> Stack {
    let stack = Stack(description: "Production-ready PostgreSQL RDS with Multi-AZ, Read Replicas, KMS encryption, Performance Insights, CloudWatch monitoring, and S3 backup exports")

    // Parameters
    let environmentSuffix = stack.parameter("EnvironmentSuffix", .string(description: "Environment suffix for resource naming and tagging", default: "prod"))
    let dbInstanceClass = stack.parameter("DBInstanceClass", .string(description: "RDS instance class for primary database", default: "db.m5.large", allowedValues: ["db.m5.large", "db.m5.xlarge", "db.m5.2xlarge", "db.r5.large", "db.r5.xlarge", "db.r5.2xlarge"]))
    let readReplicaInstanceClass = stack.parameter("ReadReplicaInstanceClass", .string(description: "RDS instance class for read replicas", default: "db.m5.large", allowedValues: ["db.m5.large", "db.m5.xlarge", "db.m5.2xlarge", "db.r5.large", "db.r5.xlarge"]))
    let dbName = stack.parameter("DBName", .string(description: "Database name", default: "ecommercedb", allowedPattern: "[a-zA-Z][a-zA-Z0-9]*", minLength: 1, maxLength: 63))
    let dbMasterUsername = stack.parameter("DBMasterUsername", .string(description: "Master username for database", default: "dbadmin", allowedPattern: "[a-zA-Z][a-zA-Z0-9]*", minLength: 1, maxLength: 16))
    let backupRetentionDays = stack.parameter("BackupRetentionDays", .integer(description: "Number of days to retain automated backups", default: 7, minValue: 7, maxValue: 35))
    let preferredBackupWindow = stack.parameter("PreferredBackupWindow", .string(description: "Daily backup window (UTC)", default: "03:00-04:00"))
    let preferredMaintenanceWindow = stack.parameter("PreferredMaintenanceWindow", .string(description: "Weekly maintenance window (UTC)", default: "sun:04:00-sun:05:00"))
    let performanceInsightsRetention = stack.parameter("PerformanceInsightsRetention", .integer(description: "Performance Insights retention period in days (7 or 731)", default: 7, allowedValues: [7, 731]))
    let enhancedMonitoringInterval = stack.parameter("EnhancedMonitoringInterval", .integer(description: "Enhanced Monitoring interval in seconds (0 to disable)", default: 60, allowedValues: [0, 1, 5, 10, 15, 30, 60]))
    let applicationSubnetCIDR = stack.parameter("ApplicationSubnetCIDR", .string(description: "CIDR block allowed to access database (application subnet)", default: "10.0.1.0/24", allowedPattern: "^(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}$"))
    let managementCIDR = stack.parameter("ManagementCIDR", .string(description: "CIDR block for management access", default: "10.0.0.0/16", allowedPattern: "^(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}$"))
    let allocatedStorage = stack.parameter("AllocatedStorage", .integer(description: "Allocated storage in GB", default: 100, minValue: 20, maxValue: 65536))
    let maxAllocatedStorage = stack.parameter("MaxAllocatedStorage", .integer(description: "Maximum storage for autoscaling in GB", default: 1000, minValue: 100, maxValue: 65536))
    let kmsKeyARN = stack.parameter("KMSKeyARN", .string(description: "Optional KMS Key ARN (leave empty to create new key)", default: ""))

    // Conditions
    let createKMSKey = stack.condition("CreateKMSKey", .equals(kmsKeyARN.ref, ""))
    let enableEnhancedMonitoring = stack.condition("EnableEnhancedMonitoring", .not(.equals(enhancedMonitoringInterval.ref, 0)))

    // Resources
    // ==================== VPC and Networking ====================
    let vpc = stack.add("VPC", EC2.VPC {
        $0.cidrBlock = "10.0.0.0/16"
        $0.enableDnsHostnames = true
        $0.enableDnsSupport = true
        $0.tags = .tags(["Name": "ecommerce-vpc-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    })
    let internetGateway = stack.add("InternetGateway", EC2.InternetGateway {
        $0.tags = .tags(["Name": "ecommerce-igw-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    })
    let attachGateway = stack.add("AttachGateway", EC2.VPCGatewayAttachment(vpcId: vpc.ref) {
        $0.internetGatewayId = internetGateway.ref
    })
    let publicSubnet1 = stack.add("PublicSubnet1", EC2.Subnet(vpcId: vpc.ref) {
        $0.cidrBlock = "10.0.1.0/24"
        $0.availabilityZone = .select(0, from: .getAZs())
        $0.mapPublicIpOnLaunch = true
        $0.tags = .tags(["Name": "ecommerce-public-subnet-1-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    })
    let publicSubnet2 = stack.add("PublicSubnet2", EC2.Subnet(vpcId: vpc.ref) {
        $0.cidrBlock = "10.0.2.0/24"
        $0.availabilityZone = .select(1, from: .getAZs())
        $0.mapPublicIpOnLaunch = true
        $0.tags = .tags(["Name": "ecommerce-public-subnet-2-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    })
    let privateSubnet1 = stack.add("PrivateSubnet1", EC2.Subnet(vpcId: vpc.ref) {
        $0.cidrBlock = "10.0.10.0/24"
        $0.availabilityZone = .select(0, from: .getAZs())
        $0.tags = .tags(["Name": "ecommerce-private-subnet-1-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    })
    let privateSubnet2 = stack.add("PrivateSubnet2", EC2.Subnet(vpcId: vpc.ref) {
        $0.cidrBlock = "10.0.20.0/24"
        $0.availabilityZone = .select(1, from: .getAZs())
        $0.tags = .tags(["Name": "ecommerce-private-subnet-2-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    })
    let natGatewayEIP1 = stack.add("NATGatewayEIP1", EC2.EIP {
        $0.domain = "vpc"
        $0.tags = .tags(["Name": "ecommerce-nat-eip-1-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    }, dependsOn: [attachGateway])
    let natGateway1 = stack.add("NATGateway1", EC2.NatGateway {
        $0.allocationId = natGatewayEIP1.allocationId
        $0.subnetId = publicSubnet1.ref
        $0.tags = .tags(["Name": "ecommerce-nat-1-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    })
    let publicRouteTable = stack.add("PublicRouteTable", EC2.RouteTable(vpcId: vpc.ref) {
        $0.tags = .tags(["Name": "ecommerce-public-rt-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    })
    stack.add("PublicRoute", EC2.Route(routeTableId: publicRouteTable.ref) {
        $0.destinationCidrBlock = "0.0.0.0/0"
        $0.gatewayId = internetGateway.ref
    }, dependsOn: [attachGateway])
    stack.add("PublicSubnet1RouteTableAssociation", EC2.SubnetRouteTableAssociation(routeTableId: publicRouteTable.ref, subnetId: publicSubnet1.ref))
    stack.add("PublicSubnet2RouteTableAssociation", EC2.SubnetRouteTableAssociation(routeTableId: publicRouteTable.ref, subnetId: publicSubnet2.ref))
    let privateRouteTable = stack.add("PrivateRouteTable", EC2.RouteTable(vpcId: vpc.ref) {
        $0.tags = .tags(["Name": "ecommerce-private-rt-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    })
    stack.add("PrivateRoute", EC2.Route(routeTableId: privateRouteTable.ref) {
        $0.destinationCidrBlock = "0.0.0.0/0"
        $0.natGatewayId = natGateway1.ref
    })
    stack.add("PrivateSubnet1RouteTableAssociation", EC2.SubnetRouteTableAssociation(routeTableId: privateRouteTable.ref, subnetId: privateSubnet1.ref))
    stack.add("PrivateSubnet2RouteTableAssociation", EC2.SubnetRouteTableAssociation(routeTableId: privateRouteTable.ref, subnetId: privateSubnet2.ref))
    // ==================== Security Groups ====================
    let dbSecurityGroup = stack.add("DBSecurityGroup", EC2.SecurityGroup(groupDescription: "Security group for RDS PostgreSQL database") {
        $0.vpcId = vpc.ref
        $0.securityGroupIngress = [
            EC2.SecurityGroup.Ingress(ipProtocol: "tcp") {
                $0.fromPort = 5432
                $0.toPort = 5432
                $0.cidrIp = applicationSubnetCIDR.ref
                $0.description = "Application subnet access"
            },
            EC2.SecurityGroup.Ingress(ipProtocol: "tcp") {
                $0.fromPort = 5432
                $0.toPort = 5432
                $0.cidrIp = managementCIDR.ref
                $0.description = "Management access"
            },
        ]
        $0.securityGroupEgress = [
            EC2.SecurityGroup.Egress(ipProtocol: "-1") {
                $0.cidrIp = "0.0.0.0/0"
                $0.description = "Allow all outbound traffic"
            },
        ]
        $0.tags = .tags(["Name": "ecommerce-db-sg-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    })
    // ==================== KMS Encryption ====================
    let dbEncryptionKey = stack.add("DBEncryptionKey", KMS.Key {
        $0.description = "KMS key for RDS encryption - \(environmentSuffix)"
        $0.keyPolicy = PolicyDocument(json: [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Sid": "Enable IAM User Permissions",
                    "Effect": "Allow",
                    "Principal": ["AWS": JSON("arn:aws:iam::\(Pseudo.accountID):root" as Value<String>)],
                    "Action": "kms:*",
                    "Resource": "*",
                ],
                [
                    "Sid": "Allow RDS to use the key",
                    "Effect": "Allow",
                    "Principal": ["Service": "rds.amazonaws.com"],
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey", "kms:CreateGrant"],
                    "Resource": "*",
                ],
                [
                    "Sid": "Allow CloudWatch Logs",
                    "Effect": "Allow",
                    "Principal": ["Service": "logs.amazonaws.com"],
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                    "Resource": "*",
                ],
            ],
        ])
        $0.tags = .tags(["Name": "ecommerce-db-key-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    }, condition: createKMSKey, deletionPolicy: .retain, updateReplacePolicy: .retain)
    stack.add("DBEncryptionKeyAlias", KMS.Alias(aliasName: "alias/ecommerce-db-\(environmentSuffix)", targetKeyId: dbEncryptionKey.ref), condition: createKMSKey)
    // ==================== Secrets Manager ====================
    let dbPasswordSecret = stack.add("DBPasswordSecret", SecretsManager.Secret {
        $0.name = "ecommerce-db-password-\(environmentSuffix)"
        $0.description = "Master password for PostgreSQL database - \(environmentSuffix)"
        $0.generateSecretString = SecretsManager.Secret.GenerateSecretString {
            $0.secretStringTemplate = "{\"username\": \"\(dbMasterUsername)\"}"
            $0.generateStringKey = "password"
            $0.passwordLength = 32
            $0.excludeCharacters = "\"@/\\"
            $0.requireEachIncludedType = true
        }
        $0.tags = .tags(["Name": "ecommerce-db-password-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    }, deletionPolicy: .delete, updateReplacePolicy: .delete)
    // ==================== IAM Roles ====================
    let enhancedMonitoringRole = stack.add("EnhancedMonitoringRole", IAM.Role(
        assumeRolePolicyDocument: PolicyDocument(json: [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Effect": "Allow",
                    "Principal": ["Service": "monitoring.rds.amazonaws.com"],
                    "Action": "sts:AssumeRole",
                ],
            ],
        ]),
    ) {
        $0.managedPolicyArns = ["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"]
        $0.tags = .tags(["Name": "ecommerce-rds-monitoring-role-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    }, condition: enableEnhancedMonitoring)
    // ==================== RDS Subnet Group ====================
    let dbSubnetGroup = stack.add("DBSubnetGroup", RDS.DBSubnetGroup(
        dbSubnetGroupDescription: "Subnet group for RDS database",
        subnetIds: [privateSubnet1.ref, privateSubnet2.ref],
    ) {
        $0.dbSubnetGroupName = "ecommerce-db-subnet-group-\(environmentSuffix)"
        $0.tags = .tags(["Name": "ecommerce-db-subnet-group-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    })
    // ==================== RDS Parameter Group ====================
    let dbParameterGroup = stack.add("DBParameterGroup", RDS.DBParameterGroup(description: "PostgreSQL parameter group for e-commerce - \(environmentSuffix)", family: "postgres16") {
        $0.parameters = [
            "shared_preload_libraries": "pg_stat_statements",
            "log_statement": "ddl",
            "log_min_duration_statement": 1000,
            "log_connections": 1,
            "log_disconnections": 1,
        ]
        $0.tags = .tags(["Name": "ecommerce-db-params-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    })
    // ==================== RDS Primary Instance ====================
    let primaryDB = stack.add("PrimaryDB", RDS.DBInstance {
        $0.dbInstanceIdentifier = "ecommerce-db-primary-\(environmentSuffix)"
        $0.engine = .postgres
        $0.engineVersion = "16.6"
        $0.dbInstanceClass = Value(dbInstanceClass.ref)
        $0.allocatedStorage = Value(raw: JSON(allocatedStorage.ref))
        $0.maxAllocatedStorage = maxAllocatedStorage.ref
        $0.storageType = "gp3"
        $0.storageEncrypted = true
        $0.kmsKeyId = .if(createKMSKey, dbEncryptionKey.arn, else: kmsKeyARN.ref)
        $0.dbName = dbName.ref
        $0.masterUsername = "{{resolve:secretsmanager:\(dbPasswordSecret):SecretString:username}}"
        $0.masterUserPassword = "{{resolve:secretsmanager:\(dbPasswordSecret):SecretString:password}}"
        $0.dbSubnetGroupName = dbSubnetGroup.ref
        $0.vpcSecurityGroups = [dbSecurityGroup.ref]
        $0.dbParameterGroupName = dbParameterGroup.ref
        $0.multiAZ = true
        $0.publiclyAccessible = false
        $0.backupRetentionPeriod = backupRetentionDays.ref
        $0.preferredBackupWindow = preferredBackupWindow.ref
        $0.preferredMaintenanceWindow = preferredMaintenanceWindow.ref
        $0.enableIAMDatabaseAuthentication = true
        $0.enablePerformanceInsights = true
        $0.performanceInsightsKMSKeyId = .if(createKMSKey, dbEncryptionKey.arn, else: kmsKeyARN.ref)
        $0.performanceInsightsRetentionPeriod = performanceInsightsRetention.ref
        $0.monitoringInterval = enhancedMonitoringInterval.ref
        $0.monitoringRoleArn = .if(enableEnhancedMonitoring, enhancedMonitoringRole.arn, else: nil)
        $0.enableCloudwatchLogsExports = ["postgresql", "upgrade"]
        $0.autoMinorVersionUpgrade = false
        $0.copyTagsToSnapshot = true
        $0.deletionProtection = false
        $0.tags = .tags([
            "Name": "ecommerce-db-primary-\(environmentSuffix)",
            "Environment": environmentSuffix.ref,
            "Role": "primary",
        ])
    }, deletionPolicy: .snapshot, updateReplacePolicy: .snapshot)
    let dbiamAuthRole = stack.add("DBIAMAuthRole", IAM.Role(
        assumeRolePolicyDocument: PolicyDocument(json: [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Effect": "Allow",
                    "Principal": ["AWS": JSON("arn:aws:iam::\(Pseudo.accountID):root" as Value<String>)],
                    "Action": "sts:AssumeRole",
                ],
            ],
        ]),
    ) {
        $0.policies = [
            IAM.Role.Policy(
                policyDocument: PolicyDocument(json: [
                    "Version": "2012-10-17",
                    "Statement": [
                        [
                            "Effect": "Allow",
                            "Action": ["rds-db:connect"],
                            "Resource": [
                                JSON("arn:aws:rds-db:\(Pseudo.region):\(Pseudo.accountID):dbuser:\(primaryDB.dbiResourceId)/\(dbMasterUsername)" as Value<String>),
                            ],
                        ],
                    ],
                ]),
                policyName: "RDSIAMAuthPolicy",
            ),
        ]
        $0.tags = .tags(["Name": "ecommerce-db-iam-auth-role-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    })
    // ==================== Read Replicas ====================
    let readReplica1 = stack.add("ReadReplica1", RDS.DBInstance {
        $0.dbInstanceIdentifier = "ecommerce-db-replica-1-\(environmentSuffix)"
        $0.sourceDBInstanceIdentifier = primaryDB.ref
        $0.dbInstanceClass = Value(readReplicaInstanceClass.ref)
        $0.publiclyAccessible = false
        $0.availabilityZone = .select(0, from: .getAZs())
        $0.enablePerformanceInsights = true
        $0.performanceInsightsKMSKeyId = .if(createKMSKey, dbEncryptionKey.arn, else: kmsKeyARN.ref)
        $0.performanceInsightsRetentionPeriod = performanceInsightsRetention.ref
        $0.monitoringInterval = enhancedMonitoringInterval.ref
        $0.monitoringRoleArn = .if(enableEnhancedMonitoring, enhancedMonitoringRole.arn, else: nil)
        $0.autoMinorVersionUpgrade = false
        $0.copyTagsToSnapshot = true
        $0.tags = .tags([
            "Name": "ecommerce-db-replica-1-\(environmentSuffix)",
            "Environment": environmentSuffix.ref,
            "Role": "read-replica",
        ])
    }, deletionPolicy: .delete, updateReplacePolicy: .delete)
    let readReplica2 = stack.add("ReadReplica2", RDS.DBInstance {
        $0.dbInstanceIdentifier = "ecommerce-db-replica-2-\(environmentSuffix)"
        $0.sourceDBInstanceIdentifier = primaryDB.ref
        $0.dbInstanceClass = Value(readReplicaInstanceClass.ref)
        $0.publiclyAccessible = false
        $0.availabilityZone = .select(1, from: .getAZs())
        $0.enablePerformanceInsights = true
        $0.performanceInsightsKMSKeyId = .if(createKMSKey, dbEncryptionKey.arn, else: kmsKeyARN.ref)
        $0.performanceInsightsRetentionPeriod = performanceInsightsRetention.ref
        $0.monitoringInterval = enhancedMonitoringInterval.ref
        $0.monitoringRoleArn = .if(enableEnhancedMonitoring, enhancedMonitoringRole.arn, else: nil)
        $0.autoMinorVersionUpgrade = false
        $0.copyTagsToSnapshot = true
        $0.tags = .tags([
            "Name": "ecommerce-db-replica-2-\(environmentSuffix)",
            "Environment": environmentSuffix.ref,
            "Role": "read-replica",
        ])
    }, deletionPolicy: .delete, updateReplacePolicy: .delete)
    // ==================== S3 Backup Bucket ====================
    let backupBucket = stack.add("BackupBucket", S3.Bucket {
        $0.bucketEncryption = S3.Bucket.BucketEncryption(
            serverSideEncryptionConfiguration: [
                S3.Bucket.ServerSideEncryptionRule {
                    $0.serverSideEncryptionByDefault = S3.Bucket.ServerSideEncryptionByDefault(sseAlgorithm: .awsKms) {
                        $0.kmsMasterKeyID = .if(createKMSKey, dbEncryptionKey.arn, else: kmsKeyARN.ref)
                    }
                },
            ],
        )
        $0.versioningConfiguration = S3.Bucket.VersioningConfiguration(status: .enabled)
        $0.lifecycleConfiguration = S3.Bucket.LifecycleConfiguration(
            rules: [
                S3.Bucket.Rule(status: .enabled) {
                    $0.id = "TransitionToIA"
                    $0.transitions = [
                        S3.Bucket.Transition(storageClass: .standardIa) {
                            $0.transitionInDays = 30
                        },
                        S3.Bucket.Transition(storageClass: .GLACIER) {
                            $0.transitionInDays = 90
                        },
                    ]
                },
                S3.Bucket.Rule(status: .enabled) {
                    $0.id = "DeleteOldVersions"
                    $0.noncurrentVersionExpirationInDays = 90
                },
                S3.Bucket.Rule(status: .enabled) {
                    $0.id = "ExpireOldBackups"
                    $0.expirationInDays = 365
                },
            ],
        )
        $0.publicAccessBlockConfiguration = S3.Bucket.PublicAccessBlockConfiguration {
            $0.blockPublicAcls = true
            $0.blockPublicPolicy = true
            $0.ignorePublicAcls = true
            $0.restrictPublicBuckets = true
        }
        $0.tags = .tags(["Name": "ecommerce-db-backups-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    }, deletionPolicy: .delete, updateReplacePolicy: .delete)
    let rdsExportRole = stack.add("RDSExportRole", IAM.Role(
        assumeRolePolicyDocument: PolicyDocument(json: [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Effect": "Allow",
                    "Principal": ["Service": "export.rds.amazonaws.com"],
                    "Action": "sts:AssumeRole",
                ],
            ],
        ]),
    ) {
        $0.policies = [
            IAM.Role.Policy(
                policyDocument: PolicyDocument(json: [
                    "Version": "2012-10-17",
                    "Statement": [
                        [
                            "Effect": "Allow",
                            "Action": ["s3:PutObject*", "s3:GetObject*", "s3:DeleteObject*"],
                            "Resource": [JSON("\(backupBucket.arn)/*" as Value<String>)],
                        ],
                        ["Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [JSON(backupBucket.arn)]],
                    ],
                ]),
                policyName: "S3ExportPolicy",
            ),
        ]
        $0.tags = .tags(["Name": "ecommerce-rds-export-role-\(environmentSuffix)", "Environment": environmentSuffix.ref])
    })
    stack.add("BackupBucketPolicy", S3.BucketPolicy(
        bucket: backupBucket.ref,
        policyDocument: PolicyDocument(json: [
            "Statement": [
                [
                    "Sid": "AllowRDSExport",
                    "Effect": "Allow",
                    "Principal": ["Service": "export.rds.amazonaws.com"],
                    "Action": ["s3:PutObject*", "s3:GetObject*"],
                    "Resource": [JSON("\(backupBucket.arn)/*" as Value<String>)],
                ],
                [
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [JSON(backupBucket.arn), JSON("\(backupBucket.arn)/*" as Value<String>)],
                    "Condition": ["Bool": ["aws:SecureTransport": false]],
                ],
            ],
        ]),
    ))
    // ==================== CloudWatch Alarms ====================
    stack.add("PrimaryHighCPUAlarm", CloudWatch.Alarm {
        $0.alarmName = "ecommerce-db-primary-high-cpu-\(environmentSuffix)"
        $0.alarmDescription = "Alert when primary database CPU exceeds 75%"
        $0.metricName = "CPUUtilization"
        $0.namespace = "AWS/RDS"
        $0.statistic = .average
        $0.period = 300
        $0.evaluationPeriods = 2
        $0.threshold = 75
        $0.comparisonOperator = .greaterThanThreshold
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: primaryDB.ref)]
        $0.treatMissingData = .notBreaching
    })
    stack.add("Replica1HighCPUAlarm", CloudWatch.Alarm {
        $0.alarmName = "ecommerce-db-replica-1-high-cpu-\(environmentSuffix)"
        $0.alarmDescription = "Alert when replica 1 CPU exceeds 75%"
        $0.metricName = "CPUUtilization"
        $0.namespace = "AWS/RDS"
        $0.statistic = .average
        $0.period = 300
        $0.evaluationPeriods = 2
        $0.threshold = 75
        $0.comparisonOperator = .greaterThanThreshold
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: readReplica1.ref)]
        $0.treatMissingData = .notBreaching
    })
    stack.add("Replica2HighCPUAlarm", CloudWatch.Alarm {
        $0.alarmName = "ecommerce-db-replica-2-high-cpu-\(environmentSuffix)"
        $0.alarmDescription = "Alert when replica 2 CPU exceeds 75%"
        $0.metricName = "CPUUtilization"
        $0.namespace = "AWS/RDS"
        $0.statistic = .average
        $0.period = 300
        $0.evaluationPeriods = 2
        $0.threshold = 75
        $0.comparisonOperator = .greaterThanThreshold
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: readReplica2.ref)]
        $0.treatMissingData = .notBreaching
    })
    stack.add("Replica1LagAlarm", CloudWatch.Alarm {
        $0.alarmName = "ecommerce-db-replica-1-lag-\(environmentSuffix)"
        $0.alarmDescription = "Alert when replica 1 lag exceeds 30 seconds"
        $0.metricName = "ReplicaLag"
        $0.namespace = "AWS/RDS"
        $0.statistic = .average
        $0.period = 300
        $0.evaluationPeriods = 2
        $0.threshold = 30000
        $0.comparisonOperator = .greaterThanThreshold
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: readReplica1.ref)]
        $0.treatMissingData = .notBreaching
    })
    stack.add("Replica2LagAlarm", CloudWatch.Alarm {
        $0.alarmName = "ecommerce-db-replica-2-lag-\(environmentSuffix)"
        $0.alarmDescription = "Alert when replica 2 lag exceeds 30 seconds"
        $0.metricName = "ReplicaLag"
        $0.namespace = "AWS/RDS"
        $0.statistic = .average
        $0.period = 300
        $0.evaluationPeriods = 2
        $0.threshold = 30000
        $0.comparisonOperator = .greaterThanThreshold
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: readReplica2.ref)]
        $0.treatMissingData = .notBreaching
    })
    stack.add("ReadLatencyAlarm", CloudWatch.Alarm {
        $0.alarmName = "ecommerce-db-read-latency-\(environmentSuffix)"
        $0.alarmDescription = "Alert when read latency exceeds 20ms"
        $0.metricName = "ReadLatency"
        $0.namespace = "AWS/RDS"
        $0.statistic = .average
        $0.period = 300
        $0.evaluationPeriods = 2
        $0.threshold = 0.02
        $0.comparisonOperator = .greaterThanThreshold
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: primaryDB.ref)]
        $0.treatMissingData = .notBreaching
    })
    stack.add("WriteLatencyAlarm", CloudWatch.Alarm {
        $0.alarmName = "ecommerce-db-write-latency-\(environmentSuffix)"
        $0.alarmDescription = "Alert when write latency exceeds 20ms"
        $0.metricName = "WriteLatency"
        $0.namespace = "AWS/RDS"
        $0.statistic = .average
        $0.period = 300
        $0.evaluationPeriods = 2
        $0.threshold = 0.02
        $0.comparisonOperator = .greaterThanThreshold
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: primaryDB.ref)]
        $0.treatMissingData = .notBreaching
    })
    stack.add("LowStorageAlarm", CloudWatch.Alarm {
        $0.alarmName = "ecommerce-db-low-storage-\(environmentSuffix)"
        $0.alarmDescription = "Alert when free storage falls below 10GB"
        $0.metricName = "FreeStorageSpace"
        $0.namespace = "AWS/RDS"
        $0.statistic = .average
        $0.period = 300
        $0.evaluationPeriods = 1
        $0.threshold = 10737418240
        $0.comparisonOperator = .lessThanThreshold
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "DBInstanceIdentifier", value: primaryDB.ref)]
        $0.treatMissingData = .notBreaching
    })
    // ==================== CloudWatch Dashboard ====================
    stack.add("MonitoringDashboard", CloudWatch.Dashboard(
        dashboardBody: .sub("""
            {
              "widgets": [
                {
                  "type": "metric",
                  "properties": {
                    "metrics": [
                      ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "${PrimaryId}"],
                      ["...", ".", "${Replica1Id}"],
                      ["...", ".", "${Replica2Id}"]
                    ],
                    "view": "timeSeries",
                    "stacked": false,
                    "region": "${Region}",
                    "title": "CPU Utilization",
                    "period": 300,
                    "stat": "Average"
                  },
                  "width": 12,
                  "height": 6,
                  "x": 0,
                  "y": 0
                },
                {
                  "type": "metric",
                  "properties": {
                    "metrics": [
                      ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", "${PrimaryId}"],
                      [".", "FreeableMemory", ".", "."]
                    ],
                    "view": "timeSeries",
                    "region": "${Region}",
                    "title": "Connections & Memory",
                    "period": 300,
                    "stat": "Average"
                  },
                  "width": 12,
                  "height": 6,
                  "x": 12,
                  "y": 0
                },
                {
                  "type": "metric",
                  "properties": {
                    "metrics": [
                      ["AWS/RDS", "ReadLatency", "DBInstanceIdentifier", "${PrimaryId}"],
                      [".", "WriteLatency", ".", "."]
                    ],
                    "view": "timeSeries",
                    "region": "${Region}",
                    "title": "Latency",
                    "period": 300,
                    "stat": "Average"
                  },
                  "width": 12,
                  "height": 6,
                  "x": 0,
                  "y": 6
                },
                {
                  "type": "metric",
                  "properties": {
                    "metrics": [
                      ["AWS/RDS", "ReplicaLag", "DBInstanceIdentifier", "${Replica1Id}"],
                      ["...", ".", "${Replica2Id}"]
                    ],
                    "view": "timeSeries",
                    "region": "${Region}",
                    "title": "Replica Lag",
                    "period": 300,
                    "stat": "Average"
                  },
                  "width": 12,
                  "height": 6,
                  "x": 12,
                  "y": 6
                },
                {
                  "type": "metric",
                  "properties": {
                    "metrics": [
                      ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", "${PrimaryId}"]
                    ],
                    "view": "timeSeries",
                    "region": "${Region}",
                    "title": "Storage",
                    "period": 300,
                    "stat": "Average"
                  },
                  "width": 12,
                  "height": 6,
                  "x": 0,
                  "y": 12
                },
                {
                  "type": "metric",
                  "properties": {
                    "metrics": [
                      ["AWS/RDS", "ReadIOPS", "DBInstanceIdentifier", "${PrimaryId}"],
                      [".", "WriteIOPS", ".", "."]
                    ],
                    "view": "timeSeries",
                    "region": "${Region}",
                    "title": "IOPS",
                    "period": 300,
                    "stat": "Average"
                  },
                  "width": 12,
                  "height": 6,
                  "x": 12,
                  "y": 12
                }
              ]
            }

            """, [
            "Region": Pseudo.region,
            "PrimaryId": primaryDB.ref,
            "Replica1Id": readReplica1.ref,
            "Replica2Id": readReplica2.ref,
        ]),
    ) {
        $0.dashboardName = "ecommerce-db-dashboard-\(environmentSuffix)"
    })

    // Outputs
    stack.output("VPCId", vpc.ref, description: "VPC ID", export: "\(Pseudo.stackName)-VPC")
    stack.output("PrivateSubnet1Id", privateSubnet1.ref, description: "Private Subnet 1 ID", export: "\(Pseudo.stackName)-PrivateSubnet1")
    stack.output("PrivateSubnet2Id", privateSubnet2.ref, description: "Private Subnet 2 ID", export: "\(Pseudo.stackName)-PrivateSubnet2")
    stack.output("DBSecurityGroupId", dbSecurityGroup.ref, description: "Security Group ID for database access", export: "\(Pseudo.stackName)-DBSecurityGroup")
    stack.output("PrimaryDBEndpoint", primaryDB.endpointAddress, description: "Primary database endpoint for write operations", export: "\(Pseudo.stackName)-PrimaryEndpoint")
    stack.output("PrimaryDBPort", primaryDB.endpointPort, description: "Primary database port", export: "\(Pseudo.stackName)-PrimaryPort")
    stack.output("ReadReplica1Endpoint", readReplica1.endpointAddress, description: "Read replica 1 endpoint for read operations", export: "\(Pseudo.stackName)-Replica1Endpoint")
    stack.output("ReadReplica2Endpoint", readReplica2.endpointAddress, description: "Read replica 2 endpoint for read operations", export: "\(Pseudo.stackName)-Replica2Endpoint")
    stack.output("DBName", dbName.ref, description: "Database name", export: "\(Pseudo.stackName)-DBName")
    stack.output("DBMasterUsername", dbMasterUsername.ref, description: "Database master username", export: "\(Pseudo.stackName)-MasterUsername")
    stack.output("DBSecretArn", dbPasswordSecret.ref, description: "Secrets Manager secret ARN containing database credentials", export: "\(Pseudo.stackName)-SecretArn")
    stack.output("BackupBucketName", backupBucket.ref, description: "S3 bucket for database backups and exports", export: "\(Pseudo.stackName)-BackupBucket")
    stack.output("BackupBucketArn", backupBucket.arn, description: "S3 backup bucket ARN", export: "\(Pseudo.stackName)-BackupBucketArn")
    stack.output("KMSKeyId", .if(createKMSKey, dbEncryptionKey.arn, else: kmsKeyARN.ref) as Value<String>, description: "KMS Key ID for encryption", export: "\(Pseudo.stackName)-KMSKey")
    stack.output("DBIAMAuthRoleArn", dbiamAuthRole.arn, description: "IAM role ARN for database authentication", export: "\(Pseudo.stackName)-IAMAuthRole")
    stack.output("RDSExportRoleArn", rdsExportRole.arn, description: "IAM role ARN for RDS snapshot exports", export: "\(Pseudo.stackName)-ExportRole")
    stack.output("CloudWatchDashboardURL", "https://console.aws.amazon.com/cloudwatch/home?region=\(Pseudo.region)#dashboards:name=ecommerce-db-dashboard-\(environmentSuffix)" as Value<String>, description: "CloudWatch Dashboard URL")
    stack.output("PrimaryDBResourceId", primaryDB.dbiResourceId, description: "Primary DB Resource ID for IAM authentication", export: "\(Pseudo.stackName)-PrimaryResourceId")
    stack.output("ConnectionString", "postgresql://\(dbMasterUsername)@\(primaryDB.endpointAddress):\(primaryDB.endpointPort)/\(dbName)" as Value<String>, description: "Connection string format for applications")
    stack.output("ReadConnectionStrings", .sub("postgresql://${DBMasterUsername}@${Replica1Endpoint}:5432/${DBName},postgresql://${DBMasterUsername}@${Replica2Endpoint}:5432/${DBName}", ["Replica1Endpoint": readReplica1.endpointAddress, "Replica2Endpoint": readReplica2.endpointAddress]) as Value<String>, description: "Read replica connection strings (comma-separated)")
    stack.output("IAMAuthTokenCommand", "aws rds generate-db-auth-token --hostname \(primaryDB.endpointAddress) --port \(primaryDB.endpointPort) --username \(dbMasterUsername) --region \(Pseudo.region)\n" as Value<String>, description: "AWS CLI command to generate IAM authentication token")
    stack.output("RetrievePasswordCommand", "aws secretsmanager get-secret-value --secret-id \(dbPasswordSecret) --query SecretString --output text | jq -r .password\n" as Value<String>, description: "AWS CLI command to retrieve database password from Secrets Manager")
    stack.output("SnapshotExportCommand", "aws rds start-export-task --export-task-identifier export-$(date +%Y%m%d-%H%M%S) --source-arn arn:aws:rds:\(Pseudo.region):\(Pseudo.accountID):snapshot:SNAPSHOT_NAME --s3-bucket-name \(backupBucket) --iam-role-arn \(rdsExportRole.arn) --kms-key-id ${If [CreateKMSKey, !GetAtt DBEncryptionKey.Arn, !Ref KMSKeyARN]} --region \(Pseudo.region)\n" as Value<String>, description: "AWS CLI command to export snapshot to S3 (replace SNAPSHOT_NAME)")
    stack.output("PerformanceInsightsURL", "https://console.aws.amazon.com/rds/home?region=\(Pseudo.region)#performance-insights-v20206:/resourceId/\(primaryDB.dbiResourceId)" as Value<String>, description: "Performance Insights URL for Primary DB")
    stack.output("EnvironmentTag", environmentSuffix.ref, description: "Environment suffix used for this deployment", export: "\(Pseudo.stackName)-Environment")
    return stack
}
