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
        /// `describe-change-set --include-property-values` output.
        public var changeSet: String?
        /// `describe-stack-resource-drifts` output.
        public var drift: String?

        public init(template: String, stackDescription: String? = nil, resources: String? = nil, outputs: String? = nil,
                    changeSet: String? = nil, drift: String? = nil) {
            self.template = template
            self.stackDescription = stackDescription
            self.resources = resources
            self.outputs = outputs
            self.changeSet = changeSet
            self.drift = drift
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
        var report = diff.run()
        try addChangeSetAndDrift(files, to: &report, withLocal: true, registry: registry)
        return report
    }

    /// A report from a change set alone (and drift, when given): CloudFormation's verdicts with
    /// Formwork's data verdicts, no local template needed.
    public static func changeSetReport(_ files: DeployedFiles, registry: SchemaRegistry) throws(DiffInputError) -> DiffReport {
        var report = DiffReport(resources: [], parameters: [], outputs: [], drift: [])
        try addChangeSetAndDrift(files, to: &report, withLocal: false, registry: registry)
        return report
    }

    static func addChangeSetAndDrift(_ files: DeployedFiles, to report: inout DiffReport, withLocal: Bool, registry: SchemaRegistry) throws(DiffInputError) {
        if let path = files.changeSet {
            ChangeSetComparison.merge(try DeployedInputs.changeSet(path).resources, into: &report, withLocal: withLocal, registry: registry)
        }
        if let path = files.drift {
            ChangeSetComparison.judge(try DeployedInputs.drifts(path), report: &report)
        }
    }

    /// A parameter file: the AWS CLI's `[{"ParameterKey": K, "ParameterValue": V}]` (as
    /// `create-stack --parameters file://` takes), a CodePipeline template configuration
    /// (`{"Parameters": {K: V}}`) or a flat `{K: V}` object. Any other shape is a located DF-01.
    public static func parameterFile(_ path: String) throws(DiffInputError) -> [String: String] {
        let root = try DeployedInputs.readValue(path)
        var values: [String: String] = [:]
        if let list = root.arrayValue {
            for item in list {
                guard item.objectValue != nil, let key = item["ParameterKey"]?.stringValue else {
                    throw .shape(path, "a parameter that is not an object with a string ParameterKey", at: item.location)
                }
                if let previous = item["UsePreviousValue"], previous.scalarText == "true" { continue }
                guard let value = item["ParameterValue"], let text = value.scalarText else {
                    throw .shape(path, "the ParameterValue of \(key.printable) must be a string (or UsePreviousValue true)", at: item["ParameterValue"]?.location ?? item.location)
                }
                values[key] = text
            }
            return values
        }
        guard let map = (root["Parameters"] ?? root).objectValue else {
            throw .shape(path, "expected [{\"ParameterKey\": ..., \"ParameterValue\": ...}], {\"Parameters\": {\"Key\": \"value\"}} or {\"Key\": \"value\"}, found \(TemplateReader.describe(root))", at: root.location)
        }
        for entry in map.entries {
            guard let text = entry.value.scalarText else {
                throw .shape(path, "the parameter \(entry.key.printable) is not a scalar", at: entry.value.location)
            }
            values[entry.key] = text
        }
        return values
    }

    /// The stack-refactor resource mappings of a report's renames (`--refactor-out`), as JSON.
    public static func refactorMappings(_ report: DiffReport, stackName: String) -> [UInt8] {
        JSONWriter.write(Renames.resourceMappings(report.renames, stackName: stackName))
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
