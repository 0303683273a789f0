import ArgumentParser
import Formwork
import FormworkTemplate

#if canImport(Glibc)
import Glibc
#endif

/// `formwork fmt` and `formwork lint` with plain arguments, parsed without ArgumentParser:
/// its parse reflects the command types and looks up generic metadata by mangled name (12 M
/// instructions of a fmt of seed 004, a sixth of it, more than the formatting of a small
/// file; 16 M of a lint of seed 004, whose command has four option groups).
///
/// Only the plainest forms take this path: file names and `-`, and each of the command's
/// options this path reads at most once, by its long name. Anything else (`--help`, `--`,
/// `-x`, a repeated or unknown option, a value that is not a format, no file, a combination
/// `validate()` refuses) goes through ArgumentParser as before, which gives its usual
/// errors. The names here are checked against ArgumentParser's definitions of `Fmt` and
/// `Lint` by `FastPathTests` and `LintFastPathTests`: the same arguments parse to the same
/// command both ways.
enum FastPath {
    /// What `scan` found: the plain words (files, `-`), each option's value, the flags given.
    struct Scanned {
        var words: [String] = []
        var values: [String: String] = [:]
        var flags: Set<String> = []
    }

    /// `arguments` as plain words, `--name VALUE` / `--name=VALUE` options of `options` and
    /// `--name` flags of `flags`, each at most once; nil for anything else (another option, a
    /// short one, a repeat, a flag with `=`, a missing value, or a value that is empty or
    /// starts with `-`, which ArgumentParser reads as an option).
    static func scan(_ arguments: ArraySlice<String>, options: Set<String>, flags: Set<String>) -> Scanned? {
        var scanned = Scanned()
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let word = arguments[index]
            index += 1
            guard word.utf8.first == UInt8(ascii: "-"), word != "-" else {
                scanned.words.append(word)
                continue
            }
            var name = word
            var attached: String?
            if let equals = word.utf8.firstIndex(of: UInt8(ascii: "=")) {
                name = String(word[..<equals])
                attached = String(word[word.index(after: equals)...])
            }
            guard scanned.values[name] == nil, !scanned.flags.contains(name) else { return nil }
            if flags.contains(name) {
                guard attached == nil else { return nil }
                scanned.flags.insert(name)
                continue
            }
            guard options.contains(name) else { return nil }
            let value: String
            if let attached {
                value = attached
            } else {
                guard index < arguments.endIndex else { return nil }
                value = arguments[index]
                index += 1
            }
            guard let first = value.utf8.first, first != UInt8(ascii: "-") else { return nil }
            scanned.values[name] = value
        }
        return scanned
    }

    /// The long names of `Fmt`'s options that this path reads.
    static let fmtOptions: Set<String> = ["--format", "--write", "--check"]

    /// The `fmt` command `arguments` (after `fmt`) describe, or nil to leave them to
    /// ArgumentParser.
    static func fmt(_ arguments: ArraySlice<String>) -> Fmt? {
        guard let scanned = scan(arguments, options: ["--format"], flags: ["--write", "--check"]), !scanned.words.isEmpty else { return nil }
        var format: SourceFormat?
        if let value = scanned.values["--format"] {
            guard let parsed = SourceFormat(rawValue: value) else { return nil }
            format = parsed
        }
        var command = Fmt()
        command.files = scanned.words
        command.format = format
        command.write = scanned.flags.contains("--write")
        command.check = scanned.flags.contains("--check")
        do {
            try command.validate()
        } catch {
            return nil
        }
        return command
    }

    /// The long names of `Lint`'s options that this path reads: the forms editors, hooks and
    /// CI use; the others (checks, deployment values, custom rules, packs, `-q`) go through
    /// ArgumentParser.
    static let lintOptions: Set<String> = ["--format", "--fail-on", "--profile", "--config", "--output-file", "--quiet", "--only-templates"]

    /// `Lint`'s options this path leaves to ArgumentParser (`LintFastPathTests` checks that the
    /// two sets are all of `Lint`'s: a new option must be added to one of them, and, when it is
    /// read here, given its value in `lint`).
    static let lintOptionsLeft: Set<String> = ["--ignore-checks", "--include-checks", "--regions", "--parameters", "--parameter-file", "--custom-rules", "--pack"]

    /// The `lint` command `arguments` (after `lint`) describe, or nil to leave them to
    /// ArgumentParser (paths and `-`, each option of `lintOptions` at most once by its long
    /// name, and nothing `validate()` refuses).
    static func lint(_ arguments: ArraySlice<String>) -> Lint? {
        let flags: Set<String> = ["--quiet", "--only-templates"]
        guard let scanned = scan(arguments, options: lintOptions.subtracting(flags), flags: flags), !scanned.words.isEmpty else { return nil }
        let values = scanned.values
        var report = ReportOptions()
        guard let format = LintPrinter.Format(argument: values["--format"] ?? "text"),
              let failOn = FailOn(argument: values["--fail-on"] ?? "warning") else { return nil }
        report.format = format
        report.failOn = failOn
        var profiles = ProfileOptions()
        profiles.profile = values["--profile"]
        profiles.config = values["--config"]
        var deployment = DeploymentValueOptions()
        deployment.regions = []
        deployment.parameters = []
        deployment.parameterFile = []
        var team = TeamRuleOptions()
        team.customRules = nil
        team.pack = nil
        var command = Lint()
        command.paths = scanned.words
        command.report = report
        command.profiles = profiles
        command.outputFile = values["--output-file"]
        command.quiet = scanned.flags.contains("--quiet")
        command.onlyTemplates = scanned.flags.contains("--only-templates")
        command.ignoreChecks = []
        command.includeChecks = []
        command.deployment = deployment
        command.team = team
        do {
            try command.deployment.validate()
            try command.team.validate()
            try command.validate()
        } catch {
            return nil
        }
        return command
    }

    /// Runs `command` as ArgumentParser's `main` would: an `ExitCode` exits with its code and
    /// no message, any other error is reported the usual way.
    static func run(_ command: consuming some ParsableCommand) -> Never {
        do {
            try command.run()
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            FormworkCommand.exit(withError: error)
        }
        Glibc.exit(0)
    }
}
