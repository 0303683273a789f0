#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FormworkRules
import FormworkTemplate
import Synchronization

/// A progress line on standard error while many files are linted: files done of the total
/// and the slowest file so far, redrawn in place at most ten times a second. Drawn only on a
/// terminal (never into a pipe, a file or CI logs), only once the work has taken half a
/// second (a quick run stays silent), and replaced at the end by one line with the total.
package final class ProgressLine: LintProgress {
    struct State {
        var total = 0
        var done = 0
        var slowest: (file: String, seconds: Double)?
        var started: ContinuousClock.Instant = .now
        var lastDrawn: ContinuousClock.Instant?
    }

    let verb: String
    let state = Mutex(State())
    /// How long the work runs before the line appears, and how often it is redrawn.
    static let delay = Duration.milliseconds(500), interval = Duration.milliseconds(100)

    init(verb: String) {
        self.verb = verb
    }

    /// A progress line when standard error is a terminal that takes `\r` and erase-line
    /// (not `TERM=dumb`), else nil.
    package static func standardError(verb: String = "linting") -> ProgressLine? {
        guard Output.isTerminal(2) else { return nil }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return nil }
        return ProgressLine(verb: verb)
    }

    package func start(total: Int) {
        state.withLock { $0 = State(total: total, started: .now) }
    }

    package func finished(_ file: String, seconds: Double) {
        let line: String? = state.withLock { state in
            state.done += 1
            if seconds > state.slowest?.seconds ?? -1 { state.slowest = (file, seconds) }
            let now = ContinuousClock.now
            guard now - state.started >= Self.delay, state.lastDrawn.map({ now - $0 >= Self.interval }) ?? true else { return nil }
            state.lastDrawn = now
            return "\(verb): \(state.done) of \(Count.of(state.total, "file"))" + slowest(state)
        }
        if let line { draw("\r\u{1B}[K" + line) }
    }

    package func end() {
        let line: String? = state.withLock { state in
            guard state.lastDrawn != nil else { return nil }
            let took = ContinuousClock.now - state.started
            return "\(verb): \(Count.of(state.done, "file")) in \(Self.format(took))" + slowest(state)
        }
        if let line { draw("\r\u{1B}[K" + line + "\n") }
    }

    func slowest(_ state: State) -> String {
        guard let slowest = state.slowest else { return "" }
        return "; slowest \(Self.shortened(slowest.file.printable)) (\(Self.format(seconds: slowest.seconds)))"
    }

    func draw(_ text: String) {
        FileIO.writeAll(2, Array(text.utf8))
    }

    /// A long path keeps its end, where the file's name is, so that the line fits a terminal.
    static func shortened(_ path: String, limit: Int = 50) -> String {
        path.count <= limit ? path : "..." + path.suffix(limit - 3)
    }

    static func format(_ duration: Duration) -> String {
        format(seconds: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    static func format(seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
