import ArgumentParser
import Formwork
import FormworkDiff
import FormworkRules
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
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

    @OptionGroup var stack: DeployedStackOptions

    @Option(help: "Write the logical renames as the --resource-mappings JSON of `aws cloudformation create-stack-refactor`.")
    var refactorOut: String?

    @OptionGroup var report: DiffReportOptions

    func validate() throws {
        if local == nil || deployed == nil {
            guard stack.changeSet != nil, local == nil else { throw ValidationError("name LOCAL and DEPLOYED, or give --change-set alone") }
            guard refactorOut == nil else { throw ValidationError("--refactor-out needs LOCAL and DEPLOYED") }
        }
    }

    func run() throws {
        var found: DiffReport
        var localTemplate: Template?
        do throws(DiffInputError) {
            let files = stack.files(template: deployed ?? "")
            if let local = self.local, deployed != nil {
                let compared = try compare(local, files, try stack.localParameters())
                found = compared.report
                localTemplate = compared.local
            } else {
                found = try DiffJob.changeSetReport(files, registry: .shared)
            }
        } catch {
            Output.report(error.diagnostics)
            throw ExitCode(2)
        }
        // The change rules answer to the local template's .formwork.yml, as the linter's do.
        if let localTemplate, let local {
            let problems = LintJob.applySettings(to: &found, local: localTemplate, file: local)
            if !problems.isEmpty {
                Output.report(problems)
                throw ExitCode(2)
            }
        }
        if let refactorOut {
            let stackName = found.stackName ?? "STACK"
            if case .failure(let error) = FileIO.writeAtomically(DiffJob.refactorMappings(found, stackName: stackName), to: refactorOut) {
                Output.writeFailed(refactorOut, error)
                throw ExitCode(2)
            }
        }
        let code = DiffPrinter.print(found, format: report.format, failOn: report.failOn)
        if code != 0 { throw ExitCode(code) }
    }

    private func compare(_ local: String, _ files: DiffJob.DeployedFiles, _ values: [String: String]) throws(DiffInputError) -> (report: DiffReport, local: Template) {
        // The two templates are read at once, one per core: reading is most of the work.
        let read = Parallel.map([0, 1]) { index -> Result<Template, DiffInputError> in
            if index == 1 { return Result { () throws(DiffInputError) in try DeployedInputs.template(files.template) } }
            let localRead = TemplateReader.read(path: local)
            guard let template = localRead.template else { return .failure(DiffInputError(diagnostics: localRead.diagnostics)) }
            return .success(template)
        }
        let localTemplate = try read[0].get()
        let report = try DiffJob.run(local: localTemplate, localFile: local, deployed: files, deployedTemplate: try read[1].get(),
                                     localParameters: values, registry: .shared)
        return (report, localTemplate)
    }
}
