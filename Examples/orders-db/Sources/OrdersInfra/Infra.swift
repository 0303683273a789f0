import Formwork
import FormworkCloudWatch
import FormworkEC2
import FormworkIAM
import FormworkKMS
import FormworkLogs
import FormworkRDS
import FormworkSNS
import OrdersRules

/// The orders team's stacks: `swift run OrdersInfra synth` writes templates/orders/OrdersDB.yml.
@main
struct Infra: FormworkApp {
    var systems: [System] {
        [System(name: "orders", summary: "orders PostgreSQL 16 in the shared VPC", profile: Infra.profile, file: "OrdersDB") { ordersDatabase() }]
    }

    /// The team's own rules, run with the house rules by synth, lint and check.
    var rules: [any Rule] { [StorageHeadroom()] }

    /// The team's conventions: the house defaults plus its own tag, class and version.
    static let profile: Profile = {
        var profile = Profile(name: "orders", basedOn: .ephemeral)
        profile.tagging.require("Team", value: "orders")
        profile.rds.instanceClasses = ["db.t4g.medium", "db.r6g.large"]
        profile.rds.engineMajorVersion = 16
        return profile
    }()
}
