import FormworkRuleKit
import FormworkTemplate

// What the policy-reading rules (IAM, S3, SNS, KMS) say of a statement, in one place.

/// How a finding names its statement.
extension PolicyStatement {
    func named(in document: ParsedPolicy) -> String {
        let which: String
        switch document.kind {
        case .identity: which = "policy"
        case .trust: which = "trust policy"
        case .resource: which = "resource policy"
        }
        return "\(document.owner.logicalID)'s \(which) statement \(sid.map { "'\($0)'" } ?? "")".trimmingSpaces
    }
}

extension PolicyStatement {
    /// The condition keys that tie a service principal's grant to this account's resources.
    static let sourceKeys = ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceOwner"]

    /// S3-05 and SN-03: an Allow in a resource policy to anyone, of everything, or to a
    /// service without the confused-deputy condition.
    func reportBroadGrants(in document: ParsedPolicy, _ context: RuleContext) {
        var problems: [String] = []
        if principal?.everyone == true, conditions.isEmpty { problems.append("allows anyone (Principal '*') without a condition") }
        let service = document.owner.type == "AWS::SNS::TopicPolicy" ? "sns" : "s3"
        if !notAction, actions.contains(where: { $0.text == "*" || $0.text?.lowercased() == "\(service):*" }) { problems.append("allows every action") }
        if let services = principal?.serviceNames, !services.isEmpty, !hasCondition(on: Self.sourceKeys) {
            problems.append("grants \(services.joined(separator: ", ")) without aws:SourceAccount or aws:SourceArn, so the service may act here for any account")
        }
        guard !problems.isEmpty else { return }
        context.report("\(named(in: document)) \(problems.joined(separator: "; "))", at: location, path: path)
    }
}
