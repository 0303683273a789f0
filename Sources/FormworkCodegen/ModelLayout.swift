/// How a model's file is laid out: the header and import; the resource struct in its service's
/// namespace; its nested property types and value sets in an extension; the values of each
/// set as members of `Value` (of a shared set: in the service's `SharedValueSet` file); the
/// attribute accessors on its handle.
extension TypeModel {
    var file: [SwiftSyntax] {
        var sections: [[SwiftSyntax]] = [
            [ModelDocumentation.header(self)],
            [.line("import FormworkCore")],
            [.block("extension \(service)", [ModelDocumentation.type(self), resourceStruct])],
        ]
        let nested = SwiftSyntax.separated(nestedTypes.map(nestedStruct) + valueSets.map { $0.declaration(shared: sharedSets[$0.name]) })
        if !nested.isEmpty { sections.append([.block("extension \(qualifiedName)", nested)]) }
        sections += valueSets.filter { sharedSets[$0.name] == nil }.map { [$0.members(model: qualifiedName)] }
        if let attributeAccessors { sections.append([attributeAccessors]) }
        return SwiftSyntax.separated(sections)
    }

    private var resourceStruct: SwiftSyntax {
        .block("public struct \(name): ResourceProperties", SwiftSyntax.separated([
            [.line("public static let typeName = \"\(schema.typeName)\"")],
            storedProperties(members, owner: nil),
            initialiser(members),
        ]))
    }

    private func nestedStruct(_ nested: NestedType) -> [SwiftSyntax] {
        [ModelDocumentation.nestedType(nested, of: self), .block("public struct \(nested.name): PropertyObject\(nested.isTag ? ", TagProtocol" : "")", SwiftSyntax.separated([
            storedProperties(nested.members, owner: nested),
            initialiser(nested.members),
            [.line("public init(storage: PropertyStorage) { self.storage = storage }")],
        ]))]
    }
}
