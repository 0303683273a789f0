import Formwork
import FormworkConstructs

/// The orders pipeline: `swift run OrdersPipeline synth` writes templates/orders-dev and
/// templates/orders-prod (two regions).
@main
struct Infra: FormworkApp {
    static let regions = ["us-east-1", "eu-west-1"]

    var systems: [System] {
        [
            System(name: "orders-dev", summary: "the orders pipeline, destroyable", profile: OrdersProfiles.dev, file: "OrdersPipeline") {
                pipeline(profile: OrdersProfiles.dev)
            },
            System(name: "orders-prod", summary: "the orders pipeline in two regions", profile: OrdersProfiles.prod, deployment: Infra.deployment) {
                Infra.regions.map { AppStack(file: "OrdersPipeline.\($0)", region: $0, role: $0, stack: pipeline(profile: OrdersProfiles.prod)) }
            },
        ]
    }

    /// Each region's stack stands alone: deployed in either order.
    static let deployment = Deployment(
        stacks: regions.map { Deployment.StackEntry(role: $0, region: $0, stackName: "orders-pipeline-${EnvironmentSuffix}") },
        steps: regions.map { Deployment.Step(role: $0, inputs: [], why: "the pipeline of \($0): database, queue, worker, alarms") })
}
