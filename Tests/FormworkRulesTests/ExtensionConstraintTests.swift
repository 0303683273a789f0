import FormworkRules
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate
import Testing

/// ST-23 evaluates cfn-lint's extension schemas from the embedded data.
@Suite struct ExtensionConstraintTests {
    @Test func theRuleDeclaresEveryConstraintItEvaluates() throws {
        let rule = try #require(RuleRegistry.rule("ST-23")?.description)
        // Those another rule judges (RDS-21 for E3682) are that rule's.
        #expect(Set(rule.cfnLint) == SchemaRegistry.shared.extensionConstraints.allCfnLintIDs.subtracting(["E3682"]))
        #expect(RuleRegistry.rule("RDS-21")?.description.cfnLint.contains("E3682") == true)
        #expect(rule.cfnLint.count >= 50)
    }

    @Test func unknownValuesAreNotJudgedAndConditionsAreCombined() throws {
        // An HTTPS listener whose certificates exist under one condition only: the other
        // combination deploys an HTTPS listener without certificates.
        let text = """
        Parameters:
          Secure: {Type: String, AllowedValues: ['yes', 'no']}
          Protocol: {Type: String}
        Conditions:
          WithCertificate: !Equals [!Ref Secure, 'yes']
        Resources:
          Listener:
            Type: AWS::ElasticLoadBalancingV2::Listener
            Properties:
              Certificates: !If [WithCertificate, [{CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/a}], !Ref AWS::NoValue]
              DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '200'}}]
              LoadBalancerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/a/1
              Port: 443
              Protocol: HTTPS
          Computed:
            Type: AWS::ElasticLoadBalancingV2::Listener
            Properties:
              DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '200'}}]
              LoadBalancerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/a/1
              Port: 443
              Protocol: !Ref Protocol
        """
        let template = try #require(TemplateReader.read(Array(text.utf8), file: "t.yaml").template)
        let findings = Linter(registry: .shared).lint(template, file: "t.yaml", configuration: .structural).filter { $0.ruleID == "ST-23" }
        #expect(findings.count == 1)
        #expect(findings.first?.message == "'Certificates' is a required property (cfn-lint E3676)")
        #expect(findings.first?.path == [.key("Resources"), .key("Listener"), .key("Properties")])
    }

    @Test func theEvaluatorsKeywords() throws {
        func schema(_ text: String) -> Node { TemplateReader.readData(Array(text.utf8), file: "s.json")! }
        func value(_ text: String) -> Node { TemplateReader.readData(Array(text.utf8), file: "v.yaml")! }
        let conditional = schema(#"{"if": {"properties": {"A": {"const": "x"}}, "required": ["A"]}, "then": {"required": ["B"]}, "else": {"not": {"required": ["B"]}}}"#)
        #expect(ConstraintEvaluator.violations(conditional, value("{A: x}")).map(\.message) == ["'B' is a required property"])
        #expect(ConstraintEvaluator.violations(conditional, value("{A: x, B: 1}")).isEmpty)
        #expect(ConstraintEvaluator.violations(conditional, value("{A: y, B: 1}")).count == 1)
        #expect(ConstraintEvaluator.violations(conditional, value("{A: !Ref P, B: 1}")).isEmpty)
        let numbers = schema(#"{"properties": {"N": {"minimum": 1, "maximum": 10, "multipleOf": 2}, "L": {"minItems": 2, "items": {"enum": ["a", "b"]}}}}"#)
        #expect(ConstraintEvaluator.violations(numbers, value("{N: '4', L: [a, b]}")).isEmpty)
        #expect(ConstraintEvaluator.violations(numbers, value("{N: 11, L: [c]}")).count == 4)
    }
}
