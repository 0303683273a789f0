import ArgumentParser
import Formwork
import FormworkTemplate

extension SourceFormat: ExpressibleByArgument {}

struct Fmt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Print templates in canonical form, or rewrite them in place.",
        discussion: """
        Canonical form: sections and resource attributes in a fixed order, 2-space block \
        YAML with short-form intrinsics (or 2-space JSON with long forms), strings quoted \
        wherever a YAML 1.1 reader would misread them. Comments stay with their keys and \
        items (JSON output drops them, with a note); a comment with no place in the \
        canonical form is refused (FMT-02). Before anything is printed or written, the \
        output is read back and must hold the same content and comments as the input.

        Exit codes: 0 success; 1 with --check, some files are not canonical; \
        2 a file could not be read, parsed or formatted (diagnostics on standard error, \
        nothing written); 64 usage error.
        """
    )

    @Argument(help: "Template files (YAML or JSON); '-' reads standard input.")
    var files: [String]

    @Option(help: "Output format: yaml or json (default: each file's own).")
    var format: SourceFormat?

    @Flag(help: "Replace each file with its canonical form (atomically).")
    var write = false

    @Flag(help: "Change nothing; list the files not in canonical form and exit 1 if any.")
    var check = false

    func validate() throws {
        if write && check { throw ValidationError("--write and --check cannot be used together") }
        if write && files.contains("-") { throw ValidationError("--write cannot rewrite standard input") }
    }

    func run() throws {
        var failed = false
        var unformatted: [String] = []
        for (index, path) in files.enumerated() {
            let outcome = FormatJob.run(path: path, format: format)
            guard let canonical = outcome.canonical else {
                Output.report(outcome.diagnostics)
                failed = true
                continue
            }
            if outcome.droppedComments > 0 {
                let count = outcome.droppedComments == 1 ? "1 comment" : "\(outcome.droppedComments) comments"
                Output.error("\(path.printable): note: \(count) dropped: JSON has none")
            }
            if check {
                if !outcome.isCanonical { unformatted.append(path) }
            } else if write {
                if !outcome.isCanonical {
                    if case .failure(let error) = FileIO.writeAtomically(canonical, to: path) {
                        Output.writeFailed(path, error)
                        failed = true
                    }
                }
            } else {
                if index > 0 && outcome.format == .yaml { Output.standardOutput(Array("---\n".utf8)) }
                Output.standardOutput(canonical)
            }
        }
        for path in unformatted {
            Output.line("not canonical: \(path.printable)")
        }
        if failed { throw ExitCode(2) }
        if !unformatted.isEmpty { throw ExitCode(1) }
    }
}
