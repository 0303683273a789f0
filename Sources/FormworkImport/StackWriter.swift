import FormworkCodegen
import FormworkSchema
import FormworkTemplate

/// Writes one template as a Swift function that builds the same stack with the typed models:
/// parameters, mappings and conditions first, resources in dependency order (the template's
/// order among independent ones), then outputs. What the types cannot say goes through the
/// documented escapes (`Value(raw:)`, `extraProperties`, `RawResource`, `stack.attribute`,
/// `stack.section`, `stack.entry`), each reported.
struct StackWriter {
    typealias Kind = ModelFacts.Kind

    /// A value's Swift type inside `Value<...>`.
    indirect enum ValueType: Equatable, Sendable {
        case string, int, double, bool, json
        case set(String)
        case list(ValueType)

        var swift: String {
            switch self {
            case .string: return "String"
            case .int: return "Int"
            case .double: return "Double"
            case .bool: return "Bool"
            case .json: return "JSON"
            case .set(let name): return name
            case .list(let inner): return "[" + inner.swift + "]"
            }
        }

        init(accessor type: String) {
            switch type {
            case "Int": self = .int
            case "Double": self = .double
            case "Bool": self = .bool
            case "[String]": self = .list(.string)
            case "JSON": self = .json
            default: self = .string
            }
        }
    }

    /// An expression and its Swift type; `contextual` when it needs its type from context (a
    /// string literal as a Sub, `.join(...)`).
    struct Typed {
        var code: String
        var type: ValueType
        var contextual: Bool
        /// The parameter whose `.ref` the code is, if it is one (its uses choose its type).
        var parameter: String?

        /// The code with its type stated where context does not give it (as a sole argument).
        var annotated: String { contextual ? "\(code) as Value<\(type.swift)>" : code }
    }

    enum SymbolKind {
        case parameter(ValueType)
        case condition
        case mapping
        case resource(ModelLookup.Model?)
    }

    struct Symbol {
        var swift: String
        var kind: SymbolKind
        var declared = false
    }

    /// A declaration: its section and logical id. The sections are separate namespaces in a
    /// template (a parameter and a condition may share an id), so each has its own symbol.
    struct SymbolKey: Hashable {
        var section: Section
        var name: String
    }

    /// The sections whose entries become Swift variables, in the order they are named.
    enum Section: String, CaseIterable {
        case parameters = "Parameters", mappings = "Mappings", conditions = "Conditions", resources = "Resources"

        /// What a Swift name takes when the plain one is taken by an earlier declaration.
        var suffix: String {
            switch self {
            case .parameters: return "Parameter"
            case .mappings: return "Mapping"
            case .conditions: return "Condition"
            case .resources: return "Resource"
            }
        }
    }

    let template: Template
    let file: String
    let functionName: String
    let models: ModelLookup
    var symbols: [SymbolKey: Symbol] = [:]
    /// The declarations whose variables the written code reads (so that nothing unread is bound).
    var usedNames: Set<SymbolKey> = []
    var taken: Set<String> = ["stack"]
    /// What went through an escape, with the template's place.
    var notes: [Diagnostic] = []
    /// Each place a parameter's `.ref` is written, with the type that goes there.
    var demands: [(parameter: String, type: ValueType)] = []
    /// Each `Fn::Equals` of a parameter, with the type its other side is written in (kept when
    /// the condition has no typed form, unlike `demands`: a type that fails it costs one).
    var comparisons: [(parameter: String, accepts: [ValueType])] = []
    /// Parameters' Swift types chosen by their uses (`preferredTypes()` of an earlier writing),
    /// over those their declarations give.
    var parameterTypes: [String: ValueType] = [:]
    /// Modules of the models used.
    var modules: Set<String> = []
    /// Declarations in order: the logical id whose variable it may bind, and its code.
    private var statements: [(symbol: SymbolKey?, section: String, code: String)] = []
    private var head: [String] = []

    /// The template's comments, carried over where they sit on a key.
    let comments: TemplateComments

    /// `comments` are the template's, scanned once by the caller: a template retyped is
    /// written twice.
    init(template: Template, comments: TemplateComments, file: String, functionName: String, models: ModelLookup) {
        self.template = template
        self.comments = comments
        self.file = file
        self.functionName = functionName
        self.models = models
        taken.insert(functionName)
    }

    // MARK: - The function

    mutating func write() -> String {
        declareNames()
        writeHead()
        for entry in entries(.parameters) { writeParameter(entry) }
        writeMappings()
        for name in ordered(entries(.conditions), references: conditionReferences) { writeCondition(name) }
        for name in ordered(entries(.resources), references: resourceReferences) { writeResource(name) }
        for entry in entries("Outputs") { writeOutput(entry) }
        // A section left empty (`Resources: {}`): the typed API writes no section it has
        // nothing for.
        // One that is no mapping (a CodeDeploy appspec's `Resources` list) is kept as it is.
        for name in ["Parameters", "Mappings", "Conditions", "Resources", "Outputs"] {
            guard let value = template.root[name] else { continue }
            if value.objectValue?.isEmpty == true {
                note(value, "the \(name) section is empty: stack.section")
                statements.append((nil, "Other sections", "stack.section(\(SwiftSpelling.string(name)), [:])"))
            } else if value.objectValue == nil, value.intrinsicValue == nil {
                let json = json(value, indent: "    ")
                note(value, "the \(name) section is no mapping: stack.section")
                statements.append((nil, "Other sections", "stack.section(\(SwiftSpelling.string(name)), \(json))"))
            }
        }
        for entry in template.root.entries where !Self.knownSections.contains(entry.key) {
            let json = json(entry.value, indent: "    ")
            note(entry.value, "the \(entry.key) section has no typed form: stack.section")
            statements.append((nil, "Other sections", "stack.section(\(SwiftSpelling.string(entry.key)), \(json))"))
        }
        var lines: [String] = []
        let description = template.description.map { " " + $0.split(separator: "\n").joined(separator: " ") } ?? ""
        lines.append("/// Imported from \(file).\(description.isEmpty ? "" : "\n///" + description)")
        lines.append("func \(functionName)() -> Stack {")
        for line in head { lines.append("    " + line) }
        var section = ""
        for statement in statements {
            if statement.section != section {
                section = statement.section
                lines.append("")
                lines.append("    // \(section)")
            }
            var code = statement.code
            if let key = statement.symbol, let symbol = symbols[key] {
                if usedNames.contains(key) {
                    code = "let \(symbol.swift) = " + code
                } else if case .resource = symbol.kind {
                } else {
                    code = "_ = " + code
                }
            }
            lines.append("    " + code)
        }
        lines.append("    return stack")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A section's entries. A section whose only key is a `Fn::ForEach` loop reads as a
    /// one-key function call: that is its one entry, so that the loop is written back.
    func entries(_ section: String) -> [ObjectMap.Entry] {
        guard let node = template.root[section] else { return [] }
        if let map = node.objectValue { return map.entries }
        if let function = node.intrinsicValue, function.name.rawValue.hasPrefix("Fn::ForEach::") {
            return [ObjectMap.Entry(key: function.name.rawValue, keyLocation: node.location, value: function.argument)]
        }
        return []
    }

    func entries(_ section: Section) -> [ObjectMap.Entry] { entries(section.rawValue) }

    /// An entry the typed API does not add: `stack.entry`; a section that is only a
    /// `Fn::ForEach` loop is written whole (`stack.section`), a one-key function as the
    /// template reads it, whose body the compile does not take for references to the stack.
    private func entryStatement(_ name: String, in section: String, _ json: String) -> String {
        if template.root[section]?.objectValue == nil {
            return "stack.section(\(SwiftSpelling.string(section)), [\(SwiftSpelling.string(name)): \(json)])"
        }
        return "stack.entry(\(SwiftSpelling.string(name)), in: \(SwiftSpelling.string(section)), \(json))"
    }

    static let knownSections: Set<String> = ["AWSTemplateFormatVersion", "Description", "Metadata", "Transform", "Parameters", "Mappings", "Conditions", "Resources", "Outputs"]

    /// Swift names, unique across all of the template's declarations: a logical id's own name
    /// (`DBSecurityGroup` -> `dbSecurityGroup`) when free; else, when an earlier section took it,
    /// the id with its section's name (`EnableLogsCondition`), then a counter; sections are
    /// named in the order parameters, mappings, conditions, resources, each in template order.
    private mutating func declareNames() {
        func add(_ name: String, _ kind: SymbolKind, _ section: Section) {
            let key = SymbolKey(section: section, name: name)
            guard symbols[key] == nil else { return }
            var swift = SwiftNames.property(name)
            if taken.contains(swift) { swift = SwiftNames.property(name + section.suffix) }
            var unique = swift
            var counter = 2
            while taken.contains(unique) {
                unique = swift.hasSuffix("`") ? String(swift.dropLast()) + String(counter) + "`" : swift + String(counter)
                counter += 1
            }
            taken.insert(unique)
            symbols[key] = Symbol(swift: unique, kind: kind)
        }
        for entry in entries(.parameters) { add(entry.key, .parameter(parameterTypes[entry.key] ?? parameterType(entry.value)), .parameters) }
        for entry in entries(.mappings) { add(entry.key, .mapping, .mappings) }
        for entry in entries(.conditions) where Template.isAlphanumericName(entry.key) { add(entry.key, .condition, .conditions) }
        for entry in entries(.resources) where Template.isAlphanumericName(entry.key) {
            let type = entry.value["Type"]?.stringValue
            add(entry.key, .resource(type.flatMap(models.model)), .resources)
        }
    }

    private mutating func writeHead() {
        var arguments: [String] = []
        if let description = template.root["Description"] {
            if let text = description.stringValue { arguments.append("description: " + SwiftSpelling.string(text, indent: "    ")) }
        }
        var extraHead: [String] = []
        if let metadata = template.root["Metadata"] {
            arguments.append("metadata: " + json(metadata, indent: "    "))
        }
        head.append("let stack = Stack(\(arguments.joined(separator: ", ")))")
        if let description = template.root["Description"], description.stringValue == nil {
            note(description, "a Description that is not text: stack.section")
            extraHead.append("stack.section(\"Description\", \(json(description, indent: "    ")))")
        }
        if let transform = template.root["Transform"] {
            if let name = transform.stringValue {
                extraHead.append("stack.transform(\(SwiftSpelling.string(name)))")
            } else if let names = transform.arrayValue?.compactMap(\.stringValue), names.count == transform.arrayValue?.count, names.count > 1 {
                extraHead += names.map { "stack.transform(\(SwiftSpelling.string($0)))" }
            } else {
                note(transform, "a Transform the typed API does not write: stack.section")
                extraHead.append("stack.section(\"Transform\", \(json(transform, indent: "    ")))")
            }
        }
        head += extraHead
    }

    // MARK: - Parameters, mappings, conditions

    private func parameterType(_ declaration: Node) -> ValueType {
        let type = declaration["Type"]?.stringValue ?? "String"
        if type == "Number" {
            let numbers = [declaration["Default"], declaration["MinValue"], declaration["MaxValue"]].compactMap { $0 } + (declaration["AllowedValues"]?.arrayValue ?? [])
            return numbers.allSatisfy({ $0.scalarText.flatMap(SwiftSpelling.integer) != nil }) ? .int : .double
        }
        if type == "CommaDelimitedList" || type.hasPrefix("List<") || type.contains("<List<") { return .list(.string) }
        return .string
    }

    private mutating func writeParameter(_ entry: ObjectMap.Entry) {
        let key = SymbolKey(section: .parameters, name: entry.key)
        guard let symbol = symbols[key] else { return }
        for line in commentLines(entry.keyLocation) { statements.append((nil, "Parameters", line)) }
        guard case .parameter(let valueType) = symbol.kind else { return }
        let declaration = entry.value.objectValue ?? ObjectMap()
        let type = declaration["Type"]?.stringValue ?? ""
        let keys = Set(declaration.keys)
        func text(_ key: String) -> String? { declaration[key]?.scalarText }
        var arguments: [String] = []
        func add(_ label: String, _ code: String?) { if let code { arguments.append("\(label): \(code)") } }
        func string(_ key: String) -> String? { text(key).map { SwiftSpelling.string($0, indent: "    ") } }
        func integer(_ key: String) -> String? { text(key).flatMap(SwiftSpelling.integer) }
        let noEcho = declaration["NoEcho"]
        let noEchoTrue = noEcho?.scalarText == "true"
        var factory: String?
        switch type {
        // Each factory only for the Swift type it gives: a parameter retyped by its uses
        // (`parameterTypes`) is written with `ParameterDefinition<T>.raw`.
        case "String" where valueType == .string && keys.isSubset(of: ["Type", "Description", "Default", "AllowedValues", "AllowedPattern", "MinLength", "MaxLength", "NoEcho", "ConstraintDescription"])
            && (noEcho == nil || noEchoTrue) && allScalars(declaration, ["Description", "Default", "AllowedPattern", "ConstraintDescription"])
            && (keys.contains("MinLength") ? integer("MinLength") != nil : true) && (keys.contains("MaxLength") ? integer("MaxLength") != nil : true)
            && (declaration["AllowedValues"].map { $0.arrayValue?.allSatisfy { $0.scalarText != nil } == true } ?? true):
            add("description", string("Description"))
            add("default", string("Default"))
            add("allowedValues", declaration["AllowedValues"]?.arrayValue.map { "[" + $0.compactMap(\.scalarText).map { SwiftSpelling.string($0) }.joined(separator: ", ") + "]" })
            add("allowedPattern", string("AllowedPattern"))
            add("minLength", integer("MinLength"))
            add("maxLength", integer("MaxLength"))
            if noEchoTrue { add("noEcho", "true") }
            add("constraintDescription", string("ConstraintDescription"))
            factory = ".string(\(arguments.joined(separator: ", ")))"
        case "Number" where valueType == .int && keys.isSubset(of: ["Type", "Description", "Default", "AllowedValues", "MinValue", "MaxValue", "ConstraintDescription"])
            && allScalars(declaration, ["Description", "ConstraintDescription"]):
            add("description", string("Description"))
            add("default", integer("Default"))
            add("allowedValues", declaration["AllowedValues"]?.arrayValue.map { "[" + $0.compactMap { $0.scalarText.flatMap(SwiftSpelling.integer) }.joined(separator: ", ") + "]" })
            add("minValue", integer("MinValue"))
            add("maxValue", integer("MaxValue"))
            add("constraintDescription", string("ConstraintDescription"))
            factory = ".integer(\(arguments.joined(separator: ", ")))"
        case "Number" where valueType == .double && keys.isSubset(of: ["Type", "Description", "Default", "MinValue", "MaxValue", "ConstraintDescription"])
            && allScalars(declaration, ["Description", "ConstraintDescription"]):
            add("description", string("Description"))
            add("default", text("Default").flatMap(SwiftSpelling.number))
            add("minValue", text("MinValue").flatMap(SwiftSpelling.number))
            add("maxValue", text("MaxValue").flatMap(SwiftSpelling.number))
            add("constraintDescription", string("ConstraintDescription"))
            factory = ".number(\(arguments.joined(separator: ", ")))"
        case "CommaDelimitedList" where valueType == .list(.string) && keys.isSubset(of: ["Type", "Description", "Default"]) && allScalars(declaration, ["Description"]) && (declaration["Default"].map { $0.stringValue != nil } ?? true):
            add("description", string("Description"))
            add("default", text("Default").map { "[" + $0.split(separator: ",", omittingEmptySubsequences: false).map { SwiftSpelling.string(String($0)) }.joined(separator: ", ") + "]" })
            factory = ".commaDelimitedList(\(arguments.joined(separator: ", ")))"
        case _ where valueType == .string && type.hasPrefix("AWS::") && !type.contains("List<") && keys.isSubset(of: ["Type", "Description", "Default"]) && allScalars(declaration, ["Description", "Default"]):
            arguments.append(SwiftSpelling.string(type))
            add("description", string("Description"))
            add("default", string("Default"))
            factory = ".awsSpecific(\(arguments.joined(separator: ", ")))"
        case _ where valueType == .list(.string) && type.hasPrefix("List<AWS::") && type.hasSuffix(">") && keys.isSubset(of: ["Type", "Description"]) && allScalars(declaration, ["Description"]):
            arguments.append(SwiftSpelling.string(String(type.dropFirst(5).dropLast())))
            add("description", string("Description"))
            factory = ".awsSpecificList(\(arguments.joined(separator: ", ")))"
        default:
            break
        }
        let code: String
        if let factory {
            code = "stack.parameter(\(SwiftSpelling.string(entry.key)), \(factory))"
        } else {
            let json = json(entry.value, indent: "    ")
            if let chosen = parameterTypes[entry.key] {
                note(entry.value, "parameter \(entry.key): a \(type) parameter whose uses take \(chosen.swift): ParameterDefinition<\(chosen.swift)>.raw")
            } else {
                note(entry.value, "parameter \(entry.key): a declaration the typed factories do not write (\(type.isEmpty ? "no Type" : type)): ParameterDefinition.raw")
            }
            code = "stack.parameter(\(SwiftSpelling.string(entry.key)), ParameterDefinition<\(valueType.swift)>.raw(\(json)))"
        }
        symbols[key]?.declared = true
        statements.append((key, "Parameters", code))
    }

    private func allScalars(_ map: ObjectMap, _ keys: [String]) -> Bool {
        keys.allSatisfy { key in map[key].map { $0.scalarText != nil } ?? true }
    }

    private mutating func writeMappings() {
        guard let mappings = template.root["Mappings"] else { return }
        let entries = mappings.objectValue?.entries ?? []
        let twoLevels = mappings.objectValue != nil && entries.allSatisfy { entry in
            entry.value.objectValue?.entries.allSatisfy { $0.value.objectValue != nil } == true
        }
        guard twoLevels else {
            note(mappings, "Mappings that are not two levels of keys: stack.section")
            statements.append((nil, "Mappings", "stack.section(\"Mappings\", \(json(mappings, indent: "    ")))"))
            return
        }
        for entry in entries {
            var rows: [String] = []
            for row in entry.value.objectValue?.entries ?? [] {
                var cells: [String] = []
                for cell in row.value.objectValue?.entries ?? [] {
                    cells.append("\(SwiftSpelling.string(cell.key)): \(json(cell.value, indent: "            "))")
                }
                rows.append("        \(SwiftSpelling.string(row.key)): " + (cells.isEmpty ? "[:]" : Self.wrap(cells, open: "[", close: "]", indent: "        ")))
            }
            let table = rows.isEmpty ? "[:]" : "[\n" + rows.joined(separator: ",\n") + ",\n    ]"
            let key = SymbolKey(section: .mappings, name: entry.key)
            symbols[key]?.declared = true
            statements.append((key, "Mappings", "stack.mapping(\(SwiftSpelling.string(entry.key)), \(table))"))
        }
    }

    private mutating func writeCondition(_ name: String) {
        guard let node = entries(.conditions).first(where: { $0.key == name })?.value else { return }
        comment(name, in: "Conditions", heading: "Conditions")
        guard Template.isAlphanumericName(name) else {
            let json = json(node, indent: "    ")
            note(node, "condition \(name): \(name.hasPrefix("Fn::ForEach::") ? "a Fn::ForEach loop" : "not a logical id"): stack.entry")
            statements.append((nil, "Conditions", entryStatement(name, in: "Conditions", json)))
            return
        }
        let code: String
        if let expression = condition(node, top: true) {
            code = expression
        } else {
            note(node, "condition \(name) has no typed form: ConditionExpression.raw")
            code = ".raw(\(json(node, indent: "    ")))"
        }
        let key = SymbolKey(section: .conditions, name: name)
        symbols[key]?.declared = true
        statements.append((key, "Conditions", "stack.condition(\(SwiftSpelling.string(name)), \(code))"))
    }

    /// A condition as `.equals`, `.and`, `.or`, `.not`, `.condition`; nil where it has none.
    private mutating func condition(_ node: Node, top: Bool = false) -> String? {
        let saved = checkpoint()
        if let result = conditionBody(node, top: top) { return result }
        restore(saved)
        return nil
    }

    private mutating func conditionBody(_ node: Node, top: Bool) -> String? {
        if let map = node.objectValue, map.count == 1, let name = map["Condition"]?.stringValue {
            // At the top, a bare reference is written by `Stack.condition` wrapped in Fn::And.
            guard !top, let symbol = use(name, in: .conditions) else { return nil }
            return ".condition(\(symbol))"
        }
        guard case .intrinsic(let function) = node.kind else { return nil }
        let arguments = function.argument.arrayValue ?? []
        switch function.name.rawValue {
        case "Fn::Equals":
            guard arguments.count == 2 else { return nil }
            let left = natural(arguments[0]), right = natural(arguments[1])
            if let left, !left.contextual {
                let other = value(arguments[1], left.type)
                if let parameter = left.parameter { comparisons.append((parameter, accepted(arguments[1], other == nil ? .string : left.type))) }
                guard let other else { return nil }
                return ".equals(\(left.code), \(other))"
            }
            if let right, !right.contextual {
                let other = value(arguments[0], right.type)
                if let parameter = right.parameter { comparisons.append((parameter, accepted(arguments[0], other == nil ? .string : right.type))) }
                guard let other else { return nil }
                return ".equals(\(other), \(right.code))"
            }
            guard let first = value(arguments[0], .string), let second = value(arguments[1], .string) else { return nil }
            return ".equals(\(first) as Value<String>, \(second))"
        case "Fn::And", "Fn::Or":
            guard !arguments.isEmpty else { return nil }
            var items: [String] = []
            for argument in arguments {
                guard let item = condition(argument) else { return nil }
                items.append(item)
            }
            return ".\(function.name.rawValue == "Fn::And" ? "and" : "or")([\(items.joined(separator: ", "))])"
        case "Fn::Not":
            guard arguments.count == 1, let item = condition(arguments[0]) else { return nil }
            return ".not(\(item))"
        default:
            return nil
        }
    }

    // MARK: - Resources

    private mutating func writeResource(_ name: String) {
        guard let body = entries(.resources).first(where: { $0.key == name })?.value else { return }
        comment(name, in: "Resources", heading: "Resources")
        guard Template.isAlphanumericName(name), let map = body.objectValue, let type = map["Type"]?.stringValue else {
            note(body, "\(name): \(name.hasPrefix("Fn::ForEach::") ? "a Fn::ForEach loop" : "no resource the typed API can add"): stack.entry")
            statements.append((nil, "Resources", entryStatement(name, in: "Resources", json(body, indent: "    "))))
            return
        }
        let key = SymbolKey(section: .resources, name: name)
        guard let symbol = symbols[key], case .resource(let model) = symbol.kind else { return }
        var lines: [String] = []
        let indent = "    "
        var properties: String
        let given = map["Properties"]
        var rawProperties: Node?
        if let model {
            modules.insert(model.module)
            if let given, given.objectValue == nil {
                rawProperties = given
                properties = construct(ObjectMap(), of: body, facts: model.facts, properties: model.facts.properties, typeName: model.facts.qualifiedName, indent: indent)
            } else {
                properties = construct(given?.objectValue ?? ObjectMap(), of: given ?? body, facts: model.facts, properties: model.facts.properties,
                                       typeName: model.facts.qualifiedName, indent: indent)
            }
        } else {
            let why = type.hasSuffix("::MODULE") ? "a module" : type.hasPrefix("Custom::") || type == "AWS::CloudFormation::CustomResource" ? "a custom resource"
                : type.hasPrefix("AWS::Serverless::") ? "a SAM resource" : "a type outside the registry"
            note(map["Type"] ?? body, "\(name) is \(why) (\(type)): RawResource")
            if let given, let entries = given.objectValue {
                var items: [String] = []
                for entry in entries.entries {
                    items.append("\(SwiftSpelling.string(entry.key)): \(json(entry.value, indent: indent + "    "))")
                }
                properties = "RawResource(type: \(SwiftSpelling.string(type))" + (items.isEmpty ? ")" : ", properties: " + Self.wrap(items, open: "[", close: "]", indent: indent) + ")")
            } else {
                properties = "RawResource(type: \(SwiftSpelling.string(type)))"
                rawProperties = given
            }
        }
        var arguments = [SwiftSpelling.string(name), properties]
        var escapes: [(String, Node)] = []
        if let condition = map["Condition"] {
            if let conditionName = condition.stringValue, let swift = use(conditionName, in: .conditions) {
                arguments.append("condition: " + swift)
            } else {
                escapes.append(("Condition", condition))
            }
        }
        if let dependsOn = map["DependsOn"] {
            let names = dependsOn.stringValue.map { [$0] } ?? dependsOn.arrayValue?.compactMap(\.stringValue) ?? []
            let declared = names.filter { name in
                symbols[SymbolKey(section: .resources, name: name)]?.declared == true
            }
            // `[A]` is written `A`: CloudFormation reads both as one dependency.
            if declared.count == names.count, !names.isEmpty {
                arguments.append("dependsOn: [\(names.compactMap { use($0, in: .resources) }.joined(separator: ", "))]")
            } else {
                escapes.append(("DependsOn", dependsOn))
            }
        }
        for (key, cases) in [("DeletionPolicy", ["Delete": "delete", "Retain": "retain", "RetainExceptOnCreate": "retainExceptOnCreate", "Snapshot": "snapshot"]),
                             ("UpdateReplacePolicy", ["Delete": "delete", "Retain": "retain", "Snapshot": "snapshot"])] {
            guard let policy = map[key] else { continue }
            if let text = policy.stringValue, let member = cases[text] {
                arguments.append("\(key.prefix(1).lowercased() + key.dropFirst()): .\(member)")
            } else {
                escapes.append((key, policy))
            }
        }
        if let metadata = map["Metadata"] {
            arguments.append("metadata: " + json(metadata, indent: indent))
        }
        if let rawProperties { escapes.append(("Properties", rawProperties)) }
        for entry in map.entries where !["Type", "Properties", "Condition", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "Metadata"].contains(entry.key) {
            escapes.append((entry.key, entry.value))
        }
        lines.append("stack.add(" + arguments.joined(separator: ", ") + ")")
        symbols[key]?.declared = true
        for (attribute, value) in escapes {
            let json = json(value, indent: indent)
            if !["CreationPolicy", "UpdatePolicy"].contains(attribute) || value.objectValue == nil {
                note(value, "\(attribute) of \(name) has no typed form here: stack.attribute")
            }
            usedNames.insert(key)
            lines.append("stack.attribute(\(SwiftSpelling.string(attribute)), of: \(symbol.swift), \(json))")
        }
        statements.append((key, "Resources", lines[0]))
        for line in lines.dropFirst() { statements.append((nil, "Resources", line)) }
    }

    /// A model or property object from its properties: the required ones as arguments, the
    /// others in the trailing closure, in the template's order.
    private mutating func construct(_ map: ObjectMap, of owner: Node, facts: ModelFacts, properties: [ModelFacts.Property], typeName: String, indent: String) -> String {
        var arguments: [String] = []
        var closure: [String] = []
        let inner = indent + "    "
        for property in properties where property.required {
            let label = property.swiftName.hasPrefix("`") ? String(property.swiftName.dropFirst().dropLast()) : property.swiftName
            if let node = map[property.jsonName] {
                if let code = assignable(node, property, facts: facts, indent: inner) {
                    arguments.append("\(label): " + code)
                } else {
                    // No typed form (assignable said why): the template's value replaces the placeholder.
                    arguments.append("\(label): " + placeholder(property.kind, facts: facts))
                    closure.append("$0.extraProperties[\(SwiftSpelling.string(property.jsonName))] = " + json(node, indent: inner))
                }
            } else {
                // A required property the template leaves out: written as left out.
                note(owner, "\(property.jsonName) is required by \(typeName) and the template leaves it out: a placeholder argument, then nil")
                arguments.append("\(label): " + placeholder(property.kind, facts: facts))
                closure.append("$0.\(property.swiftName) = nil")
            }
        }
        let byName = Dictionary(properties.map { ($0.jsonName, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in map.entries {
            if byName[entry.key]?.required != true { closure += commentLines(entry.keyLocation) }
            if let property = byName[entry.key] {
                if property.required { continue }
                if let code = assignable(entry.value, property, facts: facts, indent: inner) {
                    closure.append("$0.\(property.swiftName) = " + code)
                } else {
                    closure.append("$0.extraProperties[\(SwiftSpelling.string(entry.key))] = " + json(entry.value, indent: inner))
                }
            } else {
                note(entry.value, "\(entry.key) is not a property of \(typeName): extraProperties")
                closure.append("$0.extraProperties[\(SwiftSpelling.string(entry.key))] = " + json(entry.value, indent: inner))
            }
        }
        var code = typeName
        if !arguments.isEmpty || closure.isEmpty {
            let single = arguments.joined(separator: ", ")
            code += single.count + indent.count > 100 || single.contains("\n") ? Self.wrap(arguments, open: "(", close: ")", indent: indent) : "(" + single + ")"
        }
        if !closure.isEmpty {
            code += " {\n" + closure.map { inner + $0 }.joined(separator: "\n") + "\n" + indent + "}"
        }
        return code
    }

    /// What stands in for a required argument whose value is written otherwise.
    private func placeholder(_ kind: Kind, facts: ModelFacts) -> String {
        switch kind {
        case .json: return "[:]"
        case .policyDocument: return "PolicyDocument(json: [:])"
        case .object(let name): return "\(facts.qualifiedName).\(name)(raw: [:])"
        case .objectList: return "[]"
        case .primitive, .valueSet, .list: return "Value(raw: [])"
        }
    }

    /// A property's value in the model's type; where the value has no typed form, an escape of
    /// the same type (`Value(raw:)`, `Object(raw:)`), reported; nil where only
    /// `extraProperties` can hold it.
    private mutating func assignable(_ node: Node, _ property: ModelFacts.Property, facts: ModelFacts, indent: String) -> String? {
        if let code = typed(node, property.kind, facts: facts, indent: indent) { return code }
        let json = json(node, indent: indent)
        switch property.kind {
        case .object(let name):
            note(node, "\(property.jsonName): a value the model's \(name) cannot hold: \(name)(raw:)")
            return "\(facts.qualifiedName).\(name)(raw: \(json))"
        case .objectList:
            note(node, "\(property.jsonName): a value the model's list cannot hold: extraProperties")
            return nil
        case .json:
            return json
        case .policyDocument:
            return "PolicyDocument(json: \(json))"
        case .primitive, .valueSet, .list:
            note(node, "\(property.jsonName): \(whyUntyped(node, Self.valueType(property.kind))): Value(raw:)")
            return "Value(raw: \(json))"
        }
    }

    /// Why a value has no typed form where `type` goes, for its IM-01 line.
    private func whyUntyped(_ node: Node, _ type: ValueType) -> String {
        guard let function = node.intrinsicValue else { return "a value the model's \(type.swift) cannot hold" }
        let arguments = function.argument.arrayValue ?? []
        switch function.name.rawValue {
        case "Fn::If" where arguments.count == 3 && isNoValue(arguments[1]):
            return "an Fn::If whose first branch is AWS::NoValue (the typed .if takes nil only as its else)"
        case "Fn::If" where arguments.count == 3 && !(arguments[0].stringValue.map(isCondition) ?? false):
            return "an Fn::If of a condition the stack does not declare"
        case "Ref" where function.argument.stringValue.map { referable($0) == nil && Self.pseudo[$0] == nil } ?? true:
            return "a Ref to \(function.argument.stringValue.map { "'\($0)'" } ?? "a computed name"), which the stack does not declare (or declares later)"
        case "Fn::FindInMap" where arguments.count == 4:
            return "a Fn::FindInMap with a DefaultValue (AWS::LanguageExtensions), which the typed .findInMap does not take"
        case "Fn::FindInMap" where arguments.first?.stringValue == nil:
            return "a Fn::FindInMap of a computed mapping name, which the typed .findInMap does not take"
        case "Fn::FindInMap" where !arguments.isEmpty && symbols[SymbolKey(section: .mappings, name: arguments[0].stringValue!)]?.declared != true:
            return "a Fn::FindInMap of a mapping the stack does not declare"
        case "Fn::If", "Fn::FindInMap", "Fn::Select", "Fn::Sub", "Fn::Join", "Ref", "Fn::GetAtt":
            return "a \(function.name.rawValue) whose parts are not all of the \(type.swift) it gives"
        default:
            return "\(function.name.rawValue), which has no typed form"
        }
    }

    static func valueType(_ kind: Kind) -> ValueType {
        switch kind {
        case .primitive("Int"): return .int
        case .primitive("Double"): return .double
        case .primitive("Bool"): return .bool
        case .primitive: return .string
        case .json, .policyDocument, .object, .objectList: return .json
        case .valueSet(let name, _): return .set(name)
        case .list(let inner): return .list(valueType(inner))
        }
    }

    private static func members(_ kind: Kind) -> [String: String] {
        switch kind {
        case .valueSet(_, let members): return members
        case .list(let inner): return members(inner)
        default: return [:]
        }
    }

    /// A value in a model's type, or nil.
    private mutating func typed(_ node: Node, _ kind: Kind, facts: ModelFacts, indent: String) -> String? {
        let saved = checkpoint()
        if let result = typedBody(node, kind, facts: facts, indent: indent) { return result }
        restore(saved)
        return nil
    }

    private mutating func typedBody(_ node: Node, _ kind: Kind, facts: ModelFacts, indent: String) -> String? {
        switch kind {
        case .json:
            return json(node, indent: indent)
        case .policyDocument:
            return "PolicyDocument(json: \(json(node, indent: indent)))"
        case .object(let name):
            return object(node, name, facts: facts, indent: indent)
        case .objectList(let name):
            guard let items = node.arrayValue else { return nil }
            if facts.tagObjects.contains(name), let tags = tags(items, indent: indent) { return tags }
            var codes: [String] = []
            for item in items {
                if let code = object(item, name, facts: facts, indent: indent + "    ") {
                    codes.append(code)
                } else {
                    note(item, "an item the model's \(name) cannot hold: \(name)(raw:)")
                    codes.append("\(facts.qualifiedName).\(name)(raw: \(json(item, indent: indent + "    ")))")
                }
            }
            return Self.wrap(codes, open: "[", close: "]", indent: indent)
        case .primitive, .valueSet, .list:
            return value(node, Self.valueType(kind), members: Self.members(kind), indent: indent)
        }
    }

    /// `.tags(["Key": value, ...])` for tags whose keys are text.
    private mutating func tags(_ items: [Node], indent: String) -> String? {
        let saved = checkpoint()
        if let result = tagsBody(items, indent: indent) { return result }
        restore(saved)
        return nil
    }

    private mutating func tagsBody(_ items: [Node], indent: String) -> String? {
        var pairs: [String] = []
        for item in items {
            guard let map = item.objectValue, map.count == 2, let key = map["Key"]?.stringValue, let valueNode = map["Value"],
                  let code = value(valueNode, .string, indent: indent + "    ") else { return nil }
            pairs.append("\(SwiftSpelling.string(key)): \(code)")
        }
        guard !pairs.isEmpty else { return nil }
        return ".tags(" + Self.wrap(pairs, open: "[", close: "]", indent: indent) + ")"
    }

    private mutating func object(_ node: Node, _ name: String, facts: ModelFacts, indent: String) -> String? {
        let saved = checkpoint()
        if let result = objectBody(node, name, facts: facts, indent: indent) { return result }
        restore(saved)
        return nil
    }

    private mutating func objectBody(_ node: Node, _ name: String, facts: ModelFacts, indent: String) -> String? {
        let typeName = "\(facts.qualifiedName).\(name)"
        if let map = node.objectValue {
            return construct(map, of: node, facts: facts, properties: facts.objects[name] ?? [], typeName: typeName, indent: indent)
        }
        if case .intrinsic(let function) = node.kind, function.name.rawValue == "Fn::If", let arguments = function.argument.arrayValue, arguments.count == 3,
           let conditionName = arguments[0].stringValue, isCondition(conditionName), !isNoValue(arguments[1]),
           let then = object(arguments[1], name, facts: facts, indent: indent) {
            let otherwise = isNoValue(arguments[2]) ? "nil" : object(arguments[2], name, facts: facts, indent: indent)
            guard let otherwise, let swift = use(conditionName, in: .conditions) else { return nil }
            return "\(typeName).if(\(swift), \(then), else: \(otherwise))"
        }
        return nil
    }

    // MARK: - Outputs

    private mutating func writeOutput(_ entry: ObjectMap.Entry) {
        for line in commentLines(entry.keyLocation) { statements.append((nil, "Outputs", line)) }
        let map = entry.value.objectValue
        let keys = Set(map?.keys ?? [])
        let export = map?["Export"]
        let exportName = export?.objectValue.flatMap { $0.count == 1 ? $0["Name"] : nil }
        let conditionName = map?["Condition"]?.stringValue
        let typedForm = map != nil && keys.isSubset(of: ["Value", "Description", "Export", "Condition"]) && keys.contains("Value")
            && (map?["Description"].map { $0.stringValue != nil } ?? true) && (export == nil || exportName != nil)
            && (conditionName.map(isCondition) ?? (map?["Condition"] == nil)) && Template.isAlphanumericName(entry.key)
        guard typedForm, let map, let valueNode = map["Value"] else {
            let json = json(entry.value, indent: "    ")
            note(entry.value, "output \(entry.key)\(entry.key.hasPrefix("Fn::ForEach::") ? ": a Fn::ForEach loop" : " has no typed form"): stack.entry")
            statements.append((nil, "Outputs", entryStatement(entry.key, in: "Outputs", json)))
            return
        }
        var arguments = [SwiftSpelling.string(entry.key)]
        if let code = value(valueNode, .string, indent: "    ") {
            // A literal, a generic `Value(raw:)` or `.if` would also fit the output of a list
            // (which writes an Fn::Join): the type is stated unless the code is a typed member.
            let member = code.split(separator: ".").count == 2 && code.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "`" }
            arguments.append(member ? code : code + " as Value<String>")
        } else {
            note(valueNode, "output \(entry.key): a value with no typed form: Value(raw:)")
            arguments.append("Value<String>(raw: \(json(valueNode, indent: "    ")))")
        }
        if let description = map["Description"]?.stringValue { arguments.append("description: " + SwiftSpelling.string(description, indent: "    ")) }
        if let exportName {
            arguments.append("export: " + (value(exportName, .string, indent: "    ") ?? "Value(raw: \(json(exportName, indent: "    ")))"))
        }
        if let conditionName, let swift = use(conditionName, in: .conditions) { arguments.append("condition: " + swift) }
        statements.append((nil, "Outputs", "stack.output(\(arguments.joined(separator: ", ")))"))
    }

    // MARK: - Values

    /// A value of `expected` type, or nil where it has no typed form.
    mutating func value(_ node: Node, _ expected: ValueType, members: [String: String] = [:], indent: String = "    ") -> String? {
        let saved = checkpoint()
        if let result = valueBody(node, expected, members: members, indent: indent) { return result }
        restore(saved)
        return nil
    }

    mutating func valueBody(_ node: Node, _ expected: ValueType, members: [String: String], indent: String) -> String? {
        switch node.kind {
        case .string(let text):
            switch expected {
            case .string: return SwiftSpelling.string(text, indent: indent)
            case .int: return SwiftSpelling.integer(text)
            case .double: return SwiftSpelling.number(text)
            case .bool: return text == "true" || text == "false" ? text : nil
            case .set: return members[text].map { "." + $0 } ?? ".other(\(SwiftSpelling.string(text)))"
            case .list, .json: return nil
            }
        case .number(let literal):
            switch expected {
            case .string: return SwiftSpelling.string(literal)
            case .int: return SwiftSpelling.integer(literal)
            case .double: return SwiftSpelling.number(literal)
            case .set: return ".other(\(SwiftSpelling.string(literal)))"
            case .bool, .list, .json: return nil
            }
        case .bool(let flag):
            switch expected {
            case .bool: return flag ? "true" : "false"
            case .string: return flag ? "\"true\"" : "\"false\""
            case .set: return ".other(\(flag ? "\"true\"" : "\"false\""))"
            default: return nil
            }
        case .array(let items):
            guard case .list(let inner) = expected else { return nil }
            var codes: [String] = []
            for item in items {
                if let code = value(item, inner, members: members, indent: indent + "    ") {
                    codes.append(code)
                } else {
                    note(item, "a list item with no typed form: Value(raw:)")
                    codes.append("Value(raw: \(json(item, indent: indent + "    ")))")
                }
            }
            return Self.wrap(codes, open: "[", close: "]", indent: indent)
        case .intrinsic(let function):
            return intrinsic(function, node, expected, members: members, indent: indent)
        case .null, .object:
            return nil
        }
    }

    private mutating func intrinsic(_ function: Intrinsic, _ node: Node, _ expected: ValueType, members: [String: String], indent: String) -> String? {
        let saved = checkpoint()
        if let result = intrinsicBody(function, node, expected, members: members, indent: indent) { return result }
        restore(saved)
        return nil
    }

    private mutating func intrinsicBody(_ function: Intrinsic, _ node: Node, _ expected: ValueType, members: [String: String], indent: String) -> String? {
        let arguments = function.argument.arrayValue ?? []
        switch function.name.rawValue {
        case "Fn::If":
            guard arguments.count == 3, let name = arguments[0].stringValue, isCondition(name), !isNoValue(arguments[1]),
                  let then = value(arguments[1], expected, members: members, indent: indent) else { return nil }
            let otherwise = isNoValue(arguments[2]) ? "nil" : value(arguments[2], expected, members: members, indent: indent)
            guard let otherwise, let swift = use(name, in: .conditions) else { return nil }
            return ".if(\(swift), \(then), else: \(otherwise))"
        case "Fn::FindInMap":
            guard arguments.count == 3, let name = arguments[0].stringValue, symbols[SymbolKey(section: .mappings, name: name)]?.declared == true,
                  let first = value(arguments[1], .string), let second = value(arguments[2], .string), let swift = use(name, in: .mappings) else { return nil }
            return ".findInMap(\(swift), \(first), \(second))"
        case "Fn::Select":
            guard arguments.count == 2, let index = arguments[0].scalarText.flatMap(SwiftSpelling.integer), !index.hasPrefix("-") else { return nil }
            switch expected {
            case .string, .int, .double, .bool:
                guard let list = value(arguments[1], .list(expected), indent: indent) else { return nil }
                return ".select(\(index), from: \(list))"
            case .set:
                guard let string = value(node, .string, indent: indent) else { return nil }
                return "Value(\(string) as Value<String>)"
            default:
                return nil
            }
        default:
            guard let typed = natural(node, indent: indent) else { return nil }
            return coerce(typed, to: expected, node: node)
        }
    }

    /// A typed value where `expected` goes: as is, through the value set's `Value(_:)`, or
    /// (a type the template mixes) `Value(raw:)`, reported.
    private mutating func coerce(_ typed: Typed, to expected: ValueType, node: Node) -> String? {
        if let parameter = typed.parameter { demands.append((parameter, expected)) }
        if typed.type == expected { return typed.code }
        if case .set = expected, typed.type == .string { return "Value(\(typed.annotated))" }
        if expected == .json { return "JSON(\(typed.annotated))" }
        note(node, "a \(typed.type.swift) value where \(expected.swift) goes: Value(raw:)")
        return "Value(raw: JSON(\(typed.annotated)))"
    }

    /// An expression with its own type: references, attributes, Sub and the list functions.
    mutating func natural(_ node: Node, indent: String = "    ") -> Typed? {
        let saved = checkpoint()
        if let result = naturalBody(node, indent: indent) { return result }
        restore(saved)
        return nil
    }

    mutating func naturalBody(_ node: Node, indent: String) -> Typed? {
        guard case .intrinsic(let function) = node.kind else { return nil }
        let argument = function.argument
        let arguments = argument.arrayValue ?? []
        switch function.name.rawValue {
        case "Ref":
            guard let name = argument.stringValue else { return nil }
            if let pseudo = Self.pseudo[name] { return Typed(code: pseudo.code, type: pseudo.type, contextual: false) }
            guard let key = referable(name), let symbol = symbols[key] else { return nil }
            switch symbol.kind {
            case .parameter(let type): return Typed(code: use(key)! + ".ref", type: type, contextual: false, parameter: name)
            case .resource: return Typed(code: use(key)! + ".ref", type: .string, contextual: false)
            default: return nil
            }
        case "Fn::GetAtt":
            guard arguments.count == 2, let id = arguments[0].stringValue, let attribute = arguments[1].stringValue else { return nil }
            return attributeValue(id, attribute)
        case "Fn::Sub":
            return sub(argument, indent: indent)
        case "Fn::Join":
            guard arguments.count == 2, let delimiter = arguments[0].stringValue else { return nil }
            let list: String?
            if let items = arguments[1].arrayValue {
                var codes: [String] = []
                for item in items {
                    if let code = value(item, .string, indent: indent + "    ") {
                        codes.append(code)
                    } else {
                        note(item, "a list item with no typed form: Value(raw:)")
                        codes.append("Value(raw: \(json(item, indent: indent + "    ")))")
                    }
                }
                list = Self.wrap(codes, open: "[", close: "]", indent: indent)
            } else {
                list = value(arguments[1], .list(.string), indent: indent)
            }
            guard let list else { return nil }
            return Typed(code: ".join(\(SwiftSpelling.string(delimiter)), \(list))", type: .string, contextual: true)
        case "Fn::Split":
            guard arguments.count == 2, let delimiter = arguments[0].stringValue, let source = value(arguments[1], .string, indent: indent) else { return nil }
            return Typed(code: ".split(\(SwiftSpelling.string(delimiter)), \(source))", type: .list(.string), contextual: true)
        case "Fn::GetAZs":
            if argument.stringValue == "" { return Typed(code: ".getAZs()", type: .list(.string), contextual: true) }
            guard let region = value(argument, .string, indent: indent) else { return nil }
            return Typed(code: ".getAZs(\(region))", type: .list(.string), contextual: true)
        case "Fn::Cidr":
            guard arguments.count == 3, let block = value(arguments[0], .string, indent: indent), let count = value(arguments[1], .int),
                  let bits = value(arguments[2], .int) else { return nil }
            return Typed(code: ".cidr(\(block), count: \(count), bits: \(bits))", type: .list(.string), contextual: true)
        case "Fn::ImportValue":
            guard let name = value(argument, .string, indent: indent) else { return nil }
            return Typed(code: ".importValue(\(name))", type: .string, contextual: true)
        case "Fn::Base64":
            guard let text = value(argument, .string, indent: indent) else { return nil }
            return Typed(code: ".base64(\(text))", type: .string, contextual: true)
        case "Fn::ToJsonString":
            return Typed(code: ".json(\(json(argument, indent: indent)))", type: .string, contextual: true)
        default:
            return nil
        }
    }

    static let pseudo: [String: (code: String, type: ValueType)] = [
        "AWS::AccountId": ("Pseudo.accountID", .string), "AWS::Region": ("Pseudo.region", .string),
        "AWS::StackName": ("Pseudo.stackName", .string), "AWS::StackId": ("Pseudo.stackID", .string),
        "AWS::Partition": ("Pseudo.partition", .string), "AWS::URLSuffix": ("Pseudo.urlSuffix", .string),
        "AWS::NotificationARNs": ("Pseudo.notificationARNs", .list(.string)),
    ]

    private mutating func attributeValue(_ id: String, _ attribute: String) -> Typed? {
        let key = SymbolKey(section: .resources, name: id)
        guard let symbol = symbols[key], symbol.declared, case .resource(let model) = symbol.kind, let swift = use(key) else { return nil }
        if let accessor = model?.facts.accessors[attribute] {
            return Typed(code: swift + "." + accessor.member, type: ValueType(accessor: accessor.type), contextual: false)
        }
        // No accessor spells it (a nested stack's `Outputs.Name`, a custom resource's own).
        return Typed(code: "\(swift).attribute(\(SwiftSpelling.string(attribute)))", type: .string, contextual: true)
    }

    /// `Fn::Sub` as Swift string interpolation, which writes the same `Fn::Sub`; with its own
    /// variables, or names the stack does not declare, as `.sub(...)`.
    private mutating func sub(_ argument: Node, indent: String) -> Typed? {
        if let text = argument.stringValue {
            let parts = SubTemplate.parts(text)
            // What the interpolation marks used, undone when the Sub is written as text.
            let saved = checkpoint()
            var swift: [SwiftSpelling.Part] = []
            var rebuilt = ""
            var interpolations = 0
            var usable = true
            for part in parts {
                switch part {
                case .text(let literal):
                    if literal.contains("${") { usable = false }
                    swift.append(.text(literal))
                    rebuilt += literal
                case .escaped(let literal):
                    swift.append(.text("${" + literal + "}"))
                    rebuilt += "${!" + literal + "}"
                case .variable(let name):
                    rebuilt += "${" + name + "}"
                    interpolations += 1
                    guard let code = subVariable(name) else { usable = false; continue }
                    swift.append(.interpolation(code))
                }
            }
            if usable, interpolations > 0, rebuilt == text {
                return Typed(code: SwiftSpelling.literal(swift, indent: indent), type: .string, contextual: true)
            }
            restore(saved)
            return Typed(code: ".sub(\(SwiftSpelling.string(text, indent: indent)))", type: .string, contextual: true)
        }
        guard let items = argument.arrayValue, items.count == 2, let text = items[0].stringValue, let variables = items[1].objectValue else { return nil }
        var pairs: [String] = []
        for entry in variables.entries {
            guard let code = value(entry.value, .string, indent: indent + "    ") else { return nil }
            pairs.append("\(SwiftSpelling.string(entry.key)): \(code)")
        }
        return Typed(code: ".sub(\(SwiftSpelling.string(text, indent: indent))" + (pairs.isEmpty ? ")" : ", " + Self.wrap(pairs, open: "[", close: "]", indent: indent) + ")"),
                     type: .string, contextual: true)
    }

    private mutating func subVariable(_ name: String) -> String? {
        if let pseudo = Self.pseudo[name], pseudo.type == .string { return pseudo.code }
        if let key = referable(name) {
            // Sub's interpolation takes strings, numbers and lists, not a Bool parameter.
            if case .parameter(.bool) = symbols[key]!.kind { return nil }
            return use(key)
        }
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let typed = attributeValue(parts[0], parts[1]) else { return nil }
        switch typed.type {
        case .string, .int, .double: return typed.annotated
        default: return nil
        }
    }

    // MARK: - JSON

    /// A JSON literal of the value, with typed references inside (`JSON(vpc.ref)`).
    mutating func json(_ node: Node, indent: String) -> String {
        switch node.kind {
        case .null: return "JSON.null"
        case .string(let text): return SwiftSpelling.string(text, indent: indent)
        case .number(let literal): return SwiftSpelling.number(literal) ?? SwiftSpelling.string(literal)
        case .bool(let flag): return flag ? "true" : "false"
        case .array(let items):
            return Self.wrap(items.map { json($0, indent: indent + "    ") }, open: "[", close: "]", indent: indent)
        case .object(let map):
            if map.isEmpty { return "[:]" }
            return Self.wrap(map.entries.map { "\(SwiftSpelling.string($0.key)): \(json($0.value, indent: indent + "    "))" }, open: "[", close: "]", indent: indent)
        case .intrinsic(let function):
            if ["Ref", "Fn::GetAtt", "Fn::Sub"].contains(function.name.rawValue), let typed = natural(node, indent: indent) {
                return "JSON(\(typed.annotated))"
            }
            return "[\(SwiftSpelling.string(function.name.rawValue)): \(json(function.argument, indent: indent + "    "))]"
        }
    }

    // MARK: - Helpers

    /// The comments on a key's line and right above it, as Swift comment lines.
    private func commentLines(_ location: Location) -> [String] {
        comments.attached(toLine: location.line).map { "//" + ($0.hasPrefix(" ") || $0.isEmpty ? "" : " ") + $0.printable }
    }

    /// Adds the comments of the entry `name` of `section` as statements.
    private mutating func comment(_ name: String, in section: String, heading: String) {
        guard let entry = entries(section).first(where: { $0.key == name }) else { return }
        for line in commentLines(entry.keyLocation) { statements.append((nil, heading, line)) }
    }

    /// Items in one line when short, else one a line.
    static func wrap(_ items: [String], open: String, close: String, indent: String) -> String {
        let single = open + items.joined(separator: ", ") + close
        if single.count + indent.count <= 110 && !single.contains("\n") { return single }
        return open + "\n" + items.map { indent + "    " + $0 + ",\n" }.joined() + indent + close
    }

    /// The types in which the other side of a parameter's `Fn::Equals` can be written: a
    /// literal's (`0` as Int, Double or text), else the one it was written in.
    private func accepted(_ node: Node, _ written: ValueType) -> [ValueType] {
        guard let text = node.scalarText, node.intrinsicValue == nil else { return [written] }
        var types: [ValueType] = [.string]
        if SwiftSpelling.integer(text) != nil { types.append(.int) }
        if SwiftSpelling.number(text) != nil { types.append(.double) }
        if text == "true" || text == "false" { types.append(.bool) }
        return types
    }

    /// What a failed attempt at a typed form undoes: the variables it marked used, its notes
    /// and the parameter uses it recorded.
    private func checkpoint() -> (used: Set<SymbolKey>, notes: Int, demands: Int) { (usedNames, notes.count, demands.count) }

    private mutating func restore(_ saved: (used: Set<SymbolKey>, notes: Int, demands: Int)) {
        usedNames = saved.used
        notes.removeLast(notes.count - saved.notes)
        demands.removeLast(demands.count - saved.demands)
    }

    /// After a writing: for each parameter whose `.ref` went through `Value(raw:)` somewhere,
    /// the Swift type that the most of its uses take (a `Number` used where a `Double` goes is
    /// `.number`; one used where text goes, or a `String` used where a Bool goes, is declared
    /// with `ParameterDefinition<T>.raw`, one escape instead of one at each use). Only a type
    /// that leaves fewer escapes, counting the declaration's, is chosen.
    func preferredTypes() -> [String: ValueType] {
        // Each use: the types that write it without an escape.
        var uses: [String: [[ValueType]]] = [:]
        for (parameter, type) in demands {
            if case .set = type { uses[parameter, default: []].append([.string]) } else { uses[parameter, default: []].append([type]) }
        }
        for (parameter, types) in comparisons { uses[parameter, default: []].append(types) }
        var chosen: [String: ValueType] = [:]
        for (name, types) in uses.sorted(by: { $0.key < $1.key }) {
            guard case .parameter(let current) = symbols[SymbolKey(section: .parameters, name: name)]?.kind,
                  let declaration = entries(.parameters).first(where: { $0.key == name })?.value else { continue }
            let declared = declaration["Type"]?.stringValue ?? "String"
            let natural = parameterType(declaration)
            let candidates: [ValueType]
            switch declared {
            case "Number": candidates = natural == .int ? [.int, .double, .string] : [.double, .string]
            case "String": candidates = [.string, .int, .double, .bool]
            default: continue
            }
            func cost(_ type: ValueType) -> Int {
                let mismatches = types.filter { !$0.contains(type) }.count
                // The factories write `Number` as Int or Double and `String` as String.
                let factory = type == natural || (declared == "Number" && type == .double && declaration["AllowedValues"] == nil)
                return mismatches + (factory ? 0 : 1)
            }
            guard let best = candidates.min(by: { cost($0) < cost($1) }), cost(best) < cost(current), best != current else { continue }
            chosen[name] = best
        }
        return chosen
    }

    /// The variable of `name`, marked used; nil when it is not declared yet.
    private mutating func use(_ name: String, in section: Section) -> String? {
        use(SymbolKey(section: section, name: name))
    }

    /// The declared parameter or resource a `Ref` (or a `${Name}` of a Sub) names.
    private func referable(_ name: String) -> SymbolKey? {
        [Section.parameters, .resources].lazy.map { SymbolKey(section: $0, name: name) }.first { self.symbols[$0]?.declared == true }
    }

    /// The variable of a declaration, marked used; nil when it is not declared yet.
    private mutating func use(_ key: SymbolKey) -> String? {
        guard let symbol = symbols[key], symbol.declared else { return nil }
        usedNames.insert(key)
        return symbol.swift
    }

    private func isCondition(_ name: String) -> Bool {
        symbols[SymbolKey(section: .conditions, name: name)]?.declared == true
    }

    private func isNoValue(_ node: Node) -> Bool {
        if case .intrinsic(let function) = node.kind, function.name.rawValue == "Ref", function.argument.stringValue == "AWS::NoValue" { return true }
        return false
    }

    private mutating func note(_ node: Node, _ message: String) {
        notes.append(Diagnostic(ruleID: ImportDiagnosticID.notTyped, severity: .info, message: message, file: file, location: node.location))
    }

    // MARK: - Order

    /// Names in dependency order: each after what it refers to, the template's order among
    /// independent ones; a cycle keeps the template's order.
    private func ordered(_ entries: [ObjectMap.Entry], references: (Node) -> Set<String>) -> [String] {
        let names = entries.map(\.key)
        let known = Set(names)
        var pending = Dictionary(entries.map { ($0.key, references($0.value).intersection(known).subtracting([$0.key])) }, uniquingKeysWith: { first, _ in first })
        var result: [String] = []
        var done = Set<String>()
        while result.count < names.count {
            guard let next = names.first(where: { !done.contains($0) && pending[$0]!.isSubset(of: done) })
                    ?? names.first(where: { !done.contains($0) }) else { break }
            result.append(next)
            done.insert(next)
            pending[next] = []
        }
        return result
    }

    private func conditionReferences(_ node: Node) -> Set<String> {
        var found = Set<String>()
        func walk(_ node: Node) {
            switch node.kind {
            case .object(let map):
                if map.count == 1, let name = map["Condition"]?.stringValue { found.insert(name) }
                for entry in map.entries { walk(entry.value) }
            case .array(let items): items.forEach(walk)
            case .intrinsic(let function): walk(function.argument)
            default: break
            }
        }
        walk(node)
        return found
    }

    private func resourceReferences(_ node: Node) -> Set<String> {
        var found = Set<String>()
        func walk(_ node: Node) {
            switch node.kind {
            case .object(let map): for entry in map.entries { walk(entry.value) }
            case .array(let items): items.forEach(walk)
            case .intrinsic(let function):
                switch function.name.rawValue {
                case "Ref": if let name = function.argument.stringValue { found.insert(name) }
                case "Fn::GetAtt": if let name = function.argument.arrayValue?.first?.stringValue { found.insert(name) }
                case "Fn::Sub":
                    let text = function.argument.stringValue ?? function.argument.arrayValue?.first?.stringValue ?? ""
                    for variable in SubTemplate.variables(text) { found.insert(String(variable.split(separator: ".").first ?? "")) }
                default: break
                }
                walk(function.argument)
            default: break
            }
        }
        walk(node)
        if let dependsOn = node["DependsOn"] {
            if let name = dependsOn.stringValue { found.insert(name) }
            for item in dependsOn.arrayValue ?? [] { if let name = item.stringValue { found.insert(name) } }
        }
        return found
    }
}

/// The ids `formwork import` reports under.
public enum ImportDiagnosticID {
    /// A value, resource or section written through an escape rather than a typed form.
    public static let notTyped: RuleID = "IM-01"
    // IM-02 (a value with no Swift) is retired, not reused: every value has a JSON literal,
    // `null` included (`JSON.null`).
    /// The synthesized template differs from the input (a failed round trip).
    public static let roundTrip: RuleID = "IM-03"
    /// The Formwork checkout the package is to depend on cannot be read.
    public static let checkout: RuleID = "IM-04"
}
