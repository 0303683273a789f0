import FormworkTemplate

/// Whether a synthesized template holds the same content as the one imported: the same
/// values at the same paths, mappings compared as unordered keys (the models write
/// properties in the schema's order). What the synthesis adds or CloudFormation reads as the
/// same is set aside, and documented in docs/import.md:
///
/// - `AWSTemplateFormatVersion: '2010-09-09'`, which every synthesized template states;
/// - `Metadata: formwork: profile`, which synth writes (and a Metadata left empty by it);
/// - `DependsOn: [A]` and `DependsOn: A`, one dependency either way; `Properties: {}` and no
///   `Properties`; `Fn::Sub: [TEXT, {}]` and `Fn::Sub: TEXT`, no variables either way;
/// - a scalar written as text or as a number or Boolean (`"80"` and `80`, `"true"` and
///   `true`): CloudFormation reads each by the property's type; numbers by value (`1.50`, `1.5`).
package enum RoundTrip {
    /// The paths where the two differ (at most `limit`), each with both values; empty when
    /// the content is the same.
    package static func differences(original: Template, synthesized: Template, limit: Int = 20) -> [String] {
        let left = original.root
        var right = synthesized.root
        if left["AWSTemplateFormatVersion"] == nil { right.remove("AWSTemplateFormatVersion") }
        if var metadata = right["Metadata"]?.objectValue, var formwork = metadata["formwork"]?.objectValue, formwork["profile"] != nil,
           original.root["Metadata"]?["formwork"]?["profile"] == nil {
            formwork.remove("profile")
            if formwork.isEmpty { metadata.remove("formwork") } else { metadata.set("formwork", .object(formwork)) }
            if metadata.isEmpty, left["Metadata"] == nil { right.remove("Metadata") } else { right.set("Metadata", .object(metadata)) }
        }
        var found: [String] = []
        compare(.object(left), .object(right), path: [], found: &found, limit: limit)
        return found
    }

    /// The node in the one spelling of what CloudFormation reads the same, on either side (an
    /// escape such as `stack.attribute` writes a `DependsOn` list as the template had it):
    /// a resource's `DependsOn: [A]` as `A` and no empty `Properties`; `Fn::Sub: [TEXT, {}]`
    /// as `Fn::Sub: TEXT`, which the typed `.sub` writes.
    private static func oneSpelling(_ node: Node, at path: [String]) -> Node {
        switch node.kind {
        case .object(var body) where path.count == 2 && path[0] == "Resources":
            if let items = body["DependsOn"]?.arrayValue, items.count == 1 { body.set("DependsOn", items[0]) }
            if body["Properties"]?.objectValue?.isEmpty == true { body.remove("Properties") }
            return .object(body)
        case .intrinsic(let function) where function.name == .sub:
            guard let items = function.argument.arrayValue, items.count == 2, items[0].stringValue != nil,
                  items[1].objectValue?.isEmpty == true else { return node }
            return .intrinsic(function.name, items[0])
        default:
            return node
        }
    }

    private static func compare(_ a: Node, _ b: Node, path: [String], found: inout [String], limit: Int) {
        guard found.count < limit else { return }
        let a = oneSpelling(a, at: path), b = oneSpelling(b, at: path)
        let here = path.isEmpty ? "/" : path.joined(separator: "/")
        let prefix = path.isEmpty ? "" : here + "/"
        switch (a.kind, b.kind) {
        case (.object(let left), .object(let right)):
            for entry in left.entries {
                if let other = right[entry.key] {
                    compare(entry.value, other, path: path + [entry.key], found: &found, limit: limit)
                } else {
                    found.append("\(prefix)\(entry.key): in the template, not synthesized")
                }
            }
            for entry in right.entries where left[entry.key] == nil {
                found.append("\(prefix)\(entry.key): synthesized, not in the template")
            }
        case (.array(let left), .array(let right)):
            guard left.count == right.count else {
                found.append("\(here): \(left.count) items in the template, \(right.count) synthesized")
                return
            }
            for (index, pair) in zip(left, right).enumerated() {
                compare(pair.0, pair.1, path: path + [String(index)], found: &found, limit: limit)
            }
        case (.intrinsic(let left), .intrinsic(let right)):
            if left.name != right.name {
                found.append("\(here): \(left.name.rawValue) in the template, \(right.name.rawValue) synthesized")
            } else {
                compare(left.argument, right.argument, path: path + [left.name.rawValue], found: &found, limit: limit)
            }
        default:
            if !sameScalar(a, b) {
                found.append("\(here): \(show(a)) in the template, \(show(b)) synthesized")
            }
        }
    }

    private static func sameScalar(_ a: Node, _ b: Node) -> Bool {
        if case .null = a.kind, case .null = b.kind { return true }
        guard let left = a.scalarText, let right = b.scalarText else { return false }
        if left == right { return true }
        let numbers = (a.stringValue == nil || b.stringValue == nil)
        if numbers, let x = a.numberValue, let y = b.numberValue { return x == y }
        return false
    }

    private static func show(_ node: Node) -> String {
        switch node.kind {
        case .string(let text): return "'" + String(text.prefix(60)).printable + "'"
        case .number(let literal): return literal
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array: return "a list"
        case .object: return "a mapping"
        case .intrinsic(let function): return function.name.rawValue
        }
    }
}
