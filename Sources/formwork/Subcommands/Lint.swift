import ArgumentParser
import Formwork
import FormworkDiff
import FormworkRules
import FormworkSchemaData
import ReferenceSystems

/// The profiles `formwork` knows: the generic ones and the reference systems'.
let knownProfiles = ProfileCatalogue.builtIn.adding(ReferenceSystems.profiles)

extension LintPrinter.Format: ExpressibleByArgument {}
extension FailOn: ExpressibleByArgument {}

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lint templates with the house rules.",
        discussion: """
        PATH is a file, a folder (searched for .yaml, .yml, .json and .template files whose \
        root has Resources or AWSTemplateFormatVersion; other files are skipped and counted; \
        hidden and build folders are not entered) or a glob. Files are linted in parallel. \
        The profile is --profile, else the template's Metadata formwork.profile, else ephemeral.

        Exit code: cfn-lint's bitmask of the findings at or above --fail-on: 2 errors, \
        4 warnings, 8 informational, or-ed; 0 when clean. 64 usage error.
        """
    )

    @Argument(help: "Files, folders or globs.")
    var paths: [String]

    @Option(help: "Output format: text, json, sarif, github or junit.")
    var format: LintPrinter.Format = .text

    @Option(help: "The lowest severity that counts for the exit code: error, warning, info or none (default warning: informational findings do not fail).")
    var failOn: FailOn = .warning

    @Option(help: "The profile, overriding the templates' own (\(knownProfiles.names.joined(separator: ", "))).")
    var profile: String?

    @Option(help: "A configuration file (default: the nearest .formwork.yml above each template).")
    var config: String?

    func validate() throws {
        if let profile, knownProfiles.named(profile) == nil {
            throw ValidationError("unknown profile '\(profile)'; known: \(knownProfiles.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        let report = LintJob.run(paths: paths, profile: profile, config: config, profiles: knownProfiles, registry: .shared)
        let code = LintPrinter.print(report, format: format, failOn: failOn, version: FormworkCommand.configuration.version)
        if code != 0 { throw ExitCode(code) }
    }
}

struct Rules: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    static let configuration = CommandConfiguration(
        abstract: "List the rules, or describe one; generated from the rules themselves.",
        discussion: "Exit codes: 0 success; 2 unknown rule; 64 usage error."
    )

    @Argument(help: "A rule id (LC-01) or name (no-retain-policies).")
    var id: String?

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
        let descriptions: [RuleDescription]
        if let id {
            guard let description = RuleRegistry.rule(id)?.description ?? ChangeRuleRegistry.rule(id)?.description else {
                Output.error("error: unknown rule '\(id)' [RL-01]")
                throw ExitCode(2)
            }
            descriptions = [description]
        } else {
            descriptions = RuleRegistry.documented(adding: ChangeRuleRegistry.all.map { $0.description })
        }
        switch format {
        case .json:
            let value = RuleDocumentation.json(descriptions)
            Output.standardOutput(JSONWriter.write(id == nil ? value : value.arrayValue![0]))
        case .text:
            Output.standardOutput(Array((id == nil ? RuleDocumentation.list(descriptions) : RuleDocumentation.detail(descriptions[0])).utf8))
        }
    }
}
