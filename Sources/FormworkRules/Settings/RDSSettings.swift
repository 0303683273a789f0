import FormworkRuleKit
import FormworkTemplate

/// The RDS family's settings: what a team fixes about its databases.
public struct RDSSettings: RuleSettings, Hashable {
    /// The backup retention a profile requires (RDS-04), in days.
    public var backupRetentionDays: Int?
    /// The instance classes a profile allows (RDS-12); empty allows any.
    public var instanceClasses: [String] = []
    /// The PostgreSQL major version a profile requires (RDS-13).
    public var engineMajorVersion: Int?
    /// Days of automated backups replicated to another region (RDS-24), when required.
    public var backupReplicationDays: Int?

    /// The defaults: nothing fixed.
    public init() {}

    public static let keys = ["backupRetentionDays", "instanceClasses", "engineMajorVersion", "backupReplicationDays"]

    public static func read(_ key: String, _ value: Node, into profile: inout Profile) throws(SettingProblem) {
        switch key {
        case "instanceClasses": profile.rds.instanceClasses = try SettingValue.strings(value, "instanceClasses must be a list of instance classes")
        case "engineMajorVersion": profile.rds.engineMajorVersion = try SettingValue.wholeNumber(value, key, minimum: 9)
        case "backupRetentionDays": profile.rds.backupRetentionDays = try SettingValue.wholeNumber(value, key, minimum: 1)
        default: profile.rds.backupReplicationDays = try SettingValue.wholeNumber(value, key, minimum: 1)
        }
    }

    public static func written(_ profile: Profile) -> [(key: String, value: Node)] {
        let rds = profile.rds
        var result: [(key: String, value: Node)] = []
        if let days = rds.backupRetentionDays { result.append(("backupRetentionDays", .number(String(days)))) }
        if !rds.instanceClasses.isEmpty { result.append(("instanceClasses", SettingValue.list(rds.instanceClasses))) }
        if let version = rds.engineMajorVersion { result.append(("engineMajorVersion", .number(String(version)))) }
        if let days = rds.backupReplicationDays { result.append(("backupReplicationDays", .number(String(days)))) }
        return result
    }
}

extension Profile {
    /// The RDS family's settings.
    public var rds: RDSSettings {
        get { self[settings: RDSSettings.self] }
        set { self[settings: RDSSettings.self] = newValue }
    }
}
