import Formwork
import FormworkEC2

/// The VPC of a database system: two private application subnets (where clients of the
/// database run: the security group admits them and nothing else), two private data
/// subnets for the database, and, when asked, two subnets with one NAT gateway
/// (seed 003: one NAT at most), gateway endpoints (free) and interface endpoints.
struct Network {
    let vpc: ResourceHandle<EC2.VPC>
    let dataSubnets: [ResourceHandle<EC2.Subnet>]
    let applicationSubnets: [ResourceHandle<EC2.Subnet>]
    /// The application subnets' CIDR blocks: the only sources the database admits.
    let applicationCIDRs: [String]
    let privateRouteTable: ResourceHandle<EC2.RouteTable>

    struct Options {
        /// The second octet of 10.x.0.0/16: regions of one system get different ones, so
        /// that the VPCs could be peered.
        var secondOctet = 0
        var publicSubnetsWithNAT = false
        var gatewayEndpoints: [String] = ["s3"]
        var interfaceEndpoints: [String] = []
        init() {}
    }

    init(_ system: SystemStack, _ options: Options = Options()) {
        let stack = system.stack
        let prefix = "10.\(options.secondOctet)"
        let vpc = stack.add("VPC", EC2.VPC(
            cidrBlock: .literal("\(prefix).0.0/16"), enableDnsHostnames: true, enableDnsSupport: true, tags: system.tags(name: "vpc")))
        self.vpc = vpc
        func subnet(_ id: String, _ third: Int, zone: Int, purpose: String, isPublic: Bool = false) -> ResourceHandle<EC2.Subnet> {
            stack.add(id, EC2.Subnet(
                availabilityZone: .select(zone, from: .getAZs()),
                cidrBlock: .literal("\(prefix).\(third).0/24"),
                mapPublicIpOnLaunch: .literal(isPublic),
                tags: system.tags(name: purpose),
                vpcId: vpc.ref))
        }
        privateRouteTable = stack.add("PrivateRouteTable", EC2.RouteTable(tags: system.tags(name: "private-routes"), vpcId: vpc.ref))
        if options.publicSubnetsWithNAT {
            let gateway = stack.add("InternetGateway", EC2.InternetGateway(tags: system.tags(name: "igw")))
            let attachment = stack.add("AttachGateway", EC2.VPCGatewayAttachment(internetGatewayId: gateway.ref, vpcId: vpc.ref))
            let publicSubnets = [subnet("PublicSubnet1", 1, zone: 0, purpose: "public-1", isPublic: true),
                                 subnet("PublicSubnet2", 2, zone: 1, purpose: "public-2", isPublic: true)]
            let publicRoutes = stack.add("PublicRouteTable", EC2.RouteTable(tags: system.tags(name: "public-routes"), vpcId: vpc.ref))
            stack.add("PublicRoute", EC2.Route(destinationCidrBlock: "0.0.0.0/0", gatewayId: gateway.ref, routeTableId: publicRoutes.ref), dependsOn: [attachment])
            for (index, subnet) in publicSubnets.enumerated() {
                stack.add("PublicSubnet\(index + 1)RouteTableAssociation", EC2.SubnetRouteTableAssociation(routeTableId: publicRoutes.ref, subnetId: subnet.ref))
            }
            let address = stack.add("NATGatewayEIP1", EC2.EIP(domain: "vpc", tags: system.tags(name: "nat-eip")), dependsOn: [attachment])
            let nat = stack.add("NATGateway1", EC2.NatGateway(allocationId: address.allocationId, subnetId: publicSubnets[0].ref, tags: system.tags(name: "nat")))
            stack.add("PrivateRoute", EC2.Route(destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.ref, routeTableId: privateRouteTable.ref))
        }
        applicationCIDRs = ["\(prefix).3.0/24", "\(prefix).4.0/24"]
        applicationSubnets = [subnet("ApplicationSubnet1", 3, zone: 0, purpose: "app-1"),
                              subnet("ApplicationSubnet2", 4, zone: 1, purpose: "app-2")]
        dataSubnets = [subnet("PrivateSubnet1", 10, zone: 0, purpose: "data-1"),
                       subnet("PrivateSubnet2", 20, zone: 1, purpose: "data-2")]
        for (index, subnet) in applicationSubnets.enumerated() {
            stack.add("ApplicationSubnet\(index + 1)RouteTableAssociation", EC2.SubnetRouteTableAssociation(routeTableId: privateRouteTable.ref, subnetId: subnet.ref))
        }
        for (index, subnet) in dataSubnets.enumerated() {
            stack.add("PrivateSubnet\(index + 1)RouteTableAssociation", EC2.SubnetRouteTableAssociation(routeTableId: privateRouteTable.ref, subnetId: subnet.ref))
        }
        for service in options.gatewayEndpoints {
            stack.add("\(Self.idPart(service))GatewayEndpoint", EC2.VPCEndpoint(
                routeTableIds: [privateRouteTable.ref],
                serviceName: "com.amazonaws.\(Pseudo.region).\(literal: service)",
                tags: system.tags(name: "\(service)-endpoint"),
                vpcEndpointType: "Gateway",
                vpcId: vpc.ref))
        }
        if !options.interfaceEndpoints.isEmpty {
            let endpointGroup = stack.add("EndpointSecurityGroup", EC2.SecurityGroup(
                groupDescription: "HTTPS from the application subnets to the VPC interface endpoints",
                groupName: system.name("endpoints"),
                securityGroupEgress: [EC2.SecurityGroup.Egress(cidrIp: "127.0.0.1/32", description: "no outbound traffic: endpoints only answer", ipProtocol: "-1")],
                securityGroupIngress: applicationCIDRs.map {
                    EC2.SecurityGroup.Ingress(cidrIp: .literal($0), description: "HTTPS from an application subnet", fromPort: 443, ipProtocol: "tcp", toPort: 443)
                },
                tags: system.tags(name: "endpoints"),
                vpcId: vpc.ref))
            for service in options.interfaceEndpoints {
                stack.add("\(Self.idPart(service))InterfaceEndpoint", EC2.VPCEndpoint(
                    privateDnsEnabled: true,
                    securityGroupIds: Value(unchecked: .array([endpointGroup.groupId.node])),
                    serviceName: "com.amazonaws.\(Pseudo.region).\(literal: service)",
                    subnetIds: Value<[String]>(unchecked: .array(applicationSubnets.map { $0.ref.node })),
                    tags: system.tags(name: "\(service)-endpoint"),
                    vpcEndpointType: "Interface",
                    vpcId: vpc.ref))
            }
        }
    }

    /// `logs` → `Logs`, `events` → `Events`, for logical ids.
    static func idPart(_ service: String) -> String {
        service.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    var dataSubnetIDs: Value<[String]> { Value(unchecked: .array(dataSubnets.map { $0.ref.node })) }
}
