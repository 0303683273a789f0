import ArgumentParser
import Formwork
@testable import formwork
import FormworkTemplate
import Testing

/// `formwork lint`'s hand parse (`FastPath.lint`) against ArgumentParser's definition of
/// `Lint`, parsed as the root command parses it: the same arguments make the same command,
/// every other form is left to ArgumentParser, and the option names agree.
@Suite struct LintFastPathTests {
    /// Every field of a `Lint`, to compare the two parses (reading a field the fast path left
    /// unset stops the test, as it would stop the command).
    struct Parsed: Equatable {
        var paths: [String]
        var format: LintPrinter.Format
        var failOn: FailOn
        var profile: String?
        var config: String?
        var outputFile: String?
        var quiet: Bool
        var onlyTemplates: Bool
        var ignoreChecks: [String]
        var includeChecks: [String]
        var regions: [String]
        var parameters: [String]
        var parameterFile: [String]
        var customRules: String?
        var pack: String?

        init(_ command: Lint) {
            paths = command.paths
            format = command.report.format
            failOn = command.report.failOn
            profile = command.profiles.profile
            config = command.profiles.config
            outputFile = command.outputFile
            quiet = command.quiet
            onlyTemplates = command.onlyTemplates
            ignoreChecks = command.ignoreChecks
            includeChecks = command.includeChecks
            regions = command.deployment.regions
            parameters = command.deployment.parameters
            parameterFile = command.deployment.parameterFile
            customRules = command.team.customRules
            pack = command.team.pack
        }
    }

    static let taken: [[String]] = [
        ["a.yml"], ["-"], ["a.yml", "b.json", "-"], ["help"], ["a b.yml", "ünïcode.yaml"],
        ["--format", "json", "a.yml"], ["a.yml", "--format", "sarif"], ["--format=junit", "a.yml"],
        ["--fail-on", "error", "a.yml"], ["--fail-on=none", "a.yml"],
        ["--profile", "structural", "--format", "json", "folder"], ["--profile=my-team", "a.yml"],
        ["--config", "team.yml", "a.yml"], ["--output-file", "report.json", "--format", "json", "a.yml"],
        ["--quiet", "a.yml"], ["a.yml", "--only-templates", "b.yml"],
        ["--profile", "production", "--fail-on", "info", "--quiet", "--only-templates", "--output-file=r.txt", "--format", "github", "--config=c.yml", "a.yml", "-"],
        ["Sources/formwork/*.swift"],
    ]

    @Test(arguments: taken)
    func sameCommandBothWays(_ arguments: [String]) throws {
        let fast = try #require(FastPath.lint(arguments[...]), "the fast path should take \(arguments)")
        let full = try #require(try FormworkCommand.parseAsRoot(["lint"] + arguments) as? Lint)
        #expect(Parsed(fast) == Parsed(full))
    }

    /// Arguments the fast path leaves to ArgumentParser: errors, help, the rarer options and
    /// forms (a short name, `=` on a flag, a repeat, a value that looks like an option).
    static let left: [[String]] = [
        [], ["--help"], ["-h"], ["--", "a.yml"], ["-q", "a.yml"], ["--quiet", "--quiet", "a.yml"], ["--quiet=true", "a.yml"],
        ["--format", "xml", "a.yml"], ["--format"], ["a.yml", "--format"], ["--format", "json", "--format", "text", "a.yml"],
        ["--fail-on", "fatal", "a.yml"], ["--profile", "-", "a.yml"], ["--profile", "--quiet", "a.yml"], ["--profile=", "a.yml"],
        ["--output-file", "-x", "a.yml"], ["--config", "a.yml"], ["--quiet"],
        ["--ignore-checks", "LC-01", "a.yml"], ["--include-checks=LC-01", "a.yml"], ["--regions", "us-east-1", "a.yml"],
        ["--parameters", "A=b", "a.yml"], ["--parameter-file", "p.json", "a.yml"], ["-z", "rules.txt", "a.yml"],
        ["--custom-rules", "rules.txt", "a.yml"], ["--pack", "cis", "a.yml"], ["--nope", "a.yml"], ["-x.yml"], ["--version"],
        ["no-such-folder-*/none-*.yml"],
    ]

    @Test(arguments: left)
    func leavesTheRestToArgumentParser(_ arguments: [String]) {
        #expect(FastPath.lint(arguments[...]) == nil)
    }

    /// What the fast path declines as an error, ArgumentParser refuses too (so the user sees
    /// its message, not a lint).
    static let refused: [[String]] = [
        [], ["--format", "xml", "a.yml"], ["--format"], ["--fail-on", "fatal", "a.yml"], ["--profile", "--quiet", "a.yml"],
        ["--config", "a.yml"], ["--nope", "a.yml"], ["no-such-folder-*/none-*.yml"],
    ]

    @Test(arguments: refused)
    func refusedBothWays(_ arguments: [String]) {
        #expect(FastPath.lint(arguments[...]) == nil)
        #expect(throws: (any Error).self) { try FormworkCommand.parseAsRoot(["lint"] + arguments) }
    }

    /// Every option ArgumentParser defines for `lint` (but its help) is one the fast path
    /// reads or one it leaves, and no name is both: a new option must be placed in one set.
    @Test func optionNamesAgree() {
        var defined = FastPathTests.longOptions(in: Lint.helpMessage(columns: 1000))
        defined.remove("--help")
        defined.remove("--version")
        #expect(FastPath.lintOptions.isDisjoint(with: FastPath.lintOptionsLeft))
        #expect(defined == FastPath.lintOptions.union(FastPath.lintOptionsLeft))
    }
}
