import FormworkRuleKit
import FormworkTemplate

/// The tagging family's settings (TG-01): the tags every taggable resource carries.
public struct TaggingSettings: RuleSettings {
    /// Tag keys every taggable resource carries; a value, when given, is required too
    /// (`Environment` must be `Ref EnvironmentSuffix`, written `{Ref: EnvironmentSuffix}`).
    public var requiredTags: [(key: String, value: Node?)] = [("Environment", .intrinsic("Ref", .string("EnvironmentSuffix")))]

    /// The defaults: `Environment` set to `Ref EnvironmentSuffix`.
    public init() {}

    /// Requires a tag on every taggable resource: with this literal value, or any value.
    public mutating func require(_ key: String, value: String? = nil) {
        requiredTags.removeAll { $0.key == key }
        requiredTags.append((key, value.map { .string($0) }))
    }

    /// Requires a tag whose value is a `Ref` to this parameter.
    public mutating func require(_ key: String, referencing parameter: String) {
        requiredTags.removeAll { $0.key == key }
        requiredTags.append((key, .intrinsic("Ref", .string(parameter))))
    }

    public static let keys = ["requiredTags"]

    public static func read(_ key: String, _ value: Node, into profile: inout Profile) throws(SettingProblem) {
        guard let tags = value.objectValue else { throw SettingProblem("requiredTags must map tag keys to values (or null)", at: value) }
        var required: [(key: String, value: Node?)] = []
        for tag in tags.entries {
            switch tag.value.kind {
            case .null: required.append((tag.key, nil))
            case .string, .intrinsic: required.append((tag.key, tag.value))
            default: throw SettingProblem("the value of the tag \(tag.key) must be a string, a !Ref or null", at: tag.value)
            }
        }
        profile.tagging.requiredTags = required
    }

    public static func written(_ profile: Profile) -> [(key: String, value: Node)] {
        var tags = ObjectMap()
        for tag in profile.tagging.requiredTags { tags.set(tag.key, tag.value ?? Node(.null)) }
        return [("requiredTags", .object(tags))]
    }
}

extension Profile {
    /// The tagging family's settings.
    public var tagging: TaggingSettings {
        get { self[settings: TaggingSettings.self] }
        set { self[settings: TaggingSettings.self] = newValue }
    }
}
