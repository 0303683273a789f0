import FormworkSchema
import FormworkSchemaData
import FormworkTemplate

/// A named condition of the stack's `Conditions` section.
public struct Condition: Sendable, Hashable {
    public let name: String
}

/// What a condition tests.
public indirect enum ConditionExpression: Sendable {
    case equals(Node, Node)
    case and([ConditionExpression])
    case or([ConditionExpression])
    case not(ConditionExpression)
    case condition(Condition)

    public static func equals<T>(_ left: Value<T>, _ right: Value<T>) -> ConditionExpression { .equals(left.node, right.node) }

    var node: Node {
        switch self {
        case .equals(let left, let right): return .intrinsic(.equals, .array([left, right]))
        case .and(let items): return .intrinsic(.and, .array(items.map(\.node)))
        case .or(let items): return .intrinsic(.or, .array(items.map(\.node)))
        case .not(let item): return .intrinsic(.not, .array([item.node]))
        case .condition(let condition): return .object(ObjectMap(["Condition": .string(condition.name)]))
        }
    }
}

/// A `Mappings` entry, for `Value.findInMap`.
public struct Mapping: Sendable, Hashable {
    public let name: String
}

/// `DeletionPolicy` values.
public enum DeletionPolicy: String, Sendable, CaseIterable {
    case delete = "Delete", retain = "Retain", retainExceptOnCreate = "RetainExceptOnCreate", snapshot = "Snapshot"
}

/// `UpdateReplacePolicy` values.
public enum UpdateReplacePolicy: String, Sendable, CaseIterable {
    case delete = "Delete", retain = "Retain", snapshot = "Snapshot"
}

/// Any resource in a stack, for `dependsOn`.
public protocol AnyResourceHandle: Sendable {
    var logicalID: String { get }
}

/// A resource added to a stack: its `Ref`, and typed attributes (generated per type).
public struct ResourceHandle<Properties: ResourceProperties>: AnyResourceHandle {
    public let logicalID: String

    public init(logicalID: String) { self.logicalID = logicalID }

    /// `Ref` (for most types the physical id or name).
    public var ref: Value<String> { Value(unchecked: .intrinsic(.ref, .string(logicalID))) }

    /// `Fn::GetAtt`, for the generated typed accessors.
    public func attribute<T>(_ name: String) -> Value<T> {
        Value(unchecked: .intrinsic(.getAtt, .array([.string(logicalID), .string(name)])))
    }
}

/// One stack written with the typed models. `compile()` turns it into a `Template`, after
/// the checks the Swift compiler cannot make (see `StackCompiler`).
public final class Stack {
    public var description: String?
    public var metadata: ObjectMap
    var parameters: [(String, ObjectMap)] = []
    var conditions: [(String, Node)] = []
    var mappings: [(String, Node)] = []
    var resources: [(String, ObjectMap)] = []
    var outputs: [(String, ObjectMap)] = []
    var transform: [String] = []
    var problems: [Diagnostic] = []
    /// Where each entry was declared in Swift ("Resources/Database" -> Infra/main.swift:12),
    /// so that a diagnostic names the user's line.
    var places: [String: SourcePlace] = [:]

    public init(description: String? = nil, metadata: ObjectMap = ObjectMap()) {
        self.description = description
        self.metadata = metadata
    }

    public func transform(_ name: String) {
        transform.append(name)
    }

    public func parameter<T>(_ name: String, _ definition: ParameterDefinition<T>, file: StaticString = #fileID, line: UInt = #line) -> Parameter<T> {
        record(name, section: "Parameters", in: parameters.map(\.0), SourcePlace(file, line))
        parameters.append((name, definition.render()))
        return Parameter(name: name)
    }

    public func condition(_ name: String, _ expression: ConditionExpression, file: StaticString = #fileID, line: UInt = #line) -> Condition {
        record(name, section: "Conditions", in: conditions.map(\.0), SourcePlace(file, line))
        if case .condition = expression {
            conditions.append((name, ConditionExpression.and([expression, expression]).node))
        } else {
            conditions.append((name, expression.node))
        }
        return Condition(name: name)
    }

    public func mapping(_ name: String, _ table: KeyValuePairs<String, KeyValuePairs<String, JSON>>, file: StaticString = #fileID, line: UInt = #line) -> Mapping {
        record(name, section: "Mappings", in: mappings.map(\.0), SourcePlace(file, line))
        var top = ObjectMap()
        for (key, row) in table {
            var second = ObjectMap()
            for (innerKey, value) in row { second.set(innerKey, value.node) }
            top.set(key, .object(second))
        }
        mappings.append((name, .object(top)))
        return Mapping(name: name)
    }

    @discardableResult
    public func add<P: ResourceProperties>(
        _ logicalID: String,
        _ properties: P,
        condition: Condition? = nil,
        dependsOn: [any AnyResourceHandle] = [],
        deletionPolicy: DeletionPolicy? = nil,
        updateReplacePolicy: UpdateReplacePolicy? = nil,
        metadata: JSON? = nil,
        file: StaticString = #fileID,
        line: UInt = #line
    ) -> ResourceHandle<P> {
        record(logicalID, section: "Resources", in: resources.map(\.0), SourcePlace(file, line))
        var body = ObjectMap()
        body.set("Type", .string(properties.resourceType))
        if let condition { body.set("Condition", .string(condition.name)) }
        if !dependsOn.isEmpty {
            let names = dependsOn.map(\.logicalID)
            body.set("DependsOn", names.count == 1 ? .string(names[0]) : .array(names.map { .string($0) }))
        }
        if let deletionPolicy { body.set("DeletionPolicy", .string(deletionPolicy.rawValue)) }
        if let updateReplacePolicy { body.set("UpdateReplacePolicy", .string(updateReplacePolicy.rawValue)) }
        if let metadata { body.set("Metadata", metadata.node) }
        let rendered = properties.renderProperties()
        if !rendered.isEmpty { body.set("Properties", .object(rendered)) }
        resources.append((logicalID, body))
        return ResourceHandle(logicalID: logicalID)
    }

    public func output(_ name: String, _ value: Value<String>, description: String? = nil, export: Value<String>? = nil, condition: Condition? = nil,
                       file: StaticString = #fileID, line: UInt = #line) {
        record(name, section: "Outputs", in: outputs.map(\.0), SourcePlace(file, line))
        var body = ObjectMap()
        if let description { body.set("Description", .string(description)) }
        if let condition { body.set("Condition", .string(condition.name)) }
        body.set("Value", value.node)
        if let export { body.set("Export", .object(ObjectMap(["Name": export.node]))) }
        outputs.append((name, body))
    }

    public func output(_ name: String, _ value: Value<[String]>, description: String? = nil, export: Value<String>? = nil,
                       file: StaticString = #fileID, line: UInt = #line) {
        output(name, Value<String>.join(",", value), description: description, export: export, file: file, line: line)
    }

    private func record(_ name: String, section: String, in existing: [String], _ place: SourcePlace) {
        if places[section + "/" + name] == nil { places[section + "/" + name] = place }
        if existing.contains(name) {
            problems.append(Diagnostic(ruleID: CompileDiagnosticID.duplicateID, message: "'\(name)' is defined twice in \(section)", path: [.key(section), .key(name)]))
        }
        if !StackCompiler.isValidLogicalID(name) {
            problems.append(Diagnostic(ruleID: CompileDiagnosticID.invalidID, message: "'\(name)' is not a valid logical id: use 1 to 255 letters and digits", path: [.key(section), .key(name)]))
        }
    }

    /// The template, unchecked.
    public var template: Template {
        var root = ObjectMap()
        root.set("AWSTemplateFormatVersion", .string("2010-09-09"))
        if let description { root.set("Description", .string(description)) }
        if !metadata.isEmpty { root.set("Metadata", .object(metadata)) }
        if !transform.isEmpty { root.set("Transform", transform.count == 1 ? .string(transform[0]) : .array(transform.map { .string($0) })) }
        func section(_ name: String, _ entries: [(String, Node)]) {
            guard !entries.isEmpty else { return }
            root.set(name, .object(ObjectMap(entries.map { ObjectMap.Entry(key: $0.0, value: $0.1) })))
        }
        section("Parameters", parameters.map { ($0.0, .object($0.1)) })
        section("Mappings", mappings)
        section("Conditions", conditions)
        section("Resources", resources.map { ($0.0, .object($0.1)) })
        section("Outputs", outputs.map { ($0.0, .object($0.1)) })
        return Template(root: root)
    }

    /// The checked template: throws every problem found (see `StackCompiler`), each at the
    /// Swift line that declared the offending entry.
    public func compile() throws(StackErrors) -> Template {
        let template = self.template
        let found = problems + StackCompiler.check(template)
        if !found.isEmpty { throw StackErrors(diagnostics: found.map(locate)) }
        return template
    }

    /// Compiles, then runs the validation pass (`validator`): an error stops the compile, and
    /// nothing is emitted. The validator's profile name is written into the template's
    /// Metadata, so that a copy of the file keeps it. Warnings and informational findings
    /// come back with the template; every finding names the Swift line of its resource.
    public func compile(validatingWith validator: some StackValidator) throws(StackErrors) -> CompiledStack {
        if let profile = validator.profileName {
            var formwork = metadata["formwork"]?.objectValue ?? ObjectMap()
            formwork.set("profile", .string(profile))
            metadata.set("formwork", .object(formwork))
        }
        let template = try compile()
        let findings = validator.validate(template).map(locate)
        let errors = findings.filter { $0.severity == .error }
        if !errors.isEmpty { throw StackErrors(diagnostics: errors) }
        return CompiledStack(template: template, findings: findings)
    }

    /// A diagnostic of the compiled template, moved to the Swift line that added the entry
    /// its path names, with the path spelt as the typed models spell it.
    func locate(_ diagnostic: Diagnostic) -> Diagnostic {
        var copy = diagnostic
        guard diagnostic.path.count >= 2, case .key(let section) = diagnostic.path[0], case .key(let name) = diagnostic.path[1],
              let place = places[section + "/" + name] else {
            if copy.file == nil, let first = places.values.min(by: { ($0.file, $0.line) < ($1.file, $1.line) }) {
                copy.file = first.file
                copy.location = Location(line: 1, column: 1)
            }
            return copy
        }
        copy.file = place.file
        copy.location = Location(line: Int(place.line), column: 1)
        copy.message += " (\(SwiftPlace.describe(diagnostic.path)))"
        copy.hint = diagnostic.hint.map { SwiftPlace.hint($0, path: diagnostic.path) }
        return copy
    }
}

/// A compiled, validated stack: the template and the findings below error.
public struct CompiledStack: Sendable {
    public var template: Template
    public var findings: [Diagnostic]
}

/// The validation pass `Stack.compile(validatingWith:)` runs: the rule engine provides one
/// (the `Formwork` module's `ProfileValidator`), and a test can provide its own.
public protocol StackValidator: Sendable {
    /// The profile written into the template's Metadata (`formwork: {profile: NAME}`).
    var profileName: String? { get }
    func validate(_ template: Template) -> [Diagnostic]
}

/// A place in the user's Swift source (`#fileID`, `#line`).
public struct SourcePlace: Sendable, Hashable {
    public var file: String
    public var line: UInt

    public init(_ file: StaticString, _ line: UInt) {
        self.file = file.description
        self.line = line
    }
}

/// The problems that stopped a stack from compiling.
public struct StackErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public var description: String { diagnostics.map(\.text).joined(separator: "\n") }
}
