import FormworkSchema

/// What one resource type's model declares, found from its (patched) schema: the properties,
/// the nested property types and value sets they need, the `Fn::GetAtt` names.
struct TypeModel {
    struct Member {
        var jsonName: String
        var swiftName: String
        var type: SwiftType
        var required: Bool
    }

    /// A property object of the schema, a struct nested under the model.
    struct NestedType {
        var name: String
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
    /// Structs to write: (name, shape), in order of discovery.
    var structs: [(name: String, shape: Shape)] = []
    /// Value sets to write, in order of discovery.
    var sets: [ValueSet] = []

    static func model(schema: ResourceSchema, service: String, name: String, version: String,
                      extensionEnums: [String: ExtensionSet], extensionVersion: String, attributeNames: [String]) -> TypeModel {
        var builder = ModelBuilder(schema: schema, version: version, extensionEnums: extensionEnums, extensionVersion: extensionVersion,
                                   naming: ModelNaming(model: name, service: service))
        let members = builder.members(of: schema.root, required: schema.required, topLevel: true)
        // Nested types, discovered as members are typed (more may appear on the way).
        var nestedTypes: [TypeModel.NestedType] = []
        while nestedTypes.count < builder.structs.count {
            let (structName, shape) = builder.structs[nestedTypes.count]
            nestedTypes.append(TypeModel.NestedType(name: structName, members: builder.members(of: shape, required: shape.required, topLevel: false)))
        }
        return TypeModel(schema: schema, service: service, name: name, version: version, members: members,
                         nestedTypes: nestedTypes, valueSets: builder.sets, attributeNames: attributeNames)
    }

    /// The properties of an object; at the top level without the read-only ones (what
    /// CloudFormation returns, not what a template sets).
    private mutating func members(of shape: Shape, required: [String], topLevel: Bool) -> [TypeModel.Member] {
        var result: [TypeModel.Member] = []
        var taken = ModelNaming.reservedMembers
        for (jsonName, child) in shape.properties {
            if topLevel, schema.readOnly.contains("/properties/" + jsonName), !schema.writeOnly.contains("/properties/" + jsonName) { continue }
            let swift = ModelNaming.uniqueMember(SwiftNames.property(jsonName), taken: &taken)
            var type = swiftType(child, proposedName: jsonName, extensionSet: topLevel ? extensionEnums[jsonName] : nil)
            if type == .json, Self.policyDocumentProperties.contains(jsonName), !Self.otherPolicyLanguages.contains(schema.typeName) { type = .policyDocument }
            result.append(TypeModel.Member(jsonName: jsonName, swiftName: swift, type: type, required: required.contains(jsonName)))
        }
        return result
    }
}
