import FormworkCodegen
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate

/// `formwork import`: templates written by hand become a Swift package of typed stacks that
/// synthesizes them back. One `FormworkApp` with one system holding one stack per template,
/// written with the typed models; what has no typed form goes through the documented escapes
/// and is reported (`IM-01`), never dropped.
package struct ImportJob {
    /// One template to import: its path as given and its parsed form.
    package struct Input {
        package var path: String
        package var template: Template
        /// The structural rules the template broke when it was linted at import: the app
        /// reports them as warnings, so that synth writes the template as it was.
        package var brokenRules: Set<RuleID>

        package init(path: String, template: Template, brokenRules: Set<RuleID> = []) {
            self.path = path
            self.template = template
            self.brokenRules = brokenRules
        }
    }

    /// Where the package's Formwork dependency comes from.
    package enum Dependency {
        /// A checkout, by path (relative paths are relative to the package's folder).
        case path(String)
        /// A release: a git URL and the version to start from.
        case release(url: String, from: String)
    }

    package var inputs: [Input]
    /// The package's name; its executable target is the same in UpperCamelCase.
    package var packageName: String
    package var systemName: String
    package var dependency: Dependency
    /// The package identity of the dependency (a path checkout's folder name, lowercased).
    package var dependencyIdentity: String

    package init(inputs: [Input], packageName: String, systemName: String, dependency: Dependency, dependencyIdentity: String) {
        self.inputs = inputs
        self.packageName = packageName
        self.systemName = systemName
        self.dependency = dependency
        self.dependencyIdentity = dependencyIdentity
    }

    /// What an import writes and says.
    package struct Outcome {
        /// (path relative to the package's folder, contents), in a fixed order.
        package var files: [(path: String, contents: String)]
        /// What went through an escape (`IM-01`, info): every value has a Swift form, if only
        /// a JSON literal.
        package var notes: [Diagnostic]
        /// The executable target (what `swift run` takes).
        package var executable: String
        /// Each input's system-relative file name (without extension), in input order.
        package var stackFiles: [String]
        /// Each input's stack function, in input order.
        package var functions: [String]
    }

    /// The package, built from `extensionEnums` (the value sets of the checkout's generator
    /// inputs) and the embedded registry.
    package func run(extensionEnums: ModelWriter.ExtensionEnums, registry: SchemaRegistry) -> Outcome {
        let models = ModelLookup(registry: registry, extensionEnums: extensionEnums)
        let executable = Self.typeName(packageName)
        var takenFunctions: Set<String> = ["stack", "main"]
        var takenFiles: Set<String> = ["App"]
        var files: [(String, String)] = []
        var notes: [Diagnostic] = []
        var modules: Set<String> = []
        var stacks: [(file: String, function: String)] = []
        for input in inputs {
            let base = Self.baseName(input.path)
            var function = SwiftNames.property(Self.upperCamel(base))
            if function.hasPrefix("`") || function == "value" && base.isEmpty { function = "template" }
            if function.first?.isLetter != true { function = "stack" + function.filter { $0 != "_" } }
            var unique = function
            var counter = 2
            while takenFunctions.contains(unique) { unique = function + String(counter); counter += 1 }
            takenFunctions.insert(unique)
            var fileName = base.isEmpty ? "template" : base
            var fileUnique = fileName
            counter = 2
            while takenFiles.contains(fileUnique) { fileUnique = fileName + "-" + String(counter); counter += 1 }
            fileName = fileUnique
            takenFiles.insert(fileName)
            let comments = TemplateComments(source: input.template.source)
            var writer = StackWriter(template: input.template, comments: comments, file: input.path, functionName: unique, models: models)
            var body = writer.write()
            // Parameters take the Swift type their uses take, where that leaves fewer escapes.
            let preferred = writer.preferredTypes()
            if !preferred.isEmpty {
                var retyped = StackWriter(template: input.template, comments: comments, file: input.path, functionName: unique, models: models)
                retyped.parameterTypes = preferred
                let other = retyped.write()
                if retyped.notes.count < writer.notes.count { (writer, body) = (retyped, other) }
            }
            notes += writer.notes
            modules.formUnion(writer.modules)
            let imports = (["Formwork"] + writer.modules.sorted()).map { "import \($0)" }.joined(separator: "\n")
            files.append(("Sources/\(executable)/\(Self.typeName(unique)).swift", "// Imported by `formwork import` from \(Self.baseName(input.path, keepExtension: true)).\n\(imports)\n\n\(body)"))
            stacks.append((fileName, unique))
        }
        files.insert(("Package.swift", manifest(executable: executable, modules: modules.sorted())), at: 0)
        let broken = inputs.reduce(into: Set<RuleID>()) { $0.formUnion($1.brokenRules) }.sorted()
        files.insert(("Sources/\(executable)/App.swift", app(executable: executable, stacks: stacks, brokenRules: broken)), at: 1)
        return Outcome(files: files, notes: notes, executable: executable, stackFiles: stacks.map(\.file), functions: stacks.map(\.function))
    }

    private func manifest(executable: String, modules: [String]) -> String {
        let dependency: String
        switch self.dependency {
        case .path(let path): dependency = ".package(path: \(SwiftSpelling.string(path)))"
        case .release(let url, let version): dependency = ".package(url: \(SwiftSpelling.string(url)), from: \(SwiftSpelling.string(version)))"
        }
        let products = (["Formwork"] + modules).map { "                .product(name: \"\($0)\", package: \(SwiftSpelling.string(dependencyIdentity))),\n" }.joined()
        return """
        // swift-tools-version:6.0
        // Written by `formwork import`: the templates' stacks as typed Swift. `swift run \(executable) synth`
        // writes them back under templates/\(systemName)/.
        import PackageDescription

        let package = Package(
            name: \(SwiftSpelling.string(packageName)),
            platforms: [.macOS(.v13)],
            dependencies: [
                \(dependency),
            ],
            targets: [
                .executableTarget(
                    name: \(SwiftSpelling.string(executable)),
                    dependencies: [
        \(products)            ]
                ),
            ]
        )

        """
    }

    private func app(executable: String, stacks: [(file: String, function: String)], brokenRules: [RuleID]) -> String {
        let entries = stacks.map { "                AppStack(file: \(SwiftSpelling.string($0.file)), stack: \($0.function)()),\n" }.joined()
        let profile: String
        if brokenRules.isEmpty {
            profile = """
                /// The structural checks, as the templates were imported; add the team's conventions here.
                static let profile = Profile(name: "imported", basedOn: .structural)
            """
        } else {
            let overrides = brokenRules.map { "\(SwiftSpelling.string($0.rawValue)): .warning" }
            profile = """
                /// The structural checks, as the templates were imported; add the team's conventions here.
                /// The rules the templates broke when imported report as warnings, so that synth writes
                /// them as they were: fix what they find, then remove the override.
                static let profile: Profile = {
                    var profile = Profile(name: "imported", basedOn: .structural)
                    profile.severityOverrides = \(StackWriter.wrap(overrides, open: "[", close: "]", indent: "        "))
                    return profile
                }()
            """
        }
        return """
        // Written by `formwork import`.
        import Formwork

        /// The imported templates, one stack each: `swift run \(executable) synth` writes them to
        /// templates/\(systemName)/ (validated under the structural checks only, as imported).
        @main
        struct \(executable): FormworkApp {
            var systems: [System] {
                [System(name: \(SwiftSpelling.string(systemName)), summary: "imported by formwork import", profile: Self.profile) {
                    [
        \(entries)            ]
                }]
            }

        \(profile)
        }

        """
    }

    /// `sc-ec2-linux` -> `ScEc2Linux`: the words of a name, each capitalised.
    static func upperCamel(_ name: String) -> String {
        var result = ""
        var upper = true
        for character in name {
            guard character.isASCII, character.isLetter || character.isNumber else { upper = true; continue }
            result.append(upper ? Character(character.uppercased()) : character)
            upper = false
        }
        return result
    }

    /// `my-app` -> `MyApp`, a Swift type name.
    static func typeName(_ name: String) -> String {
        var result = upperCamel(name)
        if result.isEmpty { return "Imported" }
        if result.first!.isNumber { result = "Stack" + result }
        return SwiftNames.keywords.contains(result) || ["App", "Formwork", "Stack", "System", "Profile"].contains(result) ? result + "App" : result
    }

    /// A path's file name without its extension.
    static func baseName(_ path: String, keepExtension: Bool = false) -> String {
        let name = String(path.split(separator: "/").last ?? Substring(path))
        guard !keepExtension, let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
