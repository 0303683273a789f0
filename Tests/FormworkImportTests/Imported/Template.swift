// Imported by `formwork import` from template.yaml.
import Formwork
import FormworkCloudFormation

/// Imported from ../shared/corpus/real-world/templates/eijikominami+aws-cloudformation-templates/network/templates/template.yaml.
/// aws-cloudformation-templates/network sets basic configurations for network.
func template() -> Stack {
    let stack = Stack(description: "aws-cloudformation-templates/network sets basic configurations for network.", metadata: [
        "AWS::CloudFormation::Interface": [
            "ParameterGroups": [
                [
                    "Label": ["default": "Egress Configuration"],
                    "Parameters": [
                        "VPCCidrBlockForEgress",
                        "PublicCidrBlockForEgressAz1",
                        "PublicCidrBlockForEgressAz2",
                        "PublicCidrBlockForEgressAz3",
                        "TransitCidrBlockForEgressAz1",
                        "TransitCidrBlockForEgressAz2",
                        "TransitCidrBlockForEgressAz3",
                        "FirewallCidrBlockForEgressAz1",
                        "FirewallCidrBlockForEgressAz2",
                        "FirewallCidrBlockForEgressAz3",
                        "TransitGatewayDestinationCidrBlock",
                        "TransitGatewayDefaultRouteTableId",
                    ],
                ],
                [
                    "Label": ["default": "DNS Configuration"],
                    "Parameters": [
                        "VPCCidrBlockForDNS",
                        "PrivateCidrBlockForDNSAz1",
                        "PrivateCidrBlockForDNSAz2",
                        "PrivateCidrBlockForDNSAz3",
                        "TransitCidrBlockForDNSAz1",
                        "TransitCidrBlockForDNSAz2",
                        "TransitCidrBlockForDNSAz3",
                    ],
                ],
                ["Label": ["default": "VPN Configuration"], "Parameters": ["CustomerGatewayOutsideIpAddress"]],
                ["Label": ["default": "IPAM Configuration"], "Parameters": ["HomeNetworkCidr"]],
                [
                    "Label": ["default": "Route 53 Configuration"],
                    "Parameters": ["DnsIpAz1", "DnsIpAz2", "DnsIpAz3", "DomainName", "OnpremDnsIp"],
                ],
                [
                    "Label": ["default": "Organizations Configuration"],
                    "Parameters": ["ManagementAccountId", "OrganizationId"],
                ],
                ["Label": ["default": "Logging Configuration"], "Parameters": ["CentralizedLogBucketName"]],
                [
                    "Label": ["default": "Notification Configuration"],
                    "Parameters": ["AlarmLevel", "SNSForAlertArn", "SNSForDeploymentArn"],
                ],
                [
                    "Label": ["default": "Tag Configuration"],
                    "Parameters": ["Environment", "TagKey", "TagValue"],
                ],
            ],
        ],
    ])
    stack.transform("AWS::Serverless-2016-10-31")

    // Parameters
    let alarmLevel = stack.parameter("AlarmLevel", .string(description: "The alarm level of CloudWatch alarms", default: "NOTICE", allowedValues: ["NOTICE", "WARNING"]))
    let centralizedLogBucketName = stack.parameter("CentralizedLogBucketName", .string(description: "The centralize S3 bucket name for logging", default: ""))
    let customerGatewayOutsideIpAddress = stack.parameter("CustomerGatewayOutsideIpAddress", .string(description: "The Internet-routable IP address for the customer gateway's outside interface", default: ""))
    let dnsIpAz1 = stack.parameter("DnsIpAz1", .string(description: "The IPv4 address that you want to use for DNS queries", default: "10.0.8.53"))
    let dnsIpAz2 = stack.parameter("DnsIpAz2", .string(description: "The IPv4 address that you want to use for DNS queries", default: "10.0.10.53"))
    let dnsIpAz3 = stack.parameter("DnsIpAz3", .string(description: "The IPv4 address that you want to use for DNS queries", default: "10.0.12.53"))
    let domainName = stack.parameter("DomainName", .string(description: "The private domain name which this VPC has", default: ""))
    let firewallCidrBlockForEgressAz1 = stack.parameter("FirewallCidrBlockForEgressAz1", .string(description: "The firewall subnet CIDR block for Egress at AZ1", default: "10.0.0.128/26"))
    let firewallCidrBlockForEgressAz2 = stack.parameter("FirewallCidrBlockForEgressAz2", .string(description: "The firewall subnet CIDR block for Egress at AZ2", default: "10.0.2.128/26"))
    let firewallCidrBlockForEgressAz3 = stack.parameter("FirewallCidrBlockForEgressAz3", .string(description: "The firewall subnet CIDR block for Egress at AZ3", default: "10.0.4.128/26"))
    let homeNetworkCidr = stack.parameter("HomeNetworkCidr", .string(description: "The CIDR of your home network  [required]", default: "10.0.0.0/8", allowedPattern: "^[0-9./]*$"))
    let managementAccountId = stack.parameter("ManagementAccountId", .string(description: "The management account ID", default: ""))
    let onpremDnsIp = stack.parameter("OnpremDnsIp", .string(description: "One IPv4 address that you want to forward DNS queries to", default: ""))
    let organizationId = stack.parameter("OrganizationId", .string(description: "The Organizations ID", default: ""))
    let privateCidrBlockForDNSAz1 = stack.parameter("PrivateCidrBlockForDNSAz1", .string(description: "The private subnet CIDR block for DNS at AZ1 [required]", default: "10.0.8.0/24", allowedPattern: "^[0-9./]*$"))
    let privateCidrBlockForDNSAz2 = stack.parameter("PrivateCidrBlockForDNSAz2", .string(description: "The private subnet CIDR block for DNS at AZ2 [required]", default: "10.0.10.0/24", allowedPattern: "^[0-9./]*$"))
    let privateCidrBlockForDNSAz3 = stack.parameter("PrivateCidrBlockForDNSAz3", .string(description: "The private subnet CIDR block for DNS at AZ3 [required]", default: "10.0.12.0/24", allowedPattern: "^[0-9./]*$"))
    let publicCidrBlockForEgressAz1 = stack.parameter("PublicCidrBlockForEgressAz1", .string(description: "The public subnet CIDR block for Egress at AZ1 [required]", default: "10.0.0.0/26", allowedPattern: "^[0-9./]*$"))
    let publicCidrBlockForEgressAz2 = stack.parameter("PublicCidrBlockForEgressAz2", .string(description: "The public subnet CIDR block for Egress at AZ2 [required]", default: "10.0.2.0/26", allowedPattern: "^[0-9./]*$"))
    let publicCidrBlockForEgressAz3 = stack.parameter("PublicCidrBlockForEgressAz3", .string(description: "The public subnet CIDR block for Egress at AZ3 [required]", default: "10.0.4.0/26", allowedPattern: "^[0-9./]*$"))
    let transitCidrBlockForEgressAz1 = stack.parameter("TransitCidrBlockForEgressAz1", .string(description: "The transit subnet CIDR block for Egress at AZ1 [required]", default: "10.0.0.64/26", allowedPattern: "^[0-9./]*$"))
    let transitCidrBlockForEgressAz2 = stack.parameter("TransitCidrBlockForEgressAz2", .string(description: "The transit subnet CIDR block for Egress at AZ2 [required]", default: "10.0.2.64/26", allowedPattern: "^[0-9./]*$"))
    let transitCidrBlockForEgressAz3 = stack.parameter("TransitCidrBlockForEgressAz3", .string(description: "The transit subnet CIDR block for Egress at AZ3 [required]", default: "10.0.4.64/26", allowedPattern: "^[0-9./]*$"))
    let transitCidrBlockForDNSAz1 = stack.parameter("TransitCidrBlockForDNSAz1", .string(description: "The transit subnet CIDR block for DNS at AZ1 [required]", default: "10.0.11.0/24", allowedPattern: "^[0-9./]*$"))
    let transitCidrBlockForDNSAz2 = stack.parameter("TransitCidrBlockForDNSAz2", .string(description: "The transit subnet CIDR block for DNS at AZ2 [required]", default: "10.0.13.0/24", allowedPattern: "^[0-9./]*$"))
    let transitCidrBlockForDNSAz3 = stack.parameter("TransitCidrBlockForDNSAz3", .string(description: "The transit subnet CIDR block for DNS at AZ3 [required]", default: "10.0.15.0/24", allowedPattern: "^[0-9./]*$"))
    let transitGatewayDefaultRouteTableId = stack.parameter("TransitGatewayDefaultRouteTableId", .string(description: "The id of the default Transit Gateway Route Table", default: ""))
    let transitGatewayDestinationCidrBlock = stack.parameter("TransitGatewayDestinationCidrBlock", .string(description: "The IPv4 CIDR block forward to TransitGateway", default: ""))
    let vpcCidrBlockForEgress = stack.parameter("VPCCidrBlockForEgress", .string(description: "The VPC CIDR block [required]", default: "10.0.0.0/21", allowedPattern: "^[0-9./]*$"))
    let vpcCidrBlockForDNS = stack.parameter("VPCCidrBlockForDNS", .string(description: "The VPC CIDR block [required]", default: "10.0.8.0/21", allowedPattern: "^[0-9./]*$"))
    let snsForAlertArn = stack.parameter("SNSForAlertArn", .string(description: "The Amazon SNS topic ARN for alert", default: ""))
    let snsForDeploymentArn = stack.parameter("SNSForDeploymentArn", .string(description: "The Amazon SNS topic ARN for deployment information", default: ""))
    let environment = stack.parameter("Environment", .string(default: "production", allowedValues: ["production", "test", "development"]))
    let tagKey = stack.parameter("TagKey", .string(default: "createdby", allowedPattern: ".+"))
    let tagValue = stack.parameter("TagValue", .string(default: "aws-cloudformation-templates", allowedPattern: ".+"))

    // Conditions
    let createRoute53Resolver = stack.condition("CreateRoute53Resolver", .and([.not(.equals(dnsIpAz1.ref, "")), .not(.equals(dnsIpAz2.ref, "")), .not(.equals(dnsIpAz3.ref, "")), .not(.equals(domainName.ref, "")), .not(.equals(onpremDnsIp.ref, "")), .not(.equals(managementAccountId.ref, "")), .not(.equals(organizationId.ref, ""))]))
    let createSNSForAlert = stack.condition("CreateSNSForAlert", .equals(snsForAlertArn.ref, ""))
    let createSNSForDeployment = stack.condition("CreateSNSForDeployment", .equals(snsForDeploymentArn.ref, ""))
    let createVPN = stack.condition("CreateVPN", .not(.equals(customerGatewayOutsideIpAddress.ref, "")))
    let development = stack.condition("Development", .equals(environment.ref, "development"))

    // Resources
    let snsForDeployment = stack.add("SNSForDeployment", RawResource(type: "AWS::Serverless::Application", properties: [
        "Location": [
            "ApplicationId": "arn:aws:serverlessrepo:us-east-1:172664222583:applications/sns-topic",
            "SemanticVersion": "2.2.25",
        ],
        "Parameters": ["TopicName": JSON("Deployment-createdby-\(Pseudo.stackName)" as Value<String>)],
        "Tags": ["environment": JSON(environment.ref), "createdby": JSON(tagValue.ref)],
    ]), condition: createSNSForDeployment)
    // IPAM
    stack.add("IPAM", CloudFormation.Stack(
        templateURL: .if(development, "https://s3-ap-northeast-1.amazonaws.com/eijikominami-test/aws-cloudformation-templates/network/ipam.yaml", else: "https://s3-ap-northeast-1.amazonaws.com/eijikominami/aws-cloudformation-templates/network/ipam.yaml"),
    ) {
        $0.notificationARNs = [
            .if(createSNSForDeployment, snsForDeployment.attribute("Outputs.SNSTopicArn"), else: snsForDeploymentArn.ref),
        ]
        $0.parameters = [
            "PrincipalsToAssociateWithIPAM": JSON("arn:aws:organizations::\(managementAccountId):organization/\(organizationId)" as Value<String>),
            "ProvisionedCidrs": JSON(homeNetworkCidr.ref),
            "Environment": JSON(environment.ref),
            "TagKey": JSON(tagKey.ref),
            "TagValue": JSON(tagValue.ref),
        ]
        $0.tags = [
            CloudFormation.Stack.Tag(key: "environment", value: environment.ref),
            CloudFormation.Stack.Tag(key: tagKey.ref, value: tagValue.ref),
        ]
    })
    // Network Access Analyzer
    stack.add("NetworkAccessAnalyzer", CloudFormation.Stack(
        templateURL: .if(development, "https://s3-ap-northeast-1.amazonaws.com/eijikominami-test/aws-cloudformation-templates/network/networkaccessanalyzer.yaml", else: "https://s3-ap-northeast-1.amazonaws.com/eijikominami/aws-cloudformation-templates/network/networkaccessanalyzer.yaml"),
    ) {
        $0.notificationARNs = [
            .if(createSNSForDeployment, snsForDeployment.attribute("Outputs.SNSTopicArn"), else: snsForDeploymentArn.ref),
        ]
        $0.parameters = ["Environment": JSON(environment.ref), "TagKey": JSON(tagKey.ref), "TagValue": JSON(tagValue.ref)]
        $0.tags = [
            CloudFormation.Stack.Tag(key: "environment", value: environment.ref),
            CloudFormation.Stack.Tag(key: tagKey.ref, value: tagValue.ref),
        ]
    })
    let snsForAlert = stack.add("SNSForAlert", RawResource(type: "AWS::Serverless::Application", properties: [
        "Location": [
            "ApplicationId": "arn:aws:serverlessrepo:us-east-1:172664222583:applications/sns-topic",
            "SemanticVersion": "2.2.25",
        ],
        "NotificationARNs": [
            ["Fn::If": [
                    "CreateSNSForDeployment",
                    JSON(snsForDeployment.attribute("Outputs.SNSTopicArn") as Value<String>),
                    JSON(snsForDeploymentArn.ref),
                ]],
        ],
        "Parameters": ["TopicName": JSON("Alert-createdby-\(Pseudo.stackName)" as Value<String>)],
        "Tags": ["environment": JSON(environment.ref), "createdby": JSON(tagValue.ref)],
    ]), condition: createSNSForAlert)
    let transitGateway = stack.add("TransitGateway", CloudFormation.Stack(
        templateURL: .if(development, "https://s3-ap-northeast-1.amazonaws.com/eijikominami-test/aws-cloudformation-templates/network/transitgateway.yaml", else: "https://s3-ap-northeast-1.amazonaws.com/eijikominami/aws-cloudformation-templates/network/transitgateway.yaml"),
    ) {
        $0.notificationARNs = [
            .if(createSNSForDeployment, snsForDeployment.attribute("Outputs.SNSTopicArn"), else: snsForDeploymentArn.ref),
        ]
        $0.parameters = [
            "PrincipalsToAssociateWithTransitGateway": JSON("arn:aws:organizations::\(managementAccountId):organization/\(organizationId)" as Value<String>),
            "LogicalName": JSON(Pseudo.stackName),
            "SNSForAlertArn": ["Fn::If": [
                    "CreateSNSForAlert",
                    JSON(snsForAlert.attribute("Outputs.SNSTopicArn") as Value<String>),
                    JSON(snsForAlertArn.ref),
                ]],
            "SNSForDeploymentArn": ["Fn::If": [
                    "CreateSNSForDeployment",
                    JSON(snsForDeployment.attribute("Outputs.SNSTopicArn") as Value<String>),
                    JSON(snsForDeploymentArn.ref),
                ]],
            "TagKey": JSON(tagKey.ref),
            "TagValue": JSON(tagValue.ref),
        ]
        $0.tags = [
            CloudFormation.Stack.Tag(key: "environment", value: environment.ref),
            CloudFormation.Stack.Tag(key: tagKey.ref, value: tagValue.ref),
        ]
    })
    stack.add("Egress", CloudFormation.Stack(
        templateURL: .if(development, "https://s3-ap-northeast-1.amazonaws.com/eijikominami-test/aws-cloudformation-templates/network/egress.yaml", else: "https://s3-ap-northeast-1.amazonaws.com/eijikominami/aws-cloudformation-templates/network/egress.yaml"),
    ) {
        $0.notificationARNs = [
            .if(createSNSForDeployment, snsForDeployment.attribute("Outputs.SNSTopicArn"), else: snsForDeploymentArn.ref),
        ]
        $0.parameters = [
            "AlarmLevel": JSON(alarmLevel.ref),
            "CentralizedLogBucketName": JSON(centralizedLogBucketName.ref),
            "HomeNetworkCidr": JSON(homeNetworkCidr.ref),
            "LogicalName": "Egress",
            "ResolverInboundRuleId": "",
            "ResolverOutboundRuleId": "",
            "SubnetPublicCidrBlockForAz1": JSON(publicCidrBlockForEgressAz1.ref),
            "SubnetTransitCidrBlockForAz1": JSON(transitCidrBlockForEgressAz1.ref),
            "SubnetFirewallCidrBlockForAz1": JSON(firewallCidrBlockForEgressAz1.ref),
            "SubnetPublicCidrBlockForAz2": JSON(publicCidrBlockForEgressAz2.ref),
            "SubnetTransitCidrBlockForAz2": JSON(transitCidrBlockForEgressAz2.ref),
            "SubnetFirewallCidrBlockForAz2": JSON(firewallCidrBlockForEgressAz2.ref),
            "SubnetPublicCidrBlockForAz3": JSON(publicCidrBlockForEgressAz3.ref),
            "SubnetTransitCidrBlockForAz3": JSON(transitCidrBlockForEgressAz3.ref),
            "SubnetFirewallCidrBlockForAz3": JSON(firewallCidrBlockForEgressAz3.ref),
            "TransitGatewayDestinationCidrBlock": JSON(transitGatewayDestinationCidrBlock.ref),
            "TransitGatewayDefaultRouteTableId": JSON(transitGatewayDefaultRouteTableId.ref),
            "TransitGatewayId": JSON(transitGateway.attribute("Outputs.TransitGatewayId") as Value<String>),
            "VPCCidrBlock": JSON(vpcCidrBlockForEgress.ref),
            "SNSForAlertArn": ["Fn::If": [
                    "CreateSNSForAlert",
                    JSON(snsForAlert.attribute("Outputs.SNSTopicArn") as Value<String>),
                    JSON(snsForAlertArn.ref),
                ]],
            "SNSForDeploymentArn": ["Fn::If": [
                    "CreateSNSForDeployment",
                    JSON(snsForDeployment.attribute("Outputs.SNSTopicArn") as Value<String>),
                    JSON(snsForDeploymentArn.ref),
                ]],
            "Environment": JSON(environment.ref),
            "TagKey": JSON(tagKey.ref),
            "TagValue": JSON(tagValue.ref),
        ]
        $0.tags = [
            CloudFormation.Stack.Tag(key: "environment", value: environment.ref),
            CloudFormation.Stack.Tag(key: tagKey.ref, value: tagValue.ref),
        ]
    })
    stack.add("Route53Resolver", CloudFormation.Stack(
        templateURL: .if(development, "https://s3-ap-northeast-1.amazonaws.com/eijikominami-test/aws-cloudformation-templates/network/route53resolver.yaml", else: "https://s3-ap-northeast-1.amazonaws.com/eijikominami/aws-cloudformation-templates/network/route53resolver.yaml"),
    ) {
        $0.notificationARNs = [
            .if(createSNSForDeployment, snsForDeployment.attribute("Outputs.SNSTopicArn"), else: snsForDeploymentArn.ref),
        ]
        $0.parameters = [
            "AlarmLevel": JSON(alarmLevel.ref),
            "DnsIpAz1": JSON(dnsIpAz1.ref),
            "DnsIpAz2": JSON(dnsIpAz2.ref),
            "DnsIpAz3": JSON(dnsIpAz3.ref),
            "LogicalName": "Route53Resolver",
            "OnpremDnsIp": JSON(onpremDnsIp.ref),
            "DomainName": JSON(domainName.ref),
            "PrincipalsToAssociateWithRoute53ResolverRule": JSON("arn:aws:organizations::\(managementAccountId):organization/\(organizationId)" as Value<String>),
            "SubnetPrivateCidrBlockForAz1": JSON(privateCidrBlockForDNSAz1.ref),
            "SubnetPrivateCidrBlockForAz2": JSON(privateCidrBlockForDNSAz2.ref),
            "SubnetPrivateCidrBlockForAz3": JSON(privateCidrBlockForDNSAz3.ref),
            "SubnetTransitCidrBlockForAz1": JSON(transitCidrBlockForDNSAz1.ref),
            "SubnetTransitCidrBlockForAz2": JSON(transitCidrBlockForDNSAz2.ref),
            "SubnetTransitCidrBlockForAz3": JSON(transitCidrBlockForDNSAz3.ref),
            "TransitGatewayId": JSON(transitGateway.attribute("Outputs.TransitGatewayId") as Value<String>),
            "VPCCidrBlock": JSON(vpcCidrBlockForDNS.ref),
            "SNSForAlertArn": ["Fn::If": [
                    "CreateSNSForAlert",
                    JSON(snsForAlert.attribute("Outputs.SNSTopicArn") as Value<String>),
                    JSON(snsForAlertArn.ref),
                ]],
            "SNSForDeploymentArn": ["Fn::If": [
                    "CreateSNSForDeployment",
                    JSON(snsForDeployment.attribute("Outputs.SNSTopicArn") as Value<String>),
                    JSON(snsForDeploymentArn.ref),
                ]],
            "Environment": JSON(environment.ref),
            "TagKey": JSON(tagKey.ref),
            "TagValue": JSON(tagValue.ref),
        ]
        $0.tags = [
            CloudFormation.Stack.Tag(key: "environment", value: environment.ref),
            CloudFormation.Stack.Tag(key: tagKey.ref, value: tagValue.ref),
        ]
    }, condition: createRoute53Resolver)
    stack.add("VPN", CloudFormation.Stack(
        templateURL: .if(development, "https://s3-ap-northeast-1.amazonaws.com/eijikominami-test/aws-cloudformation-templates/network/vpn.yaml", else: "https://s3-ap-northeast-1.amazonaws.com/eijikominami/aws-cloudformation-templates/network/vpn.yaml"),
    ) {
        $0.notificationARNs = [
            .if(createSNSForDeployment, snsForDeployment.attribute("Outputs.SNSTopicArn"), else: snsForDeploymentArn.ref),
        ]
        $0.parameters = [
            "CustomerGatewayOutsideIpAddress": JSON(customerGatewayOutsideIpAddress.ref),
            "TransitGatewayId": JSON(transitGateway.attribute("Outputs.TransitGatewayId") as Value<String>),
            "SNSForAlertArn": ["Fn::If": [
                    "CreateSNSForAlert",
                    JSON(snsForAlert.attribute("Outputs.SNSTopicArn") as Value<String>),
                    JSON(snsForAlertArn.ref),
                ]],
            "SNSForDeploymentArn": ["Fn::If": [
                    "CreateSNSForDeployment",
                    JSON(snsForDeployment.attribute("Outputs.SNSTopicArn") as Value<String>),
                    JSON(snsForDeploymentArn.ref),
                ]],
            "Environment": JSON(environment.ref),
            "LogicalName": JSON(Pseudo.stackName),
            "TagKey": JSON(tagKey.ref),
            "TagValue": JSON(tagValue.ref),
        ]
        $0.tags = [
            CloudFormation.Stack.Tag(key: "environment", value: environment.ref),
            CloudFormation.Stack.Tag(key: tagKey.ref, value: tagValue.ref),
        ]
    }, condition: createVPN)

    // Outputs
    stack.output("TransitGatewayId", transitGateway.attribute("Outputs.TransitGatewayId") as Value<String>, description: "Transit Gateway Id")
    return stack
}
