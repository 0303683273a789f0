extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    package var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\n" || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\n" || $0 == "\t" }).reversed())
    }
}
