import FormworkSchema
import FormworkRuleKit
import FormworkTemplate

/// ST-45: literals have the form the schema's `format` names.
struct ValueFormats: SchemaWalkRule {
    static let description = RuleDescription(
        id: "ST-45", name: "value-formats", family: .structure, severity: .error,
        rationale: "Where the schema names a format, a literal must have its form: a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`), a key id (a UUID, `mrk-...`, or `alias/NAME`) or an alias name (`alias/NAME`), so `aws/sns` without its `alias/` fails; an IAM role, ACM certificate, Lambda function or SNS topic ARN; a bucket, log group, function or security group name; a CIDR block that is a network (`192.168.1.0/24`, not `192.168.1.0/0`, whose address has bits beyond its prefix). The forms are cfn-lint 1.51.0's; a dynamic reference is resolved at deployment and not judged.",
        cfnLint: ["E1103", "E1153", "E1155", "E1156", "E1157", "E1158", "E1159", "E1160", "E1161", "E1162", "E1163", "E1164"],
        triggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: ↓aws/sns\n  Group:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n      VpcId: vpc-01234567\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: ↓192.168.1.0/0}\n",
        ],
        nonTriggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: alias/aws/sns\n  Group:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n      VpcId: vpc-01234567\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 192.168.1.0/24}\n        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIpv6: '2001:db8::/32'}\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      KmsMasterKeyId: '{{resolve:ssm:/keys/queue}}'\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        context.reportSchemaIssues([.valueFormat])
    }
}

/// ST-46: a Ref gives what the property takes.
struct RefFormats: SchemaWalkRule {
    static let description = RuleDescription(
        id: "ST-46", name: "ref-formats", family: .structure, severity: .error,
        rationale: "A Ref to a resource gives its primary identifier, which has a format of its own: a security group without VpcId gives its name, not the id a GroupId needs; a KMS key gives its key id, not the ARN a KmsKeyArn needs; a resource of another kind gives something else again. Where the schema names the property's format and the Ref'd resource gives another (or none), the deployment fails or points at the wrong thing; Fn::GetAtt with the attribute that has the format is the fix. Parameters are the deployer's and are not judged.",
        cfnLint: ["E1041"],
        triggering: [
            "Resources:\n  Group:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n  Ingress:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: ↓!Ref Group\n      IpProtocol: tcp\n      FromPort: 443\n      ToPort: 443\n      CidrIp: 10.0.0.0/8\n  Key:\n    Type: AWS::KMS::Key\n  Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: arn:aws:iam::111111111111:role/app\n      Code: {ZipFile: x}\n      Runtime: python3.12\n      Handler: index.handler\n      KmsKeyArn: ↓!Ref Key\n",
        ],
        nonTriggering: [
            "Resources:\n  Group:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n      VpcId: vpc-01234567\n  Ingress:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: !Ref Group\n      IpProtocol: tcp\n      FromPort: 443\n      ToPort: 443\n      CidrIp: 10.0.0.0/8\n  Key:\n    Type: AWS::KMS::Key\n  Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: arn:aws:iam::111111111111:role/app\n      Code: {ZipFile: x}\n      Runtime: python3.12\n      Handler: index.handler\n      KmsKeyArn: !GetAtt Key.Arn\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        context.reportSchemaIssues([.refFormat])
    }
}

/// ST-47: a property comes with those it depends on.
struct DependentProperties: SchemaWalkRule {
    static let description = RuleDescription(
        id: "ST-47", name: "dependent-properties", family: .structure, severity: .error,
        rationale: "Some properties need others beside them (the schema's dependentRequired): a security group's SecurityGroupEgress needs its VpcId (EC2-Classic groups, without a VPC, have no egress rules); a CloudFront ViewerCertificate's AcmCertificateArn needs SslSupportMethod; a custom error response's ResponseCode needs ResponsePagePath; an IPAM pool needs its netmask length. Without them the resource is refused.",
        cfnLint: ["E3021"],
        triggering: [
            "Resources:\n  Group:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      ↓GroupDescription: web\n      SecurityGroupEgress:\n        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}\n",
        ],
        nonTriggering: [
            "Resources:\n  Group:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n      VpcId: vpc-01234567\n      SecurityGroupEgress:\n        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        context.reportSchemaIssues([.dependency])
    }
}
