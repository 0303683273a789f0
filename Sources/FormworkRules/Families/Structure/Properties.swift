import FormworkRuleKit
import FormworkTemplate

/// ST-04: properties the schema does not define.
struct UnknownProperties: SchemaWalkRule {
    static let description = RuleDescription(
        id: "ST-04", name: "unknown-properties", family: .structure, severity: .error,
        rationale: "A property the resource type's schema does not define, at any depth (a misspelt BucketName1, a key inside an Fn::If branch), is rejected by CloudFormation; the schema is the registry's, so the check knows every type.",
        cfnLint: ["E3002"],
        triggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      ↓BucketName1: logs\n      VersioningConfiguration:\n        Status: Enabled\n        ↓MfaDelete: Enabled\n",
        ],
        nonTriggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: logs\n      Tags: [{Key: Team, Value: data}]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        context.reportSchemaIssues([.unknownProperty])
    }
}

/// ST-05: required properties.
struct RequiredProperties: SchemaWalkRule {
    static let description = RuleDescription(
        id: "ST-05", name: "required-properties", family: .structure, severity: .error,
        rationale: "A property the schema requires, of the resource or of a nested object (each branch of an Fn::If on its own), must be there; the finding is placed at the object that lacks it. A custom resource (`Custom::Name`, `AWS::CloudFormation::CustomResource`) has no registry schema, but CloudFormation requires its ServiceToken.",
        cfnLint: ["E3003"],
        triggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      ↓RoleName: app\n",
            "Resources:\n  ↓Null:\n    Type: Custom::Null\n  Lookup:\n    Type: AWS::CloudFormation::CustomResource\n    Properties:\n      ↓Name: x\n",
        ],
        nonTriggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: []}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        context.reportSchemaIssues([.required])
        for resource in template.resources {
            guard let type = resource.type, type.hasPrefix("Custom::") || type == "AWS::CloudFormation::CustomResource" else { continue }
            let properties = resource.body["Properties"]
            guard properties?.intrinsicValue == nil, properties?.objectValue?["ServiceToken"] == nil else { continue }
            context.report("\(resource.logicalID): a custom resource needs ServiceToken (the Lambda function or SNS topic that serves it)",
                           at: properties?.location ?? resource.keyLocation,
                           path: [.key("Resources"), .key(resource.logicalID), .key("Properties")])
        }
    }
}

/// ST-06: value types, as leniently as CloudFormation converts them.
struct ValueTypes: SchemaWalkRule {
    static let description = RuleDescription(
        id: "ST-06", name: "value-types", family: .structure, severity: .error,
        rationale: "A value of the wrong type fails the deployment: a list where a string goes, an object where a number goes, text that is not a number where an integer goes. CloudFormation converts scalars, so \"20\" is an integer and 20 a string; those pass.",
        cfnLint: ["E3012"],
        triggering: [
            "Resources:\n  Group:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: ↓[web]\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: ↓Test\n",
        ],
        nonTriggering: [
            "Resources:\n  Group:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: '443'\n          ToPort: 443\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        context.reportSchemaIssues([.type])
    }
}

/// ST-07: enums, patterns, lengths, ranges and item counts.
struct ValueConstraints: SchemaWalkRule {
    static let description = RuleDescription(
        id: "ST-07", name: "value-constraints", family: .structure, severity: .error,
        rationale: "A literal outside the schema's enum, pattern, length, numeric range or item count (or a list the schema wants unique that repeats an item) is rejected by the resource's handler, after the stack has started to deploy. Patterns Swift's regex engine cannot compile are not judged, rather than judged wrongly.",
        cfnLint: ["E3030", "E3031", "E3032", "E3033", "E3034", "E3037"],
        triggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration:\n        Status: ↓Enabled1\n  Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: arn:aws:iam::111111111111:role/app\n      Code: {ZipFile: x}\n      MemorySize: ↓64\n",
        ],
        nonTriggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration:\n        Status: Enabled\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        context.reportSchemaIssues([.enumValue, .pattern, .length, .range, .itemCount])
    }
}

/// ST-08: DeletionPolicy and UpdateReplacePolicy values.
struct PolicyValues: Rule {
    /// The types that can leave a snapshot (CloudFormation's DeletionPolicy doc).
    static let snapshotTypes: Set<String> = [
        "AWS::EC2::Volume", "AWS::ElastiCache::CacheCluster", "AWS::ElastiCache::ReplicationGroup", "AWS::ElastiCache::ServerlessCache",
        "AWS::Neptune::DBCluster", "AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::Redshift::Cluster", "AWS::DocDB::DBCluster",
        "AWS::DocDB::DBInstance", "AWS::MemoryDB::Cluster",
    ]

    static let description = RuleDescription(
        id: "ST-08", name: "policy-values", family: .structure, severity: .error,
        rationale: "DeletionPolicy is Delete, Retain, RetainExceptOnCreate or Snapshot, and UpdateReplacePolicy Delete, Retain or Snapshot, written as a literal string (CloudFormation does not evaluate functions there); Snapshot only on the types that can take one (volumes, databases, caches, Redshift).",
        cfnLint: ["E3035", "E3036"],
        triggering: [
            "Resources:\n  User:\n    Type: AWS::IAM::User\n    DeletionPolicy: ↓Snapshot\n    UpdateReplacePolicy: ↓[Retain]\n",
        ],
        nonTriggering: [
            "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Snapshot\n    UpdateReplacePolicy: Delete\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources {
            let snapshot = resource.type.map { Self.snapshotTypes.contains($0) } ?? true
            for (name, allowed) in [("DeletionPolicy", ["Delete", "Retain", "RetainExceptOnCreate"]), ("UpdateReplacePolicy", ["Delete", "Retain"])] {
                guard let value = resource.body[name] else { continue }
                let choices = allowed + (snapshot ? ["Snapshot"] : [])
                if let text = value.stringValue, choices.contains(text) { continue }
                // Ref, Fn::If and Fn::FindInMap are evaluated in policies; a literal branch of an
                // If is still judged.
                if let function = value.intrinsicValue, [.ref, .if, .findInMap].contains(function.name) {
                    let branches = function.name == .if ? Array((function.argument.arrayValue ?? []).dropFirst()) : []
                    for branch in branches { if let text = branch.stringValue, !choices.contains(text) {
                        context.report("\(resource.logicalID) \(name) can be \(text); it must be one of \(choices.joined(separator: ", "))", at: branch.location, path: Places.resourcePath(resource, .key(name)))
                    } }
                    continue
                }
                context.report("\(resource.logicalID) \(name) must be one of \(choices.joined(separator: ", "))\(value.stringValue.map { ", not \($0)" } ?? ", as a literal string")",
                               at: value.location, path: Places.resourcePath(resource, .key(name)))
            }
        }
    }
}
