import FormworkSchema
import FormworkTemplate

/// Equality as CloudFormation sees it, between a local template and the deployed one:
/// `"10"` equals `10` and `"true"` equals `true`; arrays the schema marks unordered (Tags,
/// security-group rules, managed policy ARNs) and IAM statements compare as multisets, with
/// Action/Resource/Principal values as sets; a non-ASCII character of the local template
/// matches `?` in the deployed one (CloudFormation's export replaces them).
struct Normaliser {
    let schema: ResourceSchema?

    func equal(_ local: Node, _ deployed: Node, shape: Shape?) -> Bool {
        // Content equality implies CloudFormation's equality, and it needs no schema.
        if local == deployed { return true }
        let resolved = shape.flatMap { schema?.resolve($0) }
        switch (local.kind, deployed.kind) {
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            let itemShape = resolved?.items?.value
            if isUnordered(resolved, a) { return multisetEqual(a, b, shape: itemShape) }
            return zip(a, b).allSatisfy { equal($0, $1, shape: itemShape) }
        case (.object(let a), .object(let b)):
            if isPolicyDocument(a) || isPolicyDocument(b) { return policyEqual(a, b) }
            guard a.count == b.count else { return false }
            for entry in a.entries {
                guard let other = b[entry.key] else { return false }
                if !equal(entry.value, other, shape: resolved?.property(entry.key) ?? resolved?.additionalShape?.value) { return false }
            }
            return true
        case (.intrinsic(let a), .intrinsic(let b)):
            return a.name == b.name && equal(a.argument, b.argument, shape: nil)
        default:
            return scalarEqual(local, deployed)
        }
    }

    /// Scalars as CloudFormation compares them: by their string form.
    func scalarEqual(_ local: Node, _ deployed: Node) -> Bool {
        switch (local.kind, deployed.kind) {
        case (.null, .null): return true
        case (.number(let a), .number(let b)): return NumberLiteral.equal(a, b)
        case (.number(let a), .string(let b)), (.string(let b), .number(let a)):
            return NumberLiteral.equal(a, b) || a.sameScalars(as: b)
        case (.bool(let a), .bool(let b)): return a == b
        case (.bool(let a), .string(let b)), (.string(let b), .bool(let a)):
            return b.lowercased() == (a ? "true" : "false")
        case (.string(let a), .string(let b)): return Self.exportedTextEqual(local: a, deployed: b)
        default: return false
        }
    }

    /// `?` in the deployed text stands for any one non-ASCII character of the local text.
    static func exportedTextEqual(local: String, deployed: String) -> Bool {
        if local.sameScalars(as: deployed) { return true }
        let a = Array(local.unicodeScalars), b = Array(deployed.unicodeScalars)
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            if !(x.value > 127 && y == "?") { return false }
        }
        return true
    }

    private func isUnordered(_ shape: Shape?, _ items: [Node]) -> Bool {
        if let shape, !shape.insertionOrder { return true }
        // Tags are a set whatever the schema says: order carries no meaning in CloudFormation.
        return Self.isTagList(items)
    }

    /// A list of `{Key, Value}` objects.
    static func isTagList(_ items: [Node]) -> Bool {
        !items.isEmpty && items.allSatisfy { item in
            guard case .object(let map) = item.kind else { return false }
            return map.count == 2 && map["Key"] != nil && map["Value"] != nil
        }
    }

    private func multisetEqual(_ a: [Node], _ b: [Node], shape: Shape?) -> Bool {
        var remaining = b
        for item in a {
            guard let index = remaining.firstIndex(where: { equal(item, $0, shape: shape) }) else { return false }
            remaining.remove(at: index)
        }
        return remaining.isEmpty
    }

    private func isPolicyDocument(_ map: ObjectMap) -> Bool {
        map["Statement"] != nil && (map["Version"] != nil || map.count == 1 || map["Id"] != nil)
    }

    /// IAM documents: statements as a multiset; Action, NotAction, Resource, NotResource and
    /// each Principal kind as sets (one string equals a one-element list).
    private func policyEqual(_ a: ObjectMap, _ b: ObjectMap) -> Bool {
        guard Set(a.keys.map(ScalarKey.init)) == Set(b.keys.map(ScalarKey.init)) else { return false }
        for entry in a.entries where entry.key != "Statement" {
            guard let other = b[entry.key], equal(entry.value, other, shape: nil) else { return false }
        }
        let left = statements(a["Statement"]), right = statements(b["Statement"])
        guard left.count == right.count else { return false }
        var remaining = right
        for statement in left {
            guard let index = remaining.firstIndex(where: { statementEqual(statement, $0) }) else { return false }
            remaining.remove(at: index)
        }
        return true
    }

    private func statements(_ value: Node?) -> [ObjectMap] {
        guard let value else { return [] }
        if let map = value.objectValue { return [map] }
        return value.arrayValue?.compactMap(\.objectValue) ?? []
    }

    private static let setKeys: Set<String> = ["Action", "NotAction", "Resource", "NotResource"]

    private func statementEqual(_ a: ObjectMap, _ b: ObjectMap) -> Bool {
        guard Set(a.keys.map(ScalarKey.init)) == Set(b.keys.map(ScalarKey.init)) else { return false }
        for entry in a.entries {
            guard let other = b[entry.key] else { return false }
            if Self.setKeys.contains(entry.key) {
                if !setEqual(entry.value, other) { return false }
            } else if entry.key == "Principal" || entry.key == "NotPrincipal" {
                if let x = entry.value.objectValue, let y = other.objectValue {
                    guard Set(x.keys.map(ScalarKey.init)) == Set(y.keys.map(ScalarKey.init)) else { return false }
                    for kind in x.entries where !setEqual(kind.value, y[kind.key]!) { return false }
                } else if !equal(entry.value, other, shape: nil) {
                    return false
                }
            } else if !equal(entry.value, other, shape: nil) {
                return false
            }
        }
        return true
    }

    private func setEqual(_ a: Node, _ b: Node) -> Bool {
        let x = a.arrayValue ?? [a], y = b.arrayValue ?? [b]
        let left = x.filter { item in !x.isEmpty && y.contains { equal(item, $0, shape: nil) } }
        let right = y.filter { item in x.contains { equal(item, $0, shape: nil) } }
        return left.count == x.count && right.count == y.count
    }
}
