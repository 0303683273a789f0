import Formwork

/// Where constructs put their resources, and the conventions they follow: the stack, the
/// profile it is validated under (whose settings are the constructs' defaults), the system's
/// name (first in every resource name), the environment suffix (last), and the tags every
/// taggable resource carries.
///
/// ```swift
/// let scope = Scope(Stack(description: "orders"), system: "orders", profile: .production, tags: ["Team": "orders"])
/// let topic = EncryptedTopic(scope, "Alarms", purpose: "alarms")
/// ```
public final class Scope {
    /// The stack the constructs add to.
    public let stack: Stack
    /// The profile the stack is validated under: thresholds, retention, deletion behaviour.
    public let profile: Profile
    /// The system's name, first in every resource name (`orders-db-dev1`).
    public let system: String
    /// The environment suffix, last in every name and the `Environment` tag's value.
    public let suffix: Value<String>
    /// The tags every taggable resource carries, after `Name`.
    public private(set) var tags: [(key: String, value: Value<String>)]
    /// The condition every resource of the constructs created in this scope carries: set by
    /// `when(_:)` (a standby's replica that waits for its primary's ARN).
    public let condition: Condition?
    /// The longest suffix the suffix parameter allows (names are checked with it, NM-03).
    public static let suffixMaxLength = 12

    /// A scope over `stack`. Without `suffix`, declares the profile's suffix parameter
    /// (`EnvironmentSuffix`: lowercase letters, digits and hyphens, at most 12). `tags` gives
    /// the values of the profile's required tags that have none of their own, and any others.
    public init(_ stack: Stack, system: String, profile: Profile, suffix: Value<String>? = nil,
                tags: KeyValuePairs<String, Value<String>> = [:],
                file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        self.stack = stack
        self.profile = profile
        self.system = system
        let suffixValue = suffix ?? stack.parameter(profile.naming.suffixParameter, .string(
            description: "Suffix of every resource name and the Environment tag: lowercase letters, digits and hyphens (dev1, pr482)",
            allowedPattern: "^[a-z0-9][a-z0-9-]*$", minLength: 1, maxLength: Self.suffixMaxLength,
            constraintDescription: "1 to 12 lowercase letters, digits and hyphens, starting with a letter or digit"),
            file: file, line: line, column: column).ref
        self.suffix = suffixValue
        var pairs: [(key: String, value: Value<String>)] = []
        for required in profile.tagging.requiredTags {
            if let given = tags.first(where: { $0.key == required.key }) {
                pairs.append((required.key, given.value))
            } else if let text = required.value?.stringValue {
                pairs.append((required.key, .literal(text)))
            } else if let parameter = required.value?.intrinsicValue?.argument.stringValue, parameter == profile.naming.suffixParameter {
                pairs.append((required.key, suffixValue))
            } else if let parameter = required.value?.intrinsicValue?.argument.stringValue {
                pairs.append((required.key, Value<String>.sub("${\(parameter)}")))
            }
        }
        for (key, value) in tags where !pairs.contains(where: { $0.key == key }) { pairs.append((key, value)) }
        self.tags = pairs
        condition = nil
    }

    private init(_ parent: Scope, condition: Condition) {
        stack = parent.stack
        profile = parent.profile
        system = parent.system
        suffix = parent.suffix
        tags = parent.tags
        self.condition = condition
    }

    /// The same scope whose constructs add their resources under `condition`: they exist only
    /// when it holds (a standby's replica and failover records before the primary exists).
    public func when(_ condition: Condition) -> Scope { Scope(self, condition: condition) }

    /// Adds a resource under the scope's condition, reported at `site`: what every construct
    /// adds its resources with.
    @discardableResult
    public func add<P: ResourceProperties>(_ id: String, _ model: P, dependsOn: [any AnyResourceHandle] = [],
                                           deletionPolicy: DeletionPolicy? = nil, updateReplacePolicy: UpdateReplacePolicy? = nil,
                                           metadata: JSON? = nil, at site: CallSite) -> ResourceHandle<P> {
        stack.add(id, model, condition: condition, dependsOn: dependsOn, deletionPolicy: deletionPolicy,
                  updateReplacePolicy: updateReplacePolicy, metadata: metadata, at: site)
    }

    /// `<system>-<purpose>-<suffix>`: the suffix last (NM-02).
    public func name(_ purpose: String) -> Value<String> {
        "\(literal: system)-\(literal: purpose)-\(suffix)"
    }

    /// The scope's tags with a `Name` tag first, for any generated tag type.
    public func tags<Tag: TagProtocol>(name purpose: String?) -> [Tag] {
        let pairs = (purpose.map { [("Name", name($0))] } ?? []) + tags.map { ($0.key, $0.value) }
        return pairs.map { Tag(tagKey: .literal($0.0), tagValue: $0.1) }
    }

    /// Whether the profile wants long-lived resources protected (deletion protection on).
    public var protectsData: Bool { profile.lifecycle.deletionProtectionRequired }

    /// What happens to stateful resources when the stack goes: deleted (the house default;
    /// production keeps deletion protection on the database instead of a Retain policy).
    var deletionPolicy: DeletionPolicy { .delete }
    var replacePolicy: UpdateReplacePolicy { .delete }
}
