import FormworkRuleKit
import FormworkTemplate

/// ST-50: a logical id names one thing.
struct SharedLogicalIDs: Rule {
    static let description = RuleDescription(
        id: "ST-50", name: "shared-logical-ids", family: .structure, severity: .error,
        rationale: "Ref resolves a name among the parameters and the resources together: a resource with the logical id of a parameter makes `!Ref Name` ambiguous, and CloudFormation refuses the template.",
        cfnLint: ["E3007"],
        triggering: [
            "Parameters:\n  Name:\n    Type: String\nResources:\n  ↓Name:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref Name\n",
        ],
        nonTriggering: [
            "Parameters:\n  TopicName:\n    Type: String\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref TopicName\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        guard let parameters = template.parameters, !parameters.isEmpty else { return }
        for resource in template.resources where parameters[resource.logicalID] != nil {
            context.report("\(resource.logicalID) is both a parameter and a resource: a Ref to it is ambiguous", at: resource.keyLocation,
                           path: [.key("Resources"), .key(resource.logicalID)])
        }
    }
}

/// ST-51: an Auto Scaling group's size range is a range.
struct AutoScalingSizeRange: Rule {
    static let description = RuleDescription(
        id: "ST-51", name: "autoscaling-size-range", family: .structure, severity: .error,
        rationale: "An Auto Scaling group keeps between MinSize and MaxSize instances: a MaxSize below MinSize (as literals) is refused when the group is created or updated.",
        cfnLint: ["E3706"],
        triggering: [
            "Resources:\n  Workers:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n      MinSize: '4'\n      MaxSize: ↓'2'\n      LaunchTemplate: {LaunchTemplateId: lt-0123456789abcdef0, Version: '1'}\n      AvailabilityZones: [us-east-1a]\n",
        ],
        nonTriggering: [
            "Resources:\n  Workers:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n      MinSize: '2'\n      MaxSize: '4'\n      LaunchTemplate: {LaunchTemplateId: lt-0123456789abcdef0, Version: '1'}\n      AvailabilityZones: [us-east-1a]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for group in template.resources where group.type == "AWS::AutoScaling::AutoScalingGroup" {
            guard let minimum = group.properties?["MinSize"], let maximum = group.properties?["MaxSize"],
                  let low = minimum.numberValue ?? minimum.stringValue.flatMap(Double.init), let high = maximum.numberValue ?? maximum.stringValue.flatMap(Double.init),
                  high < low else { continue }
            context.report("\(group.logicalID)'s MaxSize \(maximum.scalarText ?? "") is below its MinSize \(minimum.scalarText ?? "")", at: maximum.location,
                           path: Places.resourcePath(group, .key("Properties"), .key("MaxSize")))
        }
    }
}
