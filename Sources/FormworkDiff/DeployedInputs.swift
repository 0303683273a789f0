import FormworkTemplate

/// A problem with one of the diff's inputs: not readable, or not of a shape the AWS CLI
/// writes. Always names the file and what was expected.
public struct DiffInputError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public var description: String { diagnostics.map(\.text).joined(separator: "\n") }

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    static func shape(_ file: String, _ message: String, at location: Location = Location(line: 1, column: 1)) -> DiffInputError {
        DiffInputError(diagnostics: [Diagnostic(ruleID: DiffDiagnosticID.inputShape, message: message, file: file, location: location)])
    }
}

public enum DiffDiagnosticID {
    /// An input file is readable but not of the expected shape.
    public static let inputShape: RuleID = "DF-01"
}

/// What the AWS CLI exports about a deployed stack, read from its JSON.
public struct DeployedStack: Sendable {
    public var template: Template
    /// Deployed parameter values (describe-stacks).
    public var parameterValues: [String: String] = [:]
    /// Deployed output values (describe-stacks).
    public var outputValues: [String: String] = [:]
    public var stackName: String?
    public var region: String?
    public var accountID: String?
    /// Logical id -> (type, physical id) of the resources that exist (describe-stack-resources
    /// or list-stack-resources); nil when not given.
    public var existingResources: [String: (type: String, physicalID: String?)]?
    /// Output keys consumers read (a flat outputs file such as cfn-outputs/flat-outputs.json).
    public var consumedOutputs: [String: String]?

    public init(template: Template) {
        self.template = template
    }
}

public enum DeployedInputs {
    /// Reads a file of JSON or YAML, or throws its read diagnostics.
    static func readValue(_ path: String) throws(DiffInputError) -> Node {
        let result = TemplateReader.read(path: path, requireMapping: false)
        guard let root = result.root else { throw DiffInputError(diagnostics: result.diagnostics) }
        return root
    }

    /// A template file, or `aws cloudformation get-template` output (TemplateBody as a
    /// string for a stack deployed from YAML, an object for one deployed from JSON).
    public static func template(_ path: String) throws(DiffInputError) -> Template {
        let root = try readValue(path)
        guard case .object(let map) = root.kind else {
            throw .shape(path, "expected a template or `aws cloudformation get-template` output ({\"TemplateBody\": ...}), found \(TemplateReader.describe(root))", at: root.location)
        }
        if let body = map["TemplateBody"] {
            switch body.kind {
            case .string(let text):
                let inner = TemplateReader.read(Array(text.utf8), file: path + " (TemplateBody)")
                guard let template = inner.template else { throw DiffInputError(diagnostics: inner.diagnostics) }
                return template
            case .object:
                return Template(root: body)!
            default:
                throw .shape(path, "TemplateBody must be a template as a string or an object, found \(TemplateReader.describe(body))", at: body.location)
            }
        }
        if map["Resources"] != nil || map["AWSTemplateFormatVersion"] != nil {
            return Template(root: map, location: root.location)
        }
        throw .shape(path, "expected a template (with Resources) or `aws cloudformation get-template` output ({\"TemplateBody\": ...}); found the keys \(map.keys.prefix(5).joined(separator: ", "))", at: root.location)
    }

    /// The local side of a diff: a template, not an export. A file that is
    /// `get-template` output, or has neither Resources nor AWSTemplateFormatVersion, is a
    /// located DF-01 (diffing it as a template would report every resource as removed).
    public static func localTemplate(_ template: Template, file: String) throws(DiffInputError) {
        let root = template.root
        if root["TemplateBody"] != nil {
            throw .shape(file, "this is `aws cloudformation get-template` output: give it as DEPLOYED, and the local template as LOCAL", at: Location(line: 1, column: 1))
        }
        if root["Resources"] == nil {
            throw .shape(file, "expected a template with Resources; found \(root.isEmpty ? "an empty mapping" : "the keys " + root.keys.prefix(5).joined(separator: ", "))", at: Location(line: 1, column: 1))
        }
    }

    /// `aws cloudformation describe-stacks` output: {"Stacks": [{"Parameters": [...], "Outputs": [...]}]}.
    public static func stackDescription(_ path: String, into stack: inout DeployedStack) throws(DiffInputError) {
        let root = try readValue(path)
        guard let stacks = root["Stacks"]?.arrayValue else {
            throw .shape(path, "expected `aws cloudformation describe-stacks` output ({\"Stacks\": [...]})", at: root.location)
        }
        guard stacks.count == 1, case .object(let description) = stacks[0].kind else {
            throw .shape(path, "expected exactly one stack in \"Stacks\", found \(stacks.count)", at: root.location)
        }
        // Strict shapes: what the AWS CLI writes, or a located DF-01 (never ignored).
        for (list, what) in [("Parameters", "parameter"), ("Outputs", "output")] {
            if let value = description[list], value.arrayValue == nil {
                throw .shape(path, "\"\(list)\" must be a list of {\"\(what == "parameter" ? "ParameterKey" : "OutputKey")\": ...} objects, found \(TemplateReader.describe(value))", at: value.location)
            }
        }
        for parameter in description["Parameters"]?.arrayValue ?? [] {
            guard parameter.objectValue != nil, let key = parameter["ParameterKey"]?.stringValue else {
                throw .shape(path, "a parameter that is not an object with a string ParameterKey", at: parameter.location)
            }
            for field in ["ParameterValue", "ResolvedValue"] {
                if let value = parameter[field], value.stringValue == nil {
                    throw .shape(path, "the \(field) of \(key) must be a string (the AWS CLI writes every value as one), found \(TemplateReader.describe(value))", at: value.location)
                }
            }
            stack.parameterValues[key] = parameter["ResolvedValue"]?.stringValue ?? parameter["ParameterValue"]?.stringValue ?? ""
        }
        for output in description["Outputs"]?.arrayValue ?? [] {
            guard output.objectValue != nil, let key = output["OutputKey"]?.stringValue else {
                throw .shape(path, "an output that is not an object with a string OutputKey", at: output.location)
            }
            if let value = output["OutputValue"], value.stringValue == nil {
                throw .shape(path, "the OutputValue of \(key) must be a string, found \(TemplateReader.describe(value))", at: value.location)
            }
            stack.outputValues[key] = output["OutputValue"]?.stringValue ?? ""
        }
        stack.stackName = description["StackName"]?.stringValue
        // arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID
        if let id = description["StackId"]?.stringValue {
            let parts = id.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count >= 5 {
                stack.region = String(parts[3])
                stack.accountID = String(parts[4])
            }
        }
    }

    /// `describe-stack-resources` ({"StackResources": [...]}) or `list-stack-resources`
    /// ({"StackResourceSummaries": [...]}) output.
    public static func resources(_ path: String, into stack: inout DeployedStack) throws(DiffInputError) {
        let root = try readValue(path)
        guard let list = root["StackResources"]?.arrayValue ?? root["StackResourceSummaries"]?.arrayValue else {
            throw .shape(path, "expected `describe-stack-resources` ({\"StackResources\": [...]}) or `list-stack-resources` ({\"StackResourceSummaries\": [...]}) output", at: root.location)
        }
        var existing: [String: (type: String, physicalID: String?)] = [:]
        for item in list {
            guard let logicalID = item["LogicalResourceId"]?.stringValue, let type = item["ResourceType"]?.stringValue else {
                throw .shape(path, "a resource without LogicalResourceId or ResourceType", at: item.location)
            }
            existing[logicalID] = (type, item["PhysicalResourceId"]?.stringValue)
        }
        stack.existingResources = existing
    }

    /// A flat outputs file: {"OutputKey": "value", ...}.
    public static func flatOutputs(_ path: String, into stack: inout DeployedStack) throws(DiffInputError) {
        let root = try readValue(path)
        guard case .object(let map) = root.kind else {
            throw .shape(path, "expected a flat outputs object ({\"OutputKey\": \"value\"}), found \(TemplateReader.describe(root))", at: root.location)
        }
        var outputs: [String: String] = [:]
        for entry in map.entries {
            switch entry.value.kind {
            case .string(let text): outputs[entry.key] = text
            case .number(let literal): outputs[entry.key] = literal
            case .bool(let flag): outputs[entry.key] = String(flag)
            default:
                throw .shape(path, "the output \(entry.key) is not a scalar; expected a flat outputs object", at: entry.value.location)
            }
        }
        stack.consumedOutputs = outputs
    }

}
