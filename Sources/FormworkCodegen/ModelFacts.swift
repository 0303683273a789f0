import FormworkSchema

/// What code written against a generated model must spell as the generator spells it: the
/// Swift names and types of a resource type's properties, nested types, value-set members and
/// attribute accessors. `formwork import` reads them here, from the same `ModelBuilder` the
/// generator runs, so that imported Swift follows any change to the generated names.
package struct ModelFacts: Sendable {
    /// A property's Swift type, as the model declares it.
    package indirect enum Kind: Sendable {
        /// `String`, `Int`, `Double` or `Bool`.
        case primitive(String)
        /// `JSON`.
        case json
        /// `PolicyDocument` (an IAM policy; `PolicyDocument(json:)` takes any JSON).
        case policyDocument
        /// A value set nested under the model: its name and each value's member.
        case valueSet(name: String, members: [String: String])
        /// `Value<[Element]>`.
        case list(Kind)
        /// A property object nested under the model.
        case object(String)
        /// `[Object]`.
        case objectList(String)
    }

    /// One property of the resource or of a property object.
    package struct Property: Sendable {
        package var jsonName: String
        package var swiftName: String
        package var kind: Kind
        package var required: Bool
    }

    /// A typed attribute accessor of the handle.
    package struct Accessor: Sendable {
        package var member: String
        /// `String`, `Int`, `Double`, `Bool`, `[String]` or `JSON`.
        package var type: String
    }

    /// `RDS.DBInstance`.
    package var qualifiedName: String
    package var properties: [Property]
    /// Property objects by their nested name (`Ingress`).
    package var objects: [String: [Property]]
    /// Whether a property object is a tag (`Key` and `Value`).
    package var tagObjects: Set<String>
    /// Accessors by `Fn::GetAtt` name.
    package var accessors: [String: Accessor]

    /// The facts of `schema`'s model, named `name` in `service`'s namespace.
    package init(schema: ResourceSchema, service: String, name: String, extensionEnums: ModelWriter.ExtensionEnums, attributeNames: [String]) {
        let model = ModelBuilder.model(schema: schema, service: service, name: name, version: "", extensionEnums: extensionEnums.sets[schema.typeName] ?? [:],
                                       extensionVersion: extensionEnums.version, attributeNames: attributeNames,
                                       updates: ModelWriter.UpdateNotes.TypeNotes())
        var sets: [String: [String: String]] = [:]
        for set in model.valueSets {
            var members: [String: String] = [:]
            for (value, member) in set.memberNames { members[value] = member }
            sets[set.name] = members
        }
        func kind(_ type: SwiftType) -> Kind {
            switch type {
            case .primitive(let name): return .primitive(name)
            case .json: return .json
            case .policyDocument: return .policyDocument
            case .enumeration(let name): return .valueSet(name: name, members: sets[name] ?? [:])
            case .list(let inner): return .list(kind(inner))
            case .object(let name): return .object(name)
            case .objectList(let name): return .objectList(name)
            }
        }
        func properties(_ members: [TypeModel.Member]) -> [Property] {
            members.map { Property(jsonName: $0.jsonName, swiftName: $0.swiftName, kind: kind($0.type), required: $0.required) }
        }
        qualifiedName = model.qualifiedName
        self.properties = properties(model.members)
        objects = Dictionary(model.nestedTypes.map { ($0.name, properties($0.members)) }, uniquingKeysWith: { first, _ in first })
        tagObjects = Set(model.nestedTypes.filter(\.isTag).map(\.name))
        accessors = Dictionary(model.attributeAccessorNames.map { ($0.attribute, Accessor(member: $0.member, type: $0.type)) }, uniquingKeysWith: { first, _ in first })
    }

}
