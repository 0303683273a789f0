#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FormworkCore
import FormworkDiff
import FormworkRuleKit
import FormworkRules
import FormworkSchemaData
import FormworkTemplate

/// A team's stacks as a program: conform one type and mark it `@main`.
///
/// ```swift
/// @main struct Infra: FormworkApp {
///     var systems: [System] { [System(name: "orders", profile: .ephemeral, file: "OrdersDB") { ordersStack() }] }
/// }
/// ```
///
/// `swift run Infra synth` writes `templates/orders/OrdersDB.yml` and `.json`; `check`,
/// `diff`, `lint` and `list` do the rest (`swift run Infra help`).
public protocol FormworkApp {
    /// The app is made once per run of a verb.
    init()
    /// The systems this app compiles, each into its own folder of the output.
    var systems: [System] { get }
    /// The profiles templates may name (besides `ephemeral`, `structural`, `production`): by
    /// default the systems' own.
    var profiles: [Profile] { get }
    /// Where `synth` writes and `check` and `lint` look: `templates` unless the app says.
    var outputFolder: String { get }
    /// The name `help` prints.
    var commandName: String { get }
    /// The team's own rules, run with the built-in ones by `synth` (under each system's
    /// profile), `lint` and `check` (under every profile): none unless the app says.
    var rules: [any Rule] { get }
}

extension FormworkApp {
    /// The systems' own profiles.
    public var profiles: [Profile] { systems.map(\.profile) }
    /// `templates`, beside `Package.swift`.
    public var outputFolder: String { "templates" }
    /// The app type's name (`Infra`), as `swift run Infra` is typed.
    public var commandName: String { String(describing: Self.self) }
    /// No rules of the team's own: the built-in ones only.
    public var rules: [any Rule] { [] }

    /// The entry point `@main` calls: runs the verb in the command line and exits with its code.
    public static func main() {
        let code = AppRunner(Self()).run(Array(CommandLine.arguments.dropFirst()))
        exit(code)
    }
}

/// The verbs of a `FormworkApp`: `synth`, `check`, `diff`, `lint`, `list`. The `formwork`
/// command's `synth` and `check` are this runner over the reference systems.
package struct AppRunner {
    package let systems: [System]
    package let catalogue: ProfileCatalogue
    /// The app's own profiles (what `profiles` prints).
    package let ownProfiles: [Profile]
    package let outputFolder: String
    package let commandName: String
    /// Written into SARIF reports.
    package var version = FormworkVersion.current
    /// What `check` tells the user to run when a compiled file is stale.
    package var synthCommand: String

    /// What is wrong with the app's own rules (an id outside a team namespace, two of one
    /// id): every verb refuses to run then.
    package let ruleProblem: String?

    /// The problems of the nearest `.formwork.yml` (its data rules join the app's own).
    package let configurationProblems: [Diagnostic]

    package init(_ app: some FormworkApp) {
        var teamRules = app.rules.map { TeamRule(type(of: $0)) }
        ruleProblem = TeamRuleIDs.problem(with: teamRules.map(\.description))
        // The repository's data rules (`rules: custom:` of the nearest .formwork.yml) run in
        // synth too, so that a finding stops a compile where lint would report it.
        let profiles = ProfileCatalogue.builtInWithChangeRules.adding(app.profiles)
        var problems: [Diagnostic] = []
        if let path = ConfigurationFile.locate(inOrAbove: FileIO.absolutePath(".")) {
            switch ConfigurationFile.load(path, profiles: profiles) {
            case .success(let file): teamRules += file.teamRules
            case .failure(let errors): problems = errors.diagnostics
            }
        }
        configurationProblems = problems
        systems = app.systems.map { system in
            var withRules = system
            withRules.profile.add(teamRules)
            return withRules
        }
        catalogue = profiles.adding(rules: teamRules)
        ownProfiles = app.profiles
        outputFolder = app.outputFolder
        commandName = app.commandName
        synthCommand = "swift run \(app.commandName) synth"
    }

    /// Exit codes: 0 success; 1 `check` or `diff` found something; 2 a compile or input
    /// error (nothing written); lint's bitmask for `lint`; 64 a usage error.
    package func run(_ arguments: [String]) -> Int32 {
        func named(_ text: String) -> String { text.replacingOccurrences(of: AppCommand.placeholderName, with: commandName) }
        // `help VERB` is `VERB --help`, so that the verb's own help is printed under the app's name.
        let arguments = arguments.first == "help" ? Array(arguments.dropFirst()) + ["--help"] : arguments
        guard !arguments.isEmpty else {
            Output.error(named(AppCommand.helpMessage()))
            return 64
        }
        if let ruleProblem {
            Output.error("\(commandName): error: \(ruleProblem) [RL-02]")
            return 64
        }
        if !configurationProblems.isEmpty {
            Output.report(configurationProblems)
            return 2
        }
        do {
            var command = try AppCommand.parseAsRoot(arguments)
            if let verb = command as? any AppVerb { return verb.run(self) }
            // Help comes back as a command whose `run` throws the help request.
            try command.run()
            Output.error(named(AppCommand.helpMessage()))
            return 64
        } catch {
            let code = AppCommand.exitCode(for: error)
            // What the user typed comes back in the message: escaped line by line, as every
            // printed name is, so that it cannot forge an annotation or reach the terminal raw.
            let message = named(AppCommand.fullMessage(for: error)).split(separator: "\n", omittingEmptySubsequences: false)
                .map { String($0).printable }.joined(separator: "\n")
            if code == .success { Output.line(message) } else { Output.error(message) }
            return code.rawValue
        }
    }

    // MARK: verbs

    /// Compiles the named systems (all when none), prints errors or warnings.
    package func compile(_ names: [String], format: Synthesizer.Format) -> (results: [Synthesizer.Result], code: Int32?) {
        var chosen: [System] = []
        for name in names {
            guard let system = systems.first(where: { $0.name == name }) else {
                Output.error("\(commandName): unknown system '\(name.printable)'; known: \(systems.map(\.name).joined(separator: ", "))")
                return ([], 64)
            }
            chosen.append(system)
        }
        let results = Parallel.map(chosen.isEmpty ? systems : chosen) { Synthesizer.compile($0, format: format) }
        let errors = results.flatMap(\.errors)
        if !errors.isEmpty {
            Output.report(errors)
            Output.error("synth: \(errors.count) error\(errors.count == 1 ? "" : "s"); nothing written")
            return (results, 2)
        }
        return (results, nil)
    }

    /// `synth`: compiles, then writes atomically what changed; nothing when anything fails.
    package func synth(_ names: [String], out: String, format: Synthesizer.Format) -> Int32 {
        let (results, failed) = compile(names, format: format)
        if let failed { return failed }
        Output.report(results.flatMap(\.warnings))
        switch Synthesizer.write(results, to: out) {
        case .failure(let error):
            Output.writeFailed(out, error)
            return 2
        case .success(let written):
            let total = results.reduce(0) { $0 + $1.files.count }
            Output.line("\(results.count) system\(results.count == 1 ? "" : "s"), \(total) file\(total == 1 ? "" : "s"), \(written) written, \(total - written) unchanged")
            return 0
        }
    }

    /// `check`: every compiled file current (CK-01 names each missing or stale one), then
    /// every template of the folder lint-clean under its own profile.
    package func check(folder: String) -> Int32 {
        let (results, failed) = compile([], format: .both)
        if failed != nil { return 2 }
        var problems = false
        for (path, problem) in Synthesizer.differences(results, in: folder) {
            Output.error("\(path.printable): error: \(problem.printable); run `\(synthCommand)` [CK-01]")
            problems = true
        }
        let report = LintJob.run(paths: [folder], profile: nil, profiles: catalogue, registry: .shared)
        let findings = report.files.flatMap(\.diagnostics).filter { $0.severity != .info }
        if !findings.isEmpty {
            let files = report.files.map { LintReport.FileResult(file: $0.file, diagnostics: $0.diagnostics.filter { $0.severity != .info }) }
            Output.standardOutput(Array(LintReporters.text(LintReport(files: files.filter { !$0.diagnostics.isEmpty }, skipped: report.skipped)).utf8))
            problems = true
        }
        let compiled = results.reduce(0) { $0 + $1.files.count }
        let linted = report.files.count
        Output.line("check: \(compiled) compiled files compared, \(linted) template\(linted == 1 ? "" : "s") linted: \(problems ? "FAILED" : "clean")")
        return problems ? 1 : 0
    }

    /// `diff`: the named system's (or system file's) compiled stack against the deployed one.
    package func diff(_ target: String, deployed: DiffJob.DeployedFiles, parameters values: [String: String], format: DiffPrinter.Format, failOn: DiffFailOn) -> Int32 {
        let systemName = String(target.split(separator: "/", maxSplits: 1).first ?? "")
        let (results, failed) = compile([systemName], format: .yaml)
        if let failed { return failed }
        let templates = results[0].templates
        let wanted = target.contains("/") ? String(target[target.index(after: target.firstIndex(of: "/")!)...]) : nil
        guard let chosen = wanted.map({ name in templates.first { $0.file == name } }) ?? (templates.count == 1 ? templates.first : nil) else {
            Output.error("\(commandName) diff: \(systemName) has \(templates.count) stacks; name one: \(templates.map { "\(systemName)/\($0.file)" }.joined(separator: ", "))")
            return 64
        }
        do throws(DiffInputError) {
            let report = try DiffJob.run(local: chosen.template, localFile: "\(outputFolder)/\(systemName)/\(chosen.file).yml", deployed: deployed,
                                         localParameters: values, registry: .shared)
            return DiffPrinter.print(report, format: format, failOn: failOn)
        } catch {
            Output.report(error.diagnostics)
            return 2
        }
    }

    /// `lint`: the paths (default the output folder) under the app's profiles.
    package func lint(_ paths: [String], profile: String?, format: LintPrinter.Format, failOn: FailOn) -> Int32 {
        if let profile, catalogue.named(profile) == nil {
            Output.error("\(commandName) lint: unknown profile '\(profile.printable)'; known: \(catalogue.names.joined(separator: ", "))")
            return 64
        }
        let report = LintJob.run(paths: paths.isEmpty ? [outputFolder] : paths, profile: profile, profiles: catalogue, registry: .shared)
        return LintPrinter.print(report, format: format, failOn: failOn, version: version)
    }

    package func profiles() -> Int32 {
        var unique: [Profile] = []
        for profile in ownProfiles where !unique.contains(where: { $0.name == profile.name }) { unique.append(profile) }
        do {
            Output.standardOutput(try YAMLWriter.write(ConfigurationFile.document(profiles: unique)))
            return 0
        } catch {
            Output.error("\(commandName) profiles: the profiles cannot be written as YAML")
            return 2
        }
    }

    package func list() -> Int32 {
        for system in systems {
            let regions = system.deployment.map { $0.stacks.map(\.region).joined(separator: ", ") } ?? "single region"
            Output.line("\(padded(system.name, 16))profile \(padded(system.profile.name, 16))\(regions)\n    \(system.summary)")
        }
        return 0
    }

    private func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
