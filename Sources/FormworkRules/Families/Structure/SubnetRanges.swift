import FormworkRuleKit
import FormworkTemplate

/// ST-54: a subnet's IPv4 range lies inside its VPC's ranges and overlaps no other subnet
/// of that VPC.
struct SubnetCIDRRanges: Rule {
    static let description = RuleDescription(
        id: "ST-54", name: "subnet-cidr-ranges", family: .structure, severity: .error,
        rationale: "EC2 refuses a subnet whose CidrBlock is not inside one of its VPC's IPv4 ranges (the VPC's CidrBlock and its AWS::EC2::VPCCidrBlock associations), and a subnet that overlaps another subnet of the same VPC; the stack fails halfway, after the VPC exists. Judged when the ranges are written as literal networks (NW-02 judges the ranges a parameter allows) and the VPC is the template's (Ref or Fn::GetAtt); a VPC with an IPAM pool or a computed range is not judged for containment, and two subnets under different conditions are not compared.",
        acrossResources: true,
        cfnLint: ["E3059", "E3060"],
        triggering: [
            "Resources:\n  Network:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n  First:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Network\n      CidrBlock: 10.0.0.0/24\n  Second:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Network\n      CidrBlock: ↓10.0.0.128/25\n  Outside:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !GetAtt Network.VpcId\n      CidrBlock: ↓10.1.0.0/24\n",
        ],
        nonTriggering: [
            "Resources:\n  Network:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n  Secondary:\n    Type: AWS::EC2::VPCCidrBlock\n    Properties:\n      VpcId: !Ref Network\n      CidrBlock: 10.1.0.0/16\n  First:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Network\n      CidrBlock: 10.0.0.0/24\n  Second:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Network\n      CidrBlock: 10.0.1.0/24\n  Third:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Network\n      CidrBlock: 10.1.0.0/24\n  Computed:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Network\n      CidrBlock: !Select [0, !Cidr [!GetAtt Network.CidrBlock, 4, 8]]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        // The VPCs' literal IPv4 ranges; nil when one is computed or comes from a pool.
        var ranges: [String: [IPv4Block]?] = [:]
        for vpc in template.resources where vpc.type == "AWS::EC2::VPC" {
            let properties = vpc.properties
            if properties?["Ipv4IpamPoolId"] != nil { ranges[vpc.logicalID] = .some(nil); continue }
            ranges[vpc.logicalID] = properties?["CidrBlock"]?.stringValue.flatMap(IPv4Block.network).map { [$0] } ?? .some(nil)
        }
        for association in template.resources where association.type == "AWS::EC2::VPCCidrBlock" {
            guard let vpc = Self.vpc(association), case .some(.some(let known)) = ranges[vpc] else { continue }
            if association.properties?["Ipv4IpamPoolId"] != nil { ranges[vpc] = .some(nil); continue }
            guard let block = association.properties?["CidrBlock"] else { continue }
            ranges[vpc] = block.stringValue.flatMap(IPv4Block.network).map { known + [$0] } ?? .some(nil)
        }
        var seen: [String: [(network: IPv4Block, subnet: Resource)]] = [:]
        for subnet in template.resources where subnet.type == "AWS::EC2::Subnet" {
            guard let vpc = Self.vpc(subnet), ranges[vpc] != nil, let block = subnet.properties?["CidrBlock"],
                  let text = block.stringValue, let network = IPv4Block.network(text) else { continue }
            let path = Places.resourcePath(subnet, .key("Properties"), .key("CidrBlock"))
            if case .some(.some(let known)) = ranges[vpc], !known.contains(where: { $0.contains(network) }) {
                context.report("\(subnet.logicalID)'s range \(network) is not inside \(vpc)'s \(known.map(\.description).joined(separator: ", "))",
                               at: block.location, path: path, hint: "choose a range inside the VPC's, or add an AWS::EC2::VPCCidrBlock that covers it")
                continue
            }
            let condition = subnet.body["Condition"]?.stringValue
            if let other = seen[vpc, default: []].first(where: { $0.network.overlaps(network) && $0.subnet.body["Condition"]?.stringValue == condition }) {
                context.report("\(subnet.logicalID)'s range \(network) overlaps \(other.subnet.logicalID)'s \(other.network) in \(vpc)",
                               at: block.location, path: path, hint: "give each subnet of a VPC its own range")
            }
            seen[vpc, default: []].append((network, subnet))
        }
    }

    /// The template VPC a resource's VpcId names.
    static func vpc(_ resource: Resource) -> String? {
        ResourceReferences.direct(resource.properties?["VpcId"])
    }
}

