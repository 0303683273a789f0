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
        let group = stack.add("DatabaseSecurityGroup", EC2.SecurityGroup(groupDescription: "PostgreSQL from the application tier") {
            $0.groupName = "db-\(suffix)"
            $0.securityGroupIngress = [EC2.SecurityGroup.Ingress(ipProtocol: "tcp") {
    $0.cidrIp = "10.0.10.0/24"
    $0.description = "application subnet"
    $0.fromPort = 5432
    $0.toPort = 5432
}]
            $0.tags = .tags(["Environment": suffix.ref])
            $0.vpcId = vpcID.ref
        })
        let subnetGroup = stack.add("DatabaseSubnetGroup", RDS.DBSubnetGroup(dbSubnetGroupDescription: "Private subnets of the database", subnetIds: subnets.ref) {
            $0.dbSubnetGroupName = "db-subnets-\(suffix)"
            $0.tags = .tags(["Environment": suffix.ref])
        })
        let parameters = stack.add("DatabaseParameterGroup", RDS.DBParameterGroup(description: "PostgreSQL 16 tuning", family: "postgres16") {
            $0.dbParameterGroupName = "postgres16-\(suffix)"
            $0.parameters = ["log_min_duration_statement": "500", "rds.force_ssl": "1"]
            $0.tags = .tags(["Environment": suffix.ref])
        })
        let database = stack.add("Database", RDS.DBInstance {
            $0.allocatedStorage = "100"
            $0.backupRetentionPeriod = 7
            $0.dbInstanceClass = "db.r6g.large"
            $0.dbInstanceIdentifier = "db-\(suffix)"
            $0.dbParameterGroupName = parameters.ref
            $0.dbSubnetGroupName = subnetGroup.ref
            $0.engine = "postgres"
            $0.engineVersion = "16.6"
            $0.manageMasterUserPassword = true
            $0.masterUsername = "postgres"
            $0.multiAZ = true
            $0.publiclyAccessible = false
            $0.storageEncrypted = true
            $0.storageType = "gp3"
            $0.tags = .tags(["Environment": suffix.ref])
            $0.vpcSecurityGroups = [group.groupId]
        }, deletionPolicy: .delete, updateReplacePolicy: .delete)
        stack.output("DatabaseEndpoint", database.endpointAddress, description: "Where clients connect", export: "\(Pseudo.stackName)-endpoint")
        return stack
    }
}
