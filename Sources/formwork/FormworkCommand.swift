import ArgumentParser

@main
struct FormworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formwork",
        abstract: "Typed CloudFormation: compile, validate, lint, check and diff templates.",
        version: "0.1.0",
        subcommands: [Fmt.self, Lint.self, Rules.self, Schema.self, Diff.self, Synth.self, Check.self]
    )
}
