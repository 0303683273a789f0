import Formwork

/// The reference systems' conventions, from their seeds (rule-catalogue.md §3 and §3.6): the
/// house defaults of `ephemeral` (the EnvironmentSuffix parameter, `Environment =
/// !Ref EnvironmentSuffix`, nothing retained) plus each seed's own.
enum Profiles {
    static let userAPI: Profile = {
        var profile = Profile(name: "user-api")
        profile.requiredTags += [("Team", .string("platform")), ("Service", .string("user-api"))]
        profile.backupRetentionDays = 35
        profile.instanceClasses = ["db.r6g.large"]
        profile.evaluationPeriods = 2
        return profile
    }()

    static let paymentsHA: Profile = {
        var profile = Profile(name: "payments-ha")
        profile.instanceClasses = ["db.r6g.xlarge"]
        profile.engineMajorVersion = 14
        return profile
    }()

    static let postgresDR: Profile = {
        var profile = Profile(name: "postgres-dr")
        profile.requiredTags += [("Owner", nil), ("DR-Role", nil)]
        profile.instanceClasses = ["db.t3.medium"]
        profile.backupReplicationDays = 7
        profile.engineMajorVersion = 14
        return profile
    }()

    static let activePassive: Profile = {
        var profile = Profile(name: "active-passive")
        profile.backupRetentionDays = 1
        return profile
    }()

    static let ecommerce: Profile = {
        var profile = Profile(name: "ecommerce")
        profile.requiredTags += [("Role", nil)]
        profile.instanceClasses = ["db.m5.large", "db.m5.xlarge", "db.m5.2xlarge", "db.r5.large", "db.r5.xlarge", "db.r5.2xlarge"]
        profile.engineMajorVersion = 16
        return profile
    }()
}
