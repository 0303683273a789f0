import FormworkSchema
import FormworkTemplate

/// Whether a property whose text stays the same gets a new value because what it reads
/// changes: the custom-name judgement (LC-08) needs the resolved value, not the text.
///
/// CloudFormation compares names after resolution: "You can't perform an update that causes a
/// custom-named resource to be replaced. If you must replace the resource, specify a new name"
/// (User Guide, Name type), and "if you don't specify a name, CloudFormation generates a unique
/// physical ID". So a name built from a replaced resource's Ref or GetAtt is new when that
/// resource's name is generated or changes (it gets a new physical id and name), and the same
/// text when that resource keeps its own custom name (its name, ARN or URL stay).
enum PropagatedNames {
    /// Fills `changedByPropagation` of every diff that has propagated changes. A resource is
    /// settled after the resources its properties read (an explicit stack, not recursion: a
    /// chain may be thousands long); a cycle (an invalid template) counts as a new value.
    static func settle(_ diffs: inout [String: ResourceDiff], localResources: ObjectMap, registry: SchemaRegistry) {
        var settled = Set<String>(), open = Set<String>()
        for start in diffs.keys.sorted() where !(diffs[start]?.propagatedReferences.isEmpty ?? true) {
            var stack = [start]
            while let id = stack.last {
                if settled.contains(id) { stack.removeLast(); continue }
                let pending = (diffs[id]?.propagatedReferences ?? []).map(\.target).filter { target in
                    !settled.contains(target) && !open.contains(target) && !(diffs[target]?.propagatedReferences.isEmpty ?? true)
                }
                if pending.isEmpty || open.contains(id) {
                    settle(id, &diffs, localResources: localResources, registry: registry)
                    settled.insert(id)
                    open.remove(id)
                    stack.removeLast()
                } else {
                    open.insert(id)
                    stack.append(contentsOf: pending)
                }
            }
        }
    }

    private static func settle(_ id: String, _ diffs: inout [String: ResourceDiff], localResources: ObjectMap, registry: SchemaRegistry) {
        guard let diff = diffs[id] else { return }
        var changed = Set<String>()
        for reference in diff.propagatedReferences {
            guard case .key(let property)? = reference.path.first, !changed.contains(property) else { continue }
            if !keepsValue(reference, diffs: diffs, localResources: localResources, registry: registry) { changed.insert(property) }
        }
        diffs[id]?.changedByPropagation = changed
    }

    /// A reference keeps its value only when it reads a replaced resource that keeps its custom
    /// name, through a value made of that name: its Ref or primary identifier when that is the
    /// name, an ARN or a URL; a name attribute; `Arn`. Other attributes (a generated id, a
    /// stream's ARN) are new, and an in-place update propagates only new attribute values.
    static func keepsValue(_ reference: TemplateDiff.Reference, diffs: [String: ResourceDiff], localResources: ObjectMap,
                           registry: SchemaRegistry) -> Bool {
        guard let target = diffs[reference.target], target.action == .modify, target.replacement.isReplacement,
              NameScopes.collisions(type: target.type, changes: target.changes,
                                    properties: localResources[reference.target]?["Properties"]?.objectValue,
                                    registry: registry, propagated: target.changedByPropagation) != nil else { return false }
        let names = registry.summary(for: target.type)?.nameProperties ?? []
        if let attribute = reference.attribute, names.contains(attribute) || attribute == "Arn" { return true }
        // What Ref returns: the primary identifier (a security group's is its generated id).
        guard let schema = registry.schema(for: target.type), schema.primaryIdentifier.count == 1,
              let last = schema.primaryIdentifier[0].split(separator: "/").last.map(String.init),
              reference.attribute == nil || reference.attribute == last else { return false }
        return names.contains(last) || last.hasSuffix("Arn") || last.hasSuffix("Url")
    }
}
