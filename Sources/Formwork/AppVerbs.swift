import ArgumentParser
import FormworkDiff

/// A verb of a `FormworkApp`, parsed like any of `formwork`'s commands and run over the app.
package protocol AppVerb: ParsableCommand {
    /// Runs the verb; the exit code.
    func run(_ app: AppRunner) -> Int32
}

/// The verbs an app's `main` parses. Its name is a placeholder that help and errors print as
/// the app's own name.
struct AppCommand: ParsableCommand {
    static let placeholderName = "formwork-app"
    static let configuration = CommandConfiguration(
        commandName: placeholderName,
        abstract: "The app's stacks: compile, check, diff and lint them.",
        discussion: "Exit codes: 0 success; 1 check or diff found something; 2 a compile or input error (nothing written); lint's bitmask for lint; 64 usage error.",
        subcommands: [SynthVerb.self, CheckVerb.self, DiffVerb.self, LintVerb.self, ListVerb.self, ProfilesVerb.self]
    )
}

struct SynthVerb: AppVerb {
    static let configuration = CommandConfiguration(commandName: "synth", abstract: "Compile the systems (all when none is named) into DIR/<system>/.")

    @Argument(help: "The systems (default: all).")
    var systems: [String] = []

    @OptionGroup var output: SynthOptions

    func run(_ app: AppRunner) -> Int32 {
        app.synth(systems, out: output.out ?? app.outputFolder, format: output.format ?? .both)
    }
}

struct CheckVerb: AppVerb {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Fail when a compiled template is missing or stale, or a template has findings.")

    @Argument(help: "The folder of compiled templates (default: the app's output folder).")
    var folder: String?

    @Option(help: "The folder of compiled templates (as the argument).")
    var templates: String?

    func run(_ app: AppRunner) -> Int32 {
        app.check(folder: templates ?? folder ?? app.outputFolder)
    }
}

struct DiffVerb: AppVerb {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "What deploying the compiled stack over the exported one will do.")

    @Argument(help: "SYSTEM, or SYSTEM/FILE for a system of several stacks.")
    var target: String

    @Argument(help: "The deployed template: get-template output or a template file.")
    var deployed: String

    @OptionGroup var stack: DeployedStackOptions

    @OptionGroup var report: DiffReportOptions

    func run(_ app: AppRunner) -> Int32 {
        let values: [String: String]
        do throws(DiffInputError) {
            values = try stack.localParameters()
        } catch {
            Output.report(error.diagnostics)
            return 2
        }
        return app.diff(target, deployed: stack.files(template: deployed), parameters: values, format: report.format, failOn: report.failOn)
    }
}

struct LintVerb: AppVerb {
    static let configuration = CommandConfiguration(commandName: "lint", abstract: "Lint templates (default: the output folder) under the app's profiles.")

    @Argument(help: "Files, folders or globs.")
    var paths: [String] = []

    @OptionGroup var report: ReportOptions

    @Option(help: "The profile, overriding the templates' own.")
    var profile: String?

    func run(_ app: AppRunner) -> Int32 {
        app.lint(paths, profile: profile, format: report.format, failOn: report.failOn)
    }
}

struct ListVerb: AppVerb {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The systems, their profiles and regions.")

    func run(_ app: AppRunner) -> Int32 { app.list() }
}

struct ProfilesVerb: AppVerb {
    static let configuration = CommandConfiguration(
        commandName: "profiles", abstract: "The app's profiles as .formwork.yml settings (what `formwork check` lints the app's templates under).")

    func run(_ app: AppRunner) -> Int32 { app.profiles() }
}
