import FormworkSchema
import FormworkTemplate

/// `add`, `remove`, `orphan` (removed from the template but retained), `modify`.
public enum ResourceAction: String, Sendable, Codable {
    case add, remove, orphan, modify
}

public struct PropertyChange: Sendable {
    /// From the resource: `Properties/DBInstanceClass`, `Properties/Tags`, `DeletionPolicy`.
    public var path: [PathComponent]
    public var before: Node?
    public var after: Node?
    public var replacement: Replacement
    /// Why: the schema path or documentation rule that matched, or the replaced resource.
    public var reason: String

    public var pathText: String { path.map(\.description).joined(separator: "/") }
}

public struct ResourceDiff: Sendable {
    public var logicalID: String
    public var type: String
    public var action: ResourceAction
    public var replacement: Replacement
    public var dataLoss: Bool
    public var changes: [PropertyChange]
    /// Things worth saying that are not property changes (custom names, snapshots, drift).
    public var notes: [String]
    public var physicalID: String?
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
}

public struct DiffReport: Sendable {
    public var resources: [ResourceDiff]
    public var parameters: [EntryDiff]
    public var outputs: [EntryDiff]
    /// Differences between the deployed template and the resources that exist.
    public var drift: [String]
    /// What the change rules (LC-08, RDS-22) say of this update.
    public var findings: [Diagnostic] = []

    public var hasDifferences: Bool { !resources.isEmpty || !parameters.isEmpty || !outputs.isEmpty }
}

/// Compares a local template with the deployed one, resource by resource and property path
/// by property path, and says what the update will do: which resources are replaced (from
/// the registry's create-only paths, corrected by `UpdateBehaviour` where the documentation
/// is finer), which replacements spread through Ref and GetAtt, and where data is lost.
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

    public func run() -> DiffReport {
        let localResolver = resolver(for: local, values: localParameters.merging(deployed.parameterValues) { mine, _ in mine })
        let deployedResolver = resolver(for: deployed.template, values: deployed.parameterValues)
        let localResources = local.root["Resources"]?.objectValue ?? ObjectMap()
        // Each local resource's properties resolved once: the comparison and the
        // propagation of replacements both read them.
        var resolvedLocal: [String: Node] = [:]
        for entry in localResources.entries {
            if let properties = entry.value["Properties"] { resolvedLocal[entry.key] = localResolver.resolve(properties) }
        }
        let deployedResources = deployed.template.root["Resources"]?.objectValue ?? ObjectMap()

        var diffs: [String: ResourceDiff] = [:]
        var order: [String] = []
        for entry in localResources.entries {
            order.append(entry.key)
            let after = entry.value.objectValue ?? ObjectMap()
            guard let beforeValue = deployedResources[entry.key] else {
                diffs[entry.key] = ResourceDiff(logicalID: entry.key, type: after["Type"]?.stringValue ?? "?", action: .add,
                                                replacement: .none, dataLoss: false, changes: [], notes: [], physicalID: nil)
                continue
            }
            let before = beforeValue.objectValue ?? ObjectMap()
            if let diff = compareResource(entry.key, before: before, after: after, resolvedProperties: resolvedLocal[entry.key], deployedResolver) {
                diffs[entry.key] = diff
            }
        }
        for entry in deployedResources.entries where localResources[entry.key] == nil {
            order.append(entry.key)
            diffs[entry.key] = removal(entry.key, entry.value.objectValue ?? ObjectMap())
        }

        propagateReplacements(&diffs, localResources: localResources, resolvedProperties: resolvedLocal)

        for key in diffs.keys {
            finish(&diffs[key]!, localBody: localResources[key]?.objectValue, deployedBody: deployedResources[key]?.objectValue)
        }
        let resources = order.compactMap { diffs[$0] }
        var report = DiffReport(resources: resources, parameters: parameterChanges(), outputs: outputChanges(localResolver, deployedResolver), drift: drift())
        let secrets = Secrets.values(in: local) + Secrets.values(in: deployed.template)
        report.findings = ChangeRuleRegistry.findings(report, local: local, registry: registry, file: localFile).map { $0.redacting(secrets) }
        return report
    }

    // MARK: Resources

    private func compareResource(_ id: String, before: ObjectMap, after: ObjectMap, resolvedProperties: Node?, _ deployedResolver: Resolver) -> ResourceDiff? {
        let type = after["Type"]?.stringValue ?? "?"
        let beforeType = before["Type"]?.stringValue ?? "?"
        let schema = registry.schema(for: type)
        var changes: [PropertyChange] = []
        if type != beforeType {
            changes.append(PropertyChange(path: [.key("Type")], before: before["Type"], after: after["Type"], replacement: .will, reason: "the resource type changed"))
        }
        // Resource attributes: metadata of the stack, never a replacement.
        for attribute in ["Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata", "CreationPolicy", "UpdatePolicy"] {
            let a = before[attribute], b = after[attribute]
            if a == nil && b == nil { continue }
            if let a, let b, Normaliser(schema: nil).equal(b, a, shape: nil) { continue }
            changes.append(PropertyChange(path: [.key(attribute)], before: a, after: b, replacement: .none, reason: "resource attribute"))
        }
        let beforeDepends = Set(dependsOn(before["DependsOn"])), afterDepends = Set(dependsOn(after["DependsOn"]))
        if beforeDepends != afterDepends {
            changes.append(PropertyChange(path: [.key("DependsOn")], before: before["DependsOn"], after: after["DependsOn"], replacement: .none, reason: "resource attribute"))
        }
        if type == beforeType {
            let beforeProperties = deployedResolver.resolve(before["Properties"] ?? .object(ObjectMap()))
            let afterProperties = resolvedProperties ?? .object(ObjectMap())
            var found: [(path: [PathComponent], before: Node?, after: Node?)] = []
            collectChanges(beforeProperties, afterProperties, path: [], shape: schema?.root, schema: schema, into: &found)
            for change in found {
                let (replacement, reason) = classify(type: type, schema: schema, path: change.path, before: change.before, after: change.after)
                changes.append(PropertyChange(path: [.key("Properties")] + change.path, before: change.before, after: change.after, replacement: replacement, reason: reason))
            }
        }
        guard !changes.isEmpty else { return nil }
        return ResourceDiff(logicalID: id, type: type, action: .modify, replacement: changes.map(\.replacement).max() ?? .none,
                            dataLoss: false, changes: changes, notes: [], physicalID: nil)
    }

    private func removal(_ id: String, _ body: ObjectMap) -> ResourceDiff {
        let type = body["Type"]?.stringValue ?? "?"
        let policy = body["DeletionPolicy"]?.stringValue ?? defaultDeletionPolicy(type: type, body: body)
        let retained = policy == "Retain" || policy == "RetainExceptOnCreate"
        var notes: [String] = []
        if retained { notes.append("DeletionPolicy \(policy): the resource stays in the account, outside any stack") }
        if policy == "Snapshot" { notes.append("DeletionPolicy Snapshot: a final snapshot is kept") }
        let stateful = registry.isStateful(type)
        return ResourceDiff(logicalID: id, type: type, action: retained ? .orphan : .remove, replacement: .none,
                            dataLoss: stateful && !retained && policy != "Snapshot", changes: [], notes: notes, physicalID: nil)
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

    /// The replacement a change at `path` (below Properties) causes, and why.
    func classify(type: String, schema: ResourceSchema?, path: [PathComponent], before: Node?, after: Node?) -> (Replacement, String) {
        guard case .key(let top)? = path.first else { return (.none, "no schema path applies") }
        if let rule = UpdateBehaviour.table[type]?[top] {
            if after == nil, before != nil, let removal = rule.onRemoval { return removal }
            return (rule.replacement, rule.reason)
        }
        guard let schema else { return (.may, "\(type) is not in the registry: replacement unknown") }
        if let pointer = matchingPointer(schema.createOnly, path) {
            if containsUnresolved(before) || containsUnresolved(after) {
                return (.may, "create-only \(pointer), but the value depends on an expression not known here")
            }
            return (.will, "create-only \(pointer)")
        }
        if let pointer = matchingPointer(schema.conditionalCreateOnly, path) {
            return (.may, "conditionally create-only \(pointer): replacement depends on the values")
        }
        return (.none, "updatable in place")
    }

    /// The registry pointer (`/properties/A/*/B`) that covers `path`, or that `path` covers.
    private func matchingPointer(_ pointers: [String], _ path: [PathComponent]) -> String? {
        let steps = path.map { component -> String in
            if case .key(let key) = component { return key }
            return "*"
        }
        for pointer in pointers {
            let parts = pointer.split(separator: "/").dropFirst().map(String.init)
            let common = min(parts.count, steps.count)
            if zip(parts.prefix(common), steps.prefix(common)).allSatisfy({ $0 == $1 || $0 == "*" }) { return pointer }
        }
        return nil
    }

    private func containsUnresolved(_ value: Node?) -> Bool {
        guard let value else { return false }
        switch value.kind {
        case .intrinsic(let function):
            // A Ref or GetAtt to a resource that stays is the same value on both sides; any
            // other function left after resolution has a value not known here.
            if function.name == "Ref" || function.name == "Fn::GetAtt" { return false }
            return true
        case .array(let items): return items.contains(where: containsUnresolved)
        case .object(let map): return map.entries.contains { containsUnresolved($0.value) }
        default: return false
        }
    }

    /// A replaced resource gets a new physical id and new attributes: every Ref, GetAtt and
    /// Sub of it changes value, and the dependents are classified again, until nothing changes.
    private func propagateReplacements(_ diffs: inout [String: ResourceDiff], localResources: ObjectMap, resolvedProperties: [String: Node]) {
        // Every reference of every resource, found once: (path below Properties, target).
        var references: [(id: String, type: String, properties: Node, found: [([PathComponent], String)])] = []
        let everything = Set(localResources.keys)
        for entry in localResources.entries {
            guard let body = entry.value.objectValue, let properties = body["Properties"] else { continue }
            var found: [([PathComponent], String)] = []
            findReferences(resolvedProperties[entry.key] ?? properties, to: everything, path: [], into: &found)
            if !found.isEmpty { references.append((entry.key, body["Type"]?.stringValue ?? "?", properties, found)) }
        }
        var changed = true
        var rounds = 0
        while changed && rounds <= localResources.count {
            changed = false
            rounds += 1
            var replacedLevel: [String: Replacement] = [:]
            for diff in diffs.values where diff.action == .modify && diff.replacement >= .may { replacedLevel[diff.logicalID] = diff.replacement }
            guard !replacedLevel.isEmpty else { return }
            for resource in references {
                if let existing = diffs[resource.id], existing.action != .modify { continue }
                let schema = registry.schema(for: resource.type)
                for (path, target) in resource.found where target != resource.id {
                    guard let level = replacedLevel[target] else { continue }
                    let fullPath = [PathComponent.key("Properties")] + path
                    var diff = diffs[resource.id] ?? ResourceDiff(logicalID: resource.id, type: resource.type, action: .modify, replacement: .none,
                                                                  dataLoss: false, changes: [], notes: [], physicalID: nil)
                    if diff.changes.contains(where: { fullPath.starts(with: $0.path) && $0.reason.contains(target) }) { continue }
                    var (replacement, reason) = classify(type: resource.type, schema: schema, path: path, before: nil, after: nil)
                    if replacement == .will, level == .may { replacement = .may }
                    let value = valueAt(resource.properties, path)
                    diff.changes.append(PropertyChange(path: fullPath, before: value, after: value, replacement: replacement,
                                                       reason: "\(target) is \(level == .will ? "replaced" : "possibly replaced"), so its Ref/GetAtt changes; \(reason)"))
                    diff.replacement = max(diff.replacement, replacement)
                    diffs[resource.id] = diff
                    changed = true
                }
            }
        }
    }

    private func valueAt(_ value: Node, _ path: [PathComponent]) -> Node? {
        var current = value
        for step in path {
            switch (step, current.kind) {
            case (.key(let key), .object(let map)): guard let next = map[key] else { return nil }; current = next
            case (.index(let index), .array(let items)) where items.indices.contains(index): current = items[index]
            default: return nil
            }
        }
        return current
    }

    /// Paths (below Properties) whose value refers to one of `targets`, at the outermost
    /// property level where a list holds the reference (e.g. `VPCSecurityGroups`).
    private func findReferences(_ value: Node, to targets: Set<String>, path: [PathComponent], into found: inout [([PathComponent], String)]) {
        switch value.kind {
        case .intrinsic(let function):
            var names: [String] = []
            if function.name == "Ref", let name = function.argument.stringValue { names = [name] }
            if function.name == "Fn::GetAtt", let name = function.argument.arrayValue?.first?.stringValue { names = [name] }
            if let template = function.subText {
                names = SubTemplate.variables(template).map { String($0.split(separator: ".").first ?? "") }
            }
            for name in names where targets.contains(name) {
                found.append((path, name))
                return
            }
            findReferences(function.argument, to: targets, path: path, into: &found)
        case .array(let items):
            for (index, item) in items.enumerated() {
                let before = found.count
                findReferences(item, to: targets, path: path + [.index(index)], into: &found)
                if found.count > before, !path.isEmpty, case .key? = path.last {
                    // Report the list itself, once: `VPCSecurityGroups` changes.
                    let hits = found[before...].map(\.1)
                    found.removeSubrange(before...)
                    for name in Set(hits) where !found.contains(where: { $0.0 == path && $0.1 == name }) { found.append((path, name)) }
                }
            }
        case .object(let map):
            for entry in map.entries { findReferences(entry.value, to: targets, path: path + [.key(entry.key)], into: &found) }
        default:
            break
        }
    }

    /// Data loss, custom names and physical ids, once the replacements are settled.
    private func finish(_ diff: inout ResourceDiff, localBody: ObjectMap?, deployedBody: ObjectMap?) {
        if let physical = deployed.existingResources?[diff.logicalID]?.physicalID, !physical.isEmpty { diff.physicalID = physical }
        guard diff.action == .modify else { return }
        let stateful = registry.isStateful(diff.type)
        if diff.replacement >= .may, stateful {
            let policy = deployedBody?["UpdateReplacePolicy"]?.stringValue ?? "Delete"
            if policy == "Retain" || policy == "Snapshot" {
                diff.notes.append("UpdateReplacePolicy \(policy): the old resource \(policy == "Retain" ? "is kept" : "leaves a final snapshot")")
            } else {
                diff.dataLoss = true
            }
        }
        if diff.changes.contains(where: { $0.replacement == .will && $0.reason.contains("empty instance") || $0.reason.contains("empty cluster") }) {
            diff.dataLoss = true
        }
        if diff.replacement >= .may, let schema = registry.schema(for: diff.type), let properties = localBody?["Properties"]?.objectValue {
            for name in schema.nameProperties where properties[name] != nil
                && !diff.changes.contains(where: { $0.path.count >= 2 && $0.path[1] == .key(name) && $0.before != $0.after }) {
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
                result.append(EntryDiff(name: key, action: .add, before: nil, after: b, deployedValue: nil, notes: []))
            case (let a?, nil):
                result.append(EntryDiff(name: key, action: .remove, before: a, after: nil, deployedValue: deployedValue, notes: []))
            case (let a?, let b?):
                var notes: [String] = []
                if let newValue = localParameters[key], let deployed = self.deployed.parameterValues[key], !newValue.sameScalars(as: deployed) {
                    notes.append(secret ? "a new value is given (NoEcho: not shown)" : "value \(deployed) -> \(newValue)")
                }
                let declarationChanged = !Normaliser(schema: nil).equal(after[key]!, before[key]!, shape: nil)
                if declarationChanged || !notes.isEmpty {
                    result.append(EntryDiff(name: key, action: .modify, before: a, after: b, deployedValue: deployedValue, notes: notes))
                }
            default:
                break
            }
        }
        return result
    }

    private func outputChanges(_ localResolver: Resolver, _ deployedResolver: Resolver) -> [EntryDiff] {
        let before = deployed.template.outputs ?? ObjectMap(), after = local.outputs ?? ObjectMap()
        var result: [EntryDiff] = []
        for key in orderedUnion(before.keys, after.keys) {
            let a = before[key].map(deployedResolver.resolve), b = after[key].map(localResolver.resolve)
            var notes: [String] = []
            if b == nil, let consumed = deployed.consumedOutputs, consumed[key] != nil {
                notes.append("consumers read this output (the flat outputs file has it)")
            }
            if a == nil, b == nil { continue }
            if let a, let b, Normaliser(schema: nil).equal(b, a, shape: nil) { continue }
            let action: EntryDiff.Action = a == nil ? .add : (b == nil ? .remove : .modify)
            result.append(EntryDiff(name: key, action: action, before: a, after: b, deployedValue: deployed.outputValues[key], notes: notes))
        }
        if let consumed = deployed.consumedOutputs {
            for key in consumed.keys.sorted() where after[key] == nil && before[key] == nil {
                result.append(EntryDiff(name: key, action: .remove, before: nil, after: nil, deployedValue: consumed[key],
                                        notes: ["the flat outputs file has this output, but neither template produces it"]))
            }
        }
        return result
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
        return Resolver(known: known)
    }
}

/// Replaces Refs to parameters and pseudo parameters whose values are known, and Subs whose
/// every variable is known, by their values: then a changed parameter value shows up as the
/// property change it causes.
struct Resolver {
    var known: [String: Node]

    func resolve(_ value: Node) -> Node {
        switch value.kind {
        case .array(let items):
            return Node(.array(items.map(resolve)), at: value.location)
        case .object(let map):
            return Node(.object(ObjectMap(map.entries.map { ObjectMap.Entry(key: $0.key, keyLocation: $0.keyLocation, value: resolve($0.value)) })), at: value.location)
        case .intrinsic(let function):
            if function.name == "Ref", let name = function.argument.stringValue, let known = known[name] { return known }
            if function.name == "Fn::Sub", let template = function.argument.stringValue, let text = substitute(template) {
                return Node(.string(text), at: value.location)
            }
            return Node(.intrinsic(Intrinsic(name: function.name, argument: resolve(function.argument))), at: value.location)
        default:
            return value
        }
    }

    private func substitute(_ template: String) -> String? {
        SubTemplate.substitute(template) { known[$0]?.scalarText }
    }
}

