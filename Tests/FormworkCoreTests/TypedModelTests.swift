import Foundation
import Formwork
import FormworkTemplate
import FormworkCloudFormation
import FormworkCloudWatch
import FormworkEC2
import FormworkKMS
import FormworkRDS
import FormworkSchema
import FormworkSchemaData
import FormworkSNS
import FormworkTestSupport
import Testing

/// Issue 12's API: order-free construction, value sets, typed lists and attributes, and the
/// mistakes of the issue, each failing at Swift compile time or at `compile()` with a message
/// that names the property.
@Suite struct TypedModelTests {
    /// The same instance written in three orders renders the same properties, in the schema's order.
    @Test func propertiesGoInAnyOrder() {
        let first = RDS.DBInstance {
            $0.engine = .postgres
            $0.dbInstanceClass = .dbR6gLarge
            $0.multiAZ = true
            $0.allocatedStorage = "100"
        }
        let second = RDS.DBInstance {
            $0.allocatedStorage = "100"
            $0.multiAZ = true
            $0.engine = .postgres
            $0.dbInstanceClass = .dbR6gLarge
        }
        var third = RDS.DBInstance()
        third.multiAZ = true
        third.dbInstanceClass = "db.r6g.large"
        third.allocatedStorage = "100"
        third.engine = "postgres"
        let rendered = [first, second, third].map { JSONWriter.compact(.object($0.renderProperties())) }
        #expect(Set(rendered).count == 1)
        #expect(first.renderProperties().keys == ["AllocatedStorage", "DBInstanceClass", "Engine", "MultiAZ"])
    }

    @Test func requiredPropertiesAreArgumentsAndObjectsReadBack() {
        var group = EC2.SecurityGroup(groupDescription: "db") {
            $0.securityGroupIngress = [EC2.SecurityGroup.Ingress(ipProtocol: "tcp") { $0.fromPort = 5432; $0.toPort = 5432 }]
        }
        group.securityGroupIngress?[0].cidrIp = "10.0.0.0/16"
        let ingress = group.renderProperties()["SecurityGroupIngress"]?.arrayValue?.first
        #expect(ingress?["CidrIp"]?.stringValue == "10.0.0.0/16")
        #expect(ingress?["FromPort"]?.numberValue == 5432)
        #expect(group.renderProperties()["GroupDescription"]?.stringValue == "db")
    }

    @Test func extraPropertiesAndRawResources() throws {
        let stack = Stack()
        stack.add("Key", KMS.Key {
            $0.enableKeyRotation = true
            $0.extraProperties["NewFeature"] = ["Enabled": true]
        }, deletionPolicy: .delete, updateReplacePolicy: .delete)
        stack.add("Custom", RawResource(type: "Custom::Seeder", properties: ["ServiceToken": "arn:aws:lambda:us-east-1:111122223333:function:seed"]))
        let template = try stack.compile()
        #expect(template.resource("Key")?.body["Properties"]?["NewFeature"]?["Enabled"]?.scalarText == "true")
        #expect(template.resource("Custom")?.type == "Custom::Seeder")
    }

    /// Issue 12's first mistake: an engine that is not one (cfn-lint's E3690), now a synth error at `engine`.
    @Test func aMisspelledEngineFailsAtTheProperty() {
        let stack = Stack()
        stack.add("Cluster", RDS.DBCluster { $0.engine = "aurora-postgress" })
        let messages = compileErrors(stack)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("'aurora-postgress' is not one of") == true)
        #expect(messages.first?.contains("`engine`") == true, "\(messages)")
        #expect(messages.first?.contains(".other(\"aurora-postgress\")") == true)
    }

    @Test func anEscapedValueIsKept() throws {
        let stack = Stack()
        stack.add("Cluster", RDS.DBCluster { $0.engine = .other("aurora-dsql") })
        #expect(try stack.compile().resource("Cluster")?.body["Properties"]?["Engine"]?.stringValue == "aurora-dsql")
    }

    /// A literal of the wrong kind no longer compiles (`CompileFailureTests`); a string
    /// outside a value set does, and fails at `compile()` naming the property.
    @Test func aValueOutsideTheSetFailsAtTheProperty() {
        let stack = Stack()
        stack.add("Cluster", RDS.DBCluster { $0.engine = "aurora-postgress" })
        let messages = compileErrors(stack)
        #expect(messages.count == 1)
        #expect(messages.contains { $0.contains("did you mean `.auroraPostgresql`?") && $0.contains("`engine`") }, "\(messages)")
    }

    @Test func anAlarmOperatorIsOneOfTheSet() {
        let stack = Stack()
        stack.add("Alarm", CloudWatch.Alarm { $0.comparisonOperator = "GreaterThanThreshhold"; $0.evaluationPeriods = 1 })
        let messages = compileErrors(stack)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("`comparisonOperator`") == true)
    }

    /// Lists of references are lists: `.list(...)` and `refs`, and the intrinsics typed as lists.
    @Test func listsOfReferencesAreTyped() throws {
        let stack = Stack()
        let vpc = stack.add("VPC", EC2.VPC { $0.cidrBlock = "10.0.0.0/16" })
        let subnets = (0..<2).map { index in
            stack.add("Subnet\(index)", EC2.Subnet(vpcId: vpc.ref) {
                $0.cidrBlock = .select(index, from: .cidr(vpc.cidrBlock, count: 2, bits: 8))
                $0.availabilityZone = .select(index, from: .getAZs())
            })
        }
        stack.add("Endpoint", EC2.VPCEndpoint(vpcId: vpc.ref) {
            $0.serviceName = "com.amazonaws.us-east-1.s3"
            $0.subnetIds = .list(subnets.map(\.ref))
            $0.routeTableIds = subnets.refs
        })
        let properties = try stack.compile().resource("Endpoint")?.body["Properties"]
        #expect(properties?["SubnetIds"]?.arrayValue?.count == 2)
        #expect(properties.map { String(decoding: JSONWriter.compact($0), as: UTF8.self) }?.contains("{\"Ref\":\"Subnet0\"}") == true)
    }

    /// `KmsKeyId` is a string now (the registry's type, whatever its anyOf of formats says).
    @Test func keyIdentifiersAreStrings() {
        let key = ResourceHandle<KMS.Key>(logicalID: "Key")
        let cluster = RDS.DBCluster { $0.kmsKeyId = key.arn }
        #expect(cluster.renderProperties()["KmsKeyId"] != nil)
    }

    /// GetAtt names are checked when the stack compiles, not only by the linter.
    @Test func anAttributeTheTypeLacksFailsTheCompile() {
        let stack = Stack()
        let cluster = stack.add("Cluster", RDS.DBCluster { $0.engine = .auroraPostgresql })
        let hostedZone: Value<String> = cluster.attribute("Endpoint.HostedZoneId")
        stack.output("Zone", hostedZone)
        stack.output("Address", cluster.endpointAddress)
        let messages = compileErrors(stack)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("AWS::RDS::DBCluster has no attribute 'Endpoint.HostedZoneId'") == true)
    }

    /// A nested stack's outputs are attributes by pattern (`Outputs\\..*`): the compile accepts
    /// them as the linter does.
    @Test func aNestedStacksOutputsAreAttributes() throws {
        let stack = Stack()
        let nested = stack.add("Network", CloudFormation.Stack(templateURL: "https://example.com/network.yml"), deletionPolicy: .delete)
        let vpc: Value<String> = nested.attribute("Outputs.VpcId")
        stack.output("Vpc", vpc)
        _ = try stack.compile()
    }

    /// Every registry type has a model (`formwork schema --list` prints both counts).
    @Test func everyRegistryTypeHasAModel() {
        let modelled = Set(ModelCatalogue.entries.map(\.typeName))
        #expect(modelled == Set(SchemaRegistry.shared.typeNames))
        #expect(modelled.count == 1_584)
        #expect(ModelCatalogue.entries.first { $0.typeName == "AWS::ECS::Service" }?.swiftName == "ECS.Service")
    }

    @Test func valueNamesReadWell() {
        let cases = [("aurora-postgresql", "auroraPostgresql"), ("db.r6g.large", "dbR6gLarge"), ("GreaterThanThreshold", "greaterThanThreshold"),
                     ("5.7", "v5_7"), ("Bits/Second", "bitsSecond"), ("nodejs20.x", "nodejs20X"), ("None", "none"), ("HTTPS", "https")]
        for (value, name) in cases { #expect(SwiftCase.name(value) == name, "\(value)") }
        // `.none` is Optional's: the member keeps the registry's spelling (SwiftNames' rule).
        #expect(SwiftNames.valueMember("None", of: ["None", "Default"]) == "None")
    }

    /// docs/typed-stacks.md's table of mistakes quotes these messages as `compile()` gives them.
    @Test func theTypedStacksDocumentQuotesTheMessages() throws {
        let readme = try String(contentsOfFile: Repository.root + "/docs/typed-stacks.md", encoding: .utf8)
        let cluster = Stack()
        cluster.add("Cluster", RDS.DBCluster { $0.engine = "aurora-postgress" })
        for message in compileErrors(cluster) {
            #expect(readme.contains(message.replacingOccurrences(of: "`", with: "")), "docs/typed-stacks.md lacks: \(message)")
        }
    }

    /// A loop beside typed outputs and conditions names its own variables: the compile's
    /// reference check does not judge the body as written (found importing a template with
    /// one, where `${TopicName}` was "an undeclared name").
    @Test func aLoopBesideOtherEntriesIsNotJudgedAsWritten() {
        let stack = Stack(description: "A loop beside typed entries")
        let topic = stack.add("Alerts", SNS.Topic())
        stack.output("AlertsArn", topic.ref)
        stack.entry("Fn::ForEach::Names", in: "Outputs", [
            "TopicName", ["Orders", "Payments"],
            ["${TopicName}Arn": ["Value": .object([("Fn::Sub", "${TopicName}-arn")])]],
        ])
        stack.entry("Fn::ForEach::Flags", in: "Conditions", [
            "Flag", ["A", "B"],
            ["Is${Flag}": .object([("Fn::Equals", [.object([("Ref", "AWS::Region")]), "${Flag}"])])],
        ])
        #expect(compileErrors(stack) == [])
    }

    private func compileErrors(_ stack: Stack) -> [String] {
        do {
            _ = try stack.compile()
            return []
        } catch {
            return error.diagnostics.map(\.message)
        }
    }
}
