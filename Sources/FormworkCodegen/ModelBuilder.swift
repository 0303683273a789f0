import FormworkSchema

/// What one resource type's model declares, found from its (patched) schema: the properties,
/// the nested property types and value sets they need, the `Fn::GetAtt` names.
struct TypeModel {
    struct Member {
        var jsonName: String
        var swiftName: String
        var type: SwiftType
        var required: Bool
        /// The property's schema, as written (a `$ref` unresolved), for its documentation.
        var shape: Shape
    }

    /// A property object of the schema, a struct nested under the model.
    struct NestedType {
        var name: String
        /// The registry's name of the property type (its definition, or the property holding it):
        /// the User Guide's pages and update notes use it.
        var specName: String
        var members: [Member]

        /// `Key` and `Value`, both strings: a tag, which the core can add to.
        var isTag: Bool {
            members.count == 2 && members.contains { $0.jsonName == "Key" } && members.contains { $0.jsonName == "Value" }
                && members.allSatisfy { if case .primitive("String") = $0.type { return true } else { return false } }
        }
    }

    let schema: ResourceSchema
    let service: String
    /// The model's Swift name, under the service's namespace.
    let name: String
    /// The cfn-lint release the registry comes from.
    let version: String
    let members: [Member]
    let nestedTypes: [NestedType]
    let valueSets: [ValueSet]
    let attributeNames: [String]
    /// The User Guide's "Update requires" of the type's properties and of its property types.
    let updates: ModelWriter.UpdateNotes.TypeNotes
    /// The value sets, by name, whose values and members are a protocol's that other sets of
    /// the service share (`SharedValueSet`); set by `ModelWriter` once it has seen the service.
    var sharedSets: [String: SharedValueSet] = [:]

    /// `Service.Name`, as the extensions outside the namespace spell it.
    var qualifiedName: String { "\(service).\(name)" }
}

/// Walks a schema into a `TypeModel`, naming the nested types and value sets as they are
/// discovered (the same schema gives the same names, in the same order).
struct ModelBuilder {
    let schema: ResourceSchema
    let version: String
    let extensionEnums: [String: ExtensionSet]
    let extensionVersion: String
    var naming: ModelNaming
    /// Definition name -> struct or set name.
    var definitionTypes: [String: String] = [:]
    /// Structs to write: (name, registry name, shape), in order of discovery.
    var structs: [(name: String, specName: String, shape: Shape)] = []
    /// Value sets to write, in order of discovery.
    var sets: [ValueSet] = []

    static func model(schema: ResourceSchema, service: String, name: String, version: String,
                      extensionEnums: [String: ExtensionSet], extensionVersion: String, attributeNames: [String],
                      updates: ModelWriter.UpdateNotes.TypeNotes) -> TypeModel {
        var builder = ModelBuilder(schema: schema, version: version, extensionEnums: extensionEnums, extensionVersion: extensionVersion,
                                   naming: ModelNaming(model: name, service: service))
        let members = builder.members(of: schema.root, required: schema.required, topLevel: true)
        // Nested types, discovered as members are typed (more may appear on the way).
        var nestedTypes: [TypeModel.NestedType] = []
        while nestedTypes.count < builder.structs.count {
            let (structName, specName, shape) = builder.structs[nestedTypes.count]
            nestedTypes.append(TypeModel.NestedType(name: structName, specName: specName, members: builder.members(of: shape, required: shape.required, topLevel: false)))
        }
        return TypeModel(schema: schema, service: service, name: name, version: version, members: members,
                         nestedTypes: nestedTypes, valueSets: builder.sets, attributeNames: attributeNames, updates: updates)
    }

    /// The properties of an object; at the top level without the read-only ones (what
    /// CloudFormation returns, not what a template sets).
    private mutating func members(of shape: Shape, required: [String], topLevel: Bool) -> [TypeModel.Member] {
        let properties = shape.properties.filter { jsonName, _ in
            !(topLevel && schema.readOnly.contains("/properties/" + jsonName) && !schema.writeOnly.contains("/properties/" + jsonName))
        }
        let swiftNames = SwiftNames.members(properties.map(\.name), in: .properties)
        return zip(properties, swiftNames).map { property, swift in
            var type = swiftType(property.shape, proposedName: property.name, extensionSet: topLevel ? extensionEnums[property.name] : nil)
            if type == .json, Self.policyDocumentProperties.contains(property.name), !Self.otherPolicyLanguages.contains(schema.typeName) { type = .policyDocument }
            return TypeModel.Member(jsonName: property.name, swiftName: swift, type: type, required: required.contains(property.name), shape: property.shape)
        }
    }
}
