import FormworkSchema
import FormworkTemplate

/// A named condition of the stack's `Conditions` section: what `Value.if`, a resource's
/// `condition:` and an output's `condition:` take.
public struct Condition: Sendable, Hashable {
    /// The condition's logical id.
    public let name: String
}

/// What a condition tests: `.equals(environment.ref, "prod")`, combined with `.and`, `.or`
/// and `.not`, or another condition by name.
public struct ConditionExpression: Sendable {
    package let node: Node
    /// A bare reference to another condition (CloudFormation wants it wrapped in `Fn::And`).
    let isReference: Bool

    /// `Fn::Equals` of two values of the same type.
    public static func equals<T>(_ left: Value<T>, _ right: Value<T>) -> ConditionExpression {
        ConditionExpression(node: .intrinsic(.equals, .array([left.node, right.node])), isReference: false)
    }

    /// `Fn::And`: every expression holds (2 to 10 of them).
    public static func and(_ items: [ConditionExpression]) -> ConditionExpression {
        ConditionExpression(node: .intrinsic(.and, .array(items.map(\.node))), isReference: false)
    }

    /// `Fn::Or`: at least one expression holds (2 to 10 of them).
    public static func or(_ items: [ConditionExpression]) -> ConditionExpression {
        ConditionExpression(node: .intrinsic(.or, .array(items.map(\.node))), isReference: false)
    }

    /// `Fn::Not`.
    public static func not(_ item: ConditionExpression) -> ConditionExpression {
        ConditionExpression(node: .intrinsic(.not, .array([item.node])), isReference: false)
    }

    /// Another condition of the stack.
    public static func condition(_ condition: Condition) -> ConditionExpression {
        ConditionExpression(node: .object(ObjectMap(["Condition": .string(condition.name)])), isReference: true)
    }
}

/// A `Mappings` entry, for `Value.findInMap`.
public struct Mapping: Sendable, Hashable {
    /// The mapping's logical id.
    public let name: String
}

/// What CloudFormation does with a resource when it is removed from the stack or the stack is
/// deleted (`deletionPolicy:` of `Stack.add`).
public enum DeletionPolicy: String, Sendable, CaseIterable {
    /// The resource and its data are deleted (the default for most types).
    case delete = "Delete"
    /// The resource is kept, outside the stack.
    case retain = "Retain"
    /// Kept, except when the stack's creation fails (then deleted).
    case retainExceptOnCreate = "RetainExceptOnCreate"
    /// A final snapshot is taken, then the resource is deleted (types that snapshot).
    case snapshot = "Snapshot"
}

/// What CloudFormation does with the old resource when an update replaces it
/// (`updateReplacePolicy:` of `Stack.add`).
public enum UpdateReplacePolicy: String, Sendable, CaseIterable {
    /// The old resource is deleted.
    case delete = "Delete"
    /// The old resource is kept, outside the stack.
    case retain = "Retain"
    /// A snapshot of the old resource is taken, then it is deleted.
    case snapshot = "Snapshot"
}

/// Any resource in a stack, for `dependsOn`.
public protocol AnyResourceHandle: Sendable {
    /// The resource's logical id.
    var logicalID: String { get }
}

/// A resource added to a stack: its `Ref`, and typed attributes (generated per type).
public struct ResourceHandle<Properties: ResourceProperties>: AnyResourceHandle {
    /// The resource's logical id.
    public let logicalID: String

    /// A handle to a resource of this type by its logical id (what `Stack.add` returns; also
    /// a resource of another stack of the same template).
    public init(logicalID: String) { self.logicalID = logicalID }

    /// `Ref` (for most types the physical id or name).
    public var ref: Value<String> { Value(unchecked: .intrinsic(.ref, .string(logicalID))) }

    /// `Fn::GetAtt` of an attribute the typed accessors do not name, as a string (most
    /// attributes are): `cluster.attribute("Endpoint.Address")`. Not generic, so that the
    /// value's use cannot pick its type (an output would otherwise take it for a list and
    /// join it).
    public func attribute(_ name: String) -> Value<String> {
        attribute(name, as: String.self)
    }

    /// `Fn::GetAtt` of an attribute of another type, named: `attribute("Ports", as: [String].self)`.
    public func attribute<T>(_ name: String, as type: T.Type) -> Value<T> {
        Value(unchecked: .intrinsic(.getAtt, .array([.string(logicalID), .string(name)])))
    }

    /// `Fn::GetAtt` typed by its use: the generated accessors' spelling (each declares its type).
    package func attribute<T>(_ name: String) -> Value<T> {
        attribute(name, as: T.self)
    }
}

/// One stack written with the typed models. `compile()` turns it into a `Template`, after
/// the checks the Swift compiler cannot make (see `StackCompiler`).
public final class Stack {
    /// The template's `Description`.
    public var description: String?
    /// The template's `Metadata` (the profile's name is written into it at compile).
    package var metadata: ObjectMap
    var parameters: [(String, ObjectMap)] = []
    var conditions: [(String, Node)] = []
    var mappings: [(String, Node)] = []
    var resources: [(String, ObjectMap)] = []
    var outputs: [(String, ObjectMap)] = []
    var transform: [String] = []
    /// Sections the typed API does not write (`Rules`, ...), set through `section(_:_:)`.
    var otherSections: [(String, Node)] = []
    var problems: [Diagnostic] = []
    /// Where each entry was declared in Swift ("Resources/Database" -> Infra/main.swift:12),
    /// so that a diagnostic names the user's line.
    var places: [String: CallSite] = [:]
    /// The user's source files, read when a finding is placed below its entry.
    let sources = SwiftSources()
    /// Work that adds resources when the template is first built (see `finally(_:)`).
    var pending: [() -> Void] = []

    /// An empty stack with this description and template Metadata.
    public init(description: String? = nil, metadata: JSON? = nil) {
        self.description = description
        self.metadata = metadata?.node.objectValue ?? ObjectMap()
    }

    /// Adds a macro the template is processed with (`Transform`), such as
    /// `AWS::LanguageExtensions`.
    public func transform(_ name: String) {
        transform.append(name)
    }

    /// Declares a parameter; its `ref` is its value, typed by the definition
    /// (`.string(...)`, `.integer(...)`, `.commaDelimitedList(...)`, ...). `file` and `line`
    /// place the compile's findings about it; a helper that declares parameters for its
    /// callers forwards its own.
    public func parameter<T>(_ name: String, _ definition: ParameterDefinition<T>, file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> Parameter<T> {
        record(name, section: "Parameters", in: parameters.map(\.0), CallSite(file: file, line: line, column: column))
        parameters.append((name, definition.render()))
        return Parameter(name: name)
    }

    /// Declares a condition.
    public func condition(_ name: String, _ expression: ConditionExpression, file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> Condition {
        record(name, section: "Conditions", in: conditions.map(\.0), CallSite(file: file, line: line, column: column))
        if expression.isReference {
            conditions.append((name, ConditionExpression.and([expression, expression]).node))
        } else {
            conditions.append((name, expression.node))
        }
        return Condition(name: name)
    }

    /// Declares a two-level mapping (`Mappings`), read with `Value.findInMap`.
    public func mapping(_ name: String, _ table: KeyValuePairs<String, KeyValuePairs<String, JSON>>, file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> Mapping {
        record(name, section: "Mappings", in: mappings.map(\.0), CallSite(file: file, line: line, column: column))
        var top = ObjectMap()
        for (key, row) in table {
            var second = ObjectMap()
            for (innerKey, value) in row { second.set(innerKey, value.node) }
            top.set(key, .object(second))
        }
        mappings.append((name, .object(top)))
        return Mapping(name: name)
    }

    /// Adds a resource and returns its handle (its `ref` and typed attributes). Findings
    /// about the resource are placed at `file`, `line` and `column`: the call's own place
    /// unless a helper forwards its caller's (see ``CallSite``).
    @discardableResult
    public func add<P: ResourceProperties>(
        _ logicalID: String,
        _ properties: P,
        condition: Condition? = nil,
        dependsOn: [any AnyResourceHandle] = [],
        deletionPolicy: DeletionPolicy? = nil,
        updateReplacePolicy: UpdateReplacePolicy? = nil,
        metadata: JSON? = nil,
        file: StaticString = #filePath,
        line: UInt = #line,
        column: UInt = #column
    ) -> ResourceHandle<P> {
        add(logicalID, properties, condition: condition, dependsOn: dependsOn, deletionPolicy: deletionPolicy,
            updateReplacePolicy: updateReplacePolicy, metadata: metadata, at: CallSite(file: file, line: line, column: column))
    }

    /// Adds a resource for a caller whose place a helper or a construct recorded: findings
    /// about the resource are reported at `callSite`.
    @discardableResult
    public func add<P: ResourceProperties>(
        _ logicalID: String,
        _ properties: P,
        condition: Condition? = nil,
        dependsOn: [any AnyResourceHandle] = [],
        deletionPolicy: DeletionPolicy? = nil,
        updateReplacePolicy: UpdateReplacePolicy? = nil,
        metadata: JSON? = nil,
        at callSite: CallSite
    ) -> ResourceHandle<P> {
        record(logicalID, section: "Resources", in: resources.map(\.0), callSite)
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

    /// Declares an output, optionally exported under a name other stacks import.
    public func output(_ name: String, _ value: Value<String>, description: String? = nil, export: Value<String>? = nil, condition: Condition? = nil,
                       file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        record(name, section: "Outputs", in: outputs.map(\.0), CallSite(file: file, line: line, column: column))
        var body = ObjectMap()
        if let description { body.set("Description", .string(description)) }
        if let condition { body.set("Condition", .string(condition.name)) }
        body.set("Value", value.node)
        if let export { body.set("Export", .object(ObjectMap(["Name": export.node]))) }
        outputs.append((name, body))
    }

    /// Declares an output of a list, written as its items joined by commas. Disfavoured, so
    /// that a value whose type comes from its use (`.findInMap`, `.if`) is a string output,
    /// not a string joined as a list.
    @_disfavoredOverload
    public func output(_ name: String, _ value: Value<[String]>, description: String? = nil, export: Value<String>? = nil, condition: Condition? = nil,
                       file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        output(name, Value<String>.join(",", value), description: description, export: export, condition: condition, file: file, line: line, column: column)
    }

    private func record(_ name: String, section: String, in existing: [String], _ place: CallSite) {
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
        while !pending.isEmpty { pending.removeFirst()() }
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
        // A section's entries join those the typed API wrote (a `Fn::ForEach` beside resources).
        for (name, value) in otherSections {
            if case .object(let extra) = value.kind, var existing = root[name]?.objectValue {
                for entry in extra.entries { existing.set(entry.key, entry.value) }
                root.set(name, .object(existing))
            } else {
                root.set(name, value)
            }
        }
        return Template(root: root)
    }

    /// The checked template: throws every problem found (see `StackCompiler`), each at the
    /// Swift line that declared the offending entry. The registry is the caller's (the
    /// `Formwork` module passes the generated one).
    package func compile(registry: SchemaRegistry) throws(StackErrors) -> Template {
        let template = self.template
        let found = problems + StackCompiler.check(template, registry: registry)
        if !found.isEmpty { throw StackErrors(diagnostics: found.map(locate)) }
        return template
    }

    /// Compiles, then runs the validation pass (`validator`): an error stops the compile, and
    /// nothing is emitted. The validator's profile name is written into the template's
    /// Metadata, so that a copy of the file keeps it. Warnings and informational findings
    /// come back with the template; every finding names the Swift line of its resource.
    package func compile(validatingWith validator: some StackValidator) throws(StackErrors) -> CompiledStack {
        if let profile = validator.profileName {
            var formwork = metadata["formwork"]?.objectValue ?? ObjectMap()
            formwork.set("profile", .string(profile))
            metadata.set("formwork", .object(formwork))
        }
        let template = self.template
        // The compile's own checks, at the level the validator gives them: an imported
        // template that already broke one synthesizes as it was, with a warning.
        var checks = problems + StackCompiler.check(template, registry: validator.registry)
        for index in checks.indices {
            if let level = validator.compileCheckSeverity(checks[index].ruleID) { checks[index].severity = level }
        }
        if checks.contains(where: { $0.severity == .error }) { throw StackErrors(diagnostics: checks.map(locate)) }
        let findings = checks.map(locate) + validator.validate(template).map(locate)
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
                copy.file = first.displayPath
                copy.location = Location(line: 1, column: 1)
            }
            return copy
        }
        copy.file = place.displayPath
        copy.location = Location(line: place.line, column: place.column)
        // Below the entry: the expression that set the property (or the argument that set
        // the attribute), where the user's source shows it.
        if section == "Resources", diagnostic.path.count > 2, let scan = sources.scan(place.file),
           let found = scan.place(below: diagnostic.path[2...], callAt: place) {
            copy.location = Location(line: found.line, column: found.column)
        }
        copy.message += " (\(SwiftPlace.describe(diagnostic.path)))"
        copy.hint = diagnostic.hint.map { SwiftPlace.hint($0, path: diagnostic.path) }
        return copy
    }
}

/// A compiled, validated stack: the template and the findings below error.
public struct CompiledStack: Sendable {
    /// The template, checked and validated.
    public var template: Template
    /// The validation pass's warnings and informational findings, at the Swift lines of
    /// their resources.
    public var findings: [Diagnostic]
}

/// The validation pass `Stack.compile(validatingWith:)` runs: the rule engine provides one
/// (the `Formwork` module's `ProfileValidator`), and a test can provide its own.
package protocol StackValidator: Sendable {
    /// The profile written into the template's Metadata (`formwork: {profile: NAME}`).
    var profileName: String? { get }
    /// The registry the compile checks types against.
    var registry: SchemaRegistry { get }
    func validate(_ template: Template) -> [Diagnostic]
    /// The level a compile check (`CP-*`) reports at under this validator when it is not an
    /// error; nil keeps it an error, which stops the compile.
    func compileCheckSeverity(_ id: RuleID) -> Severity?
}

extension StackValidator {
    /// Every compile check is an error.
    package func compileCheckSeverity(_ id: RuleID) -> Severity? { nil }
}

/// Where the user's Swift called an API: the file as swiftc prints it (`#filePath`), the
/// line and the column. Findings about what the call declared are reported here.
///
/// A helper or a construct that adds resources for its caller takes the caller's place as
/// defaulted arguments and passes it on, so findings land on the line the user wrote:
///
/// ```swift
/// func addQueue(_ name: String, to stack: Stack,
///               file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
///     stack.add(name, SQS.Queue(), at: CallSite(file: file, line: line, column: column))
/// }
/// ```
public struct CallSite: Sendable, Hashable {
    /// The source file's path, as swiftc prints it in its own diagnostics.
    public var file: String
    /// The line of the call, from 1.
    public var line: Int
    /// The column of the call, from 1.
    public var column: Int

    /// The path to print: relative to the current directory when the file is inside it (so
    /// output does not depend on where a clone lives), else as swiftc printed it. Either
    /// opens from the terminal the command ran in.
    var displayPath: String {
        guard let directory = FileIO.currentDirectory() else { return file }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
    }

    /// A call site from the magic literals of a caller's defaulted arguments.
    public init(file: StaticString, line: UInt, column: UInt) {
        self.file = file.description
        self.line = Int(line)
        self.column = Int(column)
    }
}

/// The problems that stopped a stack from compiling.
public struct StackErrors: Error, Sendable, CustomStringConvertible {
    /// Every problem, each at the Swift line that declared the offending entry.
    public var diagnostics: [Diagnostic]
    /// The problems as compiler-style lines.
    public var description: String { diagnostics.map(\.text).joined(separator: "\n") }
}
