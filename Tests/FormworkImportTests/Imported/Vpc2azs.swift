// Imported by `formwork import` from vpc-2azs.yaml.
import Formwork
import FormworkEC2

/// Imported from ../shared/corpus/real-world/templates/widdix+aws-cf-templates/vpc/vpc-2azs.yaml.
/// VPC: public and private subnets in two availability zones, a cloudonaut.io template
func vpc2azs() -> Stack {
    let stack = Stack(description: "VPC: public and private subnets in two availability zones, a cloudonaut.io template", metadata: [
        "AWS::CloudFormation::Interface": ["ParameterGroups": [["Label": ["default": "VPC Parameters"], "Parameters": ["ClassB"]]]],
    ])

    // Parameters
    let classB = stack.parameter("ClassB", .integer(description: "Class B of VPC (10.XXX.0.0/16)", default: 0, minValue: 0, maxValue: 255, constraintDescription: "Must be in the range [0-255]"))

    // Resources
    let vpc = stack.add("VPC", EC2.VPC {
        $0.cidrBlock = "10.\(classB).0.0/16"
        $0.enableDnsSupport = true
        $0.enableDnsHostnames = true
        $0.instanceTenancy = .`default`
        $0.tags = .tags(["Name": "10.\(classB).0.0/16"])
    })
    let vpcCidrBlock = stack.add("VPCCidrBlock", EC2.VPCCidrBlock(vpcId: vpc.ref) {
        $0.amazonProvidedIpv6CidrBlock = true
    })
    let internetGateway = stack.add("InternetGateway", EC2.InternetGateway {
        $0.tags = .tags(["Name": "10.\(classB).0.0/16"])
    })
    let egressOnlyInternetGateway = stack.add("EgressOnlyInternetGateway", EC2.EgressOnlyInternetGateway(vpcId: vpc.ref))
    let vpcGatewayAttachment = stack.add("VPCGatewayAttachment", EC2.VPCGatewayAttachment(vpcId: vpc.ref) {
        $0.internetGatewayId = internetGateway.ref
    })
    let subnetAPublic = stack.add("SubnetAPublic", EC2.Subnet(vpcId: vpc.ref) {
        // AssignIpv6AddressOnCreation: true # TODO can not be set if MapPublicIpOnLaunch is true as well
        $0.availabilityZone = .select(0, from: .getAZs())
        $0.cidrBlock = "10.\(classB).0.0/20"
        $0.ipv6CidrBlock = .select(0, from: .cidr(.select(0, from: vpc.ipv6CidrBlocks), count: 4, bits: 64))
        $0.mapPublicIpOnLaunch = true
        $0.tags = .tags(["Name": "A public", "Reach": "public"])
    }, dependsOn: [vpcCidrBlock])
    let subnetAPrivate = stack.add("SubnetAPrivate", EC2.Subnet(vpcId: vpc.ref) {
        $0.assignIpv6AddressOnCreation = false
        $0.availabilityZone = .select(0, from: .getAZs())
        $0.cidrBlock = "10.\(classB).16.0/20"
        $0.ipv6CidrBlock = .select(1, from: .cidr(.select(0, from: vpc.ipv6CidrBlocks), count: 4, bits: 64))
        $0.tags = .tags(["Name": "A private", "Reach": "private"])
    }, dependsOn: [vpcCidrBlock])
    let subnetBPublic = stack.add("SubnetBPublic", EC2.Subnet(vpcId: vpc.ref) {
        // AssignIpv6AddressOnCreation: true # TODO can not be set if MapPublicIpOnLaunch is true as well
        $0.availabilityZone = .select(1, from: .getAZs())
        $0.cidrBlock = "10.\(classB).32.0/20"
        $0.ipv6CidrBlock = .select(2, from: .cidr(.select(0, from: vpc.ipv6CidrBlocks), count: 4, bits: 64))
        $0.mapPublicIpOnLaunch = true
        $0.tags = .tags(["Name": "B public", "Reach": "public"])
    }, dependsOn: [vpcCidrBlock])
    let subnetBPrivate = stack.add("SubnetBPrivate", EC2.Subnet(vpcId: vpc.ref) {
        $0.assignIpv6AddressOnCreation = false
        $0.availabilityZone = .select(1, from: .getAZs())
        $0.cidrBlock = "10.\(classB).48.0/20"
        $0.ipv6CidrBlock = .select(3, from: .cidr(.select(0, from: vpc.ipv6CidrBlocks), count: 4, bits: 64))
        $0.tags = .tags(["Name": "B private", "Reach": "private"])
    }, dependsOn: [vpcCidrBlock])
    // should be RouteTableAPublic, but logical id was not changed for backward compatibility
    let routeTablePublic = stack.add("RouteTablePublic", EC2.RouteTable(vpcId: vpc.ref) {
        $0.tags = .tags(["Name": "A Public"])
    })
    // should be RouteTableAPrivate, but logical id was not changed for backward compatibility
    let routeTablePrivate = stack.add("RouteTablePrivate", EC2.RouteTable(vpcId: vpc.ref) {
        $0.tags = .tags(["Name": "A Private"])
    })
    let routeTableBPublic = stack.add("RouteTableBPublic", EC2.RouteTable(vpcId: vpc.ref) {
        $0.tags = .tags(["Name": "B Public"])
    })
    let routeTableBPrivate = stack.add("RouteTableBPrivate", EC2.RouteTable(vpcId: vpc.ref) {
        $0.tags = .tags(["Name": "B Private"])
    })
    stack.add("RouteTableAssociationAPublic", EC2.SubnetRouteTableAssociation(routeTableId: routeTablePublic.ref, subnetId: subnetAPublic.ref))
    stack.add("RouteTableAssociationAPrivate", EC2.SubnetRouteTableAssociation(routeTableId: routeTablePrivate.ref, subnetId: subnetAPrivate.ref))
    stack.add("RouteTableAssociationBPublic", EC2.SubnetRouteTableAssociation(routeTableId: routeTableBPublic.ref, subnetId: subnetBPublic.ref))
    stack.add("RouteTableAssociationBPrivate", EC2.SubnetRouteTableAssociation(routeTableId: routeTableBPrivate.ref, subnetId: subnetBPrivate.ref))
    // should be RouteTablePublicAInternetRoute, but logical id was not changed for backward compatibility
    stack.add("RouteTablePublicInternetRoute", EC2.Route(routeTableId: routeTablePublic.ref) {
        $0.destinationCidrBlock = "0.0.0.0/0"
        $0.gatewayId = internetGateway.ref
    }, dependsOn: [vpcGatewayAttachment])
    stack.add("RouteTablePublicAInternetRouteIPv6", EC2.Route(routeTableId: routeTablePublic.ref) {
        $0.destinationIpv6CidrBlock = "::/0"
        $0.gatewayId = internetGateway.ref
    }, dependsOn: [vpcGatewayAttachment])
    stack.add("RouteTablePrivateAInternetRouteIPv6", EC2.Route(routeTableId: routeTablePrivate.ref) {
        $0.destinationIpv6CidrBlock = "::/0"
        $0.egressOnlyInternetGatewayId = egressOnlyInternetGateway.ref
    })
    stack.add("RouteTablePublicBInternetRoute", EC2.Route(routeTableId: routeTableBPublic.ref) {
        $0.destinationCidrBlock = "0.0.0.0/0"
        $0.gatewayId = internetGateway.ref
    }, dependsOn: [vpcGatewayAttachment])
    stack.add("RouteTablePublicBInternetRouteIPv6", EC2.Route(routeTableId: routeTableBPublic.ref) {
        $0.destinationIpv6CidrBlock = "::/0"
        $0.gatewayId = internetGateway.ref
    }, dependsOn: [vpcGatewayAttachment])
    stack.add("RouteTablePrivateBInternetRouteIPv6", EC2.Route(routeTableId: routeTableBPrivate.ref) {
        $0.destinationIpv6CidrBlock = "::/0"
        $0.egressOnlyInternetGatewayId = egressOnlyInternetGateway.ref
    })
    let networkAclPublic = stack.add("NetworkAclPublic", EC2.NetworkAcl(vpcId: vpc.ref) {
        $0.tags = .tags(["Name": "Public"])
    })
    let networkAclPrivate = stack.add("NetworkAclPrivate", EC2.NetworkAcl(vpcId: vpc.ref) {
        $0.tags = .tags(["Name": "Private"])
    })
    stack.add("SubnetNetworkAclAssociationAPublic", EC2.SubnetNetworkAclAssociation(networkAclId: networkAclPublic.ref, subnetId: subnetAPublic.ref))
    stack.add("SubnetNetworkAclAssociationAPrivate", EC2.SubnetNetworkAclAssociation(networkAclId: networkAclPrivate.ref, subnetId: subnetAPrivate.ref))
    stack.add("SubnetNetworkAclAssociationBPublic", EC2.SubnetNetworkAclAssociation(networkAclId: networkAclPublic.ref, subnetId: subnetBPublic.ref))
    stack.add("SubnetNetworkAclAssociationBPrivate", EC2.SubnetNetworkAclAssociation(networkAclId: networkAclPrivate.ref, subnetId: subnetBPrivate.ref))
    stack.add("NetworkAclEntryInPublicAllowAll", EC2.NetworkAclEntry(networkAclId: networkAclPublic.ref, protocol: -1, ruleAction: "allow", ruleNumber: 99) {
        $0.egress = false
        $0.cidrBlock = "0.0.0.0/0"
    })
    stack.add("NetworkAclEntryInPublicAllowAllIPv6", EC2.NetworkAclEntry(networkAclId: networkAclPublic.ref, protocol: -1, ruleAction: "allow", ruleNumber: 98) {
        $0.egress = false
        $0.ipv6CidrBlock = "::/0"
    })
    stack.add("NetworkAclEntryOutPublicAllowAll", EC2.NetworkAclEntry(networkAclId: networkAclPublic.ref, protocol: -1, ruleAction: "allow", ruleNumber: 99) {
        $0.egress = true
        $0.cidrBlock = "0.0.0.0/0"
    })
    stack.add("NetworkAclEntryOutPublicAllowAllIPv6", EC2.NetworkAclEntry(networkAclId: networkAclPublic.ref, protocol: -1, ruleAction: "allow", ruleNumber: 98) {
        $0.egress = true
        $0.ipv6CidrBlock = "::/0"
    })
    stack.add("NetworkAclEntryInPrivateAllowAll", EC2.NetworkAclEntry(networkAclId: networkAclPrivate.ref, protocol: -1, ruleAction: "allow", ruleNumber: 99) {
        $0.egress = false
        $0.cidrBlock = "0.0.0.0/0"
    })
    stack.add("NetworkAclEntryInPrivateAllowAllIPv6", EC2.NetworkAclEntry(networkAclId: networkAclPrivate.ref, protocol: -1, ruleAction: "allow", ruleNumber: 98) {
        $0.egress = false
        $0.ipv6CidrBlock = "::/0"
    })
    stack.add("NetworkAclEntryOutPrivateAllowAll", EC2.NetworkAclEntry(networkAclId: networkAclPrivate.ref, protocol: -1, ruleAction: "allow", ruleNumber: 99) {
        $0.egress = true
        $0.cidrBlock = "0.0.0.0/0"
    })
    stack.add("NetworkAclEntryOutPrivateAllowAllIPv6", EC2.NetworkAclEntry(networkAclId: networkAclPrivate.ref, protocol: -1, ruleAction: "allow", ruleNumber: 98) {
        $0.egress = true
        $0.ipv6CidrBlock = "::/0"
    })

    // Outputs
    stack.output("TemplateID", "vpc/vpc-2azs" as Value<String>, description: "cloudonaut.io template id.")
    stack.output("TemplateVersion", "__VERSION__" as Value<String>, description: "cloudonaut.io template version.")
    stack.output("StackName", "\(Pseudo.stackName)" as Value<String>, description: "Stack name.")
    // Better name would be NumberOfAZs, but we keep the name for backward compatibility
    stack.output("AZs", "2" as Value<String>, description: "Number of AZs", export: "\(Pseudo.stackName)-AZs")
    // Better name would be AZs, but the name was already used
    stack.output("AZList", .join(",", [.select(0, from: .getAZs()), .select(1, from: .getAZs())]) as Value<String>, description: "List of AZs", export: "\(Pseudo.stackName)-AZList")
    stack.output("AZA", .select(0, from: .getAZs()) as Value<String>, description: "AZ of A", export: "\(Pseudo.stackName)-AZA")
    stack.output("AZB", .select(1, from: .getAZs()) as Value<String>, description: "AZ of B", export: "\(Pseudo.stackName)-AZB")
    stack.output("CidrBlock", vpc.cidrBlock, description: "The set of IP addresses for the VPC.", export: "\(Pseudo.stackName)-CidrBlock")
    stack.output("CidrBlockIPv6", .select(0, from: vpc.ipv6CidrBlocks) as Value<String>, description: "The set of IPv6 addresses for the VPC.", export: "\(Pseudo.stackName)-CidrBlockIPv6")
    stack.output("VPC", vpc.ref, description: "VPC.", export: "\(Pseudo.stackName)-VPC")
    stack.output("InternetGateway", internetGateway.ref, description: "InternetGateway.", export: "\(Pseudo.stackName)-InternetGateway")
    stack.output("SubnetsPublic", .join(",", [subnetAPublic.ref, subnetBPublic.ref]) as Value<String>, description: "Subnets public.", export: "\(Pseudo.stackName)-SubnetsPublic")
    stack.output("SubnetsPrivate", .join(",", [subnetAPrivate.ref, subnetBPrivate.ref]) as Value<String>, description: "Subnets private.", export: "\(Pseudo.stackName)-SubnetsPrivate")
    stack.output("RouteTablesPrivate", .join(",", [routeTablePrivate.ref, routeTableBPrivate.ref]) as Value<String>, description: "Route tables private.", export: "\(Pseudo.stackName)-RouteTablesPrivate")
    stack.output("RouteTablesPublic", .join(",", [routeTablePublic.ref, routeTableBPublic.ref]) as Value<String>, description: "Route tables public.", export: "\(Pseudo.stackName)-RouteTablesPublic")
    stack.output("SubnetAPublic", subnetAPublic.ref, description: "Subnet A public.", export: "\(Pseudo.stackName)-SubnetAPublic")
    stack.output("RouteTableAPublic", routeTablePublic.ref, description: "Route table A public.", export: "\(Pseudo.stackName)-RouteTableAPublic")
    stack.output("SubnetAPrivate", subnetAPrivate.ref, description: "Subnet A private.", export: "\(Pseudo.stackName)-SubnetAPrivate")
    stack.output("RouteTableAPrivate", routeTablePrivate.ref, description: "Route table A private.", export: "\(Pseudo.stackName)-RouteTableAPrivate")
    stack.output("SubnetBPublic", subnetBPublic.ref, description: "Subnet B public.", export: "\(Pseudo.stackName)-SubnetBPublic")
    stack.output("RouteTableBPublic", routeTableBPublic.ref, description: "Route table B public.", export: "\(Pseudo.stackName)-RouteTableBPublic")
    stack.output("SubnetBPrivate", subnetBPrivate.ref, description: "Subnet B private.", export: "\(Pseudo.stackName)-SubnetBPrivate")
    stack.output("RouteTableBPrivate", routeTableBPrivate.ref, description: "Route table B private.", export: "\(Pseudo.stackName)-RouteTableBPrivate")
    return stack
}
