import FormworkRuleKit
import FormworkTemplate

/// What the command line changes for every template of one lint run, over each template's
/// own profile: cfn-lint's `--ignore-checks` / `--include-checks`, and the values known for
/// the deployment (`--parameters KEY=VALUE`, `--regions`).
public struct LintSelection: Sendable {
    /// Rules not to run and findings not to report: a Formwork id (`LC-01`), a family
    /// (`RDS`), or a cfn-lint id or prefix (`E3012`, `W`) mapped through each rule's
    /// declared overlaps. Tool findings (`PS-02`, `SP-01`) can be named by id.
    public var ignoreChecks: [String] = []
    /// Rules to run although the profile disables them, named the same ways.
    public var includeChecks: [String] = []
    /// Deployment values: a Ref to one of these names takes exactly these values.
    public var parameterValues: [String: [Node]] = [:]
    /// The parameters file each deployment value came from, by parameter name.
    public var parameterValueFiles: [String: String] = [:]
    /// Rules added for this run (cfn-lint custom rule files, `--custom-rules`), under every
    /// template's profile.
    package var teamRules: [TeamRule] = []
    /// A compliance pack (`--pack`): only its rules run, and each finding carries the
    /// controls its rule evidences.
    public var pack: CompliancePack?

    public init(ignoreChecks: [String] = [], includeChecks: [String] = [], parameterValues: [String: [Node]] = [:]) {
        self.ignoreChecks = ignoreChecks
        self.includeChecks = includeChecks
        self.parameterValues = parameterValues
    }

    public var isEmpty: Bool { ignoreChecks.isEmpty && includeChecks.isEmpty && parameterValues.isEmpty && teamRules.isEmpty && pack == nil }

    /// True when `check` names `ruleID` (whole id, family, or cfn-lint id or prefix).
    public static func names(_ check: String, _ ruleID: RuleID) -> Bool {
        if check.count == 1, let letter = check.uppercased().first, "EWI".contains(letter) {
            // cfn-lint's whole-level form: `W` ignores every warning rule it has.
            return RuleRegistry.rule(ruleID)?.description.cfnLint.contains { $0.uppercased().hasPrefix(String(letter)) } ?? false
        }
        return Suppressions.matches(check, ruleID)
    }

    /// A check that names no rule and no tool finding is a usage error, said before linting.
    public static func unknownChecks(_ checks: [String]) -> [String] {
        let ids = RuleRegistry.all.map { $0.description.id } + ToolFindings.all.map(\.id)
        return checks.filter { check in !ids.contains { names(check, $0) } }
    }

    public func apply(to profile: inout Profile) {
        for rule in RuleRegistry.all.map({ $0.description }) {
            if includeChecks.contains(where: { Self.names($0, rule.id) }) { profile.disabledRules.remove(rule.id) }
            if ignoreChecks.contains(where: { Self.names($0, rule.id) }) { profile.disabledRules.insert(rule.id) }
        }
        for (name, values) in parameterValues {
            profile.parameterValues[name] = values
            profile.parameterValueFiles[name] = parameterValueFiles[name]
        }
        profile.add(teamRules)
        if let pack {
            let wanted = pack.ruleIDs
            let all = RuleRegistry.all.map { $0.description.id } + profile.teamRules.map(\.description.id)
            profile.setEnabled(false, all.filter { !wanted.contains($0) })
            profile.setEnabled(true, wanted)
        }
    }

    /// The findings left once the ignored ones are dropped (tool findings included).
    /// Under a pack, each carries the controls its rule evidences.
    public func filter(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let kept = ignoreChecks.isEmpty ? diagnostics : diagnostics.filter { diagnostic in !ignoreChecks.contains { Self.names($0, diagnostic.ruleID) } }
        guard let pack else { return kept }
        return kept.map { diagnostic in
            var tagged = diagnostic
            tagged.controls = pack.tags(of: diagnostic.ruleID)
            return tagged
        }
    }

    /// `KEY=VALUE` arguments as deployment values (a key given twice takes both values).
    public static func parameters(_ arguments: [String]) -> Result<[String: [Node]], ParameterArgumentError> {
        switch KeyValueArguments.parse(arguments) {
        case .failure(let malformed): return .failure(ParameterArgumentError(argument: malformed.argument))
        case .success(let pairs):
            var values: [String: [Node]] = [:]
            for (key, value) in pairs { values[key, default: []].append(.string(value)) }
            return .success(values)
        }
    }
}

public struct ParameterArgumentError: Error, Sendable {
    public var argument: String
    public var message: String { "--parameters takes KEY=VALUE, not '\(argument)'" }
}

extension LintSelection {
    /// A deployment's parameter values from a file, in the shapes teams keep them: the AWS
    /// CLI's `[{ParameterKey, ParameterValue}]`, CodePipeline's template configuration
    /// `{Parameters: {KEY: VALUE}}`, or a plain `{KEY: VALUE}` mapping (YAML or JSON).
    /// Another shape is a located `CF-01`.
    public static func parameterFile(_ path: String) -> Result<[String: [Node]], ConfigurationErrors> {
        let read = TemplateReader.read(path: path, requireMapping: false)
        guard let root = read.root else { return .failure(ConfigurationErrors(diagnostics: read.diagnostics)) }
        func problem(_ message: String, _ node: Node) -> Result<[String: [Node]], ConfigurationErrors> {
            .failure(ConfigurationErrors(diagnostics: [Diagnostic(ruleID: ConfigurationFile.diagnosticID, message: message, file: path,
                                                                   location: node.location.isKnown ? node.location : Location(line: 1, column: 1))]))
        }
        var values: [String: [Node]] = [:]
        if let list = root.arrayValue {
            for item in list {
                guard let key = item["ParameterKey"]?.stringValue, let value = item["ParameterValue"], value.scalarText != nil else {
                    return problem("each entry needs ParameterKey and a scalar ParameterValue (the AWS CLI's parameters file)", item)
                }
                values[key, default: []].append(value)
            }
            return .success(values)
        }
        guard var map = root.objectValue else { return problem("a parameters file is a list of {ParameterKey, ParameterValue} or a mapping of names to values", root) }
        if let inner = map["Parameters"]?.objectValue { map = inner }
        for entry in map.entries {
            guard entry.value.scalarText != nil else { return problem("the value of \(entry.key) must be a scalar", entry.value) }
            values[entry.key, default: []].append(entry.value)
        }
        return .success(values)
    }
}

extension LintSelection {
    /// A region's name (`us-east-1`, `ap-southeast-2`, `us-gov-west-1`), by its shape.
    public static func isRegionName(_ text: String) -> Bool {
        NoRegionNames.regionLikeTokens(text) == [text] && !(text.last?.isLetter ?? true)
    }
}
