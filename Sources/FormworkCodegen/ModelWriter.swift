import FormworkSchema
import FormworkTemplate

/// Writes the typed Swift models of every registry type: one module (and product) per service,
/// `Sources/Models/<Service>/` (`Formwork<Service>`), one file per resource type, depending only
/// on the typed core. Property objects and value sets are nested under their type.
///
/// The shape of a model: an initializer that takes the required properties, the others set in
/// any order (in its trailing closure or on the value); primitive and list properties are
/// `Value<T>?` (a literal or an expression), closed string sets are `Value<SetName>?` with one
/// static member per value, objects are nested structs (which carry their own `Fn::If`), and
/// `extraProperties` takes what the model does not know. The code is kept lean for the
/// compiler: no memberwise initializers with defaults, one rendering helper per kind of value.
public enum ModelWriter {
    public static let modelsFolder = "Sources/Models"
    /// What was generated, for `formwork schema --list` (which links no model module).
    public static let cataloguePath = "Sources/FormworkSchemaData/ModelCatalogue+Data.swift"

    /// The module of a service's models.
    public static func module(_ service: String) -> String { "Formwork\(service)" }

    /// cfn-lint's closed sets for properties the registry leaves open, by type and property
    /// (codegen/extension_enums.py).
    public struct ExtensionEnums: Sendable {
        public var sets: [String: [String: (values: [String], file: String)]] = [:]
        public var version = ""

        public init() {}

        public init(repositoryRoot: String) throws {
            guard let root = try RegistrySource.pythonOutput("\(repositoryRoot)/codegen/extension_enums.py"),
                  let types = root["types"]?.objectValue else {
                throw RegistrySource.Failure(description: "codegen/extension_enums.py failed: is cfn-lint installed?")
            }
            version = root["cfnLint"]?.stringValue ?? ""
            for type in types.entries {
                for property in type.value.objectValue?.entries ?? [] {
                    let values = property.value["values"]?.arrayValue?.compactMap(\.stringValue) ?? []
                    sets[type.key, default: [:]][property.key] = (values, property.value["file"]?.stringValue ?? "")
                }
            }
        }
    }

    public struct Summary: Sendable {
        public var types = 0
        public var services = 0
        public var valueSets = 0
    }

    /// A type's Swift name: its own, unless Swift reserves it (`AWS::Cassandra::Type` is
    /// `Cassandra.TypeResource`).
    static func swiftName(of type: String) -> String {
        ["Type", "Protocol", "Self", "Any"].contains(type) ? type + "Resource" : type
    }

    /// Package.swift with its `services` list set to `services` (between the BEGIN and END
    /// services lines): the manifest names the modules, as SwiftPM caches a manifest by its text.
    public static func manifest(_ current: String, services: [String]) throws -> String {
        let lines = current.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let begin = lines.firstIndex(where: { $0.hasPrefix("// BEGIN services") }),
              let end = lines.firstIndex(where: { $0.hasPrefix("// END services") }), begin < end else {
            throw RegistrySource.Failure(description: "Package.swift lacks the // BEGIN services and // END services lines")
        }
        var list: [String] = []
        var line = "   "
        for service in services {
            let item = " \"\(service)\","
            if line.utf8.count + item.utf8.count > 118 { list.append(line); line = "   " }
            line += item
        }
        list.append(line)
        let block = [lines[begin], "let services = ["] + list + ["]"]
        return (lines[..<begin] + block + lines[end...]).joined(separator: "\n")
    }

    /// The models, the catalogue, and `manifest` (Package.swift's text) with its services list
    /// set to the modules written.
    public static func render(source: RegistrySource, patches: SchemaPatches, extensionEnums: ExtensionEnums,
                              attributeNames: [String: [String]], manifest: (path: String, text: String)) throws -> [GeneratedFile] {
        var files: [GeneratedFile] = []
        var services: [String: String] = [:]  // service -> vendor
        var typesByService: [String: [String]] = [:]
        for (typeName, json) in source.schemas {
            let parts = typeName.split(separator: "::").map(String.init)
            guard parts.count == 3 else { throw RegistrySource.Failure(description: "\(typeName) is not Vendor::Service::Type") }
            if let vendor = services[parts[1]], vendor != parts[0] {
                throw RegistrySource.Failure(description: "\(parts[1]) is a service of both \(vendor) and \(parts[0]): their modules would share a name")
            }
            services[parts[1]] = parts[0]
            typesByService[parts[1], default: []].append(parts[2])
            let patched = try patches.apply(to: json, typeName: typeName)
            let schema = ResourceSchema(typeName: typeName, json: patched, stateful: source.statefulTypes.contains(typeName))
            var writer = TypeWriter(schema: schema, service: parts[1], name: swiftName(of: parts[2]), version: source.version,
                                    extensionEnums: extensionEnums.sets[typeName] ?? [:], extensionVersion: extensionEnums.version,
                                    attributeNames: attributeNames[typeName] ?? schema.attributes.map(\.name))
            files.append(GeneratedFile(path: "\(modelsFolder)/\(parts[1])/\(parts[2]).swift", contents: writer.render()))
        }
        var catalogue: [String] = []
        for (typeName, _) in source.schemas {
            let parts = typeName.split(separator: "::").map(String.init)
            catalogue.append("\(typeName) \(module(parts[1])) \(parts[1]).\(swiftName(of: parts[2]))")
        }
        files.append(GeneratedFile(path: cataloguePath, contents: """
        // GENERATED by formwork-codegen. Do not edit: regenerate with `make models`.
        // The typed models written under \(modelsFolder): \(catalogue.count) types in \(services.count) modules.

        extension ModelCatalogue {
            /// `TYPE MODULE SWIFT-NAME` per registry type with a typed model.
            static let text: StaticString = \"\"\"
        \(catalogue.joined(separator: "\n"))
        \"\"\"
        }

        """))
        for service in services.keys.sorted() {
            let types = typesByService[service, default: []]
            let vendor = services[service]!
            files.append(GeneratedFile(path: "\(modelsFolder)/\(service)/\(service)Namespace.swift", contents: """
            // GENERATED by formwork-codegen. Do not edit: regenerate with `make models`.

            @_exported import FormworkCore

            /// The `\(vendor)::\(service)::*` resource types (\(types.count)): \(types.map { "`\($0)`" }.joined(separator: ", ")).
            public enum \(service) {}

            """))
        }
        files.append(GeneratedFile(path: manifest.path, contents: try Self.manifest(manifest.text, services: services.keys.sorted())))
        return files
    }
}

/// The Swift spelling of a property's schema.
indirect enum SwiftType {
    case primitive(String)          // String, Int, Double, Bool
    case json                       // anything the registry types loosely
    case enumeration(String)        // a generated value set
    case list(SwiftType)            // Value<[T]> for primitives, sets and lists
    case object(String)             // a generated struct
    case objectList(String)         // [Struct]

    /// The stored property's type.
    var declaration: String {
        switch self {
        case .json: return "JSON"
        case .primitive(let name), .enumeration(let name): return "Value<\(name)>"
        case .list: return "Value<\(valueElement)>"
        case .object(let name): return name
        case .objectList(let name): return "[\(name)]"
        }
    }

    var valueElement: String {
        switch self {
        case .json: return "JSON"
        case .primitive(let name), .enumeration(let name), .object(let name): return name
        case .list(let inner): return "[\(inner.valueElement)]"
        case .objectList(let name): return "[\(name)]"
        }
    }

    /// The `PropertyStorage` accessors that read and write it.
    var accessors: (get: String, set: String) {
        switch self {
        case .json: return ("json", "setJSON")
        case .primitive, .enumeration, .list: return ("value", "setValue")
        case .object: return ("object", "setObject")
        case .objectList: return ("objects", "setObjects")
        }
    }
}

struct TypeWriter {
    let schema: ResourceSchema
    let service: String
    let name: String
    let version: String
    let extensionEnums: [String: (values: [String], file: String)]
    let extensionVersion: String
    let attributeNames: [String]
    /// Definition name -> struct or set name.
    private var definitionTypes: [String: String] = [:]
    /// Structs to write: (name, shape), in order of discovery.
    private var structs: [(String, Shape)] = []
    /// Value sets to write: (name, values, source).
    private var sets: [(name: String, values: [String], source: String)] = []
    private var takenTypeNames = Set<String>()

    static let reservedTypeNames: Set<String> = [
        "Value", "String", "Int", "Double", "Bool", "JSON", "Type", "Protocol", "Self", "Any", "Array", "Void",
        "Dictionary", "Optional", "Condition", "Parameter", "Mapping", "ResourceHandle", "Node", "ObjectMap",
        "Tags", "Error", "Sendable", "Set", "Character", "Data", "Date", "ExtraProperties", "SchemaEnum",
        "PropertyObject", "ResourceProperties", "TagProtocol", "LiteralProblem", "RawResource", "Stack", "Pseudo",
    ]

    /// Member names the protocols and the model itself use.
    static let reservedMembers: Set<String> = ["storage", "propertyOrder", "node", "renderProperties", "extraProperties", "resourceType", "typeName"]

    init(schema: ResourceSchema, service: String, name: String, version: String,
         extensionEnums: [String: (values: [String], file: String)], extensionVersion: String, attributeNames: [String]) {
        self.schema = schema
        self.service = service
        self.name = name
        self.version = version
        self.extensionEnums = extensionEnums
        self.extensionVersion = extensionVersion
        self.attributeNames = attributeNames
        takenTypeNames = [name, service]
    }

    /// `DBSubnetGroup` -> `DBSubnetGroup`, `mode` -> `Mode`, `3Des` -> `T3Des`.
    static func typeName(_ definition: String) -> String {
        var characters = Array(definition.filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
        if characters.isEmpty { return "Object" }
        characters[0] = Character(characters[0].uppercased())
        var result = String(characters)
        if let first = result.first, first.isNumber { result = "T" + result }
        return result
    }

    private mutating func newTypeName(for proposal: String, suffix: String) -> String {
        var candidate = Self.typeName(proposal)
        if Self.reservedTypeNames.contains(candidate) || takenTypeNames.contains(candidate) {
            candidate += suffix
        }
        var unique = candidate
        var counter = 2
        while takenTypeNames.contains(unique) {
            unique = candidate + String(counter)
            counter += 1
        }
        takenTypeNames.insert(unique)
        return unique
    }

    /// A string set as a value set type, or nil when the shape is no closed string set.
    private mutating func valueSet(_ shape: Shape, proposedName: String, definition: String?, extensionSet: (values: [String], file: String)?) -> SwiftType? {
        let values: [String]
        let source: String
        if let enumValues = shape.enumValues, !enumValues.isEmpty {
            let strings = enumValues.compactMap(\.stringValue)
            guard strings.count == enumValues.count else { return nil }
            values = strings
            source = "the registry schema of \(schema.typeName) (cfn-lint \(version), us-east-1)"
        } else if let extensionSet, !extensionSet.values.isEmpty {
            values = extensionSet.values
            source = "cfn-lint \(extensionVersion)'s extension schema \(extensionSet.file)"
        } else {
            return nil
        }
        if let definition, let known = definitionTypes[definition] { return .enumeration(known) }
        let setName = newTypeName(for: proposedName, suffix: "Value")
        if let definition { definitionTypes[definition] = setName }
        var unique: [String] = []
        for value in values where !unique.contains(value) { unique.append(value) }
        sets.append((setName, unique, source))
        return .enumeration(setName)
    }

    /// Maps a schema shape to a Swift type, registering structs and sets to generate.
    private mutating func swiftType(_ shape: Shape, proposedName: String, extensionSet: (values: [String], file: String)? = nil, depth: Int = 0) -> SwiftType {
        if depth > 16 { return .json }
        if let definition = shape.definitionName, let target = schema.definitions[definition] {
            let resolved = schema.resolve(target)
            if isStruct(resolved) {
                if let known = definitionTypes[definition] { return .object(known) }
                let structName = newTypeName(for: definition, suffix: "Property")
                definitionTypes[definition] = structName
                structs.append((structName, resolved))
                return .object(structName)
            }
            if resolved.types == [.string], let set = valueSet(resolved, proposedName: definition, definition: definition, extensionSet: extensionSet) {
                return set
            }
            return swiftType(resolved, proposedName: definition, extensionSet: extensionSet, depth: depth + 1)
        }
        // A single JSON type decides, whatever anyOf/oneOf add (formats, relationship refs).
        if shape.types.count == 1 {
            switch shape.types[0] {
            case .string:
                return valueSet(shape, proposedName: proposedName, definition: nil, extensionSet: extensionSet) ?? .primitive("String")
            case .integer: return .primitive("Int")
            case .number: return .primitive("Double")
            case .boolean: return .primitive("Bool")
            case .array:
                guard let items = shape.items?.value else { return .list(.json) }
                let element = swiftType(items, proposedName: proposedName, depth: depth + 1)
                if case .object(let structName) = element { return .objectList(structName) }
                if case .objectList = element { return .list(.json) }
                return .list(element)
            case .object:
                if isStruct(shape) {
                    let structName = newTypeName(for: proposedName, suffix: "Property")
                    structs.append((structName, shape))
                    return .object(structName)
                }
                return .json
            case .null:
                return .json
            }
        }
        if shape.types.isEmpty, !shape.properties.isEmpty, isStruct(shape) {
            let structName = newTypeName(for: proposedName, suffix: "Property")
            structs.append((structName, shape))
            return .object(structName)
        }
        return .json
    }

    private func isStruct(_ shape: Shape) -> Bool {
        !shape.properties.isEmpty && shape.oneOf.isEmpty && shape.anyOf.isEmpty
            && (shape.types.isEmpty || shape.types == [.object])
    }

    private struct Member {
        var jsonName: String
        var swiftName: String
        var type: SwiftType
        var required: Bool
    }

    private mutating func members(of shape: Shape, required: [String], topLevel: Bool) -> [Member] {
        var result: [Member] = []
        var taken = Self.reservedMembers
        for (jsonName, child) in shape.properties {
            if topLevel, schema.readOnly.contains("/properties/" + jsonName), !schema.writeOnly.contains("/properties/" + jsonName) { continue }
            var swift = SwiftNames.property(jsonName)
            while taken.contains(swift) { swift += "_" }
            taken.insert(swift)
            let type = swiftType(child, proposedName: jsonName, extensionSet: topLevel ? extensionEnums[jsonName] : nil)
            result.append(Member(jsonName: jsonName, swiftName: swift, type: type, required: required.contains(jsonName)))
        }
        return result
    }

    private func documentation(_ pointer: String, _ member: Member) -> String {
        var notes: [String] = []
        if schema.createOnly.contains(pointer) { notes.append("Create-only: changing it replaces the resource.") }
        if schema.conditionalCreateOnly.contains(pointer) { notes.append("Conditionally create-only.") }
        if member.required { notes.append("Required.") }
        if schema.deprecated.contains(pointer) { notes.append("Deprecated.") }
        return notes.isEmpty ? "" : " " + notes.joined(separator: " ")
    }

    private func declarations(_ members: [Member], pointerPrefix: String?, into out: inout [String]) {
        out.append("        public static let propertyOrder: [String] = [\(members.map { Self.literal($0.jsonName) }.joined(separator: ", "))]")
        out.append("        public var storage: PropertyStorage")
        for member in members {
            let note = pointerPrefix.map { documentation($0 + member.jsonName, member) } ?? (member.required ? " Required." : "")
            let key = Self.literal(member.jsonName)
            out.append("        /// `\(member.jsonName)`.\(note)")
            out.append("        public var \(member.swiftName): \(member.type.declaration)? { get { storage.\(member.type.accessors.get)(\(key)) } set { storage.\(member.type.accessors.set)(\(key), newValue) } }")
        }
    }

    /// The required properties as arguments, then a closure that sets the others in any order.
    private func initialiser(_ members: [Member], into out: inout [String]) {
        let required = members.filter(\.required)
        var closure = "configure"
        while required.contains(where: { $0.swiftName == closure }) { closure += "_" }
        let parameters = required.map { "\($0.swiftName): \($0.type.declaration)" } + ["_ \(closure): (inout Self) -> Void = { _ in }"]
        if !required.isEmpty {
            out.append("        /// The required properties; set the others in `\(closure)` or on the value, in any order.")
        }
        out.append("        public init(\(parameters.joined(separator: ", "))) {")
        out.append("            storage = PropertyStorage()")
        for member in required { out.append("            self.\(member.swiftName) = \(member.swiftName)") }
        out.append("            \(closure)(&self)")
        out.append("        }")
    }

    mutating func render() -> String {
        let topMembers = members(of: schema.root, required: schema.required, topLevel: true)
        var out: [String] = []
        let required = topMembers.filter(\.required).map { "`\($0.swiftName)`" }
        out.append("""
        // GENERATED by formwork-codegen from the CloudFormation registry schema of \(schema.typeName)
        // (cfn-lint \(version), us-east-1). Do not edit: change codegen/ and run `make models`.

        import FormworkCore

        extension \(service) {
            /// `\(schema.typeName)`\(schema.stateful ? ", stateful: replacing or deleting it loses data" : "").
            /// \(required.isEmpty ? "No property is required" : "Required: " + required.joined(separator: ", ")); set the others in any order.
            public struct \(name): ResourceProperties {
                public static let typeName = "\(schema.typeName)"

        """)
        declarations(topMembers, pointerPrefix: "/properties/", into: &out)
        out.append("")
        initialiser(topMembers, into: &out)
        out.append("    }")
        out.append("}")

        // Nested property types, discovered as members are typed (more may appear on the way).
        var nestedTypes: [(name: String, members: [Member])] = []
        var discovered = 0
        while discovered < structs.count {
            let (structName, shape) = structs[discovered]
            discovered += 1
            nestedTypes.append((structName, members(of: shape, required: shape.required, topLevel: false)))
        }
        var nestedOut: [String] = []
        for (structName, nested) in nestedTypes {
            let isTag = nested.count == 2 && nested.contains { $0.jsonName == "Key" } && nested.contains { $0.jsonName == "Value" }
                && nested.allSatisfy { if case .primitive("String") = $0.type { return true } else { return false } }
            nestedOut.append("")
            nestedOut.append("    public struct \(structName): PropertyObject\(isTag ? ", TagProtocol" : "") {")
            var body: [String] = []
            declarations(nested, pointerPrefix: nil, into: &body)
            body.append("")
            initialiser(nested, into: &body)
            body.append("")
            body.append("        public init(storage: PropertyStorage) { self.storage = storage }")
            nestedOut += body.map { "    " + $0 }
            nestedOut.append("    }")
        }
        for set in sets {
            nestedOut.append("")
            nestedOut.append("    /// Values from \(set.source).")
            nestedOut.append("    public enum \(set.name): SchemaEnum {")
            nestedOut.append("        public static let values: [String] = [\(set.values.map(Self.literal).joined(separator: ", "))]")
            nestedOut.append("        public static let source = \(Self.literal(set.source))")
            nestedOut.append("    }")
        }
        if !nestedOut.isEmpty {
            out.append("")
            out.append("extension \(service).\(name) {")
            out += nestedOut.dropFirst()
            out.append("}")
        }
        for set in sets {
            out.append("")
            out.append("extension Value where T == \(service).\(name).\(set.name) {")
            var taken = Set<String>()
            for value in set.values {
                var swift = SwiftCase.name(value)
                while taken.contains(swift) { swift += "_" }
                taken.insert(swift)
                out.append("    public static var \(swift): Self { Self(schemaValue: \(Self.literal(value))) }")
            }
            out.append("}")
        }
        renderAttributes(into: &out)
        return out.joined(separator: "\n") + "\n"
    }

    /// One typed accessor per name `Fn::GetAtt` accepts (cfn-lint's list: read-only properties
    /// and documented return values), typed from the schema where it describes the name.
    private func renderAttributes(into out: inout [String]) {
        let usable = attributeNames.filter { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") } && !$0.isEmpty }
        guard !usable.isEmpty else { return }
        out.append("")
        out.append("extension ResourceHandle where Properties == \(service).\(name) {")
        var taken = Set<String>(["ref", "logicalID", "attribute"])
        for attribute in usable {
            var swift = SwiftNames.property(attribute.replacingDots)
            while taken.contains(swift) { swift += "_" }
            taken.insert(swift)
            out.append("    /// `Fn::GetAtt \(name).\(attribute)`.")
            out.append("    public var \(swift): Value<\(attributeType(attribute))> { attribute(\"\(attribute)\") }")
        }
        out.append("}")
    }

    private func attributeType(_ attribute: String) -> String {
        guard let shape = schema.shape(at: "/properties/" + attribute.split(separator: ".").joined(separator: "/")) else { return "String" }
        switch shape.types.first {
        case .integer?: return "Int"
        case .number?: return "Double"
        case .boolean?: return "Bool"
        case .string?: return "String"
        case .array?:
            guard let items = shape.items.map({ schema.resolve($0.value) }), items.types == [.string] else { return "JSON" }
            return "[String]"
        case .object?: return "JSON"
        default:
            return shape.properties.isEmpty && shape.ref == nil ? "String" : "JSON"
        }
    }

    /// A Swift string literal.
    static func literal(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { result += "\\u{\(String(scalar.value, radix: 16))}" } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}

extension String {
    /// `Endpoint.Address` -> `EndpointAddress`, for attribute accessor names.
    var replacingDots: String { split(separator: ".").joined() }
}
