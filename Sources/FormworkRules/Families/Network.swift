import FormworkTemplate

/// An IPv4 CIDR block, for containment and overlap.
struct IPv4Block: Equatable {
    var address: UInt32
    var bits: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits) else { return nil }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 < 256 }) else { return nil }
        self.bits = bits
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
        address = (octets[0] << 24 | octets[1] << 16 | octets[2] << 8 | octets[3]) & mask
    }

    var mask: UInt32 { bits == 0 ? 0 : ~UInt32(0) << (32 - bits) }
    func contains(_ other: IPv4Block) -> Bool { other.bits >= bits && other.address & mask == address }
    func overlaps(_ other: IPv4Block) -> Bool { contains(other) || other.contains(self) }
}

/// NW-01: the database's subnets are private.
struct PrivateDatabaseSubnets: Rule {
    static let description = RuleDescription(
        id: "NW-01", name: "private-database-subnets", family: .network, severity: .error,
        rationale: "The subnets of a DB subnet group are private: MapPublicIpOnLaunch is not true, and the route table associated with them has no default route (0.0.0.0/0) to an internet gateway. A database in a public subnet is one PubliclyAccessible flag or one security-group rule away from the internet.",
        cfnLint: [],
        peers: [.guardRule("SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED"), .cfnNag("W33")],
        triggering: [
            "Resources:\n  Gateway:\n    Type: AWS::EC2::InternetGateway\n  Table:\n    Type: AWS::EC2::RouteTable\n    Properties: {VpcId: vpc-1}\n  Out:\n    Type: AWS::EC2::Route\n    Properties:\n      RouteTableId: !Ref Table\n      DestinationCidrBlock: 0.0.0.0/0\n      GatewayId: !Ref Gateway\n  A:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: vpc-1\n      CidrBlock: 10.0.1.0/24\n      MapPublicIpOnLaunch: ↓true\n  AInTable:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties:\n      SubnetId: ↓!Ref A\n      RouteTableId: !Ref Table\n  Group:\n    Type: AWS::RDS::DBSubnetGroup\n    Properties:\n      DBSubnetGroupDescription: db\n      SubnetIds: [!Ref A]\n",
        ],
        nonTriggering: [
            "Resources:\n  A:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: vpc-1\n      CidrBlock: 10.0.1.0/24\n      MapPublicIpOnLaunch: false\n  Group:\n    Type: AWS::RDS::DBSubnetGroup\n    Properties:\n      DBSubnetGroupDescription: db\n      SubnetIds: [!Ref A]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        var subnets = Set<String>()
        for group in template.resources where group.type == "AWS::RDS::DBSubnetGroup" {
            subnets.formUnion(ResourceReferences.targets(group.properties?["SubnetIds"]))
        }
        let gateways = Set(template.resources.filter { $0.type == "AWS::EC2::InternetGateway" }.map(\.logicalID))
        // Route tables with a default route to an internet gateway.
        var publicTables = Set<String>()
        for route in template.resources where route.type == "AWS::EC2::Route" {
            guard context.literals(route.properties?["DestinationCidrBlock"]).contains(where: { $0.text == "0.0.0.0/0" }),
                  !ResourceReferences.targets(route.properties?["GatewayId"]).isDisjoint(with: gateways) else { continue }
            publicTables.formUnion(ResourceReferences.targets(route.properties?["RouteTableId"]))
        }
        for name in subnets.sorted() {
            guard let subnet = template.resource(name), subnet.type == "AWS::EC2::Subnet" else { continue }
            for (text, node) in context.literals(subnet.properties?["MapPublicIpOnLaunch"]) where text.lowercased() == "true" {
                context.report("\(name) holds the database but gives its instances public addresses (MapPublicIpOnLaunch)", at: node.location,
                               path: Places.resourcePath(subnet, .key("Properties"), .key("MapPublicIpOnLaunch")))
            }
            for association in template.resources where association.type == "AWS::EC2::SubnetRouteTableAssociation" && ResourceReferences.names(association.properties?["SubnetId"], name) {
                guard let table = ResourceReferences.targets(association.properties?["RouteTableId"]).first(where: publicTables.contains) else { continue }
                let place = association.properties?["SubnetId"]?.location ?? association.keyLocation
                context.report("\(name) holds the database but routes 0.0.0.0/0 to an internet gateway (route table \(table))", at: place,
                               path: Places.resourcePath(association, .key("Properties"), .key("SubnetId")))
            }
        }
    }
}

/// NW-02: subnets lie inside their VPC and do not overlap.
struct SubnetRanges: Rule {
    static let description = RuleDescription(
        id: "NW-02", name: "subnet-ranges", family: .network, severity: .error,
        rationale: "A subnet's CidrBlock lies inside its VPC's CidrBlock, and two subnets of a VPC do not overlap: either mistake fails the deployment half-way (every value a parameter allows is judged against its VPC's).",
        cfnLint: [],
        triggering: [
            "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n  A:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.0.0.0/24\n  B:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: ↓10.0.0.128/25\n  C:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: ↓10.1.0.0/24\n",
        ],
        nonTriggering: [
            "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n  A:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.0.0.0/24\n  B:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.0.1.0/24\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for vpc in template.resources where vpc.type == "AWS::EC2::VPC" {
            let vpcBlocks = context.literals(vpc.properties?["CidrBlock"]).compactMap { IPv4Block($0.text) }
            var seen: [(name: String, block: IPv4Block)] = []
            for subnet in template.resources where subnet.type == "AWS::EC2::Subnet" && ResourceReferences.names(subnet.properties?["VpcId"], vpc.logicalID) {
                let path = Places.resourcePath(subnet, .key("Properties"), .key("CidrBlock"))
                let candidates = context.literals(subnet.properties?["CidrBlock"]).compactMap { literal in IPv4Block(literal.text).map { (literal.text, $0, literal.node) } }
                for (text, block, node) in candidates where !vpcBlocks.isEmpty && !vpcBlocks.contains(where: { $0.contains(block) }) {
                    context.report("\(subnet.logicalID)'s \(text) is outside \(vpc.logicalID)'s range", at: node.location, path: path)
                }
                // Overlaps are judged on the subnet's one written (or default) range.
                guard candidates.count == 1, let (text, block, node) = candidates.first else { continue }
                if let other = seen.first(where: { $0.block.overlaps(block) }) {
                    context.report("\(subnet.logicalID)'s \(text) overlaps \(other.name)'s range", at: node.location, path: path)
                }
                seen.append((subnet.logicalID, block))
            }
        }
    }
}

/// NW-07: no security-group rule opened for cross-region replication.
struct NoReplicationRules: Rule {
    static let description = RuleDescription(
        id: "NW-07", name: "no-replication-rules", family: .network, severity: .warning,
        rationale: "RDS cross-region read replicas replicate over AWS's own network: they need no security-group rule, and a group cannot name another region's groups anyway. A rule described as being for replication is an opening with no purpose (seed 002 asks for one).",
        triggering: [
            "Resources:\n  Group:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n      SecurityGroupIngress:\n        - ↓IpProtocol: tcp\n          FromPort: 5432\n          ToPort: 5432\n          CidrIp: 10.1.0.0/16\n          Description: Cross-region replication from the DR region\n",
        ],
        nonTriggering: [
            "Resources:\n  Group:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 5432\n          ToPort: 5432\n          CidrIp: 10.0.1.0/24\n          Description: PostgreSQL from the application subnet\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for group in template.resources where group.type == "AWS::EC2::SecurityGroup" {
            for key in ["SecurityGroupIngress", "SecurityGroupEgress"] {
                for (index, rule) in (group.properties?[key]?.arrayValue ?? []).enumerated() {
                    guard let text = rule["Description"]?.stringValue?.lowercased(), text.contains("replication") || text.contains("cross-region") || text.contains("cross region") else { continue }
                    context.report("\(group.logicalID) opens a rule for replication, which RDS does not need", at: rule.objectValue?.entries.first?.keyLocation ?? rule.location,
                                   path: Places.resourcePath(group, .key("Properties"), .key(key), .index(index)))
                }
            }
        }
    }
}
