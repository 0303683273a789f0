import FormworkRuleKit
import FormworkTemplate

/// SN-01: topics are encrypted, with a key their publishers may use.
struct TopicEncryption: Rule {
    static let description = RuleDescription(
        id: "SN-01", name: "topic-encryption", family: .sns, severity: .warning,
        rationale: "Alarm notifications carry resource names and metrics: encrypt the topic (KmsMasterKeyId). Not with the AWS managed key alias/aws/sns when CloudWatch alarms or EventBridge rules publish to it: its policy cannot be changed to let those services use it, so their notifications are dropped without an error. A customer managed key's grants to them are KM-04's.",
        acrossResources: true,
        peers: [.checkov("CKV_AWS_26"), .guardRule("SNS_ENCRYPTED_KMS"), .cfnNag("W47")],
        triggering: [
            "Resources:\n  ↓Plain:\n    Type: AWS::SNS::Topic\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: ↓alias/aws/sns\n  Alarm:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      AlarmActions: [!Ref Alerts]\n",
        ],
        nonTriggering: [
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: !Ref Key\n  Audit:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: alias/aws/sns\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for topic in template.resources where topic.type == "AWS::SNS::Topic" {
            guard let key = topic.properties?["KmsMasterKeyId"] else {
                context.report("\(topic.logicalID) is not encrypted (no KmsMasterKeyId)", at: topic.keyLocation, path: Places.resourcePath(topic))
                continue
            }
            let publishers = KeyConsumersAllowed.publishers(to: topic, in: template)
            guard !publishers.isEmpty else { continue }
            for (text, node) in context.literals(key) where text == "alias/aws/sns" {
                context.report("\(topic.logicalID) is encrypted with alias/aws/sns, which \(publishers.sorted().joined(separator: " and ")) cannot use: its notifications are dropped",
                               at: node.location, path: Places.resourcePath(topic, .key("Properties"), .key("KmsMasterKeyId")), hint: "a customer managed key that grants them kms:GenerateDataKey* and kms:Decrypt")
            }
        }
    }
}

/// SN-02: topics have subscribers, whose endpoints fit their protocols and are not hardcoded.
struct TopicSubscriptions: Rule {
    static let description = RuleDescription(
        id: "SN-02", name: "topic-subscriptions", family: .sns, severity: .warning,
        rationale: "A topic nobody subscribes to delivers alarms to no one, and a subscription names a topic of the template (or a parameter's ARN), not a literal ARN of some other account or stack. A subscription's endpoint fits its protocol (an address for email, +digits for sms, a URL for http/https, an ARN for sqs, lambda and firehose), and an email address comes from a parameter: addresses differ per environment and team, and a template is no place for them.",
        acrossResources: true,
        cfnLint: ["W3694"],
        triggering: [
            "Resources:\n  ↓Alerts:\n    Type: AWS::SNS::Topic\n  Ops:\n    Type: AWS::SNS::Topic\n  OpsMail:\n    Type: AWS::SNS::Subscription\n    Properties:\n      TopicArn: !Ref Ops\n      Protocol: email\n      Endpoint: ↓ops.example.com\n  Elsewhere:\n    Type: AWS::SNS::Subscription\n    Properties:\n      TopicArn: ↓arn:aws:sns:us-east-1:123456789012:ops\n      Protocol: https\n      Endpoint: https://pager.example.com/hook\n",
        ],
        nonTriggering: [
            "Parameters:\n  AlertEmail: {Type: String}\nResources:\n  Alerts:\n    Type: AWS::SNS::Topic\n  Mail:\n    Type: AWS::SNS::Subscription\n    Properties:\n      TopicArn: !Ref Alerts\n      Protocol: email\n      Endpoint: !Ref AlertEmail\n  Pager:\n    Type: AWS::SNS::Topic\n    Properties:\n      Subscription: [{Protocol: https, Endpoint: !Sub 'https://pager.example.com/${AWS::StackName}'}]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let subscriptions = template.resources.filter { $0.type == "AWS::SNS::Subscription" }
        for topic in template.resources where topic.type == "AWS::SNS::Topic" {
            let inline = topic.properties?["Subscription"]?.arrayValue ?? []
            let separate = subscriptions.filter { ResourceReferences.names($0.properties?["TopicArn"], topic.logicalID) }
            if inline.isEmpty && separate.isEmpty && topic.properties?["Subscription"] == nil {
                context.report("\(topic.logicalID) has no subscription: what it receives reaches no one", at: topic.keyLocation, path: Places.resourcePath(topic))
            }
            for (index, item) in inline.enumerated() {
                check(item["Protocol"], item["Endpoint"], in: topic, at: Places.resourcePath(topic, .key("Properties"), .key("Subscription"), .index(index), .key("Endpoint")), context)
            }
        }
        for subscription in subscriptions {
            check(subscription.properties?["Protocol"], subscription.properties?["Endpoint"], in: subscription,
                  at: Places.resourcePath(subscription, .key("Properties"), .key("Endpoint")), context)
            if let topic = subscription.properties?["TopicArn"], let arn = topic.stringValue {
                context.report("\(subscription.logicalID) subscribes to \(arn), a topic written as a literal: Ref a topic of the template or take its ARN from a parameter",
                               at: topic.location, path: Places.resourcePath(subscription, .key("Properties"), .key("TopicArn")))
            }
        }
    }

    private func check(_ protocolNode: Node?, _ endpoint: Node?, in resource: Resource, at path: [PathComponent], _ context: RuleContext) {
        guard let endpoint else { return }
        for (protocolName, _) in context.literals(protocolNode) {
            for (text, node) in context.literals(endpoint) {
                let written = node.location == endpoint.location  // a literal in the template, not a parameter's value
                let fits: Bool
                switch protocolName.lowercased() {
                case "email", "email-json": fits = text.contains("@") && !text.hasPrefix("@") && !text.hasSuffix("@")
                case "sms": fits = text.hasPrefix("+") && text.dropFirst().allSatisfy(\.isNumber) && text.count > 7
                case "http": fits = text.hasPrefix("http://")
                case "https": fits = text.hasPrefix("https://")
                case "sqs", "lambda", "firehose", "application": fits = text.hasPrefix("arn:")
                default: fits = true
                }
                if !fits {
                    context.report("\(resource.logicalID)'s \(protocolName) endpoint \(text) is not \(Self.expected(protocolName.lowercased()))", at: node.location, path: path)
                } else if written, protocolName.lowercased().hasPrefix("email") {
                    context.report("\(resource.logicalID) subscribes the hardcoded address \(text): take it from a parameter", at: node.location, path: path)
                }
            }
        }
    }

    static func expected(_ protocolName: String) -> String {
        switch protocolName {
        case "email", "email-json": return "an email address"
        case "sms": return "a phone number in E.164 form (+15555550100)"
        case "http": return "an http:// URL"
        case "https": return "an https:// URL"
        default: return "an ARN"
        }
    }
}

/// SN-03: topic policies grant narrowly.
struct TopicPolicyGrants: Rule {
    static let description = RuleDescription(
        id: "SN-03", name: "topic-policy-grants", family: .sns, severity: .error,
        rationale: "A topic policy's Allow names its principals and actions: no `*` principal without a condition, no `*` or `sns:*` action; a service principal (events, cloudwatch, s3, budgets, ...) is scoped by aws:SourceAccount or aws:SourceArn, or any account's resources of that service can publish here.",
        acrossResources: true,
        peers: [.guardRule("SNS_TOPICPOLICY_NO_WILDCARD_PRINCIPAL"), .cfnNag("F18")],
        triggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Policy:\n    Type: AWS::SNS::TopicPolicy\n    Properties:\n      Topics: [!Ref Topic]\n      PolicyDocument:\n        Statement:\n          - ↓Effect: Allow\n            Principal: {Service: events.amazonaws.com}\n            Action: sns:Publish\n            Resource: !Ref Topic\n",
        ],
        nonTriggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n      ScheduleExpression: rate(1 hour)\n  Policy:\n    Type: AWS::SNS::TopicPolicy\n    Properties:\n      Topics: [!Ref Topic]\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {Service: events.amazonaws.com}\n            Action: sns:Publish\n            Resource: !Ref Topic\n            Condition: {ArnEquals: {aws:SourceArn: !GetAtt Rule.Arn}}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for document in context.policies where document.owner.type == "AWS::SNS::TopicPolicy" {
            for statement in document.statements where statement.isAllow { statement.reportBroadGrants(in: document, context) }
        }
    }
}
