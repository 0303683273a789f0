import FormworkRuleKit
import FormworkSchema
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

/// ST-26: policy documents have IAM's grammar.
struct PolicyGrammar: Rule {
    static let description = RuleDescription(
        id: "ST-26", name: "policy-grammar", family: .structure, severity: .error,
        rationale: "IAM, and the services that take resource policies, refuse a policy document that breaks the policy grammar, and the deployment fails with MalformedPolicyDocument: a document is a mapping of Version (2008-10-17 or 2012-10-17), Id and Statement (required: one statement or a list); a statement has only Sid, Effect (Allow or Deny), exactly one of Action and NotAction, Principal or NotPrincipal where the policy is attached to a resource (required there, refused in a role's, user's or group's own policies), exactly one of Resource and NotResource except in a trust policy, and Condition; resources are strings, ARNs (or `*` where IAM allows it). Every branch of an Fn::If is read.",
        acrossResources: true,
        cfnLint: ["E3510", "E3511", "E3512", "E3513", "E3514", "E3530"],
        triggering: [
            "Resources:\n  Policy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: ↓'2012-10-18'\n        Statement:\n          - Effect: ↓Permit\n            ↓Principal: '*'\n            ↓Action: s3:GetObject\n            ↓NotAction: s3:PutObject\n            Resource: [↓reports/*, ↓'arn:aws:sns:*:*']\n  Bucket:\n    Type: AWS::S3::Bucket\n  BucketPolicy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Bucket\n      PolicyDocument:\n        Statement:\n          - ↓Effect: Allow\n            Action: s3:GetObject\n            Resource: !Sub '${Bucket.Arn}/*'\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: ↓{Version: '2012-10-17'}\n",
        ],
        nonTriggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement: {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}\n      Policies:\n        - PolicyName: read\n          PolicyDocument:\n            Version: '2012-10-17'\n            Statement:\n              - Sid: Read\n                Effect: Allow\n                Action: [s3:GetObject]\n                Resource: [!Sub 'arn:${AWS::Partition}:s3:::reports/*', '*']\n                Condition: {Bool: {aws:SecureTransport: true}}\n",
        ])

    /// cfn-lint 1.51.0's form of a policy's resource ARN (E3510).
    static let arnPattern = #"^(arn:(aws[A-Za-z\-]*?|\*):[^:]+:[^:]*(:(?:\d{12}|\*|aws)?:.+|)|\*)$"#
    static let documentKeys: Set<String> = ["Version", "Id", "Statement"]
    static let statementKeys: Set<String> = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]

    func check(_ template: Template, _ context: RuleContext) {
        for place in ParsedPolicy.places(in: template) {
            check(place.node, place.kind, place.owner.type ?? "", place.path, context)
        }
    }

    private func check(_ value: Node, _ kind: ParsedPolicy.Kind, _ type: String, _ path: [PathComponent], _ context: RuleContext) {
        switch value.kind {
        case .string: return  // a JSON document in a string: read by the service, not here
        case .intrinsic(let function) where function.name == .if:
            guard let parts = function.argument.arrayValue, parts.count == 3 else { return }
            for index in 1...2 { check(parts[index], kind, type, path + [.key("Fn::If"), .index(index)], context) }
            return
        case .intrinsic: return
        case .object(let map):
            for entry in map.entries where !Self.documentKeys.contains(entry.key) {
                context.report("'\(entry.key)' is not a key of a policy document (Version, Id, Statement)", at: entry.keyLocation, path: path + [.key(entry.key)])
            }
            if let version = map["Version"], let text = version.scalarText, version.intrinsicValue == nil, text != "2012-10-17", text != "2008-10-17" {
                context.report("policy Version '\(text)' is not 2012-10-17 or 2008-10-17", at: version.location, path: path + [.key("Version")])
            }
            guard let statements = map["Statement"] else {
                context.report("the policy document has no Statement", at: value.location, path: path)
                return
            }
            if case .string = statements.kind {
                context.report("Statement must be a statement or a list of them, not a string", at: statements.location, path: path + [.key("Statement")])
                return
            }
            for (statement, statementPath) in Branches.items(statements, path + [.key("Statement")]) {
                check(statement: statement, kind, type, statementPath, context)
            }
        default:
            context.report("a policy document must be a mapping (or a JSON string), not \(value.arrayValue != nil ? "a list" : "a scalar")", at: value.location, path: path)
        }
    }

    private func check(statement: Node, _ kind: ParsedPolicy.Kind, _ type: String, _ path: [PathComponent], _ context: RuleContext) {
        guard let map = statement.objectValue else { return }
        let place = map.entries.first?.keyLocation ?? statement.location
        // Each problem where it stands: the key, or the statement when a key is missing.
        func atKey(_ key: String, _ message: String) {
            context.report(message, at: map.entry(key)?.keyLocation ?? place, path: path + [.key(key)])
        }
        for entry in map.entries where !Self.statementKeys.contains(entry.key) {
            atKey(entry.key, "'\(entry.key)' is not a key of a policy statement")
        }
        if let effect = map["Effect"] {
            if let text = effect.stringValue, text != "Allow", text != "Deny" {
                context.report("Effect '\(text)' is not Allow or Deny", at: effect.location, path: path + [.key("Effect")])
            }
        } else {
            context.report("the policy statement has no Effect", at: place, path: path)
        }
        for (one, other) in [("Action", "NotAction"), ("Resource", "NotResource")] where one == "Action" || kind == .identity {
            switch (map[one] != nil, map[other] != nil) {
            case (true, true):
                for key in [one, other] { atKey(key, "a statement has one of \(one) and \(other), not both") }
            case (false, false):
                context.report("the policy statement has neither \(one) nor \(other)", at: place, path: path)
            default: break
            }
        }
        let principals = ["Principal", "NotPrincipal"].filter { map[$0] != nil }
        for key in principals {
            if let text = map[key]?.stringValue, text != "*" {
                context.report("a \(key) is '*' or a mapping of AWS, Service, Federated or CanonicalUser, not '\(text)'", at: map[key]!.location, path: path + [.key(key)])
            }
        }
        switch kind {
        case .identity:
            for key in principals { atKey(key, "a \(type) policy names no \(key): the principal is whoever holds the policy") }
        case .trust, .resource:
            if principals.count != 1 {
                context.report("a \(kind == .trust ? "trust" : "resource") policy statement needs exactly one of Principal and NotPrincipal", at: place, path: path)
            }
        }
        for key in ["Resource", "NotResource"] {
            guard let resources = map[key] else { continue }
            for (index, item) in (resources.arrayValue ?? [resources]).enumerated() {
                let at = resources.arrayValue == nil ? path + [.key(key)] : path + [.key(key), .index(index)]
                switch item.kind {
                case .object, .array:
                    context.report("a \(key) is an ARN string, not \(item.objectValue != nil ? "a mapping" : "a list")", at: item.location, path: at)
                case .string(let text):
                    let arn = text.hasPrefix("arn:")
                    if !arn && !(text == "*" && type != "AWS::S3::BucketPolicy") {
                        context.report("\(key) '\(text)' is not an ARN\(type == "AWS::S3::BucketPolicy" ? " (a bucket policy names its bucket and objects)" : " or *")", at: item.location, path: at)
                    }
                    // An ARN has six parts (arn:partition:service:region:account:resource); a
                    // service-only prefix such as arn:aws:sns:*:* names no resource.
                    if arn, PatternCache.matches(Self.arnPattern, text) == false {
                        context.report("\(key) '\(text)' is not an ARN of the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE", at: item.location, path: at)
                    }
                default: break
                }
            }
        }
    }
}
