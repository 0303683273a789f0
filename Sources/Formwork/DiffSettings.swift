import FormworkDiff
import FormworkRuleKit
import FormworkRules
import FormworkTemplate

extension LintJob {
    /// The change rules' findings (`formwork diff`: LC-08, RDS-22, ...) under the local
    /// template's `.formwork.yml` and profile, as the linter's are: a disabled rule's are
    /// dropped, a severity override applies. The configuration's or profile's problems when
    /// they cannot be read (never a silent default).
    package static func applySettings(to report: inout DiffReport, local template: Template, file: String,
                                     profiles: ProfileCatalogue = .builtInWithChangeRules) -> [Diagnostic] {
        var configuration: ConfigurationFile?
        if let path = ConfigurationFile.locate(for: file) {
            switch ConfigurationFile.load(path, profiles: profiles) {
            case .success(let loaded): configuration = loaded
            case .failure(let problems): return problems.diagnostics
            }
        }
        switch Profile.resolve(for: template, file: file, explicit: nil, configuration: configuration, profiles: profiles) {
        case .failure(let problems):
            return problems.diagnostics
        case .success(let profile):
            report.findings = report.findings.compactMap { finding in
                guard let rule = ChangeRuleRegistry.all.first(where: { $0.description.id == finding.ruleID })?.description else { return finding }
                guard profile.isEnabled(rule) else { return nil }
                // A change rule sets each finding's severity itself (RDS-22: a reboot is a
                // warning); only an override in the settings changes it.
                guard let severity = profile.severityOverrides[rule.id] else { return finding }
                var judged = finding
                judged.severity = severity
                return judged
            }
            return []
        }
    }
}

extension ProfileCatalogue {
    /// The built-in profiles, with the change rules of `formwork diff` known to the
    /// configuration as well as the linter's (every rule `formwork rules` lists can be
    /// disabled or given a severity).
    package static let builtInWithChangeRules = ProfileCatalogue.builtIn.naming(ChangeRuleRegistry.all.map { $0.description })
}
