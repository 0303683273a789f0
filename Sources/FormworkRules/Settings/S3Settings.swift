import FormworkRuleKit
import FormworkTemplate

/// The S3 family's settings: whether every bucket replicates (S3-06).
public struct S3Settings: RuleSettings, Hashable {
    /// Whether every bucket replicates to another region (S3-06; seed 002).
    public var bucketReplicationRequired = false

    /// The defaults: replication optional.
    public init() {}

    public static let keys = ["bucketReplication"]

    public static func read(_ key: String, _ value: Node, into profile: inout Profile) throws(SettingProblem) {
        profile.s3.bucketReplicationRequired = try SettingValue.choice(value, key, ["required", "optional"]) == "required"
    }

    public static func written(_ profile: Profile) -> [(key: String, value: Node)] {
        profile.s3.bucketReplicationRequired ? [("bucketReplication", .string("required"))] : []
    }
}

extension Profile {
    /// The S3 family's settings.
    public var s3: S3Settings {
        get { self[settings: S3Settings.self] }
        set { self[settings: S3Settings.self] = newValue }
    }
}
