import FormworkTemplate

/// An open document: its text, and positions between LSP's (0-based line, UTF-16 offset,
/// lines ended by `\r\n`, `\r` or `\n`) and the reader's (1-based line and column in Unicode
/// scalars, lines counted as libyaml counts them). Both go through one `LineIndex` each, so
/// that a CRLF or lone-CR text has the same columns, edits and ranges as a LF one.
struct Document {
    var uri: String
    var version: Int
    private(set) var text: String
    /// The text's lines as the client counts them.
    private(set) var client: LineIndex
    /// The text's lines as the reader counts them (the same as `client` unless the text holds
    /// NEL, LINE SEPARATOR or PARAGRAPH SEPARATOR, which only YAML counts).
    private(set) var reader: LineIndex
    /// The client's lines' contents, without their breaks.
    private(set) var lines: [[Unicode.Scalar]]
    /// Counts the edits, so that what was read of one text is read once.
    private(set) var revision = 0

    init(uri: String, version: Int, text: String) {
        self.uri = uri
        self.version = version
        self.text = text
        (client, reader, lines) = Document.index(text)
    }

    static func index(_ text: String) -> (LineIndex, LineIndex, [[Unicode.Scalar]]) {
        let scalars = Array(text.unicodeScalars)
        let client = LineIndex(scalars, breaks: .lsp)
        let yamlOnly = scalars.contains { $0 == "\u{85}" || $0 == "\u{2028}" || $0 == "\u{2029}" }
        return (client, yamlOnly ? LineIndex(scalars, breaks: .yaml) : client, client.lines)
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
        guard line >= 0, line < client.count else { return 0 }
        return client.offset(utf16: (line, character)) - client.starts[line]
    }

    /// The LSP position of a reader location (line and column from 1).
    func position(_ location: Location) -> (line: Int, character: Int) {
        client.utf16Position(ofOffset: reader.offset(line: location.line, column: location.column))
    }

    /// The reader location of a place in the client's lines (0-based line, scalar index).
    func location(line: Int, scalar: Int) -> Location {
        guard line >= 0, line < client.count else { return Location(line: reader.count, column: 1) }
        let place = reader.place(ofOffset: min(client.starts[line] + max(scalar, 0), client.ends[line]))
        return Location(line: place.line, column: place.column)
    }

    /// The reader's location of an LSP position.
    func location(_ position: (line: Int, character: Int)) -> Location {
        let place = reader.place(ofOffset: client.offset(utf16: position))
        return Location(line: place.line, column: place.column)
    }

    /// The end of the token that starts at a reader location, as an LSP position.
    func tokenEnd(_ location: Location) -> (line: Int, character: Int) {
        let line = max(location.line, 1)
        guard line <= reader.count else { return client.endUTF16Position }
        let end = SourceSpan.tokenEnd(Array(reader.line(line - 1)), column: max(location.column, 1))
        return position(Location(line: line, column: end))
    }

    /// Just past the last character: a whole-document range ends here (on the last line,
    /// whatever the text's line breaks).
    var endPosition: (line: Int, character: Int) { client.endUTF16Position }

    // MARK: edits

    /// Applies an edit between two LSP positions (incremental sync).
    mutating func replace(from start: (line: Int, character: Int), to end: (line: Int, character: Int), with replacement: String) {
        let a = client.offset(utf16: start), b = max(client.offset(utf16: end), a)
        // Spliced as strings (bulk copies): appending 600,000 scalars one by one cost more
        // than linting the key's resource in a large document.
        let scalars = text.unicodeScalars
        let from = scalars.index(scalars.startIndex, offsetBy: a), to = scalars.index(from, offsetBy: b - a)
        replaceAll(String(scalars[..<from]) + replacement + String(scalars[to...]))
    }

    mutating func replaceAll(_ newText: String) {
        text = newText
        (client, reader, lines) = Document.index(text)
        revision += 1
    }
}
