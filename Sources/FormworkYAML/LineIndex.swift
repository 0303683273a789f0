/// Lines as the reader counts them, in one place for everything that turns places into
/// lines: the readers' marks, the language server's positions and edits, reports' ranges.
///
/// libyaml ends a line at `\r\n`, a lone `\r`, `\n`, and YAML 1.1's NEL (U+0085), LINE
/// SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029); a column counts Unicode scalars
/// from 1. The Language Server Protocol ends lines at `\r\n`, `\r` and `\n` only, and counts
/// columns in UTF-16 units from 0: `Breaks.lsp` indexes a text the client's way, and the
/// conversion between the two goes through scalar offsets, which both agree on.
public struct LineIndex: Sendable {
    /// Which scalars end a line.
    public enum Breaks: Sendable {
        /// libyaml's (the template readers').
        case yaml
        /// LSP's: `\r\n`, `\r`, `\n`.
        case lsp
    }

    /// The text's scalars.
    public let scalars: [Unicode.Scalar]
    /// The scalar offset where each line starts; never empty (an empty text has one line).
    public let starts: [Int]
    /// The scalar offset where each line's content ends (its line break starts).
    public let ends: [Int]

    public init(_ scalars: [Unicode.Scalar], breaks: Breaks = .yaml) {
        self.scalars = scalars
        var starts = [0], ends: [Int] = []
        var index = 0
        while index < scalars.count {
            let width = LineIndex.breakWidth(scalars, at: index, breaks)
            if width > 0 {
                ends.append(index)
                index += width
                starts.append(index)
            } else {
                index += 1
            }
        }
        ends.append(scalars.count)
        self.starts = starts
        self.ends = ends
    }

    public init(_ text: String, breaks: Breaks = .yaml) {
        self.init(Array(text.unicodeScalars), breaks: breaks)
    }

    /// Decodes UTF-8 (invalid bytes as U+FFFD, one scalar each, as `String(decoding:)` does).
    public init(bytes: [UInt8], breaks: Breaks = .yaml) {
        self.init(Array(String(decoding: bytes, as: UTF8.self).unicodeScalars), breaks: breaks)
    }

    /// How many scalars the line break at `index` takes (2 for `\r\n`), 0 when none starts there.
    public static func breakWidth(_ scalars: [Unicode.Scalar], at index: Int, _ breaks: Breaks) -> Int {
        switch scalars[index] {
        case "\r": return index + 1 < scalars.count && scalars[index + 1] == "\n" ? 2 : 1
        case "\n": return 1
        case "\u{85}", "\u{2028}", "\u{2029}": return breaks == .yaml ? 1 : 0
        default: return 0
        }
    }

    /// True when the UTF-8 sequence at `offset` is a line break of `breaks` other than the
    /// `\n` of a `\r\n` (which belongs to the `\r` before it): what byte-wise readers count.
    public static func startsBreak(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, _ breaks: Breaks = .yaml) -> Bool {
        switch bytes[offset] {
        case 0x0D: return true
        case 0x0A: return offset == 0 || bytes[offset - 1] != 0x0D
        case 0xC2: return breaks == .yaml && offset + 1 < bytes.count && bytes[offset + 1] == 0x85
        case 0xE2: return breaks == .yaml && offset + 2 < bytes.count && bytes[offset + 1] == 0x80 && (bytes[offset + 2] == 0xA8 || bytes[offset + 2] == 0xA9)
        default: return false
        }
    }

    public var count: Int { starts.count }

    /// A line's content (0-based line), without its break; empty past the end.
    public func line(_ line: Int) -> ArraySlice<Unicode.Scalar> {
        guard line >= 0, line < starts.count else { return [] }
        return scalars[starts[line]..<ends[line]]
    }

    /// The lines' contents, for code that walks lines.
    public var lines: [[Unicode.Scalar]] { (0..<count).map { Array(line($0)) } }

    // MARK: reader places (1-based line, 1-based column in scalars)

    /// The scalar offset of a reader place, clamped to its line (a column past the line's
    /// end is its end) and to the text.
    public func offset(line: Int, column: Int) -> Int {
        guard line >= 1 else { return 0 }
        guard line <= count else { return scalars.count }
        return min(starts[line - 1] + max(column, 1) - 1, ends[line - 1])
    }

    /// The 0-based line that holds a scalar offset (a break belongs to the line it ends).
    public func lineIndex(ofOffset offset: Int) -> Int {
        var low = 0, high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The reader place (1-based) of a scalar offset.
    public func place(ofOffset offset: Int) -> (line: Int, column: Int) {
        let offset = min(max(offset, 0), scalars.count)
        let line = lineIndex(ofOffset: offset)
        return (line + 1, offset - starts[line] + 1)
    }

    // MARK: UTF-16 (LSP) positions (0-based line, 0-based UTF-16 units)

    /// The scalar offset of an LSP position, clamped to the line's content, and to the end of
    /// the text for a line past it.
    public func offset(utf16 position: (line: Int, character: Int)) -> Int {
        guard position.line >= 0 else { return 0 }
        guard position.line < count else { return scalars.count }
        var units = 0
        var index = starts[position.line]
        while index < ends[position.line] && units < position.character {
            units += scalars[index].utf16.count
            index += 1
        }
        return index
    }

    /// The LSP position of a scalar offset.
    public func utf16Position(ofOffset offset: Int) -> (line: Int, character: Int) {
        let offset = min(max(offset, 0), scalars.count)
        let line = lineIndex(ofOffset: offset)
        let units = scalars[starts[line]..<min(offset, ends[line])].reduce(0) { $0 + $1.utf16.count }
        return (line, units)
    }

    /// The position just past the text's last scalar.
    public var endUTF16Position: (line: Int, character: Int) { utf16Position(ofOffset: scalars.count) }
}
