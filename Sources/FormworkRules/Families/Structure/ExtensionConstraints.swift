import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// ST-23: the constraints cfn-lint keeps as JSON schemas beside the registry, evaluated from
/// the embedded data (`ExtensionConstraints`, generated from the pinned cfn-lint).
struct ExtensionConstraintRules: Rule {
    static let description = RuleDescription(
        id: "ST-23", name: "service-constraints", family: .structure, severity: .error,
        rationale: "The registry schemas leave out constraints the services enforce at deployment: a bucket with an ACL other than private needs OwnershipControls (ACLs are off by default), an HTTPS or TLS listener needs certificates, a DB instance's engine must be one RDS has and its version one the engine offers, a Fargate task needs compatible CPU and memory, and dozens more. cfn-lint keeps them as JSON schemas; Formwork embeds the same data (generated from cfn-lint 1.51.0 by `make models`) and evaluates it, so the two agree. A value CloudFormation computes (Ref, GetAtt, Fn::If) is not judged. A finding names the cfn-lint rule whose constraint it is; cfn-lint's warning and informational constraints keep their level.",
        cfnLint: ["E3029", "E3042", "E3044", "E3045", "E3046", "E3047", "E3048", "E3501", "E3615", "E3633", "E3634", "E3636", "E3638", "E3639", "E3652", "E3660", "E3661", "E3671", "E3674", "E3676", "E3677", "E3678", "E3679", "E3680", "E3681", "E3683", "E3684", "E3685", "E3686", "E3687", "E3688", "E3689", "E3690", "E3691", "E3692", "E3693", "E3695", "E3696", "E3704", "E3715", "E3718", "E3719", "E3720", "E3721", "I3013", "W3687", "W3688", "W3689", "W3690", "W3691", "W3693", "W3694", "W3702", "W3703"],
        triggering: [
            "Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      ↓AccessControl: LogDeliveryWrite\n  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      ↓LoadBalancerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/a/1\n      Port: 443\n      Protocol: HTTPS\n      DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '200'}}]\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: db.t3.micro\n      Engine: ↓aurora\n",
        ],
        nonTriggering: [
            "Parameters:\n  Protocol:\n    Type: String\nResources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: LogDeliveryWrite\n      OwnershipControls: {Rules: [{ObjectOwnership: ObjectWriter}]}\n  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/a/1\n      Port: 443\n      Protocol: !Ref Protocol\n      DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '200'}}]\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: db.t3.micro\n      Engine: PostgreS\n      BackupRetentionPeriod: 7\n",
        ])

    /// Constraints another rule judges, with a message of its own: the same finding again
    /// in JSON-Schema words would only repeat it (E3682, an Aurora member's own storage and
    /// credentials: RDS-21).
    static let judgedElsewhere: Set<String> = ["E3682"]

    /// At most this many conditions are combined for one resource's properties (2^6 variants).
    static let maximumConditions = 6

    func check(_ template: Template, _ context: RuleContext) {
        let conditions = template.conditions ?? ObjectMap()
        for resource in template.resources {
            guard let type = resource.type, var written = resource.body["Properties"], written.objectValue != nil else { continue }
            // RDS takes engine names in any case (as cfn-lint, which lowers them before judging).
            if type.hasPrefix("AWS::RDS::"), var map = written.objectValue, let engine = map["Engine"], case .string(let name) = engine.kind {
                map["Engine"] = Node(.string(name.lowercased()), at: engine.location)
                written = Node(.object(map), at: written.location)
            }
            let constraints = context.registry.extensionConstraints.constraints(for: type)
            guard !constraints.isEmpty else { continue }
            let base: [PathComponent] = [.key("Resources"), .key(resource.logicalID), .key("Properties")]
            // Each combination of the conditions the properties' Fn::If use, with AWS::NoValue
            // as absent: CloudFormation deploys one of them.
            let variants: [Node]
            let used = Set(ConditionScenarios.names(in: written))
            if !used.isEmpty, let (_, truths) = ConditionScenarios.assignments(used, conditions, maximum: Self.maximumConditions) {
                variants = truths.map { ConditionScenarios.resolved(written, $0) }
            } else {
                variants = [written]
            }
            for constraint in constraints where !Self.judgedElsewhere.contains(constraint.cfnLintID) {
                let severity: Severity = constraint.cfnLintID.hasPrefix("E") ? .error : constraint.cfnLintID.hasPrefix("W") ? .warning : .info
                for properties in variants {
                    for (value, path) in Self.values(at: constraint.path[...], in: properties, path: base) {
                        for violation in constraint.violations(value) {
                            let place = value.value(at: violation.path) ?? value
                            context.report("\(violation.message) (cfn-lint \(constraint.cfnLintID))", at: place.location, path: path + violation.path, severity: severity)
                        }
                    }
                }
            }
        }
    }

    /// The values a constraint's path names (`*`: every item of a list).
    static func values(at steps: ArraySlice<String>, in value: Node, path: [PathComponent]) -> [(Node, [PathComponent])] {
        guard let step = steps.first else { return [(value, path)] }
        if step == "*" {
            return (value.arrayValue ?? []).enumerated().flatMap { values(at: steps.dropFirst(), in: $0.element, path: path + [.index($0.offset)]) }
        }
        guard let child = value.objectValue?[step] else { return [] }
        return values(at: steps.dropFirst(), in: child, path: path + [.key(step)])
    }
}
