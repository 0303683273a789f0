import Formwork
import FormworkEC2

/// A VPC over `zones` availability zones: per zone a private application subnet (where a
/// database's clients run: its security group admits them and nothing else) and a private
/// data subnet; where the profile wants NAT gateways (`network.natGateways`, none by
/// default), a public subnet in every zone and that many NAT gateways; a gateway endpoint
/// for S3 and interface endpoints for the profile's `network.vpcEndpoints` (NW-03, NW-04). Every resource is exposed as the model it renders,
/// by logical id, to be changed before synth.
public final class Network {
    /// The VPC's handle.
    public let vpc: ResourceHandle<EC2.VPC>
    /// The application subnets, one per zone.
    public let applicationSubnets: [ResourceHandle<EC2.Subnet>]
    /// The data subnets (databases), one per zone.
    public let dataSubnets: [ResourceHandle<EC2.Subnet>]
    /// The application subnets' CIDR blocks: what a database admits.
    public let applicationCIDRs: [String]
    /// The private subnets' route table.
    public let privateRouteTable: ResourceHandle<EC2.RouteTable>

    /// The VPC as it is rendered: set any property before synth.
    public var vpcModel: EC2.VPC
    /// The subnets as they are rendered (application, data, then public), by logical id.
    public var subnetModels: [(id: String, model: EC2.Subnet)] = []
    /// The route tables (private, then public) as they are rendered.
    public var routeTableModels: [(id: String, model: EC2.RouteTable)] = []
    /// The routes (the public default route, the private one through the first NAT gateway).
    public var routeModels: [(id: String, model: EC2.Route)] = []
    /// The subnets' route table associations.
    public var associationModels: [(id: String, model: EC2.SubnetRouteTableAssociation)] = []
    /// The internet gateway and its attachment, when the profile wants NAT gateways.
    public var internetGatewayModel: EC2.InternetGateway?
    /// The internet gateway's attachment to the VPC.
    public var gatewayAttachmentModel: EC2.VPCGatewayAttachment?
    /// The NAT gateways' Elastic IP addresses.
    public var addressModels: [(id: String, model: EC2.EIP)] = []
    /// The NAT gateways, one per public subnet.
    public var natGatewayModels: [(id: String, model: EC2.NatGateway)] = []
    /// The VPC endpoints (gateway, then interface).
    public var endpointModels: [(id: String, model: EC2.VPCEndpoint)] = []
    /// The interface endpoints' security group (HTTPS from the application subnets), when
    /// there are interface endpoints.
    public var endpointSecurityGroupModel: EC2.SecurityGroup?

    /// A VPC `10.<secondOctet>.0.0/16` (regions of one system take different octets, so
    /// that they could be peered).
    public init(_ scope: Scope, secondOctet: Int = 0, zones: Int = 2,
                file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        let site = CallSite(file: file, line: line, column: column)
        let prefix = "10.\(secondOctet)"
        let vpc = ResourceHandle<EC2.VPC>(logicalID: "VPC")
        self.vpc = vpc
        vpcModel = EC2.VPC {
            $0.cidrBlock = .literal("\(prefix).0.0/16")
            $0.enableDnsHostnames = true
            $0.enableDnsSupport = true
            $0.tags = scope.tags(name: "vpc")
        }
        var subnets: [(id: String, model: EC2.Subnet)] = []
        func subnet(_ id: String, _ third: Int, zone: Int, purpose: String, isPublic: Bool = false) -> ResourceHandle<EC2.Subnet> {
            subnets.append((id, EC2.Subnet(vpcId: vpc.ref) {
                $0.availabilityZone = .select(zone, from: .getAZs())
                $0.cidrBlock = .literal("\(prefix).\(third).0/24")
                $0.mapPublicIpOnLaunch = .literal(isPublic)
                $0.tags = scope.tags(name: purpose)
            }))
            return ResourceHandle(logicalID: id)
        }
        let routes = ResourceHandle<EC2.RouteTable>(logicalID: "PrivateRouteTable")
        privateRouteTable = routes
        routeTableModels = [(routes.logicalID, EC2.RouteTable(vpcId: vpc.ref) { $0.tags = scope.tags(name: "private-routes") })]
        let zoneList = Array(0..<max(zones, 2))
        applicationCIDRs = zoneList.map { "\(prefix).\(10 + $0).0/24" }
        applicationSubnets = zoneList.map { subnet("ApplicationSubnet\($0 + 1)", 10 + $0, zone: $0, purpose: "app-\($0 + 1)") }
        dataSubnets = zoneList.map { subnet("DataSubnet\($0 + 1)", 20 + $0, zone: $0, purpose: "data-\($0 + 1)") }
        associationModels = (applicationSubnets + dataSubnets).enumerated().map {
            ("PrivateSubnetRoutes\($0.offset + 1)", EC2.SubnetRouteTableAssociation(routeTableId: routes.ref, subnetId: $0.element.ref))
        }
        let natCount = min(scope.profile.network.natGateways ?? 0, zoneList.count)
        if natCount > 0 {
            let gateway = ResourceHandle<EC2.InternetGateway>(logicalID: "InternetGateway")
            internetGatewayModel = EC2.InternetGateway { $0.tags = scope.tags(name: "igw") }
            gatewayAttachmentModel = EC2.VPCGatewayAttachment(vpcId: vpc.ref) { $0.internetGatewayId = gateway.ref }
            let publicRoutes = ResourceHandle<EC2.RouteTable>(logicalID: "PublicRouteTable")
            routeTableModels.append((publicRoutes.logicalID, EC2.RouteTable(vpcId: vpc.ref) { $0.tags = scope.tags(name: "public-routes") }))
            routeModels.append(("PublicRoute", EC2.Route(routeTableId: publicRoutes.ref) { $0.destinationCidrBlock = "0.0.0.0/0"; $0.gatewayId = gateway.ref }))
            // A public subnet in every zone (a load balancer needs two), a NAT gateway in the
            // first `natCount`.
            for zone in zoneList {
                let publicSubnet = subnet("PublicSubnet\(zone + 1)", zone + 1, zone: zone, purpose: "public-\(zone + 1)", isPublic: true)
                associationModels.append(("PublicSubnetRoutes\(zone + 1)", EC2.SubnetRouteTableAssociation(routeTableId: publicRoutes.ref, subnetId: publicSubnet.ref)))
                guard zone < natCount else { continue }
                let address = ResourceHandle<EC2.EIP>(logicalID: "NATAddress\(zone + 1)")
                addressModels.append((address.logicalID, EC2.EIP { $0.domain = "vpc"; $0.tags = scope.tags(name: "nat-\(zone + 1)") }))
                natGatewayModels.append(("NATGateway\(zone + 1)", EC2.NatGateway {
                    $0.allocationId = address.allocationId
                    $0.subnetId = publicSubnet.ref
                    $0.tags = scope.tags(name: "nat-\(zone + 1)")
                }))
            }
            // One private route table: the first NAT gateway carries the zones' traffic.
            routeModels.append(("PrivateDefaultRoute", EC2.Route(routeTableId: routes.ref) {
                $0.destinationCidrBlock = "0.0.0.0/0"
                $0.natGatewayId = ResourceHandle<EC2.NatGateway>(logicalID: "NATGateway1").ref
            }))
        }
        self.subnetModels = subnets
        // S3 (always) and DynamoDB (when the profile lists it) have gateway endpoints, which
        // are free; the other services interface endpoints.
        for service in ["s3", "dynamodb"] where service == "s3" || scope.profile.network.vpcEndpoints.contains(service) {
            endpointModels.append(("\(Self.idPart(service))GatewayEndpoint", EC2.VPCEndpoint(vpcId: vpc.ref) {
                $0.routeTableIds = [routes.ref]
                $0.serviceName = "com.amazonaws.\(Pseudo.region).\(literal: service)"
                $0.tags = scope.tags(name: "\(service)-endpoint")
                $0.vpcEndpointType = "Gateway"
            }))
        }
        let services = scope.profile.network.vpcEndpoints.filter { $0 != "s3" && $0 != "dynamodb" }
        if !services.isEmpty {
            let group = ResourceHandle<EC2.SecurityGroup>(logicalID: "EndpointSecurityGroup")
            endpointSecurityGroupModel = EC2.SecurityGroup(groupDescription: "HTTPS from the application subnets to the interface endpoints") { [applicationCIDRs] in
                $0.groupName = scope.name("endpoints")
                $0.securityGroupEgress = [EC2.SecurityGroup.Egress(ipProtocol: "-1") { $0.cidrIp = "127.0.0.1/32"; $0.description = "no outbound traffic: endpoints only answer" }]
                $0.securityGroupIngress = applicationCIDRs.map { cidr in
                    EC2.SecurityGroup.Ingress(ipProtocol: "tcp") { $0.cidrIp = .literal(cidr); $0.description = "HTTPS from an application subnet"; $0.fromPort = 443; $0.toPort = 443 }
                }
                $0.tags = scope.tags(name: "endpoints")
                $0.vpcId = vpc.ref
            }
            for service in services {
                endpointModels.append(("\(Self.idPart(service))InterfaceEndpoint", EC2.VPCEndpoint(vpcId: vpc.ref) { [applicationSubnets] in
                    $0.privateDnsEnabled = true
                    $0.securityGroupIds = [group.groupId]
                    $0.serviceName = "com.amazonaws.\(Pseudo.region).\(literal: service)"
                    $0.subnetIds = applicationSubnets.refs
                    $0.tags = scope.tags(name: "\(service)-endpoint")
                    $0.vpcEndpointType = "Interface"
                }))
            }
        }
        scope.stack.finally { [self] in
            scope.add(vpc.logicalID, vpcModel, at: site)
            for (id, model) in subnetModels { scope.add(id, model, at: site) }
            for (id, model) in routeTableModels { scope.add(id, model, at: site) }
            for (id, model) in associationModels { scope.add(id, model, at: site) }
            let attachment = ResourceHandle<EC2.VPCGatewayAttachment>(logicalID: "InternetGatewayAttachment")
            if let internetGatewayModel { scope.add("InternetGateway", internetGatewayModel, at: site) }
            if let gatewayAttachmentModel { scope.add(attachment.logicalID, gatewayAttachmentModel, at: site) }
            // The public route and the addresses wait for the gateway's attachment.
            for (id, model) in addressModels { scope.add(id, model, dependsOn: [attachment], at: site) }
            for (id, model) in natGatewayModels { scope.add(id, model, at: site) }
            for (id, model) in routeModels { scope.add(id, model, dependsOn: id == "PublicRoute" ? [attachment] : [], at: site) }
            if let endpointSecurityGroupModel { scope.add("EndpointSecurityGroup", endpointSecurityGroupModel, at: site) }
            for (id, model) in endpointModels { scope.add(id, model, at: site) }
        }
    }

    /// `logs` → `Logs`, `ecr.api` → `EcrApi`, for logical ids.
    static func idPart(_ service: String) -> String {
        service.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The data subnets' ids, for a DB subnet group.
    public var dataSubnetIDs: Value<[String]> { dataSubnets.refs }
}
