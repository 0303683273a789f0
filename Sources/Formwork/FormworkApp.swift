#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FormworkCore
import FormworkDiff
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
}

extension FormworkApp {
    public var profiles: [Profile] { systems.map(\.profile) }
    public var outputFolder: String { "templates" }
    public var commandName: String { String(describing: Self.self) }

    /// The entry point `@main` calls: runs the verb in the command line and exits with its code.
    public static func main() {
        let code = AppRunner(Self()).run(Array(CommandLine.arguments.dropFirst()))
        exit(code)
    }
}

/// The verbs of a `FormworkApp`: `synth`, `check`, `diff`, `lint`, `list`. The `formwork`
/// command's `synth` and `check` are this runner over the reference systems.
public struct AppRunner {
    public let systems: [System]
    public let catalogue: ProfileCatalogue
    /// The app's own profiles (what `profiles` prints).
    public let ownProfiles: [Profile]
    public let outputFolder: String
    public let commandName: String
    /// Written into SARIF reports.
    public var version = "0.2.0"
    /// What `check` tells the user to run when a compiled file is stale.
    public var synthCommand: String

    public init(_ app: some FormworkApp) {
        systems = app.systems
        catalogue = ProfileCatalogue.builtIn.adding(app.profiles)
        ownProfiles = app.profiles
        outputFolder = app.outputFolder
        commandName = app.commandName
        synthCommand = "swift run \(app.commandName) synth"
    }

    /// Exit codes: 0 success; 1 `check` or `diff` found something; 2 a compile or input
    /// error (nothing written); lint's bitmask for `lint`; 64 a usage error.
    public func run(_ arguments: [String]) -> Int32 {
        guard let verb = arguments.first else {
            Output.error(usage)
            return 64
        }
        var options = Options(Array(arguments.dropFirst()))
        let code: Int32
        switch verb {
        case "synth": code = synth(&options)
        case "check": code = check(&options)
        case "diff": code = diff(&options)
        case "lint": code = lint(&options)
        case "list": code = options.finish() ?? list()
        case "profiles": code = options.finish() ?? profiles()
        case "help", "--help", "-h":
            Output.line(usage)
            return 0
        default:
            Output.error("\(commandName): unknown verb '\(verb.printable)'\n\n\(usage)")
            return 64
        }
        return code
    }

    public var usage: String {
        """
        usage: \(commandName) <verb> [options]

          synth [SYSTEM...] [--out DIR] [--format yaml|json|both]
                     compile the systems (all when none is named) into DIR/<system>/ (default \(outputFolder))
          check [--templates DIR]
                     fail when a compiled template is missing or stale, or a template has findings
          diff SYSTEM[/FILE] DEPLOYED.json [--stack-description F] [--resources F] [--outputs F]
               [--parameter K=V]... [--format text|json|markdown] [--fail-on any|interruption|replacement|data-loss]
                     what deploying the compiled stack over the exported one will do
          lint [PATH...] [--format text|json|sarif|github|junit] [--fail-on error|warning|info|none] [--profile NAME]
                     lint templates (default \(outputFolder)) under the app's profiles
          list       the systems, their profiles and regions
          profiles   the app's profiles as .formwork.yml settings (what `formwork check` lints the app's templates under)
        """
    }

    // MARK: verbs

    /// Compiles the named systems (all when none), prints errors or warnings.
    public func compile(_ names: [String], format: Synthesizer.Format) -> (results: [Synthesizer.Result], code: Int32?) {
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

    func synth(_ options: inout Options) -> Int32 {
        let out = options.value("--out") ?? outputFolder
        guard let format = options.enumValue("--format", Synthesizer.Format.self, default: .both) else { return 64 }
        if let code = options.finish(allowingPositional: true) { return code }
        return synth(options.positional, out: out, format: format)
    }

    /// `synth`: compiles, then writes atomically what changed; nothing when anything fails.
    public func synth(_ names: [String], out: String, format: Synthesizer.Format) -> Int32 {
        let (results, failed) = compile(names, format: format)
        if let failed { return failed }
        Output.report(results.flatMap(\.warnings))
        switch Synthesizer.write(results, to: out) {
        case .failure(let error):
            Output.writeFailed(out, error)
            return 2
        case .success(let written):
            let total = results.reduce(0) { $0 + $1.files.count }
            Output.line("\(results.count) system\(results.count == 1 ? "" : "s"), \(total) files, \(written) written, \(total - written) unchanged")
            return 0
        }
    }

    func check(_ options: inout Options) -> Int32 {
        let folder = options.value("--templates") ?? options.positionalFolder ?? outputFolder
        if let code = options.finish(allowingPositional: true, maximumPositional: 1) { return code }
        return check(folder: folder)
    }

    /// `check`: every compiled file current (CK-01 names each missing or stale one), then
    /// every template of the folder lint-clean under its own profile.
    public func check(folder: String) -> Int32 {
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

    func diff(_ options: inout Options) -> Int32 {
        let files = DiffJob.DeployedFiles(template: "", stackDescription: options.value("--stack-description"),
                                          resources: options.value("--resources"), outputs: options.value("--outputs"))
        let parameters = options.values("--parameter")
        guard let format = options.enumValue("--format", DiffPrinter.Format.self, default: .text),
              let failOn = options.enumValue("--fail-on", DiffFailOn.self, default: .any) else { return 64 }
        if let code = options.finish(allowingPositional: true, maximumPositional: 2) { return code }
        guard options.positional.count == 2 else {
            Output.error("\(commandName) diff: name a system (SYSTEM or SYSTEM/FILE) and the deployed stack's exported JSON")
            return 64
        }
        guard case .success(let values) = DiffJob.parameters(parameters) else {
            Output.error("\(commandName) diff: --parameter takes KEY=VALUE")
            return 64
        }
        let target = options.positional[0]
        let systemName = String(target.split(separator: "/", maxSplits: 1).first ?? "")
        let (results, failed) = compile([systemName], format: .yaml)
        if let failed { return failed }
        let templates = results[0].templates
        let wanted = target.contains("/") ? String(target[target.index(after: target.firstIndex(of: "/")!)...]) : nil
        guard let chosen = wanted.map({ name in templates.first { $0.file == name } }) ?? (templates.count == 1 ? templates.first : nil) else {
            Output.error("\(commandName) diff: \(systemName) has \(templates.count) stacks; name one: \(templates.map { "\(systemName)/\($0.file)" }.joined(separator: ", "))")
            return 64
        }
        var deployed = files
        deployed.template = options.positional[1]
        do throws(DiffInputError) {
            let report = try DiffJob.run(local: chosen.template, localFile: "\(outputFolder)/\(systemName)/\(chosen.file).yml", deployed: deployed,
                                         localParameters: values, registry: .shared)
            return DiffPrinter.print(report, format: format, failOn: failOn)
        } catch {
            Output.report(error.diagnostics)
            return 2
        }
    }

    func lint(_ options: inout Options) -> Int32 {
        let profile = options.value("--profile")
        guard let format = options.enumValue("--format", LintPrinter.Format.self, default: .text) else { return 64 }
        guard let failOn = options.enumValue("--fail-on", FailOn.self, default: .warning) else { return 64 }
        if let code = options.finish(allowingPositional: true) { return code }
        if let profile, catalogue.named(profile) == nil {
            Output.error("\(commandName) lint: unknown profile '\(profile.printable)'; known: \(catalogue.names.joined(separator: ", "))")
            return 64
        }
        let paths = options.positional.isEmpty ? [outputFolder] : options.positional
        let report = LintJob.run(paths: paths, profile: profile, profiles: catalogue, registry: .shared)
        return LintPrinter.print(report, format: format, failOn: failOn, version: version)
    }

    func profiles() -> Int32 {
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

    func list() -> Int32 {
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

/// A small option reader for the app verbs: `--name value` or `--name=value`, repeatable
/// where asked, and positional arguments; anything unknown is a usage error.
struct Options {
    private var arguments: [String]
    private(set) var positional: [String] = []
    private var problems: [String] = []

    init(_ arguments: [String]) {
        self.arguments = arguments
    }

    /// The last value of an option, removed from the arguments.
    mutating func value(_ name: String) -> String? {
        values(name).last
    }

    mutating func values(_ name: String) -> [String] {
        var found: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == name {
                if index + 1 < arguments.count {
                    found.append(arguments[index + 1])
                    arguments.removeSubrange(index...(index + 1))
                } else {
                    problems.append("\(name) needs a value")
                    arguments.remove(at: index)
                }
                continue
            }
            if argument.hasPrefix(name + "=") {
                found.append(String(argument.dropFirst(name.count + 1)))
                arguments.remove(at: index)
                continue
            }
            index += 1
        }
        return found
    }

    mutating func enumValue<T: RawRepresentable>(_ name: String, _ type: T.Type, default fallback: T) -> T? where T.RawValue == String, T: CaseIterable {
        guard let text = value(name) else { return fallback }
        guard let chosen = T(rawValue: text) else {
            Output.error("\(name) takes \(T.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
            return nil
        }
        return chosen
    }

    var positionalFolder: String? { arguments.first { !$0.hasPrefix("-") } }

    /// Ends reading: the rest must be positional (when allowed); returns 64 on a problem.
    mutating func finish(allowingPositional: Bool = false, maximumPositional: Int = .max) -> Int32? {
        for argument in arguments {
            if argument.hasPrefix("-") && argument != "-" {
                problems.append("unknown option '\(argument)'")
            } else if allowingPositional {
                positional.append(argument)
            } else {
                problems.append("unexpected argument '\(argument)'")
            }
        }
        if positional.count > maximumPositional { problems.append("too many arguments") }
        arguments = []
        guard problems.isEmpty else {
            for problem in problems { Output.error("error: \(problem)") }
            return 64
        }
        return nil
    }
}
