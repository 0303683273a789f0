import FormworkRuleKit
import FormworkSchema
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

    /// A network as EC2 (and Python's strict `ip_network`) reads it: no bits set beyond the
    /// prefix (the schema layer's reading of the `ipv4-network` format).
    static func network(_ text: String) -> IPv4Block? {
        Network.isIPv4Network(text) ? IPv4Block(text) : nil
    }
}

extension IPv4Block: CustomStringConvertible {
    var description: String { "\(address >> 24).\(address >> 16 & 255).\(address >> 8 & 255).\(address & 255)/\(bits)" }
}

/// NW-01: the database's subnets are private.
struct PrivateDatabaseSubnets: Rule {
    static let description = RuleDescription(
        id: "NW-01", name: "private-database-subnets", family: .network, severity: .error,
        rationale: "The subnets of a DB subnet group are private: MapPublicIpOnLaunch is not true, and the route table associated with them has no default route (0.0.0.0/0) to an internet gateway. A database in a public subnet is one PubliclyAccessible flag or one security-group rule away from the internet.",
        acrossResources: true,
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
        rationale: "A subnet's CidrBlock lies inside its VPC's CidrBlock, and two subnets of a VPC do not overlap: either mistake fails the deployment half-way. This rule judges the ranges parameters allow (their Default, AllowedValues and deployment values), for every deployment the template permits; ranges written in the template on both sides are ST-54's, which every profile runs.",
        acrossResources: true,
        cfnLint: [],
        triggering: [
            "Parameters:\n  JobsRange:\n    Type: String\n    Default: ↓10.1.0.0/24\n  WorkersRange:\n    Type: String\n    Default: ↓10.0.0.128/25\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n  A:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.0.0.0/24\n  Jobs:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: !Ref JobsRange\n  Workers:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: !Ref WorkersRange\n",
        ],
        nonTriggering: [
            "Parameters:\n  WorkersRange:\n    Type: String\n    Default: 10.0.1.0/24\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n  A:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.0.0.0/24\n  Workers:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: !Ref WorkersRange\n",
            "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n  A:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.0.0.0/24\n  B:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.0.0.128/25\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for vpc in template.resources where vpc.type == "AWS::EC2::VPC" {
            let vpcRanges = Self.ranges(vpc.properties?["CidrBlock"], context)
            let vpcBlocks = vpcRanges.map(\.block)
            let vpcWritten = vpcRanges.allSatisfy { !$0.fromParameter }
            var seen: [(name: String, block: IPv4Block, fromParameter: Bool)] = []
            for subnet in template.resources where subnet.type == "AWS::EC2::Subnet" && ResourceReferences.names(subnet.properties?["VpcId"], vpc.logicalID) {
                let path = Places.resourcePath(subnet, .key("Properties"), .key("CidrBlock"))
                let candidates = Self.ranges(subnet.properties?["CidrBlock"], context)
                // Ranges written on both sides are ST-54's (structural); here, what a parameter allows.
                for candidate in candidates where (candidate.fromParameter || !vpcWritten) && !vpcBlocks.isEmpty && !vpcBlocks.contains(where: { $0.contains(candidate.block) }) {
                    context.report("\(subnet.logicalID)'s \(candidate.text) is outside \(vpc.logicalID)'s range", at: candidate.node.location, path: path)
                }
                // Overlaps are judged on the subnet's one written (or default) range.
                guard candidates.count == 1, let candidate = candidates.first else { continue }
                if let other = seen.first(where: { $0.block.overlaps(candidate.block) && ($0.fromParameter || candidate.fromParameter) }) {
                    context.report("\(subnet.logicalID)'s \(candidate.text) overlaps \(other.name)'s range", at: candidate.node.location, path: path)
                }
                seen.append((subnet.logicalID, candidate.block, candidate.fromParameter))
            }
        }
    }

    /// The IPv4 ranges a property can take, each with whether a parameter supplies it.
    static func ranges(_ value: Node?, _ context: RuleContext) -> [(text: String, block: IPv4Block, node: Node, fromParameter: Bool)] {
        context.values.candidates(value).compactMap { candidate in
            guard case .literal(let node, let via) = candidate, let text = node.scalarText, let block = IPv4Block(text) else { return nil }
            return (text, block, node, via != nil)
        }
    }
}

/// NW-07: no security-group rule opened for cross-region replication.
struct NoReplicationRules: Rule {
    static let description = RuleDescription(
        id: "NW-07", name: "no-replication-rules", family: .network, severity: .warning,
        rationale: "RDS cross-region read replicas replicate over AWS's own network: they need no security-group rule, and a group cannot name another region's groups anyway. A rule described as being for replication is an opening with no purpose (seed 002 asks for one).",
        acrossResources: true,
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
                    guard let text = rule["Description"]?.stringValue?.lowercased(), text.containsText("replication") || text.containsText("cross-region") || text.containsText("cross region") else { continue }
                    context.report("\(group.logicalID) opens a rule for replication, which RDS does not need", at: rule.objectValue?.entries.first?.keyLocation ?? rule.location,
                                   path: Places.resourcePath(group, .key("Properties"), .key(key), .index(index)))
                }
            }
        }
    }
}

extension Template {
    /// Whether the template shows everything that decides a subnet's routes: the subnet is
    /// its own, and every route table associated with it is too, with routes whose gateways
    /// are the template's (an imported internet gateway is not known to be one).
    func showsRoutes(ofSubnet name: String) -> Bool {
        guard resource(name)?.type == "AWS::EC2::Subnet" else { return false }
        // Without an association the subnet uses the VPC's main route table, which no template declares.
        var associated = false
        for association in resources where association.type == "AWS::EC2::SubnetRouteTableAssociation" && ResourceReferences.names(association.properties?["SubnetId"], name) {
            associated = true
            let tables = ResourceReferences.targets(association.properties?["RouteTableId"])
            guard !tables.isEmpty, tables.allSatisfy({ resource($0)?.type == "AWS::EC2::RouteTable" }) else { return false }
            for route in resources where route.type == "AWS::EC2::Route" && !ResourceReferences.targets(route.properties?["RouteTableId"]).isDisjoint(with: tables) {
                guard let gateway = route.properties?["GatewayId"] else { continue }
                let targets = ResourceReferences.targets(gateway)
                if gateway.stringValue == nil, !targets.allSatisfy({ resource($0) != nil }) || targets.isEmpty { return false }
                if let literal = gateway.stringValue, literal.hasPrefix("igw-") { return false }
            }
        }
        return associated
    }

    /// Subnets whose route table sends 0.0.0.0/0 to an internet gateway, or that give
    /// their instances public addresses.
    func publicSubnets(_ context: RuleContext) -> Set<String> {
        let gateways = Set(resources.filter { $0.type == "AWS::EC2::InternetGateway" }.map(\.logicalID))
        var tables = Set<String>()
        for route in resources where route.type == "AWS::EC2::Route" && !ResourceReferences.targets(route.properties?["GatewayId"]).isDisjoint(with: gateways) {
            tables.formUnion(ResourceReferences.targets(route.properties?["RouteTableId"]))
        }
        var found = Set(resources.filter { $0.type == "AWS::EC2::Subnet" && context.always($0.properties?["MapPublicIpOnLaunch"], is: "true") }.map(\.logicalID))
        for association in resources where association.type == "AWS::EC2::SubnetRouteTableAssociation" && !ResourceReferences.targets(association.properties?["RouteTableId"]).isDisjoint(with: tables) {
            found.formUnion(ResourceReferences.targets(association.properties?["SubnetId"]))
        }
        return found
    }
}

/// NW-03: NAT gateways where the profile wants them, in public subnets, with addresses.
struct NATGateways: Rule {
    static let description = RuleDescription(
        id: "NW-03", name: "nat-gateways", family: .network, severity: .warning,
        rationale: "A public NAT gateway works only in a public subnet (a route to an internet gateway) with an Elastic IP; private route tables send 0.0.0.0/0 to it. A subnet the template does not show (a parameter, an import) or whose route table or gateway comes from outside cannot be judged and is not. Each NAT gateway costs by the hour, so teams fix their number (`natGateways: 1` in .formwork.yml, seed 003) or one per zone for availability.",
        acrossResources: true,
        triggering: [
            "Metadata:\n  formwork:\n    settings: {natGateways: 1}\nResources:\n  ↓Nat:\n    Type: AWS::EC2::NatGateway\n    Properties:\n      SubnetId: !Ref Private\n  ↓Nat2:\n    Type: AWS::EC2::NatGateway\n    Properties:\n      SubnetId: !Ref Public\n      AllocationId: eipalloc-1\n  Private:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: vpc-1, CidrBlock: 10.0.2.0/24}\n  PrivateTable:\n    Type: AWS::EC2::RouteTable\n    Properties: {VpcId: vpc-1}\n  PrivateInTable:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties: {SubnetId: !Ref Private, RouteTableId: !Ref PrivateTable}\n  Public:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: vpc-1, CidrBlock: 10.0.1.0/24, MapPublicIpOnLaunch: true}\n",
        ],
        nonTriggering: [
            "Resources:\n  Gateway:\n    Type: AWS::EC2::InternetGateway\n  Public:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: vpc-1, CidrBlock: 10.0.1.0/24}\n  PublicTable:\n    Type: AWS::EC2::RouteTable\n    Properties: {VpcId: vpc-1}\n  Out:\n    Type: AWS::EC2::Route\n    Properties: {RouteTableId: !Ref PublicTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Gateway}\n  PublicInTable:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties: {SubnetId: !Ref Public, RouteTableId: !Ref PublicTable}\n  Address:\n    Type: AWS::EC2::EIP\n    Properties: {Domain: vpc}\n  Nat:\n    Type: AWS::EC2::NatGateway\n    Properties:\n      SubnetId: !Ref Public\n      AllocationId: !GetAtt Address.AllocationId\n",
            "Parameters:\n  PublicSubnet: {Type: 'AWS::EC2::Subnet::Id'}\n  Gateway: {Type: String}\nResources:\n  Nat:\n    Type: AWS::EC2::NatGateway\n    Properties:\n      SubnetId: !Ref PublicSubnet\n      AllocationId: eipalloc-1\n  Public:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: vpc-1, CidrBlock: 10.0.1.0/24}\n  PublicTable:\n    Type: AWS::EC2::RouteTable\n    Properties: {VpcId: vpc-1}\n  Out:\n    Type: AWS::EC2::Route\n    Properties: {RouteTableId: !Ref PublicTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Gateway}\n  PublicInTable:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties: {SubnetId: !Ref Public, RouteTableId: !Ref PublicTable}\n  Nat2:\n    Type: AWS::EC2::NatGateway\n    Properties:\n      SubnetId: !Ref Public\n      AllocationId: eipalloc-2\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let nats = template.resources.filter { $0.type == "AWS::EC2::NatGateway" }
        let publicSubnets = template.publicSubnets(context)
        for nat in nats {
            guard !context.literals(nat.properties?["ConnectivityType"]).contains(where: { $0.text == "private" }) else { continue }
            var problems: [String] = []
            // Only the template's own subnets, with routes the template shows, can be judged: a
            // subnet or route table from a parameter or another stack may well be public.
            let subnets = ResourceReferences.targets(nat.properties?["SubnetId"])
            if !subnets.isEmpty, subnets.allSatisfy({ template.showsRoutes(ofSubnet: $0) }), subnets.isDisjoint(with: publicSubnets) {
                problems.append("its subnet \(subnets.sorted().joined(separator: ", ")) has no route to an internet gateway")
            }
            if nat.properties?["AllocationId"] == nil { problems.append("no Elastic IP (AllocationId)") }
            if !problems.isEmpty {
                context.report("\(nat.logicalID) cannot reach the internet: \(problems.joined(separator: "; "))", at: nat.keyLocation, path: Places.resourcePath(nat))
            }
        }
        // Reported at the first gateway past the number (or at the VPC when there are too few).
        if let wanted = context.configuration.network.natGateways, nats.count != wanted,
           let place = nats.count > wanted ? nats[wanted] : template.resources.first(where: { $0.type == "AWS::EC2::VPC" }) {
            context.report("the template has \(nats.count) NAT gateway\(nats.count == 1 ? "" : "s"); the convention is \(wanted) (natGateways)", at: place.keyLocation, path: Places.resourcePath(place))
        }
    }
}

/// NW-04: VPC endpoints that work, and the ones the profile requires.
struct VPCEndpoints: Rule {
    static let description = RuleDescription(
        id: "NW-04", name: "vpc-endpoints", family: .network, severity: .warning,
        rationale: "Private subnets reach AWS APIs through VPC endpoints: an interface endpoint has PrivateDnsEnabled (so the SDKs' default hostnames resolve to it), subnets and a security group, and names its service with ${AWS::Region}; the services a team's workloads need are listed once (`vpcEndpoints: [rds, sns, logs, events]` in .formwork.yml, seed 001; gateway endpoints for s3 and dynamodb, seed 003).",
        acrossResources: true,
        cfnLint: [],
        triggering: [
            "Metadata:\n  formwork:\n    settings: {vpcEndpoints: [logs, s3]}\nResources:\n  ↓Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n  Logs:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n      VpcId: !Ref Vpc\n      VpcEndpointType: Interface\n      ServiceName: !Sub 'com.amazonaws.${AWS::Region}.logs'\n      ↓SubnetIds: [subnet-1]\n",
        ],
        nonTriggering: [
            "Metadata:\n  formwork:\n    settings: {vpcEndpoints: [logs]}\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n  Logs:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n      VpcId: !Ref Vpc\n      VpcEndpointType: Interface\n      ServiceName: !Sub 'com.amazonaws.${AWS::Region}.logs'\n      PrivateDnsEnabled: true\n      SubnetIds: [subnet-1]\n      SecurityGroupIds: [sg-1]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let endpoints = template.resources.filter { $0.type == "AWS::EC2::VPCEndpoint" }
        for endpoint in endpoints where context.literals(endpoint.properties?["VpcEndpointType"]).contains(where: { $0.text == "Interface" }) {
            var missing: [String] = []
            if !context.always(endpoint.properties?["PrivateDnsEnabled"], is: "true") { missing.append("PrivateDnsEnabled: true") }
            if endpoint.properties?["SecurityGroupIds"] == nil { missing.append("SecurityGroupIds") }
            if endpoint.properties?["SubnetIds"] == nil { missing.append("SubnetIds") }
            guard !missing.isEmpty else { continue }
            let place = endpoint.properties?.entry("SubnetIds")?.keyLocation ?? endpoint.keyLocation
            context.report("\(endpoint.logicalID), an interface endpoint, lacks \(missing.joined(separator: ", "))", at: place, path: Places.resourcePath(endpoint, .key("Properties")))
        }
        let wanted = context.configuration.network.vpcEndpoints
        guard !wanted.isEmpty else { return }
        for vpc in template.resources where vpc.type == "AWS::EC2::VPC" {
            let services = endpoints.filter { ResourceReferences.names($0.properties?["VpcId"], vpc.logicalID) }.compactMap { endpoint in
                PolicyText.expand(endpoint.properties?["ServiceName"], values: context.values, resources: []).first?.text?.split(separator: ".").last.map(String.init)
            }
            let missing = wanted.filter { !services.contains($0) }
            guard !missing.isEmpty else { continue }
            context.report("\(vpc.logicalID) has no VPC endpoint for \(missing.joined(separator: ", ")) (vpcEndpoints)", at: vpc.keyLocation, path: Places.resourcePath(vpc))
        }
    }
}
