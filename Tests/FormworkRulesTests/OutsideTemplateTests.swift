import FormworkRuleKit
@testable import FormworkRules
import FormworkTemplate
import Testing

/// Faults that templates written outside the project showed (AWS's sample templates, quick
/// starts, serverless patterns), each reproduced by a small template of its own.
@Suite struct OutsideTemplateTests {
    static func structural(_ text: String) throws -> [Diagnostic] {
        try LintFixtures.lint(text, profile: "structural")
    }

    /// serverless-patterns' apigw-mappingtemplate-lambda-nodejs writes `OpenApiVersion` beside
    /// an Api's Type: the SAM transform drops it and the template deploys, so a warning; the
    /// same key beside a CloudFormation resource's Type is still an error.
    @Test func aKeyTheSAMTransformDropsIsAWarning() throws {
        let findings = try Self.structural("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Api:
                Type: AWS::Serverless::Api
                OpenApiVersion: '2.0'
                Properties:
                  StageName: prod
              Topic:
                Type: AWS::SNS::Topic
                OpenApiVersion: '2.0'
            """).filter { $0.ruleID == "ST-02" }
        #expect(findings.map(\.location.line) == [5, 10])
        #expect(findings.map(\.severity) == [.warning, .error])
    }

    /// aws-cloudformation-templates' directory-service solutions write a parameter group's
    /// label as text: it deploys and cfn-lint lets it pass, so it is a warning, not an error;
    /// a list is still an error.
    @Test func aLabelWrittenAsTextIsAWarning() throws {
        let findings = try Self.structural("""
            Parameters:
              Vpc:
                Type: String
            Metadata:
              AWS::CloudFormation::Interface:
                ParameterGroups:
                  - Label: Network Configuration
                    Parameters: [Vpc]
                ParameterLabels:
                  Vpc: [VPC]
            Resources:
              Queue:
                Type: AWS::SQS::Queue
            """).filter { $0.ruleID == "ST-57" }
        #expect(findings.map(\.location.line) == [7, 10])
        #expect(findings.map(\.severity) == [.warning, .error])
    }

    /// `Fn::Rain::Embed` (which the rain tool expands before deploying) is no CloudFormation
    /// function: the template is refused, and the lint said nothing.
    @Test func aFunctionCloudFormationDoesNotDefineIsAnError() throws {
        let findings = try Self.structural("""
            Transform: AWS::LanguageExtensions
            Resources:
              Function:
                Type: AWS::Lambda::Function
                Properties:
                  Role: arn:aws:iam::111111111111:role/app
                  Runtime: python3.12
                  Handler: index.handler
                  Code:
                    ZipFile: !Rain::Embed handler.py
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName:
                    Fn::Joins: ['-', [a, b]]
            Outputs:
              Name:
                Value: !Length [a, b]
            """).filter { $0.ruleID == "ST-19" }
        #expect(findings.map(\.location.line) == [10, 15])
        #expect(findings.map(\.location.column) == [18, 9])
        #expect(findings.first?.message.hasPrefix("Fn::Rain::Embed is not a function CloudFormation defines") == true)
    }

    /// cfn_nag's test templates: an ELBv2 load balancer with neither Subnets nor
    /// SubnetMappings (cfn-lint E3014); a Ref in the Rules section to no parameter, from
    /// rain's test templates (E1020); both passed.
    @Test func aLoadBalancerWithoutSubnetsAndARuleRefToNothingAreErrors() throws {
        let findings = try Self.structural("""
            Rules:
              TestOnly:
                RuleCondition: !Equals [!Ref Environment, test]
                Assertions:
                  - Assert: !Contains [[a1.medium], !Ref AWS::Region]
            Resources:
              Balancer:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties:
                  LoadBalancerAttributes:
                    - {Key: access_logs.s3.enabled, Value: 'false'}
            """)
        #expect(findings.filter { $0.ruleID == "ST-09" }.map(\.location.description) == ["3:29"])
        #expect(findings.filter { $0.ruleID == "ST-35" }.map(\.location.description) == ["9:5"])
        #expect(findings.first { $0.ruleID == "ST-35" }?.message == "one of Subnets, SubnetMappings is required here")
    }

    /// `!Base64` over a long-form `Fn::Sub:` on the next line (EC2 UserData, in rain's test
    /// templates and many others): the Sub is where its key is, not at the tag a line above.
    @Test func aLongFormFunctionUnderATagIsWhereItsKeyIs() throws {
        let findings = try Self.structural("""
            Resources:
              Server:
                Type: AWS::EC2::Instance
                Properties:
                  ImageId: ami-0123456789abcdef0
                  UserData: !Base64
                    Fn::Sub:
                      - |
                        echo hi
            """).filter { $0.ruleID == "ST-11" }
        #expect(findings.map(\.location.description) == ["7:9"])
    }

    /// widdix's static website: the ViewerCertificate's one source is chosen by conditions on
    /// a parameter whose AllowedValues each pick one, so no deployment has none; a fourth
    /// allowed value would deploy none.
    @Test(arguments: [("", 0), ("\n      - None", 1)])
    func aParameterChoosesOneSourceAmongItsAllowedValues(extra: String, findings: Int) throws {
        let text = """
            Parameters:
              CertificateType:
                Type: String
                AllowedValues:
                  - AcmCertificateArn
                  - IamCertificateId\(extra)
            Conditions:
              HasAcm: !Equals [!Ref CertificateType, AcmCertificateArn]
              HasIam: !Equals [!Ref CertificateType, IamCertificateId]
            Resources:
              Distribution:
                Type: AWS::CloudFront::Distribution
                Properties:
                  DistributionConfig:
                    Enabled: true
                    DefaultCacheBehavior: {TargetOriginId: o, ViewerProtocolPolicy: allow-all, CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6}
                    Origins: [{Id: o, DomainName: example.com, CustomOriginConfig: {OriginProtocolPolicy: https-only}}]
                    ViewerCertificate:
                      AcmCertificateArn: !If [HasAcm, arn:aws:acm:us-east-1:111111111111:certificate/x, !Ref AWS::NoValue]
                      IamCertificateId: !If [HasIam, ASCAEXAMPLE, !Ref AWS::NoValue]
                      SslSupportMethod: sni-only
            """
        #expect(try Self.structural(text).filter { $0.ruleID == "ST-35" }.count == findings)
    }

    /// A YAML merge key (`<<: *anchor`) is an ordinary key to CloudFormation: the finding says
    /// so, where it said only that `<<` is no property.
    @Test func aMergeKeyIsExplained() throws {
        let findings = try Self.structural("""
            Resources:
              First:
                Type: AWS::SQS::Queue
                Properties: &queue
                  DelaySeconds: 5
              Second:
                Type: AWS::SQS::Queue
                Properties:
                  <<: *queue
            """)
        let merge = try #require(findings.first { $0.ruleID == "ST-04" })
        #expect(merge.location.description == "9:7")
        #expect(merge.message.contains("CloudFormation does not merge YAML's `<<` keys"), "\(merge.message)")
    }

    /// A macro may define functions of its own: what it reads is not judged.
    @Test func functionsAMacroReadsAreNotJudged() throws {
        let ownTransform = try Self.structural("""
            Transform: Rain
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: {Fn::Rain::Embed: name.txt}
            """)
        #expect(!ownTransform.contains { $0.ruleID == "ST-19" })
        let include = try Self.structural("""
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName:
                    Fn::Transform:
                      Name: Upper
                      Parameters: {Text: {Fn::Custom: name}}
                  Tags:
                    - Key: loop
                      Value: !Select [0, !Split [',', 'a,b']]
            """)
        #expect(!include.contains { $0.ruleID == "ST-19" })
    }

    /// `{"Fn::GetAZs": null}` (AWS's JSON samples): the finding is at the null, not at the
    /// call's `{` on the line before.
    @Test func aGetAZsArgumentIsReportedWhereItIs() throws {
        let findings = try Self.structural("""
            {"Resources": {"Subnet": {"Type": "AWS::EC2::Subnet", "Properties": {
              "VpcId": "vpc-0123456789abcdef0", "CidrBlock": "10.0.0.0/24",
              "AvailabilityZone": {"Fn::Select": ["0", {
                "Fn::GetAZs": null
              }]}}}}}
            """).filter { $0.ruleID == "ST-19" }
        #expect(findings.map(\.message) == ["Fn::GetAZs takes a region name or ''"])
        #expect(findings.map(\.location.line) == [4])
        #expect(findings.map(\.location.column) == [19])
    }
}
