import FormworkSchema
import FormworkTemplate

/// TG-01: every taggable resource carries the house tags.
struct RequiredTags: Rule {
    static let description = RuleDescription(
        id: "TG-01", name: "required-tags", family: "tagging", severity: .error,
        rationale: "Costs, ownership and clean-up are found by tags. Every resource whose registry schema says it is taggable carries the profile's tags (Environment = Ref EnvironmentSuffix at least); types that cannot be tagged are exempt, from the same schema.",
        cfnLint: [],
        triggering: [
            "Resources:\n  ↓Topic:\n    Type: AWS::SNS::Topic\n",
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags:\n        - Key: Environment\n          Value: ↓dev-1\n",
        ],
        nonTriggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags:\n        - Key: Environment\n          Value: !Ref EnvironmentSuffix\n",
            "Resources:\n  Permission:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: f\n      Principal: events.amazonaws.com\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources {
            guard let type = resource.type, let summary = context.registry.summary(for: type), summary.taggable,
                  let pointer = summary.tagProperty, pointer.hasPrefix("/properties/") else { continue }
            let property = String(pointer.dropFirst("/properties/".count))
            let path = Places.resourcePath(resource, .key("Properties"), .key(property))
            let value = resource.properties?[property]
            let tags = Self.tags(value)
            for (key, required) in context.configuration.requiredTags {
                guard let found = tags[key] else {
                    context.report("\(resource.logicalID) has no \(key) tag", at: value?.location ?? resource.keyLocation, path: path,
                                   hint: "add Tags: [{Key: \(key), Value: ...}]")
                    continue
                }
                if let required, found != required {
                    context.report("\(resource.logicalID)'s \(key) tag must be \(Self.show(required))", at: found.location.isKnown ? found.location : resource.keyLocation, path: path)
                }
            }
        }
    }

    /// Tags written as a list of {Key, Value} or as a map (some types).
    static func tags(_ value: Value?) -> [String: Value] {
        guard let value else { return [:] }
        var result: [String: Value] = [:]
        if let items = value.arrayValue {
            for item in items {
                if let key = item["Key"]?.stringValue, let tagValue = item["Value"] { result[key] = tagValue }
            }
        } else if let map = value.objectValue {
            for entry in map.entries { result[entry.key] = entry.value }
        }
        return result
    }

    static func show(_ value: Value) -> String {
        if let function = value.intrinsicValue, function.name == "Ref" { return "!Ref \(function.argument.stringValue ?? "?")" }
        return value.stringValue ?? "the profile's value"
    }
}

/// TG-03: database snapshots keep the tags.
struct CopyTagsToSnapshot: Rule {
    static let description = RuleDescription(
        id: "TG-03", name: "copy-tags-to-snapshot", family: "tagging", severity: .info,
        rationale: "Snapshots without the instance's tags escape cost reports and clean-up.",
        triggering: [
            "Resources:\n  ↓Primary:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n    Properties:\n      CopyTagsToSnapshot: true\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.isStandaloneDatabase || resource.type == "AWS::RDS::DBCluster" {
            let value = resource.properties?["CopyTagsToSnapshot"]
            if value == nil || !(value!.isTrue) {
                context.report("\(resource.logicalID) does not copy its tags to snapshots", at: value?.location ?? resource.keyLocation,
                               path: Places.resourcePath(resource, .key("Properties"), .key("CopyTagsToSnapshot")), hint: "CopyTagsToSnapshot: true")
            }
        }
    }
}
