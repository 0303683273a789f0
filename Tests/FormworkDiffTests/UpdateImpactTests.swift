import Foundation
import FormworkDiff
import FormworkRuleKit
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate
import Testing

/// Diffs of one-resource templates: the deployed one and the local one.
enum Pair {
    static func diff(deployed: String, local: String, parameters: [String: String] = [:], deployedValues: [String: String] = [:]) throws -> DiffReport {
        let old = try #require(TemplateReader.read(Array(deployed.utf8), file: "deployed.yaml").template)
        let new = try #require(TemplateReader.read(Array(local.utf8), file: "local.yaml").template)
        var stack = DeployedStack(template: old)
        stack.parameterValues = deployedValues
        return TemplateDiff(local: new, deployed: stack, localParameters: parameters, registry: .shared).run()
    }

    static func resource(_ type: String, _ properties: String, extra: String = "") -> String {
        "Resources:\n  R:\n    Type: \(type)\n\(extra)    Properties:\n\(properties.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))\n"
    }
}

/// One property change and what the CloudFormation User Guide's page for the type says of it
/// ("Update requires", or the page text where it says more).
struct ImpactRow: CustomStringConvertible, Sendable {
    var type: String
    var before: String
    var after: String
    var expected: Replacement
    var source: String
    var description: String { "\(type): \(before.split(separator: "\n").first ?? "") -> \(after.split(separator: "\n").first ?? "")" }
}

@Suite struct UpdateImpactTruthTable {
    static let rows: [ImpactRow] = [
        // EC2 security groups: rules are "Some interruptions"; the description, name and VPC replace.
        ImpactRow(type: "AWS::EC2::SecurityGroup", before: "GroupDescription: a", after: "GroupDescription: b", expected: .will, source: "SecurityGroup page: GroupDescription, Update requires: Replacement"),
        ImpactRow(type: "AWS::EC2::SecurityGroup", before: "GroupDescription: a\nSecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]", after: "GroupDescription: a\nSecurityGroupIngress: [{IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 10.0.0.0/8}]", expected: .interruption, source: "SecurityGroup page: SecurityGroupIngress, Update requires: Some interruptions"),
        ImpactRow(type: "AWS::EC2::SecurityGroup", before: "GroupDescription: a\nSecurityGroupEgress: [{IpProtocol: '-1', CidrIp: 0.0.0.0/0}]", after: "GroupDescription: a\nSecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]", expected: .interruption, source: "SecurityGroup page: SecurityGroupEgress, Update requires: Some interruptions"),
        ImpactRow(type: "AWS::EC2::SecurityGroup", before: "GroupDescription: a\nVpcId: vpc-1", after: "GroupDescription: a\nVpcId: vpc-2", expected: .will, source: "SecurityGroup page: VpcId, Update requires: Replacement"),
        ImpactRow(type: "AWS::EC2::SecurityGroup", before: "GroupDescription: a\nTags: [{Key: a, Value: b}]", after: "GroupDescription: a\nTags: [{Key: a, Value: c}]", expected: .none, source: "SecurityGroup page: Tags, Update requires: No interruption"),
        // EC2 instances.
        ImpactRow(type: "AWS::EC2::Instance", before: "InstanceType: t3.micro", after: "InstanceType: t3.large", expected: .interruption, source: "Instance page: InstanceType, Update requires: Some interruptions"),
        ImpactRow(type: "AWS::EC2::Instance", before: "UserData: YQ==", after: "UserData: Yg==", expected: .interruption, source: "Instance page: UserData, Update requires: Some interruptions"),
        ImpactRow(type: "AWS::EC2::Instance", before: "ImageId: ami-1", after: "ImageId: ami-2", expected: .will, source: "Instance page: ImageId, Update requires: Replacement"),
        ImpactRow(type: "AWS::EC2::Instance", before: "SubnetId: subnet-1", after: "SubnetId: subnet-2", expected: .will, source: "Instance page: SubnetId, Update requires: Replacement"),
        ImpactRow(type: "AWS::EC2::Instance", before: "Monitoring: false", after: "Monitoring: true", expected: .none, source: "Instance page: Monitoring, Update requires: No interruption"),
        ImpactRow(type: "AWS::EC2::Instance", before: "KeyName: a", after: "KeyName: b", expected: .will, source: "Instance page: KeyName, Update requires: Replacement"),
        ImpactRow(type: "AWS::EC2::Instance", before: "EbsOptimized: false", after: "EbsOptimized: true", expected: .interruption, source: "Instance page: EbsOptimized, Update requires: Some interruptions"),
        ImpactRow(type: "AWS::EC2::Instance", before: "SecurityGroupIds: [sg-1]", after: "SecurityGroupIds: [sg-2]", expected: .interruption, source: "Instance page: SecurityGroupIds, Update requires: Some interruptions"),
        // DynamoDB.
        ImpactRow(type: "AWS::DynamoDB::Table", before: "SSESpecification: {SSEEnabled: false}", after: "SSESpecification: {SSEEnabled: true}", expected: .interruption, source: "Table page: SSESpecification, Update requires: Some interruptions"),
        ImpactRow(type: "AWS::DynamoDB::Table", before: "KeySchema: [{AttributeName: id, KeyType: HASH}]", after: "KeySchema: [{AttributeName: pk, KeyType: HASH}]", expected: .will, source: "Table page: KeySchema, Update requires: Replacement"),
        ImpactRow(type: "AWS::DynamoDB::Table", before: "BillingMode: PROVISIONED", after: "BillingMode: PAY_PER_REQUEST", expected: .none, source: "Table page: BillingMode, Update requires: No interruption"),
        ImpactRow(type: "AWS::DynamoDB::Table", before: "TableName: a", after: "TableName: b", expected: .will, source: "Table page: TableName, Update requires: Replacement"),
        ImpactRow(type: "AWS::DynamoDB::Table", before: "StreamSpecification: {StreamViewType: KEYS_ONLY}", after: "StreamSpecification: {StreamViewType: NEW_IMAGE}", expected: .none, source: "Table page: StreamSpecification, Update requires: No interruption"),
        // KMS: the table says Replacement, the page text that the update fails.
        ImpactRow(type: "AWS::KMS::Key", before: "KeySpec: SYMMETRIC_DEFAULT", after: "KeySpec: RSA_2048", expected: .fails, source: "Key page, KeySpec: 'If you change the value of the KeySpec property on an existing KMS key, the update request fails'"),
        ImpactRow(type: "AWS::KMS::Key", before: "KeyUsage: ENCRYPT_DECRYPT", after: "KeyUsage: SIGN_VERIFY", expected: .fails, source: "Key page, KeyUsage: 'the update request fails'"),
        ImpactRow(type: "AWS::KMS::Key", before: "MultiRegion: false", after: "MultiRegion: true", expected: .fails, source: "Key page, MultiRegion: 'the update request fails'"),
        ImpactRow(type: "AWS::KMS::Key", before: "EnableKeyRotation: false", after: "EnableKeyRotation: true", expected: .none, source: "Key page: EnableKeyRotation, Update requires: No interruption"),
        ImpactRow(type: "AWS::KMS::Key", before: "PendingWindowInDays: 7", after: "PendingWindowInDays: 30", expected: .none, source: "Key page: PendingWindowInDays, Update requires: No interruption"),
        // SQS, SNS.
        ImpactRow(type: "AWS::SQS::Queue", before: "FifoQueue: false", after: "FifoQueue: true", expected: .will, source: "Queue page: FifoQueue, Update requires: Replacement"),
        ImpactRow(type: "AWS::SQS::Queue", before: "QueueName: a", after: "QueueName: b", expected: .will, source: "Queue page: QueueName, Update requires: Replacement"),
        ImpactRow(type: "AWS::SQS::Queue", before: "VisibilityTimeout: 30", after: "VisibilityTimeout: 60", expected: .none, source: "Queue page: VisibilityTimeout, Update requires: No interruption"),
        ImpactRow(type: "AWS::SQS::Queue", before: "MessageRetentionPeriod: 345600", after: "MessageRetentionPeriod: 1209600", expected: .none, source: "Queue page: MessageRetentionPeriod, Update requires: No interruption"),
        ImpactRow(type: "AWS::SNS::Topic", before: "TopicName: a", after: "TopicName: b", expected: .will, source: "Topic page: TopicName, Update requires: Replacement"),
        ImpactRow(type: "AWS::SNS::Topic", before: "DisplayName: a", after: "DisplayName: b", expected: .none, source: "Topic page: DisplayName, Update requires: No interruption"),
        ImpactRow(type: "AWS::SNS::Topic", before: "FifoTopic: false", after: "FifoTopic: true", expected: .will, source: "Topic page: FifoTopic, Update requires: Replacement"),
        ImpactRow(type: "AWS::SNS::Topic", before: "KmsMasterKeyId: alias/a", after: "KmsMasterKeyId: alias/b", expected: .none, source: "Topic page: KmsMasterKeyId, Update requires: No interruption"),
        // S3.
        ImpactRow(type: "AWS::S3::Bucket", before: "BucketName: a", after: "BucketName: b", expected: .will, source: "Bucket page: BucketName, Update requires: Replacement"),
        ImpactRow(type: "AWS::S3::Bucket", before: "VersioningConfiguration: {Status: Suspended}", after: "VersioningConfiguration: {Status: Enabled}", expected: .none, source: "Bucket page: VersioningConfiguration, Update requires: No interruption"),
        ImpactRow(type: "AWS::S3::Bucket", before: "ObjectLockEnabled: false", after: "ObjectLockEnabled: true", expected: .will, source: "Bucket page: ObjectLockEnabled, Update requires: Replacement"),
        ImpactRow(type: "AWS::S3::Bucket", before: "AccessControl: Private", after: "AccessControl: LogDeliveryWrite", expected: .none, source: "Bucket page: AccessControl, Update requires: No interruption"),
        // Lambda.
        ImpactRow(type: "AWS::Lambda::Function", before: "FunctionName: a", after: "FunctionName: b", expected: .will, source: "Function page: FunctionName, Update requires: Replacement"),
        ImpactRow(type: "AWS::Lambda::Function", before: "MemorySize: 128", after: "MemorySize: 256", expected: .none, source: "Function page: MemorySize, Update requires: No interruption"),
        ImpactRow(type: "AWS::Lambda::Function", before: "Runtime: python3.11", after: "Runtime: python3.12", expected: .none, source: "Function page: Runtime, Update requires: No interruption"),
        ImpactRow(type: "AWS::Lambda::Function", before: "Architectures: [x86_64]", after: "Architectures: [arm64]", expected: .none, source: "Function page: Architectures, Update requires: No interruption"),
        // IAM.
        ImpactRow(type: "AWS::IAM::Role", before: "RoleName: a", after: "RoleName: b", expected: .will, source: "Role page: RoleName, Update requires: Replacement"),
        ImpactRow(type: "AWS::IAM::Role", before: "Path: /a/", after: "Path: /b/", expected: .will, source: "Role page: Path, Update requires: Replacement"),
        ImpactRow(type: "AWS::IAM::Role", before: "MaxSessionDuration: 3600", after: "MaxSessionDuration: 7200", expected: .none, source: "Role page: MaxSessionDuration, Update requires: No interruption"),
        ImpactRow(type: "AWS::IAM::Role", before: "ManagedPolicyArns: [arn:aws:iam::aws:policy/A]", after: "ManagedPolicyArns: [arn:aws:iam::aws:policy/B]", expected: .none, source: "Role page: ManagedPolicyArns, Update requires: No interruption"),
        // Logs.
        ImpactRow(type: "AWS::Logs::LogGroup", before: "LogGroupName: a", after: "LogGroupName: b", expected: .will, source: "LogGroup page: LogGroupName, Update requires: Replacement"),
        ImpactRow(type: "AWS::Logs::LogGroup", before: "RetentionInDays: 7", after: "RetentionInDays: 30", expected: .none, source: "LogGroup page: RetentionInDays, Update requires: No interruption"),
        // ElastiCache.
        ImpactRow(type: "AWS::ElastiCache::ReplicationGroup", before: "ReplicationGroupDescription: a\nCacheNodeType: cache.t3.micro", after: "ReplicationGroupDescription: a\nCacheNodeType: cache.t3.small", expected: .none, source: "ReplicationGroup page: CacheNodeType, Update requires: No interruption"),
        ImpactRow(type: "AWS::ElastiCache::ReplicationGroup", before: "ReplicationGroupDescription: a\nPort: 6379", after: "ReplicationGroupDescription: a\nPort: 6380", expected: .will, source: "ReplicationGroup page: Port, Update requires: Replacement"),
        ImpactRow(type: "AWS::ElastiCache::ReplicationGroup", before: "ReplicationGroupDescription: a\nNumNodeGroups: 2", after: "ReplicationGroupDescription: a\nNumNodeGroups: 3", expected: .will, source: "UpdatePolicy page, UseOnlineResharding: without it, changing the shards replaces the replication group"),
        ImpactRow(type: "AWS::ElastiCache::ReplicationGroup", before: "ReplicationGroupDescription: a\nAtRestEncryptionEnabled: false", after: "ReplicationGroupDescription: a\nAtRestEncryptionEnabled: true", expected: .will, source: "ReplicationGroup page: AtRestEncryptionEnabled, Update requires: Replacement"),
        // OpenSearch.
        ImpactRow(type: "AWS::OpenSearchService::Domain", before: "EngineVersion: OpenSearch_2.9", after: "EngineVersion: OpenSearch_2.11", expected: .will, source: "UpdatePolicy page, EnableVersionUpgrade: without it, a new version replaces the domain"),
        ImpactRow(type: "AWS::OpenSearchService::Domain", before: "VPCOptions: {SubnetIds: [subnet-1]}", after: "VPCOptions: {SubnetIds: [subnet-2]}", expected: .interruption, source: "Domain page: VPCOptions, Update requires: Some interruptions"),
        ImpactRow(type: "AWS::OpenSearchService::Domain", before: "DomainName: a", after: "DomainName: b", expected: .will, source: "Domain page: DomainName, Update requires: Replacement"),
        // Auto Scaling.
        ImpactRow(type: "AWS::AutoScaling::AutoScalingGroup", before: "MinSize: '1'\nMaxSize: '2'", after: "MinSize: '1'\nMaxSize: '4'", expected: .none, source: "AutoScalingGroup page: MaxSize, Update requires: No interruption"),
        ImpactRow(type: "AWS::AutoScaling::AutoScalingGroup", before: "MinSize: '1'\nMaxSize: '2'\nVPCZoneIdentifier: [subnet-1]", after: "MinSize: '1'\nMaxSize: '2'\nVPCZoneIdentifier: [subnet-2]", expected: .interruption, source: "AutoScalingGroup page: VPCZoneIdentifier, Update requires: Some interruptions"),
        ImpactRow(type: "AWS::AutoScaling::AutoScalingGroup", before: "MinSize: '1'\nMaxSize: '2'\nAutoScalingGroupName: a", after: "MinSize: '1'\nMaxSize: '2'\nAutoScalingGroupName: b", expected: .will, source: "AutoScalingGroup page: AutoScalingGroupName, Update requires: Replacement"),
        // Launch templates, ECS, ECR, Route 53, Secrets Manager, SSM, CloudWatch, Events, API Gateway, ELB.
        ImpactRow(type: "AWS::EC2::LaunchTemplate", before: "LaunchTemplateData: {InstanceType: t3.micro}", after: "LaunchTemplateData: {InstanceType: t3.large}", expected: .none, source: "LaunchTemplate page: LaunchTemplateData, Update requires: No interruption (a new version)"),
        ImpactRow(type: "AWS::EC2::LaunchTemplate", before: "LaunchTemplateName: a", after: "LaunchTemplateName: b", expected: .will, source: "LaunchTemplate page: LaunchTemplateName, Update requires: Replacement"),
        ImpactRow(type: "AWS::ECS::Service", before: "Cluster: a", after: "Cluster: b", expected: .will, source: "Service page: Cluster, Update requires: Replacement"),
        ImpactRow(type: "AWS::ECS::Service", before: "DesiredCount: 1", after: "DesiredCount: 2", expected: .none, source: "Service page: DesiredCount, Update requires: No interruption"),
        ImpactRow(type: "AWS::ECS::Service", before: "LaunchType: EC2", after: "LaunchType: FARGATE", expected: .will, source: "Service page: LaunchType, Update requires: Replacement"),
        ImpactRow(type: "AWS::ECR::Repository", before: "RepositoryName: a", after: "RepositoryName: b", expected: .will, source: "Repository page: RepositoryName, Update requires: Replacement"),
        ImpactRow(type: "AWS::ECR::Repository", before: "ImageTagMutability: MUTABLE", after: "ImageTagMutability: IMMUTABLE", expected: .none, source: "Repository page: ImageTagMutability, Update requires: No interruption"),
        ImpactRow(type: "AWS::Route53::RecordSet", before: "Name: a.example.com\nType: A\nTTL: '60'", after: "Name: a.example.com\nType: A\nTTL: '300'", expected: .none, source: "RecordSet page: TTL, Update requires: No interruption"),
        ImpactRow(type: "AWS::Route53::RecordSet", before: "Name: a.example.com\nType: A\nHostedZoneName: example.com.", after: "Name: a.example.com\nType: A\nHostedZoneName: example.org.", expected: .will, source: "RecordSet page: HostedZoneName, Update requires: Replacement"),
        ImpactRow(type: "AWS::SecretsManager::Secret", before: "Name: a", after: "Name: b", expected: .will, source: "Secret page: Name, Update requires: Replacement"),
        ImpactRow(type: "AWS::SecretsManager::Secret", before: "Description: a", after: "Description: b", expected: .none, source: "Secret page: Description, Update requires: No interruption"),
        ImpactRow(type: "AWS::SSM::Parameter", before: "Type: String\nValue: a", after: "Type: String\nValue: b", expected: .none, source: "Parameter page: Value, Update requires: No interruption"),
        ImpactRow(type: "AWS::SSM::Parameter", before: "Type: String\nValue: a\nName: /a", after: "Type: String\nValue: a\nName: /b", expected: .will, source: "Parameter page: Name, Update requires: Replacement"),
        ImpactRow(type: "AWS::CloudWatch::Alarm", before: "Threshold: 80", after: "Threshold: 90", expected: .none, source: "Alarm page: Threshold, Update requires: No interruption"),
        ImpactRow(type: "AWS::CloudWatch::Alarm", before: "AlarmName: a", after: "AlarmName: b", expected: .will, source: "Alarm page: AlarmName, Update requires: Replacement"),
        ImpactRow(type: "AWS::Events::Rule", before: "ScheduleExpression: rate(1 minute)", after: "ScheduleExpression: rate(5 minutes)", expected: .none, source: "Rule page: ScheduleExpression, Update requires: No interruption"),
        ImpactRow(type: "AWS::Events::Rule", before: "Name: a", after: "Name: b", expected: .will, source: "Rule page: Name, Update requires: Replacement"),
        ImpactRow(type: "AWS::ElasticLoadBalancingV2::LoadBalancer", before: "Scheme: internal", after: "Scheme: internet-facing", expected: .will, source: "LoadBalancer page: Scheme, Update requires: Replacement"),
        ImpactRow(type: "AWS::ElasticLoadBalancingV2::LoadBalancer", before: "Subnets: [subnet-1, subnet-2]", after: "Subnets: [subnet-1, subnet-3]", expected: .none, source: "LoadBalancer page: Subnets, Update requires: No interruption"),
        ImpactRow(type: "AWS::EFS::FileSystem", before: "Encrypted: false", after: "Encrypted: true", expected: .will, source: "FileSystem page: Encrypted, Update requires: Replacement"),
        ImpactRow(type: "AWS::EFS::FileSystem", before: "ThroughputMode: bursting", after: "ThroughputMode: elastic", expected: .none, source: "FileSystem page: ThroughputMode, Update requires: No interruption"),
    ]

    @Test func atLeastSixtyChangesOverFifteenTypesOtherThanRDS() {
        #expect(Self.rows.count >= 60)
        #expect(Set(Self.rows.map(\.type)).filter { !$0.hasPrefix("AWS::RDS::") }.count >= 15)
    }

    @Test(arguments: rows) func verdict(_ row: ImpactRow) throws {
        let report = try Pair.diff(deployed: Pair.resource(row.type, row.before), local: Pair.resource(row.type, row.after))
        let resource = try #require(report.resources.first, "no difference found")
        #expect(resource.replacement == row.expected, "\(row.source); Formwork: \(resource.changes.map { "\($0.pathText): \($0.reason)" })")
    }
}

/// The five patterns an SRE found wrong before the impact table, each as a failing case then.
@Suite struct UpdateImpactPatterns {
    /// 1. Non-RDS "Some interruptions" were none; properties that cannot be updated were in place.
    @Test func interruptionsAndImpossibleUpdatesOutsideRDS() throws {
        let group = try Pair.diff(deployed: Pair.resource("AWS::EC2::SecurityGroup", "GroupDescription: a\nSecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]"),
                                  local: Pair.resource("AWS::EC2::SecurityGroup", "GroupDescription: a\nSecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.1.0.0/16}]"))
        #expect(group.resources.first?.replacement == .interruption)
        #expect(group.resources.first?.changes.first?.source == .documentation)
        let key = try Pair.diff(deployed: Pair.resource("AWS::KMS::Key", "KeySpec: SYMMETRIC_DEFAULT"), local: Pair.resource("AWS::KMS::Key", "KeySpec: RSA_2048"))
        let change = try #require(key.resources.first?.changes.first)
        #expect(change.replacement == .fails && change.source == .patch && change.reason.contains("the update request fails"))
        #expect(DiffReports.text(key, colour: false).contains("cannot be updated: the update fails"))
        #expect(DiffFailOn.replacement.triggers(key))
    }

    /// A DB cluster's Engine: the table says Some interruptions, but RDS changes the engine in
    /// place only from aurora to aurora-mysql; another family fails the update.
    @Test func aClusterEngineFamilyChangeFails() throws {
        let cluster = { (engine: String) in Pair.resource("AWS::RDS::DBCluster", "Engine: \(engine)\nMasterUsername: app", extra: "    UpdateReplacePolicy: Snapshot\n") }
        let family = try Pair.diff(deployed: cluster("aurora-postgresql"), local: cluster("aurora-mysql"))
        let change = try #require(family.resources.first?.changes.first)
        #expect(change.replacement == .fails && change.source == .patch, "\(change.replacement) \(change.reason)")
        #expect(change.reason.contains("aurora-postgresql -> aurora-mysql fails the update"))
        #expect(DiffFailOn.replacement.triggers(family))
        let upgrade = try Pair.diff(deployed: cluster("aurora"), local: cluster("aurora-mysql"))
        #expect(upgrade.resources.first?.replacement == .interruption)
        #expect(upgrade.resources.first?.changes.first?.source == .documentation)
    }

    /// 2. Update policies were ignored.
    @Test func updatePoliciesDecide() throws {
        let shards = "ReplicationGroupDescription: a\nNumNodeGroups: 2", more = "ReplicationGroupDescription: a\nNumNodeGroups: 3"
        let online = "    UpdatePolicy:\n      UseOnlineResharding: true\n"
        #expect(try Pair.diff(deployed: Pair.resource("AWS::ElastiCache::ReplicationGroup", shards), local: Pair.resource("AWS::ElastiCache::ReplicationGroup", more)).resources.first?.replacement == .will)
        let resharded = try Pair.diff(deployed: Pair.resource("AWS::ElastiCache::ReplicationGroup", shards, extra: online),
                                      local: Pair.resource("AWS::ElastiCache::ReplicationGroup", more, extra: online))
        #expect(resharded.resources.first?.replacement == Replacement.none)
        #expect(resharded.resources.first?.changes.first?.source == .updatePolicy)
        let upgrade = "    UpdatePolicy:\n      EnableVersionUpgrade: true\n"
        let domain = try Pair.diff(deployed: Pair.resource("AWS::OpenSearchService::Domain", "EngineVersion: OpenSearch_2.9", extra: upgrade),
                                   local: Pair.resource("AWS::OpenSearchService::Domain", "EngineVersion: OpenSearch_2.11", extra: upgrade))
        #expect(domain.resources.first?.replacement == Replacement.none)
        // An Auto Scaling group that is replaced when its launch template gets a new version.
        let group = { (instanceType: String) in """
            Resources:
              Template:
                Type: AWS::EC2::LaunchTemplate
                Properties:
                  LaunchTemplateData: {InstanceType: \(instanceType)}
              Group:
                Type: AWS::AutoScaling::AutoScalingGroup
                UpdatePolicy:
                  AutoScalingReplacingUpdate: {WillReplace: true}
                Properties:
                  MinSize: '1'
                  MaxSize: '2'
                  LaunchTemplate:
                    LaunchTemplateId: !Ref Template
                    Version: !GetAtt Template.LatestVersionNumber
            """
        }
        let report = try Pair.diff(deployed: group("t3.micro"), local: group("t3.large"))
        #expect(report.resources.first { $0.logicalID == "Template" }?.replacement == Replacement.none)
        let asg = try #require(report.resources.first { $0.logicalID == "Group" })
        #expect(asg.replacement == .will, "\(asg.changes.map(\.reason))")
        #expect(asg.changes.first?.reason.contains("Template.LatestVersionNumber gets a new value") == true)
        #expect(asg.changes.first?.reason.contains("AutoScalingReplacingUpdate WillReplace") == true)
    }

    /// 3. In-place attribute changes and outputs: a replaced bucket's exported name changes.
    @Test func changesReachOutputsAndExports() throws {
        let bucket = { (name: String) in """
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Properties: {BucketName: \(name)}
            Outputs:
              BucketName:
                Value: !Ref Bucket
                Export: {Name: shared-bucket}
              BucketArn:
                Value: !GetAtt Bucket.Arn
            """
        }
        let report = try Pair.diff(deployed: bucket("a"), local: bucket("b"))
        #expect(report.outputs.map(\.name) == ["BucketName", "BucketArn"])
        let exported = try #require(report.outputs.first)
        #expect(exported.exportName == "shared-bucket")
        #expect(exported.notes.contains("its value changes: Bucket is replaced"))
        #expect(report.findings.map(\.ruleID).contains("LC-10"))
        #expect(DiffReports.summary(report).hasSuffix("2 outputs"))
    }

    /// 4. A type change is refused (nothing replaced, no data verdict); a Condition that
    /// turns false deletes the resource.
    @Test func typeChangesAndConditionsDecideTheData() throws {
        let queue = try Pair.diff(deployed: "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n", local: "Resources:\n  Q:\n    Type: AWS::SNS::Topic\n")
        let refused = try #require(queue.resources.first)
        #expect(refused.previousType == "AWS::SQS::Queue")
        #expect(refused.replacement == .fails && refused.data == nil && !refused.dataLoss)
        let conditional = { (deploy: String) in """
            Parameters:
              Deploy: {Type: String, Default: '\(deploy)', AllowedValues: ['yes', 'no']}
            Conditions:
              Wanted: !Equals [!Ref Deploy, 'yes']
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Condition: Wanted
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
            """
        }
        let report = try Pair.diff(deployed: conditional("yes"), local: conditional("yes"), parameters: ["Deploy": "no"], deployedValues: ["Deploy": "yes"])
        let table = try #require(report.resources.first { $0.logicalID == "Table" })
        #expect(table.action == .remove, "\(table)")
        #expect(table.data == .lost)
        #expect(table.notes.first?.contains("Condition Wanted is false") == true)
        // Without --parameter the deployed value carries over (a new Default does not apply).
        let kept = try Pair.diff(deployed: conditional("yes"), local: conditional("no"), deployedValues: ["Deploy": "yes"])
        #expect(kept.resources.first { $0.logicalID == "Table" } == nil)
    }

    /// 5. Aurora members defer to the cluster; a snapshot is not "no data loss".
    @Test func auroraMembersAndSnapshots() throws {
        let member = { (size: String) in "Resources:\n  Member:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: orders\n      Engine: aurora-postgresql\n      DBInstanceClass: db.r6g.large\n      DBName: \(size)\n" }
        let aurora = try #require(try Pair.diff(deployed: member("a"), local: member("b")).resources.first)
        #expect(aurora.replacement == .will)
        #expect(aurora.data == .kept && !aurora.dataLoss)
        #expect(aurora.notes.contains { $0.contains("data lives in the cluster orders") })
        let database = { (name: String) in "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    UpdateReplacePolicy: Snapshot\n    Properties:\n      Engine: postgres\n      DBInstanceClass: db.r6g.large\n      DBName: \(name)\n" }
        let report = try Pair.diff(deployed: database("a"), local: database("b"))
        let replaced = try #require(report.resources.first)
        #expect(replaced.data == .snapshot)
        #expect(!replaced.dataLoss)
        #expect(replaced.notes.contains { $0.contains("starts empty") && $0.contains("automated backups") })
        #expect(DiffReports.text(report, colour: false).contains("DATA ONLY IN A SNAPSHOT"))
        #expect(DiffFailOn.dataLoss.triggers(report))
        let json = String(decoding: JSONWriter.write(DiffReports.json(report)), as: UTF8.self)
        #expect(json.contains("\"dataLoss\": false") && json.contains("\"data\": \"snapshot\"") && json.contains("\"source\": \"documentation\""))
    }

    /// LC-08 only where the kept name collides: another VPC or cluster is another scope.
    @Test func customNamesCollideOnlyInTheirScope() throws {
        let group = { (vpc: String, description: String) in Pair.resource("AWS::EC2::SecurityGroup", "GroupName: db\nGroupDescription: \(description)\nVpcId: \(vpc)") }
        let moved = try Pair.diff(deployed: group("vpc-1", "a"), local: group("vpc-2", "a"))
        #expect(moved.resources.first?.replacement == .will)
        #expect(!moved.findings.contains { $0.ruleID == "LC-08" })
        let described = try Pair.diff(deployed: group("vpc-1", "a"), local: group("vpc-1", "b"))
        #expect(described.findings.contains { $0.ruleID == "LC-08" })
        let service = { (cluster: String) in Pair.resource("AWS::ECS::Service", "ServiceName: api\nCluster: \(cluster)") }
        #expect(!(try Pair.diff(deployed: service("a"), local: service("b"))).findings.contains { $0.ruleID == "LC-08" })
    }

    @Test func securityChangesAreSummarised() throws {
        let role = { (action: String, cidr: String) in """
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
                  Policies:
                    - PolicyName: p
                      PolicyDocument:
                        Statement: [{Effect: Allow, Action: \(action), Resource: '*'}]
              Group:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: g
                  SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: \(cidr)}]
            """
        }
        let report = try Pair.diff(deployed: role("s3:GetObject", "10.0.0.0/8"), local: role("'s3:*'", "0.0.0.0/0"))
        let summary = report.security.map { "\($0.change.rawValue) \($0.resource) \($0.kind.rawValue) \($0.principal) \($0.action)" }
        #expect(summary.sorted() == ["added Group ingress 0.0.0.0/0 5432", "added Role iam-statement  s3:*", "removed Group ingress 10.0.0.0/8 5432", "removed Role iam-statement  s3:GetObject"], "\(summary)")
        #expect(DiffReports.text(report, colour: false).contains("Security\n"))
        #expect(DiffReports.markdown(report).contains("**Security**"))
    }
}
