import ArgumentParser
import Formwork
import FormworkDiff
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate

extension DiffFailOn: ExpressibleByArgument {}
extension DiffPrinter.Format: ExpressibleByArgument {}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare a template with a deployed stack's exported JSON: what changes, what is replaced, what data may be lost.",
        discussion: """
        DEPLOYED is `aws cloudformation get-template` output (TemplateBody as a string or an \
        object) or a plain template. Both sides are resolved as CloudFormation resolves them \
        (parameters, Conditions, Fn::If, Fn::FindInMap, Fn::Select, Fn::Join, Fn::Sub, \
        Fn::ForEach, the SAM resources). Replacement is decided per property path from the \
        patches, update policies, the User Guide and the registry, and spread through Ref \
        and GetAtt to dependents. With --change-set alone (no LOCAL and DEPLOYED), the report \
        is CloudFormation's change set with Formwork's data verdicts.

        Exit codes: 0 no differences; 1 differences (only those --fail-on names); 2 an input \
        could not be read or has an unknown shape; 64 usage error.
        """
    )

    @Argument(help: "The local template (YAML or JSON).")
    var local: String?

    @Argument(help: "The deployed template: get-template output or a template file.")
    var deployed: String?

    @Option(help: "describe-stacks output: deployed parameter values and outputs.")
    var stackDescription: String?

    @Option(help: "describe-stack-resources or list-stack-resources output: the resources that exist.")
    var resources: String?

    @Option(help: "A flat outputs file ({\"OutputKey\": \"value\"}) that consumers read.")
    var outputs: String?

    @Option(name: .customLong("parameter"), help: "A local parameter value, KEY=VALUE (repeatable); others keep their deployed values.")
    var parameters: [String] = []

    @Option(name: .customLong("parameter-file"), help: "Local parameter values from a file: [{\"ParameterKey\": K, \"ParameterValue\": V}], {\"Parameters\": {K: V}} or {K: V}; --parameter wins.")
    var parameterFile: String?

    @Option(help: "describe-change-set --include-property-values output: CloudFormation's verdicts beside Formwork's.")
    var changeSet: String?

    @Option(help: "describe-stack-resource-drifts output: drifted resources and what the update overwrites.")
    var drift: String?

    @Option(help: "Write the logical renames as the --resource-mappings JSON of `aws cloudformation create-stack-refactor`.")
    var refactorOut: String?

    @Option(help: "Output format: text, json or markdown.")
    var format: DiffPrinter.Format = .text

    @Option(help: "Which differences exit 1: any, interruption, replacement or data-loss.")
    var failOn: DiffFailOn = .any

    func validate() throws {
        for parameter in parameters where !parameter.contains("=") {
            throw ValidationError("--parameter takes KEY=VALUE, not '\(parameter)'")
        }
        if local == nil || deployed == nil {
            guard changeSet != nil, local == nil else { throw ValidationError("name LOCAL and DEPLOYED, or give --change-set alone") }
            guard refactorOut == nil else { throw ValidationError("--refactor-out needs LOCAL and DEPLOYED") }
        }
    }

    func run() throws {
        guard case .success(let given) = DiffJob.parameters(parameters) else { throw ExitCode(64) }
        let report: DiffReport
        do throws(DiffInputError) {
            let files = DiffJob.DeployedFiles(template: deployed ?? "", stackDescription: stackDescription, resources: resources, outputs: outputs,
                                              changeSet: changeSet, drift: drift)
            if let local = self.local, deployed != nil {
                report = try compare(local, files, given)
            } else {
                report = try DiffJob.changeSetReport(files, registry: .shared)
            }
        } catch {
            Output.report(error.diagnostics)
            throw ExitCode(2)
        }
        if let refactorOut {
            let stackName = report.stackName ?? "STACK"
            guard case .success = FileIO.writeAtomically(DiffJob.refactorMappings(report, stackName: stackName), to: refactorOut) else {
                Output.error("formwork diff: cannot write \(refactorOut)")
                throw ExitCode(2)
            }
        }
        let code = DiffPrinter.print(report, format: format, failOn: failOn)
        if code != 0 { throw ExitCode(code) }
    }

    private func compare(_ local: String, _ files: DiffJob.DeployedFiles, _ given: [String: String]) throws(DiffInputError) -> DiffReport {
        var values = try parameterFile.map(DiffJob.parameterFile) ?? [:]
        values.merge(given) { _, flag in flag }
        // The two templates are read at once, one per core: reading is most of the work.
        let read = Parallel.map([0, 1]) { index -> Result<Template, DiffInputError> in
            if index == 1 { return Result { () throws(DiffInputError) in try DeployedInputs.template(files.template) } }
            let localRead = TemplateReader.read(path: local)
            guard let template = localRead.template else { return .failure(DiffInputError(diagnostics: localRead.diagnostics)) }
            return .success(template)
        }
        return try DiffJob.run(local: try read[0].get(), localFile: local, deployed: files, deployedTemplate: try read[1].get(),
                               localParameters: values, registry: .shared)
    }
}
