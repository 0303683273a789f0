import ArgumentParser
import Formwork
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate

struct Schema: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    static let configuration = CommandConfiguration(
        abstract: "Print what the CloudFormation registry says about a resource type.",
        discussion: """
        Properties with their types and constraints, required properties, the attributes \
        Fn::GetAtt accepts, create-only paths (a change replaces the resource), \
        conditionally create-only paths, unordered arrays, tagging and statefulness. \
        Exit codes: 0 success; 2 unknown type; 64 usage error.
        """
    )

    @Argument(help: "A resource type, such as AWS::RDS::DBInstance.")
    var type: String?

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Flag(help: "Print every known type, one per line.")
    var list = false

    func validate() throws {
        if list == (type != nil) { throw ValidationError("give a resource type or --list, not both") }
    }

    func run() throws {
        let registry = SchemaRegistry.shared
        if list {
            Output.standardOutput(Array((registry.typeNames.joined(separator: "\n") + "\n").utf8))
            return
        }
        guard let type, let schema = registry.schema(for: type) else {
            let suggestion = registry.typeNames.first { $0.lowercased() == (type ?? "").lowercased() }
            Output.error("error: unknown resource type '\(type ?? "")'" + (suggestion.map { "; did you mean \($0)?" } ?? "") + " [SC-01]")
            throw ExitCode(2)
        }
        switch format {
        case .json: Output.standardOutput(JSONWriter.write(SchemaReport.json(schema)))
        case .text: Output.standardOutput(Array(SchemaReport.text(schema).utf8))
        }
    }
}
