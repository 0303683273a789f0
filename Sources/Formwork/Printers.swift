import FormworkDiff
import FormworkRules
import FormworkTemplate

/// Printing a lint report or a diff report in a chosen format, with its exit code: shared by
/// the `formwork` command and every `FormworkApp`.
/// `--fail-on` of `lint`: the lowest severity that counts for the exit code, or `none`.
package enum FailOn: String, Sendable, CaseIterable {
    case error, warning, info, none

    /// The lowest severity that counts; nil for `none`.
    package var severity: Severity? { Severity(rawValue: rawValue) }
}

package enum LintPrinter {
    package enum Format: String, Sendable, CaseIterable { case text, json, sarif, github, junit }

    /// The report in a format, and cfn-lint's exit bitmask of the findings at or above
    /// `failOn` (0 for `none`), which SARIF records and JUnit agrees with.
    package static func render(_ report: LintReport, format: Format, failOn: FailOn, version: String, quiet: Bool = false) -> (bytes: [UInt8], code: Int32) {
        let code = failOn.severity.map { report.exitCode(failOn: $0) } ?? 0
        let bytes: [UInt8]
        switch format {
        case .text: bytes = Array(LintReporters.text(report, quiet: quiet).utf8)
        case .json: bytes = LintReporters.json(report)
        case .sarif: bytes = LintReporters.sarif(report, version: version, exitCode: code)
        case .github: bytes = Array(LintReporters.github(report).utf8)
        case .junit: bytes = Array(LintReporters.junit(report, failOn: failOn.severity).utf8)
        }
        return (bytes, code)
    }

    /// Prints the report (or writes it atomically to `outputFile`); returns the exit code.
    /// A file that cannot be written is a `PS-00` error and exit code 2.
    package static func print(_ report: LintReport, format: Format, failOn: FailOn, version: String, quiet: Bool = false, outputFile: String? = nil) -> Int32 {
        let (bytes, code) = render(report, format: format, failOn: failOn, version: version, quiet: quiet)
        guard let outputFile else {
            Output.standardOutput(bytes)
            return code
        }
        if case .failure(let error) = FileIO.writeAtomically(bytes, to: outputFile) {
            Output.writeFailed(outputFile, error)
            return code | 2
        }
        return code
    }
}

package enum DiffPrinter {
    package enum Format: String, Sendable, CaseIterable { case text, json, markdown }

    /// Prints the report; returns 1 when it has differences that `failOn` names, else 0.
    package static func print(_ report: DiffReport, format: Format, failOn: DiffFailOn) -> Int32 {
        switch format {
        case .text: Output.standardOutput(Array(DiffReports.text(report, colour: Output.wantsColour(1)).utf8))
        case .json: Output.standardOutput(JSONWriter.write(DiffReports.json(report)))
        case .markdown: Output.standardOutput(Array(DiffReports.markdown(report).utf8))
        }
        return failOn.triggers(report) ? 1 : 0
    }
}
