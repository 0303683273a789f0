import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// ST-27: two resources of a type never share their identifier.
struct UniqueIdentifiers: Rule {
    static let description = RuleDescription(
        id: "ST-27", name: "unique-identifiers", family: .structure, severity: .error,
        rationale: "A resource whose primary identifier is a property (RoleName, BucketName, FunctionName, ...) is created under that name: two resources of one type with the same value cannot both exist, and the second fails. Resources whose Conditions can never hold together (one for us-east-1, one elsewhere) may share it.",
        acrossResources: true,
        cfnLint: ["E3019"],
        triggering: [
            "Resources:\n  First:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: ↓deployer\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}\n  Second:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: ↓deployer\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}\n",
        ],
        nonTriggering: [
            "Conditions:\n  East: !Equals [!Ref 'AWS::Region', us-east-1]\n  Elsewhere: !Not [!Condition East]\nResources:\n  First:\n    Type: AWS::S3::Bucket\n    Condition: East\n    Properties: {BucketName: reports}\n  Second:\n    Type: AWS::S3::Bucket\n    Condition: Elsewhere\n    Properties: {BucketName: reports}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        var byType: [String: [Resource]] = [:]
        for resource in template.resources { if let type = resource.type { byType[type, default: []].append(resource) } }
        let conditions = template.conditions ?? ObjectMap()
        for (type, resources) in byType.sorted(by: { $0.key < $1.key }) where resources.count > 1 {
            guard let schema = context.registry.schema(for: type), !schema.primaryIdentifier.isEmpty else { continue }
            let names = schema.primaryIdentifier.compactMap { pointer -> String? in
                let parts = pointer.split(separator: "/")
                return parts.count == 2 && parts[0] == "properties" ? String(parts[1]) : nil
            }
            guard names.count == schema.primaryIdentifier.count else { continue }
            // Only resources that write their identifier (in some branch) can collide.
            let candidates = resources.filter { resource in
                guard let properties = resource.body["Properties"] else { return false }
                return names.allSatisfy { name in properties[name] != nil } || properties.intrinsicValue?.name == .if
            }
            guard candidates.count > 1 else { continue }
            // The conditions each candidate's properties use, found once. A candidate that
            // uses none (and has no Condition) always deploys the same identifier: those are
            // grouped by its content's digest, so that 200 buckets are not 19,900 pairs
            // judged one by one; each pair with a conditional candidate is judged through
            // its scenarios, and judged once (a pair collides both ways).
            let used = candidates.map { ConditionScenarios.names(in: $0.body["Properties"] ?? .null) }
            let isPlain = candidates.indices.map { candidates[$0].condition == nil && used[$0].isEmpty }
            let plain = candidates.indices.filter { isPlain[$0] }
            let conditional = candidates.indices.filter { !isPlain[$0] }
            guard conditional.count * candidates.count <= 40_000 else { continue }
            var others = Array(repeating: [Int](), count: candidates.count)
            var groups: [Int: [(index: Int, values: [Node])]] = [:]
            for index in plain {
                guard let values = Self.identifier(of: candidates[index].body["Properties"] ?? .null, names, [:]) else { continue }
                var hasher = Hasher()
                for value in values { hasher.combine(ContentDigest.of(value)) }
                groups[hasher.finalize(), default: []].append((index, values))
            }
            for group in groups.values where group.count > 1 {
                for (position, first) in group.enumerated() {
                    for second in group[(position + 1)...] where first.values == second.values
                        && candidates[first.index].logicalID != candidates[second.index].logicalID {
                        others[first.index].append(second.index)
                        others[second.index].append(first.index)
                    }
                }
            }
            for a in conditional {
                for b in candidates.indices where b != a && (b > a || isPlain[b]) && candidates[a].logicalID != candidates[b].logicalID
                    && Self.collide(candidates[a], candidates[b], names, conditions, used: used[a] + used[b]) {
                    others[a].append(b)
                    others[b].append(a)
                }
            }
            for (position, resource) in candidates.enumerated() {
                let others = others[position].sorted().map { candidates[$0] }
                guard !others.isEmpty else { continue }
                let value = resource.body["Properties"]?[names[0]]
                context.report("\(resource.logicalID) and \(others.map(\.logicalID).joined(separator: ", ")) are \(type)s that can have the same \(names.joined(separator: ", ")): the second cannot be created",
                               at: value?.location ?? resource.keyLocation, path: value == nil ? Places.resourcePath(resource, .key("Properties")) : Places.resourcePath(resource, .key("Properties"), .key(names[0])))
            }
        }
    }

    /// Whether some deployment the conditions allow creates both with the same identifier.
    /// `used`: the conditions the two resources' properties use, when the caller found them.
    static func collide(_ a: Resource, _ b: Resource, _ names: [String], _ conditions: ObjectMap, used properties: [String]? = nil) -> Bool {
        guard let left = a.body["Properties"], let right = b.body["Properties"] else { return false }
        var used = Set([a.condition, b.condition].compactMap { $0 })
        used.formUnion(properties ?? ConditionScenarios.names(in: left) + ConditionScenarios.names(in: right))
        guard !used.isEmpty else { return identifier(of: left, names, [:]).map { $0 == identifier(of: right, names, [:]) } ?? false }
        guard let scenarios = ConditionScenarios.assignments(used, conditions, maximum: 8) else { return false }
        return scenarios.truths.contains { truth in
            guard a.condition.map({ truth[$0] ?? true }) ?? true, b.condition.map({ truth[$0] ?? true }) ?? true,
                  let x = identifier(of: left, names, truth), let y = identifier(of: right, names, truth) else { return false }
            return x == y
        }
    }

    /// The identifier's values as the assignment `truth` deploys them: the Fn::If around the
    /// properties decided, then only the named values resolved (not the whole object); nil
    /// when one of them is missing.
    static func identifier(of properties: Node, _ names: [String], _ truth: [String: Bool]) -> [Node]? {
        var top = properties
        while case .intrinsic(let function) = top.kind, function.name == .if,
              let parts = function.argument.arrayValue, parts.count == 3, let name = parts[0].stringValue, let taken = truth[name] {
            top = taken ? parts[1] : parts[2]
        }
        guard let map = top.objectValue else { return nil }
        let values = names.compactMap { name -> Node? in
            guard let value = map[name] else { return nil }
            let resolved = ConditionScenarios.resolved(value, truth)
            return ConditionScenarios.isNoValue(resolved) ? nil : resolved
        }
        return values.count == names.count ? values : nil
    }
}

/// ST-28: identifiers written as literals have their service's form.
struct IdentifierFormats: SchemaWalkRule {
    static let description = RuleDescription(
        id: "ST-28", name: "identifier-formats", family: .structure, severity: .error,
        rationale: "A literal where the schema expects an EC2 id (an AMI, a VPC, a subnet, a security group) must have the id's form, `ami-` and 8 or 17 characters, and so on, or the resource fails; and a CloudFront alias is a lowercase domain name whose only wildcard is its first label. A parameter passed there is not judged: its value is the deployment's (cfn-lint also asks that such parameters be typed, AWS::EC2::Image::Id for instance; that is advice, not an error).",
        cfnLint: ["E1150", "E1151", "E1152", "E1154", "E3013"],
        triggering: [
            "Resources:\n  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ↓ami-123456\n      SubnetId: ↓abc-123456\n  Cdn:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n      DistributionConfig:\n        Enabled: true\n        Aliases: [www.example.com, ↓'email.*.example.com', ↓WWW.EXAMPLE.COM]\n        DefaultCacheBehavior: {TargetOriginId: site, ViewerProtocolPolicy: redirect-to-https}\n",
        ],
        nonTriggering: [
            "Parameters:\n  Image: {Type: String}\nResources:\n  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: !Ref Image\n      SubnetId: subnet-0123456789abcdef0\n      SecurityGroupIds: [sg-01234567]\n  Cdn:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n      DistributionConfig:\n        Enabled: true\n        Aliases: ['*.example.com', www.example.co]\n        DefaultCacheBehavior: {TargetOriginId: site, ViewerProtocolPolicy: redirect-to-https}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        context.reportSchemaIssues([.format])
        for distribution in template.resources where distribution.type == "AWS::CloudFront::Distribution" {
            guard let aliases = distribution.properties?["DistributionConfig"]?["Aliases"]?.arrayValue else { continue }
            for (index, alias) in aliases.enumerated() {
                guard let text = alias.stringValue, !text.hasPrefix("{{resolve:"), !Self.isAlias(text) else { continue }
                context.report("the alias '\(text)' is not a lowercase domain name with at most a leading *. label", at: alias.location,
                               path: Places.resourcePath(distribution, .key("Properties"), .key("DistributionConfig"), .key("Aliases"), .index(index)))
            }
        }
    }

    static func isAlias(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let last = labels.last, last.count >= 2 else { return false }
        for (index, label) in labels.enumerated() {
            if label == "*" && index == 0 { continue }
            guard (1...63).contains(label.count), label.first != "-", label.last != "-",
                  label.allSatisfy({ ("a"..."z").contains($0) || $0.isASCIIDigit || $0 == "-" }) else { return false }
        }
        return true
    }
}

/// ST-29: a nested stack is given the parameters its template declares.
struct NestedStackParameters: Rule {
    static let description = RuleDescription(
        id: "ST-29", name: "nested-stack-parameters", family: .structure, severity: .error,
        rationale: "An AWS::CloudFormation::Stack whose TemplateURL is a local file (what `aws cloudformation package` uploads) passes Parameters to that template: each parameter the nested template declares without a Default must be given, and a parameter it does not declare is refused. Every branch of an Fn::If over the Parameters is judged; templates at URLs are not fetched.",
        cfnLint: ["E3043"],
        triggering: [
            "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: fixtures/rules/nested-child.yaml\n      Parameters: ↓{Two: c, ↓Three: d}\n",
        ],
        nonTriggering: [
            "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: fixtures/rules/nested-child.yaml\n      Parameters: {One: a}\n  Remote:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://example-bucket.s3.amazonaws.com/child.yaml\n      Parameters: {Anything: a}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        guard let file = context.file else { return }
        let folder = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        for stack in template.resources where stack.type == "AWS::CloudFormation::Stack" {
            guard let url = stack.properties?["TemplateURL"]?.stringValue, !url.contains("://"), !url.isEmpty else { continue }
            let path = url.hasPrefix("/") ? url : (folder.isEmpty ? url : folder + "/" + url)
            guard let child = TemplateReader.read(path: path).template else { continue }
            let declared = child.parameters ?? ObjectMap()
            let required = declared.entries.filter { $0.value["Default"] == nil }.map(\.key)
            let base = Places.resourcePath(stack, .key("Properties"), .key("Parameters"))
            let given = stack.properties?["Parameters"] ?? Node(.object(ObjectMap()), at: stack.keyLocation)
            for (parameters, branch) in Branches.objects(given, base) {
                for name in required where parameters[name] == nil {
                    context.report("\(stack.logicalID) does not pass \(name), which \(url) requires\(branch.count > base.count ? " (in one branch of its Fn::If)" : "")",
                                   at: given.location.isKnown ? given.location : stack.keyLocation, path: base)
                }
                for entry in parameters.entries where declared[entry.key] == nil {
                    context.report("\(stack.logicalID) passes \(entry.key), which \(url) does not declare", at: entry.keyLocation,
                                   path: branch.count > base.count ? base : base + [.key(entry.key)])
                }
            }
        }
    }
}


/// ST-30: a DynamoDB table defines exactly the attributes its keys use.
struct DynamoDBKeyAttributes: Rule {
    static let description = RuleDescription(
        id: "ST-30", name: "dynamodb-key-attributes", family: .structure, severity: .error,
        rationale: "DynamoDB refuses a table whose AttributeDefinitions are not exactly the attributes its key schemas use (the table's, and its global and local secondary indexes'): an attribute used in a key must be defined, and one defined but used in no key is refused too (other attributes need no definition).",
        cfnLint: ["E3039"],
        triggering: [
            "Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    ↓Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{AttributeName: Album, AttributeType: S}, {AttributeName: Sales, AttributeType: N}]\n      KeySchema: [{AttributeName: Album, KeyType: HASH}, {AttributeName: Artist, KeyType: RANGE}]\n",
        ],
        nonTriggering: [
            "Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{AttributeName: Album, AttributeType: S}, {AttributeName: Artist, AttributeType: S}, {AttributeName: Sales, AttributeType: N}]\n      KeySchema: [{AttributeName: Album, KeyType: HASH}, {AttributeName: Artist, KeyType: RANGE}]\n      GlobalSecondaryIndexes:\n        - IndexName: bySales\n          KeySchema: [{AttributeName: Sales, KeyType: HASH}]\n          Projection: {ProjectionType: ALL}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for table in template.resources where table.type == "AWS::DynamoDB::Table" {
            guard let properties = table.properties, let definitions = properties["AttributeDefinitions"]?.arrayValue else { continue }
            func names(_ schema: Node?) -> [String]? {
                guard let items = schema?.arrayValue else { return schema == nil ? [] : nil }
                let found = items.compactMap { $0["AttributeName"]?.stringValue }
                return found.count == items.count ? found : nil
            }
            let defined = definitions.compactMap { $0["AttributeName"]?.stringValue }
            guard defined.count == definitions.count, var used = names(properties["KeySchema"]) else { continue }
            var known = true
            for key in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
                guard let indexes = properties[key] else { continue }
                guard let items = indexes.arrayValue else { known = false; continue }
                for index in items { if let more = names(index["KeySchema"]) { used += more } else { known = false } }
            }
            guard known, Set(defined) != Set(used) else { continue }
            let undefined = Set(used).subtracting(defined).sorted(), unused = Set(defined).subtracting(used).sorted()
            var problems: [String] = []
            if !undefined.isEmpty { problems.append("\(undefined.joined(separator: ", ")) \(undefined.count == 1 ? "is" : "are") used in a key but not defined") }
            if !unused.isEmpty { problems.append("\(unused.joined(separator: ", ")) \(unused.count == 1 ? "is" : "are") defined but used in no key") }
            context.report("\(table.logicalID)'s AttributeDefinitions and key schemas differ: \(problems.joined(separator: "; "))",
                           at: table.body.entry("Properties")?.keyLocation ?? table.keyLocation, path: Places.resourcePath(table, .key("Properties")))
        }
    }
}

/// ST-31: a subnet is associated with one route table.
struct SubnetRouteTables: Rule {
    static let description = RuleDescription(
        id: "ST-31", name: "subnet-route-tables", family: .structure, severity: .error,
        rationale: "A subnet has one route table: a second AWS::EC2::SubnetRouteTableAssociation of the same subnet fails (the association already exists), unless their Conditions never hold together.",
        acrossResources: true,
        cfnLint: ["E3022"],
        triggering: [
            "Resources:\n  Public:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties:\n      SubnetId: ↓!Ref Subnet\n      RouteTableId: rtb-1\n  Private:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties:\n      SubnetId: ↓!Ref Subnet\n      RouteTableId: rtb-2\n  Subnet:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24}\n",
        ],
        nonTriggering: [
            "Resources:\n  A:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties: {SubnetId: subnet-1, RouteTableId: rtb-1}\n  B:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties: {SubnetId: subnet-2, RouteTableId: rtb-1}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let associations = template.resources.filter { $0.type == "AWS::EC2::SubnetRouteTableAssociation" && $0.properties?["SubnetId"] != nil }
        guard associations.count > 1, associations.count <= 500 else { return }
        let conditions = template.conditions ?? ObjectMap()
        for association in associations {
            let others = associations.filter { $0.logicalID != association.logicalID && UniqueIdentifiers.collide(association, $0, ["SubnetId"], conditions) }
            guard !others.isEmpty, let subnet = association.properties?["SubnetId"] else { continue }
            context.report("\(association.logicalID) associates a subnet that \(others.map(\.logicalID).joined(separator: ", ")) also associates", at: subnet.location,
                           path: Places.resourcePath(association, .key("Properties"), .key("SubnetId")))
        }
    }
}

/// ST-32: modules are used as modules.
struct ModuleResources: Rule {
    static let description = RuleDescription(
        id: "ST-32", name: "module-resources", family: .structure, severity: .error,
        rationale: "A module (a `...::MODULE` type) is expanded into its resources: it takes no Tags, CreationPolicy or UpdatePolicy of its own, and its Metadata must not use the key AWS::CloudFormation::Module, which CloudFormation writes itself.",
        cfnLint: ["E5001"],
        triggering: [
            "Resources:\n  Network:\n    Type: MyCompany::Network::Vpc::MODULE\n    ↓UpdatePolicy: {}\n    Metadata:\n      ↓AWS::CloudFormation::Module: {Name: x}\n    Properties:\n      ↓Tags: [{Key: Team, Value: network}]\n",
        ],
        nonTriggering: [
            "Resources:\n  Network:\n    Type: MyCompany::Network::Vpc::MODULE\n    Properties:\n      CidrBlock: 10.0.0.0/16\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for module in template.resources where module.type?.hasSuffix("::MODULE") == true {
            for key in ["CreationPolicy", "UpdatePolicy"] {
                guard let entry = module.body.entry(key) else { continue }
                context.report("\(module.logicalID) is a module: \(key) is not permitted on it", at: entry.keyLocation, path: Places.resourcePath(module, .key(key)))
            }
            if let entry = module.properties?.entry("Tags") {
                context.report("\(module.logicalID) is a module: Tags is not permitted on it", at: entry.keyLocation, path: Places.resourcePath(module, .key("Properties"), .key("Tags")))
            }
            if let entry = module.metadata?.entry("AWS::CloudFormation::Module") {
                context.report("\(module.logicalID)'s Metadata key AWS::CloudFormation::Module is CloudFormation's own", at: entry.keyLocation,
                               path: Places.resourcePath(module, .key("Metadata"), .key("AWS::CloudFormation::Module")))
            }
        }
    }
}

/// ST-33: backup lifecycles that AWS Backup accepts.
struct BackupLifecycles: Rule {
    static let description = RuleDescription(
        id: "ST-33", name: "backup-lifecycles", family: .structure, severity: .error,
        rationale: "AWS Backup keeps a recovery point in cold storage for at least 90 days: a rule's DeleteAfterDays must be at least MoveToColdStorageAfterDays + 90, or the plan is refused.",
        cfnLint: ["E3504"],
        triggering: [
            "Resources:\n  Plan:\n    Type: AWS::Backup::BackupPlan\n    Properties:\n      BackupPlan:\n        BackupPlanName: nightly\n        BackupPlanRule:\n          - RuleName: nightly\n            TargetBackupVault: vault\n            Lifecycle: ↓{MoveToColdStorageAfterDays: 7, DeleteAfterDays: 30}\n",
        ],
        nonTriggering: [
            "Resources:\n  Plan:\n    Type: AWS::Backup::BackupPlan\n    Properties:\n      BackupPlan:\n        BackupPlanName: nightly\n        BackupPlanRule:\n          - RuleName: nightly\n            TargetBackupVault: vault\n            Lifecycle: {MoveToColdStorageAfterDays: 7, DeleteAfterDays: 97}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for plan in template.resources where plan.type == "AWS::Backup::BackupPlan" {
            for (index, rule) in (plan.properties?["BackupPlan"]?["BackupPlanRule"]?.arrayValue ?? []).enumerated() {
                let base = Places.resourcePath(plan, .key("Properties"), .key("BackupPlan"), .key("BackupPlanRule"), .index(index))
                var lifecycles: [(Node, [PathComponent])] = []
                if let lifecycle = rule["Lifecycle"] { lifecycles.append((lifecycle, base + [.key("Lifecycle")])) }
                for (copy, action) in (rule["CopyActions"]?.arrayValue ?? []).enumerated() {
                    if let lifecycle = action["Lifecycle"] { lifecycles.append((lifecycle, base + [.key("CopyActions"), .index(copy), .key("Lifecycle")])) }
                }
                for (lifecycle, path) in lifecycles {
                    guard let cold = lifecycle["MoveToColdStorageAfterDays"]?.numberValue, let delete = lifecycle["DeleteAfterDays"]?.numberValue, delete < cold + 90 else { continue }
                    context.report("DeleteAfterDays \(lifecycle["DeleteAfterDays"]?.scalarText ?? "?") must be at least 90 days after MoveToColdStorageAfterDays \(lifecycle["MoveToColdStorageAfterDays"]?.scalarText ?? "?")",
                                   at: lifecycle.location, path: path)
                }
            }
        }
    }
}

/// ST-34: an EC2 instance says what it boots.
struct InstanceImage: Rule {
    static let description = RuleDescription(
        id: "ST-34", name: "instance-image", family: .structure, severity: .error,
        rationale: "An AWS::EC2::Instance boots an image: ImageId is required unless a LaunchTemplate supplies it (the registry schema cannot say so, since it depends on another property).",
        cfnLint: ["E3673"],
        triggering: [
            "Resources:\n  Server:\n    Type: AWS::EC2::Instance\n    ↓Properties:\n      InstanceType: t3.micro\n",
        ],
        nonTriggering: [
            "Resources:\n  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      LaunchTemplate: {LaunchTemplateId: lt-0123456789abcdef0, Version: '1'}\n  Other:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-0123456789abcdef0\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for instance in template.resources where instance.type == "AWS::EC2::Instance" {
            guard let properties = instance.properties, properties["ImageId"] == nil, properties["LaunchTemplate"] == nil else { continue }
            context.report("\(instance.logicalID) has neither ImageId nor a LaunchTemplate: it has nothing to boot", at: instance.body.entry("Properties")?.keyLocation ?? instance.keyLocation,
                           path: Places.resourcePath(instance, .key("Properties")))
        }
    }
}

/// ST-35: properties of which exactly one is given.
struct OneOfProperties: Rule {
    static let description = RuleDescription(
        id: "ST-35", name: "one-of-properties", family: .structure, severity: .error,
        rationale: "Some objects take exactly one of a set of properties, which the registry schemas cannot all say: a block device mapping is an instance-store volume (VirtualName), an EBS volume (Ebs) or a suppressed device (NoDevice); a security-group ingress rule has one source (CidrIp, CidrIpv6, SourcePrefixListId, SourceSecurityGroupId or SourceSecurityGroupName) and an egress rule one destination; an alarm watches Metrics or one MetricName; a load balancer of ELBv2 takes Subnets or SubnetMappings; an Auto Scaling group launches from one source (InstanceId, LaunchConfigurationName, LaunchTemplate or MixedInstancesPolicy), and a launch template is named by id or by name; a VPC or a network ACL entry has one CIDR source; a Route 53 record set names its zone by id or by name; a pipeline has ArtifactStore or ArtifactStores; a scaling policy names its target by ScalingTargetId or ResourceId; a distribution's ViewerCertificate is from ACM, IAM or CloudFront's default; a Spot Fleet launches from specifications or templates. Two of them, or none, is refused; and an alarm on Metrics takes none of the single metric's properties (Dimensions, Namespace, Statistic, ExtendedStatistic, Period, Unit). AWS::NoValue counts as absent, and every branch of an Fn::If is judged.",
        cfnLint: ["E3014", "E3020"],
        triggering: [
            "Resources:\n  Balancer:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    ↓Properties:\n      Scheme: internal\n  Group:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n      MaxSize: '1'\n      MinSize: '0'\n      ↓LaunchTemplate:\n        Version: '1'\n",
            "Resources:\n  Errors:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      ComparisonOperator: GreaterThanThreshold\n      EvaluationPeriods: 1\n      Threshold: 5\n      ↓Dimensions: []\n      Metrics: [{Id: e, Expression: 'errors / requests * 100'}]\n  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-0123456789abcdef0\n      BlockDeviceMappings:\n        - DeviceName: /dev/sdc\n          ↓VirtualName: ephemeral0\n          ↓Ebs: {VolumeSize: 20}\n  Ingress:\n    Type: AWS::EC2::SecurityGroupIngress\n    ↓Properties:\n      GroupId: sg-01234567\n      IpProtocol: tcp\n      FromPort: 443\n      ToPort: 443\n",
        ],
        nonTriggering: [
            "Resources:\n  Balancer:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      Subnets: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]\n  Group:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n      MaxSize: '1'\n      MinSize: '0'\n      LaunchTemplate:\n        LaunchTemplateName: workers\n        Version: '1'\n",
            "Resources:\n  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-0123456789abcdef0\n      BlockDeviceMappings:\n        - {DeviceName: /dev/sdb, VirtualName: ephemeral0}\n        - {DeviceName: /dev/sdc, Ebs: {VolumeSize: 20}}\n  Ingress:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: sg-01234567\n      IpProtocol: '-1'\n      SourceSecurityGroupId: sg-abc12345\n      CidrIp: !Ref AWS::NoValue\n",
        ])

    /// By type: the path below Properties to a list of objects (or to Properties itself, when
    /// empty), whether it is a list, and the properties of which one is given.
    static let sets: [(type: String, path: [String], list: Bool, keys: [String])] = {
        let devices = ["VirtualName", "Ebs", "NoDevice"]
        let sources = ["CidrIp", "CidrIpv6", "SourcePrefixListId", "SourceSecurityGroupId", "SourceSecurityGroupName"]
        let destinations = ["CidrIp", "CidrIpv6", "DestinationPrefixListId", "DestinationSecurityGroupId"]
        let launchTemplate = ["LaunchTemplateId", "LaunchTemplateName"]
        let zone = ["HostedZoneId", "HostedZoneName"]
        // cfn-lint 1.51.0's requiredXor schema patches (E3014), the same sets.
        return [
            ("AWS::EC2::Instance", ["BlockDeviceMappings"], true, devices), ("AWS::EC2::LaunchTemplate", ["LaunchTemplateData", "BlockDeviceMappings"], true, devices),
            ("AWS::AutoScaling::LaunchConfiguration", ["BlockDeviceMappings"], true, devices),
            ("AWS::EC2::SecurityGroup", ["SecurityGroupIngress"], true, sources), ("AWS::EC2::SecurityGroupIngress", [], false, sources),
            ("AWS::EC2::SecurityGroup", ["SecurityGroupEgress"], true, destinations), ("AWS::EC2::SecurityGroupEgress", [], false, destinations),
            ("AWS::CloudWatch::Alarm", [], false, ["Metrics", "MetricName"]),
            ("AWS::ElasticLoadBalancingV2::LoadBalancer", [], false, ["Subnets", "SubnetMappings"]),
            ("AWS::AutoScaling::AutoScalingGroup", [], false, ["InstanceId", "LaunchConfigurationName", "LaunchTemplate", "MixedInstancesPolicy"]),
            ("AWS::AutoScaling::AutoScalingGroup", ["LaunchTemplate"], false, launchTemplate),
            ("AWS::AutoScaling::AutoScalingGroup", ["MixedInstancesPolicy", "LaunchTemplate", "LaunchTemplateSpecification"], false, launchTemplate),
            ("AWS::EC2::VPC", [], false, ["CidrBlock", "Ipv4IpamPoolId"]), ("AWS::EC2::NetworkAclEntry", [], false, ["Ipv6CidrBlock", "CidrBlock"]),
            ("AWS::Route53::RecordSet", [], false, zone), ("AWS::Route53::RecordSetGroup", [], false, zone),
            ("AWS::CodePipeline::Pipeline", [], false, ["ArtifactStore", "ArtifactStores"]),
            ("AWS::ApplicationAutoScaling::ScalingPolicy", [], false, ["ScalingTargetId", "ResourceId"]),
            ("AWS::CloudFront::Distribution", ["DistributionConfig", "ViewerCertificate"], false, ["AcmCertificateArn", "CloudFrontDefaultCertificate", "IamCertificateId"]),
            ("AWS::EC2::SpotFleet", ["SpotFleetRequestConfigData"], false, ["LaunchSpecifications", "LaunchTemplateConfigs"]),
        ]
    }()

    /// The keys given, in the first deployment the conditions allow where not exactly one
    /// is (or in the only one, without conditions); an Fn::If that gives AWS::NoValue
    /// leaves its key out.
    static func given(_ map: ObjectMap, _ keys: [String], _ conditions: ObjectMap, allowed: [String: Set<String>]) -> [String] {
        let values = keys.compactMap { key in map[key].map { (key, $0) } }
        let used = Set(values.flatMap { ConditionScenarios.names(in: $0.1) })
        func present(_ truth: [String: Bool]) -> [String] {
            values.filter { !ConditionScenarios.isNoValue(ConditionScenarios.resolved($0.1, truth)) }.map(\.0)
        }
        guard !used.isEmpty, let scenarios = ConditionScenarios.assignments(used, conditions, maximum: 8, allowed: allowed) else { return present([:]) }
        return scenarios.truths.lazy.map(present).first { $0.count != 1 } ?? present(scenarios.truths.first ?? [:])
    }

    /// By type: a property that excludes others beside it.
    static let exclusions: [(type: String, key: String, excluded: [String])] = [
        ("AWS::CloudWatch::Alarm", "Metrics", ["Dimensions", "Namespace", "Statistic", "ExtendedStatistic", "Period", "Unit"]),
    ]

    func check(_ template: Template, _ context: RuleContext) {
        let allowed = ConditionScenarios.allowedValues(template)
        for resource in template.resources {
            guard let type = resource.type, let properties = resource.body["Properties"] else { continue }
            for exclusion in Self.exclusions where exclusion.type == type {
                guard let map = properties.objectValue, let present = map[exclusion.key], !ConditionScenarios.isNoValue(present) else { continue }
                for key in exclusion.excluded {
                    guard let entry = map.entry(key), !ConditionScenarios.isNoValue(entry.value) else { continue }
                    context.report("\(key) is not taken beside \(exclusion.key): each of the Metrics says its own", at: entry.keyLocation, path: Places.resourcePath(resource, .key("Properties"), .key(key)))
                }
            }
            for set in Self.sets where set.type == type {
                var value: Node? = properties
                // Where an object of the set, written without Fn::If, is reported: at the key that holds it.
                var holder = resource.body.entry("Properties")?.keyLocation
                for key in set.path {
                    holder = value?.objectValue?.entry(key)?.keyLocation ?? holder
                    value = value?[key]
                }
                guard let found = value else { continue }
                let base = Places.resourcePath(resource, .key("Properties")) + set.path.map(PathComponent.key)
                var objects: [(ObjectMap, [PathComponent], Location)] = []
                if set.list {
                    for (items, path) in Branches.lists(found, base) {
                        for (index, item) in items.enumerated() {
                            for (map, at) in Branches.objects(item, path + [.index(index)]) { objects.append((map, at, item.location)) }
                        }
                    }
                } else {
                    for (map, at) in Branches.objects(found, base) {
                        objects.append((map, at, at.count == base.count ? holder ?? found.location : found.location))
                    }
                }
                let conditions = template.conditions ?? ObjectMap()
                for (map, path, place) in objects {
                    let given = Self.given(map, set.keys, conditions, allowed: allowed)
                    if given.isEmpty {
                        context.report("one of \(set.keys.joined(separator: ", ")) is required here", at: map.entries.first.map { _ in place } ?? place, path: path)
                    } else if given.count > 1 {
                        for key in given {
                            context.report("\(key) is given with \(given.filter { $0 != key }.joined(separator: " and ")); only one of \(set.keys.joined(separator: ", ")) may be",
                                           at: map.entry(key)?.keyLocation ?? place, path: path + [.key(key)])
                        }
                    }
                }
            }
        }
    }
}
