import Formwork
import FormworkConstructs

/// Seed 000: the user-api PostgreSQL, optimised: db.r6g.large (Graviton2), Performance
/// Insights 7 days, Enhanced Monitoring 60 s, backups 35 days at 03:00-04:00 UTC, Multi-AZ,
/// a parameter group tuned for the class, CPU / connections / latency alarms on an SNS
/// email topic, tags Environment, Team and Service.
enum UserAPI {
    static let system = System(
        name: "user-api", summary: "user-api RDS PostgreSQL: db.r6g.large, PI 7 d, EM 60 s, backups 35 d, Multi-AZ, tuned parameters, alarms to SNS email",
        profile: Profiles.userAPI, manifestInfo: seed("000_3e0f76ccae61b33a.txt")) { [AppStack(file: "TapStack", stack: make())] }

    static func make() -> Stack {
        let base = SystemScope("user-api", profile: Profiles.userAPI, keyUsedBy: "database",
                               description: "user-api PostgreSQL on RDS (db.r6g.large, Multi-AZ), tuned and monitored: compiled by Formwork from Sources/ReferenceSystems/Systems/UserAPI.swift")
        let primary = base.primary(.r6gLarge, engineVersion: "16.6", databaseName: "userapi")
        // Seed 000 asks for shared_buffers at 25 % of memory: static, so a change reboots.
        primary.tuneMemory(because: "shared_buffers and max_connections are static: changing them reboots the instance in its next maintenance window. The tuning is the seed's requirement; Multi-AZ keeps the reboot a failover.")
        _ = DatabaseAlarms(base.scope, for: primary, topic: base.alarms)
        base.outputs(primary)
        return base.stack
    }
}
