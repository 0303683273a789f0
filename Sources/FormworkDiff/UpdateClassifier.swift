import FormworkSchema
import FormworkTemplate

/// The verdict for one property change: the patches first, then the resource's
/// UpdatePolicy where the documentation says it decides, the registry's nested create-only
/// paths, the User Guide's "Update requires" of the top-level property, and the registry's
/// create-only lists for what the guide does not document.
struct UpdateClassifier {
    let registry: SchemaRegistry

    /// `unknowns`: what the two values depend on that is not known here (named in a `may`);
    /// nil: any expression left after resolution counts, unnamed.
    func classify(type: String, schema: ResourceSchema?, path: [PathComponent], before: Node?, after: Node?,
                  localBody: ObjectMap?, unknowns: [String]? = nil) -> Verdict {
        guard case .key(let top)? = path.first else { return Verdict(.none, "no schema path applies", .registry) }
        if let patch = UpdatePatches.table[type]?[top] {
            if after == nil, before != nil, let removal = patch.onRemoval { return Verdict(removal.0, removal.1, .patch) }
            return Verdict(patch.replacement, patch.reason, .patch)
        }
        if type == "AWS::RDS::DBCluster", top == "Engine", path.count == 1, let verdict = UpdatePatches.clusterEngine(before: before, after: after) { return verdict }
        if let verdict = LaterDocumentation.verdict(type: type, path: path, before: before, after: after) { return verdict }
        if let verdict = Self.policyVerdict(type: type, property: top, body: localBody) { return verdict }
        let unresolved = unknowns.map { !$0.isEmpty } ?? (containsUnresolved(before) || containsUnresolved(after))
        let unknownList = unknowns?.joined(separator: ", ") ?? ""
        let unknownText = unknownList.isEmpty ? "" : " (\(unknownList))"
        if let schema, path.count > 1, let pointer = matchingPointer(schema.createOnly, path, deeperThanProperty: true) {
            return unresolved ? Verdict(.may, "create-only \(pointer), but the value depends on an expression not known here\(unknownText)", .registry)
                              : Verdict(.will, "create-only \(pointer)", .registry)
        }
        if let documented = registry.documentedUpdates.behaviour(of: type, property: top) {
            let page = "\(type.lastIndex(of: ":").map { type[type.index(after: $0)...] } ?? Substring(type)) doc"
            switch documented {
            case .replacement:
                return unresolved ? Verdict(.may, "\(page): Update requires Replacement, if the value changes (it depends on an expression not known here\(unknownList.isEmpty ? "" : ": " + unknownList))", .documentation)
                                  : Verdict(.will, "\(page): Update requires Replacement", .documentation)
            case .someInterruptions, .noInterruption:
                let words = documented == .someInterruptions ? "Some interruptions" : "No interruption"
                // The registry, newer than the 2023 table, may make it create-only: the more
                // destructive verdict wins, and says so.
                if let schema, let pointer = matchingPointer(schema.createOnly, path) {
                    let text = "create-only \(pointer) in the registry, where the User Guide table (2023) says \(words): the more destructive wins"
                    return unresolved ? Verdict(.may, text + ", if the value changes (it depends on an expression not known here\(unknownText))", .laterDocumentation)
                                      : Verdict(.will, text, .laterDocumentation)
                }
                return documented == .someInterruptions ? Verdict(.interruption, "\(page): Update requires Some interruptions", .documentation)
                                                        : Verdict(.none, "\(page): Update requires No interruption", .documentation)
            case .notSupported: return Verdict(.fails, "\(page): Updates are not supported", .documentation)
            }
        }
        guard let schema else { return Verdict(.may, "\(type) is not in the registry: replacement unknown", .registry) }
        if let pointer = matchingPointer(schema.createOnly, path) {
            return unresolved ? Verdict(.may, "create-only \(pointer), but the value depends on an expression not known here\(unknownText)", .registry)
                              : Verdict(.will, "create-only \(pointer)", .registry)
        }
        if let pointer = matchingPointer(schema.conditionalCreateOnly, path) {
            return Verdict(.may, "conditionally create-only \(pointer): replacement depends on the values", .registry)
        }
        return Verdict(.none, "updatable in place (registry)", .registry)
    }

    /// Where the resource's UpdatePolicy decides (the UpdatePolicy attribute doc).
    static func policyVerdict(type: String, property: String, body: ObjectMap?) -> Verdict? {
        let policy = body?["UpdatePolicy"]?.objectValue
        func isTrue(_ value: Node?) -> Bool {
            guard let value else { return false }
            if case .bool(let flag) = value.kind { return flag }
            return value.scalarText?.lowercased() == "true"
        }
        switch (type, property) {
        case ("AWS::ElastiCache::ReplicationGroup", "NumNodeGroups"), ("AWS::ElastiCache::ReplicationGroup", "NodeGroupConfiguration"):
            if isTrue(policy?["UseOnlineResharding"]) {
                return Verdict(.none, "UpdatePolicy UseOnlineResharding: shards are added or removed online (ReplicationGroup page: NumNodeGroups, Update requires No interruption)", .updatePolicy)
            }
            return Verdict(.will, "without UpdatePolicy UseOnlineResharding, changing \(property) replaces the replication group (UpdatePolicy doc)", .updatePolicy)
        case ("AWS::OpenSearchService::Domain", "EngineVersion"), ("AWS::Elasticsearch::Domain", "ElasticsearchVersion"):
            if isTrue(policy?["EnableVersionUpgrade"]) {
                return Verdict(.none, "UpdatePolicy EnableVersionUpgrade: the domain is upgraded in place (blue/green)", .updatePolicy)
            }
            return Verdict(.will, "without UpdatePolicy EnableVersionUpgrade, a new \(property) replaces the domain (UpdatePolicy doc)", .updatePolicy)
        case ("AWS::AutoScaling::AutoScalingGroup", "LaunchConfigurationName"), ("AWS::AutoScaling::AutoScalingGroup", "LaunchTemplate"),
             ("AWS::AutoScaling::AutoScalingGroup", "MixedInstancesPolicy"), ("AWS::AutoScaling::AutoScalingGroup", "VPCZoneIdentifier"),
             ("AWS::AutoScaling::AutoScalingGroup", "PlacementGroup"):
            if isTrue(policy?["AutoScalingReplacingUpdate"]?["WillReplace"]) {
                return Verdict(.will, "UpdatePolicy AutoScalingReplacingUpdate WillReplace: a new Auto Scaling group replaces this one", .updatePolicy)
            }
            if policy?["AutoScalingRollingUpdate"] != nil {
                return Verdict(.interruption, "UpdatePolicy AutoScalingRollingUpdate: the instances are replaced in batches", .updatePolicy)
            }
            return nil
        default:
            return nil
        }
    }

    /// The registry pointer (`/properties/A/*/B`) that covers `path`, or that `path` covers;
    /// with `deeperThanProperty`, only pointers below a top-level property. Compared segment by
    /// segment in place: this runs for every changed and every propagated property.
    func matchingPointer(_ pointers: [String], _ path: [PathComponent], deeperThanProperty: Bool = false) -> String? {
        for pointer in pointers where Self.pointer(pointer, matches: path, deeperThanProperty: deeperThanProperty) { return pointer }
        return nil
    }

    /// The pointer's segments after the first (`properties`), empty ones skipped, against the
    /// path's keys (an index is `*`) as far as both go.
    private static func pointer(_ pointer: String, matches path: [PathComponent], deeperThanProperty: Bool) -> Bool {
        var segments = 0
        var matched = true
        var rest = Substring(pointer)
        while !rest.isEmpty {
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            let segment = rest[..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
            if segment.isEmpty { continue }
            segments += 1
            let step = segments - 2
            guard matched, step >= 0, step < path.count else { continue }
            if segment == "*" { continue }
            switch path[step] {
            case .key(let key): matched = segment == key
            case .index: matched = false
            }
        }
        return matched && (!deeperThanProperty || segments > 2)
    }

    func containsUnresolved(_ value: Node?) -> Bool {
        guard let value else { return false }
        switch value.kind {
        case .intrinsic(let function):
            // A Ref or GetAtt to a resource that stays is the same value on both sides; any
            // other function left after resolution has a value not known here.
            if function.name == .ref || function.name == .getAtt { return false }
            return true
        case .array(let items): return items.contains(where: containsUnresolved)
        case .object(let map): return map.entries.contains { containsUnresolved($0.value) }
        default: return false
        }
    }
}
