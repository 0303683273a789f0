import ArgumentParser
import Formwork

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a finding's id: why the rule exists, and examples that trigger it and do not.",
        discussion: """
        ID is a rule (LC-01, or its name no-retain-policies), a finding of the reader, the \
        configuration or check (PS-02, CF-01, CK-01), or a cfn-lint id (E3012), which lists \
        the Formwork rules that report the same defect.

        Exit codes: 0 success; 2 unknown id (RL-01); 64 usage error.
        """
    )

    @Argument(help: "A finding's id.")
    var id: String

    func run() throws {
        if let text = Explanation.text(for: id) {
            Output.standardOutput(Array(text.utf8))
        } else {
            Output.error("error: unknown id '\(id.printable)'; `formwork rules` lists the rules [RL-01]")
            throw ExitCode(2)
        }
    }
}
