import FormworkTemplate
import Synchronization

/// One way a resource's properties break its registry schema.
public struct SchemaIssue: Sendable {
    public enum Kind: Sendable {
        case unknownProperty, required, type, enumValue, pattern, length, range, itemCount
        /// A literal that lacks the form of the schema's `format` (an EC2 id).
        case format
        /// A literal that lacks another `format`'s form (`ValueFormat`: ARNs, KMS ids, CIDRs).
        case valueFormat
        /// A `Ref` to a resource whose value has another format than the property's.
        case refFormat
        /// A property given without one that `dependentRequired` says it needs.
        case dependency
    }

    public var kind: Kind
    public var message: String
    public var location: Location
    public var path: [PathComponent]
}

/// The forms of the EC2 ids the schemas name as `format`s: a prefix and 8 or 17 characters.
public struct IdentifierFormat: Sendable {
    public var prefix: String
    public var hexOnly: Bool

    public func accepts(_ text: String) -> Bool {
        if text.hasPrefix("{{resolve:") { return true }  // a dynamic reference, resolved at deployment
        guard text.hasPrefix(prefix) else { return false }
        let rest = text.utf8.dropFirst(prefix.utf8.count)
        guard rest.count == 8 || rest.count == 17 else { return false }
        return rest.allSatisfy { byte in
            (48...57).contains(byte) || (97...102).contains(byte) || (!hexOnly && (103...122).contains(byte)) || (hexOnly && (65...70).contains(byte))
        }
    }

    public static let known: [String: IdentifierFormat] = [
        "AWS::EC2::Image.Id": IdentifierFormat(prefix: "ami-", hexOnly: false), "AWS::EC2::VPC.Id": IdentifierFormat(prefix: "vpc-", hexOnly: true),
        "AWS::EC2::Subnet.Id": IdentifierFormat(prefix: "subnet-", hexOnly: true), "AWS::EC2::Subnet.Ids": IdentifierFormat(prefix: "subnet-", hexOnly: true),
        "AWS::EC2::SecurityGroup.Id": IdentifierFormat(prefix: "sg-", hexOnly: true), "AWS::EC2::SecurityGroup.Ids": IdentifierFormat(prefix: "sg-", hexOnly: true),
    ]
}

/// Walks every resource's Properties against its registry schema, the way CloudFormation
/// reads them: "20" is an integer and "true" a boolean (CloudFormation converts scalars),
/// both branches of an `Fn::If` are checked (`AWS::NoValue` is absence), and other
/// intrinsic functions are not judged (their values are not known here). Paths follow
/// cfn-lint's: an issue of a required property is placed at the object that lacks it, one
/// inside an `Fn::If` branch under `Fn::If`, 1 or 2.
public enum SchemaValidator {
    public static func issues(in template: Template, registry: SchemaRegistry) -> [SchemaIssue] {
        let skipServerless = StructureFacts.hasTransform(template, "AWS::Serverless")
        let references = ReferenceFormats(template: template, registry: registry)
        // Resource by resource on all cores: decoding each type's schema is most of the work.
        let perResource = Parallel.map(template.resources) { resource -> [SchemaIssue] in
            guard let type = resource.type, !StructureFacts.isExempt(type, serverless: skipServerless),
                  let schema = registry.schema(for: type) else { return [] }
            let base: [PathComponent] = [.key("Resources"), .key(resource.logicalID)]
            guard let properties = resource.body["Properties"] else {
                guard !schema.required.isEmpty else { return [] }
                return [SchemaIssue(kind: .required, message: "\(resource.logicalID) (\(type)) needs Properties: \(schema.required.joined(separator: ", ")) are required",
                                    location: resource.keyLocation, path: base + [.key("Properties")])]
            }
            var walker = Walker(schema: schema, packageable: StructureFacts.packageable[type] ?? [], references: references, found: [], path: base + [.key("Properties")])
            walker.value(properties, shape: schema.root, isRoot: true)
            return walker.found
        }
        return perResource.flatMap { $0 }
    }

    /// The issues of one value written for a property of a type's schema (a SAM property the
    /// transform passes unchanged to that property), at `path`.
    public static func issues(of value: Node, property: String, in schema: ResourceSchema, path: [PathComponent]) -> [SchemaIssue] {
        guard let shape = schema.root.property(property) else { return [] }
        var walker = Walker(schema: schema, packageable: [], references: .none, found: [], path: path)
        walker.value(value, shape: shape)
        return walker.found
    }

    /// The JSON types a shape allows, as bits: the walk asked a `Set` (made afresh for every
    /// value) the same questions.
    struct TypeSet {
        private var bits: UInt8 = 0

        init(_ types: [JSONType]) {
            for type in types { bits |= Self.bit(type) }
        }

        private static func bit(_ type: JSONType) -> UInt8 {
            switch type {
            case .string: return 1
            case .integer: return 2
            case .number: return 4
            case .boolean: return 8
            case .array: return 16
            case .object: return 32
            case .null: return 64
            }
        }

        var isEmpty: Bool { bits == 0 }
        func contains(_ type: JSONType) -> Bool { bits & Self.bit(type) != 0 }
        var names: [String] { JSONType.allCases.filter(contains).map(\.rawValue) }
    }

    struct Walker {
        let schema: ResourceSchema
        /// Properties `aws cloudformation package` fills in from a local path: a string there
        /// is a path to upload, not a type error.
        let packageable: Set<String>
        /// The formats of what a `Ref` to each of the template's resources gives.
        let references: ReferenceFormats
        var found: [SchemaIssue]
        /// Where the walk is: one array, pushed and popped (a new array for every value was
        /// most of the walk's cost); an issue keeps a copy.
        var path: [PathComponent]

        mutating func report(_ kind: SchemaIssue.Kind, _ message: String, _ value: Node, _ path: [PathComponent]) {
            found.append(SchemaIssue(kind: kind, message: message, location: value.location, path: path))
        }

        /// Walks `value` at `path + [component]`.
        private mutating func value(_ value: Node, shape: Shape, below component: PathComponent) {
            path.append(component)
            self.value(value, shape: shape)
            path.removeLast()
        }

        mutating func value(_ value: Node, shape raw: Shape, isRoot: Bool = false) {
            let shape = schema.resolve(raw)
            if case .intrinsic(let function) = value.kind {
                if function.name == .ref, let format = shape.format, format.containsText("::"), let target = function.argument.stringValue,
                   let given = references.formats(of: target), !given.contains(ReferenceFormats.current(format)) {
                    report(.refFormat, "{Ref: \(target)} gives \(given.first.map { "an \($0)" } ?? "a value without a format"); \(Self.name(path)) needs an \(format)", value, path)
                }
                guard function.name == .if, let branches = function.argument.arrayValue, branches.count == 3 else { return }
                for index in 1...2 where !Self.isNoValue(branches[index]) {
                    path.append(.key(IntrinsicName.if.rawValue))
                    path.append(.index(index))
                    self.value(branches[index], shape: raw, isRoot: isRoot)
                    path.removeLast(2)
                }
                return
            }
            if Self.isNoValue(value) { return }
            let types = TypeSet(shape.types)
            switch value.kind {
            case .object(let map):
                if !types.isEmpty && !types.contains(.object) {
                    report(.type, "\(Self.name(path)) is an object; the schema wants \(Self.describe(types))", value, path)
                    return
                }
                object(map, at: value, shape: shape, isRoot: isRoot)
            case .array(let items):
                if !types.isEmpty && !types.contains(.array) {
                    report(.type, "\(Self.name(path)) is a list; the schema wants \(Self.describe(types))", value, path)
                    return
                }
                if let minimum = shape.minItems, items.count < minimum {
                    report(.itemCount, "\(Self.name(path)) has \(items.count) items; at least \(minimum) are needed", value, path)
                }
                if let maximum = shape.maxItems, items.count > maximum {
                    report(.itemCount, "\(Self.name(path)) has \(items.count) items; at most \(maximum) are allowed", value, path)
                }
                if shape.uniqueItems {
                    // Equal expressions give equal values in any one deployment (a Ref twice,
                    // the same Fn::If twice); AWS::NoValue items drop out.
                    var seen: [Node] = []
                    for item in items where !Self.isNoValue(item) {
                        if seen.contains(where: { $0 == item }) {
                            report(.itemCount, "\(Self.name(path)) lists \(item.scalarText.map { "'\($0)'" } ?? "an item") twice; its items must be unique", value, path)
                            break
                        }
                        seen.append(item)
                    }
                }
                if let itemShape = shape.items?.value {
                    for (index, item) in items.enumerated() { self.value(item, shape: itemShape, below: .index(index)) }
                }
            case .string, .number, .bool:
                scalar(value, shape: shape, types: types)
            case .null:
                break
            case .intrinsic:
                break
            }
        }

        mutating func object(_ map: ObjectMap, at value: Node, shape: Shape, isRoot: Bool) {
            // Free-form objects (no declared properties) are not judged.
            let declared = !shape.properties.isEmpty
            let required = isRoot ? schema.required : shape.required
            // An object written as one intrinsic call ({"Fn::If": ...} is handled above).
            if required.contains(where: { map[$0] == nil }) {
                let missing = required.filter { map[$0] == nil }
                report(.required, "\(Self.name(path)) lacks \(missing.joined(separator: ", ")) (required)", value, path)
            }
            // "One of these is required": alternatives that only list required properties.
            let root = isRoot ? schema.root : shape
            requireOne(of: root.anyOf, map, at: value)
            requireOne(of: root.oneOf, map, at: value)
            let dependencies = isRoot ? schema.dependentRequired : shape.dependentRequired
            for property in dependencies.isEmpty ? [] : dependencies.keys.sorted() where map[property].map({ !Self.isNoValue($0) }) ?? false {
                for needed in dependencies[property] ?? [] where map[needed] == nil {
                    report(.dependency, "\(Self.name(path).isEmpty ? schema.typeName : Self.name(path)) has \(property) but no \(needed), which \(property) needs", value, path)
                }
            }
            for entry in map.entries {
                if let child = shape.property(entry.key) {
                    self.value(entry.value, shape: child, below: .key(entry.key))
                } else if let pattern = shape.patternProperties.first(where: { PatternCache.matches($0.pattern, entry.key) == true }) {
                    self.value(entry.value, shape: pattern.shape, below: .key(entry.key))
                } else if declared && !shape.additionalProperties && shape.patternProperties.isEmpty {
                    found.append(SchemaIssue(kind: .unknownProperty, message: "\(entry.key) is not a property of \(isRoot ? schema.typeName : Self.name(path))\(Self.suggestion(entry.key, shape))",
                                             location: entry.keyLocation.isKnown ? entry.keyLocation : entry.value.location, path: path + [.key(entry.key)]))
                }
            }
        }

        /// "One of these is required" (`anyOf` or `oneOf` alternatives that only list required
        /// properties): none of them is met.
        private mutating func requireOne(of alternatives: [Shape], _ map: ObjectMap, at value: Node) {
            guard !alternatives.isEmpty, alternatives.allSatisfy({ !$0.required.isEmpty && $0.properties.isEmpty }) else { return }
            if !alternatives.contains(where: { $0.required.allSatisfy { map[$0] != nil } }) {
                let names = alternatives.map { $0.required.joined(separator: " and ") }
                report(.required, "\(Self.name(path).isEmpty ? schema.typeName : Self.name(path)) needs one of \(names.joined(separator: ", "))", value, path)
            }
        }

        mutating func scalar(_ value: Node, shape: Shape, types: TypeSet) {
            let text = value.scalarText ?? ""
            // A dynamic reference (`{{resolve:ssm:...}}`, `{{resolve:secretsmanager:...}}`) is
            // replaced at deployment: its text is no value to judge against types, enums or patterns.
            if case .string(let string) = value.kind, string.hasPrefix("{{resolve:") { return }
            if case .string = value.kind, path.count == 4, case .key(let name) = path[3], packageable.contains(name) { return }
            if !types.isEmpty, !Self.accepts(value, types) {
                report(.type, "\(Self.name(path)) is \(Self.kindName(value)) '\(text)'; the schema wants \(Self.describe(types))", value, path)
                return
            }
            if let allowed = shape.enumValues, !allowed.isEmpty, !allowed.contains(where: { Self.sameLiteral($0, value) }) {
                let list = allowed.prefix(12).compactMap(\.scalarText).joined(separator: ", ")
                report(.enumValue, "\(Self.name(path)) '\(text)' is not one of \(list)\(allowed.count > 12 ? ", ..." : "")", value, path)
            }
            let isString = types.isEmpty || types.contains(.string)
            if isString, case .string(let string) = value.kind {
                if let pattern = shape.pattern, PatternCache.matches(pattern, string) == false {
                    report(.pattern, "\(Self.name(path)) '\(string)' does not match \(pattern)", value, path)
                }
                if let format = shape.format, let form = IdentifierFormat.known[format], !form.accepts(string) {
                    report(.format, "\(Self.name(path)) '\(string)' is not a \(format) (\(form.prefix) and 8 or 17 \(form.hexOnly ? "hexadecimal digits" : "lowercase letters or digits"))", value, path)
                }
                if let format = shape.format, let form = ValueFormat.known[format], !form.accepts(string) {
                    report(.valueFormat, "\(Self.name(path)) '\(string)' is not \(form.summary) (format \(format))", value, path)
                }
                // A choice of formats (a KMS key's id, ARN or alias): one of them must fit.
                if shape.format == nil, !shape.anyOf.isEmpty {
                    let choices = shape.anyOf.compactMap { schema.resolve($0).format }
                    let forms = choices.compactMap { ValueFormat.known[$0] }
                    if !forms.isEmpty, forms.count == shape.anyOf.count, !forms.contains(where: { $0.accepts(string) }) {
                        report(.valueFormat, "\(Self.name(path)) '\(string)' is not \(forms.map(\.summary).joined(separator: ", nor "))", value, path)
                    }
                }
                // Characters are counted only where a length is judged.
                if shape.minLength != nil || shape.maxLength != nil {
                    let length = string.count
                    if let minimum = shape.minLength, length < minimum {
                        report(.length, "\(Self.name(path)) is \(length) characters long; the minimum is \(minimum)", value, path)
                    }
                    if let maximum = shape.maxLength, length > maximum {
                        report(.length, "\(Self.name(path)) is \(length) characters long; the maximum is \(maximum)", value, path)
                    }
                }
            }
            if types.contains(.integer) || types.contains(.number), let number = value.numberValue {
                if let minimum = shape.minimum, number < minimum {
                    report(.range, "\(Self.name(path)) is \(text); the minimum is \(NumberLiteral.text(of: minimum))", value, path)
                }
                if let maximum = shape.maximum, number > maximum {
                    report(.range, "\(Self.name(path)) is \(text); the maximum is \(NumberLiteral.text(of: maximum))", value, path)
                }
            }
        }

        /// CloudFormation converts scalars: a number or boolean where a string goes, a
        /// numeric string where a number goes, "true"/"false" where a boolean goes.
        static func accepts(_ value: Node, _ types: TypeSet) -> Bool {
            switch value.kind {
            case .string(let text):
                if types.contains(.string) { return true }
                if types.contains(.integer), let number = Double(text.trimmingSpaces), number == number.rounded() { return true }
                if types.contains(.number), Double(text.trimmingSpaces) != nil { return true }
                if types.contains(.boolean), ["true", "false"].contains(text.lowercased()) { return true }
                return false
            case .number(let literal):
                if types.contains(.string) || types.contains(.number) { return true }
                if types.contains(.integer) { return Double(literal).map { $0 == $0.rounded() } ?? false }
                return false
            case .bool:
                return types.contains(.boolean) || types.contains(.string)
            default:
                return true
            }
        }

        static func isNoValue(_ value: Node) -> Bool {
            guard let function = value.intrinsicValue else { return false }
            return function.name == .ref && function.argument.stringValue == "AWS::NoValue"
        }

        static func sameLiteral(_ allowed: Node, _ value: Node) -> Bool {
            if allowed == value { return true }
            guard let a = allowed.scalarText, let b = value.scalarText else { return false }
            if a == b { return true }
            switch (allowed.kind, value.kind) {
            case (.number, _), (_, .number): return NumberLiteral.equal(a, b)
            default: return false
            }
        }

        static func name(_ path: [PathComponent]) -> String {
            let keys = path.dropFirst(1).compactMap { component -> String? in
                if case .key(let key) = component, key != "Properties", key != "Fn::If" { return key }
                return nil
            }
            return keys.joined(separator: ".")
        }

        static func describe(_ types: TypeSet) -> String {
            types.names.sorted().joined(separator: " or ")
        }

        static func kindName(_ value: Node) -> String {
            switch value.kind {
            case .string: return "the string"
            case .number: return "the number"
            case .bool: return "the boolean"
            default: return "the value"
            }
        }

        /// "Did you mean": a declared property that differs only in case or by a little.
        static func suggestion(_ key: String, _ shape: Shape) -> String {
            // A YAML merge key (`<<: *anchor`): CloudFormation reads it as a key, not a merge.
            if key == "<<" { return "; CloudFormation does not merge YAML's `<<` keys: write the properties out, or deploy through `aws cloudformation package`, which merges them" }
            let lower = key.lowercased()
            if let match = shape.properties.first(where: { $0.name.lowercased() == lower }) { return "; did you mean \(match.name)?" }
            if let match = shape.properties.first(where: { lower.hasPrefix($0.name.lowercased()) || $0.name.lowercased().hasPrefix(lower) }), match.name.count > 3 {
                return "; did you mean \(match.name)?"
            }
            return ""
        }
    }
}

/// Facts the structural rules share.
public enum StructureFacts {
    /// Top-level properties `aws cloudformation package` uploads from a local path.
    static let packageable: [String: Set<String>] = [
        "AWS::Lambda::Function": ["Code"], "AWS::Lambda::LayerVersion": ["Content"], "AWS::ApiGateway::RestApi": ["BodyS3Location"],
        "AWS::CloudFormation::Stack": ["TemplateURL"], "AWS::StepFunctions::StateMachine": ["DefinitionS3Location"],
        "AWS::AppSync::GraphQLSchema": ["DefinitionS3Location"], "AWS::AppSync::Resolver": ["RequestMappingTemplateS3Location", "ResponseMappingTemplateS3Location"],
        "AWS::ElasticBeanstalk::ApplicationVersion": ["SourceBundle"], "AWS::Glue::Job": ["Command"], "AWS::ApiGatewayV2::Api": ["BodyS3Location"],
    ]

    /// Whether the template declares a transform that rewrites it before CloudFormation
    /// reads it (SAM, language extensions: Fn::ForEach, Globals, functions in policies).
    public static func hasTransform(_ template: Template, _ prefix: String) -> Bool {
        template.transforms.contains { $0.hasPrefix(prefix) }
    }

    /// Types no registry schema describes: custom resources, modules, and the SAM types a
    /// declared transform expands.
    public static func isExempt(_ type: String, serverless: Bool) -> Bool {
        type.hasPrefix("Custom::") || type == "AWS::CloudFormation::CustomResource" || type.hasSuffix("::MODULE")
            || (serverless && type.hasPrefix("AWS::Serverless::"))
    }
}

/// Patterns compiled once, shared by the threads that lint files in parallel. Every pattern
/// is evaluated by `SimpleRegex`, step-bounded; a pattern it cannot compile, or a search that
/// runs out of steps, is not judged (nil) rather than judged wrongly or left to hang.
public enum PatternCache {
    private struct Store: @unchecked Sendable { var compiled: [String: SimpleRegex?] = [:] }
    private static let store = Mutex(Store())

    public static func matches(_ pattern: String, _ text: String) -> Bool? {
        let compiled: SimpleRegex?
        if let known = store.withLock({ $0.compiled[pattern] }) {
            compiled = known
        } else {
            compiled = SimpleRegex.compile(pattern)
            store.withLock { $0.compiled[pattern] = .some(compiled) }
        }
        guard let compiled else { return nil }
        // Under a budget (a file's, a rule's), a search takes at most what is left of it.
        guard let budget = PatternBudget.current else { return compiled.firstMatch(in: text) }
        let steps = min(SimpleRegex.stepsPerSearch, budget.available)
        guard steps > 0 else {
            budget.noteUnjudged()
            return nil
        }
        let result = compiled.search(text, steps: steps)
        budget.spend(result.spent)
        if result.ranOut { budget.noteUnjudged() }
        return result.found
    }
}
