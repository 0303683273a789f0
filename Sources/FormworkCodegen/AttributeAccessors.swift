import FormworkSchema

/// One typed accessor on a resource's handle per name `Fn::GetAtt` accepts (cfn-lint's list:
/// read-only properties and documented return values), typed from the schema where it
/// describes the name.
extension TypeModel {
    /// The handle's extension, or nil when the type has no attribute a Swift name can spell.
    var attributeAccessors: SwiftSyntax? {
        let usable = accessibleAttributes
        guard !usable.isEmpty else { return nil }
        var members: [SwiftSyntax] = []
        for (attribute, swift, _) in attributeAccessorNames {
            let type = attributeType(attribute)
            members.append(ModelDocumentation.attribute(attribute, type: type, of: self))
            members.append(.line("public var \(swift): Value<\(type)> { attribute(\"\(attribute)\") }"))
        }
        return .block("extension ResourceHandle where Properties == \(qualifiedName)", members)
    }

    /// The `Fn::GetAtt` names an accessor is generated for: letters, digits and dots.
    var accessibleAttributes: [String] {
        attributeNames.filter { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") } }
    }

    /// Each attribute a Swift name can spell, its accessor's name and its value's Swift type:
    /// the one spelling the accessors are declared with and `formwork import` writes.
    var attributeAccessorNames: [(attribute: String, member: String, type: String)] {
        let usable = accessibleAttributes
        return zip(usable, SwiftNames.members(usable, in: .attributes)).map { ($0.0, $0.1, attributeType($0.0)) }
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
