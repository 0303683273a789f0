// Imported by `formwork import` from same-ids.yaml.
import Formwork
import FormworkSNS
import FormworkSSM

/// Imported from fixtures/import/same-ids.yaml.
func sameIds() -> Stack {
    let stack = Stack()

    // Parameters
    let environment = stack.parameter("Environment", .string(allowedValues: ["prod", "test"]))
    let alarms = stack.parameter("Alarms", .string(default: "false", allowedValues: ["true", "false"]))

    // Mappings
    let environmentMapping = stack.mapping("Environment", [
        "prod": ["Retention": "30"],
        "test": ["Retention": "7"],
    ])

    // Conditions
    let alarmsCondition = stack.condition("Alarms", .equals(alarms.ref, "true"))
    let environmentCondition = stack.condition("Environment", .equals(environment.ref, "prod"))

    // Resources
    stack.add("Topic", SNS.Topic {
        $0.displayName = .findInMap(environmentMapping, environment.ref, "Retention")
    }, condition: alarmsCondition)
    stack.add("Retention", SSM.Parameter(type: .string, value: .findInMap(environmentMapping, environment.ref, "Retention")), condition: environmentCondition)
    return stack
}
