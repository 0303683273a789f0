import FormworkSchema
import FormworkTemplate

/// `formwork diff` as a library call, for the command and for a `FormworkApp`'s `diff`: the
/// deployed side read from what the AWS CLI exports, compared with a local template.
public enum DiffJob {
    /// What the deployed stack is known by: `get-template` output (or a template), and the
    /// optional `describe-stacks`, `describe-stack-resources` and flat-outputs files.
    public struct DeployedFiles: Sendable {
        public var template: String
        public var stackDescription: String?
        public var resources: String?
        public var outputs: String?

        public init(template: String, stackDescription: String? = nil, resources: String? = nil, outputs: String? = nil) {
            self.template = template
            self.stackDescription = stackDescription
            self.resources = resources
            self.outputs = outputs
        }
    }

    /// Reads the deployed side and diffs `local` against it. `localParameters` are local
    /// parameter values (`--parameter K=V`); `localFile` names the local file in findings.
    /// `deployedTemplate` is the deployed template when the caller has read it already.
    public static func run(local: Template, localFile: String?, deployed files: DeployedFiles, deployedTemplate: Template? = nil,
                           localParameters: [String: String], registry: SchemaRegistry) throws(DiffInputError) -> DiffReport {
        try DeployedInputs.localTemplate(local, file: localFile ?? "<local>")
        let template: Template
        if let deployedTemplate { template = deployedTemplate } else { template = try DeployedInputs.template(files.template) }
        var stack = DeployedStack(template: template)
        if let path = files.stackDescription { try DeployedInputs.stackDescription(path, into: &stack) }
        if let path = files.resources { try DeployedInputs.resources(path, into: &stack) }
        if let path = files.outputs { try DeployedInputs.flatOutputs(path, into: &stack) }
        var diff = TemplateDiff(local: local, deployed: stack, localParameters: localParameters, registry: registry)
        diff.localFile = localFile
        return diff.run()
    }

    /// `KEY=VALUE` arguments as a dictionary; nil names the first that has no `=`.
    public static func parameters(_ arguments: [String]) -> Result<[String: String], ParameterArgumentError> {
        switch KeyValueArguments.parse(arguments) {
        case .failure(let malformed): return .failure(ParameterArgumentError(argument: malformed.argument))
        case .success(let pairs): return .success(Dictionary(pairs, uniquingKeysWith: { _, last in last }))
        }
    }

    public struct ParameterArgumentError: Error, Sendable {
        public var argument: String
    }
}
