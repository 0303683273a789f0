import FormworkSchema
import FormworkTemplate

/// The findings that are not rules: what the reader, the configuration, suppressions, the
/// report cap and `check` say. Described here once, for SARIF's rule metadata and for
/// `formwork explain`.
public struct ToolFinding: Sendable {
    public var id: RuleID
    public var name: String
    public var severity: Severity
    public var description: String
}

public enum ToolFindings {
    public static let all: [ToolFinding] = [
        ToolFinding(id: ReadDiagnosticID.io, name: "unreadable-file", severity: .error,
                    description: "The file cannot be opened or read, or is not a regular file (a FIFO, socket or device is refused without blocking on it; `-` is standard input); in a folder: a broken symbolic link, or a folder that cannot be read. Nothing in it was linted. For an output (--output-file, fmt --write, synth, check's SARIF): the path is not a regular file (a device, FIFO, socket, directory, a link to one, or a link loop), and nothing was written."),
        ToolFinding(id: ReadDiagnosticID.syntax, name: "syntax", severity: .error,
                    description: "Not well-formed YAML or JSON. Tabs used for indentation get a hint. CloudFormation refuses the template before it looks at its resources."),
        ToolFinding(id: ReadDiagnosticID.duplicateKey, name: "duplicate-key", severity: .error,
                    description: "The same key twice in one mapping: YAML readers keep one of them silently (CloudFormation the last), so the template does not say what it seems to. Every pair is reported with both places."),
        ToolFinding(id: ReadDiagnosticID.aliasExpansion, name: "alias-expansion", severity: .error,
                    description: "YAML aliases would expand past 100,000 nodes (an alias bomb): refused, never expanded."),
        ToolFinding(id: ReadDiagnosticID.depth, name: "nesting-depth", severity: .error,
                    description: "Nesting deeper than 256 levels (aliases count): refused before any rule walks it."),
        ToolFinding(id: ReadDiagnosticID.size, name: "file-size", severity: .error,
                    description: "Input larger than 64 MiB, checked before reading (CloudFormation's own limit is 1 MB)."),
        ToolFinding(id: ReadDiagnosticID.encoding, name: "encoding", severity: .error,
                    description: "Invalid UTF-8, or a control character YAML forbids: binary data, or a file in another encoding."),
        ToolFinding(id: ReadDiagnosticID.rootNotMapping, name: "root-not-mapping", severity: .error,
                    description: "The document's root is not a mapping, so it is no template."),
        ToolFinding(id: ReadDiagnosticID.multipleDocuments, name: "multiple-documents", severity: .error,
                    description: "More than one YAML document in the stream: CloudFormation reads one template per file."),
        ToolFinding(id: ReadDiagnosticID.complexKey, name: "complex-key", severity: .error,
                    description: "A mapping key that is a sequence, a mapping or a function call: CloudFormation's keys are strings."),
        ToolFinding(id: ReadDiagnosticID.empty, name: "empty-file", severity: .error,
                    description: "The file holds no document."),
        ToolFinding(id: ReadDiagnosticID.tag, name: "unreadable-tag", severity: .error,
                    description: "A tag whose value cannot be read (`!!binary`, `!!int abc`)."),
        ToolFinding(id: ConfigurationFile.diagnosticID, name: "configuration", severity: .error,
                    description: "`.formwork.yml` (or a template's `Metadata: formwork: settings`) has an unknown key or a bad value; the templates it governs are not linted until it is fixed."),
        ToolFinding(id: "PR-01", name: "unknown-profile", severity: .error,
                    description: "The template names a profile nobody defines: the built-in ones (ephemeral, structural, production), the app's, or those of `profiles:` in `.formwork.yml`. The template is linted under `ephemeral` meanwhile."),
        ToolFinding(id: SuppressionRule.id, name: "suppressions", severity: .warning,
                    description: "A suppression in the template needs `rule:` and a `reason:` (unless `suppressionReasons: optional`), an `until:` date where `suppressionExpiry: required`, and must suppress something: one that no longer matches a finding is reported so that it does not hide the next one."),
        ToolFinding(id: SuppressionRule.expired, name: "suppression-expired", severity: .error,
                    description: "A suppression's `until:` date has passed (the day judged is the profile's evaluationDate, SOURCE_DATE_EPOCH or today): it suppresses nothing any more, so its findings are reported again, and it is itself an error, so that `check` fails until the finding is fixed or the suppression renewed."),
        ToolFinding(id: OutputCap.id, name: "report-cap", severity: .error,
                    description: "A report shows at most 1,000 findings per file; this finding counts the rest, at their highest severity, so that the exit code is unchanged. A rule past 1,000 findings in one file counts the rest without making them, in one such finding per rule at its severity."),
        ToolFinding(id: PatternBudgetFinding.id, name: "pattern-budget", severity: .info,
                    description: "Values a rule could not judge against their patterns (registry patterns, AllowedPattern) because the matcher's budget ran out: \(PatternBudget.stepsPerRule) steps per rule and \(PatternBudget.stepsPerFile) per file, each search at most 200,000. They are neither passed nor failed; the count says how many."),
        ToolFinding(id: CheckFindingID.stale, name: "compiled-template-current", severity: .error,
                    description: "`check`: a template the app compiles is missing from the repository, or differs from what `synth` writes (a hand edit, or a stack changed without running synth)."),
        ToolFinding(id: CheckFindingID.notCanonical, name: "canonical-format", severity: .error,
                    description: "`check` with `check: {canonical: true}` in `.formwork.yml`: the template is not in canonical form; `formwork fmt --write FILE` rewrites it."),
        ToolFinding(id: CheckFindingID.appFailed, name: "app-check", severity: .error,
                    description: "`check`: the repository's Formwork app (`check: {app: ...}` in `.formwork.yml`, or the executable target whose `@main` type conforms to `FormworkApp`) could not be run, or its own `check` failed."),
        ToolFinding(id: FormatDiagnosticID.selfCheck, name: "formatter-self-check", severity: .error,
                    description: "Canonical output failed its self-check: read back, it did not hold the same content and comments as the input. Nothing is written. A bug: please report it with the file."),
        ToolFinding(id: FormatDiagnosticID.comment, name: "formatter-comment", severity: .error,
                    description: "`fmt` cannot place a comment: one inside a flow collection (`[...]`, `{...}`), which the canonical form rewrites, or one on its own line between a key and a value the canonical form writes on the key's line. Nothing is written; move the comment above the key."),
    ]

    public static func finding(_ id: RuleID) -> ToolFinding? {
        all.first { $0.id == id }
    }

    /// The finding a user named by its id (any case) or its name.
    public static func finding(_ id: String) -> ToolFinding? {
        all.first { $0.id.isNamed(by: id) || $0.name == id }
    }
}

/// The ids `check` reports under, besides the rules.
public enum CheckFindingID {
    public static let stale: RuleID = "CK-01"
    public static let notCanonical: RuleID = "CK-02"
    public static let appFailed: RuleID = "CK-03"
}
