import FormworkSchema

/// How the models name their types: the resource type, its nested property types and value
/// sets. Type names within one model are unique: a name Swift, the core or the model already
/// uses takes a suffix (`Property` for a property type, `Value` for a value set), then a
/// counter. Members (properties, attributes, values) are named by `SwiftNames.members(_:in:)`.
struct ModelNaming {
    /// Names the core, Swift and the model's own protocols use: a nested type never shadows them.
    static let reservedTypeNames: Set<String> = [
        "Value", "String", "Int", "Double", "Bool", "JSON", "Type", "Protocol", "Self", "Any", "Array", "Void",
        "Dictionary", "Optional", "Condition", "Parameter", "Mapping", "ResourceHandle", "Node", "ObjectMap",
        "Tags", "Error", "Sendable", "Set", "Character", "Data", "Date", "ExtraProperties", "SchemaEnum",
        "PropertyObject", "ResourceProperties", "TagProtocol", "LiteralProblem", "RawResource", "Stack", "Pseudo",
    ]

    /// The type names taken in the model being written.
    private var taken: Set<String>

    /// For the model `name` of `service`, which its nested types may not repeat.
    init(model name: String, service: String) {
        taken = [name, service]
    }

    /// A resource type's Swift name: its own, unless Swift reserves it (`AWS::Cassandra::Type`
    /// is `Cassandra.TypeResource`).
    static func swiftName(ofType type: String) -> String {
        ["Type", "Protocol", "Self", "Any"].contains(type) ? type + "Resource" : type
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

    /// A new nested type's name from `proposal`: `suffix` added when the name is reserved or
    /// taken, then a counter while it is still taken.
    mutating func newTypeName(for proposal: String, suffix: String) -> String {
        var candidate = Self.typeName(proposal)
        if Self.reservedTypeNames.contains(candidate) || taken.contains(candidate) {
            candidate += suffix
        }
        var unique = candidate
        var counter = 2
        while taken.contains(unique) {
            unique = candidate + String(counter)
            counter += 1
        }
        taken.insert(unique)
        return unique
    }
}
