import FormworkYAML

/// Where a finding's token ends, for reports and editors that show ranges: the reader keeps
/// only where a value starts.
public enum SourceSpan {
    /// The column (1-based, in Unicode scalars) just past the token that starts at `column` of
    /// `line`: a quoted scalar to its closing quote, a plain one to `: `, `,`, `]`, `}`, ` #` or
    /// the end of the line; a flow collection's opening bracket alone.
    public static func tokenEnd(_ line: [Unicode.Scalar], column: Int) -> Int {
        var index = column - 1
        guard index >= 0, index < line.count else { return column + 1 }
        let first = line[index]
        if first == "\"" || first == "'" {
            index += 1
            while index < line.count {
                if line[index] == "\\", first == "\"" { index += 2; continue }
                if line[index] == first { return index + 2 }
                index += 1
            }
            return line.count + 1
        }
        if first == "{" || first == "[" { return column + 1 }
        while index < line.count {
            let scalar = line[index]
            if scalar == "," || scalar == "]" || scalar == "}" || scalar == "\r" { break }
            if scalar == ":" && (index + 1 == line.count || line[index + 1] == " ") { break }
            if scalar == "#" && index > 0 && line[index - 1] == " " { break }
            index += 1
        }
        while index > column - 1 && line[index - 1] == " " { index -= 1 }
        return max(index + 1, column + 1)
    }

    /// A text's lines as Unicode scalars, without their breaks, counted as the reader counts
    /// them (`LineIndex`), so that a reader's line number finds its line.
    public static func lines(_ bytes: [UInt8]) -> [[Unicode.Scalar]] {
        LineIndex(bytes: bytes).lines
    }
}
