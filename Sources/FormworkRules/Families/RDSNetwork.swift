import FormworkTemplate

/// RDS-16: the database's security group lets in only the database port from the app tier.
struct DatabaseSecurityGroup: Rule {
    static let description = RuleDescription(
        id: "RDS-16", name: "database-security-group", family: .rds, severity: .error,
        rationale: "The security groups of a DB instance admit TCP on the database port only, from application CIDRs or groups: never the world, never a range wider than a /20 (a whole VPC), never another port; every rule says what it is for.",
        triggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      VPCSecurityGroups: [!Ref DatabaseGroup]\n  DatabaseGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n      SecurityGroupIngress:\n        - ↓IpProtocol: tcp\n          FromPort: 5432\n          ToPort: 5432\n          CidrIp: 0.0.0.0/0\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      VPCSecurityGroups: [!GetAtt DatabaseGroup.GroupId]\n  DatabaseGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 5432\n          ToPort: 5432\n          CidrIp: 10.0.10.0/24\n          Description: application subnet A\n",
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
        for (name, port) in groups.sorted(by: { $0.key < $1.key }) {
            guard let group = template.resource(name) else { continue }
            for (index, rule) in (group.properties?["SecurityGroupIngress"]?.arrayValue ?? []).enumerated() {
                let path = Places.resourcePath(group, .key("Properties"), .key("SecurityGroupIngress"), .index(index))
                let place = rule.objectValue?.entries.first?.keyLocation ?? rule.location
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
                }
                if rule["Description"] == nil { problems.append("no Description") }
                if !problems.isEmpty {
                    context.report("\(name) rule \(index + 1) of the database's ingress: " + problems.joined(separator: "; "), at: place, path: path)
                }
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
