// Imported by `formwork import` from sc-rds-postgresql-ra.json.
import Formwork
import FormworkEC2
import FormworkRDS

/// Imported from ../shared/corpus/real-world/templates/aws-samples+aws-service-catalog-reference-architectures/rds/sc-rds-postgresql-ra.json.
/// Service Catalog: RDS PostgreSQL Reference Architecture Template. This template builds an Amazon AWS RDS PostgreSQL master database instance(fdp-1oc5hp7eg).
func scRdsPostgresqlRa() -> Stack {
    let stack = Stack(description: "Service Catalog: RDS PostgreSQL Reference Architecture Template. This template builds an Amazon AWS RDS PostgreSQL master database instance(fdp-1oc5hp7eg).", metadata: [
        "AWS::CloudFormation::Interface": [
            "ParameterGroups": [
                [
                    "Label": ["default": "Amazon RDS PostgreSQL Database Network Configuration"],
                    "Parameters": ["DBVPC", "DBSecurityGroupName", "DBSubnets", "DBSubnetGroupName", "DBInputCIDR"],
                ],
                [
                    "Label": ["default": "Amazon RDS PostgreSQL Database Configuration"],
                    "Parameters": [
                        "DBName",
                        "DBEngine",
                        "DBEngineVersion",
                        "DBInstanceClass",
                        "DBAllocatedStorage",
                        "DBBackupRetentionPeriod",
                    ],
                ],
                [
                    "Label": ["default": "Amazon RDS PostgreSQL Database Access"],
                    "Parameters": ["DBMasterUsername", "DBMasterUserPassword", "DBPortNumber"],
                ],
                [
                    "Label": ["default": "Amazon RDS PostgreSQL Database High Availability"],
                    "Parameters": ["MultiAZ"],
                ],
            ],
        ],
    ])

    // Parameters
    let dbvpc = stack.parameter("DBVPC", ParameterDefinition<String>.raw([
        "Type": "AWS::EC2::VPC::Id",
        "Description": "Select the VPC where the RDS database will be created",
        "ConstraintDescription": "must be an existing VPC",
    ]))
    let dbInputCIDR = stack.parameter("DBInputCIDR", .string(description: "CIDR  to allow access to DB instances", allowedPattern: "(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})", constraintDescription: "must be a valid IP CIDR range of the form x.x.x.x/x."))
    let dbSubnets = stack.parameter("DBSubnets", ParameterDefinition<[String]>.raw([
        "Type": "List<AWS::EC2::Subnet::Id>",
        "Description": "Select at least 2 subnets across 2 AZs to include in the database subnet group",
        "ConstraintDescription": "must be an existing subnet",
    ]))
    let dbSecurityGroupName = stack.parameter("DBSecurityGroupName", .string(description: "The name of the security group to be created", minLength: 1, maxLength: 255, constraintDescription: "Cannot start with sg-. Up to 255 characters in length."))
    let dbName = stack.parameter("DBName", .string(description: "The name of the database to create when the DB instance is created. If this parameter is not specified, the default \"postgres\" database is created in the DB instance.", default: "postgres", allowedPattern: "[a-zA-Z][a-zA-Z0-9]*", minLength: 1, maxLength: 63, constraintDescription: "must begin with a letter and contain only alphanumeric characters."))
    let dbSubnetGroupName = stack.parameter("DBSubnetGroupName", .string(description: "The name of the subnet group to be created for RDS PostgreSQL", allowedPattern: "[a-zA-Z][a-zA-Z0-9]*", minLength: 1, maxLength: 256, constraintDescription: "must begin with a character"))
    let dbPortNumber = stack.parameter("DBPortNumber", .integer(description: "The port number on which the database accepts connections.", default: 5432, minValue: 1150, maxValue: 65535, constraintDescription: "Valid values range from 1150-65535"))
    let dbMasterUsername = stack.parameter("DBMasterUsername", .string(description: "The database admin account username", allowedPattern: "^[\\w]+$", minLength: 5, maxLength: 16, constraintDescription: "Minimum 5 characters must begin with a letter and contain only alphanumeric and underscore characters."))
    let dbMasterUserPassword = stack.parameter("DBMasterUserPassword", .string(description: "The password for the master user. The password can include any printable ASCII character except \"/\", \"\"\", or \"@\".", allowedPattern: "^(?=.*?[A-Z])(?=.*?[a-z])(?=.*?\\d)(?=.*?(_|\\W))(?=.*?\\s)?.{8,}$", minLength: 12, maxLength: 41, noEcho: true, constraintDescription: "Minimum 12 characters, at least one of each of the following: uppercase, lowercase, number, and symbol character such as !#$%^&*()<>[]{}|_+-=."))
    let dbBackupRetentionPeriod = stack.parameter("DBBackupRetentionPeriod", .integer(description: "The number of days for which automated backups are retained. Allowed values 0-10. Setting this parameter to a positive number enables backups. Setting this parameter to 0 disables automated backups.", default: 1, minValue: 0, maxValue: 10, constraintDescription: "must be a number between 0 and 10."))
    let dbAllocatedStorage = stack.parameter("DBAllocatedStorage", .integer(description: "General Purpose (SSD) storage (gp2). Must be an integer from 20 to 16384.", default: 20, minValue: 20, maxValue: 16384, constraintDescription: "Must be an integer from 20 to 16384."))
    let dbEngineVersion = stack.parameter("DBEngineVersion", .string(description: "The database engine version", default: "11.2", allowedValues: ["11.2", "11.1", "10.7", "10.6", "10.5", "10.4", "10.3", "10.1", "9.6.12", "9.6.11", "9.6.10", "9.6.9", "9.6.8", "9.6.6"]))
    let dbInstanceClass = stack.parameter("DBInstanceClass", .string(description: "The database instance type", default: "db.t2.small", allowedValues: ["db.t2.micro", "db.t2.small", "db.t2.medium", "db.t2.large", "db.t2.xlarge", "db.t2.xlarge", "db.m5.24xlarge", "db.m5.12xlarge", "db.m5.4xlarge", "db.m5.2xlarge", "db.m5.xlarge", "db.m5.large", "db.m4.large", "db.m4.xlarge", "db.m4.2xlarge", "db.m4.4xlarge", "db.m4.10xlarge", "db.m4.16xlarge", "db.m3.medium", "db.m3.large", "db.m3.xlarge", "db.m3.2xlarge", "db.r3.large", "db.r3.xlarge", "db.r3.2xlarge", "db.r3.4xlarge", "db.r3.8xlarge", "db.r4.large", "db.r4.xlarge", "db.r4.2xlarge", "db.r4.4xlarge", "db.r4.8xlarge", "db.r4.16xlarge"], constraintDescription: "must select a valid database instance type."))
    let multiAZ = stack.parameter("MultiAZ", .string(description: "Multi-AZ master database", default: "false", allowedValues: ["true", "false"], constraintDescription: "must be true or false."))

    // Resources
    let dbSubnetGroup = stack.add("DBSubnetGroup", RDS.DBSubnetGroup(dbSubnetGroupDescription: "PostgreSQL RDS Subnet Group", subnetIds: dbSubnets.ref) {
        $0.dbSubnetGroupName = dbSubnetGroupName.ref
    })
    let dbec2SecurityGroup = stack.add("DBEC2SecurityGroup", EC2.SecurityGroup(groupDescription: "Open database for access") {
        $0.groupName = dbSecurityGroupName.ref
        $0.vpcId = dbvpc.ref
        $0.securityGroupIngress = [
            EC2.SecurityGroup.Ingress(ipProtocol: "tcp") {
                $0.fromPort = dbPortNumber.ref
                $0.toPort = dbPortNumber.ref
                $0.cidrIp = dbInputCIDR.ref
            },
        ]
    })
    let masterDB = stack.add("MasterDB", RDS.DBInstance {
        $0.dbName = dbName.ref
        $0.dbSubnetGroupName = dbSubnetGroupName.ref
        $0.allocatedStorage = Value(raw: JSON(dbAllocatedStorage.ref))
        $0.dbInstanceClass = Value(dbInstanceClass.ref)
        $0.engine = .postgres
        $0.engineVersion = dbEngineVersion.ref
        $0.masterUsername = dbMasterUsername.ref
        $0.masterUserPassword = dbMasterUserPassword.ref
        $0.multiAZ = Value(raw: JSON(multiAZ.ref))
        $0.backupRetentionPeriod = dbBackupRetentionPeriod.ref
        $0.tags = .tags(["Name": "PostgreSQL Master Database"])
        $0.vpcSecurityGroups = [dbec2SecurityGroup.groupId]
    }, dependsOn: [dbSubnetGroup], deletionPolicy: .snapshot)

    // Outputs
    stack.output("MasterJDBCConnectionString", .join("", ["jdbc:postgresql://", masterDB.endpointAddress, ":", masterDB.endpointPort, "/", dbName.ref]) as Value<String>, description: "JDBC connection string for the master database")
    return stack
}
