import FormworkRuleKit
import FormworkTemplate

/// RDS-16: the database's security group lets in only the database port from the app tier,
/// and lets nothing out.
struct DatabaseSecurityGroup: Rule {
    static let description = RuleDescription(
        id: "RDS-16", name: "database-security-group", family: .rds, severity: .error,
        rationale: "The security groups of a DB instance admit TCP on the database port only, from application CIDRs or groups: never the world, never a range wider than a /20 (a whole VPC), never a public subnet (whose instances face the internet), never another port; every rule says what it is for. A database opens no connections, so its group allows no egress: a group without SecurityGroupEgress gets AWS's allow-all rule, so write one that matches nothing (the CDK's allowAllOutbound: false writes icmp to 255.255.255.255/32). Rules in AWS::EC2::SecurityGroupIngress and SecurityGroupEgress resources count too.",
        peers: [.guardRule("EC2_SECURITY_GROUP_EGRESS_OPEN_TO_WORLD_RULE"), .guardRule("SECURITY_GROUP_EGRESS_ALL_PROTOCOLS_RULE"), .guardRule("SECURITY_GROUP_INGRESS_CIDR_NON_32_RULE"), .cfnNag("W9"), .cfnNag("W2"), .cfnNag("W5")],
        triggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      VPCSecurityGroups: [!Ref DatabaseGroup]\n  DatabaseGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n      SecurityGroupIngress:\n        - ↓IpProtocol: tcp\n          FromPort: 5432\n          ToPort: 5432\n          CidrIp: 0.0.0.0/0\n      SecurityGroupEgress:\n        - ↓IpProtocol: -1\n          CidrIp: 0.0.0.0/0\n",
            "Parameters:\n  AppCidr: {Type: String, Default: 10.0.1.0/24}\nResources:\n  Public:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: vpc-1\n      CidrBlock: 10.0.1.0/24\n      MapPublicIpOnLaunch: true\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      VPCSecurityGroups: [!GetAtt DatabaseGroup.GroupId]\n  ↓DatabaseGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n  FromApp:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      ↓GroupId: !Ref DatabaseGroup\n      IpProtocol: tcp\n      FromPort: 5432\n      ToPort: 5432\n      CidrIp: !Ref AppCidr\n      Description: application\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      VPCSecurityGroups: [!GetAtt DatabaseGroup.GroupId]\n  DatabaseGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 5432\n          ToPort: 5432\n          CidrIp: 10.0.10.0/24\n          Description: application subnet A\n      SecurityGroupEgress:\n        - {IpProtocol: icmp, FromPort: 252, ToPort: 86, CidrIp: 255.255.255.255/32, Description: Disallow all outbound traffic}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        var groups: [String: Int] = [:]
        for resource in template.resources where resource.type == "AWS::RDS::DBInstance" || resource.type == "AWS::RDS::DBCluster" {
            let port = resource.properties?["Port"]?.intValue ?? 5432
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
                let proto = rule["IpProtocol"]?.scalarText
                if proto != "tcp" && proto != "6" { problems.append("protocol \(proto ?? "?") instead of tcp") }
                let from = rule["FromPort"]?.numberValue, to = rule["ToPort"]?.numberValue
                if from != Double(port) || to != Double(port) { problems.append("ports \(rule["FromPort"]?.scalarText ?? "?")-\(rule["ToPort"]?.scalarText ?? "?") instead of \(port)") }
                for candidate in context.values.candidates(rule["CidrIp"] ?? rule["CidrIpv6"]) {
                    guard case .literal(let value, let via) = candidate, let cidr = value.stringValue else { continue }
                    let bits = cidr.split(separator: "/").last.flatMap { Int($0) } ?? 0
                    let source = via.map { " (\($0))" } ?? ""
                    if cidr.hasPrefix("0.0.0.0/") || cidr.hasPrefix("::/") { problems.append("open to the world (\(cidr)\(source))") }
                    else if cidr.contains("."), bits < 20 { problems.append("a range as wide as \(cidr)\(source)") }
                    else if let subnet = publicCIDRs[cidr] { problems.append("the public subnet \(subnet) (\(cidr)\(source))") }
                }
                if rule["Description"] == nil { problems.append("no Description") }
                if !problems.isEmpty {
                    context.report("\(name) rule \(number + 1) of the database's ingress: " + problems.joined(separator: "; "), at: item.place, path: item.path)
                }
            }
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

/// RDS-23: a subnet group spread over zones.
struct SubnetGroupZones: Rule {
    static let description = RuleDescription(
        id: "RDS-23", name: "subnet-group-zones", family: .rds, severity: .error,
        rationale: "Multi-AZ needs a standby in another zone: the DB subnet group holds at least two subnets in distinct availability zones (as far as the template shows them).",
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
