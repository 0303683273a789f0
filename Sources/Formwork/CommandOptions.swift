import ArgumentParser
import FormworkDiff
import FormworkRuleKit
import FormworkTemplate

// The option groups that `formwork`'s commands and an app's verbs share, so that the same
// option means the same thing, with the same help, wherever it is given.

extension LintPrinter.Format: ExpressibleByArgument {}
extension FailOn: ExpressibleByArgument {}
extension Synthesizer.Format: ExpressibleByArgument {}
extension DiffFailOn: ExpressibleByArgument {}
extension DiffPrinter.Format: ExpressibleByArgument {}

/// How a lint report is printed and what fails: `formwork lint` and an app's `lint`.
package struct ReportOptions: ParsableArguments {
    @Option(help: "Output format: text, json, sarif, github or junit.")
    package var format: LintPrinter.Format = .text

    @Option(help: "The lowest severity that counts for the exit code: error, warning, info or none (default warning: informational findings do not fail).")
    package var failOn: FailOn = .warning

    package init() {}
}

/// What synth writes: `formwork synth` and an app's `synth`.
package struct SynthOptions: ParsableArguments {
    @Option(help: "The folder to write into (default: the app's, templates).")
    package var out: String?

    @Option(help: "yaml, json or both (default both).")
    package var format: Synthesizer.Format?

    package init() {}
}

/// What is known of the deployed stack besides its template: `formwork diff` and an app's `diff`.
package struct DeployedStackOptions: ParsableArguments {
    @Option(help: "describe-stacks output: deployed parameter values and outputs.")
    package var stackDescription: String?

    @Option(help: "describe-stack-resources or list-stack-resources output: the resources that exist.")
    package var resources: String?

    @Option(help: "A flat outputs file ({\"OutputKey\": \"value\"}) that consumers read.")
    package var outputs: String?

    @Option(name: .customLong("parameter"), help: "A local parameter value, KEY=VALUE (repeatable); others keep their deployed values.")
    package var parameters: [String] = []

    @Option(name: .customLong("parameter-file"), help: "Local parameter values from a file: [{\"ParameterKey\": K, \"ParameterValue\": V}], {\"Parameters\": {K: V}} or {K: V}; --parameter wins.")
    package var parameterFile: String?

    @Option(help: "describe-change-set --include-property-values output: CloudFormation's verdicts beside Formwork's.")
    package var changeSet: String?

    @Option(help: "describe-stack-resource-drifts output: drifted resources and what the update overwrites.")
    package var drift: String?

    package init() {}

    package func validate() throws {
        if case .failure(let malformed) = KeyValueArguments.parse(parameters) {
            throw ValidationError("--parameter takes KEY=VALUE, not '\(malformed.argument)'")
        }
    }

    /// The deployed files, with the template's path.
    package func files(template: String) -> DiffJob.DeployedFiles {
        DiffJob.DeployedFiles(template: template, stackDescription: stackDescription, resources: resources, outputs: outputs,
                              changeSet: changeSet, drift: drift)
    }

    /// The local parameter values: the file's, then `--parameter` over them.
    package func localParameters() throws(DiffInputError) -> [String: String] {
        var values = try parameterFile.map(DiffJob.parameterFile) ?? [:]
        if case .success(let given) = DiffJob.parameters(parameters) { values.merge(given) { _, flag in flag } }
        return values
    }
}

/// How a diff is printed and what fails: `formwork diff` and an app's `diff`.
package struct DiffReportOptions: ParsableArguments {
    @Option(help: "Output format: text, json or markdown.")
    package var format: DiffPrinter.Format = .text

    @Option(help: "Which differences exit 1: any, interruption, replacement or data-loss.")
    package var failOn: DiffFailOn = .any

    package init() {}
}
