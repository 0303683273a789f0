import ArgumentParser
import Formwork
import FormworkTemplate
import ReferenceSystems

extension Synthesizer.Format: ExpressibleByArgument {}

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile the built-in reference systems into templates/<name>/.",
        discussion: """
        Each system's templates go through the validation pass under the system's profile \
        (the rules `formwork lint` runs). Any error stops synth: the diagnostics are printed \
        and nothing is written. Files are written atomically; the same stacks always give \
        the same bytes. A single-region system gives TapStack.yml and TapStack.json; a \
        multi-region one gives TapStack.<region>.yml/.json per region and manifest.json.

        Exit codes: 0 success; 2 a validation error (nothing written) or a file could not \
        be written; 64 usage error (unknown system, no system named).
        """
    )

    @Argument(help: "The systems to compile (see --list).")
    var names: [String] = []

    @Flag(help: "Compile every built-in system.")
    var all = false

    @Flag(help: "List the built-in systems and exit.")
    var list = false

    @Option(help: "The folder to write into.")
    var out = "templates"

    @Option(help: "yaml, json or both.")
    var format: Synthesizer.Format = .both

    func validate() throws {
        if list { return }
        if names.isEmpty && !all { throw ValidationError("name a system or give --all (formwork synth --list lists them)") }
        for name in names where ReferenceSystems.named(name) == nil {
            throw ValidationError("unknown system '\(name)'; known: \(ReferenceSystems.all.map(\.name).joined(separator: ", "))")
        }
    }

    func run() throws {
        let runner = AppRunner(ReferenceSystems())
        let code = list ? runner.run(["list"]) : runner.synth(all ? [] : names, out: out, format: format)
        if code != 0 { throw ExitCode(code) }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "CI gate for a repository: every template lint-clean, every compiled template current.",
        discussion: """
        DIR (default .) is the repository. In a git work tree the files are git's (tracked, \
        and untracked but not ignored), else the folder's; `check: include:` in DIR's \
        .formwork.yml narrows them (globs, `**` spans folders). Every template among them \
        is linted under its own profile; `check: canonical: true` also requires `formwork \
        fmt` form (CK-02). When the repository has a Formwork app (`check: app: COMMAND`, \
        or an executable target whose @main type conforms to FormworkApp, run with \
        `swift run TARGET`), its own `check` runs too: a compiled template missing or \
        edited by hand fails it (CK-03). Under GITHUB_ACTIONS=true the findings are also \
        printed as workflow annotations.

        Exit codes: lint's bitmask of the findings at or above --fail-on (2 errors, \
        4 warnings, 8 informational); 0 clean; 64 usage error.
        """
    )

    @Argument(help: "The repository (default: the current folder).")
    var directory = "."

    @Option(help: "Also write the findings as SARIF to this file (for code scanning).")
    var sarif: String?

    @Option(help: "The lowest severity that counts for the exit code: error, warning, info or none.")
    var failOn: FailOn = .warning

    @Flag(inversion: .prefixedNo, help: "Print GitHub workflow annotations (default: when GITHUB_ACTIONS=true).")
    var annotations: Bool?

    func run() throws {
        var check = RepositoryCheck(root: directory, profiles: knownProfiles)
        check.failOn = failOn
        check.sarifFile = sarif
        check.version = FormworkCommand.configuration.version
        if let annotations { check.annotations = annotations }
        let code = check.run()
        if code != 0 { throw ExitCode(code) }
    }
}
