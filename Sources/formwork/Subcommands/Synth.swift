import ArgumentParser
import Formwork
import FormworkRules

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Compile the repository's Formwork app: its systems into templates/<name>/.",
        discussion: """
        The app is the repository's own program of typed stacks: `check: app: COMMAND` in \
        the root's .formwork.yml, or an executable target whose @main type conforms to \
        FormworkApp (run with `swift run TARGET`). `formwork synth` runs its `synth` verb \
        with the systems and options given (`--list` its `list`). Each system's templates go \
        through the validation pass under the system's profile; any error stops synth and \
        nothing is written. Files are written atomically; the same stacks always give the \
        same bytes.

        Exit codes: the app's (0 success; 2 a validation error or a write failure); 2 the \
        app cannot be run; 64 usage error, or no app in the repository.
        """
    )

    @Argument(help: "The systems to compile (default: all; see --list).")
    var names: [String] = []

    @Flag(help: "Compile every system (the default when none is named).")
    var all = false

    @Flag(help: "List the app's systems and exit.")
    var list = false

    @OptionGroup var output: SynthOptions

    @Option(help: "The command that runs the app (default: from .formwork.yml or Package.swift).")
    var app: String?

    @Option(help: "The repository (default: the current folder).")
    var directory = "."

    func validate() throws {
        if all && !names.isEmpty { throw ValidationError("give system names or --all, not both") }
    }

    func run() throws {
        let command: String
        if let app {
            command = app
        } else {
            switch RepositoryCheck.appCommand(in: directory, profiles: .builtInWithChangeRules) {
            case .failure(let errors):
                Output.report(errors.diagnostics)
                throw ExitCode(2)
            case .success(let found?):
                command = found
            case .success(nil):
                throw ValidationError("\(directory) has no Formwork app: name one with --app COMMAND or `check: app:` in .formwork.yml, or add an executable target whose @main type conforms to FormworkApp")
            }
        }
        var verb = list ? ["list"] : ["synth"] + names
        if !list {
            if let out = output.out { verb += ["--out", out] }
            if let format = output.format { verb += ["--format", format.rawValue] }
        }
        let code = AppProcess.run(command, verb, in: directory)
        if code != 0 { throw ExitCode(code) }
    }
}
