import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// ST-01: the template's top level: known sections, of the right shape.
struct TemplateStructure: Rule {
    static let sections: Set<String> = ["AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Mappings", "Conditions",
                                        "Transform", "Resources", "Outputs", "Rules", "Hooks"]
    static let objectSections = ["Metadata", "Parameters", "Mappings", "Conditions", "Resources", "Outputs", "Rules", "Hooks"]

    static let description = RuleDescription(
        id: "ST-01", name: "template-structure", family: .structure, severity: .error,
        rationale: "CloudFormation rejects a template with a section it does not know (a misspelt `Parameter` is not read as Parameters), without Resources, with a section of the wrong shape, or with a format version other than 2010-09-09; a condition written as null is no condition; a Transform is a name, a list of names, or `{Name, Parameters}`; a mapping's name and its attribute names (third level) are alphanumeric.",
        acrossResources: true,
        cfnLint: ["E1001", "E1005", "E7001"],
        triggering: [
            "AWSTemplateFormatVersion: ↓'2010-09-10'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n↓Parameter:\n  Name:\n    Type: String\n",
            "↓Description: no resources\n",
            "Conditions: ↓[]\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
            "Transform: AWS::LanguageExtensions\n↓Resources:\n",
        ],
        nonTriggering: [
            "AWSTemplateFormatVersion: '2010-09-09'\nDescription: a topic\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let serverless = StructureFacts.hasTransform(template, "AWS::Serverless")
        let extended = StructureFacts.hasTransform(template, "AWS::LanguageExtensions")
        for entry in template.root.entries where !Self.sections.contains(entry.key) && !(serverless && entry.key == "Globals") {
            context.report("'\(entry.key)' is not a template section\(Self.suggestion(entry.key))", at: entry.keyLocation, path: [.key(entry.key)])
        }
        if template.root["Resources"] == nil {
            let first = template.root.entries.first?.keyLocation ?? template.location
            context.report("the template has no Resources section", at: first, path: [])
        }
        for section in Self.objectSections where !extended {
            guard let value = template.root[section] else { continue }
            // Fn::ForEach::Name as a section's only key is read as a function: ST-02 and
            // ST-18 report it as a name.
            if let function = value.intrinsicValue, function.name.rawValue.hasPrefix("Fn::ForEach::") { continue }
            if case .object = value.kind { continue }
            context.report("\(section) must be a mapping", at: value.location, path: [.key(section)])
        }
        // The transform expands loops inside Resources, but a Resources written empty (null)
        // holds none to expand: the template has no resources.
        if extended, let resources = template.root["Resources"], case .null = resources.kind {
            context.report("the Resources section is empty", at: template.root.entry("Resources")?.keyLocation ?? resources.location,
                           path: [.key("Resources")])
        }
        if let version = template.root["AWSTemplateFormatVersion"], version.stringValue != "2010-09-09" {
            context.report("AWSTemplateFormatVersion must be '2010-09-09'", at: version.location, path: [.key("AWSTemplateFormatVersion")])
        }
        for entry in template.mappings?.entries ?? [] {
            if !Template.isAlphanumericName(entry.key) {
                context.report("the mapping name '\(entry.key)' is not alphanumeric", at: entry.keyLocation, path: [.key("Mappings"), .key(entry.key)])
            }
            // Attribute names (the third level) are alphanumeric too; top-level keys such as
            // us-east-1 are not bound. A YAML number is read as its digits.
            for top in entry.value.objectValue?.entries ?? [] {
                for attribute in top.value.objectValue?.entries ?? [] where !Template.isAlphanumericName(attribute.key) {
                    context.report("the mapping attribute name '\(attribute.key)' is not alphanumeric", at: attribute.keyLocation,
                                   path: [.key("Mappings"), .key(entry.key), .key(top.key), .key(attribute.key)])
                }
            }
        }
        if let transform = template.root["Transform"] {
            for (item, path) in (transform.arrayValue.map { $0.enumerated().map { ($0.element, [PathComponent.key("Transform"), .index($0.offset)]) } } ?? [(transform, [.key("Transform")])]) {
                switch item.kind {
                case .string: break
                case .object(let map):
                    if map["Name"] == nil { context.report("a Transform mapping needs a Name", at: item.location, path: path) }
                    for entry in map.entries where entry.key != "Name" && entry.key != "Parameters" {
                        context.report("'\(entry.key)' is not a key of a Transform (Name, Parameters)", at: entry.keyLocation, path: path + [.key(entry.key)])
                    }
                default:
                    context.report("a Transform is a macro name, a list of them, or {Name, Parameters}", at: item.location.isKnown ? item.location : template.root.entry("Transform")?.keyLocation ?? template.location, path: path)
                }
            }
        }
        for entry in template.conditions?.entries ?? [] {
            if case .null = entry.value.kind {
                context.report("the condition \(entry.key) is null", at: entry.value.location.isKnown ? entry.value.location : entry.keyLocation, path: [.key("Conditions"), .key(entry.key)])
            } else if let function = entry.value.intrinsicValue, case .null = function.argument.kind {
                context.report("\(function.name) of the condition \(entry.key) is null", at: entry.value.location, path: [.key("Conditions"), .key(entry.key), .key(function.name.rawValue)])
            }
        }
    }

    static func suggestion(_ key: String) -> String {
        let lower = key.lowercased()
        guard let match = sections.first(where: { $0.lowercased() == lower || $0.lowercased() == lower + "s" || $0.lowercased() + "s" == lower }) else { return "" }
        return "; did you mean \(match)?"
    }
}

/// ST-02: each resource's own keys.
struct ResourceStructure: Rule {
    static let attributes: Set<String> = ["Type", "Properties", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy",
                                          "Metadata", "CreationPolicy", "UpdatePolicy", "Version"]

    static let description = RuleDescription(
        id: "ST-02", name: "resource-structure", family: .structure, severity: .error,
        rationale: "A resource has a Type and only the attributes CloudFormation defines (Properties, DependsOn, Condition, DeletionPolicy, UpdateReplacePolicy, Metadata, CreationPolicy, UpdatePolicy); its logical id is letters and digits; Type and Condition are strings and Properties a mapping. Anything else is rejected at deployment, except beside a SAM resource's Type under the AWS::Serverless transform, which drops what it does not know silently: a warning there (a Description, ST-48).",
        cfnLint: ["E3001"],
        triggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    ↓Propertes:\n      TopicName: alerts\n  ↓my_topic:\n    Type: AWS::SNS::Topic\n",
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Condition: ↓false\n",
        ],
        nonTriggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    DeletionPolicy: Delete\n    Properties:\n      TopicName: alerts\n",
            "Transform: AWS::LanguageExtensions\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Fn::ForEach::Queues:\n  - Name\n  - [a, b]\n  - Queue${Name}:\n      Type: AWS::SQS::Queue\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        if let function = template.root["Resources"]?.intrinsicValue, function.name.rawValue.hasPrefix("Fn::ForEach::"),
           !StructureFacts.hasTransform(template, "AWS::LanguageExtensions") {
            context.report("'\(function.name)' needs the AWS::LanguageExtensions transform; without it, it is not a valid logical id", at: template.root["Resources"]!.location,
                           path: [.key("Resources"), .key(function.name.rawValue)])
        }
        guard let resources = template.root["Resources"]?.objectValue else { return }
        let extended = StructureFacts.hasTransform(template, "AWS::LanguageExtensions")
        let serverless = StructureFacts.hasTransform(template, "AWS::Serverless")
        for entry in resources.entries {
            let path: [PathComponent] = [.key("Resources"), .key(entry.key)]
            // Under AWS::LanguageExtensions a `Fn::ForEach::Name` key is a loop CloudFormation
            // expands into resources before anything else reads them (as cfn-lint does, it is
            // not judged as a resource), wherever it stands among the other resources.
            if entry.key.hasPrefix("Fn::ForEach::") {
                if !extended {
                    context.report("'\(entry.key)' needs the AWS::LanguageExtensions transform; without it, it is not a valid logical id", at: entry.keyLocation, path: path)
                }
                continue
            }
            if !Template.isAlphanumericName(entry.key) {
                context.report("'\(entry.key)' is not a valid logical id: letters and digits only", at: entry.keyLocation, path: path)
            }
            guard let body = entry.value.objectValue else {
                context.report("\(entry.key) must be a mapping with a Type", at: entry.value.location.isKnown ? entry.value.location : entry.keyLocation, path: path)
                continue
            }
            let isModule = body["Type"]?.stringValue?.hasSuffix("::MODULE") ?? false
            // The SAM transform drops what it does not know beside a SAM resource's Type (the
            // template deploys, the key is lost): a Description (ST-48 warns of it), and
            // anything else, a warning here (`OpenApiVersion` written beside an Api's Type).
            let samResource = serverless && body["Type"]?.stringValue?.hasPrefix("AWS::Serverless::") == true
            for key in body.entries where !Self.attributes.contains(key.key) && !(samResource && key.key == "Description") {
                if samResource {
                    context.report("'\(key.key)' is not a resource attribute: the SAM transform drops it", at: key.keyLocation, path: path + [.key(key.key)],
                                   severity: .warning, hint: "move it into Properties if the type takes it")
                } else {
                    context.report("'\(key.key)' is not a resource attribute", at: key.keyLocation, path: path + [.key(key.key)])
                }
            }
            if isModule {
                for name in ["CreationPolicy", "UpdatePolicy"] where body[name] != nil {
                    context.report("a module takes no \(name)", at: body.entries.first { $0.key == name }!.keyLocation, path: path + [.key(name)])
                }
            }
            if let type = body["Type"] {
                if type.stringValue == nil { context.report("\(entry.key) Type must be a string", at: type.location, path: path + [.key("Type")]) }
            } else {
                context.report("\(entry.key) has no Type", at: entry.keyLocation, path: path)
            }
            if let condition = body["Condition"], condition.stringValue == nil {
                context.report("\(entry.key) Condition must be a condition's name", at: condition.location, path: path + [.key("Condition")])
            }
            if let properties = body["Properties"] {
                switch properties.kind {
                case .object, .intrinsic: break
                default: context.report("\(entry.key) Properties must be a mapping", at: properties.location, path: path + [.key("Properties")])
                }
            }
        }
    }
}

/// ST-03: every resource type exists.
struct ResourceTypes: Rule {
    static let description = RuleDescription(
        id: "ST-03", name: "resource-types", family: .structure, severity: .error,
        rationale: "A Type that is not in the CloudFormation registry (a typo such as AWS::EC2::Instance1) fails the deployment. Custom resources (Custom::*, AWS::CloudFormation::CustomResource), modules (*::MODULE) and, under the AWS::Serverless transform, the SAM types are accepted.",
        cfnLint: ["E3006"],
        triggering: [
            "Resources:\n  Server:\n    Type: ↓AWS::EC2::Instance1\n",
        ],
        nonTriggering: [
            "Resources:\n  Server:\n    Type: AWS::EC2::Instance\n  Seeder:\n    Type: Custom::Seeder\n    Properties:\n      ServiceToken: arn:aws:lambda:us-east-1:111111111111:function:seed\n",
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Function\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let serverless = StructureFacts.hasTransform(template, "AWS::Serverless")
        for resource in template.resources {
            guard let typeValue = resource.body["Type"], let type = typeValue.stringValue else { continue }
            if StructureFacts.isExempt(type, serverless: serverless) || context.registry.summary(for: type) != nil { continue }
            context.report("\(type) is not a resource type of the CloudFormation registry", at: typeValue.location,
                           path: Places.resourcePath(resource, .key("Type")))
        }
    }
}

/// ST-00: the file can be read as a template at all. The reader reports these before any
/// rule runs, each under the PS id that names the failure (PS-01 syntax, PS-02 duplicate
/// key, PS-03 alias limits, ...; see docs/diagnostics.md); this description documents them for
/// `formwork rules`, and its examples are checked against the reader.
struct ParseErrors: Rule {
    static let description = RuleDescription(
        id: "ST-00", name: "parse-errors", family: .structure, severity: .error,
        rationale: "A template CloudFormation cannot read is refused whole: YAML or JSON syntax errors, duplicate keys (which PyYAML-based tools silently resolve to the last value), alias bombs, excessive nesting, invalid UTF-8, a root that is not a mapping, more than one document, unknown tags. Each is reported with file, line and column under its PS id, and nothing else is checked in that file.",
        acrossResources: true,
        cfnLint: ["E0000"],
        triggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n  ↓Topic:\n    Type: AWS::SQS::Queue\n",
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: a\n↓",
        ],
        nonTriggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Queue:\n    Type: AWS::SQS::Queue\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {}
}
