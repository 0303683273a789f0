import FormworkSchema
import FormworkTemplate

/// `add`, `remove`, `orphan` (removed from the template but retained), `modify`, `rename` (a
/// resource removed and one added with the same type and properties).
public enum ResourceAction: String, Sendable, Codable {
    case add, remove, orphan, modify, rename
}

/// What becomes of a stateful resource's data: gone; only in a final snapshot (a replaced
/// database starts empty, and CloudFormation deletes the old one's automated backups); kept.
public enum DataVerdict: String, Sendable, Codable {
    case lost, snapshot, kept
}

public struct PropertyChange: Sendable {
    /// From the resource: `Properties/DBInstanceClass`, `Properties/Tags`, `DeletionPolicy`.
    public var path: [PathComponent]
    public var before: Node?
    public var after: Node?
    public var replacement: Replacement
    /// Why: the documentation or registry rule that matched, or the value that changes.
    public var reason: String
    /// Which source decided the verdict.
    public var source: VerdictSource

    public var pathText: String { path.map(\.description).joined(separator: "/") }

    init(path: [PathComponent], before: Node?, after: Node?, _ verdict: Verdict) {
        self.path = path
        self.before = before
        self.after = after
        replacement = verdict.replacement
        reason = verdict.reason
        source = verdict.source
    }
}

public struct ResourceDiff: Sendable {
    public var logicalID: String
    public var type: String
    public var action: ResourceAction
    public var replacement: Replacement
    /// The data is gone with no snapshot (`data == .lost`).
    public var dataLoss: Bool { data == .lost }
    /// For a stateful resource that is removed or replaced: what becomes of its data.
    public var data: DataVerdict?
    public var changes: [PropertyChange]
    /// Things worth saying that are not property changes (custom names, snapshots, drift).
    public var notes: [String]
    public var physicalID: String?
    /// The deployed type, when the update changes it.
    public var previousType: String?
    /// For a rename: the deployed logical id.
    public var previousLogicalID: String?
    /// CloudFormation's own verdict from a change set, when one is given.
    public var changeSet: ChangeSetResource?
    /// What each propagated change reads (path below Properties, resource, attribute): a
    /// replaced resource's value is new unless it keeps its custom name.
    var propagatedReferences: [TemplateDiff.Reference] = []
    /// Top-level properties whose resolved value changes although their text does not: they
    /// read a resource that is replaced (without keeping its name) or gets a new attribute.
    var changedByPropagation: Set<String> = []

    init(logicalID: String, type: String, action: ResourceAction, replacement: Replacement = .none, changes: [PropertyChange] = [], notes: [String] = []) {
        self.logicalID = logicalID
        self.type = type
        self.action = action
        self.replacement = replacement
        self.changes = changes
        self.notes = notes
    }
}

public struct EntryDiff: Sendable {
    public enum Action: String, Sendable { case add, remove, modify }
    public var name: String
    public var action: Action
    public var before: Node?
    public var after: Node?
    /// The deployed value (describe-stacks), when known.
    public var deployedValue: String?
    public var notes: [String]
    /// For an output: the export name, when the output is exported.
    public var exportName: String?
}

/// An export name the deployed stack has and the update removes.
public struct RemovedExport: Sendable, Equatable {
    public var name: String
    /// The deployed output that carries it.
    public var output: String
    /// The output's new export name, when the output stays under another name.
    public var renamedTo: String?

    public init(name: String, output: String, renamedTo: String? = nil) {
        self.name = name
        self.output = output
        self.renamedTo = renamedTo
    }
}

public struct DiffReport: Sendable {
    public var resources: [ResourceDiff]
    public var parameters: [EntryDiff]
    public var outputs: [EntryDiff]
    /// Differences between the deployed template and the resources that exist.
    public var drift: [String]
    /// What the change rules (LC-08, LC-10, RDS-22) say of this update.
    public var findings: [Diagnostic] = []
    /// IAM statements, security group rules, resource and key policies added or removed.
    public var security: [SecurityChange] = []
    /// What was left out of the comparison, and why (resources the SAM transform made).
    public var notes: [String] = []
    /// The deployed stack's name (describe-stacks), for the stack-refactor mappings.
    public var stackName: String?
    /// Logical renames (`--refactor-out` writes them as stack-refactor resource mappings).
    public var renames: [Rename] = []
    /// Exports the update removes while the deployed stack has them (by export name).
    public var removedExports: [RemovedExport] = []
    /// A change set's resources that the local diff does not have (or that stand alone).
    public var changeSetOnly: [ResourceDiff] = []
    /// Where the change set and Formwork disagree.
    public var disagreements: [String] = []
    /// Resources whose live state drifted from the deployed template (`--drift`).
    public var liveDrift: [ResourceDrift] = []

    public var hasDifferences: Bool { !resources.isEmpty || !parameters.isEmpty || !outputs.isEmpty || !changeSetOnly.isEmpty }
}

/// Compares a local template with the deployed one, resource by resource and property path
/// by property path, and says what the update will do: which resources are interrupted,
/// replaced or cannot be updated (`UpdateClassifier`: patches, update policies, the User
/// Guide, the registry), how replacements and new attribute values spread through Ref,
/// GetAtt, Sub and Outputs, which resources Conditions add or delete, and what becomes of
/// the data.
public struct TemplateDiff {
    public var local: Template
    public var deployed: DeployedStack
    /// Values for the local template's parameters (`--parameter K=V`).
    public var localParameters: [String: String]
    public var registry: SchemaRegistry
    /// The local template's path, for the change rules' findings.
    public var localFile: String?

    public init(local: Template, deployed: DeployedStack, localParameters: [String: String] = [:], registry: SchemaRegistry) {
        self.local = local
        self.deployed = deployed
        self.localParameters = localParameters
        self.registry = registry
    }

    var classifier: UpdateClassifier { UpdateClassifier(registry: registry) }

    public func run() -> DiffReport {
        // Both sides as CloudFormation sees them after its transforms (loops, SAM).
        var prepared = self
        prepared.local = DiffTransforms.applied(local, values: localValues)
        prepared.deployed.template = DiffTransforms.applied(deployed.template, values: deployed.parameterValues)
        // A processed template on one side, the SAM original on the other: what the transform
        // made beside its main resources is not declared in the original.
        prepared.samCompanions = SAMResources.companions(of: local, in: deployed.template)
            .merging(SAMResources.companions(of: deployed.template, in: local)) { first, _ in first }
        return prepared.compare()
    }

    /// Resources the SAM transform made from a SAM resource of the other side: id -> SAM id.
    var samCompanions: [String: String] = [:]

    /// The local side's parameter values: `--parameter`, else the deployed value (a Default
    /// applies only to a parameter the deployed stack does not have).
    var localValues: [String: String] { localParameters.merging(deployed.parameterValues) { mine, _ in mine } }

    private func compare() -> DiffReport {
        let localResolver = resolver(for: local, values: localValues)
        let deployedResolver = resolver(for: deployed.template, values: deployed.parameterValues)
        let localResources = local.root["Resources"]?.objectValue ?? ObjectMap()
        let deployedResources = deployed.template.root["Resources"]?.objectValue ?? ObjectMap()
        // Each resource's properties resolved once: the comparison, the propagation and the
        // security summary all read them.
        var resolvedLocal: [String: Node] = [:]
        for entry in localResources.entries {
            if let properties = entry.value["Properties"] { resolvedLocal[entry.key] = localResolver.resolve(properties) }
        }
        var resolvedDeployed: [String: Node] = [:]
        for entry in deployedResources.entries {
            if let properties = entry.value["Properties"] { resolvedDeployed[entry.key] = deployedResolver.resolve(properties) }
        }
        let sides = Sides(local: localResolver, deployed: deployedResolver)

        var diffs: [String: ResourceDiff] = [:]
        var order: [String] = []
        var notes: [String] = []
        var present: [String: (type: String, properties: Node?)] = [:], existing: [String: (type: String, properties: Node?)] = [:]
        for entry in localResources.entries {
            let after = entry.value.objectValue ?? ObjectMap()
            let deployedBody = deployedResources[entry.key]
            if deployedBody == nil, let source = samCompanions[entry.key] {
                notes.append("\(entry.key) (\(after["Type"]?.stringValue ?? "?")) is what the SAM transform makes from \(source): not compared")
                continue
            }
            let localActive = localResolver.isActive(after["Condition"])
            // Present is present, whatever its shape (a body that is no mapping compares as empty).
            let beforeBody = deployedBody.map { $0.objectValue ?? ObjectMap() }
            let deployedActive = beforeBody.map { deployedResolver.isActive($0["Condition"]) } ?? false
            if localActive != false { present[entry.key] = (after["Type"]?.stringValue ?? "?", resolvedLocal[entry.key]) }
            if let beforeBody, deployedActive != false { existing[entry.key] = (beforeBody["Type"]?.stringValue ?? "?", resolvedDeployed[entry.key]) }
            if localActive == false {
                guard let beforeBody, deployedActive != false else { continue }
                order.append(entry.key)
                var removed = removal(entry.key, beforeBody)
                removed.notes.insert("its Condition \(after["Condition"]?.scalarText ?? "?") is false with these parameter values: CloudFormation deletes it", at: 0)
                diffs[entry.key] = removed
                continue
            }
            order.append(entry.key)
            guard let before = beforeBody, deployedActive != false else {
                var added = ResourceDiff(logicalID: entry.key, type: after["Type"]?.stringValue ?? "?", action: .add)
                if beforeBody != nil { added.notes.append("its Condition is now true: CloudFormation creates it") }
                diffs[entry.key] = added
                continue
            }
            if var diff = compareResource(entry.key, before: before, after: after, resolvedProperties: resolvedLocal[entry.key],
                                          resolvedDeployed: resolvedDeployed[entry.key], sides: sides) {
                if localActive == nil {
                    let reads = (after["Condition"]?.stringValue).map(localResolver.conditionInputs) ?? []
                    diff.notes.append("its Condition cannot be evaluated here\(reads.isEmpty ? "" : " (it reads \(reads.joined(separator: ", ")), no value known)"): the resource may be deleted instead")
                }
                diffs[entry.key] = diff
            }
        }
        for entry in deployedResources.entries where localResources[entry.key] == nil {
            let body = entry.value.objectValue ?? ObjectMap()
            if let source = samCompanions[entry.key] {
                notes.append("\(entry.key) (\(body["Type"]?.stringValue ?? "?")) was made by the SAM transform from \(source): not compared")
                continue
            }
            guard deployedResolver.isActive(body["Condition"]) != false else { continue }
            existing[entry.key] = (body["Type"]?.stringValue ?? "?", resolvedDeployed[entry.key])
            order.append(entry.key)
            diffs[entry.key] = removal(entry.key, body)
        }
        let renames = Renames.find(order: order, diffs: diffs, localResources: localResources, deployedResources: deployedResources,
                                   resolvedLocal: resolvedLocal, resolvedDeployed: resolvedDeployed, registry: registry)
        Renames.apply(renames, to: &diffs, order: &order, localResources: localResources, deployedResources: deployedResources, registry: registry)
        Renames.collisions(in: &diffs, order: order, localResources: localResources, deployedResources: deployedResources,
                           resolvedLocal: resolvedLocal, resolvedDeployed: resolvedDeployed, registry: registry)

        let changedValues = propagate(&diffs, order: order, localResources: localResources, resolvedProperties: resolvedLocal)
        PropagatedNames.settle(&diffs, localResources: localResources, registry: registry)

        for key in diffs.keys {
            finish(&diffs[key]!, localBody: localResources[key]?.objectValue, deployedBody: deployedResources[diffs[key]!.previousLogicalID ?? key]?.objectValue)
        }
        let resources = order.compactMap { diffs[$0] }
        var report = DiffReport(resources: resources, parameters: parameterChanges(),
                                outputs: outputChanges(localResolver, deployedResolver, changedValues: changedValues), drift: drift())
        report.renames = renames
        report.notes = notes
        report.stackName = deployed.stackName
        report.removedExports = removedExports(localResolver, deployedResolver)
        report.security = SecurityChanges.changes(deployed: existing, local: present)
        // The values given for NoEcho parameters (`--parameter`, describe-stacks) are secrets too.
        let secrets = Secrets.values(in: local, deployment: localParameters.mapValues { [Node(.string($0))] })
            + Secrets.values(in: deployed.template, deployment: deployed.parameterValues.mapValues { [Node(.string($0))] })
        report.findings = ChangeRuleRegistry.findings(report, local: local, registry: registry, file: localFile).map { $0.redacting(secrets) }
        return report
    }

    /// The two sides' resolvers: what each knows, and what it cannot know.
    struct Sides {
        var local: Resolver
        var deployed: Resolver

        /// What a change's two values depend on that is not known here.
        func unknowns(before: Node?, after: Node?) -> [String] {
            var names = deployed.unknowns(in: before)
            for name in local.unknowns(in: after) where !names.contains(name) { names.append(name) }
            return names
        }
    }

    // MARK: Resources

    private func compareResource(_ id: String, before: ObjectMap, after: ObjectMap, resolvedProperties: Node?, resolvedDeployed: Node?, sides: Sides) -> ResourceDiff? {
        let type = after["Type"]?.stringValue ?? "?"
        let beforeType = before["Type"]?.stringValue ?? "?"
        let schema = registry.schema(for: type)
        var changes: [PropertyChange] = []
        if type != beforeType {
            changes.append(PropertyChange(path: [.key("Type")], before: before["Type"], after: after["Type"], RefusedUpdates.typeChange(from: beforeType, to: type)))
        }
        // Resource attributes: metadata of the stack, never a replacement.
        for attribute in ["Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata", "CreationPolicy", "UpdatePolicy"] {
            let a = before[attribute], b = after[attribute]
            if a == nil && b == nil { continue }
            if let a, let b, Normaliser(schema: nil).equal(b, a, shape: nil) { continue }
            changes.append(PropertyChange(path: [.key(attribute)], before: a, after: b, Verdict(.none, "resource attribute", .template)))
        }
        let beforeDepends = Set(dependsOn(before["DependsOn"])), afterDepends = Set(dependsOn(after["DependsOn"]))
        if beforeDepends != afterDepends {
            changes.append(PropertyChange(path: [.key("DependsOn")], before: before["DependsOn"], after: after["DependsOn"], Verdict(.none, "resource attribute", .template)))
        }
        if type == beforeType {
            let beforeProperties = resolvedDeployed ?? .object(ObjectMap())
            let afterProperties = resolvedProperties ?? .object(ObjectMap())
            var found: [(path: [PathComponent], before: Node?, after: Node?)] = []
            collectChanges(beforeProperties, afterProperties, path: [], shape: schema?.root, schema: schema, into: &found)
            for change in found {
                let verdict = RefusedUpdates.customResource(type: type, path: change.path)
                    ?? classifier.classify(type: type, schema: schema, path: change.path, before: change.before, after: change.after, localBody: after,
                                           unknowns: sides.unknowns(before: change.before, after: change.after))
                changes.append(PropertyChange(path: [.key("Properties")] + change.path, before: change.before, after: change.after, verdict))
            }
        }
        guard !changes.isEmpty else { return nil }
        var diff = ResourceDiff(logicalID: id, type: type, action: .modify, replacement: changes.map(\.replacement).max() ?? .none, changes: changes)
        if type != beforeType { diff.previousType = beforeType }
        return diff
    }

    /// A resource the update deletes, with what becomes of its data.
    private func removal(_ id: String, _ body: ObjectMap) -> ResourceDiff {
        let type = body["Type"]?.stringValue ?? "?"
        let policy = body["DeletionPolicy"]?.stringValue ?? defaultDeletionPolicy(type: type, body: body)
        let retained = policy == "Retain" || policy == "RetainExceptOnCreate"
        var diff = ResourceDiff(logicalID: id, type: type, action: retained ? .orphan : .remove)
        if retained { diff.notes.append("DeletionPolicy \(policy): the resource stays in the account, outside any stack") }
        if let cluster = auroraCluster(type: type, properties: body["Properties"]) {
            diff.data = .kept
            diff.notes.append("an Aurora member: the data lives in the cluster \(cluster)")
        } else if registry.isDataBearing(type) {
            if retained {
                diff.data = .kept
            } else if policy == "Snapshot", DataFacts.snapshotTypes.contains(type) {
                diff.data = .snapshot
                diff.notes.append("DeletionPolicy Snapshot: the data survives only in a final snapshot, and CloudFormation deletes the automated backups")
            } else {
                diff.data = .lost
                if policy == "Snapshot" { diff.notes.append("DeletionPolicy Snapshot is not honoured for \(type), which cannot snapshot (\(DataFacts.snapshotSource)): it is deleted") }
            }
            if let source = registry.dataSource(type) { diff.notes.append("holds data (\(source))") }
        }
        return diff
    }

    /// The cluster an Aurora member instance belongs to (its data is the cluster's).
    private func auroraCluster(type: String, properties: Node?) -> String? {
        guard type == "AWS::RDS::DBInstance", let cluster = properties?["DBClusterIdentifier"] else { return nil }
        return cluster.scalarText ?? SecurityChanges.text(cluster)
    }

    /// CloudFormation's defaults (DeletionPolicy doc): Snapshot for a DBCluster and for a
    /// DBInstance that is not a cluster member; Delete otherwise.
    private func defaultDeletionPolicy(type: String, body: ObjectMap) -> String {
        if type == "AWS::RDS::DBCluster" { return "Snapshot" }
        if type == "AWS::RDS::DBInstance", body["Properties"]?["DBClusterIdentifier"] == nil { return "Snapshot" }
        return "Delete"
    }

    private func dependsOn(_ value: Node?) -> [String] {
        guard let value else { return [] }
        if let name = value.stringValue { return [name] }
        return value.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The deepest paths where the two property trees differ under CloudFormation's equality.
    private func collectChanges(_ before: Node?, _ after: Node?, path: [PathComponent], shape: Shape?, schema: ResourceSchema?,
                                into found: inout [(path: [PathComponent], before: Node?, after: Node?)]) {
        let normaliser = Normaliser(schema: schema)
        switch (before, after) {
        case (nil, nil):
            return
        case (let b?, let a?):
            if normaliser.equal(a, b, shape: shape) { return }
            let resolved = shape.flatMap { schema?.resolve($0) }
            if case .object(let x) = b.kind, case .object(let y) = a.kind {
                for key in orderedUnion(x.keys, y.keys) {
                    collectChanges(x[key], y[key], path: path + [.key(key)],
                                   shape: resolved?.property(key) ?? resolved?.additionalShape?.value, schema: schema, into: &found)
                }
                return
            }
            if case .array(let x) = b.kind, case .array(let y) = a.kind, x.count == y.count, resolved?.insertionOrder ?? true,
               !x.isEmpty, !Normaliser.isTagList(x) {
                for index in x.indices {
                    collectChanges(x[index], y[index], path: path + [.index(index)], shape: resolved?.items?.value, schema: schema, into: &found)
                }
                return
            }
            found.append((path, b, a))
        default:
            found.append((path, before, after))
        }
    }

    private func orderedUnion(_ a: [String], _ b: [String]) -> [String] {
        var seen = Set(a)
        var result = a
        for key in b where !seen.contains(key) {
            seen.insert(key)
            result.append(key)
        }
        return result
    }

    // MARK: Propagation

    /// What of a resource changes value: everything (replaced: a new physical id), or some
    /// attributes (an in-place update that gives them new values).
    struct ChangedValue: Equatable {
        var replaced: Replacement?
        var attributes: Set<String> = []
    }

    /// Attributes an in-place update gives a new value, besides those named after a changed
    /// property: a launch template's data change is a new version.
    static let attributesChangedBy: [String: [String: [String]]] = [
        "AWS::EC2::LaunchTemplate": ["LaunchTemplateData": ["LatestVersionNumber", "DefaultVersionNumber"]],
    ]

    private func changedValue(of diff: ResourceDiff) -> ChangedValue? {
        guard diff.action == .modify else { return nil }
        if diff.replacement.isReplacement { return ChangedValue(replaced: diff.replacement) }
        var attributes = Set<String>()
        for change in diff.changes where change.before != change.after || change.source == .propagation {
            guard change.path.count >= 2, change.path[0] == .key("Properties"), case .key(let property) = change.path[1] else { continue }
            attributes.insert(property)
            for attribute in Self.attributesChangedBy[diff.type]?[property] ?? [] { attributes.insert(attribute) }
        }
        return attributes.isEmpty ? nil : ChangedValue(replaced: nil, attributes: attributes)
    }

    /// Replacements and new attribute values spread to every property that reads them (Ref,
    /// GetAtt, Sub), each classified again, until nothing changes. A worklist: a resource is
    /// looked at again only when something it reads changes, and a value only grows (an
    /// attribute more, may -> will), so a chain of n resources costs O(n), not O(n²).
    /// Returns what changed, for the outputs.
    private func propagate(_ diffs: inout [String: ResourceDiff], order: [String], localResources: ObjectMap,
                           resolvedProperties: [String: Node]) -> [String: ChangedValue] {
        // Every reference of every resource, found once, indexed by the resource it reads.
        var references: [(id: String, type: String, body: ObjectMap?, properties: Node, found: [Reference])] = []
        var readers: [String: [(resource: Int, reference: Int)]] = [:]
        let everything = Set(localResources.keys)
        for entry in localResources.entries {
            guard let body = entry.value.objectValue, let properties = body["Properties"] else { continue }
            var found: [Reference] = []
            findReferences(resolvedProperties[entry.key] ?? properties, to: everything, path: [], into: &found)
            guard !found.isEmpty else { continue }
            for (index, reference) in found.enumerated() where reference.target != entry.key {
                readers[reference.target, default: []].append((references.count, index))
            }
            references.append((entry.key, body["Type"]?.stringValue ?? "?", body, properties, found))
        }
        var values: [String: ChangedValue] = [:]
        // Each reader type's schema, looked up once.
        var schemas: [String: ResourceSchema?] = [:]
        let classifier = self.classifier
        var queue: [String] = []
        for id in order {
            if let diff = diffs[id], let value = changedValue(of: diff) {
                values[id] = value
                queue.append(id)
            }
        }
        var next = 0
        while next < queue.count {
            let target = queue[next]
            next += 1
            guard let value = values[target] else { continue }
            for (resourceIndex, referenceIndex) in readers[target] ?? [] {
                let resource = references[resourceIndex]
                let reference = resource.found[referenceIndex]
                if let existing = diffs[resource.id], existing.action != .modify { continue }
                let why: String
                let level: Replacement
                if let replaced = value.replaced {
                    why = "\(reference.target) is \(replaced == .will ? "replaced" : "possibly replaced"), so its \(reference.attribute.map { "GetAtt \($0)" } ?? "Ref") changes"
                    level = replaced
                } else if let attribute = reference.attribute, value.attributes.contains(attribute) {
                    why = "\(reference.target).\(attribute) gets a new value in this update"
                    level = .will
                } else {
                    continue
                }
                let fullPath = [PathComponent.key("Properties")] + reference.path
                var diff = diffs[resource.id] ?? ResourceDiff(logicalID: resource.id, type: resource.type, action: .modify)
                if let index = diff.changes.firstIndex(where: { fullPath.starts(with: $0.path) && ($0.reason.contains(reference.target + " ") || $0.reason.contains(reference.target + ".")) }) {
                    // Seen already; only a may that became a will says more.
                    guard diff.changes[index].source == .propagation, diff.changes[index].reason.hasPrefix(reference.target + " is possibly replaced"), level == .will else { continue }
                    diff.changes.remove(at: index)
                }
                if schemas[resource.type] == nil { schemas[resource.type] = .some(registry.schema(for: resource.type)) }
                var verdict = classifier.classify(type: resource.type, schema: schemas[resource.type]!, path: reference.path, before: nil, after: nil, localBody: resource.body)
                if verdict.replacement == .will, level == .may { verdict.replacement = .may }
                let current = resource.properties.value(at: reference.path)
                diff.changes.append(PropertyChange(path: fullPath, before: current, after: current,
                                                   Verdict(verdict.replacement, "\(why); \(verdict.reason)", .propagation)))
                diff.propagatedReferences.append(reference)
                diff.replacement = diff.changes.map(\.replacement).max() ?? .none
                diffs[resource.id] = diff
                // The reader's own value may change in turn: look at its readers again.
                if let changed = changedValue(of: diff), changed != values[resource.id] {
                    values[resource.id] = changed
                    queue.append(resource.id)
                }
            }
        }
        return values
    }

    /// A place (below Properties) that reads another resource: its Ref (`attribute` nil) or one
    /// of its attributes.
    struct Reference: Equatable {
        var path: [PathComponent]
        var target: String
        var attribute: String?
    }

    /// Paths (below Properties) whose value refers to one of `targets`, at the outermost
    /// property level where a list holds the reference (e.g. `VPCSecurityGroups`).
    func findReferences(_ value: Node, to targets: Set<String>, path: [PathComponent], into found: inout [Reference]) {
        var place = path
        collectReferences(value, targets, &place, &found)
    }

    /// `findReferences` on one path that grows and shrinks as the walk goes (copied only into
    /// a reference found): every property of every resource is walked.
    private func collectReferences(_ value: Node, _ targets: Set<String>, _ path: inout [PathComponent], _ found: inout [Reference]) {
        switch value.kind {
        case .intrinsic(let function):
            var names: [(String, String?)] = []
            if function.name == .ref, let name = function.argument.stringValue { names = [(name, nil)] }
            if function.name == .getAtt, let parts = function.argument.arrayValue, let name = parts.first?.stringValue {
                names = [(name, parts.dropFirst().compactMap(\.scalarText).joined(separator: "."))]
            }
            if let template = function.subText {
                // `${}` names nothing (a fuzzer found it): no part, no reference.
                names = SubTemplate.variables(template).compactMap { variable in
                    let parts = variable.split(separator: ".", maxSplits: 1).map(String.init)
                    guard let name = parts.first else { return nil }
                    return (name, parts.count > 1 ? parts[1] : nil)
                }
            }
            var hit = false
            for (name, attribute) in names where targets.contains(name) {
                let reference = Reference(path: path, target: name, attribute: attribute)
                if !found.contains(reference) { found.append(reference) }
                hit = true
            }
            if hit { return }
            collectReferences(function.argument, targets, &path, &found)
        case .array(let items):
            for (index, item) in items.enumerated() {
                let before = found.count
                path.append(.index(index))
                collectReferences(item, targets, &path, &found)
                path.removeLast()
                if found.count > before, !path.isEmpty, case .key? = path.last {
                    // Report the list itself, once per target: `VPCSecurityGroups` changes.
                    let hits = found[before...].map { Reference(path: path, target: $0.target, attribute: $0.attribute) }
                    found.removeSubrange(before...)
                    for hit in hits where !found.contains(hit) { found.append(hit) }
                }
            }
        case .object(let map):
            for entry in map.entries {
                path.append(.key(entry.key))
                collectReferences(entry.value, targets, &path, &found)
                path.removeLast()
            }
        default:
            break
        }
    }

    // MARK: Data and names

    /// Data verdicts, custom names and physical ids, once the replacements are settled.
    private func finish(_ diff: inout ResourceDiff, localBody: ObjectMap?, deployedBody: ObjectMap?) {
        if let physical = deployed.existingResources?[diff.previousLogicalID ?? diff.logicalID]?.physicalID, !physical.isEmpty { diff.physicalID = physical }
        guard diff.action == .modify else { return }
        // The data is the old resource's: a type change is judged by the deployed type.
        let oldType = diff.previousType ?? diff.type
        let restoresEmpty = diff.changes.contains { $0.replacement == .will && $0.source == .patch && ($0.reason.contains("empty instance") || $0.reason.contains("empty cluster")) }
        if diff.replacement.isReplacement || restoresEmpty {
            if let cluster = auroraCluster(type: oldType, properties: deployedBody?["Properties"]) {
                diff.data = .kept
                diff.notes.append("an Aurora member: the data lives in the cluster \(cluster), which stays")
            } else if registry.isDataBearing(oldType) || restoresEmpty {
                let policy = deployedBody?["UpdateReplacePolicy"]?.stringValue ?? "Delete"
                switch policy {
                case "Retain", "RetainExceptOnCreate":
                    diff.data = .kept
                    diff.notes.append("UpdateReplacePolicy \(policy): the old resource is kept, outside the stack, with its data")
                case "Snapshot" where DataFacts.snapshotTypes.contains(oldType):
                    diff.data = .snapshot
                    diff.notes.append("UpdateReplacePolicy Snapshot: the new resource starts empty; the old data survives only in a final snapshot, and CloudFormation deletes the old resource's automated backups")
                case "Snapshot":
                    diff.data = .lost
                    diff.notes.append("UpdateReplacePolicy Snapshot is not honoured for \(oldType), which cannot snapshot (\(DataFacts.snapshotSource)): the old resource is deleted")
                default:
                    diff.data = .lost
                }
                if let source = registry.dataSource(oldType) { diff.notes.append("holds data (\(source))") }
            }
        }
        if diff.replacement.isReplacement, let collisions = NameScopes.collisions(type: diff.type, changes: diff.changes, properties: localBody?["Properties"]?.objectValue, registry: registry,
                                                                                           propagated: diff.changedByPropagation) {
            for name in collisions {
                diff.notes.append("\(name) is a custom name: CloudFormation cannot replace a custom-named resource, so this update fails unless \(name) changes too")
            }
        }
    }

    // MARK: Parameters, outputs, drift

    private func parameterChanges() -> [EntryDiff] {
        let before = deployed.template.parameters ?? ObjectMap(), after = local.parameters ?? ObjectMap()
        var result: [EntryDiff] = []
        for key in orderedUnion(before.keys, after.keys) {
            // NoEcho values (Default, AllowedValues, deployed and --parameter values) are
            // never shown: the declaration is compared, and reported with them masked.
            let secret = Secrets.isNoEcho(before[key]) || Secrets.isNoEcho(after[key])
            let a = before[key].map { secret ? Secrets.masked($0) : $0 }, b = after[key].map { secret ? Secrets.masked($0) : $0 }
            let deployedValue = deployed.parameterValues[key].map { secret ? Secrets.mask : $0 }
            switch (a, b) {
            case (nil, let b?):
                result.append(EntryDiff(name: key, action: .add, before: nil, after: b, deployedValue: nil, notes: [], exportName: nil))
            case (let a?, nil):
                result.append(EntryDiff(name: key, action: .remove, before: a, after: nil, deployedValue: deployedValue, notes: [], exportName: nil))
            case (let a?, let b?):
                var notes: [String] = []
                if let newValue = localParameters[key], let deployed = self.deployed.parameterValues[key], !newValue.sameScalars(as: deployed) {
                    notes.append(secret ? "a new value is given (NoEcho: not shown)" : "value \(deployed) -> \(newValue)")
                }
                let declarationChanged = !Normaliser(schema: nil).equal(after[key]!, before[key]!, shape: nil)
                if declarationChanged || !notes.isEmpty {
                    result.append(EntryDiff(name: key, action: .modify, before: a, after: b, deployedValue: deployedValue, notes: notes, exportName: nil))
                }
            default:
                break
            }
        }
        return result
    }

    /// Outputs that differ, or whose value changes because what they read is replaced or
    /// gets a new attribute value; an exported one is noted (importing stacks block the update).
    private func outputChanges(_ localResolver: Resolver, _ deployedResolver: Resolver, changedValues: [String: ChangedValue]) -> [EntryDiff] {
        let before = deployed.template.outputs ?? ObjectMap(), after = local.outputs ?? ObjectMap()
        let resources = Set((local.root["Resources"]?.objectValue ?? ObjectMap()).keys)
        var result: [EntryDiff] = []
        for key in orderedUnion(before.keys, after.keys) {
            let a = before[key].map(deployedResolver.resolve), b = after[key].map(localResolver.resolve)
            var notes: [String] = []
            if b == nil, let consumed = deployed.consumedOutputs, consumed[key] != nil {
                notes.append("consumers read this output (the flat outputs file has it)")
            }
            if a == nil, b == nil { continue }
            var differs = !(a.flatMap { a in b.map { Normaliser(schema: nil).equal($0, a, shape: nil) } } ?? false)
            if let b, a != nil {
                var found: [Reference] = []
                findReferences(b["Value"] ?? b, to: resources, path: [], into: &found)
                for reference in found {
                    guard let value = changedValues[reference.target] else { continue }
                    if let replaced = value.replaced {
                        notes.append("its value changes: \(reference.target) is \(replaced == .will ? "replaced" : "possibly replaced")")
                        differs = true
                    } else if let attribute = reference.attribute, value.attributes.contains(attribute) {
                        notes.append("its value changes: \(reference.target).\(attribute) gets a new value")
                        differs = true
                    }
                }
            }
            guard differs else { continue }
            let action: EntryDiff.Action = a == nil ? .add : (b == nil ? .remove : .modify)
            var entry = EntryDiff(name: key, action: action, before: a, after: b, deployedValue: deployed.outputValues[key], notes: notes)
            let export = (b ?? a)?["Export"]?["Name"]
            if let export, action != .add {
                entry.exportName = export.scalarText ?? SecurityChanges.text(export)
                entry.notes.append("exported as \(entry.exportName!): a stack that imports it blocks this update")
            }
            result.append(entry)
        }
        for removed in removedExports(localResolver, deployedResolver) {
            guard let index = result.firstIndex(where: { $0.name == removed.output }) else { continue }
            // The old name is what importers hold: the note is about it, not the new one.
            result[index].notes.removeAll { $0.hasPrefix("exported as ") }
            result[index].notes.append(removed.renamedTo.map { "its export \(removed.name) is renamed to \($0): the old export is removed" }
                                       ?? "its export \(removed.name) is removed")
        }
        if let consumed = deployed.consumedOutputs {
            for key in consumed.keys.sorted() where after[key] == nil && before[key] == nil {
                result.append(EntryDiff(name: key, action: .remove, before: nil, after: nil, deployedValue: consumed[key],
                                        notes: ["the flat outputs file has this output, but neither template produces it"], exportName: nil))
            }
        }
        return result
    }

    /// Exports by export name: a name the deployed stack exports and the local template no
    /// longer does is removed (a stack that imports it blocks the update), whatever output
    /// carries it; an export that moves to another output stays.
    func removedExports(_ localResolver: Resolver, _ deployedResolver: Resolver) -> [RemovedExport] {
        func exports(_ outputs: ObjectMap?, _ resolver: Resolver) -> [(name: String, output: String)] {
            (outputs?.entries ?? []).compactMap { entry in
                guard resolver.isActive(entry.value["Condition"]) != false, let name = entry.value["Export"]?["Name"] else { return nil }
                let resolved = resolver.resolve(name)
                return (resolved.scalarText ?? SecurityChanges.text(resolved), entry.key)
            }
        }
        let before = exports(deployed.template.outputs, deployedResolver), after = exports(local.outputs, localResolver)
        let kept = Set(after.map(\.name))
        return before.filter { !kept.contains($0.name) }.map { export in
            RemovedExport(name: export.name, output: export.output, renamedTo: after.first { $0.output == export.output }?.name)
        }
    }

    private func drift() -> [String] {
        guard let existing = deployed.existingResources else { return [] }
        let declared = deployed.template.root["Resources"]?.objectValue ?? ObjectMap()
        var notes: [String] = []
        for entry in declared.entries where existing[entry.key] == nil {
            notes.append("\(entry.key) (\(entry.value["Type"]?.stringValue ?? "?")) is in the deployed template but not among the stack's resources")
        }
        for key in existing.keys.sorted() where declared[key] == nil {
            notes.append("\(key) (\(existing[key]!.type)) exists in the stack but not in the deployed template")
        }
        return notes
    }

    // MARK: Resolution

    private func resolver(for template: Template, values: [String: String]) -> Resolver {
        var known: [String: Node] = [:]
        for entry in template.parameters?.entries ?? [] {
            // A NoEcho value is never substituted: it would show in the report, and the
            // deployed side only says `****`.
            if Secrets.isNoEcho(entry.value) { continue }
            if let value = values[entry.key] {
                known[entry.key] = .string(value)
            } else if let defaultValue = entry.value["Default"] {
                known[entry.key] = defaultValue
            }
        }
        if let region = deployed.region { known["AWS::Region"] = .string(region) }
        if let account = deployed.accountID { known["AWS::AccountId"] = .string(account) }
        if let name = deployed.stackName { known["AWS::StackName"] = .string(name) }
        return Resolver(known: known, template: template)
    }
}
