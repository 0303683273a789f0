import Foundation
@testable import FormworkCore
import Formwork
import FormworkEC2
import FormworkRDS
import FormworkSNS
import FormworkTemplate
import Testing

/// The other half of the misuse suite (`CompileFailureTests`): uses near a trap that must
/// compile and write the template CloudFormation wants, never a silently wrong one. Each
/// snippet is a function below; its body is also type-checked with swiftc as a user's
/// package sees the API (outside Formwork's package), and its template is checked by
/// cfn-lint.
@Suite struct WellTypedSnippetTests {
    typealias Snippet = (name: String, build: @Sendable (Stack) -> Void, expected: [String], unexpected: [String])

    static let snippets: [Snippet] = [
        ("outputOfAStringAttribute", Snippets.outputOfAStringAttribute, ["Value: !GetAtt [Cluster, Endpoint.Address]"], ["Fn::Join", "!Join"]),
        ("outputOfAFindInMap", Snippets.outputOfAFindInMap, ["Value: !FindInMap [Names, !Ref 'AWS::Region', topic]"], ["!Join"]),
        ("outputOfAnIf", Snippets.outputOfAnIf, ["Value: !If [IsEast, !Ref East, !Ref West]"], ["!Join"]),
        ("outputOfAListJoinsIt", Snippets.outputOfAListJoinsIt, ["Value: !Join [',', !Ref Subnets]"], []),
        ("outputOfAListAttributeNamedWithItsType", Snippets.outputOfAListAttributeNamedWithItsType, ["!Join [',', !GetAtt Vpc.CidrBlockAssociations]"], []),
        ("aNumberParameterInAString", Snippets.aNumberParameterInAString, ["TopicName: !Sub topic-${Size}"], []),
        ("aJoinedListInAString", Snippets.aJoinedListInAString, ["TopicName: !Sub"], []),
        ("anIntegerLiteralWhereADecimalGoes", Snippets.anIntegerLiteralWhereADecimalGoes, ["MaxCapacity: 8"], []),
        ("aValueSetLiteralAndMember", Snippets.aValueSetLiteralAndMember, ["Engine: aurora-postgresql", "DatabaseInsightsMode: standard"], []),
        ("aListOfOneReference", Snippets.aListOfOneReference, ["VpcSecurityGroupIds:\n      - !GetAtt Group.GroupId"], []),
        ("aDependencyOnAHandle", Snippets.aDependencyOnAHandle, ["DependsOn: First"], []),
        ("aConditionOnAResourceAndAnOutput", Snippets.aConditionOnAResourceAndAnOutput, ["Condition: IsEast"], []),
    ]

    /// The snippet's lines in this file, between its markers.
    static func body(of name: String) throws -> String {
        let lines = try String(contentsOfFile: #filePath, encoding: .utf8).components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.contains("// snippet: \(name)") })
        let end = try #require(lines[start...].firstIndex { $0.contains("// end of snippet") })
        return lines[(start + 1)..<end].joined(separator: "\n")
    }

    @Test(.enabled(if: CompileFailureTests.canTypecheck, "no built modules or no swiftc to type-check snippets with"), arguments: snippets.map(\.name))
    func typeChecksAsAUsersPackageSeesIt(name: String) throws {
        let body = try Self.body(of: name)
        let result = try #require(try CompileFailureTests().typecheck("let stack = Stack()\n" + body))
        #expect(result.status == 0, "\(name): \(result.output)")
    }

    @Test(arguments: snippets.map(\.name))
    func writesTheTemplateCloudFormationWants(name: String) throws {
        let snippet = try #require(Self.snippets.first { $0.name == name })
        let stack = Stack()
        snippet.build(stack)
        let yaml = try Support.yaml(stack.compile())
        for text in snippet.expected { #expect(yaml.contains(text), "\(name): \(text) missing from\n\(yaml)") }
        for text in snippet.unexpected { #expect(!yaml.contains(text), "\(name): \(text) in\n\(yaml)") }
        guard Support.hasCommand("cfn-lint") else {
            print("skipped: cfn-lint of \(name) (cfn-lint is not installed; make python-deps)")
            return
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-snippet-\(UUID().uuidString).yml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try #require(Support.run(["cfn-lint", "--format", "parseable", "--", path]))
        let errors = result.output.split(separator: "\n").filter { $0.contains(":E") }
        #expect(errors.isEmpty, "\(name): cfn-lint errors:\n\(result.output)\n\(yaml)")
    }
}

/// The snippets: each body between its markers is what a user would write.
enum Snippets {
    static func outputOfAStringAttribute(_ stack: Stack) {
        // snippet: outputOfAStringAttribute
        let cluster = stack.add("Cluster", RDS.DBCluster { $0.engine = .auroraPostgresql; $0.masterUsername = "postgres"; $0.manageMasterUserPassword = true })
        stack.output("Endpoint", cluster.attribute("Endpoint.Address"))
        // end of snippet
    }

    static func outputOfAFindInMap(_ stack: Stack) {
        // snippet: outputOfAFindInMap
        let names = stack.mapping("Names", ["us-east-1": ["topic": "alerts"]])
        stack.add("Topic", SNS.Topic())
        stack.output("TopicName", .findInMap(names, Pseudo.region, "topic"))
        // end of snippet
    }

    static func outputOfAnIf(_ stack: Stack) {
        // snippet: outputOfAnIf
        let isEast = stack.condition("IsEast", .equals(Pseudo.region, "us-east-1"))
        let east = stack.add("East", SNS.Topic())
        let west = stack.add("West", SNS.Topic())
        stack.output("Topic", .if(isEast, east.ref, else: west.ref))
        // end of snippet
    }

    static func outputOfAListJoinsIt(_ stack: Stack) {
        // snippet: outputOfAListJoinsIt
        let subnets = stack.parameter("Subnets", .commaDelimitedList())
        stack.add("Topic", SNS.Topic())
        stack.output("Subnets", subnets.ref)
        // end of snippet
    }

    static func outputOfAListAttributeNamedWithItsType(_ stack: Stack) {
        // snippet: outputOfAListAttributeNamedWithItsType
        let vpc = stack.add("Vpc", EC2.VPC { $0.cidrBlock = "10.0.0.0/16" })
        stack.output("Blocks", vpc.attribute("CidrBlockAssociations", as: [String].self))
        // end of snippet
    }

    static func aNumberParameterInAString(_ stack: Stack) {
        // snippet: aNumberParameterInAString
        let size = stack.parameter("Size", .integer(default: 3))
        stack.add("Topic", SNS.Topic { $0.topicName = "topic-\(size)" })
        // end of snippet
    }

    static func aJoinedListInAString(_ stack: Stack) {
        // snippet: aJoinedListInAString
        let subnets = stack.parameter("Subnets", .commaDelimitedList(default: ["a", "b"]))
        stack.add("Topic", SNS.Topic { $0.topicName = "topic-\(Value<String>.join("-", subnets.ref))" })
        // end of snippet
    }

    static func anIntegerLiteralWhereADecimalGoes(_ stack: Stack) {
        // snippet: anIntegerLiteralWhereADecimalGoes
        stack.add("Cluster", RDS.DBCluster {
            $0.engine = .auroraPostgresql
            $0.masterUsername = "postgres"
            $0.manageMasterUserPassword = true
            $0.serverlessV2ScalingConfiguration = .init { $0.minCapacity = 0.5; $0.maxCapacity = 8 }
        })
        // end of snippet
    }

    static func aValueSetLiteralAndMember(_ stack: Stack) {
        // snippet: aValueSetLiteralAndMember
        stack.add("Cluster", RDS.DBCluster {
            $0.engine = "aurora-postgresql"
            $0.databaseInsightsMode = .standard
            $0.masterUsername = "postgres"
            $0.manageMasterUserPassword = true
        })
        // end of snippet
    }

    static func aListOfOneReference(_ stack: Stack) {
        // snippet: aListOfOneReference
        let group = stack.add("Group", EC2.SecurityGroup(groupDescription: "database"))
        stack.add("Cluster", RDS.DBCluster {
            $0.engine = .auroraPostgresql
            $0.masterUsername = "postgres"
            $0.manageMasterUserPassword = true
            $0.vpcSecurityGroupIds = [group.groupId]
        })
        // end of snippet
    }

    static func aDependencyOnAHandle(_ stack: Stack) {
        // snippet: aDependencyOnAHandle
        let first = stack.add("First", SNS.Topic())
        stack.add("Second", SNS.Topic(), dependsOn: [first])
        // end of snippet
    }

    static func aConditionOnAResourceAndAnOutput(_ stack: Stack) {
        // snippet: aConditionOnAResourceAndAnOutput
        let isEast = stack.condition("IsEast", .equals(Pseudo.region, "us-east-1"))
        let topic = stack.add("Topic", SNS.Topic(), condition: isEast)
        stack.output("TopicArn", topic.ref, condition: isEast)
        // end of snippet
    }
}
