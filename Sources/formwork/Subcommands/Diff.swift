import ArgumentParser
import FormworkDiff
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate

extension DiffFailOn: ExpressibleByArgument {}

struct Diff: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    static let configuration = CommandConfiguration(
        abstract: "Compare a template with a deployed stack's exported JSON: what changes, what is replaced, what data may be lost.",
        discussion: """
        DEPLOYED is `aws cloudformation get-template` output (TemplateBody as a string or an \
        object) or a plain template. Replacement is decided per property path from the \
        registry's create-only paths, corrected by the CloudFormation documentation for RDS, \
        and spread through Ref and GetAtt to dependents.

        Exit codes: 0 no differences; 1 differences (only those --fail-on names); 2 an input \
        could not be read or has an unknown shape; 64 usage error.
        """
    )

    @Argument(help: "The local template (YAML or JSON).")
    var local: String

    @Argument(help: "The deployed template: get-template output or a template file.")
    var deployed: String

    @Option(help: "describe-stacks output: deployed parameter values and outputs.")
    var stackDescription: String?

    @Option(help: "describe-stack-resources or list-stack-resources output: the resources that exist.")
    var resources: String?

    @Option(help: "A flat outputs file ({\"OutputKey\": \"value\"}) that consumers read.")
    var outputs: String?

    @Option(name: .customLong("parameter"), help: "A local parameter value, KEY=VALUE (repeatable); others keep their deployed values.")
    var parameters: [String] = []

    @Option(help: "Output format: text, json or markdown.")
    var format: Format = .text

    @Option(help: "Which differences exit 1: any, interruption, replacement or data-loss.")
    var failOn: DiffFailOn = .any

    func validate() throws {
        for parameter in parameters where !parameter.contains("=") {
            throw ValidationError("--parameter takes KEY=VALUE, not '\(parameter)'")
        }
    }

    func run() throws {
        var values: [String: String] = [:]
        for parameter in parameters {
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[String(parts[0])] = String(parts[1])
        }
        let report: DiffReport
        do throws(DiffInputError) {
            // The two templates are read at once, one per core: reading is most of the work.
            let (local, deployed) = (self.local, self.deployed)
            let read = Parallel.map([0, 1]) { index -> Result<Template, DiffInputError> in
                if index == 1 { return Result { () throws(DiffInputError) in try DeployedInputs.template(deployed) } }
                let localRead = TemplateReader.read(path: local)
                guard let template = localRead.template else { return .failure(DiffInputError(diagnostics: localRead.diagnostics)) }
                return .success(template)
            }
            let localTemplate = try read[0].get()
            var stack = DeployedStack(template: try read[1].get())
            if let stackDescription { try DeployedInputs.stackDescription(stackDescription, into: &stack) }
            if let resources { try DeployedInputs.resources(resources, into: &stack) }
            if let outputs { try DeployedInputs.flatOutputs(outputs, into: &stack) }
            var diff = TemplateDiff(local: localTemplate, deployed: stack, localParameters: values, registry: .shared)
            diff.localFile = local
            report = diff.run()
        } catch {
            Output.report(error.diagnostics)
            throw ExitCode(2)
        }
        switch format {
        case .text: Output.standardOutput(Array(DiffReports.text(report, colour: Output.isTerminal(1)).utf8))
        case .json: Output.standardOutput(JSONWriter.write(DiffReports.json(report)))
        case .markdown: Output.standardOutput(Array(DiffReports.markdown(report).utf8))
        }
        if failOn.triggers(report) { throw ExitCode(1) }
    }
}
