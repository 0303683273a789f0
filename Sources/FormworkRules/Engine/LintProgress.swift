/// Told as `LintJob` finishes each file, from any thread: `formwork lint` and `check` draw a
/// progress line with it on a terminal.
public protocol LintProgress: Sendable {
    /// Before the first file: how many files will be read.
    func start(total: Int)
    /// One file read and linted, and how long that took.
    func finished(_ file: String, seconds: Double)
    /// After the last file, before the report is printed.
    func end()
}

extension Duration {
    /// The duration in seconds, as a progress line shows it.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
