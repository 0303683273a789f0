import ArgumentParser
import FormworkRules
import FormworkSchemaData
import FormworkStacks
import FormworkTemplate

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
        for name in names where ReferenceSystem.named(name) == nil {
            throw ValidationError("unknown system '\(name)'; known: \(ReferenceSystem.all.map(\.name).joined(separator: ", "))")
        }
    }

    func run() throws {
        if list {
            for system in ReferenceSystem.all {
                let regions = system.deployment.map { $0.stacks.map(\.region).joined(separator: ", ") } ?? "single region"
                Output.line("\(padded(system.name, 16))profile \(padded(system.profile, 16))\(regions)\n    \(system.summary)")
            }
            return
        }
        let systems = all ? ReferenceSystem.all : names.compactMap(ReferenceSystem.named)
        let results = Parallel.map(systems) { Synthesizer.compile($0, format: format) }
        let errors = results.flatMap(\.errors)
        if !errors.isEmpty {
            Output.report(errors)
            Output.error("synth: \(errors.count) error\(errors.count == 1 ? "" : "s"); nothing written")
            throw ExitCode(2)
        }
        Output.report(results.flatMap(\.warnings))
        var written = 0
        for result in results {
            for file in result.files {
                let path = "\(out)/\(file.path)"
                let folder = String(path[..<path.lastIndex(of: "/")!])
                if case .failure(let error) = FileIO.makeDirectories(folder) {
                    Output.error("\(folder): error: \(error.message) [PS-00]")
                    throw ExitCode(2)
                }
                if case .success(let current) = FileIO.read(path), current == file.bytes { continue }
                if case .failure(let error) = FileIO.writeAtomically(file.bytes, to: path) {
                    Output.error("\(path): error: \(error.message) [PS-00]")
                    throw ExitCode(2)
                }
                written += 1
            }
        }
        let total = results.reduce(0) { $0 + $1.files.count }
        Output.line("\(systems.count) system\(systems.count == 1 ? "" : "s"), \(total) files, \(written) written, \(total - written) unchanged")
    }
}

private func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
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
        let results = Parallel.map(ReferenceSystem.all) { Synthesizer.compile($0, format: .both) }
        let errors = results.flatMap(\.errors)
        if !errors.isEmpty {
            Output.report(errors)
            throw ExitCode(2)
        }
        var failed = false
        for (path, problem) in Synthesizer.differences(results, in: templates) {
            Output.error("\(path): error: \(problem); run `formwork synth --all` [CK-01]")
            failed = true
        }
        let report = LintJob.run(paths: [templates], profile: nil, registry: .shared)
        let findings = report.diagnostics.filter { $0.severity != .info }
        if !findings.isEmpty {
            Output.standardOutput(Array(LintReporters.text(LintReport(files: [LintReport.FileResult(file: templates, diagnostics: findings)], skipped: 0)).utf8))
            failed = true
        }
        let compiled = results.reduce(0) { $0 + $1.files.count }
        let linted = report.files.count
        Output.line("check: \(compiled) compiled files compared, \(linted) template\(linted == 1 ? "" : "s") linted: \(failed ? "FAILED" : "clean")")
        if failed { throw ExitCode(1) }
    }
}
