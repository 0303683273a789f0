import FormworkRuleKit
import FormworkTemplate

/// ST-43: an output's Value is something.
struct OutputValues: Rule {
    static let description = RuleDescription(
        id: "ST-43", name: "output-values", family: .structure, severity: .error,
        rationale: "An output's Value is what the stack reports: written as null (`Value:` with nothing after it), or as an empty list or mapping, it is no value, and CloudFormation refuses the template (a missing Value is ST-18's). Each branch of an Fn::If is judged the same way. An empty string is a value: `!If [HasZone, !Ref Zone, '']` is a common way to report nothing, and it deploys.",
        acrossResources: true,
        cfnLint: ["E6002", "E6101"],
        triggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  Nothing:\n    ↓Value:\n  Blank:\n    Value: ↓[]\n  Either:\n    Value: !If [Never, ↓{}, !Ref Topic]\nConditions:\n  Never: !Equals [a, b]\n",
        ],
        nonTriggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  TopicArn:\n    Value: !Ref Topic\n  Zero:\n    Value: 0\n  Maybe:\n    Value: !If [Never, !Ref Topic, '']\nConditions:\n  Never: !Equals [a, b]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for entry in template.outputs?.entries ?? [] {
            guard let body = entry.value.objectValue, let value = body.entry("Value") else { continue }
            judge(value.value, [.key("Outputs"), .key(entry.key), .key("Value")], name: entry.key, keyLocation: value.keyLocation, context)
        }
    }

    func judge(_ value: Node, _ path: [PathComponent], name: String, keyLocation: Location, _ context: RuleContext) {
        let problem: String?
        switch value.kind {
        case .null: problem = "is null"
        case .array(let items) where items.isEmpty: problem = "is an empty list"
        case .object(let map) where map.isEmpty: problem = "is an empty mapping"
        case .intrinsic(let function) where function.name == .if:
            if let parts = function.argument.arrayValue, parts.count == 3 {
                for index in 1...2 { judge(parts[index], path + [.key("Fn::If"), .index(index)], name: name, keyLocation: keyLocation, context) }
            }
            problem = nil
        default: problem = nil
        }
        guard let problem else { return }
        var empty = false
        if case .null = value.kind { empty = true }
        let place = (empty && keyLocation.isKnown) || !value.location.isKnown ? keyLocation : value.location
        context.report("the Value of the output \(name) \(problem): an output needs a value", at: place, path: path)
    }
}
