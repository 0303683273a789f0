import FormworkTemplate

/// What an update changes of who may do what, as `cdk diff` summarises it: IAM statements
/// (identity policies, trust policies, managed policy attachments), security group rules,
/// resource policies (bucket, queue, topic, Lambda permissions) and key policies, added or
/// removed.
public struct SecurityChange: Sendable {
    public enum Kind: String, Sendable { case iamStatement = "iam-statement", trustPolicy = "trust-policy", managedPolicy = "managed-policy",
                                         ingress, egress, resourcePolicy = "resource-policy", keyPolicy = "key-policy" }
    public enum Change: String, Sendable { case added, removed }
    public var resource: String
    public var kind: Kind
    public var change: Change
    /// Effect of a statement (`Allow`), or the protocol of a rule.
    public var effect: String
    /// Principal of a statement, or the peer of a rule (a CIDR, a security group).
    public var principal: String
    /// Actions of a statement, or the ports of a rule.
    public var action: String
    /// Resources (and conditions) of a statement; empty for a rule.
    public var target: String
}

enum SecurityChanges {
    /// The policy-bearing properties of each type, and what they hold.
    static let documents: [String: [(property: String, kind: SecurityChange.Kind, list: Bool)]] = [
        "AWS::IAM::Role": [("AssumeRolePolicyDocument", .trustPolicy, false), ("Policies", .iamStatement, true)],
        "AWS::IAM::User": [("Policies", .iamStatement, true)],
        "AWS::IAM::Group": [("Policies", .iamStatement, true)],
        "AWS::IAM::Policy": [("PolicyDocument", .iamStatement, false)],
        "AWS::IAM::ManagedPolicy": [("PolicyDocument", .iamStatement, false)],
        "AWS::IAM::RolePolicy": [("PolicyDocument", .iamStatement, false)],
        "AWS::S3::BucketPolicy": [("PolicyDocument", .resourcePolicy, false)],
        "AWS::SQS::QueuePolicy": [("PolicyDocument", .resourcePolicy, false)],
        "AWS::SNS::TopicPolicy": [("PolicyDocument", .resourcePolicy, false)],
        "AWS::SNS::TopicInlinePolicy": [("PolicyDocument", .resourcePolicy, false)],
        "AWS::KMS::Key": [("KeyPolicy", .keyPolicy, false)],
        "AWS::SecretsManager::ResourcePolicy": [("ResourcePolicy", .resourcePolicy, false)],
    ]

    /// Every change between the deployed and the local resources (properties as resolved).
    static func changes(deployed: [String: (type: String, properties: Node?)], local: [String: (type: String, properties: Node?)]) -> [SecurityChange] {
        var found: [SecurityChange] = []
        // Only the types that hold statements or rules can change any (most of a template).
        func holders(_ resources: [String: (type: String, properties: Node?)]) -> [String] {
            resources.compactMap { documents[$0.value.type] != nil || ruleTypes.contains($0.value.type) ? $0.key : nil }
        }
        for id in Set(holders(deployed)).union(holders(local)).sorted() {
            let before = items(id, deployed[id]), after = items(id, local[id])
            var counts: [String: (before: Int, after: Int, item: SecurityChange)] = [:]
            for item in before { counts[key(item), default: (0, 0, item)].before += 1 }
            for item in after { counts[key(item), default: (0, 0, item)].after += 1 }
            for (_, entry) in counts.sorted(by: { $0.key < $1.key }) where entry.before != entry.after {
                var item = entry.item
                item.change = entry.after > entry.before ? .added : .removed
                for _ in 0..<abs(entry.after - entry.before) { found.append(item) }
            }
        }
        return found
    }

    /// The types whose statements or rules `items` reads besides `documents`.
    private static let ruleTypes: Set<String> = [
        "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group", "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::SecurityGroupEgress", "AWS::Lambda::Permission",
    ]

    private static func key(_ item: SecurityChange) -> String {
        [item.resource, item.kind.rawValue, item.effect, item.principal, item.action, item.target].joined(separator: "\u{1F}")
    }

    /// The statements and rules one resource holds.
    private static func items(_ id: String, _ resource: (type: String, properties: Node?)?) -> [SecurityChange] {
        guard let resource, let properties = resource.properties?.objectValue else { return [] }
        var result: [SecurityChange] = []
        for (property, kind, isList) in documents[resource.type] ?? [] {
            guard let value = properties[property] else { continue }
            let documents = isList ? (value.arrayValue ?? []).compactMap { $0["PolicyDocument"] } : [value]
            for document in documents { result += statements(document).map { statement(id, kind, $0) } }
        }
        switch resource.type {
        case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
            for arn in properties["ManagedPolicyArns"]?.arrayValue ?? [] {
                result.append(SecurityChange(resource: id, kind: .managedPolicy, change: .added, effect: "Allow", principal: id, action: text(arn), target: ""))
            }
        case "AWS::EC2::SecurityGroup":
            for rule in properties["SecurityGroupIngress"]?.arrayValue ?? [] { result.append(groupRule(id, .ingress, rule)) }
            for rule in properties["SecurityGroupEgress"]?.arrayValue ?? [] { result.append(groupRule(id, .egress, rule)) }
        case "AWS::EC2::SecurityGroupIngress": result.append(groupRule(id, .ingress, .object(properties)))
        case "AWS::EC2::SecurityGroupEgress": result.append(groupRule(id, .egress, .object(properties)))
        case "AWS::Lambda::Permission":
            result.append(SecurityChange(resource: id, kind: .resourcePolicy, change: .added, effect: "Allow",
                                         principal: text(properties["Principal"]) + (properties["SourceArn"].map { " from " + text($0) } ?? ""),
                                         action: text(properties["Action"]), target: text(properties["FunctionName"])))
        default:
            break
        }
        return result
    }

    private static func statements(_ document: Node) -> [Node] {
        guard let statement = document["Statement"] else { return [] }
        return statement.arrayValue ?? [statement]
    }

    private static func statement(_ id: String, _ kind: SecurityChange.Kind, _ statement: Node) -> SecurityChange {
        let principal = statement["Principal"].map(text) ?? statement["NotPrincipal"].map { "not " + text($0) } ?? ""
        let action = statement["Action"].map(text) ?? statement["NotAction"].map { "not " + text($0) } ?? ""
        var target = statement["Resource"].map(text) ?? statement["NotResource"].map { "not " + text($0) } ?? ""
        if let condition = statement["Condition"] { target += (target.isEmpty ? "" : " ") + "if " + text(condition) }
        return SecurityChange(resource: id, kind: kind, change: .added, effect: statement["Effect"]?.scalarText ?? "", principal: principal, action: action, target: target)
    }

    private static func groupRule(_ id: String, _ kind: SecurityChange.Kind, _ rule: Node) -> SecurityChange {
        let peer = ["CidrIp", "CidrIpv6", "SourceSecurityGroupId", "DestinationSecurityGroupId", "SourcePrefixListId", "DestinationPrefixListId", "SourceSecurityGroupName"]
            .compactMap { rule[$0].map(text) }.joined(separator: ", ")
        let from = rule["FromPort"].map(text) ?? "", to = rule["ToPort"].map(text) ?? ""
        let ports = from.isEmpty && to.isEmpty ? "all" : (from == to ? from : "\(from)-\(to)")
        return SecurityChange(resource: id, kind: kind, change: .added, effect: rule["IpProtocol"].map(text) ?? "", principal: peer, action: ports, target: "")
    }

    /// A value as short text; lists and sets sorted, so that order does not make a change.
    static func text(_ value: Node?) -> String {
        guard let value else { return "" }
        switch value.kind {
        case .array(let items): return items.map { text($0) }.sorted().joined(separator: ", ")
        case .object(let map): return map.entries.sorted { $0.key < $1.key }.map { "\($0.key): \(text($0.value))" }.joined(separator: "; ")
        case .intrinsic: return String(decoding: JSONWriter.compact(value, spaced: false), as: UTF8.self)
        default: return value.scalarText ?? ""
        }
    }
}
