public enum ModelWriter { public static func render(source: RegistrySource, patches: SchemaPatches, typesFile: String) throws -> [GeneratedFile] { [] } }
