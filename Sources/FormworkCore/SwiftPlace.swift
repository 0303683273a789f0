import FormworkSchema
import FormworkTemplate

/// Template paths and fix hints in the words of the typed models: a finding at
/// `Resources/Database/Properties/MultiAZ` is about `multiAZ`, and the hint `MultiAZ: true`
/// is written `multiAZ: true`.
enum SwiftPlace {
    /// The resource attributes `Stack.add` takes as arguments.
    static let addArguments: [String: String] = [
        "DeletionPolicy": "deletionPolicy", "UpdateReplacePolicy": "updateReplacePolicy", "Condition": "condition",
        "DependsOn": "dependsOn", "Metadata": "metadata",
    ]

    /// `at Resources/Database/Properties/MultiAZ: multiAZ`.
    static func describe(_ path: [PathComponent]) -> String {
        let text = "at " + path.map(\.description).joined(separator: "/")
        guard let swift = swiftPath(path) else { return text }
        return text + ": `\(swift)`"
    }

    /// The Swift spelling of the part of a path below the resource: `tags[0].key`,
    /// `deletionPolicy:`.
    static func swiftPath(_ path: [PathComponent]) -> String? {
        guard path.count >= 3, path[0] == .key("Resources") else { return nil }
        if case .key(let attribute) = path[2], let argument = addArguments[attribute] { return argument + ":" }
        guard path[2] == .key("Properties"), path.count > 3 else { return nil }
        var text = ""
        for component in path.dropFirst(3) {
            switch component {
            case .key(let key):
                // Intrinsic keys are not properties: the path ends at the value.
                if key.contains("::") || key == "Ref" { return text.isEmpty ? nil : text }
                text += (text.isEmpty ? "" : ".") + SwiftNames.property(key)
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text.isEmpty ? nil : text
    }

    /// A rule's hint in Swift where it is an assignment or a call (`MultiAZ: true` ->
    /// `$0.multiAZ = true`, `use Delete` on a DeletionPolicy -> `deletionPolicy: .delete`,
    /// `use ${AWS::AccountId}` -> `Pseudo.accountID`; see `SwiftHint`); other hints are
    /// kept, marked as the template's words.
    static func hint(_ hint: String, path: [PathComponent]) -> String {
        if path.count >= 3, case .key(let attribute) = path[2], attribute == "DeletionPolicy" || attribute == "UpdateReplacePolicy" {
            for policy in ["Delete", "Snapshot", "Retain"] where hint.hasSuffix(policy) {
                return "pass `\(addArguments[attribute]!): .\(policy.lowercased())` to `stack.add`"
            }
        }
        if hint == "remove it", path.count >= 3, case .key(let attribute) = path[2], let argument = addArguments[attribute] {
            return "leave it out of `\(argument):` in `stack.add`"
        }
        if path.first == .key("Resources"), let swift = SwiftHint.swift(hint, path: path),
           !swift.hasPrefix("set `$0.") || path.count < 3 || path[2] == .key("Properties") {
            return swift
        }
        return "in the template: " + hint
    }
}
