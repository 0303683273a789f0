import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// A house rule about an update rather than a template: checked by `formwork diff` on the
/// diff of a local template against the deployed one. Its description's examples are
/// updates of `description.deployedExample`, with `↓` where a finding lands in the local
/// template.
public protocol ChangeRule: Sendable {
    static var description: RuleDescription { get }
    init()
    func check(_ report: DiffReport, local: Template, registry: SchemaRegistry, file: String?) -> [Diagnostic]
}

public enum ChangeRuleRegistry {
    public static let all: [any ChangeRule.Type] = [CustomNameReplacement.self, ExportedValueChange.self, DatabaseUpdateImpact.self, RefusedUpdate.self]

    public static func findings(_ report: DiffReport, local: Template, registry: SchemaRegistry, file: String?) -> [Diagnostic] {
        all.flatMap { $0.init().check(report, local: local, registry: registry, file: file) }.sorted(by: Diagnostic.reportOrder)
    }

    /// The change rule a user named by its id (any case) or its name.
    public static func rule(_ id: String) -> (any ChangeRule.Type)? {
        all.first { $0.description.id.isNamed(by: id) || $0.description.name == id }
    }

    public static func rule(_ id: RuleID) -> (any ChangeRule.Type)? {
        all.first { $0.description.id == id }
    }
}

extension ChangeRule {
    /// A finding at the changed property in the local template (or at the resource when the
    /// property was removed).
    /// `body`: the resource in the local template, when the rule has it already.
    func finding(_ message: String, severity: Severity, resource: ResourceDiff, change: PropertyChange?, local: Template, file: String?, hint: String? = nil,
                 body known: Resource? = nil) -> Diagnostic {
        var location = Location(line: 1, column: 1)
        if let body = known ?? local.resource(resource.logicalID) {
            location = body.keyLocation
            if let change, let value = Node.object(body.body).value(at: change.path) { location = value.location }
        }
        return Diagnostic(ruleID: Self.description.id, severity: severity, message: message, file: file,
                          location: location.isKnown ? location : Location(line: 1, column: 1),
                          path: [.key("Resources"), .key(resource.logicalID)] + (change?.path ?? []), hint: hint)
    }
}

/// LC-08: an update that replaces a resource whose name is fixed in the template fails.
public struct CustomNameReplacement: ChangeRule {
    public static let description = RuleDescription(
        id: "LC-08", name: "custom-name-replacement", family: .lifecycle, severity: .error,
        rationale: "CloudFormation replaces a resource by creating the new one before deleting the old, so a resource whose name is set in the template (BucketName, DBInstanceIdentifier, RoleName, ...) cannot be replaced under the same name: the update fails and rolls back. The seeds require explicit, suffixed names, so instead of banning names (cfn-guard CFN_NO_EXPLICIT_RESOURCE_NAMES, cfn_nag W28) this checks the update: a replacing change must come with a new name.",
        deployed: "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceIdentifier: orders-db-dev1\n      DBName: orders\n      DBInstanceClass: db.m5.large\n",
        triggering: [
            "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceIdentifier: orders-db-dev1\n      DBName: ↓sales\n      DBInstanceClass: db.m5.large\n",
        ],
        nonTriggering: [
            "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceIdentifier: orders-db-v2-dev1\n      DBName: sales\n      DBInstanceClass: db.m5.large\n",
            "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceIdentifier: orders-db-dev1\n      DBName: orders\n      DBInstanceClass: db.m5.xlarge\n",
        ])

    public init() {}

    public func check(_ report: DiffReport, local: Template, registry: SchemaRegistry, file: String?) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for resource in report.resources where resource.action == .modify && resource.replacement.isReplacement {
            guard let body = local.resource(resource.logicalID), let properties = body.properties,
                  let fixedNames = NameScopes.collisions(type: resource.type, changes: resource.changes, properties: properties, registry: registry,
                                                         propagated: resource.changedByPropagation),
                  let cause = resource.changes.first(where: { $0.replacement.isReplacement }) else { continue }
            let verb = cause.replacement == .will ? "replaces" : "may replace"
            found.append(finding("\(resource.logicalID): changing \(cause.pathText) \(verb) the resource, but \(fixedNames.joined(separator: ", ")) keeps its custom name, so the update fails",
                                 severity: .error, resource: resource, change: cause, local: local, file: file,
                                 hint: "change \(fixedNames[0]) in the same update (the suffix can stay last)", body: body))
        }
        return found
    }
}

/// Where a custom name must be unique: a replacement collides with the old resource's name
/// only within the same scope. A security group's name is unique per VPC, an ECS service's
/// per cluster, a record set's per hosted zone; most names per account and region.
enum NameScopes {
    static let scopes: [String: [String: [String]]] = [
        "AWS::EC2::SecurityGroup": ["GroupName": ["VpcId"]],
        "AWS::ECS::Service": ["ServiceName": ["Cluster"]],
        "AWS::Route53::RecordSet": ["Name": ["HostedZoneId", "HostedZoneName"]],
        "AWS::Glue::Table": ["Name": ["DatabaseName"]],
    ]

    /// The custom names a replacement keeps within the same scope (so the new resource's name
    /// collides with the old one's); nil when none does. `propagated`: the top-level properties
    /// whose text stays but whose resolved value changes (`PropagatedNames`).
    static func collisions(type: String, changes: [PropertyChange], properties: ObjectMap?, registry: SchemaRegistry,
                           propagated: Set<String> = []) -> [String]? {
        // The summary's names are parsed once per type; the schema's are computed on each call.
        guard let properties, let names = registry.summary(for: type)?.nameProperties, !names.isEmpty else { return nil }
        let changed = Set(changes.compactMap { change -> String? in
            guard change.path.count >= 2, case .key(let name) = change.path[1], change.before != change.after else { return nil }
            return name
        }).union(propagated)
        let fixed = names.filter { name in
            guard properties[name] != nil, !changed.contains(name) else { return false }
            // A name whose scope moves (another VPC, another cluster) does not collide.
            return !(scopes[type]?[name] ?? []).contains(where: changed.contains)
        }
        return fixed.isEmpty ? nil : fixed
    }
}

/// LC-10: an exported output whose value the update changes.
public struct ExportedValueChange: ChangeRule {
    public static let description = RuleDescription(
        id: "LC-10", name: "exported-value-change", family: .lifecycle, severity: .error,
        rationale: "CloudFormation does not update an export that another stack imports: the update of the exporting stack fails while any stack imports it, and so does one that removes or renames the export (exports are known by their name, not by the output that carries them). A replaced resource (a new name, a new ARN) or a new attribute value changes every output that reads it, so an exported output that changes must be planned: move the importing stacks off it first, or keep the old export beside the new one.",
        deployed: "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      FifoQueue: false\nOutputs:\n  QueueUrl:\n    Value: !Ref Queue\n    Export:\n      Name: orders-queue-url\n",
        triggering: [
            "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      FifoQueue: true\nOutputs:\n  QueueUrl:\n    Value: !Ref Queue\n    Export:\n      Name: ↓orders-queue-url\n",
            "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      FifoQueue: false\nOutputs:\n  QueueUrl:\n    Value: !Ref Queue\n    Export:\n      Name: ↓orders-queue-url-v2\n",
        ],
        nonTriggering: [
            "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      FifoQueue: false\n      VisibilityTimeout: 60\nOutputs:\n  QueueUrl:\n    Value: !Ref Queue\n    Export:\n      Name: orders-queue-url\n",
            "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      FifoQueue: false\nOutputs:\n  Url:\n    Value: !Ref Queue\n    Export:\n      Name: orders-queue-url\n",
        ])

    public init() {}

    public func check(_ report: DiffReport, local: Template, registry: SchemaRegistry, file: String?) -> [Diagnostic] {
        let removed = report.removedExports.map { export -> Diagnostic in
            let output = local.outputs?[export.output]
            let place = output?["Export"]?["Name"]?.location ?? output?.location ?? local.root["Outputs"]?.location ?? Location(line: 1, column: 1)
            let what = export.renamedTo.map { "renamed to \($0)" } ?? (output == nil ? "removed with the output \(export.output)" : "removed")
            return Diagnostic(ruleID: Self.description.id, severity: .error,
                              message: "the export \(export.name) (output \(export.output)) is \(what); a stack that imports it blocks this update",
                              file: file, location: place.isKnown ? place : Location(line: 1, column: 1),
                              path: [.key("Outputs"), .key(export.output), .key("Export"), .key("Name")],
                              hint: "keep exporting \(export.name) until no stack imports it (`aws cloudformation list-imports --export-name \(export.name)`)")
        }
        return removed + report.outputs.compactMap { output -> Diagnostic? in
            guard output.action == .modify, let export = output.exportName, !report.removedExports.contains(where: { $0.output == output.name }) else { return nil }
            let place = local.outputs?[output.name]?["Export"]?["Name"]?.location ?? local.outputs?[output.name]?.location ?? Location(line: 1, column: 1)
            let why = output.notes.first { $0.hasPrefix("its value changes") }.map { ": " + $0.dropFirst("its value changes: ".count) } ?? ""
            return Diagnostic(ruleID: Self.description.id, severity: .error,
                              message: "the output \(output.name) is exported as \(export) and its value changes\(why); a stack that imports it blocks this update",
                              file: file, location: place.isKnown ? place : Location(line: 1, column: 1),
                              path: [.key("Outputs"), .key(output.name), .key("Export"), .key("Name")],
                              hint: "update or remove the importing stacks first, or export the new value under a new name")
        }
    }
}

/// RDS-22: what an update does to a database: replacement (a new, empty instance unless
/// restored) is an error, a reboot or failover a warning.
public struct DatabaseUpdateImpact: ChangeRule {
    public static let description = RuleDescription(
        id: "RDS-22", name: "database-update-impact", family: .rds, severity: .error,
        rationale: "Seed 000 asks for zero-downtime changes. Changing a create-only property of a DB instance or cluster (KmsKeyId, DBName, MasterUsername, StorageEncrypted, DBSubnetGroupName, Port, ...) replaces the database with a new, empty one: an error. The \"some interruptions\" properties (DBInstanceClass, MultiAZ, EngineVersion, StorageType, DBParameterGroupName, ...) reboot the instance or fail it over: a warning, to be planned into a maintenance window.",
        deployed: "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: db.m5.large\n      KmsKeyId: alias/old\n      StorageEncrypted: true\n",
        triggering: [
            "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: db.m5.large\n      KmsKeyId: ↓alias/new\n      StorageEncrypted: true\n",
            "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: ↓db.r6g.large\n      KmsKeyId: alias/old\n      StorageEncrypted: true\n",
        ],
        nonTriggering: [
            "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBInstanceClass: db.m5.large\n      KmsKeyId: alias/old\n      StorageEncrypted: true\n      CopyTagsToSnapshot: true\n",
        ])

    public init() {}

    public func check(_ report: DiffReport, local: Template, registry: SchemaRegistry, file: String?) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for resource in report.resources where resource.action == .modify
            && (resource.type == "AWS::RDS::DBInstance" || resource.type == "AWS::RDS::DBCluster") {
            for change in resource.changes {
                switch change.replacement {
                case .will, .may:
                    let verb = change.replacement == .will ? "replaces" : "may replace"
                    found.append(finding("\(resource.logicalID): changing \(change.pathText) \(verb) the database with a new one (\(change.reason))",
                                         severity: .error, resource: resource, change: change, local: local, file: file))
                case .interruption:
                    found.append(finding("\(resource.logicalID): changing \(change.pathText) reboots or fails over the database (\(change.reason))",
                                         severity: .warning, resource: resource, change: change, local: local, file: file))
                case .fails:
                    found.append(finding("\(resource.logicalID): changing \(change.pathText) cannot be done: the update fails (\(change.reason))",
                                         severity: .error, resource: resource, change: change, local: local, file: file))
                case .none:
                    break
                }
            }
        }
        return found
    }
}

/// LC-12: an update CloudFormation refuses: a new Type under the same logical id, a custom
/// resource's new ServiceToken, a property that cannot be updated, a rename that keeps a
/// custom name.
public struct RefusedUpdate: ChangeRule {
    public static let description = RuleDescription(
        id: "LC-12", name: "refused-update", family: .lifecycle, severity: .error,
        rationale: "Some updates are refused outright: CloudFormation answers \"Update of resource type is not permitted\" to a new Type under the same logical id (nothing is replaced: the update fails and rolls back), does not update a custom resource's ServiceToken, fails on properties whose page says they cannot be updated (a KMS key's KeySpec), and cannot create a renamed resource that keeps its custom name (\"already exists\"). Such an update is planned differently: a new logical id for the new type (with a new name), a stack refactor for a rename.",
        deployed: "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: orders-dev1\n",
        triggering: [
            "Resources:\n  Queue:\n    Type: ↓AWS::SNS::Topic\n    Properties:\n      TopicName: orders-dev1\n",
            "Resources:\n  ↓OrdersQueue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: orders-dev1\n",
        ],
        nonTriggering: [
            "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: orders-v2-dev1\n",
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: orders-dev1\n",
        ])

    public init() {}

    public func check(_ report: DiffReport, local: Template, registry: SchemaRegistry, file: String?) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for resource in report.resources where resource.replacement == .fails {
            if resource.action == .add, let note = resource.notes.first(where: { $0.contains("already exists") }) {
                found.append(finding("\(resource.logicalID): \(note)", severity: .error, resource: resource, change: nil, local: local, file: file,
                                     hint: "give it another name, or remove the old resource in an earlier update"))
                continue
            }
            if resource.action == .rename {
                found.append(finding("\(resource.logicalID): renamed from \(resource.previousLogicalID ?? "?") but keeps its custom name, so creating it fails (\"already exists\") and the update rolls back",
                                     severity: .error, resource: resource, change: nil, local: local, file: file,
                                     hint: "move it with `aws cloudformation create-stack-refactor` (formwork diff --refactor-out writes the resource mappings), or change the name too"))
                continue
            }
            // RDS-22 reports what cannot be done to a database.
            if resource.type == "AWS::RDS::DBInstance" || resource.type == "AWS::RDS::DBCluster", resource.previousType == nil { continue }
            guard let cause = resource.changes.first(where: { $0.replacement == .fails }) else { continue }
            let hint: String?
            if cause.path == [.key("Type")] {
                hint = "to change the type, add the new resource under a new logical id (with a new custom name, if it has one) and remove \(resource.logicalID); the old resource's data does not carry over"
            } else if cause.path == [.key("Properties"), .key("ServiceToken")] {
                hint = "a new service token needs a new logical id: the old custom resource then gets its Delete request"
            } else {
                hint = nil
            }
            found.append(finding("\(resource.logicalID): the update fails: \(cause.reason)", severity: .error, resource: resource, change: cause, local: local, file: file, hint: hint))
        }
        return found
    }
}
