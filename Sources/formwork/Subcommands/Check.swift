import ArgumentParser
import Formwork

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "CI gate for a repository: every template lint-clean, every compiled template current.",
        discussion: """
        DIR (default .) is the repository. In a git work tree the files are git's (tracked, \
        and untracked but not ignored), else the folder's; `check: include:` in DIR's \
        .formwork.yml narrows them (globs, `**` spans folders). Every template among them \
        is linted under its own profile; `check: canonical: true` also requires `formwork \
        fmt` form (CK-02). When the repository has a Formwork app (`check: app: COMMAND`, \
        or an executable target whose @main type conforms to FormworkApp, run with \
        `swift run TARGET`), its own `check` runs too: a compiled template missing or \
        edited by hand fails it (CK-03). Under GITHUB_ACTIONS=true the findings are also \
        printed as workflow annotations.

        Exit codes: lint's bitmask of the findings at or above --fail-on (2 errors, \
        4 warnings, 8 informational); 0 clean; 64 usage error.
        """
    )

    @Argument(help: "The repository (default: the current folder).")
    var directory = "."

    @Option(help: "Also write the findings as SARIF to this file (for code scanning).")
    var sarif: String?

    @Option(help: "The lowest severity that counts for the exit code: error, warning, info or none.")
    var failOn: FailOn = .warning

    @Flag(inversion: .prefixedNo, help: "Print GitHub workflow annotations (default: when GITHUB_ACTIONS=true).")
    var annotations: Bool?

    @Option(help: "The Formwork app's command, run with `profiles` and `check` (default: `check: app:` in .formwork.yml, else the detected target).")
    var app: String?

    func run() throws {
        var check = RepositoryCheck(root: directory, profiles: .builtInWithChangeRules)
        check.failOn = failOn
        check.sarifFile = sarif
        check.app = app
        if let annotations { check.annotations = annotations }
        let code = check.run()
        if code != 0 { throw ExitCode(code) }
    }
}
