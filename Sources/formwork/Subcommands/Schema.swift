import ArgumentParser
import Formwork
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate

struct Schema: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    static let configuration = CommandConfiguration(
        commandName: "schema",
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

    @Flag(help: "Print every known type, one per line, with its typed model (the Swift name and the module to import); the counts of registry types and of generated models go to standard error (with --format json, into the document).")
    var list = false

    func validate() throws {
        if list == (type != nil) { throw ValidationError("give a resource type or --list, not both") }
    }

    func run() throws {
        let registry = SchemaRegistry.shared
        if list {
            let models = Dictionary(ModelCatalogue.entries.map { ($0.typeName, $0) }, uniquingKeysWith: { first, _ in first })
            let modelled = registry.typeNames.filter { models[$0] != nil }.count
            let summary = "\(registry.typeNames.count) registry types, \(modelled) with typed models in \(ModelCatalogue.modules.count) modules"
            switch format {
            case .text:
                let lines = registry.typeNames.map { type in models[type].map { "\(type)  \($0.swiftName) (import \($0.module))" } ?? "\(type)  (no typed model: RawResource)" }
                Output.standardOutput(Array((lines.joined(separator: "\n") + "\n").utf8))
                Output.error(summary)
            case .json:
                var root = ObjectMap()
                root.set("registryTypes", .number(String(registry.typeNames.count)))
                root.set("typedModels", .number(String(modelled)))
                root.set("modules", .number(String(ModelCatalogue.modules.count)))
                root.set("types", .array(registry.typeNames.map { type in
                    var entry = ObjectMap()
                    entry.set("type", .string(type))
                    if let model = models[type] {
                        entry.set("swift", .string(model.swiftName))
                        entry.set("module", .string(model.module))
                    }
                    return .object(entry)
                }))
                Output.standardOutput(JSONWriter.write(.object(root)))
            }
            return
        }
        guard let type, let schema = registry.schema(for: type) else {
            let suggestion = registry.typeNames.first { $0.lowercased() == (type ?? "").lowercased() }
            Output.error("error: unknown resource type '\((type ?? "").printable)'" + (suggestion.map { "; did you mean \($0)?" } ?? "") + " [SC-01]")
            throw ExitCode(2)
        }
        switch format {
        case .json: Output.standardOutput(JSONWriter.write(SchemaReport.json(schema)))
        case .text: Output.standardOutput(Array(SchemaReport.text(schema).utf8))
        }
    }
}
