import ArgumentParser
import Formwork
import FormworkCodegen
import FormworkImport
import FormworkRules
import FormworkSchemaData
import FormworkTemplate

#if canImport(Glibc)
import Glibc
#endif

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn templates written by hand into a Swift package of typed stacks.",
        discussion: """
        Writes a package (Package.swift, an app, one Swift file per template) whose \
        `swift run NAME synth` writes the templates back: resources as typed models, value-set \
        members, handles' refs and attribute accessors, typed parameters, conditions, mappings \
        and outputs. What has no typed form goes through the documented escapes and is listed \
        (IM-01, info, at the template's line); the input is linted under the structural \
        profile as it is read. --round-trip then builds the package, synthesizes it and \
        compares each template with its input (IM-03 at each difference). See docs/import.md.

        The package depends on the Formwork checkout --formwork names (default: the one this \
        binary was built in) by a relative path, or on a release with --formwork-url and \
        --formwork-from; the checkout's generator inputs give the models' value sets.

        Exit codes: 0 written (and the same content with --round-trip); 1 a round trip \
        differs or the package did not build; 2 a template cannot be read or the package \
        cannot be written: nothing is written; 64 usage error.
        """
    )

    @Argument(help: "Templates (YAML or JSON).")
    var templates: [String]

    @Option(help: "The package's folder.")
    var out = "imported"

    @Option(help: "The package's name (default: the folder's name); its app is the same in UpperCamelCase.")
    var package: String?

    @Option(help: "The name of the system that holds the stacks (the folder synth writes them to).")
    var system = "imported"

    @Option(help: "The Formwork checkout to depend on and read the models' value sets from.")
    var formwork: String?

    @Option(help: "Depend on a Formwork release at this git URL instead of the checkout's path.")
    var formworkURL: String?

    @Option(help: "The release version to depend on from --formwork-url.")
    var formworkFrom = "1.0.0"

    @Flag(help: "Build the package, synthesize it, and compare every template with its input.")
    var roundTrip = false

    @Option(help: "Write nothing: compare each template with what the package synthesized into this folder (`synth --out DIR`).")
    var compareWith: String?

    func validate() throws {
        if templates.isEmpty { throw ValidationError("give at least one template") }
        if system.isEmpty || !system.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            throw ValidationError("--system takes letters, digits, - and _")
        }
    }

    func run() throws {
        var inputs: [ImportJob.Input] = []
        var failed = false
        let linter = Linter(registry: .shared)
        for path in templates {
            let read = TemplateReader.read(path: path)
            guard let template = read.template, read.diagnostics.allSatisfy({ $0.severity != .error }) else {
                Output.report(read.diagnostics)
                failed = true
                continue
            }
            let findings = linter.lint(template, file: path, configuration: .structural)
            Output.report(read.diagnostics + findings)
            let broken = ImportedChecks.broken(template, structuralFindings: findings)
            inputs.append(ImportJob.Input(path: path, template: template, brokenRules: broken))
        }
        if failed { throw ExitCode(2) }
        guard let checkout = formwork.map(FileIO.absolutePath) ?? Self.builtCheckout() else {
            Output.error("error: no Formwork checkout found beside this binary: name one with --formwork [IM-04]")
            throw ExitCode(2)
        }
        let enums: ModelWriter.ExtensionEnums
        do {
            enums = try ModelWriter.ExtensionEnums(repositoryRoot: checkout)
        } catch {
            Output.error("\(checkout.printable): error: not a Formwork checkout: \(error) [IM-04]")
            throw ExitCode(2)
        }
        let folder = FileIO.absolutePath(out)
        let name = package ?? String(folder.split(separator: "/").last ?? "imported")
        let dependency: ImportJob.Dependency
        let identity: String
        if let formworkURL {
            dependency = .release(url: formworkURL, from: formworkFrom)
            identity = Self.identity(String(formworkURL.split(separator: "/").last ?? "formwork"))
        } else {
            dependency = .path(Self.relativePath(from: folder, to: checkout))
            identity = Self.identity(String(checkout.split(separator: "/").last ?? "formwork"))
        }
        let job = ImportJob(inputs: inputs, packageName: name, systemName: system, dependency: dependency, dependencyIdentity: identity)
        let outcome = job.run(extensionEnums: enums, registry: .shared)
        if let compareWith {
            try compare(inputs, outcome.stackFiles, synthesized: compareWith)
            return
        }
        Output.report(outcome.notes)
        for file in outcome.files {
            let path = folder + "/" + file.path
            let parent = String(path[..<path.lastIndex(of: "/")!])
            var problem: FileIO.Failure?
            if case .failure(let error) = FileIO.makeDirectories(parent) { problem = error }
            if problem == nil, case .failure(let error) = FileIO.writeAtomically(Array(file.contents.utf8), to: path) { problem = error }
            if let problem {
                Output.writeFailed(path, problem)
                throw ExitCode(2)
            }
        }
        let escapes = outcome.notes.filter { $0.ruleID == ImportDiagnosticID.notTyped }.count
        Output.line("imported \(inputs.count) template\(inputs.count == 1 ? "" : "s") into \(out.printable) (\(outcome.files.count) files; \(escapes) value\(escapes == 1 ? "" : "s") through escapes, listed above as IM-01): swift run \(outcome.executable) synth")
        if roundTrip {
            try verify(folder: folder, outcome: outcome, inputs: inputs)
        }
    }

    /// Builds and synthesizes the package, then compares each template with its input.
    private func verify(folder: String, outcome: ImportJob.Outcome, inputs: [ImportJob.Input]) throws {
        // The dependency's manifest declares every service only without FORMWORK_MODELS=used.
        let swift = "env -u FORMWORK_MODELS swift"
        let synthesized = folder + "/.build/formwork-import"
        guard AppProcess.run(swift, ["build", "--product", outcome.executable], in: folder) == 0 else {
            Output.error("\(out.printable): error: the imported package did not build [IM-03]")
            throw ExitCode(1)
        }
        guard AppProcess.run(swift, ["run", "--skip-build", outcome.executable, "synth", "--out", synthesized, "--format", "yaml"], in: folder) == 0 else {
            Output.error("\(out.printable): error: the imported package did not synthesize [IM-03]")
            throw ExitCode(1)
        }
        try compare(inputs, outcome.stackFiles, synthesized: synthesized)
    }

    /// Compares each input with the template synthesized from it under `synthesized`.
    private func compare(_ inputs: [ImportJob.Input], _ stackFiles: [String], synthesized: String) throws {
        var differing = 0
        for (input, file) in zip(inputs, stackFiles) {
            let path = "\(synthesized)/\(system)/\(file).yml"
            let read = TemplateReader.read(path: path)
            guard let template = read.template else {
                Output.report(read.diagnostics)
                differing += 1
                continue
            }
            let differences = RoundTrip.differences(original: input.template, synthesized: template)
            if !differences.isEmpty {
                differing += 1
                for difference in differences {
                    Output.error("\(input.path.printable): error: the synthesized template differs at \(difference) [IM-03]")
                }
            }
        }
        Output.line("round trip: \(inputs.count - differing) of \(inputs.count) template\(inputs.count == 1 ? "" : "s") synthesized with the same content")
        if differing > 0 { throw ExitCode(1) }
    }

    /// The checkout this binary was built in (`<checkout>/.build/<config>/formwork`).
    static func builtCheckout() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        var path = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        while let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            path = String(path[..<slash])
            if FileIO.exists(path + "/" + CodegenInputs.extensionEnums) && FileIO.exists(path + "/Package.swift") { return path }
        }
        return nil
    }

    /// SwiftPM's identity of a package at a path or URL: its last component, lowercased,
    /// without `.git`.
    static func identity(_ component: String) -> String {
        (component.hasSuffix(".git") ? String(component.dropLast(4)) : component).lowercased()
    }

    /// `to` relative to the folder `from` (both absolute).
    static func relativePath(from: String, to: String) -> String {
        let source = from.split(separator: "/"), target = to.split(separator: "/")
        var common = 0
        while common < source.count, common < target.count, source[common] == target[common] { common += 1 }
        let up = Array(repeating: "..", count: source.count - common)
        let path = (up + target[common...].map(String.init)).joined(separator: "/")
        return path.isEmpty ? "." : path
    }
}
