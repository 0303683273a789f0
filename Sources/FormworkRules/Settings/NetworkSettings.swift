import FormworkRuleKit
import FormworkTemplate

/// The network family's settings: NAT gateways (NW-03) and VPC endpoints (NW-04).
public struct NetworkSettings: RuleSettings, Hashable {
    /// How many NAT gateways the network has (NW-03), when the team fixes it (seed 003: one).
    public var natGateways: Int?
    /// The services every VPC reaches through interface or gateway endpoints (NW-04):
    /// `rds`, `sns`, `logs`, `events`, `s3`, `dynamodb`, ...
    public var vpcEndpoints: [String] = []

    /// The defaults: nothing fixed.
    public init() {}

    public static let keys = ["natGateways", "vpcEndpoints"]

    public static func read(_ key: String, _ value: Node, into profile: inout Profile) throws(SettingProblem) {
        if key == "natGateways" {
            profile.network.natGateways = try SettingValue.wholeNumber(value, key, minimum: 0)
        } else {
            profile.network.vpcEndpoints = try SettingValue.strings(value, "vpcEndpoints must be a list of service names (rds, sns, logs, s3, ...)")
        }
    }

    public static func written(_ profile: Profile) -> [(key: String, value: Node)] {
        var result: [(key: String, value: Node)] = []
        if let count = profile.network.natGateways { result.append(("natGateways", .number(String(count)))) }
        if !profile.network.vpcEndpoints.isEmpty { result.append(("vpcEndpoints", SettingValue.list(profile.network.vpcEndpoints))) }
        return result
    }
}

extension Profile {
    /// The network family's settings.
    public var network: NetworkSettings {
        get { self[settings: NetworkSettings.self] }
        set { self[settings: NetworkSettings.self] = newValue }
    }
}
