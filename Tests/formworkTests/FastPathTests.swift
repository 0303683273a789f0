import ArgumentParser
@testable import formwork
import FormworkTemplate
import Testing

/// `formwork fmt`'s hand parse (`FastPath`) against ArgumentParser's definition of `Fmt`:
/// the same arguments make the same command, and the option names agree.
@Suite struct FastPathTests {
    /// What a parsed `Fmt` holds, to compare the two parses.
    struct Parsed: Equatable {
        var files: [String]
        var format: SourceFormat?
        var write: Bool
        var check: Bool

        init(_ command: Fmt) {
            files = command.files
            format = command.format
            write = command.write
            check = command.check
        }
    }

    static let taken: [[String]] = [
        ["a.yml"], ["-"], ["a.yml", "b.json", "-"],
        ["--format", "json", "a.yml"], ["a.yml", "--format", "yaml"], ["--format=json", "a.yml"],
        ["--write", "a.yml", "b.yml"], ["a.yml", "--check"], ["--format", "yaml", "--check", "a.yml", "b.yml"],
        ["help"], ["a b.yml", "ünïcode.yaml"],
    ]

    @Test(arguments: taken)
    func sameCommandBothWays(_ arguments: [String]) throws {
        let fast = try #require(FastPath.fmt(arguments[...]), "the fast path should take \(arguments)")
        let full = try Fmt.parse(arguments)
        #expect(Parsed(fast) == Parsed(full))
    }

    /// Arguments the fast path leaves to ArgumentParser (errors, help, the rarer forms).
    static let left: [[String]] = [
        [], ["--help"], ["-h"], ["--", "a.yml"], ["--write", "--check", "a.yml"], ["--write", "-"],
        ["--format", "xml", "a.yml"], ["--format"], ["--format", "json", "--format", "yaml", "a.yml"],
        ["--write", "--write", "a.yml"], ["--write=true", "a.yml"], ["--nope", "a.yml"], ["-x.yml"],
        ["--format", "-", "a.yml"], ["--check"],
    ]

    @Test(arguments: left)
    func leavesTheRestToArgumentParser(_ arguments: [String]) {
        #expect(FastPath.fmt(arguments[...]) == nil)
    }

    /// Every option ArgumentParser defines for `fmt` (but its help) is one the fast path
    /// reads, and the other way round: a new option must be taught to both or to neither.
    @Test func optionNamesAgree() {
        var defined = Self.longOptions(in: Fmt.helpMessage(columns: 1000))
        defined.remove("--help")
        #expect(defined == FastPath.fmtOptions)
    }

    /// The `--names` a help text mentions.
    static func longOptions(in help: String) -> Set<String> {
        var defined: Set<String> = []
        var rest = Substring(help)
        while let start = rest.firstRange(of: "--") {
            let name = rest[start.lowerBound...].prefix { $0 == "-" || $0.isLetter }
            if name.count > 2 { defined.insert(String(name)) }
            rest = rest[start.upperBound...]
        }
        return defined
    }
}
