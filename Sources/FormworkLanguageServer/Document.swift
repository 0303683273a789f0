import FormworkTemplate

/// An open document: its text, and positions between LSP's (0-based line, UTF-16 offset) and
/// the reader's (1-based line, 1-based column in Unicode scalars).
struct Document {
    var uri: String
    var version: Int
    private(set) var text: String
    private(set) var lines: [[Unicode.Scalar]]
    /// Counts the edits, so that what was read of one text is read once.
    private(set) var revision = 0

    init(uri: String, version: Int, text: String) {
        self.uri = uri
        self.version = version
        self.text = text
        lines = Document.split(text)
    }

    static func split(_ text: String) -> [[Unicode.Scalar]] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
    }

    var bytes: [UInt8] { Array(text.utf8) }

    /// The file the document stands for (its `.formwork.yml` is found from there).
    var path: String { Document.path(of: uri) }

    static func path(of uri: String) -> String {
        guard uri.hasPrefix("file://") else { return uri }
        var bytes: [UInt8] = []
        let source = Array(uri.utf8.dropFirst(7))
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "%"), index + 2 < source.count, let value = UInt8(String(decoding: source[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return FileIO.displayPath(bytes)
    }

    // MARK: positions

    /// The scalar index in a line of an LSP character offset (UTF-16), clamped to the line.
    func scalarIndex(line: Int, character: Int) -> Int {
        guard line >= 0, line < lines.count else { return 0 }
        var units = 0
        for (index, scalar) in lines[line].enumerated() {
            if units >= character { return index }
            units += scalar.utf16.count
        }
        return lines[line].count
    }

    /// The LSP position of a reader location (line and column from 1).
    func position(_ location: Location) -> (line: Int, character: Int) {
        let line = max(location.line, 1) - 1
        guard line < lines.count else { return (line, 0) }
        let scalars = lines[line].prefix(max(location.column, 1) - 1)
        return (line, scalars.reduce(0) { $0 + $1.utf16.count })
    }

    /// The reader's column (from 1) of an LSP position.
    func column(line: Int, character: Int) -> Int { scalarIndex(line: line, character: character) + 1 }

    /// The end of the token that starts at a reader location, as an LSP position.
    func tokenEnd(_ location: Location) -> (line: Int, character: Int) {
        let line = max(location.line, 1) - 1
        guard line < lines.count else { return (line, 0) }
        let end = SourceSpan.tokenEnd(lines[line], column: max(location.column, 1))
        return position(Location(line: line + 1, column: end))
    }

    var endPosition: (line: Int, character: Int) {
        (lines.count - 1, lines.last.map { $0.reduce(0) { $0 + $1.utf16.count } } ?? 0)
    }

    // MARK: edits

    /// Applies an edit between two LSP positions (incremental sync).
    mutating func replace(from start: (line: Int, character: Int), to end: (line: Int, character: Int), with replacement: String) {
        let a = offset(start), b = max(offset(end), offset(start))
        var scalars = Array(text.unicodeScalars)
        scalars.replaceSubrange(a..<min(b, scalars.count), with: Array(replacement.unicodeScalars))
        var rebuilt = String.UnicodeScalarView()
        rebuilt.append(contentsOf: scalars)
        text = String(rebuilt)
        lines = Document.split(text)
        revision += 1
    }

    mutating func replaceAll(_ newText: String) {
        text = newText
        lines = Document.split(text)
        revision += 1
    }

    /// The scalar offset in the whole text of an LSP position.
    private func offset(_ position: (line: Int, character: Int)) -> Int {
        guard position.line >= 0 else { return 0 }
        var total = 0
        for line in 0..<min(position.line, lines.count) { total += lines[line].count + 1 }
        if position.line >= lines.count { return max(0, total - 1) }
        return total + scalarIndex(line: position.line, character: position.character)
    }
}
