import ArgumentParser
import Formwork
import FormworkLanguageServer
import FormworkTemplate
import FormworkRules
import FormworkSchemaData

struct Lsp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Serve the Language Server Protocol on standard input and output.",
        discussion: """
        Diagnostics as you type (the rules `formwork lint` runs, under each template's profile \
        and nearest .formwork.yml), hover with the registry's facts and the rules' rationale, \
        completion of resource types, properties, allowed values, logical ids, attributes and \
        functions, go to definition, references, document symbols, quick fixes and \
        formatting. No network; see docs/editors.md for the editor set-up.

        Exit codes: 0 after shutdown and exit; 1 when the input ends without them.
        """
    )

    func run() throws {
        let server = LanguageServer(profiles: .builtInWithChangeRules, registry: .shared)
        server.session.version = FormworkVersion.current
        let code = server.run()
        if code != 0 { throw ExitCode(code) }
    }
}
