/// A closed set cfn-lint's extension schemas give a property: its values and the file.
typealias ExtensionSet = (values: [String], file: String)

extension ModelWriter {
    /// cfn-lint's closed sets for properties the registry leaves open, by type and property
    /// (codegen/extension_enums.py, vendored).
    public struct ExtensionEnums: Sendable {
        var sets: [String: [String: ExtensionSet]] = [:]
        public var version = ""

        public init() {}

        public init(repositoryRoot: String) throws {
            let root = try CodegenInputs.read(CodegenInputs.extensionEnums, repositoryRoot: repositoryRoot)
            guard let types = root["types"]?.objectValue else {
                throw RegistrySource.Failure(description: "\(CodegenInputs.extensionEnums) lacks its types")
            }
            version = root["cfnLint"]?.stringValue ?? ""
            for type in types.entries {
                for property in type.value.objectValue?.entries ?? [] {
                    let values = property.value["values"]?.arrayValue?.compactMap(\.stringValue) ?? []
                    sets[type.key, default: [:]][property.key] = (values, property.value["file"]?.stringValue ?? "")
                }
            }
        }
    }
}
