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

    @Option(help: "Output format: text, json, sarif, github or junit.")
    var format: LintPrinter.Format = .text

    @Option(help: "The lowest severity that counts for the exit code: error, warning, info or none (default warning: informational findings do not fail).")
    var failOn: FailOn = .warning

    @Option(help: "The profile, overriding the templates' own (\(knownProfiles.names.joined(separator: ", "))).")
    var profile: String?

    @Option(help: "A configuration file (default: the nearest .formwork.yml above each template).")
    var config: String?

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

    @Option(help: "Deployment regions: the values of AWS::Region.")
    var regions: [String] = []

    @Option(help: "A deployment value, KEY=VALUE (repeatable).")
    var parameters: [String] = []

    @Option(help: "A deployment's parameters file: the AWS CLI's [{ParameterKey, ParameterValue}], {Parameters: {...}} or {KEY: VALUE}.")
    var parameterFile: [String] = []

    static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map { String($0).trimmingSpaces } }.filter { !$0.isEmpty }
    }

    func validate() throws {
        if let profile, knownProfiles.named(profile) == nil {
            throw ValidationError("unknown profile '\(profile)'; known: \(knownProfiles.names.joined(separator: ", "))")
        }
        let unknown = LintSelection.unknownChecks(Self.split(ignoreChecks) + Self.split(includeChecks))
        if !unknown.isEmpty {
            throw ValidationError("no rule is named \(unknown.map { "'\($0)'" }.joined(separator: ", ")); see `formwork rules`")
        }
        for region in Self.split(regions) where !LintSelection.isRegionName(region) {
            throw ValidationError("'\(region)' is not a region name (such as us-east-1)")
        }
        if case .failure(let error) = LintSelection.parameters(parameters) { throw ValidationError(error.message) }
    }

    func run() throws {
        var selection = LintSelection(ignoreChecks: Self.split(ignoreChecks), includeChecks: Self.split(includeChecks))
        for file in parameterFile {
            switch LintSelection.parameterFile(file) {
            case .success(let values): selection.parameterValues.merge(values) { $1 }
            case .failure(let errors):
                Output.report(errors.diagnostics)
                throw ExitCode(2)
            }
        }
        if case .success(let values) = LintSelection.parameters(parameters) { selection.parameterValues.merge(values) { $1 } }
        let regionNames = Self.split(regions)
        if !regionNames.isEmpty { selection.parameterValues["AWS::Region"] = regionNames.map { .string($0) } }
        var candidates = TemplateFinder.candidates(paths)
        if onlyTemplates {
            candidates.inFolders = (candidates.inFolders + candidates.named.filter { $0 != "-" }).sorted()
            candidates.named = candidates.named.filter { $0 == "-" }
        }
        let report = LintJob.run(candidates: candidates, profile: profile, config: config, profiles: knownProfiles, registry: .shared, selection: selection)
        let code = LintPrinter.print(report, format: format, failOn: failOn, version: FormworkCommand.configuration.version, quiet: quiet, outputFile: outputFile)
        if code != 0 { throw ExitCode(code) }
    }
}

struct Rules: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    static let configuration = CommandConfiguration(
        abstract: "List the rules, or describe one; generated from the rules themselves.",
        discussion: "Exit codes: 0 success; 2 unknown rule; 64 usage error."
    )

    @Argument(help: "A rule id (LC-01) or name (no-retain-policies).")
    var id: String?

    @Option(help: "Only the rules of one family: \(RuleFamily.allCases.map(\.rawValue).joined(separator: ", ")).")
    var family: String?

    @Option(help: "Output format: text, json or markdown (a table per family, as docs/rules.md).")
    var format: Format = .text

    func validate() throws {
        if id != nil, family != nil { throw ValidationError("give a rule id or --family, not both") }
        if let family, RuleFamily(named: family) == nil {
            throw ValidationError("unknown family '\(family)'; the families are \(RuleFamily.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let descriptions: [RuleDescription]
        if let family = family.flatMap(RuleFamily.init(named:)) {
            descriptions = RuleRegistry.documented(adding: ChangeRuleRegistry.all.map { $0.description }).filter { $0.family == family }
        } else if let id {
            guard let description = RuleRegistry.rule(id)?.description ?? ChangeRuleRegistry.rule(id)?.description else {
                Output.error("error: unknown rule '\(id.printable)' [RL-01]")
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
        case .markdown:
            Output.standardOutput(Array(RuleDocumentation.markdown(descriptions).utf8))
        case .text:
            Output.standardOutput(Array((id == nil ? RuleDocumentation.list(descriptions) : RuleDocumentation.detail(descriptions[0])).utf8))
        }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a finding's id: why the rule exists, and examples that trigger it and do not.",
        discussion: """
        ID is a rule (LC-01, or its name no-retain-policies), a finding of the reader, the \\
        configuration or check (PS-02, CF-01, CK-01), or a cfn-lint id (E3012), which lists \\
        the Formwork rules that report the same defect.

        Exit codes: 0 success; 2 unknown id (RL-01); 64 usage error.
        """
    )

    @Argument(help: "A finding's id.")
    var id: String

    func run() throws {
        let rules = RuleRegistry.documented(adding: ChangeRuleRegistry.all.map { $0.description })
        if let rule = rules.first(where: { $0.id.isNamed(by: id) || $0.name == id }) {
            Output.standardOutput(Array(RuleDocumentation.detail(rule).utf8))
        } else if let finding = ToolFindings.finding(id) {
            Output.standardOutput(Array("\(finding.id) \(finding.name) (\(finding.severity.rawValue))\n\n\(finding.description)\n".utf8))
        } else if let first = id.uppercased().first, "EWI".contains(first), id.dropFirst().allSatisfy(\.isNumber), id.count > 1,
                  case let overlapping = rules.filter({ $0.cfnLint.contains { $0.uppercased() == id.uppercased() } }), !overlapping.isEmpty {
            var text = "cfn-lint's \(id.uppercased()) is reported by \(overlapping.map { "\($0.id) \($0.name)" }.joined(separator: ", ")).\n"
            for rule in overlapping { text += "\n" + RuleDocumentation.detail(rule) }
            Output.standardOutput(Array(text.utf8))
        } else {
            Output.error("error: unknown id '\(id.printable)'; `formwork rules` lists the rules [RL-01]")
            throw ExitCode(2)
        }
    }
}
