import Foundation
import FormworkTestSupport
@testable import FormworkCore
import Formwork
import FormworkCloudWatch
import FormworkEC2
import FormworkRDS
import FormworkSNS
import FormworkTemplate

enum Support {
    static let root = Repository.root

    static func run(_ arguments: [String], in folder: String? = nil) -> (status: Int32, output: String)? { Repository.run(arguments, in: folder) }
    static func hasCommand(_ name: String) -> Bool { Repository.hasCommand(name) }

    static func yaml(_ template: Template) throws -> String {
        String(decoding: try Formatter.canonical(template.value, as: .yaml), as: UTF8.self)
    }
}

/// The small stack of the typed-models acceptance: a Multi-AZ PostgreSQL instance with its
/// parameter group, subnet group and security group.
enum SmallDatabaseStack {
    static func make() -> Stack {
        let stack = Stack(description: "Multi-AZ PostgreSQL written with Formwork's typed models")
        let suffix = stack.parameter("EnvironmentSuffix", .string(
            description: "Suffix of every name", allowedPattern: "^[a-z0-9-]+$", minLength: 1, maxLength: 20,
            constraintDescription: "lowercase letters, digits and hyphens"))
        let vpcID = stack.parameter("VpcId", .awsSpecific("AWS::EC2::VPC::Id", description: "The VPC of the database"))
        let subnets = stack.parameter("SubnetIds", .awsSpecificList("AWS::EC2::Subnet::Id", description: "Two private subnets"))
        let group = stack.add("DatabaseSecurityGroup", EC2.SecurityGroup(
            groupDescription: "PostgreSQL from the application tier",
            groupName: "db-\(suffix)",
            securityGroupIngress: [EC2.SecurityGroup.Ingress(cidrIp: "10.0.10.0/24", description: "application subnet", fromPort: 5432, ipProtocol: "tcp", toPort: 5432)],
            tags: .tags(["Environment": suffix.ref]),
            vpcId: vpcID.ref))
        let subnetGroup = stack.add("DatabaseSubnetGroup", RDS.DBSubnetGroup(
            dbSubnetGroupDescription: "Private subnets of the database",
            dbSubnetGroupName: "db-subnets-\(suffix)",
            subnetIds: subnets.ref,
            tags: .tags(["Environment": suffix.ref])))
        let parameters = stack.add("DatabaseParameterGroup", RDS.DBParameterGroup(
            dbParameterGroupName: "postgres16-\(suffix)",
            description: "PostgreSQL 16 tuning",
            family: "postgres16",
            parameters: ["log_min_duration_statement": "500", "rds.force_ssl": "1"],
            tags: .tags(["Environment": suffix.ref])))
        let database = stack.add("Database", RDS.DBInstance(
            allocatedStorage: "100",
            backupRetentionPeriod: 7,
            dbInstanceClass: "db.r6g.large",
            dbInstanceIdentifier: "db-\(suffix)",
            dbParameterGroupName: parameters.ref,
            dbSubnetGroupName: subnetGroup.ref,
            engine: "postgres",
            engineVersion: "16.6",
            manageMasterUserPassword: true,
            masterUsername: "postgres",
            multiAZ: true,
            publiclyAccessible: false,
            storageEncrypted: true,
            storageType: "gp3",
            tags: .tags(["Environment": suffix.ref]),
            vpcSecurityGroups: [group.groupId]
        ), deletionPolicy: .delete, updateReplacePolicy: .delete)
        stack.output("DatabaseEndpoint", database.endpointAddress, description: "Where clients connect", export: "\(Pseudo.stackName)-endpoint")
        return stack
    }
}
