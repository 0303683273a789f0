import FormworkRuleKit
import FormworkTemplate

/// ST-56: the template keeps within CloudFormation's quotas on sizes, counts and names.
struct TemplateLimits: Rule {
    static let description = RuleDescription(
        id: "ST-56", name: "template-limits", family: .structure, severity: .error,
        rationale: "CloudFormation refuses a template over its quotas (the User Guide's \"CloudFormation quotas\"): a body over 1,000,000 bytes (from S3), a Description over 1,024 characters, more than 200 parameters, 500 resources, 200 outputs or 200 mappings (and 200 attributes in one mapping), and a logical id or name over 255 characters. The stack fails to create before any resource exists; the fix is nested stacks or a shorter text.",
        acrossResources: true,
        cfnLint: ["E1002", "E1003", "E2010", "E2011", "E3010", "E3011", "E6010", "E6011", "E7002", "E7010"],
        triggering: [
            "Description: ↓" + letters(1025) + "\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n",
        ],
        nonTriggering: [
            "Description: " + letters(1024) + "\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n",
        ])

    /// `count` x's, made as bytes: `String(repeating:count:)` appends one at a time, and the
    /// examples are made whenever the rules are listed (every lint).
    private static func letters(_ count: Int) -> String {
        String(decoding: [UInt8](repeating: UInt8(ascii: "x"), count: count), as: UTF8.self)
    }

    /// The quotas, as cfn-lint 1.51.0 and the User Guide give them.
    static let bodyBytes = 1_000_000
    static let descriptionCharacters = 1024
    static let nameCharacters = 255
    static let counts: [(section: String, maximum: Int)] = [("Parameters", 200), ("Resources", 500), ("Outputs", 200), ("Mappings", 200)]
    static let mappingAttributes = 200

    func check(_ template: Template, _ context: RuleContext) {
        if let bytes = template.source?.count, bytes > Self.bodyBytes {
            context.report("the template is \(bytes) bytes: CloudFormation takes at most \(Self.bodyBytes)", at: template.location, path: [],
                           hint: "move parts into nested stacks (AWS::CloudFormation::Stack)")
        }
        if let description = template.root["Description"], let text = description.stringValue, text.count > Self.descriptionCharacters {
            context.report("the Description has \(text.count) characters: CloudFormation takes at most \(Self.descriptionCharacters)",
                           at: description.location, path: [.key("Description")])
        }
        for (section, maximum) in Self.counts {
            guard let entry = template.root.entry(section), let map = entry.value.objectValue else { continue }
            if map.count > maximum {
                context.report("\(section) has \(map.count) entries: CloudFormation takes at most \(maximum)", at: entry.keyLocation, path: [.key(section)],
                               hint: "move parts into nested stacks (AWS::CloudFormation::Stack)")
            }
            for item in map.entries where item.key.count > Self.nameCharacters {
                context.report("the name in \(section) is \(item.key.count) characters long: CloudFormation takes at most \(Self.nameCharacters)",
                               at: item.keyLocation, path: [.key(section), .key(item.key)])
            }
            guard section == "Mappings" else { continue }
            for mapping in map.entries {
                for (key, value) in (mapping.value.objectValue?.entries ?? []).map({ ($0.key, $0.value) }) {
                    if key.count > Self.nameCharacters {
                        context.report("the key \(String(key.prefix(20)))... of \(mapping.key) is \(key.count) characters long: CloudFormation takes at most \(Self.nameCharacters)",
                                       at: value.location, path: [.key(section), .key(mapping.key), .key(key)])
                    }
                    if let attributes = value.objectValue, attributes.count > Self.mappingAttributes {
                        context.report("\(mapping.key).\(key) has \(attributes.count) attributes: CloudFormation takes at most \(Self.mappingAttributes)",
                                       at: value.location, path: [.key(section), .key(mapping.key), .key(key)])
                    }
                }
            }
        }
    }
}

/// ST-57: the parameter console's metadata (`AWS::CloudFormation::Interface`) has its shape
/// and names the template's parameters.
struct InterfaceMetadata: Rule {
    static let description = RuleDescription(
        id: "ST-57", name: "interface-metadata", family: .structure, severity: .error,
        rationale: "The console groups and labels parameters from the `AWS::CloudFormation::Interface` metadata: `ParameterGroups` (a list of `{Label: {default: TEXT}, Parameters: [NAMES]}`) and `ParameterLabels` (`{NAME: {default: TEXT}}`). Another key (`Default` for `default`, a parameter's own `MinLength` copied in) is ignored silently, and a name that is not a parameter labels nothing: both are mistakes the console does not show. A wrong shape is an error, a name that is not a parameter a warning (as cfn-lint's E4001 and W4001), and so is a label written as text (`Label: Network`): it deploys, and the console shows no label.",
        acrossResources: true,
        cfnLint: ["E4001", "W4001"],
        triggering: [
            "Parameters:\n  Bucket:\n    Type: String\nMetadata:\n  AWS::CloudFormation::Interface:\n    ParameterGroups:\n      - Label: {default: Storage}\n        Parameters: [Bucket, ↓Buckets]\n    ParameterLabels:\n      Bucket:\n        ↓Default: The bucket\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n",
        ],
        nonTriggering: [
            "Parameters:\n  Bucket:\n    Type: String\nMetadata:\n  AWS::CloudFormation::Interface:\n    ParameterGroups:\n      - Label: {default: Storage}\n        Parameters: [Bucket]\n    ParameterLabels:\n      Bucket:\n        default: The bucket\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        guard let interface = template.metadata?.entry("AWS::CloudFormation::Interface") else { return }
        let base: [PathComponent] = [.key("Metadata"), .key("AWS::CloudFormation::Interface")]
        let parameters = Set(template.parameters?.keys ?? [])
        guard let map = interface.value.objectValue else {
            if interface.value.intrinsicValue == nil {
                context.report("AWS::CloudFormation::Interface is a mapping of ParameterGroups and ParameterLabels", at: interface.value.location, path: base)
            }
            return
        }
        for entry in map.entries {
            let path = base + [.key(entry.key)]
            switch entry.key {
            case "ParameterGroups":
                guard let groups = entry.value.arrayValue else {
                    context.report("ParameterGroups is a list of {Label, Parameters}", at: entry.value.location, path: path)
                    continue
                }
                for (index, group) in groups.enumerated() {
                    guard let fields = group.objectValue else {
                        context.report("a parameter group is a mapping {Label, Parameters}", at: group.location, path: path + [.index(index)])
                        continue
                    }
                    for field in fields.entries {
                        let fieldPath = path + [.index(index), .key(field.key)]
                        switch field.key {
                        case "Label": checkLabel(field.value, path: fieldPath, context)
                        case "Parameters":
                            guard let names = field.value.arrayValue else {
                                context.report("Parameters is a list of parameter names", at: field.value.location, path: fieldPath)
                                continue
                            }
                            for (position, name) in names.enumerated() {
                                guard let text = name.stringValue else {
                                    context.report("a parameter group names parameters by their names", at: name.location, path: fieldPath + [.index(position)])
                                    continue
                                }
                                if !parameters.contains(text) {
                                    context.report("the parameter group names \(text), which is not a parameter of the template", at: name.location, path: fieldPath + [.index(position)], severity: .warning)
                                }
                            }
                        default:
                            context.report("a parameter group has Label and Parameters, not \(field.key)", at: field.keyLocation, path: fieldPath)
                        }
                    }
                }
            case "ParameterLabels":
                guard let labels = entry.value.objectValue else {
                    context.report("ParameterLabels maps parameter names to {default: TEXT}", at: entry.value.location, path: path)
                    continue
                }
                for label in labels.entries {
                    if !parameters.contains(label.key) {
                        context.report("ParameterLabels labels \(label.key), which is not a parameter of the template", at: label.keyLocation, path: path + [.key(label.key)], severity: .warning)
                    }
                    checkLabel(label.value, path: path + [.key(label.key)], context)
                }
            default:
                context.report("AWS::CloudFormation::Interface has ParameterGroups and ParameterLabels, not \(entry.key)", at: entry.keyLocation, path: path)
            }
        }
    }

    /// A label is `{default: TEXT}`.
    private func checkLabel(_ value: Node, path: [PathComponent], _ context: RuleContext) {
        guard let fields = value.objectValue else {
            // A text label (`Label: Network`) deploys, and cfn-lint's schema lets it pass
            // (AWS's own sample templates write it): the console just shows no label.
            let isText = value.scalarText != nil && value.intrinsicValue == nil
            context.report("a label is a mapping {default: TEXT}\(isText ? ": the console shows no label written as text" : "")", at: value.location, path: path,
                           severity: isText ? .warning : nil)
            return
        }
        for field in fields.entries {
            if field.key != "default" {
                context.report("a label has one key, default (lower case), not \(field.key)", at: field.keyLocation, path: path + [.key(field.key)],
                               hint: field.key.lowercased() == "default" ? "write default:" : nil)
            } else if field.value.stringValue == nil, field.value.scalarText == nil {
                context.report("a label's default is text", at: field.value.location, path: path + [.key(field.key)])
            }
        }
    }
}
