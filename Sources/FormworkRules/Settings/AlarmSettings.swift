import FormworkRuleKit
import FormworkTemplate

/// The alarms family's settings: evaluation periods (AL-05) and thresholds (AL-04).
public struct AlarmSettings: RuleSettings, Hashable {
    /// The evaluation periods every alarm uses (AL-05).
    public var evaluationPeriods: Int?
    /// Alarm thresholds the house wants (AL-04), in the metrics' own units.
    public var thresholds = AlarmThresholds()

    /// The defaults: any evaluation periods, the house thresholds.
    public init() {}

    public static let keys = ["evaluationPeriods", "thresholds"]

    public static func read(_ key: String, _ value: Node, into profile: inout Profile) throws(SettingProblem) {
        if key == "evaluationPeriods" {
            profile.alarms.evaluationPeriods = try SettingValue.wholeNumber(value, key, minimum: 1)
            return
        }
        guard let map = value.objectValue else { throw SettingProblem("thresholds must be a mapping", at: value) }
        let names = ["connectionsFraction", "cpuPercent", "latencySeconds", "replicaLagSeconds"]
        for item in map.entries {
            guard names.contains(item.key) else {
                throw SettingProblem("unknown threshold '\(item.key)'; expected \(names.joined(separator: ", "))", at: Node(.string(item.key), at: item.keyLocation))
            }
            guard let number = item.value.numberValue, number.isFinite, number > 0 else {
                throw SettingProblem("the threshold \(item.key) must be a positive number", at: item.value)
            }
            switch item.key {
            case "cpuPercent": profile.alarms.thresholds.cpuPercent = number
            case "latencySeconds": profile.alarms.thresholds.latencySeconds = number
            case "replicaLagSeconds": profile.alarms.thresholds.replicaLagSeconds = number
            default: profile.alarms.thresholds.connectionsFraction = number
            }
        }
    }

    public static func written(_ profile: Profile) -> [(key: String, value: Node)] {
        let alarms = profile.alarms
        var thresholds = ObjectMap()
        thresholds.set("cpuPercent", SettingValue.number(alarms.thresholds.cpuPercent))
        thresholds.set("latencySeconds", SettingValue.number(alarms.thresholds.latencySeconds))
        thresholds.set("replicaLagSeconds", SettingValue.number(alarms.thresholds.replicaLagSeconds))
        thresholds.set("connectionsFraction", SettingValue.number(alarms.thresholds.connectionsFraction))
        var result: [(key: String, value: Node)] = []
        if let periods = alarms.evaluationPeriods { result.append(("evaluationPeriods", .number(String(periods)))) }
        result.append(("thresholds", .object(thresholds)))
        return result
    }
}

/// The thresholds AL-04 holds alarms to: an alarm set higher fires too late.
public struct AlarmThresholds: Sendable, Hashable {
    /// CPUUtilization, in percent.
    public var cpuPercent = 80.0
    /// ReadLatency and WriteLatency, in seconds.
    public var latencySeconds = 0.2
    /// ReplicaLag and AuroraReplicaLag, in seconds.
    public var replicaLagSeconds = 60.0
    /// DatabaseConnections alarms fire by this fraction of max_connections.
    public var connectionsFraction = 0.8

    /// The house thresholds.
    public init() {}
}

extension Profile {
    /// The alarms family's settings.
    public var alarms: AlarmSettings {
        get { self[settings: AlarmSettings.self] }
        set { self[settings: AlarmSettings.self] = newValue }
    }
}
