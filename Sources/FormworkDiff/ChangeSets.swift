import FormworkSchema
import FormworkTemplate

/// One resource of `aws cloudformation describe-change-set --include-property-values`:
/// CloudFormation's own verdict, shown beside Formwork's.
public struct ChangeSetResource: Sendable {
    /// Add, Modify, Remove, Import, Dynamic, SyncWithActual.
    public var action: String
    public var logicalID: String
    public var physicalID: String?
    public var type: String
    /// True, False or Conditional (Modify only).
    public var replacement: String?
    /// Delete, Retain, Snapshot, ReplaceAndDelete, ReplaceAndRetain, ReplaceAndSnapshot.
    public var policyAction: String?
    public var details: [ChangeSetDetail]

    /// CloudFormation's Replacement in Formwork's terms.
    public var verdict: Replacement? {
        switch replacement {
        case "True": return .will
        case "Conditional": return .may
        case "False": return Replacement.none
        default: return nil
        }
    }
}

public struct ChangeSetDetail: Sendable {
    /// `Properties/BucketName`, `Tags`, `DeletionPolicy`.
    public var path: String
    /// Never, Conditionally, Always.
    public var requiresRecreation: String?
    public var before: String?
    public var after: String?
    /// Static or Dynamic.
    public var evaluation: String?
    /// ResourceReference, ParameterReference, ResourceAttribute, DirectModification, Automatic.
    public var changeSource: String?
    public var causingEntity: String?
}

/// One resource of `aws cloudformation describe-stack-resource-drifts`.
public struct ResourceDrift: Sendable {
    public var logicalID: String
    public var type: String
    /// MODIFIED, DELETED, IN_SYNC, NOT_CHECKED, UNKNOWN, UNSUPPORTED.
    public var status: String
    public var properties: [DriftedProperty]
    /// What the update does to this resource's drift, in words.
    public var notes: [String] = []
}

public struct DriftedProperty: Sendable {
    /// `/VisibilityTimeout`, `/Tags/0/Value`.
    public var path: String
    public var expected: String?
    public var actual: String?
    /// ADD, REMOVE, NOT_EQUAL.
    public var differenceType: String
    /// The update writes the template's value over the live one.
    public var overwritten = false
}

extension DeployedInputs {
    static let changeSetActions: Set<String> = ["Add", "Modify", "Remove", "Import", "Dynamic", "SyncWithActual"]
    static let replacements: Set<String> = ["True", "False", "Conditional"]

    /// `aws cloudformation describe-change-set --include-property-values` output. Every field
    /// read is checked against the documented shape; anything else is a located DF-01.
    public static func changeSet(_ path: String) throws(DiffInputError) -> (stackName: String?, resources: [ChangeSetResource]) {
        let root = try readValue(path)
        guard root.objectValue != nil, let changes = root["Changes"] else {
            throw .shape(path, "expected `aws cloudformation describe-change-set` output ({\"Changes\": [...], \"ChangeSetName\": ...})", at: root.location)
        }
        guard let list = changes.arrayValue else {
            throw .shape(path, "\"Changes\" must be a list of {\"Type\": \"Resource\", \"ResourceChange\": {...}} objects, found \(TemplateReader.describe(changes))", at: changes.location)
        }
        func text(_ node: Node?, _ field: String, in owner: String, required: Bool = false, allowed: Set<String>? = nil) throws(DiffInputError) -> String? {
            guard let node else {
                if required { throw .shape(path, "\(owner) has no \(field)", at: root.location) }
                return nil
            }
            guard let value = node.stringValue else {
                throw .shape(path, "the \(field) of \(owner) must be a string, found \(TemplateReader.describe(node))", at: node.location)
            }
            if let allowed, !allowed.contains(value) {
                throw .shape(path, "the \(field) of \(owner) is '\(value.printable)', not one of \(allowed.sorted().joined(separator: ", "))", at: node.location)
            }
            return value
        }
        var resources: [ChangeSetResource] = []
        for item in list {
            guard item.objectValue != nil else {
                throw .shape(path, "a change that is not an object, found \(TemplateReader.describe(item))", at: item.location)
            }
            // Hook invocations and other kinds are not resource changes.
            guard try text(item["Type"], "Type", in: "a change") == "Resource" else { continue }
            guard let change = item["ResourceChange"], change.objectValue != nil else {
                throw .shape(path, "a Resource change without a ResourceChange object", at: item.location)
            }
            let owner = "a ResourceChange"
            guard let id = try text(change["LogicalResourceId"], "LogicalResourceId", in: owner, required: true) else { continue }
            let who = "the ResourceChange of \(id.printable)"
            let action = try text(change["Action"], "Action", in: who, required: true, allowed: changeSetActions) ?? ""
            let type = try text(change["ResourceType"], "ResourceType", in: who) ?? "?"
            var resource = ChangeSetResource(action: action, logicalID: id, physicalID: try text(change["PhysicalResourceId"], "PhysicalResourceId", in: who),
                                             type: type, replacement: try text(change["Replacement"], "Replacement", in: who, allowed: replacements),
                                             policyAction: try text(change["PolicyAction"], "PolicyAction", in: who,
                                                                    allowed: ["Delete", "Retain", "Snapshot", "ReplaceAndDelete", "ReplaceAndRetain", "ReplaceAndSnapshot"]),
                                             details: [])
            if let details = change["Details"] {
                guard let entries = details.arrayValue else {
                    throw .shape(path, "the Details of \(id.printable) must be a list, found \(TemplateReader.describe(details))", at: details.location)
                }
                for detail in entries {
                    guard detail.objectValue != nil, let target = detail["Target"], target.objectValue != nil else {
                        throw .shape(path, "a detail of \(id.printable) without a Target object", at: detail.location)
                    }
                    let attribute = try text(target["Attribute"], "Target Attribute", in: who) ?? "?"
                    let name = try text(target["Name"], "Target Name", in: who)
                    let documented = try text(target["Path"], "Target Path", in: who)
                    let place = documented.map { String($0.drop { $0 == "/" }) } ?? ([attribute] + (name.map { [$0] } ?? [])).joined(separator: "/")
                    resource.details.append(ChangeSetDetail(
                        path: place,
                        requiresRecreation: try text(target["RequiresRecreation"], "RequiresRecreation", in: who, allowed: ["Never", "Conditionally", "Always"]),
                        before: try text(target["BeforeValue"], "BeforeValue", in: who), after: try text(target["AfterValue"], "AfterValue", in: who),
                        evaluation: try text(detail["Evaluation"], "Evaluation", in: who, allowed: ["Static", "Dynamic"]),
                        changeSource: try text(detail["ChangeSource"], "ChangeSource", in: who),
                        causingEntity: try text(detail["CausingEntity"], "CausingEntity", in: who)))
                }
            }
            resources.append(resource)
        }
        let stackName = root["StackName"]?.stringValue
        return (stackName, resources)
    }

    /// `aws cloudformation describe-stack-resource-drifts` output.
    public static func drifts(_ path: String) throws(DiffInputError) -> [ResourceDrift] {
        let root = try readValue(path)
        guard root.objectValue != nil, let drifts = root["StackResourceDrifts"] else {
            throw .shape(path, "expected `aws cloudformation describe-stack-resource-drifts` output ({\"StackResourceDrifts\": [...]})", at: root.location)
        }
        guard let list = drifts.arrayValue else {
            throw .shape(path, "\"StackResourceDrifts\" must be a list, found \(TemplateReader.describe(drifts))", at: drifts.location)
        }
        var result: [ResourceDrift] = []
        for item in list {
            guard item.objectValue != nil, let id = item["LogicalResourceId"]?.stringValue, let type = item["ResourceType"]?.stringValue,
                  let status = item["StackResourceDriftStatus"]?.stringValue else {
                throw .shape(path, "a drift that is not an object with string LogicalResourceId, ResourceType and StackResourceDriftStatus", at: item.location)
            }
            guard ["IN_SYNC", "MODIFIED", "DELETED", "NOT_CHECKED", "UNKNOWN", "UNSUPPORTED"].contains(status) else {
                throw .shape(path, "the StackResourceDriftStatus of \(id.printable) is '\(status.printable)', not one of DELETED, IN_SYNC, MODIFIED, NOT_CHECKED, UNKNOWN, UNSUPPORTED", at: item["StackResourceDriftStatus"]!.location)
            }
            var properties: [DriftedProperty] = []
            if let differences = item["PropertyDifferences"] {
                guard let entries = differences.arrayValue else {
                    throw .shape(path, "the PropertyDifferences of \(id.printable) must be a list, found \(TemplateReader.describe(differences))", at: differences.location)
                }
                for entry in entries {
                    guard entry.objectValue != nil, let property = entry["PropertyPath"]?.stringValue, let kind = entry["DifferenceType"]?.stringValue,
                          ["ADD", "REMOVE", "NOT_EQUAL"].contains(kind) else {
                        throw .shape(path, "a property difference of \(id.printable) without a string PropertyPath and a DifferenceType of ADD, REMOVE or NOT_EQUAL", at: entry.location)
                    }
                    for field in ["ExpectedValue", "ActualValue"] {
                        if let value = entry[field], value.stringValue == nil {
                            throw .shape(path, "the \(field) of \(id.printable) \(property.printable) must be a string (the AWS CLI writes JSON text), found \(TemplateReader.describe(value))", at: value.location)
                        }
                    }
                    properties.append(DriftedProperty(path: property, expected: entry["ExpectedValue"]?.stringValue, actual: entry["ActualValue"]?.stringValue, differenceType: kind))
                }
            }
            result.append(ResourceDrift(logicalID: id, type: type, status: status, properties: properties))
        }
        return result
    }
}

/// The change set and drift set beside Formwork's own diff.
enum ChangeSetComparison {
    /// Attaches CloudFormation's verdicts to Formwork's resources and lists the disagreements;
    /// change-set resources Formwork does not have become `changeSetOnly` entries.
    static func merge(_ changes: [ChangeSetResource], into report: inout DiffReport, withLocal: Bool, registry: SchemaRegistry) {
        for change in changes {
            // A rename is the change set's Remove of the old id and Add of the new one.
            if withLocal, change.action == "Remove", report.resources.contains(where: { $0.action == .rename && $0.previousLogicalID == change.logicalID }) { continue }
            guard withLocal, let index = report.resources.firstIndex(where: { $0.logicalID == change.logicalID }) else {
                report.changeSetOnly.append(resource(from: change, registry: registry))
                if withLocal { report.disagreements.append("\(change.logicalID): the change set has \(change.action) (Replacement \(change.replacement ?? "-")), Formwork finds no difference") }
                continue
            }
            report.resources[index].changeSet = change
            let mine = report.resources[index]
            let action = ["Add": ResourceAction.add, "Remove": .remove, "Modify": .modify][change.action]
            if let action, action != mine.action, !(action == .remove && mine.action == .orphan), !(mine.action == .rename) {
                report.disagreements.append("\(change.logicalID): the change set has \(change.action), Formwork \(mine.action.rawValue)")
            } else if let theirs = change.verdict {
                if theirs == .will, !mine.replacement.isReplacement, mine.replacement != .fails {
                    report.disagreements.append("\(change.logicalID): CloudFormation replaces it (Replacement True), Formwork says \(mine.replacement.rawValue)")
                } else if theirs == .none, mine.replacement == .will {
                    report.disagreements.append("\(change.logicalID): CloudFormation does not replace it (Replacement False), Formwork says it is replaced")
                }
            }
        }
        if withLocal {
            let listed = Set(changes.map(\.logicalID))
            for resource in report.resources where !listed.contains(resource.logicalID) && !listed.contains(resource.previousLogicalID ?? "") {
                report.disagreements.append("\(resource.logicalID): Formwork finds \(resource.action.rawValue) (\(resource.replacement.rawValue)), the change set has no change")
            }
        }
    }

    /// A change-set resource as a diff entry, with the data verdict its PolicyAction gives.
    static func resource(from change: ChangeSetResource, registry: SchemaRegistry) -> ResourceDiff {
        let action: ResourceAction
        switch change.action {
        case "Add", "Import": action = .add
        case "Remove": action = change.policyAction == "Retain" ? .orphan : .remove
        default: action = .modify
        }
        var diff = ResourceDiff(logicalID: change.logicalID, type: change.type, action: action, replacement: action == .modify ? (change.verdict ?? .none) : .none)
        diff.physicalID = change.physicalID
        diff.changeSet = change
        diff.changes = change.details.map { detail in
            let path = detail.path.split(separator: "/").map { PathComponent.key(String($0)) }
            let level: Replacement = detail.requiresRecreation == "Always" ? .will : (detail.requiresRecreation == "Conditionally" ? .may : .none)
            var reason = "change set: RequiresRecreation \(detail.requiresRecreation ?? "-")"
            if let source = detail.changeSource { reason += ", \(source)" + (detail.causingEntity.map { " \($0)" } ?? "") }
            if let evaluation = detail.evaluation { reason += ", \(evaluation) evaluation" }
            return PropertyChange(path: path, before: detail.before.map { .string($0) }, after: detail.after.map { .string($0) }, Verdict(level, reason, .changeSet))
        }
        if registry.isDataBearing(change.type), action == .remove || diff.replacement.isReplacement {
            switch change.policyAction {
            case "Retain", "ReplaceAndRetain": diff.data = .kept
            case "Snapshot", "ReplaceAndSnapshot": diff.data = .snapshot
            default: diff.data = .lost
            }
        }
        if let policy = change.policyAction { diff.notes.append("change set PolicyAction \(policy)") }
        return diff
    }

    /// Which drifted properties the update writes over: those under a property it changes, or
    /// all of them when it replaces the resource.
    static func judge(_ drifts: [ResourceDrift], report: inout DiffReport) {
        for var drift in drifts where drift.status != "IN_SYNC" && drift.status != "NOT_CHECKED" {
            let diff = report.resources.first { $0.logicalID == drift.logicalID }
            if drift.status == "DELETED" {
                drift.notes.append(diff?.action == .modify ? "deleted outside CloudFormation: the update of it fails (the resource is not found)"
                                                         : "deleted outside CloudFormation; the deployed template still declares it")
            }
            let replaced = diff.map { $0.action == .modify && $0.replacement.isReplacement } ?? false
            let changed = diff?.changes.map { "/" + $0.pathText } ?? []
            for index in drift.properties.indices {
                let path = "/Properties" + drift.properties[index].path
                drift.properties[index].overwritten = replaced || changed.contains { path.hasPrefix($0) || $0.hasPrefix(path) }
            }
            let overwritten = drift.properties.filter(\.overwritten).map(\.path)
            if replaced {
                drift.notes.append("the update replaces it: the new resource has the template's values, the drift goes with the old one")
            } else if !overwritten.isEmpty {
                drift.notes.append("the update writes the template's value over the live one at \(overwritten.joined(separator: ", "))")
            }
            if drift.status == "MODIFIED", overwritten.count < drift.properties.count, !replaced {
                drift.notes.append("the drift at \(drift.properties.filter { !$0.overwritten }.map(\.path).joined(separator: ", ")) stays: the update does not touch it")
            }
            report.liveDrift.append(drift)
        }
    }
}
