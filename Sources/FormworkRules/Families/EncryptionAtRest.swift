import FormworkRuleKit
import FormworkTemplate

/// KM-05: data stores encrypt at rest (and MSK in transit).
struct EncryptionAtRest: Rule {
    static let description = RuleDescription(
        id: "KM-05", name: "encryption-at-rest", family: .kms, severity: .error,
        rationale: "Stores that do not encrypt unless told: an EFS file system (Encrypted), a Kinesis stream (StreamEncryption with EncryptionType KMS), an OpenSearch or Elasticsearch domain (EncryptionAtRestOptions.Enabled), a DocumentDB cluster (StorageEncrypted). Encryption at rest is set at creation: turning it on later replaces the store, data and all. An MSK cluster always encrypts at rest; what it can turn off is TLS between clients and brokers (ClientBroker PLAINTEXT or TLS_PLAINTEXT) and inside the cluster (InCluster false), which are judged instead. EBS volumes (AWS::EC2::Volume, the Ebs of a launch configuration's or launch template's block devices) without Encrypted are reported as information: an account may encrypt every new volume by default (ec2:GetEbsEncryptionByDefault), which the template cannot show. Every value a parameter allows is judged.",
        peers: [.checkov("CKV_AWS_8"), .checkov("CKV_AWS_3"), .checkov("CKV_AWS_42"), .checkov("CKV_AWS_43"), .checkov("CKV_AWS_81"), .checkov("CKV_AWS_5"), .checkov("CKV_AWS_74"),
                .guardRule("EFS_ENCRYPTED_CHECK"), .guardRule("ENCRYPTED_VOLUMES"), .cfnNag("F1")],
        triggering: [
            "Conditions:\n  Keyed: !Equals [!Ref 'AWS::Region', eu-west-1]\nResources:\n  ↓Files:\n    Type: AWS::EFS::FileSystem\n  ↓Stream:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      ShardCount: 1\n  Search:\n    Type: AWS::OpenSearchService::Domain\n    Properties:\n      EncryptionAtRestOptions: {Enabled: ↓false}\n  ↓Conditional:\n    Type: AWS::Elasticsearch::Domain\n    Properties:\n      EncryptionAtRestOptions: !If [Keyed, {Enabled: true}, !Ref 'AWS::NoValue']\n  ↓Documents:\n    Type: AWS::DocDB::DBCluster\n    Properties:\n      MasterUsername: admin\n  Kafka:\n    Type: AWS::MSK::Cluster\n    Properties:\n      ClusterName: events\n      KafkaVersion: 3.6.0\n      NumberOfBrokerNodes: 2\n      BrokerNodeGroupInfo: {InstanceType: kafka.t3.small, ClientSubnets: [subnet-1, subnet-2]}\n      EncryptionInfo:\n        EncryptionInTransit: {ClientBroker: ↓TLS_PLAINTEXT}\n  Volume:\n    Type: AWS::EC2::Volume\n    Properties:\n      AvailabilityZone: !Select [0, !GetAZs '']\n      Size: 10\n      Encrypted: ↓false\n",
        ],
        nonTriggering: [
            "Resources:\n  Files:\n    Type: AWS::EFS::FileSystem\n    Properties:\n      Encrypted: true\n  Stream:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      ShardCount: 1\n      StreamEncryption: {EncryptionType: KMS, KeyId: alias/aws/kinesis}\n  Search:\n    Type: AWS::OpenSearchService::Domain\n    Properties:\n      EncryptionAtRestOptions: {Enabled: true}\n  Documents:\n    Type: AWS::DocDB::DBCluster\n    Properties:\n      StorageEncrypted: true\n  Kafka:\n    Type: AWS::MSK::Cluster\n    Properties:\n      ClusterName: events\n      KafkaVersion: 3.6.0\n      NumberOfBrokerNodes: 2\n      BrokerNodeGroupInfo: {InstanceType: kafka.t3.small, ClientSubnets: [subnet-1, subnet-2]}\n  Launch:\n    Type: AWS::AutoScaling::LaunchConfiguration\n    Properties:\n      ImageId: ami-12345678\n      InstanceType: t3.micro\n      BlockDeviceMappings: [{DeviceName: /dev/xvda, Ebs: {VolumeSize: 20, Encrypted: true}}, {DeviceName: /dev/sdb, VirtualName: ephemeral0}]\n",
        ])

    /// The switch each type needs true, below Properties, and what it is called in a finding.
    static let switches: [String: (path: [String], what: String)] = [
        "AWS::EFS::FileSystem": (["Encrypted"], "file system"),
        "AWS::OpenSearchService::Domain": (["EncryptionAtRestOptions", "Enabled"], "domain"),
        "AWS::Elasticsearch::Domain": (["EncryptionAtRestOptions", "Enabled"], "domain"),
        "AWS::DocDB::DBCluster": (["StorageEncrypted"], "cluster"),
        "AWS::EC2::Volume": (["Encrypted"], "volume"),
    ]

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources {
            guard let type = resource.type else { continue }
            if let entry = Self.switches[type] {
                let path = Places.resourcePath(resource, .key("Properties")) + entry.path.map(PathComponent.key)
                let message = "\(resource.logicalID), a\(entry.what == "file system" ? "n EFS" : "") \(entry.what), does not encrypt at rest (\(entry.path.joined(separator: ".")))"
                // Through Fn::If on the way (EncryptionAtRestOptions: !If [HasKey, {Enabled: true}, !Ref AWS::NoValue]): each branch judged.
                for (value, condition) in Self.leaves(resource.properties.map { Node(.object($0)) }, entry.path[...]) {
                    reportUnlessTrue(value, resource, message + (value == nil ? condition.map { " when \($0)" } ?? "" : ""), path, ebs: type == "AWS::EC2::Volume", context)
                }
            }
            switch type {
            case "AWS::Kinesis::Stream":
                let encryption = resource.properties?["StreamEncryption"]
                let path = Places.resourcePath(resource, .key("Properties"), .key("StreamEncryption"))
                if encryption == nil {
                    context.report("\(resource.logicalID), a Kinesis stream, does not encrypt at rest (no StreamEncryption)", at: resource.keyLocation, path: path,
                                   hint: "StreamEncryption: {EncryptionType: KMS, KeyId: alias/aws/kinesis}")
                }
                for (value, node) in context.literals(encryption?["EncryptionType"]) where value != "KMS" {
                    context.report("\(resource.logicalID), a Kinesis stream, does not encrypt at rest (EncryptionType \(value))", at: node.location, path: path + [.key("EncryptionType")])
                }
            case "AWS::MSK::Cluster":
                let transit = resource.properties?["EncryptionInfo"]?["EncryptionInTransit"]
                let path = Places.resourcePath(resource, .key("Properties"), .key("EncryptionInfo"), .key("EncryptionInTransit"))
                for (value, node) in context.literals(transit?["ClientBroker"]) where value != "TLS" {
                    context.report("\(resource.logicalID), an MSK cluster, lets clients talk to brokers without TLS (ClientBroker \(value))", at: node.location, path: path + [.key("ClientBroker")])
                }
                for (value, node) in context.literals(transit?["InCluster"]) where value.lowercased() == "false" {
                    context.report("\(resource.logicalID), an MSK cluster, sends data between brokers without TLS (InCluster false)", at: node.location, path: path + [.key("InCluster")])
                }
            case "AWS::AutoScaling::LaunchConfiguration", "AWS::EC2::LaunchTemplate":
                let base: [PathComponent] = type == "AWS::EC2::LaunchTemplate" ? [.key("Properties"), .key("LaunchTemplateData"), .key("BlockDeviceMappings")] : [.key("Properties"), .key("BlockDeviceMappings")]
                let mappings = type == "AWS::EC2::LaunchTemplate" ? resource.properties?["LaunchTemplateData"]?["BlockDeviceMappings"] : resource.properties?["BlockDeviceMappings"]
                for (mapping, path) in Branches.items(mappings, [.key("Resources"), .key(resource.logicalID)] + base) {
                    guard let ebs = mapping["Ebs"], ebs.objectValue != nil else { continue }
                    // A volume made from a snapshot takes the snapshot's encryption.
                    if ebs["SnapshotId"] != nil, ebs["Encrypted"] == nil { continue }
                    let device = mapping["DeviceName"]?.stringValue.map { " \($0)" } ?? ""
                    reportUnlessTrue(ebs["Encrypted"], resource, "\(resource.logicalID)'s EBS volume\(device) is not encrypted (Ebs.Encrypted)", path + [.key("Ebs"), .key("Encrypted")],
                                     ebs: true, context, place: mapping.objectValue?.entries.first?.keyLocation)
                }
            default: break
            }
        }
    }

    /// The values at `keys` below `node`, through the Fn::If met on the way (AWS::NoValue is
    /// no value), each with the branch it takes (`HasKey is false`); one nil when absent.
    static func leaves(_ node: Node?, _ keys: ArraySlice<String>, _ branch: String? = nil, depth: Int = 0) -> [(Node?, String?)] {
        guard let node, depth < 16 else { return [(nil, branch)] }
        if let function = node.intrinsicValue {
            if function.name == .ref, function.argument.stringValue == "AWS::NoValue" { return [(nil, branch)] }
            if function.name == .if, let parts = function.argument.arrayValue, parts.count == 3, !keys.isEmpty {
                let condition = parts[0].stringValue ?? "?"
                return leaves(parts[1], keys, "\(condition) is true", depth: depth + 1) + leaves(parts[2], keys, "\(condition) is false", depth: depth + 1)
            }
        }
        guard let key = keys.first else { return [(node, branch)] }
        guard node.objectValue != nil else { return [] }  // another shape: not judged here
        return leaves(node[key], keys.dropFirst(), branch, depth: depth + 1)
    }

    /// Reports `value` unless every value it can take is true: absent at the resource (or
    /// `place`), false at its value.
    private func reportUnlessTrue(_ value: Node?, _ resource: Resource, _ message: String, _ path: [PathComponent], ebs: Bool, _ context: RuleContext, place: Location? = nil) {
        let suffix = ebs ? ", unless the account encrypts new EBS volumes by default (check ec2:GetEbsEncryptionByDefault in each region)" : ""
        let severity: Severity = ebs ? .info : .error
        if value == nil {
            context.report(message + suffix, at: place ?? resource.keyLocation, path: path, severity: severity)
            return
        }
        for candidate in context.values.candidates(value) {
            guard case .literal(let literal, let via) = candidate, literal.scalarText?.lowercased() == "false" else { continue }
            context.report(message + (via.map { " (\($0))" } ?? "") + suffix, at: literal.location.isKnown ? literal.location : (value?.location ?? resource.keyLocation), path: path, severity: severity, via: via)
        }
    }
}
