import Formwork
import FormworkCloudWatch
import FormworkLogs
import FormworkSNS
import FormworkSQS

/// An SNS topic encrypted with a customer-managed key (SN-01), with an email subscription. Publishers are granted on both sides: the topic policy names them (service
/// principals scoped to this account, SN-03) and the key policy lets them use the key
/// (KM-02, KM-04), or notifications are dropped silently.
public final class EncryptedTopic {
    /// The topic's handle (`ref` is its ARN).
    public let handle: ResourceHandle<SNS.Topic>
    /// The topic as it is rendered.
    public var model: SNS.Topic
    /// The key the topic is encrypted with.
    public let key: EncryptionKey
    /// The topic policy; written only when a grant adds to it.
    public var policy = PolicyDocument([])
    /// The email subscription as it is rendered.
    public var subscriptionModel: SNS.Subscription
    private let scope: Scope
    private let id: String
    private var grantedServices: Set<String> = []

    /// A topic `<system>-<purpose>-<suffix>`, encrypted with `key` (or a key of its own), with
    /// an email subscription (a topic nobody subscribes to tells no one, SN-02) to `email`, or
    /// to the address of a parameter `<id>Email` the topic declares.
    public init(_ scope: Scope, _ id: String, purpose: String, email: Value<String>? = nil, key: EncryptionKey? = nil,
                file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        let site = CallSite(file: file, line: line, column: column)
        self.scope = scope
        self.id = id
        let email = email ?? scope.stack.parameter("\(id)Email", .string(
            description: "Who is told what the \(purpose) topic receives (an email subscription, confirmed by its owner)",
            allowedPattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", constraintDescription: "an email address"),
            file: file, line: line, column: column).ref
        let key = key ?? EncryptionKey(scope, "\(id)Key", purpose: "\(purpose)-key", usedBy: "\(purpose) topic encryption key", at: site)
        self.key = key
        handle = ResourceHandle(logicalID: "\(id)Topic")
        subscriptionModel = SNS.Subscription(protocol: "email", topicArn: handle.ref) { $0.endpoint = email }
        model = SNS.Topic {
            $0.displayName = scope.name(purpose)
            $0.kmsMasterKeyId = key.handle.ref
            $0.tags = scope.tags(name: purpose)
            $0.topicName = scope.name(purpose)
        }
        scope.stack.finally { [self] in
            scope.add(handle.logicalID, model, at: site)
            scope.add("\(id)EmailSubscription", subscriptionModel, at: site)
            if !policy.statements.isEmpty {
                scope.add("\(id)TopicPolicy", SNS.TopicPolicy(policyDocument: policy, topics: [handle.ref]), at: site)
            }
        }
    }

    /// The topic's ARN (its `Ref`).
    public var arn: Value<String> { handle.ref }

    /// Lets a service of this account publish (CloudWatch alarms, RDS events, EventBridge):
    /// sns:Publish in the topic policy, scoped by `aws:SourceAccount`, and the key's data-key
    /// calls in the key policy. Granted once per `sid`.
    public func grantPublish(to service: ServicePrincipal, sid: String) {
        guard grantedServices.insert(sid).inserted else { return }
        policy.add(Statement(sid: sid, principals: [.service(service)], actions: [.sns.publish], resources: [arn],
                             conditions: [.sourceAccountIsThisAccount]))
        key.grantEncryptDecrypt(to: service, sid: sid)
    }

    /// Lets CloudWatch alarms publish (`grantPublish(to: .cloudWatch, ...)`).
    public func grantPublishToAlarms() { grantPublish(to: .cloudWatch, sid: "CloudWatchAlarmsPublish") }

    /// Lets RDS event subscriptions publish.
    public func grantPublishToDatabaseEvents() { grantPublish(to: .rdsEvents, sid: "DatabaseEventsPublish") }

    /// Lets a role publish: sns:Publish on the topic and the key's data-key calls, on both sides.
    public func grantPublish(to grantee: Grantee) {
        grantee.allow(Statement(actions: [.sns.publish], resources: [arn]))
        policy.add(Statement(principals: [grantee.principal], actions: [.sns.publish], resources: [arn]))
        grantee.allow(Statement(actions: [.kms.generateDataKey, .kms.decrypt], resources: [key.arn]))
    }
}

/// An SQS queue encrypted with a customer-managed key, with a dead-letter queue: a message
/// that fails `maxReceiveCount` times moves there (redrive), and stays 14 days for a look.
public final class Queue {
    /// The queue's handle (`ref` is its URL, `arn`).
    public let handle: ResourceHandle<SQS.Queue>
    /// The dead-letter queue's handle.
    public let deadLetterHandle: ResourceHandle<SQS.Queue>
    /// The queue as it is rendered.
    public var model: SQS.Queue
    /// The dead-letter queue as it is rendered.
    public var deadLetterModel: SQS.Queue
    /// The key both queues are encrypted with.
    public let key: EncryptionKey
    /// The dead-letter queue's depth alarm as it is rendered, once `alarmOnDeadLetters` added it.
    public var deadLetterAlarmModel: CloudWatch.Alarm?

    /// A queue `<system>-<purpose>-<suffix>` and its dead-letter queue (`-dlq`).
    /// `visibilityTimeout` is at least six times the consumer's timeout (AWS's advice for
    /// Lambda), so that a message is not handed out twice while it is being worked on.
    public init(_ scope: Scope, _ id: String, purpose: String, key: EncryptionKey, maxReceiveCount: Int = 5,
                visibilityTimeoutSeconds: Int = 180,
                file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        let site = CallSite(file: file, line: line, column: column)
        self.key = key
        handle = ResourceHandle(logicalID: "\(id)Queue")
        let deadLetters = ResourceHandle<SQS.Queue>(logicalID: "\(id)DeadLetterQueue")
        deadLetterHandle = deadLetters
        deadLetterModel = SQS.Queue {
            $0.kmsMasterKeyId = key.arn
            $0.messageRetentionPeriod = 1_209_600
            $0.queueName = scope.name("\(purpose)-dlq")
            $0.tags = scope.tags(name: "\(purpose)-dlq")
        }
        model = SQS.Queue {
            $0.kmsMasterKeyId = key.arn
            $0.queueName = scope.name(purpose)
            $0.redrivePolicy = ["deadLetterTargetArn": JSON(deadLetters.arn), "maxReceiveCount": JSON(integerLiteral: maxReceiveCount)]
            $0.tags = scope.tags(name: purpose)
            $0.visibilityTimeout = .literal(visibilityTimeoutSeconds)
        }
        scope.stack.finally { [self] in
            scope.add(deadLetterHandle.logicalID, deadLetterModel, deletionPolicy: .delete, updateReplacePolicy: .delete, at: site)
            scope.add(handle.logicalID, model, deletionPolicy: .delete, updateReplacePolicy: .delete, at: site)
        }
    }

    /// The queue's ARN.
    public var arn: Value<String> { handle.arn }
    /// The dead-letter queue's ARN.
    public var deadLetterArn: Value<String> { deadLetterHandle.arn }
    /// The dead-letter queue's name, for its depth alarm.
    public var deadLetterName: Value<String> { deadLetterHandle.queueName }

    /// Lets `grantee` receive and delete messages: the four calls a consumer makes, on this
    /// queue only, and decryption with the queue's key.
    public func grantConsume(to grantee: Grantee) {
        grantee.allow(Statement(actions: [.sqs.receiveMessage, .sqs.deleteMessage, .sqs.getQueueAttributes, .sqs.changeMessageVisibility],
                                resources: [arn]))
        key.grantDecrypt(to: grantee)
    }

    /// Lets `grantee` send messages, encrypted with the queue's key.
    public func grantSend(to grantee: Grantee) {
        grantee.allow(Statement(actions: [.sqs.sendMessage], resources: [arn]))
        grantee.allow(Statement(actions: [.kms.generateDataKey, .kms.decrypt], resources: [key.arn]))
    }
}

/// Log groups the stack owns, so that deleting the stack deletes them (LC-06): retention
/// (LG-01) and a customer-managed key whose policy lets CloudWatch Logs use it (LG-02). The
/// constructs that declare them expose them as `logGroupModels` and call
/// `key.grantLogGroups()` when they are created, before the key is rendered.
enum LogGroups {
    /// A log group named `name`, kept `retentionDays` days and encrypted with `key`.
    static func model(_ scope: Scope, name: Value<String>, key: EncryptionKey, retentionDays: Int) -> Logs.LogGroup {
        Logs.LogGroup {
            $0.kmsKeyId = key.arn
            $0.logGroupName = name
            $0.retentionInDays = .literal(retentionDays)
            $0.tags = scope.tags(name: nil)
        }
    }

    /// The log groups RDS writes the exported postgresql and upgrade logs of `identifier` to,
    /// kept 30 days.
    static func rds(_ scope: Scope, _ id: String, identifier: Value<String>, key: EncryptionKey) -> [(id: String, model: Logs.LogGroup)] {
        ["postgresql", "upgrade"].map { log in
            ("\(id)\(log.prefix(1).uppercased() + log.dropFirst())Logs", model(scope, name: "/aws/rds/instance/\(identifier)/\(literal: log)", key: key, retentionDays: 30))
        }
    }

    /// Adds the log groups, deleted with the stack, and returns their handles (what the
    /// resource that writes to them depends on).
    static func add(_ scope: Scope, _ groups: [(id: String, model: Logs.LogGroup)], at site: CallSite) -> [ResourceHandle<Logs.LogGroup>] {
        groups.map { scope.add($0.id, $0.model, deletionPolicy: .delete, updateReplacePolicy: .delete, at: site) }
    }
}
