import FormworkRuleKit
import FormworkTemplate

/// Every string literal of the Resources and Outputs sections with its place and path, in
/// the order `Strings.inResourcesAndOutputs` visits them: walked once per template for the
/// rules that judge them all (HC-01 to HC-04, ST-55), which used to walk the same tree once
/// each (copying every object entry on the way), for a few byte tests per string.
struct StringLiterals: Sendable {
    struct Literal: Sendable {
        let text: String
        let location: Location
        let path: [PathComponent]
    }

    /// The rules that read them (the linter walks once for all groups when several do).
    static let readers = Set(([NoEnvironmentWords.self, NoAccountIDs.self, NoRegionNames.self, PartitionInARNs.self, DynamicReferences.self] as [any Rule.Type]).map { $0.description.id })

    let literals: [Literal]
    /// The literals below each resource property (`Resources.<id>.Properties.<key>`), by
    /// resource and key: HC-01 judges some properties only. A property's literals are
    /// consecutive in the walk.
    private let properties: [PropertyKey: Range<Int>]

    private struct PropertyKey: Hashable {
        let resource: ScalarKey
        let property: ScalarKey
    }

    init(_ template: Template) {
        var literals: [Literal] = []
        Strings.inResourcesAndOutputs(template) { literals.append(Literal(text: $0, location: $1, path: $2)) }
        var properties: [PropertyKey: Range<Int>] = [:]
        var run: (key: PropertyKey, start: Int)?
        for (offset, literal) in literals.enumerated() {
            let path = literal.path
            var key: PropertyKey?
            if path.count >= 4, path[0] == .key("Resources"), path[2] == .key("Properties"), case .key(let id) = path[1], case .key(let name) = path[3] {
                key = PropertyKey(resource: ScalarKey(id), property: ScalarKey(name))
            }
            // The run of one property's literals ends where another's (or none) begins.
            if let current = run, current.key != key {
                properties[current.key] = current.start..<offset
                run = nil
            }
            if run == nil, let key { run = (key, offset) }
        }
        if let current = run { properties[current.key] = current.start..<literals.count }
        self.literals = literals
        self.properties = properties
    }

    /// The literals `Strings.walk` visits below `Resources.<logicalID>.Properties.<key>`.
    func below(resource logicalID: String, property key: String) -> ArraySlice<Literal> {
        guard let range = properties[PropertyKey(resource: ScalarKey(logicalID), property: ScalarKey(key))] else { return [] }
        return literals[range]
    }
}

enum StringLiteralsKey: RuleContextKey {
    static func value(in context: RuleContext) -> StringLiterals { StringLiterals(context.template) }
}

extension RuleContext {
    /// The string literals of Resources and Outputs, walked once for the rules that read them.
    var stringLiterals: StringLiterals { memo(StringLiteralsKey.self) }
}
