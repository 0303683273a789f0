import ArgumentParser
import FormworkTemplate

#if canImport(Glibc)
import Glibc
#endif

/// `formwork fmt` with plain arguments, parsed without ArgumentParser: its parse reflects
/// the command types and looks up generic metadata by mangled name (12 M instructions, a
/// sixth of a fmt of seed 004, more than the formatting of a small file).
///
/// Only the plainest forms take this path: file names and `-`, and each of `Fmt`'s own
/// options at most once, by its long name. Anything else (`--help`, `--`, `-x`, a repeated
/// or unknown option, a value that is not a format, no file, a combination `validate()`
/// refuses) goes through ArgumentParser as before, which gives its usual errors. The names
/// here are checked against ArgumentParser's definition of `Fmt` by `FastPathTests`: the
/// same arguments parse to the same command both ways.
enum FastPath {
    /// The long names of `Fmt`'s options that this path reads.
    static let fmtOptions: Set<String> = ["--format", "--write", "--check"]

    /// The `fmt` command `arguments` (after `fmt`) describe, or nil to leave them to
    /// ArgumentParser.
    static func fmt(_ arguments: ArraySlice<String>) -> Fmt? {
        var files: [String] = []
        var format: SourceFormat?
        var write = false, check = false
        var seen: Set<String> = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let word = arguments[index]
            index += 1
            guard word.utf8.first == UInt8(ascii: "-"), word != "-" else {
                files.append(word)
                continue
            }
            var name = word
            var attached: String?
            if let equals = word.utf8.firstIndex(of: UInt8(ascii: "=")) {
                name = String(word[..<equals])
                attached = String(word[word.index(after: equals)...])
            }
            guard fmtOptions.contains(name), seen.insert(name).inserted else { return nil }
            switch name {
            case "--format":
                let value: String
                if let attached {
                    value = attached
                } else {
                    guard index < arguments.endIndex else { return nil }
                    value = arguments[index]
                    index += 1
                }
                guard let parsed = SourceFormat(rawValue: value) else { return nil }
                format = parsed
            case "--write":
                guard attached == nil else { return nil }
                write = true
            default:
                guard attached == nil else { return nil }
                check = true
            }
        }
        guard !files.isEmpty else { return nil }
        var command = Fmt()
        command.files = files
        command.format = format
        command.write = write
        command.check = check
        do {
            try command.validate()
        } catch {
            return nil
        }
        return command
    }

    /// Runs `command` as ArgumentParser's `main` would: an `ExitCode` exits with its code and
    /// no message, any other error is reported the usual way.
    static func run(_ command: consuming Fmt) -> Never {
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
