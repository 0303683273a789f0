import FormworkCodegen
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate

/// The typed model of each registry type a template uses: its module and what the generator
/// named in it (`ModelFacts`, from the generator's own builder over the embedded registry and
/// the value sets vendored in the Formwork checkout the package depends on).
final class ModelLookup {
    struct Model {
        var module: String
        var facts: ModelFacts
    }

    private let registry: SchemaRegistry
    private let extensionEnums: ModelWriter.ExtensionEnums
    private var cache: [String: Model?] = [:]
    private static let catalogue: [String: ModelCatalogue.Entry] = Dictionary(ModelCatalogue.entries.map { ($0.typeName, $0) }, uniquingKeysWith: { first, _ in first })

    init(registry: SchemaRegistry, extensionEnums: ModelWriter.ExtensionEnums) {
        self.registry = registry
        self.extensionEnums = extensionEnums
    }

    /// The model of `typeName`, or nil when the registry has none (custom resources, modules,
    /// SAM, types newer than the registry).
    func model(_ typeName: String) -> Model? {
        if let known = cache[typeName] { return known }
        var found: Model?
        if let entry = Self.catalogue[typeName], let schema = registry.schema(for: typeName) {
            let parts = entry.swiftName.split(separator: ".", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                let attributes = registry.summary(for: typeName)?.attributes ?? schema.attributes.map(\.name)
                found = Model(module: entry.module, facts: ModelFacts(schema: schema, service: parts[0], name: parts[1],
                                                                      extensionEnums: extensionEnums, attributeNames: attributes))
            }
        }
        cache[typeName] = found
        return found
    }
}
