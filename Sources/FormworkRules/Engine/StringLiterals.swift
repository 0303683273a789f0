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
        /// The last step of its path in `steps` (``StringLiterals/path(of:)``).
        fileprivate let step: Int32
    }

    /// The rules that read them (the linter walks once for all groups when several do).
    static let readers = Set(([NoEnvironmentWords.self, NoAccountIDs.self, NoRegionNames.self, PartitionInARNs.self, DynamicReferences.self] as [any Rule.Type]).map { $0.description.id })

    let literals: [Literal]
    /// The literals' paths as a tree of steps, each with the step before it (-1: none): a
    /// path is made only for a literal a rule reads it of, not copied for every literal.
    private let steps: [Step]
    /// The literals below each resource property (`Resources.<id>.Properties.<key>`), by
    /// resource and key: HC-01 judges some properties only. A property's literals are
    /// consecutive in the walk.
    private let properties: [PropertyKey: Range<Int>]

    private struct Step: Sendable {
        let parent: Int32
        let component: PathComponent
    }

    private struct PropertyKey: Hashable {
        let resource: ScalarKey
        let property: ScalarKey
    }

    init(_ template: Template) {
        var walk = Walk()
        for section in ["Resources", "Outputs"] {
            if let value = template.root[section] {
                walk.path = [.key(section)]
                walk.made = 0
                walk.walk(value)
            }
        }
        walk.endRun(at: walk.literals.count)
        var properties: [PropertyKey: Range<Int>] = [:]
        properties.reserveCapacity(walk.runs.count)
        for run in walk.runs { properties[run.key] = run.range }
        literals = walk.literals
        steps = walk.steps
        self.properties = properties
    }

    /// `Strings.walk`'s order and paths, with the path kept as a stack whose steps are
    /// added to the tree when a literal first needs them.
    private struct Walk {
        var literals: [Literal] = []
        /// The runs of consecutive literals below one resource property, in order.
        var runs: [(key: PropertyKey, range: Range<Int>)] = []
        /// The run being walked: its resource and property (as written) and first literal.
        var run: (id: String, property: String, start: Int)?
        var steps: [Step] = []
        var path: [PathComponent] = []
        /// The step of each component of `path` that is in the tree already (a prefix).
        var stepIDs: [Int32] = []
        /// How many of `path`'s components are in the tree (`stepIDs.count` may be larger
        /// after a pop: entries past this are stale).
        var made = 0

        mutating func push(_ component: PathComponent) { path.append(component) }

        mutating func pop() {
            path.removeLast()
            if made > path.count { made = path.count }
        }

        mutating func visit(_ text: String, _ location: Location) {
            if stepIDs.count < path.count { stepIDs.append(contentsOf: repeatElement(-1, count: path.count - stepIDs.count)) }
            while made < path.count {
                steps.append(Step(parent: made == 0 ? -1 : stepIDs[made - 1], component: path[made]))
                stepIDs[made] = Int32(steps.count - 1)
                made += 1
            }
            literals.append(Literal(text: text, location: location, step: stepIDs[path.count - 1]))
            // The run of one property's literals ends where another's (or none) begins.
            if path.count >= 4, path[0] == .key("Resources"), path[2] == .key("Properties"), case .key(let id) = path[1], case .key(let name) = path[3] {
                if let current = run, current.id.sameScalars(as: id), current.property.sameScalars(as: name) { return }
                endRun(at: literals.count - 1)
                run = (id, name, literals.count - 1)
            } else {
                endRun(at: literals.count - 1)
            }
        }

        /// Ends the run being walked before the literal at `end`.
        mutating func endRun(at end: Int) {
            guard let current = run else { return }
            runs.append((PropertyKey(resource: ScalarKey(current.id), property: ScalarKey(current.property)), current.start..<end))
            run = nil
        }

        mutating func walk(_ value: Node) {
            switch value.kind {
            case .string(let text): visit(text, value.location)
            case .array(let items):
                for (index, item) in items.enumerated() {
                    push(.index(index))
                    walk(item)
                    pop()
                }
            case .object(let map):
                for entry in map.entries {
                    push(.key(entry.key))
                    walk(entry.value)
                    pop()
                }
            case .intrinsic(let function):
                // The logical ids in Ref, GetAtt and Condition names are not text.
                if function.name == .ref || function.name == .getAtt || function.name == .findInMap { return }
                push(.key(function.name.rawValue))
                defer { pop() }
                if function.name == .if, let branches = function.argument.arrayValue, branches.count == 3 {
                    for index in 1...2 {
                        push(.index(index))
                        walk(branches[index])
                        pop()
                    }
                    return
                }
                walk(function.argument)
            default:
                break
            }
        }
    }

    /// A literal's path (`Resources.<id>...`), made from the tree.
    func path(of literal: Literal) -> [PathComponent] {
        var reversed: [PathComponent] = []
        var step = literal.step
        while step >= 0 {
            reversed.append(steps[Int(step)].component)
            step = steps[Int(step)].parent
        }
        return reversed.reversed()
    }

    /// The last component of a literal's path.
    func lastComponent(of literal: Literal) -> PathComponent { steps[Int(literal.step)].component }

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
