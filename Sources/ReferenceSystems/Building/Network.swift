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
        let vpc = stack.add("VPC", EC2.VPC {
            $0.cidrBlock = .literal("\(prefix).0.0/16")
            $0.enableDnsHostnames = true
            $0.enableDnsSupport = true
            $0.tags = system.tags(name: "vpc")
        })
        self.vpc = vpc
        func subnet(_ id: String, _ third: Int, zone: Int, purpose: String, isPublic: Bool = false) -> ResourceHandle<EC2.Subnet> {
            stack.add(id, EC2.Subnet(vpcId: vpc.ref) {
                $0.availabilityZone = .select(zone, from: .getAZs())
                $0.cidrBlock = .literal("\(prefix).\(third).0/24")
                $0.mapPublicIpOnLaunch = .literal(isPublic)
                $0.tags = system.tags(name: purpose)
            })
        }
        privateRouteTable = stack.add("PrivateRouteTable", EC2.RouteTable(vpcId: vpc.ref) { $0.tags = system.tags(name: "private-routes") })
        if options.publicSubnetsWithNAT {
            let gateway = stack.add("InternetGateway", EC2.InternetGateway { $0.tags = system.tags(name: "igw") })
            let attachment = stack.add("AttachGateway", EC2.VPCGatewayAttachment(vpcId: vpc.ref) { $0.internetGatewayId = gateway.ref })
            let publicSubnets = [subnet("PublicSubnet1", 1, zone: 0, purpose: "public-1", isPublic: true),
                                 subnet("PublicSubnet2", 2, zone: 1, purpose: "public-2", isPublic: true)]
            let publicRoutes = stack.add("PublicRouteTable", EC2.RouteTable(vpcId: vpc.ref) { $0.tags = system.tags(name: "public-routes") })
            stack.add("PublicRoute", EC2.Route(routeTableId: publicRoutes.ref) { $0.destinationCidrBlock = "0.0.0.0/0"; $0.gatewayId = gateway.ref }, dependsOn: [attachment])
            for (index, subnet) in publicSubnets.enumerated() {
                stack.add("PublicSubnet\(index + 1)RouteTableAssociation", EC2.SubnetRouteTableAssociation(routeTableId: publicRoutes.ref, subnetId: subnet.ref))
            }
            let address = stack.add("NATGatewayEIP1", EC2.EIP { $0.domain = "vpc"; $0.tags = system.tags(name: "nat-eip") }, dependsOn: [attachment])
            let nat = stack.add("NATGateway1", EC2.NatGateway {
                $0.allocationId = address.allocationId
                $0.subnetId = publicSubnets[0].ref
                $0.tags = system.tags(name: "nat")
            })
            stack.add("PrivateRoute", EC2.Route(routeTableId: privateRouteTable.ref) { $0.destinationCidrBlock = "0.0.0.0/0"; $0.natGatewayId = nat.ref })
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
            stack.add("\(Self.idPart(service))GatewayEndpoint", EC2.VPCEndpoint(vpcId: vpc.ref) {
                $0.routeTableIds = [privateRouteTable.ref]
                $0.serviceName = "com.amazonaws.\(Pseudo.region).\(literal: service)"
                $0.tags = system.tags(name: "\(service)-endpoint")
                $0.vpcEndpointType = "Gateway"
            })
        }
        if !options.interfaceEndpoints.isEmpty {
            let endpointGroup = stack.add("EndpointSecurityGroup", EC2.SecurityGroup(groupDescription: "HTTPS from the application subnets to the VPC interface endpoints") {
                $0.groupName = system.name("endpoints")
                $0.securityGroupEgress = [EC2.SecurityGroup.Egress(ipProtocol: "-1") { $0.cidrIp = "127.0.0.1/32"; $0.description = "no outbound traffic: endpoints only answer" }]
                $0.securityGroupIngress = ingress(port: 443) { _ in "HTTPS from an application subnet" }
                $0.tags = system.tags(name: "endpoints")
                $0.vpcId = vpc.ref
            })
            for service in options.interfaceEndpoints {
                stack.add("\(Self.idPart(service))InterfaceEndpoint", EC2.VPCEndpoint(vpcId: vpc.ref) {
                    $0.privateDnsEnabled = true
                    $0.securityGroupIds = [endpointGroup.groupId]
                    $0.serviceName = "com.amazonaws.\(Pseudo.region).\(literal: service)"
                    $0.subnetIds = applicationSubnets.refs
                    $0.tags = system.tags(name: "\(service)-endpoint")
                    $0.vpcEndpointType = "Interface"
                })
            }
        }
    }

    /// TCP on `port` from each application subnet, the one kind of ingress the systems open.
    func ingress(port: Value<Int>, description: (Int) -> Value<String>) -> [EC2.SecurityGroup.Ingress] {
        applicationCIDRs.enumerated().map { index, cidr in
            EC2.SecurityGroup.Ingress(ipProtocol: "tcp") {
                $0.cidrIp = .literal(cidr)
                $0.description = description(index)
                $0.fromPort = port
                $0.toPort = port
            }
        }
    }

    /// `logs` → `Logs`, `events` → `Events`, for logical ids.
    static func idPart(_ service: String) -> String {
        service.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    var dataSubnetIDs: Value<[String]> { dataSubnets.refs }
}
