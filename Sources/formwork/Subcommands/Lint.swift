import ArgumentParser
import Formwork
import FormworkTemplate
import FormworkDiff
import FormworkRuleKit
import FormworkRules
import FormworkSchemaData

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Lint templates with the house rules.",
        discussion: """
        PATH is a file, a folder (searched for .yaml, .yml, .json and .template files whose \
        root has Resources or AWSTemplateFormatVersion; other files are skipped and counted; \
        hidden and build folders are not entered), a glob (`**` spans folders) or `-` for \
        standard input. Files are linted in parallel. The profile is --profile, else the \
        template's Metadata formwork.profile, else the configuration file's, else ephemeral.

        --ignore-checks and --include-checks take Formwork ids (LC-01), families (RDS) and \
        cfn-lint ids or prefixes (E3012, W), mapped through the overlaps each rule declares; \
        several may be given, repeated or comma-separated. --parameters and \
        --parameter-file give deployment values: a Ref to such a parameter is judged with \
        exactly these values instead of its Default and AllowedValues. --regions gives the \
        values of AWS::Region; the registry is cfn-lint 1.51.0's us-east-1 copy, so resource \
        types and properties are checked against it in every region.

        Exit code: cfn-lint's bitmask of the findings at or above --fail-on: 2 errors, \
        4 warnings, 8 informational, or-ed; 0 when clean; 2 also when --output-file cannot \
        be written. 64 usage error.
        """
    )

    @Argument(help: "Files, folders, globs, or - for standard input.")
    var paths: [String]

    @OptionGroup var report: ReportOptions

    @OptionGroup var profiles: ProfileOptions

    @Option(help: "Write the report to this file (atomically) instead of standard output.")
    var outputFile: String?

    @Flag(name: [.short, .long], help: "Text format: only the findings, no summary line.")
    var quiet = false

    @Flag(help: "Skip named files that are not templates too (as in folders): for hooks that pass every changed YAML file.")
    var onlyTemplates = false

    @Option(help: "Rules or findings not to report (ids, families, cfn-lint ids or prefixes).")
    var ignoreChecks: [String] = []

    @Option(help: "Rules to run although the profile disables them.")
    var includeChecks: [String] = []

    @OptionGroup var deployment: DeploymentValueOptions

    @OptionGroup var team: TeamRuleOptions

    func validate() throws {
        let unknown = LintSelection.unknownChecks(CommaSeparated.split(ignoreChecks) + CommaSeparated.split(includeChecks))
        if !unknown.isEmpty {
            throw ValidationError("no rule is named \(unknown.map { "'\($0)'" }.joined(separator: ", ")); see `formwork rules`")
        }
        let unmatched = TemplateFinder.unmatchedGlobs(paths)
        if !unmatched.isEmpty {
            throw ValidationError("no file matches the glob\(unmatched.count == 1 ? "" : "s") \(unmatched.map { "'\($0.printable)'" }.joined(separator: ", "))")
        }
    }

    func run() throws {
        LintJob.startWorkerThread()
        var selection = LintSelection(ignoreChecks: CommaSeparated.split(ignoreChecks), includeChecks: CommaSeparated.split(includeChecks))
        try deployment.apply(to: &selection)
        try team.apply(to: &selection)
        var candidates = TemplateFinder.candidates(paths)
        if onlyTemplates {
            candidates.inFolders = (candidates.inFolders + candidates.named.filter { $0 != "-" }).sorted()
            candidates.named = candidates.named.filter { $0 == "-" }
        }
        let (catalogue, configuration) = try profiles.catalogueAndConfiguration()
        let found = LintJob.run(candidates: candidates, profile: profiles.profile, config: profiles.config, profiles: catalogue, registry: .shared, selection: selection,
                                progress: ProgressLine.standardError(), loaded: configuration)
        let code = LintPrinter.print(found, format: report.format, failOn: report.failOn, version: FormworkVersion.current, quiet: quiet, outputFile: outputFile)
        if !quiet { FirstRunNote.print(for: found) }
        if code != 0 { throw ExitCode(code) }
    }
}

