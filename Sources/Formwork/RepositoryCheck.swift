#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FormworkRuleKit
import FormworkRules
import FormworkSchemaData
import FormworkTemplate

/// `formwork check [DIR]`: the CI gate for any repository. Finds the templates (in a git
/// repository the tracked files and the untracked ones not ignored, else the folder),
/// keeps those `check: include:` of the root's `.formwork.yml` names, lints them under their
/// own profiles, checks canonical form when the configuration asks (`CK-02`), and runs the
/// repository's Formwork app's own `check` (compiled templates current; `CK-03` when it
/// fails). Exit codes are lint's bitmask.
package struct RepositoryCheck {
    package var root: String
    package var profiles: ProfileCatalogue
    package var failOn: FailOn = .warning
    package var sarifFile: String?
    /// GitHub workflow annotations besides the text (on by default under `GITHUB_ACTIONS=true`).
    package var annotations = false
    package var version = FormworkVersion.current
    /// The longest the app's check may take.
    package var appTimeoutSeconds = 1_800
    /// The app's command when given (`--app`: the SwiftPM plugin passes the app it built),
    /// over `check: app:` and the detected target.
    package var app: String?

    package init(root: String, profiles: ProfileCatalogue) {
        self.root = root
        self.profiles = profiles
        if let value = getenv("GITHUB_ACTIONS"), String(cString: value) == "true" { annotations = true }
    }

    /// How the files were found, for the summary.
    enum Discovery: String { case git = "git", folder = "folder" }

    package func run() -> Int32 {
        guard let info = FileIO.status(root), (info.st_mode & S_IFMT) == S_IFDIR else {
            Output.error("\(root.printable): error: \(FileIO.status(root) == nil ? "no such folder" : "not a folder") [PS-00]")
            return 2
        }
        var extra: [LintReport.FileResult] = []
        let configPath = Self.join(root, ConfigurationFile.fileName)
        // A broken file leaves the defaults here: the linted templates below it report its CF-01 errors.
        let settings = (try? Self.settings(in: root, profiles: profiles).get()) ?? CheckSettings()
        let (relative, discovery, unreadable) = files()
        let chosen = relative.filter { TemplateFinder.hasTemplateExtension($0) && !TemplateFinder.isInIgnoredFolder($0) && settings.includes($0) }
        let appCommand = app ?? (settings.appDisabled ? nil : (settings.app ?? Self.detectedApp(in: root)))
        // The app's templates name the app's profiles: ask it for them first.
        var catalogue = profiles
        if let command = appCommand {
            Output.error("check: running `\(command) profiles` in \(root)")
            let listed = Subprocess.run(["/bin/sh", "-c", command + " profiles"], in: root, capture: true, timeoutSeconds: appTimeoutSeconds)
            if listed.status == 0, case .success(let file) = ConfigurationFile.load(bytes: listed.output, name: "`\(command) profiles`", profiles: profiles) {
                catalogue = file.profiles
            } else {
                let why = listed.problem ?? (listed.status == 0 ? "its output is not a profiles document" : "exit code \(listed.status.map(String.init) ?? "?")")
                let place = FileIO.exists(configPath) ? configPath : Self.join(root, "Package.swift")
                extra.append(LintReport.FileResult(file: place, diagnostics: [Diagnostic(
                    ruleID: CheckFindingID.appFailed, message: "the app's profiles could not be read (`\(command) profiles`: \(why)); its templates are linted without them",
                    file: place, location: Location(line: 1, column: 1))]))
            }
        }
        var candidates = TemplateFinder.Candidates(inFolders: chosen.map { Self.join(root, $0) })
        candidates.unreadable = unreadable
        var report = LintJob.run(candidates: candidates, profile: nil, profiles: catalogue, registry: .shared, progress: ProgressLine.standardError(verb: "checking"))

        var canonicalChecked = 0
        if settings.canonical {
            for file in report.files where !file.diagnostics.contains(where: { $0.ruleID.isReadError }) {
                canonicalChecked += 1
                let outcome = FormatJob.run(path: file.file)
                if outcome.canonical != nil, !outcome.isCanonical {
                    extra.append(LintReport.FileResult(file: file.file, diagnostics: [Diagnostic(
                        ruleID: CheckFindingID.notCanonical, message: "not in canonical form", file: file.file, location: Location(line: 1, column: 1),
                        hint: "run `formwork fmt --write \(file.file)`")]))
                }
            }
        }

        var appLine = "no Formwork app"
        if let command = appCommand {
            appLine = "app `\(command) check`"
            Output.error("check: running `\(command) check` in \(root)")
            let outcome = Subprocess.run(["/bin/sh", "-c", command + " check"], in: root, capture: false, timeoutSeconds: appTimeoutSeconds)
            if outcome.status != 0 {
                let why = outcome.problem ?? "exit code \(outcome.status.map(String.init) ?? "?")"
                let place = FileIO.exists(configPath) ? configPath : Self.join(root, "Package.swift")
                extra.append(LintReport.FileResult(file: place, diagnostics: [Diagnostic(
                    ruleID: CheckFindingID.appFailed, message: "the app's check failed (`\(command) check`: \(why)); its output above names the files",
                    file: place, location: Location(line: 1, column: 1))]))
            }
        }
        let linted = report.files.count
        report.files += extra
        // Every finding lint reports is shown (informational ones too, as `formwork lint`
        // shows them); `--fail-on` decides only what counts for the exit code.
        let code = failOn.severity.map { report.exitCode(failOn: $0) } ?? 0

        let findings = report.diagnostics
        if !findings.isEmpty { Output.standardOutput(Array(LintReporters.text(report, quiet: true).utf8)) }
        if annotations { Output.standardOutput(Array(LintReporters.github(report).utf8)) }
        if let sarifFile {
            if case .failure(let error) = FileIO.writeAtomically(LintReporters.sarif(report, version: version, exitCode: code, root: root), to: sarifFile) {
                Output.writeFailed(sarifFile, error)
                return code | 2
            }
        }
        Output.standardOutput(Array(summary(findings: findings, linted: linted, canonical: settings.canonical ? canonicalChecked : nil,
                                            app: appLine, discovery: discovery, considered: chosen.count, skipped: report.skipped, code: code).utf8))
        return code
    }

    func summary(findings: [Diagnostic], linted: Int, canonical: Int?, app: String, discovery: Discovery, considered: Int, skipped: Int, code: Int32) -> String {
        func count(_ ids: (RuleID) -> Bool, _ severity: Severity) -> Int { findings.filter { ids($0.ruleID) && $0.severity == severity }.count }
        let isLint: (RuleID) -> Bool = { $0 != CheckFindingID.notCanonical && $0 != CheckFindingID.appFailed }
        var rows: [[String]] = [["step", "files", "errors", "warnings", "info"]]
        rows.append(["lint", "\(linted)", "\(count(isLint, .error))", "\(count(isLint, .warning))", "\(count(isLint, .info))"])
        if let canonical { rows.append(["canonical form", "\(canonical)", "\(count({ $0 == CheckFindingID.notCanonical }, .error))", "-", "-"]) }
        if app != "no Formwork app" { rows.append(["app check", "-", "\(count({ $0 == CheckFindingID.appFailed }, .error))", "-", "-"]) }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max()! }
        var lines = rows.map { row in
            row.enumerated().map { index, cell in
                index == 0 ? cell + String(repeating: " ", count: widths[0] - cell.count) : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }
        lines.append("check: \(considered) candidate file\(considered == 1 ? "" : "s") from \(discovery == .git ? "git" : "the folder"), \(skipped == 1 ? "1 not a template" : "\(skipped) not templates"); \(app): \(code == 0 ? "clean" : "FAILED")")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The repository's files relative to the root: git's list (tracked, and untracked not
    /// ignored) when the root is in a work tree, else a walk of the folder.
    func files() -> ([String], Discovery, [(path: String, reason: String)]) {
        let listed = Subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate"], in: root, capture: true, timeoutSeconds: 60, silenceErrors: true)
        if listed.status == 0 {
            let names = listed.output.split(separator: 0).map { FileIO.displayPath(Array($0)) }
            // Deleted but still tracked files are listed too: keep what is there (a broken link
            // is there, and reported when it is read).
            return (Array(Set(names)).sorted().filter { FileIO.status(Self.join(root, $0), followingLinks: false) != nil }, .git, [])
        }
        let found = TemplateFinder.candidates([root])
        let prefix = root.hasSuffix("/") ? root : root + "/"
        let unreadable = found.unreadable.map { entry in (path: root == "." && entry.path.hasPrefix("./") ? String(entry.path.dropFirst(2)) : entry.path, reason: entry.reason) }
        return (found.inFolders.map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }, .folder, unreadable)
    }

    /// The command that runs the repository's Formwork app: `check: app:` in the root's
    /// `.formwork.yml`, else an executable target whose `@main` type conforms to
    /// `FormworkApp` (`swift run TARGET`); nil when there is none or the file says `none`.
    package static func appCommand(in root: String, profiles: ProfileCatalogue) -> Result<String?, ConfigurationErrors> {
        settings(in: root, profiles: profiles).map { $0.appDisabled ? nil : ($0.app ?? detectedApp(in: root)) }
    }

    /// The `check:` section of the root's `.formwork.yml` (the defaults when there is none).
    static func settings(in root: String, profiles: ProfileCatalogue) -> Result<CheckSettings, ConfigurationErrors> {
        let configPath = Self.join(root, ConfigurationFile.fileName)
        guard FileIO.exists(configPath) else { return .success(CheckSettings()) }
        return ConfigurationFile.load(configPath, profiles: profiles).map(\.check)
    }

    /// An executable target whose `@main` type conforms to `FormworkApp`: `swift run TARGET`.
    static func detectedApp(in root: String) -> String? {
        guard FileIO.exists(Self.join(root, "Package.swift")), let targets = TemplateFinder.entries(Self.join(root, "Sources")) else { return nil }
        for target in targets {
            for file in TemplateFinder.entries(target) ?? [] where file.hasSuffix(".swift") {
                guard case .success(let bytes) = FileIO.read(file, maxBytes: 1 << 20) else { continue }
                let text = String(decoding: bytes, as: UTF8.self)
                if text.contains("@main"), text.contains(": FormworkApp") {
                    return "swift run \(target[target.index(after: target.lastIndex(of: "/")!)...])"
                }
            }
        }
        return nil
    }

    static func join(_ folder: String, _ name: String) -> String {
        if folder == "." { return name }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
