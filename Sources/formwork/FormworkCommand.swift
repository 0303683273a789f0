import ArgumentParser
import FormworkTemplate

#if canImport(Glibc)
import Glibc
#endif

@main
struct FormworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formwork",
        abstract: "Typed CloudFormation: compile, validate, lint, check and diff templates.",
        version: FormworkVersion.current,
        // Each subcommand names itself (`commandName:`): a name derived from the type name
        // costs a reflection of the type on every run (13 M instructions, 5 % of a lint).
        subcommands: [Fmt.self, Lint.self, Rules.self, Explain.self, Schema.self, Diff.self, Graph.self, Synth.self, Check.self, Init.self, Import.self, Lsp.self]
    )

    /// The arguments as bytes: a path that is not UTF-8 is passed on in its shown form
    /// (`\xNN` escapes), which every file operation maps back to its bytes.
    static func main() {
        let arguments = (1..<Int(CommandLine.argc)).map { index -> String in
            guard let pointer = CommandLine.unsafeArgv[index] else { return "" }
            return FileIO.displayPath(Array(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer))))
        }
        // `--version` alone answers before ArgumentParser builds the command tree: that
        // reflects every option of the root command first (8 M instructions, 70 % of start-up).
        // The same line and exit code as ArgumentParser's own answer.
        if arguments == ["--version"] {
            print(FormworkVersion.current)
            Glibc.exit(0)
        }
        if arguments.first == "fmt", let command = FastPath.fmt(arguments.dropFirst()) {
            FastPath.run(command)
        }
        if arguments.first == "lint", let command = FastPath.lint(arguments.dropFirst()) {
            FastPath.run(command)
        }
        main(arguments)
    }
}
