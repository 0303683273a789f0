import ArgumentParser
import Formwork
import FormworkDiff
import FormworkRuleKit
import FormworkRules
import FormworkTemplate

struct Rules: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules, or describe one; generated from the rules themselves.",
        discussion: "Exit codes: 0 success; 2 unknown rule; 64 usage error."
    )

    @Argument(help: "A rule id (LC-01) or name (no-retain-policies).")
    var id: String?

    @Option(help: "Only the rules of one family: \(RuleFamily.allCases.map(\.rawValue).joined(separator: ", ")).")
    var family: String?

    @Option(help: "Output format: text, json or markdown (a table per family, as docs/rules.md).")
    var format: Format = .text

    @Option(help: "A compliance pack's coverage: its controls with the rules that evidence them, and those without (\(CompliancePack.names.joined(separator: ", "))).")
    var pack: String?

    func validate() throws {
        if id != nil, family != nil { throw ValidationError("give a rule id or --family, not both") }
        if let family, RuleFamily(named: family) == nil {
            throw ValidationError("unknown family '\(family)'; the families are \(RuleFamily.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        if let pack {
            guard let found = CompliancePack.named(pack) else {
                Output.error("error: unknown pack '\(pack.printable)'; the packs are \(CompliancePack.names.joined(separator: ", ")) [RL-01]")
                throw ExitCode(2)
            }
            Output.standardOutput(Array(found.coverage().utf8))
            return
        }
        let descriptions: [RuleDescription]
        if let family = family.flatMap(RuleFamily.init(named:)) {
            descriptions = RuleRegistry.documented(adding: ChangeRuleRegistry.all.map { $0.description }).filter { $0.family == family }
        } else if let id {
            guard let description = RuleRegistry.rule(id)?.description ?? ChangeRuleRegistry.rule(id)?.description else {
                Output.error("error: unknown rule '\(id.printable)' [RL-01]")
                throw ExitCode(2)
            }
            descriptions = [description]
        } else {
            descriptions = RuleRegistry.documented(adding: ChangeRuleRegistry.all.map { $0.description })
        }
        switch format {
        case .json:
            let value = RuleDocumentation.json(descriptions)
            Output.standardOutput(JSONWriter.write(id == nil ? value : value.arrayValue![0]))
        case .markdown:
            Output.standardOutput(Array(RuleDocumentation.markdown(descriptions).utf8))
        case .text:
            Output.standardOutput(Array((id == nil ? RuleDocumentation.list(descriptions) : RuleDocumentation.detail(descriptions[0])).utf8))
        }
    }
}
