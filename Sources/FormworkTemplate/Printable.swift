/// Text from templates and files shown in reports, made safe for where it is shown: escaping
/// works on Unicode scalars, never on Characters (Swift reads `\r\n` as one Character, so a
/// per-Character table misses it).
extension StringProtocol {
    /// Control characters (C0 but tab, DEL, C1), line and paragraph separators and the
    /// bidirectional overrides shown as `\u{1B}`-style escapes: a value from a template can
    /// neither drive a terminal, nor start a new line or workflow command, nor reorder what
    /// is displayed around it.
    package var printable: String {
        // Printable ASCII (nearly every message, name and path) needs no escape: its bytes
        // are checked, not its scalars decoded one by one (a report's every line comes here).
        let plain = utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { (0x20...0x7E).contains($0) || $0 == 0x09 } }
        if plain == true { return String(self) }
        guard unicodeScalars.contains(where: Printable.needsEscape) else { return String(self) }
        var result = ""
        for scalar in unicodeScalars {
            if Printable.needsEscape(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Each scalar replaced through `table`, scalar by scalar.
    package func replacingScalars(_ table: [Unicode.Scalar: String]) -> String {
        var result = ""
        for scalar in unicodeScalars {
            if let replacement = table[scalar] { result += replacement } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }

    /// A Markdown code span that holds this text as it is: fenced with one more backtick
    /// than the longest run inside, padded where it starts or ends with a backtick, with
    /// `|` escaped for table cells and controls made printable.
    package var markdownCode: String {
        let text = printable
        var longest = 0, run = 0
        for scalar in text.unicodeScalars {
            run = scalar == "`" ? run + 1 : 0
            longest = Swift.max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = text.hasPrefix("`") || text.hasSuffix("`") || text.isEmpty ? " " + text + " " : text
        return fence + padded.replacingScalars(["|": "\\|"]) + fence
    }

    /// Plain Markdown text: controls printable, and the characters that start markup or
    /// end a table cell escaped.
    package var markdownText: String {
        printable.replacingScalars(["|": "\\|", "<": "&lt;", ">": "&gt;", "*": "\\*", "_": "\\_", "`": "\\`", "[": "\\[", "]": "\\]"])
    }
}

enum Printable {
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x2028, 0x2029: return true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        default: return false
        }
    }
}
