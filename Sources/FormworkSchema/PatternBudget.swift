import Synchronization

/// The matcher steps that the patterns of one file may take in all (`stepsPerFile`), and
/// each rule among them (`stepsPerRule`): 2,000 parameters with a backtracking
/// AllowedPattern cost one budget, not 2,000 searches of 200,000 steps each. A search that
/// finds the budget spent, or runs out of steps itself, is "not judged" and counted, so that
/// the linter can say so in a finding instead of leaving it silent.
public final class PatternBudget: Sendable {
    public static let stepsPerFile = 8_000_000
    public static let stepsPerRule = 4_000_000

    private let remaining: Atomic<Int>
    private let notJudged = Atomic<Int>(0)
    private let parent: PatternBudget?

    /// A budget of `steps`, spent from `parent` as well (a rule's from its file's).
    public init(steps: Int, parent: PatternBudget? = nil) {
        remaining = Atomic(steps)
        self.parent = parent
    }

    /// The budget the patterns matched on this thread or task spend (none: each search only
    /// has its own bound).
    @TaskLocal public static var current: PatternBudget?

    /// The steps a search may take now.
    var available: Int {
        min(remaining.load(ordering: .relaxed), parent?.available ?? .max)
    }

    /// The steps left (a group's share tells how much its rules spent).
    public var stepsLeft: Int { remaining.load(ordering: .relaxed) }

    func spend(_ steps: Int) {
        remaining.subtract(steps, ordering: .relaxed)
        parent?.spend(steps)
    }

    func noteUnjudged() {
        notJudged.add(1, ordering: .relaxed)
    }

    /// How many values were not judged because the steps ran out.
    public var unjudged: Int { notJudged.load(ordering: .relaxed) }
}
