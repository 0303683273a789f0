/// A model's stored properties and initializers: the properties live in one `PropertyStorage`
/// (the generated code stays small for the compiler), each typed accessor reads and writes it.
extension TypeModel {
    /// `propertyOrder`, the storage, and one documented accessor per member; `owner` is the
    /// nested type they belong to (nil: the resource's own), for their documentation.
    func storedProperties(_ members: [Member], owner: NestedType?) -> [SwiftSyntax] {
        var out: [SwiftSyntax] = [
            .line("public static let propertyOrder: [String] = [\(members.map { SwiftSyntax.literal($0.jsonName) }.joined(separator: ", "))]"),
            .line("public var storage: PropertyStorage"),
        ]
        for member in members {
            let key = SwiftSyntax.literal(member.jsonName)
            let (get, set) = member.type.accessors
            out.append(ModelDocumentation.member(member, owner: owner, of: self))
            out.append(.line("public var \(member.swiftName): \(member.type.declaration)? { get { storage.\(get)(\(key)) } set { storage.\(set)(\(key), newValue) } }"))
        }
        return out
    }

    /// The required properties as arguments, then a closure that sets the others in any order.
    func initialiser(_ members: [Member]) -> [SwiftSyntax] {
        let required = members.filter(\.required)
        var closure = "configure"
        while required.contains(where: { $0.swiftName == closure }) { closure += "_" }
        let parameters = required.map { "\($0.swiftName): \($0.type.declaration)" } + ["_ \(closure): (inout Self) -> Void = { _ in }"]
        let body: [SwiftSyntax] = [.line("storage = PropertyStorage()")]
            + required.map { .line("self.\($0.swiftName) = \($0.swiftName)") }
            + [.line("\(closure)(&self)")]
        return (required.isEmpty ? [] : [ModelDocumentation.initialiser(closure: closure)])
            + [.block("public init(\(parameters.joined(separator: ", ")))", body)]
    }
}
