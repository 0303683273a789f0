import ArgumentParser
import Formwork
import FormworkDiff
import FormworkRules
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate

struct Diff: ParsableCommand {
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

    @OptionGroup var stack: DeployedStackOptions

    @OptionGroup var report: DiffReportOptions

    func run() throws {
        guard case .success(let values) = DiffJob.parameters(stack.parameters) else { throw ExitCode(64) }
        var found: DiffReport
        let localTemplate: Template
        do throws(DiffInputError) {
            // The two templates are read at once, one per core: reading is most of the work.
            let files = stack.files(template: deployed)
            let local = self.local
            let read = Parallel.map([0, 1]) { index -> Result<Template, DiffInputError> in
                if index == 1 { return Result { () throws(DiffInputError) in try DeployedInputs.template(files.template) } }
                let localRead = TemplateReader.read(path: local)
                guard let template = localRead.template else { return .failure(DiffInputError(diagnostics: localRead.diagnostics)) }
                return .success(template)
            }
            localTemplate = try read[0].get()
            found = try DiffJob.run(local: localTemplate, localFile: local, deployed: files, deployedTemplate: try read[1].get(),
                                     localParameters: values, registry: .shared)
        } catch {
            Output.report(error.diagnostics)
            throw ExitCode(2)
        }
        // The change rules answer to the local template's .formwork.yml, as the linter's do.
        let problems = LintJob.applySettings(to: &found, local: localTemplate, file: local)
        if !problems.isEmpty {
            Output.report(problems)
            throw ExitCode(2)
        }
        let code = DiffPrinter.print(found, format: report.format, failOn: report.failOn)
        if code != 0 { throw ExitCode(code) }
    }
}
