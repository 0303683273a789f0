import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// TG-01: every taggable resource carries the house tags.
struct RequiredTags: Rule {
    static let description = RuleDescription(
        id: "TG-01", name: "required-tags", family: .tagging, severity: .error,
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
            if context.isCounting {
                // Past the report's cap: how many, without a message each.
                let wrong = context.configuration.tagging.requiredTags.count { key, required in
                    guard let found = tags[key] else { return true }
                    return required.map { found != $0 } ?? false
                }
                context.count(wrong, path: path)
                continue
            }
            for (key, required) in context.configuration.tagging.requiredTags {
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
    static func tags(_ value: Node?) -> [String: Node] {
        guard let value else { return [:] }
        var result: [String: Node] = [:]
        if let items = value.arrayValue {
            for item in items {
                if let key = item["Key"]?.stringValue, let tagValue = item["Value"] { result[key] = tagValue }
            }
        } else if let map = value.objectValue {
            for entry in map.entries { result[entry.key] = entry.value }
        }
        return result
    }

    static func show(_ value: Node) -> String {
        if let function = value.intrinsicValue, function.name == .ref { return "!Ref \(function.argument.stringValue ?? "?")" }
        return value.stringValue ?? "the profile's value"
    }
}

/// TG-02: the schema decides what can be tagged; tags written on anything else do nothing.
struct UntaggableTypes: Rule {
    static let description = RuleDescription(
        id: "TG-02", name: "untaggable-types", family: .tagging, severity: .info,
        rationale: "TG-01 exempts the types whose registry schema says they cannot be tagged and that have no Tags property (KMS::Alias, CloudWatch::Dashboard, S3::BucketPolicy, Lambda::Permission, SNS::Subscription, routes and associations), from the schema, not a hand list. Tags written on such a type are not applied (and the property is rejected where the schema has none): whoever wrote them expected cost or ownership reports that will never show the resource.",
        cfnLint: ["E3002"],
        triggering: [
            "Resources:\n  Alias:\n    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: alias/db\n      TargetKeyId: key\n      Tags: ↓[{Key: Environment, Value: dev}]\n",
        ],
        nonTriggering: [
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      Tags: [{Key: Environment, Value: dev}]\n",
            // No tagging block in the schema, but a Tags property: taggable.
            "Resources:\n  Build:\n    Type: AWS::CodeBuild::Project\n    Properties:\n      Tags: [{Key: Environment, Value: dev}]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources {
            guard let type = resource.type, let summary = context.registry.summary(for: type), !summary.taggable,
                  let tags = resource.properties?["Tags"] else { continue }
            context.report("\(resource.logicalID): \(type) cannot be tagged (registry schema); these tags are not applied", at: tags.location,
                           path: Places.resourcePath(resource, .key("Properties"), .key("Tags")), hint: "tag the resource this one belongs to")
        }
    }
}

/// TG-03: database snapshots keep the tags.
struct CopyTagsToSnapshot: Rule {
    static let description = RuleDescription(
        id: "TG-03", name: "copy-tags-to-snapshot", family: .tagging, severity: .info,
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
