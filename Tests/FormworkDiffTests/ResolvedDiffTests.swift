import Foundation
import FormworkDiff
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate
import Testing

/// One update of a template and what CloudFormation does with it, with the page that says so.
struct ResolvedRow: CustomStringConvertible, Sendable {
    var name: String
    var deployed: String
    var local: String
    var localValues: [String: String] = [:]
    var deployedValues: [String: String] = [:]
    /// The resource judged and its expected verdict (nil: no difference at all).
    var resource: String = "R"
    var expected: Replacement?
    var data: DataVerdict?
    var source: String
    /// Whether LC-08 (a replacement that keeps a custom name) fires on `resource`; nil: not judged.
    var keepsCustomName: Bool?
    var description: String { name }
}

/// The classes of issue 30, a sourced case each: values reached through parameters,
/// Conditions, mappings and the other functions; type changes; transforms; the later
/// documentation and the registry over the 2023 table; snapshots and data-bearing types.
@Suite struct ResolvedDiffTruthTable {
    static let conditional = """
        Parameters:
          Env: {Type: String, AllowedValues: [prod, dev]}
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
        Resources:
          R:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: !If [IsProd, orders-prod, orders-dev]
              KeySchema: [{AttributeName: id, KeyType: HASH}]

        """
    static func mapped(_ prodSize: String) -> String {
        """
        Parameters:
          Env: {Type: String}
        Mappings:
          Names:
            prod: {Queue: \(prodSize)}
            dev: {Queue: orders-dev}
        Resources:
          R:
            Type: AWS::SQS::Queue
            Properties:
              QueueName: !FindInMap [Names, !Ref Env, Queue]

        """
    }
    static func condition(_ body: String) -> String {
        """
        Parameters:
          Env: {Type: String}
        Conditions:
          Encrypted: \(body)
        Resources:
          R:
            Type: AWS::EFS::FileSystem
            Properties:
              Encrypted: !If [Encrypted, true, false]

        """
    }

    /// A table (replaced: a new KeySchema) and a topic named from it by `reader`.
    static func named(table: String, reader: String, hashKey: String) -> String {
        """
        Resources:
          Table:
            Type: AWS::DynamoDB::Table
            Properties:
        \(table.isEmpty ? "" : "      TableName: \(table)\n")      KeySchema: [{AttributeName: \(hashKey), KeyType: HASH}]
          R:
            Type: AWS::SNS::Topic
            Properties:
              TopicName: \(reader)

        """
    }
    static let customNameSource = "User Guide, Name type: \"You can't perform an update that causes a custom-named resource to be replaced. If you must replace the resource, specify a new name\" and \"If you don't specify a name, CloudFormation generates a unique physical ID\"; AWS::SNS::Topic: TopicName, Update requires: Replacement"

    static let rows: [ResolvedRow] = [
        ResolvedRow(name: "a parameter flip through Fn::If in a create-only property of a table", deployed: conditional, local: conditional,
                    localValues: ["Env": "dev"], deployedValues: ["Env": "prod"], expected: .will, data: .lost,
                    source: "User Guide, Fn::If (condition functions page) and AWS::DynamoDB::Table: TableName, Update requires: Replacement"),
        ResolvedRow(name: "the same parameter value through Fn::If is no change", deployed: conditional, local: conditional,
                    localValues: ["Env": "prod"], deployedValues: ["Env": "prod"], expected: nil,
                    source: "User Guide, Fn::If: the value of the chosen branch is what the resource gets"),
        ResolvedRow(name: "an edited mapping value reaching a create-only name", deployed: mapped("orders-prod"), local: mapped("orders-main"),
                    deployedValues: ["Env": "prod"], expected: .will, data: .lost,
                    source: "User Guide, Fn::FindInMap, and AWS::SQS::Queue: QueueName, Update requires: Replacement"),
        ResolvedRow(name: "an edited condition reaching a create-only property", deployed: condition("!Equals [!Ref Env, prod]"), local: condition("!Equals [!Ref Env, dev]"),
                    deployedValues: ["Env": "prod"], expected: .will, data: .lost,
                    source: "User Guide, condition functions (Fn::Equals), and AWS::EFS::FileSystem: Encrypted, Update requires: Replacement"),
        ResolvedRow(name: "a value that stays unknown is may, naming it", deployed: conditional, local: conditional, localValues: ["Env": "dev"],
                    expected: .may, data: .lost,
                    source: "without describe-stacks the deployed value of Env is not known: the deployed TableName may be orders-dev"),
        ResolvedRow(name: "Fn::Join of literals equals its text", deployed: Pair.resource("AWS::SQS::Queue", "QueueName: a-b"),
                    local: Pair.resource("AWS::SQS::Queue", "QueueName: !Join ['-', [a, b]]"), expected: nil,
                    source: "User Guide, Fn::Join: the values are appended with the delimiter"),
        ResolvedRow(name: "Fn::Select of Fn::Split equals the item", deployed: Pair.resource("AWS::SQS::Queue", "QueueName: b"),
                    local: Pair.resource("AWS::SQS::Queue", "QueueName: !Select [1, !Split [',', 'a,b,c']]"), expected: nil,
                    source: "User Guide, Fn::Select and Fn::Split"),
        ResolvedRow(name: "Fn::Sub of a known parameter", deployed: Pair.resource("AWS::SQS::Queue", "QueueName: orders-dev"),
                    local: "Parameters:\n  Env: {Type: String, Default: dev}\n" + Pair.resource("AWS::SQS::Queue", "QueueName: !Sub 'orders-${Env}'"), expected: nil,
                    source: "User Guide, Fn::Sub: a variable that names a parameter takes its value"),
        // Custom names judged by their resolved value: a name read from a replaced resource is new
        // unless that resource keeps its own custom name (then its Ref, name and Arn stay).
        ResolvedRow(name: "a name read from a replaced table with a generated name is new",
                    deployed: named(table: "", reader: "!Sub '${Table}-events'", hashKey: "id"),
                    local: named(table: "", reader: "!Sub '${Table}-events'", hashKey: "key"), expected: .will,
                    source: customNameSource + ": the new table gets a new generated name, so does the topic", keepsCustomName: false),
        ResolvedRow(name: "a name read from a replaced table whose custom name changes is new",
                    deployed: named(table: "orders-a", reader: "!Join ['-', [!GetAtt Table.Arn, events]]", hashKey: "id"),
                    local: named(table: "orders-b", reader: "!Join ['-', [!GetAtt Table.Arn, events]]", hashKey: "id"), expected: .will,
                    source: customNameSource + ": orders-b is a new name, so its Arn and the topic's name are new", keepsCustomName: false),
        ResolvedRow(name: "a name read from a replaced table that keeps its custom name is kept",
                    deployed: named(table: "orders", reader: "!Sub '${Table}-events'", hashKey: "id"),
                    local: named(table: "orders", reader: "!Sub '${Table}-events'", hashKey: "key"), expected: .will,
                    source: customNameSource + ": Ref of the table is its name, orders again, so the topic's name is orders-events again", keepsCustomName: true),
        ResolvedRow(name: "a name read from the Arn of a replaced table that keeps its custom name is kept",
                    deployed: named(table: "orders", reader: "!Select [1, !Split ['/', !GetAtt Table.Arn]]", hashKey: "id"),
                    local: named(table: "orders", reader: "!Select [1, !Split ['/', !GetAtt Table.Arn]]", hashKey: "key"), expected: .will,
                    source: customNameSource + ": the table's Arn is made of its name, which stays", keepsCustomName: true),
        ResolvedRow(name: "a name read from the StreamArn of a replaced table that keeps its custom name is new",
                    deployed: named(table: "orders", reader: "!Select [3, !Split ['/', !GetAtt Table.StreamArn]]", hashKey: "id"),
                    local: named(table: "orders", reader: "!Select [3, !Split ['/', !GetAtt Table.StreamArn]]", hashKey: "key"), expected: .will,
                    source: customNameSource + "; AWS::DynamoDB::Table return values: StreamArn ends in a timestamp label, new for a new table", keepsCustomName: false),
        // Type changes and custom resources.
        ResolvedRow(name: "a new Type under the same logical id is refused", deployed: Pair.resource("AWS::SQS::Queue", "VisibilityTimeout: 30"),
                    local: Pair.resource("AWS::SNS::Topic", "DisplayName: a"), expected: .fails,
                    source: "CloudFormation's error \"Update of resource type is not permitted\" (User Guide, troubleshooting: update a resource's type)"),
        ResolvedRow(name: "a custom resource's new ServiceToken is refused", deployed: Pair.resource("Custom::Seed", "ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:a"),
                    local: Pair.resource("Custom::Seed", "ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:b"), expected: .fails,
                    source: "AWS::CloudFormation::CustomResource page: ServiceToken, \"Updates aren't supported\""),
        ResolvedRow(name: "a new custom type is refused", deployed: Pair.resource("Custom::Seed", "ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:a"),
                    local: Pair.resource("Custom::Seeder", "ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:a"), expected: .fails,
                    source: "\"Update of resource type is not permitted\": a custom type is a resource type"),
        // Later documentation and the registry, more destructive than the 2023 table.
        ResolvedRow(name: "a Lambda version's Description", deployed: Pair.resource("AWS::Lambda::Version", "FunctionName: f\nDescription: a"),
                    local: Pair.resource("AWS::Lambda::Version", "FunctionName: f\nDescription: b"), expected: .will,
                    source: "AWS::Lambda::Version page (template reference): Description, Update requires: Replacement (2023 table: No interruption)"),
        ResolvedRow(name: "a Lambda version's CodeSha256 (registry create-only)", deployed: Pair.resource("AWS::Lambda::Version", "FunctionName: f\nCodeSha256: a"),
                    local: Pair.resource("AWS::Lambda::Version", "FunctionName: f\nCodeSha256: b"), expected: .will,
                    source: "registry: /properties/CodeSha256 is create-only (2023 table: No interruption); the more destructive wins"),
        ResolvedRow(name: "an OpenSearch domain's KmsKeyId changed after it was set",
                    deployed: Pair.resource("AWS::OpenSearchService::Domain", "EncryptionAtRestOptions: {Enabled: true, KmsKeyId: alias/a}"),
                    local: Pair.resource("AWS::OpenSearchService::Domain", "EncryptionAtRestOptions: {Enabled: true, KmsKeyId: alias/b}"), expected: .will, data: .lost,
                    source: "AWS::OpenSearchService::Domain EncryptionAtRestOptions page: changing KmsKeyId after it is set requires replacement"),
        ResolvedRow(name: "an OpenSearch domain's KmsKeyId set the first time",
                    deployed: Pair.resource("AWS::OpenSearchService::Domain", "EncryptionAtRestOptions: {Enabled: true}"),
                    local: Pair.resource("AWS::OpenSearchService::Domain", "EncryptionAtRestOptions: {Enabled: true, KmsKeyId: alias/b}"), expected: Replacement.none,
                    source: "AWS::OpenSearchService::Domain page: EncryptionAtRestOptions, Update requires: No interruption"),
        ResolvedRow(name: "a VPC's InstanceTenancy default -> dedicated", deployed: Pair.resource("AWS::EC2::VPC", "CidrBlock: 10.0.0.0/16\nInstanceTenancy: default"),
                    local: Pair.resource("AWS::EC2::VPC", "CidrBlock: 10.0.0.0/16\nInstanceTenancy: dedicated"), expected: .will,
                    source: "AWS::EC2::VPC page: updating InstanceTenancy from default to dedicated requires replacement"),
        ResolvedRow(name: "a VPC's InstanceTenancy dedicated -> default", deployed: Pair.resource("AWS::EC2::VPC", "CidrBlock: 10.0.0.0/16\nInstanceTenancy: dedicated"),
                    local: Pair.resource("AWS::EC2::VPC", "CidrBlock: 10.0.0.0/16\nInstanceTenancy: default"), expected: Replacement.none,
                    source: "AWS::EC2::VPC page: no replacement only from dedicated to default"),
        ResolvedRow(name: "ElastiCache shards under UseOnlineResharding",
                    deployed: Pair.resource("AWS::ElastiCache::ReplicationGroup", "ReplicationGroupDescription: a\nNumNodeGroups: 2", extra: "    UpdatePolicy:\n      UseOnlineResharding: true\n"),
                    local: Pair.resource("AWS::ElastiCache::ReplicationGroup", "ReplicationGroupDescription: a\nNumNodeGroups: 3", extra: "    UpdatePolicy:\n      UseOnlineResharding: true\n"),
                    expected: Replacement.none,
                    source: "AWS::ElastiCache::ReplicationGroup page: NumNodeGroups, Update requires: No interruption (with UseOnlineResharding, UpdatePolicy page)"),
        // Data verdicts.
        ResolvedRow(name: "UpdateReplacePolicy Snapshot on a table that cannot snapshot",
                    deployed: Pair.resource("AWS::DynamoDB::Table", "TableName: a\nKeySchema: [{AttributeName: id, KeyType: HASH}]", extra: "    UpdateReplacePolicy: Snapshot\n"),
                    local: Pair.resource("AWS::DynamoDB::Table", "TableName: b\nKeySchema: [{AttributeName: id, KeyType: HASH}]", extra: "    UpdateReplacePolicy: Snapshot\n"),
                    expected: .will, data: .lost,
                    source: "DeletionPolicy page: Snapshot only for the types that support snapshots (DynamoDB tables are not among them)"),
        ResolvedRow(name: "UpdateReplacePolicy Snapshot on an ElastiCache cluster",
                    deployed: Pair.resource("AWS::ElastiCache::CacheCluster", "Engine: redis\nCacheNodeType: cache.t3.micro\nNumCacheNodes: 1\nPort: 6379", extra: "    UpdateReplacePolicy: Snapshot\n"),
                    local: Pair.resource("AWS::ElastiCache::CacheCluster", "Engine: redis\nCacheNodeType: cache.t3.micro\nNumCacheNodes: 1\nPort: 6380", extra: "    UpdateReplacePolicy: Snapshot\n"),
                    expected: .will, data: .snapshot,
                    source: "DeletionPolicy page: AWS::ElastiCache::CacheCluster supports snapshots; CacheCluster page: Port, Update requires: Replacement"),
        ResolvedRow(name: "an MSK cluster replaced loses its topics", deployed: Pair.resource("AWS::MSK::Cluster", "ClusterName: a\nKafkaVersion: 3.6.0\nNumberOfBrokerNodes: 3"),
                    local: Pair.resource("AWS::MSK::Cluster", "ClusterName: b\nKafkaVersion: 3.6.0\nNumberOfBrokerNodes: 3"), expected: .will, data: .lost,
                    source: "AWS::MSK::Cluster page: ClusterName, Update requires: Replacement; the brokers hold the topics (MSK Developer Guide)"),
    ]

    @Test(arguments: rows) func verdict(_ row: ResolvedRow) throws {
        let report = try Pair.diff(deployed: row.deployed, local: row.local, parameters: row.localValues, deployedValues: row.deployedValues)
        let resource = report.resources.first { $0.logicalID == row.resource }
        guard let expected = row.expected else {
            #expect(resource == nil, "\(row.source); Formwork: \(resource.map { $0.changes.map { "\($0.pathText): \($0.reason)" } } ?? [])")
            return
        }
        let found = try #require(resource, "no difference found; \(row.source)")
        #expect(found.replacement == expected, "\(row.source); Formwork: \(found.changes.map { "\($0.pathText): \($0.reason)" })")
        #expect(found.data == row.data, "\(row.source); notes: \(found.notes)")
        if let kept = row.keepsCustomName {
            let fired = report.findings.contains { $0.ruleID == "LC-08" && $0.path.starts(with: [.key("Resources"), .key(row.resource)]) }
            #expect(fired == kept, "\(row.source); findings: \(report.findings.map(\.message))")
        }
    }

    /// `!Condition` inside `!And` (a one-key object once read); each condition evaluated
    /// once, so a chain that names its predecessor twice stays linear.
    @Test func nestedConditionsDecideAndStayLinear() throws {
        var text = "Parameters:\n  P: {Type: String, Default: a}\nConditions:\n  C0: !Equals [!Ref P, a]\n"
        for index in 1..<200 { text += "  C\(index): !And [!Condition C\(index - 1), !Condition C\(index - 1)]\n" }
        text += "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: C199\n"
        let report = try Pair.diff(deployed: text, local: text, parameters: ["P": "b"], deployedValues: ["P": "a"])
        #expect(report.resources.map { "\($0.action.rawValue) \($0.logicalID)" } == ["remove Q"])
    }

    @Test func unknownValuesAreNamed() throws {
        let report = try Pair.diff(deployed: Self.conditional, local: Self.conditional, parameters: ["Env": "dev"])
        let reason = try #require(report.resources.first?.changes.first?.reason)
        #expect(reason.contains("the condition IsProd (it reads Env, no value known)"), "\(reason)")
        // A resource whose own Condition cannot be decided says what it reads.
        let guarded = Self.conditional.replacingOccurrences(of: "    Type: AWS::DynamoDB::Table\n", with: "    Type: AWS::DynamoDB::Table\n    Condition: IsProd\n")
            .replacingOccurrences(of: "!If [IsProd, orders-prod, orders-dev]", with: "orders")
        let changed = try Pair.diff(deployed: guarded, local: guarded.replacingOccurrences(of: "TableName: orders", with: "TableName: orders-v2"))
        #expect(changed.resources.first?.notes.contains { $0.hasPrefix("its Condition cannot be evaluated here (it reads Env, no value known)") } == true,
                "\(changed.resources.first?.notes ?? [])")
    }

    @Test func typeChangeIsRefusedNotReplaced() throws {
        let report = try Pair.diff(deployed: Pair.resource("AWS::SQS::Queue", "QueueName: orders"), local: Pair.resource("AWS::SNS::Topic", "TopicName: orders-v2"))
        let resource = try #require(report.resources.first)
        #expect(resource.data == nil && resource.previousType == "AWS::SQS::Queue")
        let finding = try #require(report.findings.first { $0.ruleID == "LC-12" })
        #expect(finding.hint?.contains("new logical id") == true)
        // A name that changed with the type is no LC-08 (nothing is replaced).
        #expect(!report.findings.contains { $0.ruleID == "LC-08" })
        #expect(DiffFailOn.replacement.triggers(report))
    }

    @Test func samResourcesCompareAsWhatTheTransformMakes() throws {
        let plain = """
            Resources:
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  Handler: app.handler
                  Runtime: python3.12
                  Code: {S3Bucket: b, S3Key: k.zip}
                  Role: !GetAtt FnRole.Arn
                  Tags: [{Key: lambda:createdBy, Value: SAM}]
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
            """
        let sam = { (key: String, runtime: String) in """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function: {Runtime: \(runtime)}
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {Handler: app.handler, CodeUri: 's3://b/k.zip'}
              Table:
                Type: AWS::Serverless::SimpleTable
                Properties:
                  PrimaryKey: {Name: \(key), Type: String}
            """
        }
        #expect(!(try Pair.diff(deployed: plain, local: sam("id", "python3.12"))).hasDifferences, "a SAM rewrite of the same resources is no change")
        let report = try Pair.diff(deployed: plain, local: sam("pk", "python3.13"))
        #expect(report.resources.first { $0.logicalID == "Table" }?.replacement == .will)
        #expect(report.resources.first { $0.logicalID == "Table" }?.data == .lost)
        #expect(report.resources.first { $0.logicalID == "Fn" }?.replacement == Replacement.none)
        #expect(!report.resources.contains { $0.previousType != nil })
        // The processed template's role, made by the transform, is not a removal.
        let processed = plain + """

              FnRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
            """
        let companion = try Pair.diff(deployed: processed, local: sam("id", "python3.12"))
        #expect(!companion.hasDifferences, "\(companion.resources.map(\.logicalID))")
        #expect(companion.notes == ["FnRole (AWS::IAM::Role) was made by the SAM transform from Fn: not compared"])
    }

    @Test(arguments: [
        ("AWS::Serverless::Api", "Name: a\nStageName: prod", "Name: a\nStageName: prod\nEndpointConfiguration: PRIVATE", Replacement.none, "RestApi page: EndpointConfiguration, Update requires: No interruption"),
        ("AWS::Serverless::HttpApi", "Description: a", "Description: b", Replacement.none, "ApiGatewayV2 Api page: Description, Update requires: No interruption"),
        ("AWS::Serverless::LayerVersion", "LayerName: a\nContentUri: s3://b/a.zip", "LayerName: a\nContentUri: s3://b/b.zip", Replacement.will, "LayerVersion page: Content, Update requires: Replacement"),
        ("AWS::Serverless::StateMachine", "Name: a\nDefinitionUri: s3://b/a.json", "Name: b\nDefinitionUri: s3://b/a.json", Replacement.will, "StateMachine page: StateMachineName, Update requires: Replacement"),
        ("AWS::Serverless::Function", "Handler: a.h\nRuntime: python3.12\nCodeUri: s3://b/a.zip\nFunctionName: a", "Handler: a.h\nRuntime: python3.12\nCodeUri: s3://b/a.zip\nFunctionName: b", Replacement.will, "Lambda Function page: FunctionName, Update requires: Replacement"),
        ("AWS::Serverless::SimpleTable", "TableName: a", "TableName: b", Replacement.will, "DynamoDB Table page: TableName, Update requires: Replacement"),
    ] as [(String, String, String, Replacement, String)])
    func samVerdicts(_ type: String, _ before: String, _ after: String, _ expected: Replacement, _ source: String) throws {
        let transform = "Transform: AWS::Serverless-2016-10-31\n"
        let report = try Pair.diff(deployed: transform + Pair.resource(type, before), local: transform + Pair.resource(type, after))
        let resource = try #require(report.resources.first)
        #expect(resource.replacement == expected, "\(source); Formwork: \(resource.changes.map { "\($0.pathText): \($0.reason)" })")
        #expect(!resource.changes.contains { $0.reason.contains("not in the registry") })
    }

    @Test func loopsAreExpandedWithEachSidesValues() throws {
        let loop = { (items: String) in """
            Transform: AWS::LanguageExtensions
            Resources:
              Fn::ForEach::Queues:
                - Name
                - [\(items)]
                - Queue${Name}:
                    Type: AWS::SQS::Queue
                    Properties: {QueueName: !Sub 'q-${Name}'}
            """
        }
        let added = try Pair.diff(deployed: loop("a, b"), local: loop("a, b, c"))
        #expect(added.resources.map { "\($0.action.rawValue) \($0.logicalID)" } == ["add Queuec"])
        let expansion = "Resources:\n  Queuea: {Type: AWS::SQS::Queue, Properties: {QueueName: q-a}}\n  Queueb: {Type: AWS::SQS::Queue, Properties: {QueueName: q-b}}\n"
        #expect(!(try Pair.diff(deployed: expansion, local: loop("a, b"))).hasDifferences)
    }

    @Test func renamesAreKeptAndMapped() throws {
        let deployed = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: {Status: Enabled}\n"
        let renamed = "Resources:\n  Archive:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: {Status: Enabled}\n"
        let report = try Pair.diff(deployed: deployed, local: renamed)
        let rename = try #require(report.resources.first)
        #expect(rename.action == .rename && rename.previousLogicalID == "Bucket" && rename.logicalID == "Archive")
        #expect(report.resources.count == 1)
        #expect(rename.notes.first?.contains("create-stack-refactor") == true)
        let mappings = String(decoding: JSONWriter.write(Renames.resourceMappings(report.renames, stackName: "orders")), as: UTF8.self)
        #expect(mappings.contains("\"Source\"") && mappings.contains("\"LogicalResourceId\": \"Bucket\"") && mappings.contains("\"LogicalResourceId\": \"Archive\""))
        // Keeping a custom name: the create fails, nothing is deleted.
        let named = try Pair.diff(deployed: deployed.replacingOccurrences(of: "Properties:\n", with: "Properties:\n      BucketName: orders-archive\n"),
                                  local: renamed.replacingOccurrences(of: "Properties:\n", with: "Properties:\n      BucketName: orders-archive\n"))
        #expect(named.resources.first?.replacement == .fails)
        #expect(named.resources.first?.data == nil)
        #expect(named.findings.contains { $0.ruleID == "LC-12" })
        // Not a rename (another property changed), but the new bucket takes the old one's name.
        let taken = try Pair.diff(deployed: deployed.replacingOccurrences(of: "Properties:\n", with: "Properties:\n      BucketName: orders-archive\n"),
                                  local: "Resources:\n  Archive:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: orders-archive\n")
        let added = try #require(taken.resources.first { $0.logicalID == "Archive" })
        #expect(added.action == .add && added.replacement == .fails)
        #expect(taken.findings.filter { $0.ruleID == "LC-12" }.count == 1)
    }

    @Test func exportsAreKnownByName() throws {
        let stack = { (output: String, export: String) in
            "Resources:\n  Q: {Type: AWS::SQS::Queue}\nOutputs:\n  \(output):\n    Value: !Ref Q\n    Export: {Name: \(export)}\n"
        }
        let renamed = try Pair.diff(deployed: stack("Url", "orders-url"), local: stack("Url", "orders-queue-url"))
        #expect(renamed.removedExports == [RemovedExport(name: "orders-url", output: "Url", renamedTo: "orders-queue-url")])
        #expect(renamed.findings.filter { $0.ruleID == "LC-10" }.count == 1)
        let moved = try Pair.diff(deployed: stack("Url", "orders-url"), local: stack("QueueUrl", "orders-url"))
        #expect(moved.removedExports.isEmpty)
        #expect(!moved.findings.contains { $0.ruleID == "LC-10" })
    }
}

/// `--change-set`, `--drift` and `--parameter-file`: the AWS CLI's documented shapes.
@Suite struct ChangeSetAndDriftTests {
    static var folder: String { Fixtures.folder + "/change-set" }

    func files(changeSet: String? = "describe-change-set.json", drift: String? = nil) -> DiffJob.DeployedFiles {
        DiffJob.DeployedFiles(template: Self.folder + "/deployed.yaml", stackDescription: Self.folder + "/describe-stacks.json",
                              changeSet: changeSet.map { Self.folder + "/" + $0 }, drift: drift.map { Self.folder + "/" + $0 })
    }

    func local() throws -> Template {
        try #require(TemplateReader.read(path: Self.folder + "/local.yaml").template)
    }

    @Test func changeSetBesideFormwork() throws {
        let report = try DiffJob.run(local: try local(), localFile: "local.yaml", deployed: files(), localParameters: ["Env": "dev"], registry: .shared)
        let table = try #require(report.resources.first { $0.logicalID == "Table" })
        #expect(table.replacement == .will && table.changeSet?.replacement == "True" && table.data == .lost)
        #expect(report.resources.first { $0.logicalID == "Queue" }?.changeSet?.replacement == "False")
        #expect(report.disagreements.isEmpty, "\(report.disagreements)")
        let text = DiffReports.text(report, colour: false)
        #expect(text.contains("change set: Modify, Replacement True, PolicyAction ReplaceAndDelete"))
    }

    @Test func disagreementsAreFlagged() throws {
        let text = try String(contentsOfFile: Self.folder + "/describe-change-set.json", encoding: .utf8)
            .replacingOccurrences(of: "\"Replacement\": \"False\"", with: "\"Replacement\": \"True\"")
        let path = NSTemporaryDirectory() + "formwork-change-set-\(getpid()).json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var deployed = files()
        deployed.changeSet = path
        let report = try DiffJob.run(local: try local(), localFile: "local.yaml", deployed: deployed, localParameters: ["Env": "dev"], registry: .shared)
        #expect(report.disagreements == ["Queue: CloudFormation replaces it (Replacement True), Formwork says none"])
    }

    @Test func aRenameIsTheChangeSetsAddAndRemove() throws {
        let path = NSTemporaryDirectory() + "formwork-rename-\(getpid()).json"
        try """
            {"Changes": [
              {"Type": "Resource", "ResourceChange": {"Action": "Add", "LogicalResourceId": "New", "ResourceType": "AWS::SNS::Topic", "Scope": [], "Details": []}},
              {"Type": "Resource", "ResourceChange": {"Action": "Remove", "LogicalResourceId": "Old", "ResourceType": "AWS::SNS::Topic", "PolicyAction": "Delete", "Scope": [], "Details": []}}
            ]}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let deployedPath = NSTemporaryDirectory() + "formwork-rename-\(getpid()).yaml"
        try "Resources:\n  Old:\n    Type: AWS::SNS::Topic\n    Properties: {DisplayName: x}\n".write(toFile: deployedPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: deployedPath) }
        let local = try #require(TemplateReader.read(Array("Resources:\n  New:\n    Type: AWS::SNS::Topic\n    Properties: {DisplayName: x}\n".utf8), file: "local.yaml").template)
        let report = try DiffJob.run(local: local, localFile: "local.yaml", deployed: DiffJob.DeployedFiles(template: deployedPath, changeSet: path),
                                     localParameters: [:], registry: .shared)
        #expect(report.resources.map(\.action) == [.rename])
        #expect(report.disagreements.isEmpty, "\(report.disagreements)")
    }

    @Test func changeSetAloneIsAReport() throws {
        let report = try DiffJob.changeSetReport(files(), registry: .shared)
        #expect(report.changeSetOnly.map(\.logicalID) == ["Table", "Queue"])
        let table = try #require(report.changeSetOnly.first)
        #expect(table.replacement == .will && table.data == .lost && table.changes.first?.pathText == "Properties/TableName")
        #expect(DiffFailOn.dataLoss.triggers(report))
        #expect(DiffReports.summary(report).hasPrefix("2 resources differ (1 replaced"))
    }

    @Test func driftThatTheUpdateOverwrites() throws {
        let report = try DiffJob.run(local: try local(), localFile: "local.yaml", deployed: files(changeSet: nil, drift: "describe-stack-resource-drifts.json"),
                                     localParameters: ["Env": "prod"], registry: .shared)
        let queue = try #require(report.liveDrift.first)
        #expect(report.liveDrift.count == 1, "IN_SYNC resources are not drift")
        #expect(queue.properties.map { "\($0.path) \($0.overwritten)" } == ["/VisibilityTimeout true", "/MessageRetentionPeriod false"])
        #expect(queue.notes.contains { $0.contains("/MessageRetentionPeriod stays") })
    }

    @Test func hostileShapesAreLocatedErrors() throws {
        #expect(throws: DiffInputError.self) { try DeployedInputs.changeSet(Self.folder + "/hostile-change-set.json") }
        do {
            _ = try DeployedInputs.changeSet(Self.folder + "/hostile-change-set.json")
        } catch {
            let diagnostic = try #require(error.diagnostics.first)
            #expect(diagnostic.ruleID == "DF-01")
            #expect(diagnostic.location == Location(line: 9, column: 32), "\(diagnostic.text)")
            #expect(diagnostic.message.contains("'Maybe', not one of Conditional, False, True"))
        }
        // A drift file is not a change set, and the reverse.
        #expect(throws: DiffInputError.self) { try DeployedInputs.changeSet(Self.folder + "/describe-stack-resource-drifts.json") }
        #expect(throws: DiffInputError.self) { try DeployedInputs.drifts(Self.folder + "/describe-change-set.json") }
        #expect(throws: DiffInputError.self) { try DiffJob.parameterFile(Self.folder + "/describe-stack-resource-drifts.json") }
    }

    @Test func parameterFilesOfTheThreeShapes() throws {
        let directory = NSTemporaryDirectory() + "formwork-parameters-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let shapes = ["[{\"ParameterKey\": \"Env\", \"ParameterValue\": \"dev\"}, {\"ParameterKey\": \"Size\", \"UsePreviousValue\": true}]",
                      "{\"Parameters\": {\"Env\": \"dev\"}}", "{\"Env\": \"dev\"}"]
        for (index, shape) in shapes.enumerated() {
            let path = directory + "/\(index).json"
            try shape.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try DiffJob.parameterFile(path) == ["Env": "dev"])
        }
    }
}

/// Issue 30's budgets: propagation through a 5,000-resource Ref chain is linear.
@Suite struct DiffScaleTests {
    @Test func aFiveThousandResourceChainPropagates() throws {
        let chain = { (name: String) -> String in
            var text = "Resources:\n  R0:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: \(name)}\n"
            for index in 1..<5_000 {
                text += "  R\(index):\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: !GetAtt [R\(index - 1), \(index == 1 ? "QueueName" : "TopicName")]}\n"
            }
            return text
        }
        let clock = ContinuousClock()
        var report: DiffReport?
        let elapsed = try clock.measure { report = try Pair.diff(deployed: chain("a"), local: chain("b")) }
        #expect(report?.resources.count == 5_000)
        #expect(report?.resources.allSatisfy { $0.replacement == .will } == true)
        // Linear: the quadratic walk took 3.7 s for 1,000 resources; the debug build, on a
        // loaded machine, has ample room under this bound.
        #expect(elapsed < .seconds(30), "\(elapsed)")
    }
}
