import Formwork
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
    @discardableResult
    func alerting(separateRecoveryTopic: Bool = false) -> ResourceHandle<SNS.Topic> {
        let email = stack.parameter("AlertEmail", .string(
            description: "Where alarm notifications are sent (an email subscription, confirmed by its owner)",
            allowedPattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", constraintDescription: "an email address"))
        let topic = stack.add("AlarmTopic", SNS.Topic(displayName: name("alarms"), tags: tags(name: "alarms"), topicName: name("alarms")))
        stack.add("AlarmEmailSubscription", SNS.Subscription(endpoint: email.ref, protocol: "email", topicArn: topic.ref))
        alertTopic = topic
        recoveryTopic = topic
        if separateRecoveryTopic {
            let recovery = stack.add("RecoveryTopic", SNS.Topic(displayName: name("recovery"), tags: tags(name: "recovery"), topicName: name("recovery")))
            stack.add("RecoveryEmailSubscription", SNS.Subscription(endpoint: email.ref, protocol: "email", topicArn: recovery.ref))
            recoveryTopic = recovery
        }
        return topic
    }
}
