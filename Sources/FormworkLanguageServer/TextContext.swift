import FormworkTemplate

/// What surrounds a position in a template's text, read from the text itself so that a
/// half-typed document (which does not parse) still has a context: the keys above the line
/// by indentation, the token under the cursor, and the text before it on the line.
struct TextContext {
    /// The mapping keys that enclose the line, outermost first (`Resources`, `Database`, `Properties`).
    var path: [String]
    /// The key on the cursor's line, when the line is `key: ...` (nil for a list item or a bare word).
    var lineKey: String?
    /// The text of the line before the cursor.
    var before: String
    /// The word under the cursor (letters, digits, `:`, `.`, `-`, `_`, `/`), and where it starts (scalar index).
    var word: String
    var wordStart: Int
    /// True when the cursor is where a key is written (nothing but the word before it).
    var atKey: Bool
    /// True when the word is a short-form tag (`!Sub`).
    var precededByBang: Bool
    var indent: Int

    init(lines: [[Unicode.Scalar]], line: Int, column scalarIndex: Int) {
        let current = line < lines.count ? lines[line] : []
        let cursor = min(scalarIndex, current.count)
        before = String(String.UnicodeScalarView(current[0..<cursor]))
        func isWord(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ":._-/".unicodeScalars.contains(scalar)
        }
        var start = cursor, end = cursor
        while start > 0, isWord(current[start - 1]) { start -= 1 }
        while end < current.count, isWord(current[end]) { end += 1 }
        var token = String(String.UnicodeScalarView(current[start..<end]))
        // `Key:` at the end of a word is the key's colon, not part of the word.
        while token.hasSuffix(":") { token.removeLast() }
        word = token
        wordStart = start
        precededByBang = start > 0 && current[start - 1] == "!"
        let (lineIndent, key, _) = TextContext.keyOf(current)
        indent = lineIndent
        lineKey = key
        let prefix = String(String.UnicodeScalarView(current[0..<start]))
        atKey = prefix.allSatisfy { $0 == " " || $0 == "-" || $0 == "\"" } && !before.contains(": ")
        path = TextContext.enclosingKeys(lines: lines, line: line, indent: atKey || key == nil ? min(lineIndent, cursor) : lineIndent)
    }

    /// A line's indentation (past any `- `), its key if it is `key:`, and whether it is a list item.
    static func keyOf(_ line: [Unicode.Scalar]) -> (indent: Int, key: String?, listItem: Bool) {
        var index = 0
        var listItem = false
        while index < line.count {
            if line[index] == " " { index += 1; continue }
            if line[index] == "-", index + 1 == line.count || line[index + 1] == " " { listItem = true; index += 1; continue }
            break
        }
        let rest = String(String.UnicodeScalarView(line[index...]))
        if rest.hasPrefix("#") || rest.isEmpty { return (index, nil, listItem) }
        var key: String?
        let scalars = Array(rest.unicodeScalars)
        var position = 0
        var quote: Unicode.Scalar?
        while position < scalars.count {
            let scalar = scalars[position]
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "\"" || scalar == "'" {
                quote = position == 0 ? scalar : nil
            } else if scalar == ":", position + 1 == scalars.count || scalars[position + 1] == " " {
                var name = String(String.UnicodeScalarView(scalars[0..<position]))
                if name.count >= 2, (name.first == "\"" && name.last == "\"") || (name.first == "'" && name.last == "'") {
                    name = String(name.dropFirst().dropLast())
                }
                if !name.isEmpty, !name.hasPrefix("{"), !name.hasPrefix("[") { key = name }
                break
            } else if scalar == "#" && position > 0 && scalars[position - 1] == " " {
                break
            }
            position += 1
        }
        return (index, key, listItem)
    }

    /// The keys of the lines above with less indentation, outermost first.
    static func enclosingKeys(lines: [[Unicode.Scalar]], line: Int, indent: Int) -> [String] {
        var keys: [String] = []
        var limit = indent
        var index = min(line, lines.count) - 1
        while index >= 0, limit > 0 {
            let (lineIndent, key, _) = keyOf(lines[index])
            let blank = lines[index].allSatisfy { $0 == " " } || String(String.UnicodeScalarView(lines[index])).trimmingSpaces.hasPrefix("#")
            if !blank, lineIndent < limit {
                if let key { keys.insert(key, at: 0) }
                limit = lineIndent
            }
            index -= 1
        }
        return keys
    }
}
