import ArgumentParser
import Formwork
import FormworkRuleKit
import FormworkRules

/// `--custom-rules FILE`: a cfn-lint custom rules file's rules, or its located problems on
/// standard error and exit code 2.
enum CustomRuleFile {
    static func rules(_ path: String) throws -> [TeamRule] {
        switch CfnLintCustomRules.read(path: path) {
        case .success(let rules): return rules
        case .failure(let errors):
            Output.report(errors.diagnostics)
            throw ExitCode(2)
        }
    }
}
