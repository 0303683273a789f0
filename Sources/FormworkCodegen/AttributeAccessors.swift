import FormworkSchema

/// One typed accessor on a resource's handle per name `Fn::GetAtt` accepts (cfn-lint's list:
/// read-only properties and documented return values), typed from the schema where it
/// describes the name.
extension TypeModel {
    /// The handle's extension, or nil when the type has no attribute a Swift name can spell.
    var attributeAccessors: SwiftSyntax? {
        let accessors = attributeAccessorNames
        guard !accessors.isEmpty else { return nil }
        var members: [SwiftSyntax] = []
        for (attribute, swift, type) in accessors {
            members.append(.doc([ModelDocumentation.attribute(attribute, of: name)]))
            members.append(.line("public var \(swift): Value<\(type)> { attribute(\"\(attribute)\") }"))
        }
        return .block("extension ResourceHandle where Properties == \(qualifiedName)", members)
    }

    /// Each attribute a Swift name can spell, its accessor's name and its value's Swift type:
    /// the one spelling the accessors are declared with and `formwork import` writes.
    var attributeAccessorNames: [(attribute: String, member: String, type: String)] {
        let usable = attributeNames.filter { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") } }
        var taken = ModelNaming.reservedHandleMembers
        return usable.map { ($0, ModelNaming.uniqueMember(SwiftNames.property($0.replacingDots), taken: &taken), attributeType($0)) }
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
}

extension String {
    /// `Endpoint.Address` -> `EndpointAddress`, for attribute accessor names.
    var replacingDots: String { split(separator: ".").joined() }
}
