/// Everything `formwork-codegen` writes, as (repository-relative path, contents).
public struct GeneratedFile: Sendable {
    public var path: String
    public var contents: String
}

/// Generates every file from the inputs vendored under `codegen/` (nothing outside the
/// repository is read).
public struct Generator {
    public static let registryDataPath = "Sources/FormworkSchemaData/RegistryData.swift"
    public static let patchesPath = "codegen/schema-patches.json"
    /// The manifest, whose `services` list the generator keeps.
    public static let manifestPath = "Package.swift"
    /// The User Guide's update behaviours, vendored from ../shared/data.
    public static let updateBehaviourSource = CodegenInputs.updateBehaviour

    public let repositoryRoot: String

    public init(repositoryRoot: String) {
        self.repositoryRoot = repositoryRoot
    }

    public func generate() throws -> [GeneratedFile] {
        let source = try RegistrySource(repositoryRoot: repositoryRoot)
        let patches = try SchemaPatches(path: repositoryRoot + "/" + Self.patchesPath)
        let getAttNames = try RegistrySource.getAttNames(repositoryRoot: repositoryRoot)
        var files = [GeneratedFile(path: Self.registryDataPath, contents: try RegistryDataWriter.render(source, patches: patches, getAttNames: getAttNames))]
        files += try ModelWriter.render(source: source, patches: patches, extensionEnums: try ModelWriter.ExtensionEnums(repositoryRoot: repositoryRoot),
                                        attributeNames: getAttNames, updates: try ModelWriter.UpdateNotes(repositoryRoot: repositoryRoot),
                                        manifest: (Self.manifestPath, try RegistrySource.text(repositoryRoot + "/" + Self.manifestPath)))
        files.append(try UpdateBehaviourWriter.render(jsonPath: repositoryRoot + "/" + Self.updateBehaviourSource))
        files.append(try ExtensionSchemaWriter.render(repositoryRoot: repositoryRoot))
        files.append(try IAMActionWriter.render(repositoryRoot: repositoryRoot))
        files.append(try IAMActionWriter.renderConstants(repositoryRoot: repositoryRoot))
        files.append(try SAMPolicyTemplateWriter.render(repositoryRoot: repositoryRoot))
        files.append(try SAMSchemaWriter.render(repositoryRoot: repositoryRoot))
        return files
    }
}
