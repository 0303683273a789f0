import FormworkRuleKit
import FormworkTemplate

/// LC-11: DynamoDB tables keep point-in-time recovery, where the profile requires it.
struct PointInTimeRecovery: Rule {
    static let description = RuleDescription(
        id: "LC-11", name: "point-in-time-recovery", family: .lifecycle, severity: .warning,
        rationale: "Point-in-time recovery restores a DynamoDB table to any second of the last 35 days: the way back from a bad deploy, a wrong batch write or a deleted item, which backups taken nightly do not cover. It is off unless PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled is true (for a global table, on each replica). A team chooses: `pointInTimeRecovery: required` in .formwork.yml (the `production` profile's default) judges every table; `ephemeral`, the default and the reference systems' base, leaves it off, since a test stack's tables are destroyed with it and the recovery window would cost for nothing.",
        peers: [.checkov("CKV_AWS_28"), .guardRule("DYNAMODB_PITR_ENABLED"), .cfnNag("W78")],
        triggering: [
            "Metadata:\n  formwork:\n    settings: {pointInTimeRecovery: required}\nResources:\n  ↓Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n      KeySchema: [{AttributeName: id, KeyType: HASH}]\n  Sessions:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n      KeySchema: [{AttributeName: id, KeyType: HASH}]\n      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: ↓false}\n",
        ],
        nonTriggering: [
            "Metadata:\n  formwork:\n    settings: {pointInTimeRecovery: required}\nResources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n      KeySchema: [{AttributeName: id, KeyType: HASH}]\n      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n",
            "Resources:\n  Scratch:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n      KeySchema: [{AttributeName: id, KeyType: HASH}]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        guard context.configuration.lifecycle.pointInTimeRecoveryRequired else { return }
        for table in template.resources {
            var specifications: [(Node?, [PathComponent], Location)] = []
            switch table.type {
            case "AWS::DynamoDB::Table":
                specifications.append((table.properties?["PointInTimeRecoverySpecification"], Places.resourcePath(table, .key("Properties"), .key("PointInTimeRecoverySpecification")), table.keyLocation))
            case "AWS::DynamoDB::GlobalTable":
                for (replica, path) in Branches.items(table.properties?["Replicas"], Places.resourcePath(table, .key("Properties"), .key("Replicas"))) {
                    specifications.append((replica["PointInTimeRecoverySpecification"], path + [.key("PointInTimeRecoverySpecification")], replica.objectValue?.entries.first?.keyLocation ?? replica.location))
                }
            default: continue
            }
            for (specification, path, place) in specifications {
                let enabled = specification?["PointInTimeRecoveryEnabled"]
                if enabled == nil {
                    context.report("\(table.logicalID) has no point-in-time recovery (pointInTimeRecovery: required)", at: place, path: path,
                                   hint: "PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}")
                }
                for (value, node) in context.literals(enabled) where value.lowercased() != "true" {
                    context.report("\(table.logicalID) turns point-in-time recovery off (pointInTimeRecovery: required)", at: node.location, path: path + [.key("PointInTimeRecoveryEnabled")])
                }
            }
        }
    }
}
