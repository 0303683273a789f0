import FormworkSchema
import FormworkTemplate

/// Updates CloudFormation refuses outright: nothing is replaced, the update fails and rolls back.
enum RefusedUpdates {
    /// A new Type under the same logical id (the error CloudFormation gives).
    static func typeChange(from old: String, to new: String) -> Verdict {
        Verdict(.fails, "CloudFormation refuses the update (\"Update of resource type is not permitted\": \(old) -> \(new)); nothing is replaced and the update rolls back", .template)
    }

    /// `AWS::CloudFormation::CustomResource` and `Custom::*`.
    static func isCustom(_ type: String) -> Bool { type.hasPrefix("Custom::") || type == "AWS::CloudFormation::CustomResource" }

    /// A custom resource's properties: its ServiceToken cannot be updated (CustomResource
    /// page: "Updates aren't supported"); the others are sent to the provider, whose response
    /// decides (a new PhysicalResourceId replaces the resource).
    static func customResource(type: String, path: [PathComponent]) -> Verdict? {
        guard isCustom(type), case .key(let top)? = path.first else { return nil }
        if top == "ServiceToken" {
            return Verdict(.fails, "CustomResource doc: ServiceToken \"Updates aren't supported\": CloudFormation refuses a new service token; the update fails", .documentation)
        }
        return Verdict(.may, "a custom resource: the provider's Update response decides (a new PhysicalResourceId replaces it; Custom resource request types doc)", .documentation)
    }
}

/// A logical rename: a resource removed and one added with the same type and the same
/// properties. As an update CloudFormation creates the new one and deletes the old one (a
/// custom name kept makes the create fail); `aws cloudformation create-stack-refactor` moves it
/// without either.
public struct Rename: Sendable, Equatable {
    public var from: String
    public var to: String
    public var type: String
    /// The custom names (BucketName, TableName, ...) the resource keeps.
    public var keptNames: [String]
}

/// Logical renames found in a diff, and the mappings a stack refactor takes.
public enum Renames {
    static func find(order: [String], diffs: [String: ResourceDiff], localResources: ObjectMap, deployedResources: ObjectMap,
                     resolvedLocal: [String: Node], resolvedDeployed: [String: Node], registry: SchemaRegistry) -> [Rename] {
        let removed = order.filter { diffs[$0]?.action == .remove || diffs[$0]?.action == .orphan }
        var added = order.filter { diffs[$0]?.action == .add && deployedResources[$0] == nil }
        guard !removed.isEmpty, !added.isEmpty else { return [] }
        var found: [Rename] = []
        for old in removed {
            guard let type = deployedResources[old]?["Type"]?.stringValue else { continue }
            let schema = registry.schema(for: type)
            let before = resolvedDeployed[old] ?? .object(ObjectMap())
            guard let index = added.firstIndex(where: { new in
                localResources[new]?["Type"]?.stringValue == type
                    && Normaliser(schema: schema).equal(resolvedLocal[new] ?? .object(ObjectMap()), before, shape: schema?.root)
            }) else { continue }
            let new = added.remove(at: index)
            let properties = resolvedLocal[new]?.objectValue
            let names = (registry.summary(for: type)?.nameProperties ?? []).filter { properties?[$0] != nil }
            found.append(Rename(from: old, to: new, type: type, keptNames: names))
        }
        return found
    }

    /// The added resource becomes a rename (with the old one's data verdict); the removed one
    /// leaves the list.
    static func apply(_ renames: [Rename], to diffs: inout [String: ResourceDiff], order: inout [String], localResources: ObjectMap,
                      deployedResources: ObjectMap, registry: SchemaRegistry) {
        for rename in renames {
            guard let removed = diffs[rename.from] else { continue }
            var diff = ResourceDiff(logicalID: rename.to, type: rename.type, action: .rename)
            diff.previousLogicalID = rename.from
            if !rename.keptNames.isEmpty {
                diff.replacement = .fails
                diff.notes.append("a logical rename of \(rename.from) that keeps its custom \(rename.keptNames.joined(separator: ", ")): as an update, creating \(rename.to) fails (\"already exists\") and nothing is deleted; move it with `aws cloudformation create-stack-refactor` (--refactor-out writes the resource mappings)")
            } else {
                diff.replacement = .will
                diff.data = removed.data
                diff.notes.append("a logical rename of \(rename.from) (same type, same properties): as an update CloudFormation creates \(rename.to) and deletes \(rename.from)\(removed.data == .lost ? " with its data" : ""); `aws cloudformation create-stack-refactor` moves it instead, nothing replaced (--refactor-out writes the resource mappings)")
            }
            diff.notes += removed.notes
            diffs[rename.to] = diff
            diffs[rename.from] = nil
            order.removeAll { $0 == rename.from }
        }
    }

    /// An added resource that takes the custom name of a removed one of the same type: the
    /// update creates the new one before it deletes the old, so the create fails ("already
    /// exists") and nothing is deleted.
    static func collisions(in diffs: inout [String: ResourceDiff], order: [String], localResources: ObjectMap, deployedResources: ObjectMap,
                           resolvedLocal: [String: Node], resolvedDeployed: [String: Node], registry: SchemaRegistry) {
        let removed = order.filter { diffs[$0]?.action == .remove || diffs[$0]?.action == .orphan }
        guard !removed.isEmpty else { return }
        for id in order where diffs[id]?.action == .add {
            guard let type = localResources[id]?["Type"]?.stringValue, let names = registry.summary(for: type)?.nameProperties, !names.isEmpty else { continue }
            for old in removed where deployedResources[old]?["Type"]?.stringValue == type {
                // A retained (orphaned) resource keeps its name in the account just the same.
                let clash = names.first { name in
                    guard let new = resolvedLocal[id]?[name]?.scalarText, let was = resolvedDeployed[old]?[name]?.scalarText else { return false }
                    return new.sameScalars(as: was)
                }
                guard let clash else { continue }
                diffs[id]!.replacement = .fails
                diffs[id]!.notes.append("its \(clash) \(resolvedLocal[id]?[clash]?.scalarText ?? "") is the name of \(old), which this update removes: CloudFormation creates \(id) before it deletes \(old), so the create fails (\"already exists\") and nothing is deleted")
                break
            }
        }
    }

    /// The `--resource-mappings` list of `aws cloudformation create-stack-refactor`:
    /// `[{"Source": {"StackName", "LogicalResourceId"}, "Destination": {...}}]`.
    public static func resourceMappings(_ renames: [Rename], stackName: String) -> Node {
        .array(renames.map { rename in
            .object(ObjectMap([
                "Source": .object(ObjectMap(["StackName": .string(stackName), "LogicalResourceId": .string(rename.from)])),
                "Destination": .object(ObjectMap(["StackName": .string(stackName), "LogicalResourceId": .string(rename.to)])),
            ]))
        })
    }
}
