import FormworkTemplate

/// ST-24: a policy document's statement ids are unique.
struct PolicyStatementIDs: Rule {
    static let description = RuleDescription(
        id: "ST-24", name: "policy-statement-ids", family: .structure, severity: .error,
        rationale: "IAM and KMS refuse a policy whose statements share a Sid (\"the Sid value must be unique within a JSON policy\"), which fails the deployment with MalformedPolicyDocument. Every policy document of an IAM resource (a role's trust policy and inline policies, a policy, a managed policy) and a KMS key policy is read. Resource policies of S3, SNS and SQS are left alone: those services accept repeated Sids, and cfn-lint does not flag them either.",
        cfnLint: ["E3512"],
        triggering: [
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n        Version: '2012-10-17'\n        Statement:\n          - Sid: Admin\n            Effect: Allow\n            Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}\n            Action: kms:*\n            Resource: '*'\n          - Sid: ↓Admin\n            Effect: Allow\n            Principal: {Service: logs.amazonaws.com}\n            Action: kms:Decrypt\n            Resource: '*'\n",
        ],
        nonTriggering: [
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n        Version: '2012-10-17'\n        Statement:\n          - Sid: Admin\n            Effect: Allow\n            Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}\n            Action: kms:*\n            Resource: '*'\n          - Sid: Logs\n            Effect: Allow\n            Principal: {Service: logs.amazonaws.com}\n            Action: kms:Decrypt\n            Resource: '*'\n          - Effect: Allow\n            Principal: {Service: rds.amazonaws.com}\n            Action: kms:Decrypt\n            Resource: '*'\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources {
            guard let properties = resource.body["Properties"], let type = resource.type, type.hasPrefix("AWS::IAM::") || type == "AWS::KMS::Key" else { continue }
            Self.documents(properties, path: [.key("Resources"), .key(resource.logicalID), .key("Properties")]) { statements, path in
                var seen: [String: Int] = [:]
                for (index, statement) in statements.enumerated() {
                    guard let sid = statement["Sid"], let name = sid.stringValue else { continue }
                    if let first = seen[name] {
                        context.report("the statements \(first) and \(index) of this policy have the same Sid '\(name)'", at: sid.location,
                                       path: path + [.key("Statement"), .index(index), .key("Sid")])
                    } else {
                        seen[name] = index
                    }
                }
            }
        }
    }

    /// Every object below `value` with a `Statement` list (a policy document).
    static func documents(_ value: Node, path: [PathComponent], _ visit: ([Node], [PathComponent]) -> Void) {
        switch value.kind {
        case .object(let map):
            if let statements = map["Statement"]?.arrayValue { visit(statements, path) }
            for entry in map.entries { documents(entry.value, path: path + [.key(entry.key)], visit) }
        case .array(let items):
            for (index, item) in items.enumerated() { documents(item, path: path + [.index(index)], visit) }
        default:
            break
        }
    }
}
