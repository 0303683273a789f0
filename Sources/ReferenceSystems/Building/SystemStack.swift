import Formwork
import FormworkKMS
import FormworkSNS

/// One template of a reference system under construction: the stack, the house
/// conventions every resource follows (the `EnvironmentSuffix` parameter last in every
/// name, the required tags on every taggable resource), and the alert topic every alarm
/// notifies. The building blocks in this folder take one of these.
final class SystemStack {
    let stack: Stack
    /// The system's name, first in every resource name (`user-api-db-primary-dev1`).
    let system: String
    let suffix: Parameter<String>
    private var tagPairs: [(String, Value<String>)]
    /// The topic alarms notify; created by `alerting(...)`.
    private(set) var alertTopic: ResourceHandle<SNS.Topic>?
    /// The topic recoveries (alarm back to OK) notify; the alert topic unless a system has two.
    private(set) var recoveryTopic: ResourceHandle<SNS.Topic>?
    /// The key the topics are encrypted with; whoever publishes needs kms:GenerateDataKey on it.
    private(set) var alertKey: ResourceHandle<KMS.Key>?
    private var logKeyHandle: ResourceHandle<KMS.Key>?

    /// The longest suffix allowed: names are checked against their limits with it (NM-03).
    static let suffixMaxLength = 12

    init(system: String, description: String, tags: [(String, Value<String>)] = []) {
        self.system = system
        stack = Stack(description: description)
        suffix = stack.parameter("EnvironmentSuffix", .string(
            description: "Suffix of every resource name and the Environment tag: lowercase letters, digits and hyphens (for example dev1 or pr482)",
            allowedPattern: "^[a-z0-9][a-z0-9-]*$", minLength: 1, maxLength: Self.suffixMaxLength,
            constraintDescription: "1 to 12 lowercase letters, digits and hyphens, starting with a letter or digit"))
        tagPairs = [("Environment", suffix.ref)] + tags
    }

    /// `<system>-<purpose>-<suffix>`: the suffix is always last (NM-02).
    func name(_ purpose: String) -> Value<String> {
        "\(literal: system)-\(literal: purpose)-\(suffix)"
    }

    /// The stack's tags plus a `Name` tag, for any generated `Tag` type.
    func tags<Tag: TagProtocol>(name purpose: String? = nil, _ extra: [(String, Value<String>)] = []) -> [Tag] {
        var pairs = tagPairs
        if let purpose { pairs.insert(("Name", name(purpose)), at: 0) }
        for (key, value) in extra {
            if let index = pairs.firstIndex(where: { $0.0 == key }) { pairs[index].1 = value } else { pairs.append((key, value)) }
        }
        return pairs.map { Tag(tagKey: .literal($0.0), tagValue: $0.1) }
    }

    /// The SNS topic every alarm notifies, with an email subscription whose address is a
    /// parameter; a second topic for recoveries when the system wants them apart (seed 002).
    /// The topics are encrypted with a key of their own, whose policy lets CloudWatch alarms
    /// and RDS event notifications of this account publish (SN-01, KM-02, KM-04).
    @discardableResult
    func alerting(separateRecoveryTopic: Bool = false) -> ResourceHandle<SNS.Topic> {
        let email = stack.parameter("AlertEmail", .string(
            description: "Where alarm notifications are sent (an email subscription, confirmed by its owner)",
            allowedPattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", constraintDescription: "an email address"))
        let key = encryptionKey("AlertKey", for: "alert topics", tag: "alerts-key", grants: [[
            "Sid": "AlarmsAndDatabaseEventsPublish",
            "Effect": "Allow",
            "Principal": ["Service": ["cloudwatch.amazonaws.com", "events.rds.amazonaws.com"]],
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": "*",
            "Condition": ["StringEquals": ["aws:SourceAccount": JSON(Value<String>("\(Pseudo.accountID)"))]],
        ]])
        alertKey = key
        // An encrypted topic with the email subscription, per purpose.
        func encryptedTopic(_ id: String, _ purpose: String) -> ResourceHandle<SNS.Topic> {
            let topic = stack.add("\(id)Topic", SNS.Topic {
                $0.displayName = name(purpose)
                $0.kmsMasterKeyId = key.ref
                $0.tags = tags(name: purpose)
                $0.topicName = name(purpose)
            })
            stack.add("\(id)EmailSubscription", SNS.Subscription(protocol: "email", topicArn: topic.ref) { $0.endpoint = email.ref })
            return topic
        }
        let topic = encryptedTopic("Alarm", "alarms")
        alertTopic = topic
        recoveryTopic = separateRecoveryTopic ? encryptedTopic("Recovery", "recovery") : topic
        return topic
    }

    /// The key the stack's log groups are encrypted with, created on first use: CloudWatch
    /// Logs calls KMS itself, so the policy grants logs.<region>.amazonaws.com, for this
    /// account's log groups only (LG-02, KM-02, KM-04).
    func logKey() -> ResourceHandle<KMS.Key> {
        if let logKeyHandle { return logKeyHandle }
        let key = encryptionKey("LogKey", for: "log groups", tag: "logs-key", grants: [[
            "Sid": "LogGroupsOfThisAccount",
            "Effect": "Allow",
            "Principal": ["Service": JSON(Value<String>("logs.\(Pseudo.region).amazonaws.com"))],
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": ["ArnLike": ["kms:EncryptionContext:aws:logs:arn": JSON(Value<String>("arn:\(Pseudo.partition):logs:\(Pseudo.region):\(Pseudo.accountID):log-group:*"))]],
        ]])
        logKeyHandle = key
        return key
    }

    /// A customer-managed key of the system: rotated yearly, deleted 7 days after the stack
    /// (LC-07), administered by the account (`Policies.accountAdministersTheKey`), with the
    /// services that call KMS themselves granted in `grants`.
    func encryptionKey(_ id: String, for usedBy: String, tag: String, grants: [JSON] = []) -> ResourceHandle<KMS.Key> {
        stack.add(id, KMS.Key {
            $0.description = "\(literal: system) \(literal: usedBy) encryption key (\(suffix))"
            $0.enableKeyRotation = true
            $0.keyPolicy = Policies.document([Policies.accountAdministersTheKey] + grants)
            $0.pendingWindowInDays = 7
            $0.tags = tags(name: tag)
        }, deletionPolicy: .delete, updateReplacePolicy: .delete)
    }
}
