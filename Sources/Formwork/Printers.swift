import FormworkDiff
import FormworkRules
import FormworkTemplate

/// Printing a lint report or a diff report in a chosen format, with its exit code: shared by
/// the `formwork` command and every `FormworkApp`.
/// `--fail-on` of `lint`: the lowest severity that counts for the exit code, or `none`.
public enum FailOn: String, Sendable, CaseIterable {
    case error, warning, info, none

    /// The lowest severity that counts; nil for `none`.
    public var severity: Severity? { Severity(rawValue: rawValue) }
}

public enum LintPrinter {
    public enum Format: String, Sendable, CaseIterable { case text, json, sarif, github, junit }

    /// Prints the report; returns cfn-lint's exit bitmask of the findings at or above
    /// `failOn` (0 for `none`).
    public static func print(_ report: LintReport, format: Format, failOn: FailOn, version: String) -> Int32 {
        switch format {
        case .text: Output.standardOutput(Array(LintReporters.text(report).utf8))
        case .json: Output.standardOutput(LintReporters.json(report))
        case .sarif: Output.standardOutput(LintReporters.sarif(report, version: version))
        case .github: Output.standardOutput(Array(LintReporters.github(report).utf8))
        case .junit: Output.standardOutput(Array(LintReporters.junit(report).utf8))
        }
        return failOn.severity.map { report.exitCode(failOn: $0) } ?? 0
    }
}

public enum DiffPrinter {
    public enum Format: String, Sendable, CaseIterable { case text, json, markdown }

    /// Prints the report; returns 1 when it has differences that `failOn` names, else 0.
    public static func print(_ report: DiffReport, format: Format, failOn: DiffFailOn) -> Int32 {
        switch format {
        case .text: Output.standardOutput(Array(DiffReports.text(report, colour: Output.wantsColour(1)).utf8))
        case .json: Output.standardOutput(JSONWriter.write(DiffReports.json(report)))
        case .markdown: Output.standardOutput(Array(DiffReports.markdown(report).utf8))
        }
        return failOn.triggers(report) ? 1 : 0
    }
}
