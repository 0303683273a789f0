import ArgumentParser
import Formwork
import FormworkRules
import FormworkSchemaData
import FormworkTemplate

struct Graph: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case dot, mermaid }

    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw a template's resources, parameters and outputs and what refers to what.",
        discussion: """
        An edge A -> B says A refers to B: Ref, GetAtt, a ${} of Sub, or DependsOn (dashed). \
        Resources are grouped by service; stateful resources (databases, buckets, keys, log \
        groups: what a replacement loses) are bold cylinders. DOT is for Graphviz \
        (`formwork graph T.yml | dot -Tsvg > T.svg`); Mermaid renders in GitHub Markdown.

        Exit codes: 0 success; 2 the template cannot be read; 64 usage error.
        """
    )

    @Argument(help: "A template (YAML or JSON), or - for standard input.")
    var template: String

    @Option(help: "dot or mermaid.")
    var format: Format = .dot

    @Flag(inversion: .prefixedNo, help: "Draw the parameters and the edges to them.")
    var parameters = true

    func run() throws {
        let read = TemplateReader.read(path: template)
        guard let parsed = read.template, read.diagnostics.allSatisfy({ $0.severity != .error }) else {
            Output.report(read.diagnostics)
            throw ExitCode(2)
        }
        let graph = TemplateGraph(parsed, registry: .shared, parameters: parameters)
        let name = String(template.split(separator: "/").last ?? "template")
        Output.standardOutput(Array((format == .dot ? graph.dot(title: name) : graph.mermaid()).utf8))
    }
}
