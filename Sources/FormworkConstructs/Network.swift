import Formwork
import FormworkEC2

/// A VPC over `zones` availability zones: per zone a private application subnet (where a
/// database's clients run: its security group admits them and nothing else) and a private
/// data subnet; public subnets with NAT gateways as the profile says (`network.natGateways`,
/// none by default); a gateway endpoint for S3 and interface endpoints for the profile's
/// `network.vpcEndpoints` (NW-03, NW-04).
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

    /// A VPC `10.<secondOctet>.0.0/16` (regions of one system take different octets, so
    /// that they could be peered).
    public init(_ scope: Scope, secondOctet: Int = 0, zones: Int = 2,
                file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        let site = CallSite(file: file, line: line, column: column)
        let stack = scope.stack
        let prefix = "10.\(secondOctet)"
        let vpc = stack.add("VPC", EC2.VPC {
            $0.cidrBlock = .literal("\(prefix).0.0/16")
            $0.enableDnsHostnames = true
            $0.enableDnsSupport = true
            $0.tags = scope.tags(name: "vpc")
        }, at: site)
        self.vpc = vpc
        func subnet(_ id: String, _ third: Int, zone: Int, purpose: String, isPublic: Bool = false) -> ResourceHandle<EC2.Subnet> {
            stack.add(id, EC2.Subnet(vpcId: vpc.ref) {
                $0.availabilityZone = .select(zone, from: .getAZs())
                $0.cidrBlock = .literal("\(prefix).\(third).0/24")
                $0.mapPublicIpOnLaunch = .literal(isPublic)
                $0.tags = scope.tags(name: purpose)
            }, at: site)
        }
        let routes = stack.add("PrivateRouteTable", EC2.RouteTable(vpcId: vpc.ref) { $0.tags = scope.tags(name: "private-routes") }, at: site)
        privateRouteTable = routes
        let zoneList = Array(0..<max(zones, 2))
        applicationCIDRs = zoneList.map { "\(prefix).\(10 + $0).0/24" }
        applicationSubnets = zoneList.map { subnet("ApplicationSubnet\($0 + 1)", 10 + $0, zone: $0, purpose: "app-\($0 + 1)") }
        dataSubnets = zoneList.map { subnet("DataSubnet\($0 + 1)", 20 + $0, zone: $0, purpose: "data-\($0 + 1)") }
        for (index, subnet) in (applicationSubnets + dataSubnets).enumerated() {
            stack.add("PrivateSubnetRoutes\(index + 1)", EC2.SubnetRouteTableAssociation(routeTableId: routes.ref, subnetId: subnet.ref), at: site)
        }
        let natCount = min(scope.profile.network.natGateways ?? 0, zoneList.count)
        if natCount > 0 {
            let gateway = stack.add("InternetGateway", EC2.InternetGateway { $0.tags = scope.tags(name: "igw") }, at: site)
            let attachment = stack.add("InternetGatewayAttachment", EC2.VPCGatewayAttachment(vpcId: vpc.ref) { $0.internetGatewayId = gateway.ref }, at: site)
            let publicRoutes = stack.add("PublicRouteTable", EC2.RouteTable(vpcId: vpc.ref) { $0.tags = scope.tags(name: "public-routes") }, at: site)
            stack.add("PublicRoute", EC2.Route(routeTableId: publicRoutes.ref) { $0.destinationCidrBlock = "0.0.0.0/0"; $0.gatewayId = gateway.ref },
                      dependsOn: [attachment], at: site)
            for zone in 0..<natCount {
                let publicSubnet = subnet("PublicSubnet\(zone + 1)", zone + 1, zone: zone, purpose: "public-\(zone + 1)", isPublic: true)
                stack.add("PublicSubnetRoutes\(zone + 1)", EC2.SubnetRouteTableAssociation(routeTableId: publicRoutes.ref, subnetId: publicSubnet.ref), at: site)
                let address = stack.add("NATAddress\(zone + 1)", EC2.EIP { $0.domain = "vpc"; $0.tags = scope.tags(name: "nat-\(zone + 1)") },
                                        dependsOn: [attachment], at: site)
                let nat = stack.add("NATGateway\(zone + 1)", EC2.NatGateway {
                    $0.allocationId = address.allocationId
                    $0.subnetId = publicSubnet.ref
                    $0.tags = scope.tags(name: "nat-\(zone + 1)")
                }, at: site)
                // One private route table: the first NAT gateway carries the zones' traffic.
                if zone == 0 {
                    stack.add("PrivateDefaultRoute", EC2.Route(routeTableId: routes.ref) { $0.destinationCidrBlock = "0.0.0.0/0"; $0.natGatewayId = nat.ref }, at: site)
                }
            }
        }
        // S3 (always) and DynamoDB (when the profile lists it) have gateway endpoints, which
        // are free; the other services interface endpoints.
        for service in ["s3", "dynamodb"] where service == "s3" || scope.profile.network.vpcEndpoints.contains(service) {
            stack.add("\(service.prefix(1).uppercased() + service.dropFirst())GatewayEndpoint", EC2.VPCEndpoint(vpcId: vpc.ref) {
                $0.routeTableIds = [routes.ref]
                $0.serviceName = "com.amazonaws.\(Pseudo.region).\(literal: service)"
                $0.tags = scope.tags(name: "\(service)-endpoint")
                $0.vpcEndpointType = "Gateway"
            }, at: site)
        }
        let services = scope.profile.network.vpcEndpoints.filter { $0 != "s3" && $0 != "dynamodb" }
        if !services.isEmpty {
            let group = stack.add("EndpointSecurityGroup", EC2.SecurityGroup(groupDescription: "HTTPS from the application subnets to the interface endpoints") {
                $0.groupName = scope.name("endpoints")
                $0.securityGroupEgress = [EC2.SecurityGroup.Egress(ipProtocol: "-1") { $0.cidrIp = "127.0.0.1/32"; $0.description = "no outbound traffic: endpoints only answer" }]
                $0.securityGroupIngress = applicationCIDRs.map { cidr in
                    EC2.SecurityGroup.Ingress(ipProtocol: "tcp") { $0.cidrIp = .literal(cidr); $0.description = "HTTPS from an application subnet"; $0.fromPort = 443; $0.toPort = 443 }
                }
                $0.tags = scope.tags(name: "endpoints")
                $0.vpcId = vpc.ref
            }, at: site)
            for service in services {
                let idPart = service.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
                stack.add("\(idPart)InterfaceEndpoint", EC2.VPCEndpoint(vpcId: vpc.ref) { [applicationSubnets] in
                    $0.privateDnsEnabled = true
                    $0.securityGroupIds = [group.groupId]
                    $0.serviceName = "com.amazonaws.\(Pseudo.region).\(literal: service)"
                    $0.subnetIds = applicationSubnets.refs
                    $0.tags = scope.tags(name: "\(service)-endpoint")
                    $0.vpcEndpointType = "Interface"
                }, at: site)
            }
        }
    }

    /// The data subnets' ids, for a DB subnet group.
    public var dataSubnetIDs: Value<[String]> { dataSubnets.refs }
}
