import FormworkSchema

/// A closed set of strings a property takes (from the registry's `enum`, or from cfn-lint's
/// extension schemas where the registry leaves the property open): a `SchemaEnum` type nested
/// under the model, with one static member of `Value` per value.
struct ValueSet {
    var name: String
    /// The values, each once, in the source's order.
    var values: [String]
    var source: String

    /// The nested type; a set that others of its service share takes its values and members
    /// from their protocol (`SharedValueSet`).
    func declaration(shared: SharedValueSet?) -> [SwiftSyntax] {
        guard let shared else {
            return [
                .doc(["Values from \(source)."]),
                .block("public enum \(name): SchemaEnum", [
                    .line("public static let values: [String] = [\(values.map(SwiftSyntax.literal).joined(separator: ", "))]"),
                    .line("public static let source = \(SwiftSyntax.literal(source))"),
                ]),
            ]
        }
        return [
            .doc(["Values from \(source).", "Its values and members are `\(shared.qualifiedName)`'s, which other sets of the service share."]),
            .block("public enum \(name): \(shared.qualifiedName)", [
                .line("public static let source = \(SwiftSyntax.literal(source))"),
            ]),
        ]
    }

    /// Each value's static member name, in the values' order: the one spelling the members
    /// are declared with and `formwork import` writes.
    var memberNames: [(value: String, member: String)] {
        Array(zip(values, SwiftNames.members(values, in: .values)))
    }

    /// The values as static members: `.auroraPostgresql` for `aurora-postgresql`.
    func members(model: String) -> SwiftSyntax {
        Self.members(values, constraint: "T == \(model).\(name)")
    }

    /// The values as static members of `Value` where `constraint` holds.
    static func members(_ values: [String], constraint: String) -> SwiftSyntax {
        let members = SwiftNames.members(values, in: .values)
        var lines: [SwiftSyntax] = zip(values, members).flatMap { value, swift -> [SwiftSyntax] in
            [ModelDocumentation.value(value), .line("public static var \(swift): Self { Self(schemaValue: \(SwiftSyntax.literal(value))) }")]
        }
        // `.none` would be Optional's (no value, silently): declared unavailable, Swift warns
        // at `.none` and its fix-it leads to the message naming the value's member.
        let spelledNone = zip(values, members).filter { SwiftCase.name($0.0) == "none" }
        if !spelledNone.isEmpty {
            let written = spelledNone.map { "`.\($0.1)` for \"\($0.0)\"" }.joined(separator: ", ")
            lines.append(.line("@available(*, unavailable, message: \(SwiftSyntax.literal("`.none` is Optional's (no value): write " + written))) public static var none: Self { Self(schemaValue: \(SwiftSyntax.literal(spelledNone[0].0))) }"))
        }
        return .block("extension Value where \(constraint)", lines)
    }
}

extension ModelBuilder {
    /// A string set as a value set type, or nil when the shape is no closed string set.
    mutating func valueSet(_ shape: Shape, proposedName: String, definition: String?, extensionSet: ExtensionSet?) -> SwiftType? {
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
        let setName = naming.newTypeName(for: proposedName, suffix: "Value")
        if let definition { definitionTypes[definition] = setName }
        var unique: [String] = []
        for value in values where !unique.contains(value) { unique.append(value) }
        sets.append(ValueSet(name: setName, values: unique, source: source))
        return .enumeration(setName)
    }
}
