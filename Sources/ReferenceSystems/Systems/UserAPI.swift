import Formwork

/// Seed 000: the user-api PostgreSQL, optimised: db.r6g.large (Graviton2), Performance
/// Insights 7 days, Enhanced Monitoring 60 s, backups 35 days at 03:00-04:00 UTC, Multi-AZ,
/// a parameter group tuned for the class, CPU / connections / latency alarms on an SNS
/// email topic, tags Environment, Team and Service.
enum UserAPI {
    static let system = System(
        name: "user-api", summary: "user-api RDS PostgreSQL: db.r6g.large, PI 7 d, EM 60 s, backups 35 d, Multi-AZ, tuned parameters, alarms to SNS email",
        profile: Profiles.userAPI, manifestInfo: seed("000_3e0f76ccae61b33a.txt")) { [AppStack(file: "TapStack", stack: make())] }

    static func make() -> Stack {
        let system = SystemStack(
            system: "user-api",
            description: "user-api PostgreSQL on RDS (db.r6g.large, Multi-AZ), tuned and monitored: compiled by Formwork from Sources/ReferenceSystems/Systems/UserAPI.swift",
            tags: [("Team", "platform"), ("Service", "user-api")])
        system.alerting()
        let network = Network(system)
        let key = EncryptionKey(system, usedBy: "database")
        var spec = DatabaseSpec(.r6gLarge, engineVersion: "16.6")
        spec.backupRetentionDays = 35
        spec.databaseName = "userapi"
        let foundation = DatabaseFoundation(system, network: network, spec: spec)
        let primary = system.primaryDatabase(foundation: foundation, key: key)
        var policy = AlarmPolicy()
        policy.evaluationPeriods = 2
        system.primaryAlarms(primary, spec: spec, policy: policy)
        system.databaseEvents([primary])
        Outputs.database(system, primary, network: network, key: key)
        return system.stack
    }
}
