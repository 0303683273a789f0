import ArgumentParser
import Formwork
import FormworkRules
import FormworkRuleKit
import FormworkTemplate

/// Values known for a deployment: a Ref to one of these parameters is judged with exactly
/// these values instead of its Default and AllowedValues.
struct DeploymentValueOptions: ParsableArguments {
    @Option(help: "Deployment regions: the values of AWS::Region.")
    var regions: [String] = []

    @Option(help: "A deployment value, KEY=VALUE (repeatable).")
    var parameters: [String] = []

    @Option(help: "A deployment's parameters file: the AWS CLI's [{ParameterKey, ParameterValue}], {Parameters: {...}} or {KEY: VALUE}.")
    var parameterFile: [String] = []

    func validate() throws {
        for region in CommaSeparated.split(regions) where !LintSelection.isRegionName(region) {
            throw ValidationError("'\(region)' is not a region name (such as us-east-1)")
        }
        if case .failure(let error) = LintSelection.parameters(parameters) { throw ValidationError(error.message) }
    }

    /// The values, files first, then `--parameters`, then `--regions`, set on `selection`
    /// with the file each came from; a file that cannot be read is reported and ends the run
    /// (exit 2).
    func apply(to selection: inout LintSelection) throws {
        var values: [String: [Node]] = [:]
        var files: [String: String] = [:]
        for file in parameterFile {
            switch LintSelection.parameterFile(file) {
            case .success(let found):
                values.merge(found) { $1 }
                for name in found.keys { files[name] = file }
            case .failure(let errors):
                Output.report(errors.diagnostics)
                throw ExitCode(2)
            }
        }
        if case .success(let given) = LintSelection.parameters(parameters) {
            values.merge(given) { $1 }
            for name in given.keys { files[name] = nil }
        }
        let regionNames = CommaSeparated.split(regions)
        if !regionNames.isEmpty {
            values["AWS::Region"] = regionNames.map { .string($0) }
            files["AWS::Region"] = nil
        }
        selection.parameterValues = values
        selection.parameterValueFiles = files
    }
}

/// Options that take several values repeated or comma-separated (`--ignore-checks A,B`).
enum CommaSeparated {
    static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map { String($0).trimmingSpaces } }.filter { !$0.isEmpty }
    }
}
