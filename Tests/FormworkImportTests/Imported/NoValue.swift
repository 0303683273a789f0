// Imported by `formwork import` from no_value.yaml.
import Formwork
import FormworkIAM
import FormworkRDS

/// Imported from ../shared/corpus/cfn-lint/templates/good/no_value.yaml.
/// MyApp RDS instances
func noValue() -> Stack {
    let stack = Stack(description: "MyApp RDS instances")

    // Parameters
    let pApplicationName = stack.parameter("pApplicationName", .string(description: "Application name (typically MyApp).", default: "MyApp"))
    let pMultiAZ = stack.parameter("pMultiAZ", .string(description: "Set to true to create instances in both AZs, false for one.", allowedValues: ["true", "false"]))
    let pEnhancedMonitoring = stack.parameter("pEnhancedMonitoring", .string(description: "Set to true to enable RDS enhanced monitoring, false to disable.", allowedValues: ["true", "false"]))
    let pDBAllocatedStorage = stack.parameter("pDBAllocatedStorage", .string(description: "The amount of disk storage allocated to the database server."))
    let pDBParameterGroupFamily = stack.parameter("pDBParameterGroupFamily", .string(description: "The RDS parameter group family."))
    let pDBInstanceClass = stack.parameter("pDBInstanceClass", .string(description: "The RDS instance class."))
    let pDBEngine = stack.parameter("pDBEngine", .string(description: "The RDS Engine."))
    let pDBEngineVersion = stack.parameter("pDBEngineVersion", .string(description: "The RDS Engine version."))
    let pDBMasterUsername = stack.parameter("pDBMasterUsername", .string(description: "The DB Master Username."))
    let pDBServerPort = stack.parameter("pDBServerPort", .integer(description: "The DB engine port. Valid values are 1150-65535 except for 1434, 3389, 47001, 49152, and 49152 through 49156.", default: 1433))
    _ = stack.parameter("pProdMonitoringInterval", .integer(description: "The interval, in seconds, between points when Enhanced Monitoring metrics are collected for the DB instance when running in the Prod stage.", default: 60))
    _ = stack.parameter("pDevMonitoringInterval", .integer(description: "The interval, in seconds, between points when Enhanced Monitoring metrics are collected for the DB instance when running in the Dev stage.", default: 0))

    // Conditions
    let multiAZ = stack.condition("MultiAZ", .equals(pMultiAZ.ref, "true"))
    let enhancedMonitoring = stack.condition("EnhancedMonitoring", .equals(pEnhancedMonitoring.ref, "true"))

    // Resources
    let rParameterGroup = stack.add("rParameterGroup", RDS.DBParameterGroup(
        description: .join(" ", [pApplicationName.ref, "RDS Parameter Group."]),
        family: pDBParameterGroupFamily.ref,
    ) {
        $0.tags = .tags(["app": pApplicationName.ref, "env": .importValue("\(pApplicationName):config:env")])
    })
    let rDBSubnetGroup = stack.add("rDBSubnetGroup", RDS.DBSubnetGroup(
        dbSubnetGroupDescription: .join(" ", [pApplicationName.ref, "RDS Subnet Group."]),
        subnetIds: [.importValue("\(pApplicationName):subnet:data:1"), .importValue("\(pApplicationName):subnet:data:2")],
    ) {
        $0.tags = .tags(["app": pApplicationName.ref, "env": .importValue("\(pApplicationName):config:env")])
    })
    let rDBPassword = stack.add("rDBPassword", RawResource(type: "Custom::Secret", properties: [
        "Name": JSON("/passwords/rds/\(Pseudo.stackName)" as Value<String>),
        "KeyAlias": "alias/aws/ssm",
        "Alphabet": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        "Length": 30,
        "ReturnSecret": true,
        "ServiceToken": ["Fn::Join": [
                ":",
                [
                    "arn:aws:lambda",
                    JSON(Pseudo.region),
                    JSON(Pseudo.accountID),
                    "function:binxio-cfn-secret-provider",
                ],
            ]],
    ]))
    let rDBMonitoringRole = stack.add("rDBMonitoringRole", IAM.Role(
        assumeRolePolicyDocument: PolicyDocument(json: [
            "Statement": [
                [
                    "Effect": "Allow",
                    "Principal": ["Service": "monitoring.rds.amazonaws.com"],
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
                            "Action": ["logs:CreateLogGroup", "logs:PutRetentionPolicy"],
                            "Resource": ["arn:aws:logs:*:*:log-group:RDS*"],
                        ],
                        [
                            "Effect": "Allow",
                            "Action": [
                                "logs:CreateLogStream",
                                "logs:PutLogEvents",
                                "logs:DescribeLogStreams",
                                "logs:GetLogEvents",
                            ],
                            "Resource": ["arn:aws:logs:*:*:log-group:RDS*:log-stream:*"],
                        ],
                    ],
                ]),
                policyName: "MyAppRDSEnhancedMonitoring",
            ),
        ]
    }, condition: enhancedMonitoring)
    stack.add("rDBServerInstance", RDS.DBInstance {
        $0.allocatedStorage = pDBAllocatedStorage.ref
        $0.allowMajorVersionUpgrade = false
        $0.autoMinorVersionUpgrade = true
        $0.backupRetentionPeriod = 35
        $0.copyTagsToSnapshot = true
        $0.dbInstanceClass = Value(pDBInstanceClass.ref)
        $0.dbParameterGroupName = rParameterGroup.ref
        $0.dbSubnetGroupName = rDBSubnetGroup.ref
        $0.engine = Value(pDBEngine.ref)
        $0.engineVersion = pDBEngineVersion.ref
        $0.licenseModel = "license-included"
        $0.masterUserPassword = rDBPassword.attribute("Secret")
        $0.masterUsername = pDBMasterUsername.ref
        // MonitoringInterval: !If [ EnhancedMonitoring, !Ref pProdMonitoringInterval, !Ref pDevMonitoringInterval ]
        $0.monitoringRoleArn = .if(enhancedMonitoring, rDBMonitoringRole.arn, else: nil)
        $0.multiAZ = .if(multiAZ, true, else: false)
        $0.port = Value(raw: JSON(pDBServerPort.ref))
        $0.publiclyAccessible = false
        $0.storageEncrypted = true
        $0.storageType = "gp2"
        $0.tags = .tags(["app": pApplicationName.ref, "env": .importValue("\(pApplicationName):config:env")])
        $0.vpcSecurityGroups = [.importValue("\(pApplicationName):sg:data")]
    })
    return stack
}
