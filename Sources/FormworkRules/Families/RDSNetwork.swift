import FormworkRuleKit
import FormworkTemplate

/// RDS-16: the database's security group lets in only the database port from the app tier,
/// and lets nothing out.
struct DatabaseSecurityGroup: Rule {
    static let description = RuleDescription(
        id: "RDS-16", name: "database-security-group", family: .rds, severity: .error,
        rationale: "The security groups of a DB instance admit TCP on the database port only, from application CIDRs or groups: never the world, never a range wider than a /20 (a whole VPC), never a public subnet (whose instances face the internet), never another port; every rule says what it is for. A database opens no connections, so its group allows no egress: a group without SecurityGroupEgress gets AWS's allow-all rule, so write one that matches nothing (the CDK's allowAllOutbound: false writes icmp to 255.255.255.255/32). Rules in AWS::EC2::SecurityGroupIngress and SecurityGroupEgress resources count too. The egress demands do not apply to a group the database shares with its clients: an RDS Proxy (which connects to the database), or a membership group that functions or instances carry too (or that admits its own members), whose clients need egress.",
        acrossResources: true,
        peers: [.guardRule("EC2_SECURITY_GROUP_EGRESS_OPEN_TO_WORLD_RULE"), .guardRule("SECURITY_GROUP_EGRESS_ALL_PROTOCOLS_RULE"), .guardRule("SECURITY_GROUP_INGRESS_CIDR_NON_32_RULE"), .cfnNag("W9"), .cfnNag("W2"), .cfnNag("W5")],
        triggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      VPCSecurityGroups: [!Ref DatabaseGroup]\n  DatabaseGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n      SecurityGroupIngress:\n        - ↓IpProtocol: tcp\n          FromPort: 5432\n          ToPort: 5432\n          CidrIp: 0.0.0.0/0\n      SecurityGroupEgress:\n        - ↓IpProtocol: -1\n          CidrIp: 0.0.0.0/0\n",
            "Parameters:\n  AppCidr: {Type: String, Default: 10.0.1.0/24}\nResources:\n  Public:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: vpc-1\n      CidrBlock: 10.0.1.0/24\n      MapPublicIpOnLaunch: true\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      VPCSecurityGroups: [!GetAtt DatabaseGroup.GroupId]\n  ↓DatabaseGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n      VpcId: vpc-1\n  FromApp:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      ↓GroupId: !Ref DatabaseGroup\n      IpProtocol: tcp\n      FromPort: 5432\n      ToPort: 5432\n      CidrIp: !Ref AppCidr\n      Description: application\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      VPCSecurityGroups: [!GetAtt DatabaseGroup.GroupId]\n  DatabaseGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 5432\n          ToPort: 5432\n          CidrIp: 10.0.10.0/24\n          Description: application subnet A\n      SecurityGroupEgress:\n        - {IpProtocol: icmp, FromPort: 252, ToPort: 86, CidrIp: 255.255.255.255/32, Description: Disallow all outbound traffic}\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      VpcSecurityGroupIds: [!Ref DatabaseGroup]\n  Proxy:\n    Type: AWS::RDS::DBProxy\n    Properties:\n      VpcSecurityGroupIds: [!Ref DatabaseGroup]\n  DatabaseGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db and its proxy\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.0.10.0/24, Description: application subnet A}\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      VPCSecurityGroups: [!GetAtt Members.GroupId]\n  Members:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: the database and its clients\n  FromMembers:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: !Ref Members\n      IpProtocol: tcp\n      FromPort: 3306\n      ToPort: 3306\n      SourceSecurityGroupId: !Ref Members\n      Description: members of the group\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        var groups: [String: DatabasePort] = [:]
        for resource in template.resources where resource.type == "AWS::RDS::DBInstance" || resource.type == "AWS::RDS::DBCluster" {
            let port = DatabasePort(resource, context)
            let list = resource.properties?["VPCSecurityGroups"] ?? resource.properties?["VpcSecurityGroupIds"]
            for item in list?.arrayValue ?? [] {
                guard let function = item.intrinsicValue else { continue }
                let name = function.name == .ref ? function.argument.stringValue : function.argument.arrayValue?.first?.stringValue
                if let name, template.resource(name)?.type == "AWS::EC2::SecurityGroup" { groups[name] = port }
            }
        }
        guard !groups.isEmpty else { return }
        // CIDRs of public subnets: an ingress from one admits instances that face the internet.
        var publicCIDRs: [String: String] = [:]
        for subnet in template.resources where subnet.type == "AWS::EC2::Subnet" && context.always(subnet.properties?["MapPublicIpOnLaunch"], is: "true") {
            for (cidr, _) in context.literals(subnet.properties?["CidrBlock"]) { publicCIDRs[cidr] = subnet.logicalID }
        }
        let separate = template.resources.filter { $0.type == "AWS::EC2::SecurityGroupIngress" || $0.type == "AWS::EC2::SecurityGroupEgress" }
        for (name, port) in groups.sorted(by: { $0.key < $1.key }) {
            guard let group = template.resource(name) else { continue }
            var ingress: [(rule: Node, path: [PathComponent], place: Location)] = []
            var egress: [(rule: Node, path: [PathComponent], place: Location)] = []
            for (key, into) in [("SecurityGroupIngress", 0), ("SecurityGroupEgress", 1)] {
                for (index, rule) in (group.properties?[key]?.arrayValue ?? []).enumerated() {
                    let entry = (rule, Places.resourcePath(group, .key("Properties"), .key(key), .index(index)), rule.objectValue?.entries.first?.keyLocation ?? rule.location)
                    if into == 0 { ingress.append(entry) } else { egress.append(entry) }
                }
            }
            for resource in separate where ResourceReferences.names(resource.properties?["GroupId"], name) {
                let rule = Node(.object(resource.properties ?? ObjectMap()), at: resource.location)
                let entry = (rule, Places.resourcePath(resource, .key("Properties")), resource.properties?.entries.first?.keyLocation ?? resource.keyLocation)
                if resource.type == "AWS::EC2::SecurityGroupIngress" { ingress.append(entry) } else { egress.append(entry) }
            }
            for (number, item) in ingress.enumerated() {
                let rule = item.rule
                var problems: [String] = []
                var deploymentValue: PossibleValues.Via?
                let proto = rule["IpProtocol"]?.scalarText
                if proto != "tcp" && proto != "6" { problems.append("protocol \(proto ?? "?") instead of tcp") }
                if let wrong = port.mismatch(rule, context) { problems.append(wrong) }
                for candidate in context.values.candidates(rule["CidrIp"] ?? rule["CidrIpv6"]) {
                    guard case .literal(let value, let via) = candidate, let cidr = value.stringValue else { continue }
                    let bits = cidr.split(separator: "/").last.flatMap { Int($0) } ?? 0
                    let source = via.map { " (\($0))" } ?? ""
                    let count = problems.count
                    if cidr.hasPrefix("0.0.0.0/") || cidr.hasPrefix("::/") { problems.append("open to the world (\(cidr)\(source))") }
                    else if cidr.contains("."), bits < 20 { problems.append("a range as wide as \(cidr)\(source)") }
                    else if let subnet = publicCIDRs[cidr] { problems.append("the public subnet \(subnet) (\(cidr)\(source))") }
                    if problems.count > count, deploymentValue?.deploymentValue == nil { deploymentValue = via }
                }
                if rule["Description"] == nil { problems.append("no Description") }
                if !problems.isEmpty {
                    context.report("\(name) rule \(number + 1) of the database's ingress: " + problems.joined(separator: "; "), at: item.place, path: item.path, via: deploymentValue)
                }
            }
            // A group the database shares with the ones that connect to it (a proxy, the
            // members of a membership group) lets those clients out: not the database's alone.
            if Self.isShared(name, template, ingress.map(\.rule), context) { continue }
            if egress.isEmpty {
                context.report("\(name), the database's group, has no egress rule, so AWS adds one that allows all outbound traffic", at: group.keyLocation, path: Places.resourcePath(group),
                               hint: "SecurityGroupEgress: [{IpProtocol: icmp, FromPort: 252, ToPort: 86, CidrIp: 255.255.255.255/32, Description: Disallow all outbound traffic}]")
            }
            for item in egress {
                let open = context.values.candidates(item.rule["CidrIp"] ?? item.rule["CidrIpv6"]).contains { candidate in
                    guard case .literal(let value, _) = candidate, let cidr = value.stringValue else { return false }
                    return cidr.hasPrefix("0.0.0.0/") || cidr.hasPrefix("::/")
                }
                guard open else { continue }
                let all = ["-1", "all"].contains(item.rule["IpProtocol"]?.scalarText ?? "")
                context.report("\(name), the database's group, allows egress \(all ? "of every protocol " : "")to the world: a database opens no connections", at: item.place, path: item.path)
            }
        }
    }
}

/// The port a database listens on, as far as the template shows it: its Port's values, or its
/// engine's default; unknown (nothing judged) when neither can be read.
struct DatabasePort {
    var values: Set<Int>
    var node: Node?

    static func defaultPort(_ engine: String) -> Int? {
        switch engine.lowercased() {
        case "postgres", "aurora-postgresql": return 5432
        case "mysql", "mariadb", "aurora", "aurora-mysql": return 3306
        case let name where name.hasPrefix("oracle"): return 1521
        case let name where name.hasPrefix("sqlserver"): return 1433
        case let name where name.hasPrefix("db2"): return 50000
        default: return nil
        }
    }

    init(_ database: Resource, _ context: RuleContext) {
        node = database.properties?["Port"]
        if let node {
            values = Set(context.literals(node).compactMap { Int($0.text) })
        } else {
            values = Set(context.literals(database.properties?["Engine"]).compactMap { Self.defaultPort($0.text) })
        }
    }

    /// What is wrong with an ingress rule's ports, or nil (also when either side is unknown).
    func mismatch(_ rule: Node, _ context: RuleContext) -> String? {
        // The same parameter on both sides is the same port, whatever its value.
        if let node, rule["FromPort"] == node, rule["ToPort"] == node { return nil }
        let from = context.literals(rule["FromPort"]).compactMap { Int($0.text) }, to = context.literals(rule["ToPort"]).compactMap { Int($0.text) }
        guard !values.isEmpty, !from.isEmpty, !to.isEmpty else { return nil }
        let wrong = Set(from + to).subtracting(values)
        guard !wrong.isEmpty else { return nil }
        let written = rule["FromPort"]?.scalarText.map { "ports \($0)-\(rule["ToPort"]?.scalarText ?? "?")" } ?? "a port range that allows \(wrong.sorted().map(String.init).joined(separator: ", "))"
        return "\(written) instead of \(values.sorted().map(String.init).joined(separator: " or "))"
    }
}

extension DatabaseSecurityGroup {
    /// Types that reference a group without being its member: the database itself and rules.
    static let nonMembers: Set<String> = ["AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"]

    /// Whether something else carries the database's group `name` (an RDS Proxy, a function,
    /// an instance), or an ingress rule admits the group's own members.
    static func isShared(_ name: String, _ template: Template, _ ingress: [Node], _ context: RuleContext) -> Bool {
        // What each resource's Properties (when a mapping) names, from the template's index
        // rather than a walk of every resource per group.
        let resources = template.resources, references = context.resourceReferences
        return resources.indices.contains { position in
            !nonMembers.contains(resources[position].type ?? "") && references.properties[position].contains(name) && resources[position].properties != nil
        } || ingress.contains { ResourceReferences.names($0["SourceSecurityGroupId"], name) }
    }
}

/// RDS-23: a subnet group spread over zones.
struct SubnetGroupZones: Rule {
    static let description = RuleDescription(
        id: "RDS-23", name: "subnet-group-zones", family: .rds, severity: .error,
        rationale: "Multi-AZ needs a standby in another zone: the DB subnet group holds at least two subnets in distinct availability zones (as far as the template shows them).",
        acrossResources: true,
        triggering: [
            "Resources:\n  Group:\n    Type: AWS::RDS::DBSubnetGroup\n    Properties:\n      DBSubnetGroupDescription: db\n      SubnetIds: ↓[!Ref A]\n  A:\n    Type: AWS::EC2::Subnet\n",
            "Resources:\n  Group:\n    Type: AWS::RDS::DBSubnetGroup\n    Properties:\n      DBSubnetGroupDescription: db\n      SubnetIds: ↓[!Ref A, !Ref B]\n  A:\n    Type: AWS::EC2::Subnet\n    Properties:\n      AvailabilityZone: !Select [0, !GetAZs '']\n  B:\n    Type: AWS::EC2::Subnet\n    Properties:\n      AvailabilityZone: !Select [0, !GetAZs '']\n",
        ],
        nonTriggering: [
            "Resources:\n  Group:\n    Type: AWS::RDS::DBSubnetGroup\n    Properties:\n      DBSubnetGroupDescription: db\n      SubnetIds: [!Ref A, !Ref B]\n  A:\n    Type: AWS::EC2::Subnet\n    Properties:\n      AvailabilityZone: !Select [0, !GetAZs '']\n  B:\n    Type: AWS::EC2::Subnet\n    Properties:\n      AvailabilityZone: !Select [1, !GetAZs '']\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.type == "AWS::RDS::DBSubnetGroup" {
            guard let list = resource.properties?["SubnetIds"], let items = list.arrayValue else { continue }
            let path = Places.resourcePath(resource, .key("Properties"), .key("SubnetIds"))
            if items.count < 2 {
                context.report("\(resource.logicalID) holds \(items.count) subnet\(items.count == 1 ? "" : "s"): Multi-AZ needs two zones", at: list.location, path: path)
                continue
            }
            var zones: [Node] = []
            for item in items {
                guard let function = item.intrinsicValue, function.name == .ref, let name = function.argument.stringValue,
                      let zone = template.resource(name)?.properties?["AvailabilityZone"] else { zones = []; break }
                zones.append(zone)
            }
            if zones.count == items.count, zones.allSatisfy({ $0 == zones[0] }) {
                context.report("\(resource.logicalID)'s subnets are all in one availability zone", at: list.location, path: path)
            }
        }
    }
}
