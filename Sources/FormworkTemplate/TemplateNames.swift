/// Shared by the structural rules (ST-09 to ST-14) and the typed core's compile checks, so
/// that both walk references the same way.
/// What a template defines that functions can name, and a walk over the places
/// CloudFormation evaluates functions (Properties and the other resource attributes it
/// reads, Conditions, Outputs). Templates with a transform are expanded by CloudFormation
/// before these names exist, so the reference rules leave them alone.
public struct TemplateNames: Sendable {
    public let parameters: Set<String>
    public let resources: [String: String]
    public let conditions: Set<String>
    public let mappings: ObjectMap
    public let transformed: Bool
    /// Modules' logical ids: a module's resources are referred to as <module><resource>.
    public let modules: [String]

    public init(_ template: Template) {
        parameters = Set(template.parameters?.keys ?? [])
        var resources: [String: String] = [:]
        for entry in template.root["Resources"]?.objectValue?.entries ?? [] {
            resources[entry.key] = entry.value["Type"]?.stringValue ?? ""
        }
        self.resources = resources
        modules = resources.filter { $0.value.hasSuffix("::MODULE") }.map(\.key)
        conditions = Set(template.conditions?.keys ?? [])
        mappings = template.mappings ?? ObjectMap()
        transformed = !template.transforms.isEmpty
    }

    public func isReferable(_ name: String, inConditions: Bool) -> Bool {
        parameters.contains(name) || Template.pseudoParameters.contains(name) || (!inConditions && (resources[name] != nil || isModuleResource(name)))
    }

    public func isModuleResource(_ name: String) -> Bool {
        modules.contains { name.hasPrefix($0) && name.count > $0.count }
    }

    /// Calls `visit` with every intrinsic function where CloudFormation evaluates them, with
    /// its path (ending at the function's key) and whether it is inside Conditions.
    public static func functions(in template: Template, _ visit: (Intrinsic, Node, [PathComponent], Bool) -> Void) {
        for entry in template.root["Resources"]?.objectValue?.entries ?? [] {
            for attribute in ["Properties", "CreationPolicy", "UpdatePolicy", "DeletionPolicy", "UpdateReplacePolicy"] {
                if let value = entry.value[attribute] {
                    walk(value, [.key("Resources"), .key(entry.key), .key(attribute)], inConditions: false, visit)
                }
            }
        }
        // An `Fn::ForEach::` entry is a loop whose body names its own variables: it is judged
        // once expanded (lint expands loops first), never as written.
        for entry in template.outputs?.entries ?? [] where !entry.key.hasPrefix("Fn::ForEach::") {
            walk(entry.value, [.key("Outputs"), .key(entry.key)], inConditions: false, visit)
        }
        for entry in template.conditions?.entries ?? [] where !entry.key.hasPrefix("Fn::ForEach::") {
            walk(entry.value, [.key("Conditions"), .key(entry.key)], inConditions: true, visit)
        }
    }

    /// Calls `visit` with every intrinsic function below one value (a resource's Metadata, which
    /// `functions(in:)` leaves out), with its path from `path`, as that walk gives it.
    package static func functions(in value: Node, at path: [PathComponent], _ visit: (Intrinsic, Node, [PathComponent]) -> Void) {
        walk(value, path, inConditions: false) { function, value, path, _ in visit(function, value, path) }
    }

    /// Calls `visit` with every intrinsic function of the Rules section (its RuleConditions
    /// and Assertions), where, as in Conditions, a Ref names a parameter or pseudo parameter.
    public static func ruleFunctions(in template: Template, _ visit: (Intrinsic, Node, [PathComponent]) -> Void) {
        for entry in template.root["Rules"]?.objectValue?.entries ?? [] {
            walk(entry.value, [.key("Rules"), .key(entry.key)], inConditions: true) { function, value, path, _ in visit(function, value, path) }
        }
    }

    /// One path array, pushed and popped (a copy only where a function is visited).
    private static func walk(_ value: Node, _ path: [PathComponent], inConditions: Bool, _ visit: (Intrinsic, Node, [PathComponent], Bool) -> Void) {
        var path = path
        walk(value, &path, inConditions: inConditions, visit)
    }

    private static func walk(_ value: Node, _ path: inout [PathComponent], inConditions: Bool, _ visit: (Intrinsic, Node, [PathComponent], Bool) -> Void) {
        switch value.kind {
        case .object(let map):
            for entry in map.entries {
                path.append(.key(entry.key))
                walk(entry.value, &path, inConditions: inConditions, visit)
                path.removeLast()
            }
        case .array(let items):
            for (index, item) in items.enumerated() {
                path.append(.index(index))
                walk(item, &path, inConditions: inConditions, visit)
                path.removeLast()
            }
        case .intrinsic(let function):
            path.append(.key(function.name.rawValue))
            visit(function, value, path, inConditions)
            walk(function.argument, &path, inConditions: inConditions, visit)
            path.removeLast()
        default:
            break
        }
    }
}


extension TemplateNames {
    /// A condition named inside a value: by a `{Condition: Name}` condition function (what
    /// `!Condition Name` reads as), or as the first argument of an `Fn::If`.
    public struct ConditionReference: Sendable {
        public let name: String
        /// The path of the reference: ending at `Condition`, or at the `Fn::If`.
        public let path: [PathComponent]
        public let isIf: Bool
    }

    /// Every condition a value names, in document order.
    public static func conditionReferences(in value: Node, at path: [PathComponent] = []) -> [ConditionReference] {
        var found: [ConditionReference] = []
        collectConditions(value, path, &found)
        return found
    }

    private static func collectConditions(_ value: Node, _ path: [PathComponent], _ found: inout [ConditionReference]) {
        switch value.kind {
        case .object(let map):
            if map.count == 1, let name = map["Condition"]?.stringValue {
                found.append(ConditionReference(name: name, path: path + [.key("Condition")], isIf: false))
            }
            for entry in map.entries { collectConditions(entry.value, path + [.key(entry.key)], &found) }
        case .array(let items):
            for (index, item) in items.enumerated() { collectConditions(item, path + [.index(index)], &found) }
        case .intrinsic(let function):
            let here = path + [.key(function.name.rawValue)]
            if function.name == .if, let name = function.argument.arrayValue?.first?.stringValue {
                found.append(ConditionReference(name: name, path: here, isIf: true))
            }
            collectConditions(function.argument, here, &found)
        default:
            break
        }
    }
}
