import FormworkSchema
import FormworkTemplate

/// `formwork lint` as a library call: find the files, lint them in parallel on all cores,
/// and collect one report in a deterministic order.
public enum LintJob {
    /// `config` is a `--config` file; without it each template finds its `.formwork.yml`.
    public static func run(paths: [String], profile: String?, config: String? = nil, registry: SchemaRegistry) -> LintReport {
        let found = TemplateFinder.find(paths)
        let linter = Linter(registry: registry)
        var results = Parallel.map(found.files) { file -> LintReport.FileResult? in
            let configPath = config ?? ConfigurationFile.locate(for: file)
            var configuration: ConfigurationFile?
            if let configPath {
                switch ConfigurationFile.load(configPath) {
                case .success(let loaded): configuration = loaded
                case .failure(let problems): return LintReport.FileResult(file: configPath, diagnostics: problems.diagnostics)
                }
                if configuration!.excludes(file) { return nil }
            }
            return lint(file: file, profile: profile, configuration: configuration, linter: linter)
        }.compactMap { $0 }
        // A broken configuration is reported once, however many templates it governs.
        var seen = Set<String>()
        results = results.filter { result in
            guard result.diagnostics.first?.ruleID == ConfigurationFile.diagnosticID else { return true }
            return seen.insert(result.file).inserted
        }
        for missing in found.missing {
            results.append(LintReport.FileResult(file: missing, diagnostics: [
                Diagnostic(ruleID: ReadDiagnosticID.io, message: "no such file or folder", file: missing, location: .none),
            ]))
        }
        return LintReport(files: results, skipped: found.skipped.count)
    }

    public static func lint(file: String, profile: String?, configuration file_: ConfigurationFile? = nil, linter: Linter) -> LintReport.FileResult {
        let read = TemplateReader.read(path: file)
        guard let template = read.template else { return LintReport.FileResult(file: file, diagnostics: read.diagnostics) }
        var diagnostics: [Diagnostic] = []
        let declared = Linter.declaredProfile(template)
        let name = profile ?? declared ?? file_?.profile ?? "ephemeral"
        var configuration = file_.map { $0.configuration(profile: profile, declared: declared) } ?? LintConfiguration.builtIn(name)
        if configuration == nil {
            let place = template.metadata?["formwork"]?["profile"]?.location ?? Location(line: 1, column: 1)
            diagnostics.append(Diagnostic(ruleID: "PR-01", severity: .error,
                                          message: "unknown profile '\(name)'; known: \(LintConfiguration.builtInNames.joined(separator: ", "))",
                                          file: file, location: place, path: [.key("Metadata"), .key("formwork"), .key("profile")]))
            configuration = LintConfiguration.builtIn("ephemeral")
        }
        diagnostics += linter.lint(template, file: file, configuration: configuration!)
        return LintReport.FileResult(file: file, diagnostics: diagnostics.sorted(by: Diagnostic.reportOrder))
    }
}
