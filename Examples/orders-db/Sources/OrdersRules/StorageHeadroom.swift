import Formwork

/// ORD-01: the orders team's own rule. A database grows by storage autoscaling
/// (MaxAllocatedStorage) to at least twice its allocated storage, so that a busy sale does
/// not fill the disk before anyone is paged.
public struct StorageHeadroom: Rule {
    public static let description = RuleDescription(
        id: "ORD-01", name: "storage-headroom", family: .team, severity: .warning,
        rationale: "Orders arrive in bursts: a database that cannot grow to twice its allocated storage (MaxAllocatedStorage) fills its disk during a sale, and a full disk stops writes before the storage alarm's period has passed.",
        triggering: [
            "Resources:\n  ↓Small:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      AllocatedStorage: '50'\n  Tight:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      AllocatedStorage: '50'\n      MaxAllocatedStorage: ↓60\n",
        ],
        nonTriggering: [
            "Resources:\n  Orders:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      AllocatedStorage: '50'\n      MaxAllocatedStorage: 200\n  Replica:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      SourceDBInstanceIdentifier: orders\n",
        ])

    public init() {}

    public func check(_ template: Template, _ context: RuleContext) {
        for database in template.resources where database.type == "AWS::RDS::DBInstance" {
            // A read replica takes its storage from its source.
            guard let properties = database.properties, properties["SourceDBInstanceIdentifier"] == nil,
                  let allocated = properties["AllocatedStorage"]?.numberValue else { continue }
            let path: [PathComponent] = [.key("Resources"), .key(database.logicalID), .key("Properties"), .key("MaxAllocatedStorage")]
            // Every value the property can take: a literal, a parameter's values, both branches of Fn::If.
            for candidate in context.values.candidates(properties["MaxAllocatedStorage"]) {
                switch candidate {
                case .absent:
                    context.report("\(database.logicalID) has no MaxAllocatedStorage: its storage cannot grow", at: database.keyLocation, path: [.key("Resources"), .key(database.logicalID)])
                case .literal(let value, _):
                    if let maximum = value.numberValue, maximum < 2 * allocated {
                        context.report("\(database.logicalID) grows to \(value.scalarText ?? "?") GiB, less than twice its \(Int(allocated)) GiB", at: value.location, path: path)
                    }
                case .unresolved:
                    continue
                }
            }
        }
    }
}
