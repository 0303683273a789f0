import Dispatch
import FormworkRuleKit
import FormworkSchema
import FormworkTemplate

/// `formwork lint` as a library call: find the files, lint them in parallel on all cores,
/// and collect one report in a deterministic order.
public enum LintJob {
    /// `config` is a `--config` file; without it each template finds its `.formwork.yml`.
    /// Each file is read once (the read decides whether a file found in a folder is a
    /// template), and each configuration file is loaded once.
    /// `profiles` are the profiles templates may name besides those a `.formwork.yml` defines.
    /// `selection` is what the command line changes over every template's profile.
    public static func run(paths: [String], profile: String?, config: String? = nil, profiles: ProfileCatalogue = .builtIn, registry: SchemaRegistry,
                           selection: LintSelection = LintSelection()) -> LintReport {
        startWorkerThread()
        return run(candidates: TemplateFinder.candidates(paths), profile: profile, config: config, profiles: profiles, registry: registry, selection: selection)
    }

    /// Starts a thread of the pool the rule groups run on, before the files are read: the
    /// first file's groups then run side by side at once instead of waiting ~2 ms for it.
    /// What a caller of `run(candidates:...)` calls first, as `run(paths:...)` does.
    package static func startWorkerThread() {
        DispatchQueue.global().async {}
    }

    /// Lints files already found (`check` lists a repository's files itself): the named ones
    /// whatever they hold, the others when they are templates.
    /// `progress` hears of each file as it is done (a progress line on a terminal).
    public static func run(candidates: TemplateFinder.Candidates, profile: String?, config: String? = nil, profiles: ProfileCatalogue = .builtIn,
                           registry: SchemaRegistry, selection: LintSelection = LintSelection(), progress: (any LintProgress)? = nil) -> LintReport {
        run(candidates: candidates, profile: profile, config: config, profiles: profiles, registry: registry, selection: selection, progress: progress, loaded: nil)
    }

    /// The same, given a configuration file the caller has loaded already (the command line
    /// loads the repository's for `profiles`): the templates under it use it as loaded,
    /// instead of reading it again.
    package static func run(candidates: TemplateFinder.Candidates, profile: String?, config: String?, profiles: ProfileCatalogue, registry: SchemaRegistry,
                            selection: LintSelection, progress: (any LintProgress)?, loaded configuration: ConfigurationFile.Loaded?) -> LintReport {
        let linter = Linter(registry: registry)
        let files = candidates.named.map { ($0, true) } + candidates.inFolders.map { ($0, false) }
        var pathsFound: [String: String] = [:]
        var loaded: [String: Result<ConfigurationFile, ConfigurationErrors>] = [:]
        for (file, _) in files {
            guard let path = config ?? ConfigurationFile.locate(for: file) else { continue }
            pathsFound[file] = path
            if loaded[path] == nil { loaded[path] = path == configuration?.path ? configuration?.result : ConfigurationFile.load(path, profiles: profiles) }
        }
        let configPaths = pathsFound, configurations = loaded
        var results: [LintReport.FileResult] = []
        for path in configurations.keys.sorted() {
            if case .failure(let problems) = configurations[path]! { results.append(LintReport.FileResult(file: path, diagnostics: selection.filter(problems.diagnostics))) }
        }
        enum Outcome: Sendable { case linted(LintReport.FileResult), skipped, excluded }
        @Sendable func outcome(_ file: String, _ named: Bool) -> Outcome {
            var configuration: ConfigurationFile?
            if let path = configPaths[file] {
                guard case .success(let loaded) = configurations[path]! else { return .excluded }
                if loaded.excludes(file) { return .excluded }
                configuration = loaded
            }
            // A file found in a folder is a template when its root mapping says so; one whose
            // root is a list (a parameters file) or a scalar is skipped, as any non-template.
            let read = TemplateReader.read(path: file, requireMapping: named)
            if !named, !TemplateFinder.isTemplate(read) { return .skipped }
            return .linted(lint(read: read, file: file, profile: profile, configuration: configuration, profiles: profiles, linter: linter, selection: selection))
        }
        progress?.start(total: files.count)
        let outcomes = Parallel.map(files) { file, named -> Outcome in
            guard let progress else { return outcome(file, named) }
            var result = Outcome.excluded
            let took = ContinuousClock().measure { result = outcome(file, named) }
            progress.finished(file, seconds: took.seconds)
            return result
        }
        progress?.end()
        var skipped = 0
        for outcome in outcomes {
            switch outcome {
            case .linted(let result): results.append(result)
            case .skipped: skipped += 1
            case .excluded: break
            }
        }
        for (path, reason) in candidates.unreadable {
            results.append(LintReport.FileResult(file: path, diagnostics: [
                Diagnostic(ruleID: ReadDiagnosticID.io, message: "\(reason): not linted", file: path, location: Location(line: 1, column: 1)),
            ]))
        }
        skipped += candidates.loops.count + candidates.notEntered.reduce(0) { $0 + $1.files }
        for missing in candidates.missing {
            results.append(LintReport.FileResult(file: missing, diagnostics: [
                Diagnostic(ruleID: ReadDiagnosticID.io, message: "no such file or folder", file: missing, location: Location(line: 1, column: 1)),
            ]))
        }
        var report = LintReport(files: results, skipped: skipped)
        report.notEntered = candidates.notEntered.map { LintReport.FolderSkip(folder: $0.folder, files: $0.files) }.sorted { $0.folder < $1.folder }
        return report
    }

    /// Lints text already read (an editor's buffer) as the file `file`: its `.formwork.yml`
    /// is found from the file's folder, as `run` finds it.
    public static func lint(bytes: [UInt8], file: String, profile: String? = nil, profiles: ProfileCatalogue = .builtIn, linter: Linter,
                            selection: LintSelection = LintSelection()) -> LintReport.FileResult {
        lint(read: TemplateReader.read(bytes, file: file), file: file, profile: profile, profiles: profiles, linter: linter, selection: selection)
    }

    /// The same for text its caller has read already (the editor keeps the tree).
    public static func lint(read: ReadResult, file: String, profile: String? = nil, profiles: ProfileCatalogue = .builtIn, linter: Linter,
                            selection: LintSelection = LintSelection()) -> LintReport.FileResult {
        var configuration: ConfigurationFile?
        if let path = ConfigurationFile.locate(for: file) {
            switch ConfigurationFile.load(path, profiles: profiles) {
            case .success(let loaded):
                if loaded.excludes(file) { return LintReport.FileResult(file: file, diagnostics: []) }
                configuration = loaded
            case .failure(let problems):
                return LintReport.FileResult(file: file, diagnostics: problems.diagnostics)
            }
        }
        return lint(read: read, file: file, profile: profile, configuration: configuration, profiles: profiles, linter: linter, selection: selection)
    }

    /// The profile `lint(read:file:...)` lints a template under, for an editor that runs the
    /// rules itself (``Linter/judge``); nil when that lint would not run them under one
    /// profile (the configuration does not load or excludes the file, the profile does not
    /// resolve).
    package static func editorProfile(for template: Template, file: String, profiles: ProfileCatalogue) -> Profile? {
        var configuration: ConfigurationFile?
        if let path = ConfigurationFile.locate(for: file) {
            guard case .success(let loaded) = ConfigurationFile.load(path, profiles: profiles), !loaded.excludes(file) else { return nil }
            configuration = loaded
        }
        guard case .success(var profile) = Profile.resolve(for: template, file: file, explicit: nil, configuration: configuration, profiles: profiles) else { return nil }
        LintSelection().apply(to: &profile)
        return profile
    }

    public static func lint(file: String, profile: String?, configuration file_: ConfigurationFile? = nil, profiles: ProfileCatalogue = .builtIn, linter: Linter) -> LintReport.FileResult {
        lint(read: TemplateReader.read(path: file), file: file, profile: profile, configuration: file_, profiles: profiles, linter: linter)
    }

    static func lint(read: ReadResult, file: String, profile: String?, configuration file_: ConfigurationFile?, profiles: ProfileCatalogue, linter: Linter,
                     selection: LintSelection = LintSelection()) -> LintReport.FileResult {
        guard let template = read.template else { return LintReport.FileResult(file: file, diagnostics: selection.filter(read.diagnostics)) }
        let diagnostics: [Diagnostic]
        switch Profile.resolve(for: template, file: file, explicit: profile, configuration: file_, profiles: profiles) {
        case .failure(let errors):
            // Under ephemeral, with the file's settings (its data rules) still over it.
            var fallback = file_?.configuration(profile: "ephemeral", declared: nil) ?? Profile.ephemeral
            selection.apply(to: &fallback)
            diagnostics = (errors.diagnostics + linter.lint(template, file: file, configuration: fallback)).sortedForReport()
        case .success(var configuration):
            selection.apply(to: &configuration)
            diagnostics = linter.lint(template, file: file, configuration: configuration)
        }
        var result = LintReport.FileResult(file: file, diagnostics: linter.capsFindings ? Linter.capped(selection.filter(diagnostics), file: file) : selection.filter(diagnostics))
        result.houseDefaults = profile == nil && file_ == nil && Linter.declaredProfile(template) == nil
        return result
    }
}

extension Profile {
    /// The profile a template is linted under: `explicit` (`--profile`), else the one its
    /// Metadata names, else the configuration file's, else `ephemeral`; with the file's
    /// settings and then the template's own `Metadata: formwork: settings` over it. An
    /// unknown name or a bad setting is a located `PR-01` / `CF-01`.
    public static func resolve(for template: Template, file: String?, explicit: String?, configuration: ConfigurationFile?,
                               profiles: ProfileCatalogue) -> Result<Profile, ConfigurationErrors> {
        let declared = Linter.declaredProfile(template)
        let catalogue = configuration?.profiles ?? profiles
        let name = explicit ?? declared ?? configuration?.profile ?? "ephemeral"
        guard var resolved = configuration.flatMap({ $0.configuration(profile: explicit, declared: declared) }) ?? catalogue.named(name) else {
            let place = template.metadata?["formwork"]?["profile"]?.location ?? Location(line: 1, column: 1)
            return .failure(ConfigurationErrors(diagnostics: [Diagnostic(ruleID: "PR-01", severity: .error,
                message: "unknown profile '\(name)'; known: \(catalogue.names.joined(separator: ", ")) (a team defines its own under `profiles:` in .formwork.yml)",
                file: file, location: place, path: [.key("Metadata"), .key("formwork"), .key("profile")])]))
        }
        if let settings = template.metadata?["formwork"]?["settings"] {
            guard let map = settings.objectValue else {
                return .failure(ConfigurationErrors(diagnostics: [Diagnostic(ruleID: ConfigurationFile.diagnosticID, message: "Metadata formwork.settings must be a mapping of profile settings",
                                                                             file: file, location: settings.location.isKnown ? settings.location : Location(line: 1, column: 1),
                                                                             path: [.key("Metadata"), .key("formwork"), .key("settings")])]))
            }
            switch ConfigurationFile.parseSettings(map, file: file, section: nil, others: profiles.otherRules) {
            case .success(let apply): apply(&resolved)
            case .failure(let errors):
                return .failure(ConfigurationErrors(diagnostics: errors.diagnostics.map { diagnostic in
                    var copy = diagnostic
                    copy.path = [.key("Metadata"), .key("formwork"), .key("settings")] + diagnostic.path
                    return copy
                }))
            }
        }
        return .success(resolved)
    }
}
