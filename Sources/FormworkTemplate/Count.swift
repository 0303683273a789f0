/// Counts in words, as a summary line says them: "1 warning", "2 warnings", "1,942".
package enum Count {
    /// `count` and the noun, plural unless the count is one ("0 errors", "1 error").
    /// `plural` is for nouns that do not take an s.
    package static func of(_ count: Int, _ noun: String, plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
    }

    /// Digits grouped by thousands with commas (1942 -> "1,942"), locale-independent so that
    /// reports stay byte-identical everywhere.
    package static func grouped(_ count: Int) -> String {
        let digits = String(count.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (count < 0 ? "-" : "") + grouped
    }
}
