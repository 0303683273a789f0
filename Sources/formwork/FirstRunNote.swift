import Formwork
import FormworkRules
import FormworkTemplate

/// What a first lint of someone else's templates needs to hear once: which conventions
/// judged them when nothing chose any, and how to choose (issue 34: without it, 390 of 395
/// real-world templates met "no EnvironmentSuffix parameter" and nothing said why).
enum FirstRunNote {
    /// The note for a report, or nil when every template had a profile or a `.formwork.yml`.
    static func text(for report: LintReport) -> String? {
        let defaulted = report.files.filter(\.houseDefaults).count
        guard defaulted > 0 else { return nil }
        let which = defaulted == report.files.count ? (defaulted == 1 ? "this template" : "these \(defaulted) templates")
                                                    : "\(defaulted) of the \(report.files.count) templates"
        return "note: no .formwork.yml or profile applies to \(which), so Formwork's house conventions judged "
            + (defaulted == 1 ? "it" : "them") + " (profile ephemeral: an EnvironmentSuffix parameter in every name, required tags, "
            + "nothing retained); `formwork init` writes a .formwork.yml to set your team's own, "
            + "`--profile structural` checks only what any template needs"
    }

    /// Prints the note on standard error, once per run.
    static func print(for report: LintReport) {
        if let text = text(for: report) { Output.error(text) }
    }
}
