import Formwork

/// The reference systems' conventions, from their seeds (rule-catalogue.md §3 and §3.6): the
/// house defaults of `ephemeral` (the EnvironmentSuffix parameter, `Environment =
/// !Ref EnvironmentSuffix`, nothing retained) plus each seed's own.
enum Profiles {
    static let userAPI: Profile = {
        var profile = Profile(name: "user-api")
        profile.tagging.require("Team", value: "platform")
        profile.tagging.require("Service", value: "user-api")
        profile.rds.backupRetentionDays = 35
        profile.rds.instanceClasses = ["db.r6g.large"]
        profile.alarms.evaluationPeriods = 2
        return profile
    }()

    static let paymentsHA: Profile = {
        var profile = Profile(name: "payments-ha")
        profile.rds.instanceClasses = ["db.r6g.xlarge"]
        profile.rds.engineMajorVersion = 14
        // Seed 001: public and private subnets with one NAT gateway; endpoints for the
        // services the database and its alarms talk to.
        profile.network.natGateways = 1
        profile.network.vpcEndpoints = ["rds", "sns", "logs", "events"]
        return profile
    }()

    static let postgresDR: Profile = {
        var profile = Profile(name: "postgres-dr")
        profile.tagging.require("Owner")
        profile.tagging.require("DR-Role")
        profile.rds.instanceClasses = ["db.t3.medium"]
        profile.rds.backupReplicationDays = 7
        profile.rds.engineMajorVersion = 14
        return profile
    }()

    static let activePassive: Profile = {
        var profile = Profile(name: "active-passive")
        profile.rds.backupRetentionDays = 1
        return profile
    }()

    static let ecommerce: Profile = {
        var profile = Profile(name: "ecommerce")
        profile.tagging.require("Role")
        profile.rds.instanceClasses = ["db.m5.large", "db.m5.xlarge", "db.m5.2xlarge", "db.r5.large", "db.r5.xlarge", "db.r5.2xlarge"]
        profile.rds.engineMajorVersion = 16
        // Seed 004: one NAT gateway in the public subnets; CPU alarms at the seed's 75 %.
        profile.network.natGateways = 1
        profile.alarms.thresholds.cpuPercent = 75
        return profile
    }()
}
