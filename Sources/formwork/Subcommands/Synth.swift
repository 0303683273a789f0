import ArgumentParser
import Formwork
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
        abstract: "CI check: every compiled template current, every template lint-clean.",
        discussion: """
        Compiles the built-in systems in memory and compares them with the folder: a file \
        that is missing or differs from what `formwork synth --all` would write fails the \
        check, by name. Then lints every template in the folder under its own profile: an \
        error or warning fails the check (suppressions in the template with a reason count \
        as clean).

        Exit codes: 0 clean; 1 a compiled template is missing or out of date, or a template \
        has findings; 2 a built-in system does not compile; 64 usage error.
        """
    )

    @Option(help: "The folder synth writes into.")
    var templates = "templates"

    func run() throws {
        var runner = AppRunner(ReferenceSystems())
        runner.synthCommand = "formwork synth --all"
        let code = runner.check(folder: templates)
        if code != 0 { throw ExitCode(code) }
    }
}
