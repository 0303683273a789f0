import FormworkSchema
import FormworkTemplate

/// One string of a policy (an action, a resource, a principal, a condition value) in every
/// form the template lets it take: a literal (parameters resolved through their Default and
/// AllowedValues, both branches of Fn::If), a substitution (`Fn::Sub`, or `Fn::Join` and
/// pseudo parameters written as `${...}`), or a reference to one of the template's resources.
public struct PolicyText: Sendable {
    public enum Form: Sendable, Equatable {
        /// Known text.
        case literal
        /// Text with `${...}` placeholders for what is known at deployment.
        case substitution
        /// A `Ref` or `Fn::GetAtt` of the template's resource of this logical id.
        case reference(String)
        /// Anything else (an import, a parameter without values, ...).
        case unknown
    }

    public var text: String?
    public var form: Form
    public var node: Node

    /// `*` written as such.
    public var isWildcard: Bool { form == .literal && text == "*" }

    /// The text with its `${...}` placeholders, lowercased, for matching.
    public var lowercased: String? { text?.lowercased() }

    /// Every form `value` can take (lists flattened, AWS::NoValue dropped).
    public static func expand(_ value: Node?, values: PossibleValues, resources: Set<String>) -> [PolicyText] {
        guard let value else { return [] }
        var found: [PolicyText] = []
        expand(value, values, resources, depth: 0, into: &found)
        return found
    }

    private static func expand(_ value: Node, _ values: PossibleValues, _ resources: Set<String>, depth: Int, into found: inout [PolicyText]) {
        guard depth < 12 else { found.append(PolicyText(text: nil, form: .unknown, node: value)); return }
        switch value.kind {
        case .string(let text): found.append(PolicyText(text: text, form: .literal, node: value))
        case .number, .bool: found.append(PolicyText(text: value.scalarText, form: .literal, node: value))
        case .array(let items): for item in items { expand(item, values, resources, depth: depth + 1, into: &found) }
        case .intrinsic(let function):
            switch function.name {
            case .sub:
                let template = function.argument.stringValue ?? function.argument.arrayValue?.first?.stringValue
                found.append(PolicyText(text: template, form: template == nil ? .unknown : .substitution, node: value))
            case .getAtt:
                let target = ResourceReferences.getAttTarget(function.argument)
                found.append(PolicyText(text: nil, form: target.map { resources.contains($0) ? .reference($0) : .unknown } ?? .unknown, node: value))
            case .ref:
                guard let name = function.argument.stringValue else { found.append(PolicyText(text: nil, form: .unknown, node: value)); return }
                if name == "AWS::NoValue" { return }
                if resources.contains(name) { found.append(PolicyText(text: nil, form: .reference(name), node: value)); return }
                if name.hasPrefix("AWS::") { found.append(PolicyText(text: "${\(name)}", form: .substitution, node: value)); return }
                for candidate in values.candidates(value) {
                    switch candidate {
                    case .literal(let literal, _):
                        // A CommaDelimitedList parameter's value is its items.
                        if let text = literal.stringValue, text.contains(","), values.isList(name) {
                            for item in text.split(separator: ",") { found.append(PolicyText(text: item.trimmingSpaces, form: .literal, node: value)) }
                        } else {
                            expand(literal.location.isKnown ? literal : Node(literal.kind, at: value.location), values, resources, depth: depth + 1, into: &found)
                        }
                    case .absent: break
                    case .unresolved: found.append(PolicyText(text: nil, form: .unknown, node: value))
                    }
                }
            case .if:
                guard let branches = function.argument.arrayValue, branches.count == 3 else { found.append(PolicyText(text: nil, form: .unknown, node: value)); return }
                expand(branches[1], values, resources, depth: depth + 1, into: &found)
                expand(branches[2], values, resources, depth: depth + 1, into: &found)
            case .join:
                guard let parts = function.argument.arrayValue, parts.count == 2, let delimiter = parts[0].stringValue, let items = parts[1].arrayValue else {
                    found.append(PolicyText(text: nil, form: .unknown, node: value)); return
                }
                var text = ""
                var known = true
                for (index, item) in items.enumerated() {
                    if index > 0 { text += delimiter }
                    let forms = PolicyText.expand(item, values: values, resources: resources)
                    guard forms.count == 1, let only = forms.first else { known = false; break }
                    switch only.form {
                    case .literal: text += only.text ?? ""
                    case .substitution: text += only.text ?? ""
                    case .reference(let name): text += "${\(name)}"
                    case .unknown: known = false
                    }
                }
                found.append(PolicyText(text: known ? text : nil, form: known ? .substitution : .unknown, node: value))
            default:
                found.append(PolicyText(text: nil, form: .unknown, node: value))
            }
        default:
            found.append(PolicyText(text: nil, form: .unknown, node: value))
        }
    }
}

/// Who a statement is about: `Principal` (or `NotPrincipal`), by kind.
public struct PolicyPrincipal: Sendable {
    public var negated: Bool
    /// `Principal: "*"` or `AWS: "*"`: anyone.
    public var everyone: Bool
    public var aws: [PolicyText]
    public var services: [PolicyText]
    public var federated: [PolicyText]
    public var canonicalUsers: [PolicyText]
    public var node: Node

    /// An `AWS` principal that is a whole account (its root, or a bare account id): every
    /// identity of that account whose own policies allow it.
    public static func isAccount(_ principal: PolicyText) -> Bool {
        guard let text = principal.text else { return false }
        if text == "${AWS::AccountId}" { return true }
        if text.count == 12, text.allSatisfy(\.isNumber) { return true }
        return text.hasPrefix("arn:") && text.hasSuffix(":root")
    }

    /// Service principals, lowercased (`rds.amazonaws.com`).
    public var serviceNames: [String] { services.compactMap(\.lowercased) }
}

/// One condition of a statement: `StringEquals: {aws:SourceAccount: ...}`.
public struct PolicyCondition: Sendable {
    public var operator_: String
    public var key: String
    public var values: [PolicyText]
}

/// One statement of a policy document, parsed once for the rules that read policies.
public struct PolicyStatement: Sendable {
    public enum Effect: String, Sendable { case allow = "Allow", deny = "Deny" }

    public var effect: Effect?
    public var sid: String?
    /// `Action`, or `NotAction` when `notAction`.
    public var actions: [PolicyText]
    public var notAction: Bool
    /// `Resource`, or `NotResource` when `notResource`; empty when neither is written.
    public var resources: [PolicyText]
    public var notResource: Bool
    public var principal: PolicyPrincipal?
    public var conditions: [PolicyCondition]
    public var node: Node
    public var path: [PathComponent]

    public var isAllow: Bool { effect == .allow }

    /// Where findings about the statement land: its first key.
    public var location: Location { node.objectValue?.entries.first?.keyLocation ?? node.location }

    /// The action patterns written, lowercased (`s3:getobject*`).
    public var actionPatterns: [String] { actions.compactMap(\.lowercased) }

    /// Whether the statement allows `action` (`kms:Decrypt`): an Allow whose actions match
    /// it (or whose NotAction does not).
    public func allows(_ action: String) -> Bool {
        guard isAllow else { return false }
        let matched = actions.contains { $0.text.map { ActionMatching.matches($0, action) } ?? false }
        return notAction ? !matched && actions.allSatisfy { $0.text != nil } : matched
    }

    /// Whether any action written matches `pattern` (`iam:*`, `s3:Delete*`), as IAM would.
    public func mentions(_ action: String) -> Bool {
        actions.contains { $0.text.map { ActionMatching.matches($0, action) } ?? false }
    }

    /// Whether the statement's resources are all of them: `*` (or NotResource).
    public var coversEveryResource: Bool { notResource || resources.contains(where: \.isWildcard) }

    /// Whether a condition uses one of these keys (case-insensitive; a key ending in `*`
    /// matches every key it begins).
    public func hasCondition(on keys: [String]) -> Bool {
        conditions.contains { condition in
            let key = condition.key.lowercased()
            return keys.contains { wanted in
                let wanted = wanted.lowercased()
                return wanted.hasSuffix("*") ? key.hasPrefix(String(wanted.dropLast())) : key == wanted
            }
        }
    }
}

/// Action wildcards in both directions: the written pattern against a concrete action.
enum ActionMatching {
    static func matches(_ pattern: String, _ action: String) -> Bool {
        if pattern == "*" { return true }
        return ActionPattern.matches(pattern, action)
    }
}

/// A policy document of a template as the rules read it (its statements, through parameters
/// and conditions), with what it governs; the typed document users write is `PolicyDocument`.
public struct ParsedPolicy: Sendable {
    /// What a document governs.
    public enum Kind: Sendable {
        /// Attached to a role, user or group: what they may do.
        case identity
        /// A role's AssumeRolePolicyDocument: who may become the role.
        case trust
        /// Attached to a resource (bucket, topic, queue, key, secret, ...): who may use it.
        case resource
    }

    /// The resource that holds the document.
    public var owner: Resource
    /// Identity, trust or resource policy.
    public var kind: Kind
    /// Where the document stands (`Resources/Role/Properties/Policies/0/PolicyDocument`).
    public var path: [PathComponent]
    /// The document as written.
    public var node: Node
    /// Its statements, parsed: effects, actions, resources, principals, conditions.
    public var statements: [PolicyStatement]

    /// The roles an identity document applies to: its own role's, or the Roles an
    /// AWS::IAM::Policy or ManagedPolicy names.
    public var roles: Set<String> {
        owner.type == "AWS::IAM::Role" ? [owner.logicalID] : ResourceReferences.targets(owner.properties?["Roles"])
    }

    /// The types whose properties hold resource policies, and the property.
    public static let resourcePolicies: [String: String] = [
        "AWS::S3::BucketPolicy": "PolicyDocument", "AWS::SNS::TopicPolicy": "PolicyDocument", "AWS::SQS::QueuePolicy": "PolicyDocument",
        "AWS::KMS::Key": "KeyPolicy", "AWS::SecretsManager::ResourcePolicy": "ResourcePolicy", "AWS::ECR::Repository": "RepositoryPolicyText",
        "AWS::S3::AccessPoint": "Policy", "AWS::OpenSearchService::Domain": "AccessPolicies", "AWS::Elasticsearch::Domain": "AccessPolicies",
        "AWS::Backup::BackupVault": "AccessPolicy", "AWS::EFS::FileSystem": "FileSystemPolicy", "AWS::Glue::ResourcePolicy": "PolicyInJson",
    ]

    static let identityPolicies: Set<String> = ["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy"]
    static let inlinePolicyHolders: Set<String> = ["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"]

    /// Where a template's policy documents stand, as written (any shape): each with its
    /// resource, kind and path. `all` parses the mappings among them; ST-26 judges them all.
    static func places(in template: Template) -> [(owner: Resource, kind: Kind, node: Node, path: [PathComponent])] {
        var found: [(Resource, Kind, Node, [PathComponent])] = []
        for resource in template.resources {
            guard let type = resource.type, let properties = resource.properties else { continue }
            let base: [PathComponent] = [.key("Resources"), .key(resource.logicalID), .key("Properties")]
            func add(_ kind: Kind, _ node: Node?, _ path: [PathComponent]) { if let node { found.append((resource, kind, node, path)) } }
            if type == "AWS::IAM::Role" { add(.trust, properties["AssumeRolePolicyDocument"], base + [.key("AssumeRolePolicyDocument")]) }
            if inlinePolicyHolders.contains(type) {
                for (item, path) in Branches.items(properties["Policies"], base + [.key("Policies")]) {
                    add(.identity, item["PolicyDocument"], path + [.key("PolicyDocument")])
                }
            }
            if identityPolicies.contains(type) { add(.identity, properties["PolicyDocument"], base + [.key("PolicyDocument")]) }
            if let property = resourcePolicies[type] { add(.resource, properties[property], base + [.key(property)]) }
        }
        return found
    }

    /// Every document of the template whose shape is a mapping (what `RuleContext.policies` holds).
    public static func all(in template: Template, values: PossibleValues) -> [ParsedPolicy] {
        let resources = Set(template.resources.map(\.logicalID))
        return places(in: template).compactMap { owner, kind, node, path in
            guard node.objectValue != nil else { return nil }
            return ParsedPolicy(owner: owner, kind: kind, path: path, node: node,
                                  statements: statements(node["Statement"], path + [.key("Statement")], values, resources))
        } + SAMPolicies.documents(in: template, values: values, resources: resources)
    }

    static func statements(_ value: Node?, _ path: [PathComponent], _ values: PossibleValues, _ resources: Set<String>) -> [PolicyStatement] {
        Branches.items(value, path).map { node, path in
            let map = node.objectValue ?? ObjectMap()
            func texts(_ key: String) -> [PolicyText] { PolicyText.expand(map[key], values: values, resources: resources) }
            var principal: PolicyPrincipal?
            if let written = map["Principal"] ?? map["NotPrincipal"] {
                var parsed = PolicyPrincipal(negated: map["Principal"] == nil, everyone: written.stringValue == "*", aws: [], services: [], federated: [], canonicalUsers: [], node: written)
                if let object = written.objectValue {
                    parsed.aws = PolicyText.expand(object["AWS"], values: values, resources: resources)
                    parsed.services = PolicyText.expand(object["Service"], values: values, resources: resources)
                    parsed.federated = PolicyText.expand(object["Federated"], values: values, resources: resources)
                    parsed.canonicalUsers = PolicyText.expand(object["CanonicalUser"], values: values, resources: resources)
                    parsed.everyone = parsed.aws.contains(where: \.isWildcard)
                }
                principal = parsed
            }
            var conditions: [PolicyCondition] = []
            for clause in map["Condition"]?.objectValue?.entries ?? [] {
                for entry in clause.value.objectValue?.entries ?? [] {
                    conditions.append(PolicyCondition(operator_: clause.key, key: entry.key, values: PolicyText.expand(entry.value, values: values, resources: resources)))
                }
            }
            return PolicyStatement(effect: map["Effect"]?.stringValue.flatMap(PolicyStatement.Effect.init(rawValue:)), sid: map["Sid"]?.stringValue,
                                   actions: map["Action"] != nil ? texts("Action") : texts("NotAction"), notAction: map["Action"] == nil && map["NotAction"] != nil,
                                   resources: map["Resource"] != nil ? texts("Resource") : texts("NotResource"), notResource: map["Resource"] == nil && map["NotResource"] != nil,
                                   principal: principal, conditions: conditions, node: node, path: path)
        }
    }
}
