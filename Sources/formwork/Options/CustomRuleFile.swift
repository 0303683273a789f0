import ArgumentParser
import Formwork
import FormworkRuleKit
import FormworkRules

/// What a lint run adds to every template's rules: cfn-lint custom rule files, a compliance pack.
struct TeamRuleOptions: ParsableArguments {
    @Option(name: [.customShort("z"), .customLong("custom-rules")], help: "A cfn-lint custom rules file, read as cfn-lint reads it (docs/custom-rules.md).")
    var customRules: String?

    @Option(help: "Run a compliance pack's rules only, each finding with the controls it evidences: \(CompliancePack.names.joined(separator: ", ")) (docs/compliance.md).")
    var pack: String?

    func validate() throws {
        if let pack, CompliancePack.named(pack) == nil {
            throw ValidationError("unknown pack '\(pack.printable)'; the packs are \(CompliancePack.names.joined(separator: ", "))")
        }
    }

    /// The file's rules and the pack, into the run's selection; a file's located problems on
    /// standard error and exit code 2.
    func apply(to selection: inout LintSelection) throws {
        if let customRules {
            switch CfnLintCustomRules.read(path: customRules) {
            case .success(let rules): selection.teamRules = rules
            case .failure(let errors):
                Output.report(errors.diagnostics)
                throw ExitCode(2)
            }
        }
        selection.pack = pack.flatMap(CompliancePack.named)
    }
}
