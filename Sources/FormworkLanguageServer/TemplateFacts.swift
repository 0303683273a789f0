import FormworkTemplate

/// What hover and completion say about the template language itself: intrinsic functions,
/// pseudo parameters, sections and resource attributes, each with its page of the
/// CloudFormation User Guide.
struct LanguageFact {
    var title: String
    var summary: String
    var page: String

    static let guide = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"

    var link: String { Self.guide + page }
    var markdown: String { "**\(title)**\n\n\(summary)\n\n[CloudFormation User Guide](\(link))" }
}

enum IntrinsicFacts {
    /// A function by its short name (`Sub`), its long name (`Fn::Sub`) or `Ref`.
    static func function(_ name: String) -> LanguageFact? {
        let short = name.hasPrefix("Fn::") ? String(name.dropFirst(4)) : name
        guard let (signature, summary, page) = table[short] else { return nil }
        return LanguageFact(title: signature, summary: summary, page: page)
    }

    static let table: [String: (String, String, String)] = [
        "Ref": ("Ref: LogicalName", "A parameter's value, or a resource's reference value (usually its physical id; the resource type's page says which).",
                "intrinsic-function-reference-ref.html"),
        "GetAtt": ("Fn::GetAtt: [LogicalName, Attribute]", "An attribute of a resource (`!GetAtt Role.Arn`); the resource type's page lists its return values.",
                   "intrinsic-function-reference-getatt.html"),
        "Sub": ("Fn::Sub: String | [String, {Name: Value}]", "The string with each `${Name}` replaced: a parameter, a resource's Ref, `${Resource.Attribute}`, a pseudo parameter or a name of the mapping; `${!Literal}` writes `${Literal}`.",
                "intrinsic-function-reference-sub.html"),
        "Join": ("Fn::Join: [Delimiter, [Values]]", "The values joined by the delimiter.", "intrinsic-function-reference-join.html"),
        "Select": ("Fn::Select: [Index, [Values]]", "The item at a zero-based index of a list.", "intrinsic-function-reference-select.html"),
        "Split": ("Fn::Split: [Delimiter, String]", "The string split at each delimiter, as a list.", "intrinsic-function-reference-split.html"),
        "If": ("Fn::If: [Condition, ValueIfTrue, ValueIfFalse]", "One of two values by a condition; `AWS::NoValue` as a value removes the property.",
               "intrinsic-function-reference-conditions.html#intrinsic-function-reference-conditions-if"),
        "Equals": ("Fn::Equals: [Value, Value]", "True when the two values are equal (in Conditions).",
                   "intrinsic-function-reference-conditions.html#intrinsic-function-reference-conditions-equals"),
        "And": ("Fn::And: [Condition, ...]", "True when every condition is (2 to 10 of them).",
                "intrinsic-function-reference-conditions.html#intrinsic-function-reference-conditions-and"),
        "Or": ("Fn::Or: [Condition, ...]", "True when any condition is (2 to 10 of them).",
               "intrinsic-function-reference-conditions.html#intrinsic-function-reference-conditions-or"),
        "Not": ("Fn::Not: [Condition]", "True when the condition is false.", "intrinsic-function-reference-conditions.html#intrinsic-function-reference-conditions-not"),
        "Condition": ("Condition: ConditionName", "A condition of the Conditions section, inside another condition.", "conditions-section-structure.html"),
        "FindInMap": ("Fn::FindInMap: [MapName, TopLevelKey, SecondLevelKey]", "A value of the Mappings section.", "intrinsic-function-reference-findinmap.html"),
        "GetAZs": ("Fn::GetAZs: Region", "The Availability Zones of a region (`''`: the stack's) as a list.", "intrinsic-function-reference-getavailabilityzones.html"),
        "ImportValue": ("Fn::ImportValue: ExportName", "The value another stack exports under that name.", "intrinsic-function-reference-importvalue.html"),
        "Base64": ("Fn::Base64: String", "The string in Base64 (EC2 user data).", "intrinsic-function-reference-base64.html"),
        "Cidr": ("Fn::Cidr: [IpBlock, Count, CidrBits]", "A list of CIDR blocks cut from a block.", "intrinsic-function-reference-cidr.html"),
        "Length": ("Fn::Length: [Values]", "The number of items of a list (needs `Transform: AWS::LanguageExtensions`).", "intrinsic-function-reference-length.html"),
        "ToJsonString": ("Fn::ToJsonString: Object | [Values]", "The value as a JSON string (needs `Transform: AWS::LanguageExtensions`).",
                         "intrinsic-function-reference-ToJsonString.html"),
        "Transform": ("Fn::Transform: {Name: Macro, Parameters: {...}}", "The value a macro makes of this part of the template.", "intrinsic-function-reference-transform.html"),
    ]
}

enum TemplateFacts {
    static func pseudoParameter(_ name: String) -> LanguageFact? {
        guard let summary = pseudoParameters[name] else { return nil }
        return LanguageFact(title: "\(name) (pseudo parameter)", summary: summary, page: "pseudo-parameter-reference.html")
    }

    static let pseudoParameters: [String: String] = [
        "AWS::AccountId": "The account's id (`123456789012`).",
        "AWS::NotificationARNs": "The stack's notification topic ARNs, as a list.",
        "AWS::NoValue": "No value: as a value of `Fn::If`, removes the property.",
        "AWS::Partition": "The partition (`aws`, `aws-cn`, `aws-us-gov`): write ARNs with it.",
        "AWS::Region": "The region the stack is in (`eu-west-1`).",
        "AWS::StackId": "The stack's ARN.",
        "AWS::StackName": "The stack's name.",
        "AWS::URLSuffix": "The domain suffix (`amazonaws.com`, `amazonaws.com.cn`).",
    ]

    static func section(_ name: String) -> LanguageFact? {
        guard let (summary, page) = sections[name] else { return nil }
        return LanguageFact(title: "\(name) (template section)", summary: summary, page: page)
    }

    static let sections: [String: (String, String)] = [
        "AWSTemplateFormatVersion": ("The template format's version: `'2010-09-09'`, the only one.", "format-version-structure.html"),
        "Description": ("A text about the template, up to 1,024 bytes.", "template-description-structure.html"),
        "Metadata": ("Information about the template (and `formwork:` settings, cfn-lint's, the console's interface).", "metadata-section-structure.html"),
        "Parameters": ("The values given at deployment: `Type`, `Default`, `AllowedValues`, `NoEcho`, ...", "parameters-section-structure.html"),
        "Rules": ("Assertions on parameter values, checked before the stack is created or updated.", "rules-section-structure.html"),
        "Mappings": ("Fixed tables of values, read with `Fn::FindInMap`.", "mappings-section-structure.html"),
        "Conditions": ("Named conditions: a resource's or an output's `Condition`, `Fn::If`.", "conditions-section-structure.html"),
        "Transform": ("The macros that process the template (`AWS::Serverless-2016-10-31`, `AWS::LanguageExtensions`).", "transform-section-structure.html"),
        "Resources": ("The stack's resources, by logical id: `Type`, `Properties` and the resource attributes. The only required section.",
                      "resources-section-structure.html"),
        "Outputs": ("Values the stack shows and may export to other stacks.", "outputs-section-structure.html"),
    ]

    static func attribute(_ name: String) -> LanguageFact? {
        guard let (summary, page) = attributes[name] else { return nil }
        return LanguageFact(title: "\(name) (resource attribute)", summary: summary, page: page)
    }

    static let attributes: [String: (String, String)] = [
        "Type": ("The resource type (`AWS::RDS::DBInstance`).", "resources-section-structure.html"),
        "Properties": ("The resource's properties, as its type's page lists them.", "resources-section-structure.html"),
        "DependsOn": ("Resources created before this one (beyond those its Ref and GetAtt imply).", "aws-attribute-dependson.html"),
        "Condition": ("The condition under which the resource is created.", "conditions-section-structure.html"),
        "DeletionPolicy": ("What happens to the resource when it leaves the stack: `Delete`, `Retain`, `RetainExceptOnCreate`, `Snapshot`.",
                           "aws-attribute-deletionpolicy.html"),
        "UpdateReplacePolicy": ("What happens to the old resource when an update replaces it: `Delete`, `Retain`, `Snapshot`.", "aws-attribute-updatereplacepolicy.html"),
        "Metadata": ("Data attached to the resource (cfn-init's, suppressions under `formwork:`).", "aws-attribute-metadata.html"),
        "CreationPolicy": ("Waits for signals (or a count) before the resource counts as created.", "aws-attribute-creationpolicy.html"),
        "UpdatePolicy": ("How updates of Auto Scaling groups, ElastiCache and OpenSearch domains, Lambda aliases roll out.", "aws-attribute-updatepolicy.html"),
    ]

    /// A resource type's page (its properties and return values).
    static func typePage(_ type: String) -> String {
        let parts = type.split(separator: ":").filter { !$0.isEmpty }.map { $0.lowercased() }
        guard parts.count == 3 else { return LanguageFact.guide + "aws-template-resource-type-ref.html" }
        return LanguageFact.guide + "aws-resource-\(parts[1])-\(parts[2]).html"
    }
}

extension LanguageServerSession {
    /// Hover on the template language: an intrinsic function (`!Sub`, `Fn::Sub:`, `Ref:`), a
    /// pseudo parameter, a section, a resource attribute, or a GetAtt attribute with its type.
    func languageFact(_ here: TextContext, template: Template?, document: Document) -> String? {
        let word = here.word
        let isKey = here.atKey && here.lineKey == word
        if let fact = TemplateFacts.pseudoParameter(word) { return fact.markdown }
        if isKey, here.path.isEmpty, let fact = TemplateFacts.section(word) { return fact.markdown }
        if isKey, here.path.count == 2, here.path[0] == "Resources", let fact = TemplateFacts.attribute(word) { return fact.markdown }
        // `Fn::Sub:` as a key, or in a JSON object (`{"Fn::Sub": ...}`); `Ref:` as a key.
        if word.hasPrefix("Fn::") || (isKey && word == "Ref"), let fact = IntrinsicFacts.function(word) { return fact.markdown }
        if here.precededByBang, let fact = IntrinsicFacts.function(word) { return fact.markdown }
        // `Resource.Attribute` after !GetAtt, in a `${...}`, or the second item of the list form.
        var parts = word.split(separator: ".", maxSplits: 1).map(String.init)
        let lead = String(here.before.unicodeScalars.prefix(here.wordStart).map(Character.init)).trimmingSpaces
        if parts.count == 1, let id = Self.getAttListResource(lead) { parts = [id, word] }
        if parts.count == 2, let type = template?.resource(parts[0])?.type, let schema = registry.schema(for: type),
           let attribute = schema.attributes.first(where: { $0.name == parts[1] }) {
            let types = attribute.types.map(\.rawValue).joined(separator: " | ")
            return "**\(parts[0]).\(attribute.name)**: attribute of `\(type)`" + (types.isEmpty ? "" : ", \(types)")
                + "\n\n[\(type) return values](\(TemplateFacts.typePage(type))#aws-resource-\(Self.pageSlug(type))-return-values)"
        }
        return nil
    }

    static func pageSlug(_ type: String) -> String {
        type.split(separator: ":").filter { !$0.isEmpty }.dropFirst().map { $0.lowercased() }.joined(separator: "-")
    }
}
