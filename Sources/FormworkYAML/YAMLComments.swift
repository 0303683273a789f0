internal import CYAML

/// One comment of a YAML text: `#` up to the end of its line.
public struct YAMLComment: Sendable, Hashable {
    /// The text after `#`, without trailing blanks (or the `\r` of a CRLF line).
    public var text: String
    /// The place of the `#`.
    public var mark: Mark
    /// True when only blanks precede it on its line; false for a comment after a value.
    public var ownLine: Bool
    /// True inside a flow collection (`[`...`]`, `{`...`}`).
    public var inFlow: Bool
    /// True when only a marker precedes it on its line (`- # c`, `--- # c`, `... # c`):
    /// no value ends there.
    public var afterMarker: Bool

    public init(text: String, mark: Mark, ownLine: Bool, inFlow: Bool = false, afterMarker: Bool = false) {
        self.text = text
        self.mark = mark
        self.ownLine = ownLine
        self.inFlow = inFlow
        self.afterMarker = afterMarker
    }
}

/// Finds the comments of a YAML text, which libyaml's events and tokens do not carry.
///
/// Rather than re-implement YAML's lexical rules (quoted scalars, `|` and `>` bodies whose
/// `#` are text, `a#b` in a plain scalar, flow collections, CRLF), the text is run through
/// libyaml's own scanner: everything a token covers is content, and the gaps between tokens
/// hold only blanks, line breaks and comments, so every `#` in a gap starts one. The one
/// comment inside a token is a block scalar's header comment (`key: | # note`). One linear
/// pass: token marks count Unicode scalars, and a cursor walks the bytes alongside them.
public enum YAMLCommentScanner {
    public struct Failure: Error, Sendable {
        public var message: String
        public var mark: Mark
    }

    /// The comments in source order. Call it on text the parser has accepted (within its
    /// limits); a text the scanner refuses gives a failure, never a partial list.
    public static func scan(_ bytes: [UInt8]) throws(Failure) -> [YAMLComment] {
        if !bytes.contains(UInt8(ascii: "#")) { return [] }
        return try scan(bytes, digestTokens: false).comments
    }

    /// The comments, and a digest of the token stream without them: every token's type
    /// and data (scalar values and styles, tags, anchors, aliases, directives), not its
    /// place. libyaml's parser decides from tokens alone, so two texts with the same token
    /// digest read to the same content: the formatter's self-check proves with one scan
    /// that inserting comments changed no content. Seeded per process: never stored.
    public static func scanWithTokens(_ bytes: [UInt8]) throws(Failure) -> (comments: [YAMLComment], tokens: Int) {
        try scan(bytes, digestTokens: true)
    }

    private static func scan(_ bytes: [UInt8], digestTokens: Bool) throws(Failure) -> (comments: [YAMLComment], tokens: Int) {
        let result: Result<([YAMLComment], Int), Failure> = bytes.withUnsafeBufferPointer { buffer in
            var walker = Walker(bytes: buffer, digestTokens: digestTokens)
            return walker.run()
        }
        let (comments, tokens) = try result.get()
        return (comments, tokens)
    }

    private struct Walker {
        var cursor: CommentCursor
        var tokens = Hasher()
        /// Only the self-check's slow path compares token digests; hashing every token's
        /// text is a tenth of a scan of seed 004.
        let digestTokens: Bool

        init(bytes: UnsafeBufferPointer<UInt8>, digestTokens: Bool) {
            // libyaml skips a byte order mark without counting it.
            var cursor = CommentCursor(bytes: bytes)
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { cursor.offset = 3 }
            self.cursor = cursor
            self.digestTokens = digestTokens
        }

        mutating func run() -> Result<([YAMLComment], Int), Failure> {
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                return .failure(Failure(message: "libyaml could not allocate a scanner", mark: Mark(line: 1, column: 1)))
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, cursor.bytes.baseAddress, cursor.bytes.count)
            var token = yaml_token_t()
            while true {
                guard yaml_parser_scan(&parser, &token) == 1 else {
                    let mark = Mark(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
                    let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
                    return .failure(Failure(message: problem, mark: mark))
                }
                let type = token.type
                let isBlockScalar = type == YAML_SCALAR_TOKEN
                    && (token.data.scalar.style == YAML_LITERAL_SCALAR_STYLE || token.data.scalar.style == YAML_FOLDED_SCALAR_STYLE)
                let start = Int(token.start_mark.index), end = Int(token.end_mark.index)
                let endLine = Int(token.end_mark.line), endColumn = Int(token.end_mark.column)
                if digestTokens { Self.combine(token, into: &tokens) }
                yaml_token_delete(&token)
                cursor.content(from: start, to: end, endLine: endLine, endColumn: endColumn, blockScalar: isBlockScalar)
                switch type {
                case YAML_FLOW_SEQUENCE_START_TOKEN, YAML_FLOW_MAPPING_START_TOKEN: cursor.flowDepth += 1
                case YAML_FLOW_SEQUENCE_END_TOKEN, YAML_FLOW_MAPPING_END_TOKEN: cursor.flowDepth = max(cursor.flowDepth - 1, 0)
                case YAML_STREAM_END_TOKEN: return .success((cursor.found, tokens.finalize()))
                default: break
                }
            }
        }

        /// A token's type and data into the token digest (its marks stay out).
        private static func combine(_ token: yaml_token_t, into hasher: inout Hasher) {
            hasher.combine(token.type.rawValue)
            func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) {
                guard let pointer else { return hasher.combine(-1) }
                var length = 0
                while pointer[length] != 0 { length += 1 }
                hasher.combine(length)
                hasher.combine(bytes: UnsafeRawBufferPointer(start: pointer, count: length))
            }
            switch token.type {
            case YAML_SCALAR_TOKEN:
                let scalar = token.data.scalar
                hasher.combine(scalar.style.rawValue)
                hasher.combine(scalar.length)
                hasher.combine(bytes: UnsafeRawBufferPointer(start: scalar.value, count: scalar.length))
            case YAML_TAG_TOKEN:
                text(token.data.tag.handle)
                text(token.data.tag.suffix)
            case YAML_ANCHOR_TOKEN:
                text(token.data.anchor.value)
            case YAML_ALIAS_TOKEN:
                text(token.data.alias.value)
            case YAML_TAG_DIRECTIVE_TOKEN:
                text(token.data.tag_directive.handle)
                text(token.data.tag_directive.prefix)
            case YAML_VERSION_DIRECTIVE_TOKEN:
                hasher.combine(token.data.version_directive.major)
                hasher.combine(token.data.version_directive.minor)
            case YAML_STREAM_START_TOKEN:
                hasher.combine(token.data.stream_start.encoding.rawValue)
            default:
                break
            }
        }
    }
}

/// Walks a text alongside libyaml's marks and collects its comments. Everything a token
/// (or an event) covers is content; the gaps between them hold only blanks, line breaks
/// and comments, so every `#` in a gap starts one. Marks count Unicode scalars; the cursor
/// walks the bytes alongside them, once.
struct CommentCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Byte offset, Unicode scalar index (as libyaml counts), 0-based line and column.
    var offset = 0
    var index = 0
    var line = 0
    var column = 0
    var flowDepth = 0
    var found: [YAMLComment] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Content from scalar index `start` to `end` (whose mark is `endLine`, `endColumn`,
    /// 0-based): the gap before it is walked for comments, the content skipped, but for a
    /// block scalar's header, which may hold one. Content that starts before the cursor
    /// (a zero-width mark already passed) adds nothing.
    mutating func content(from start: Int, to end: Int, endLine: Int, endColumn: Int, blockScalar: Bool, properties: Bool = false) {
        guard start >= index else { return }
        gap(to: start)
        // A node's properties (`!Tag`, `&anchor`) may stand apart from its content, with
        // comments between them (`Key: !Sub # note`, then the text on the next line).
        if properties { self.properties(to: end) }
        if blockScalar { blockScalarHeader() }
        if end > index {
            skip(to: end)
            line = endLine
            column = endColumn
        }
    }

    /// An explicit document start from scalar index `start` to `end`: its directives and
    /// `---`, between which every `#` starts a comment (`%YAML 1.1 # note`).
    mutating func directives(from start: Int, to end: Int) {
        guard start >= index else { return }
        gap(to: end)
    }

    /// Walks a node's properties and the gap after them, up to its content or `end`.
    mutating func properties(to end: Int) {
        while index < end, offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "!"), UInt8(ascii: "&"):
                // A tag or an anchor: no blank, no `#` (neither may hold one).
                while index < end, offset < bytes.count, !isBlankOrBreak(bytes[offset]) { step() }
            case UInt8(ascii: "#"):
                comment()
            case 0x20, 0x09, 0x0A, 0x0D:
                step()
            default:
                if breakLength(at: offset) > 0 { step() } else { return }
            }
        }
    }

    private func isBlankOrBreak(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || ((byte == 0xC2 || byte == 0xE2) && breakLength(at: offset) > 0)
    }

    /// Walks blanks, breaks and comments up to scalar index `target`.
    mutating func gap(to target: Int) {
        while index < target, offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "#"):
                comment()
            case 0x20, 0x09:
                // Blanks are most of a gap: no call per byte.
                offset += 1
                index += 1
                column += 1
            default:
                step()
            }
        }
    }

    /// Walks content (a token) up to scalar index `target`, counting only scalars: the
    /// token's end mark gives the line and column.
    mutating func skip(to target: Int) {
        // Text in ASCII has one byte a scalar: the span is checked at once (a loop the
        // compiler vectorizes) instead of counted byte by byte.
        let span = target - index
        if span > 0, span <= bytes.count - offset {
            var high: UInt8 = 0
            for position in offset..<(offset + span) { high |= bytes[position] }
            if high < 0x80 {
                offset += span
                index = target
                return
            }
        }
        while offset < bytes.count {
            if bytes[offset] & 0xC0 != 0x80 {
                if index == target { return }
                index += 1
            }
            offset += 1
        }
    }

    /// At a block scalar's indicator: `|` or `>`, then chomping and indentation
    /// indicators, blanks, and perhaps a comment that the token includes.
    mutating func blockScalarHeader() {
        guard offset < bytes.count else { return }
        step()
        while offset < bytes.count, isIndicator(bytes[offset]) { step() }
        while offset < bytes.count, bytes[offset] == 0x20 || bytes[offset] == 0x09 { step() }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "#") { comment() }
    }

    private func isIndicator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    /// Records the comment at the cursor (a `#`) and walks to its line's break.
    mutating func comment() {
        let mark = Mark(line: line + 1, column: column + 1)
        var back = offset
        while back > 0, bytes[back - 1] == 0x20 || bytes[back - 1] == 0x09 { back -= 1 }
        let ownLine = isLineStart(back)
        var marker = back
        while marker > 0, bytes[marker - 1] == UInt8(ascii: "-") || bytes[marker - 1] == UInt8(ascii: ".")
                || bytes[marker - 1] == UInt8(ascii: "?") || bytes[marker - 1] == UInt8(ascii: ":") { marker -= 1 }
        while marker > 0, marker < back, bytes[marker - 1] == 0x20 || bytes[marker - 1] == 0x09 { marker -= 1 }
        let afterMarker = !ownLine && marker < back && isLineStart(marker)
        step()
        let textStart = offset
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == 0x0A || byte == 0x0D || ((byte == 0xC2 || byte == 0xE2) && breakLength(at: offset) > 0) { break }
            if byte & 0xC0 != 0x80 {
                index += 1
                column += 1
            }
            offset += 1
        }
        var textEnd = offset
        while textEnd > textStart, bytes[textEnd - 1] == 0x20 || bytes[textEnd - 1] == 0x09 { textEnd -= 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[textStart..<textEnd]), as: UTF8.self)
        found.append(YAMLComment(text: text, mark: mark, ownLine: ownLine, inFlow: flowDepth > 0, afterMarker: afterMarker))
    }

    /// Whether only a byte order mark or nothing precedes `offset` on its line.
    private func isLineStart(_ offset: Int) -> Bool {
        offset == 0 || isBreakEnd(offset) || (offset == 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
    }

    /// Whether the bytes ending just before `end` are a line break.
    private func isBreakEnd(_ end: Int) -> Bool {
        let last = bytes[end - 1]
        if last == 0x0A || last == 0x0D { return true }
        if end >= 2, bytes[end - 2] == 0xC2, last == 0x85 { return true }
        if end >= 3, bytes[end - 3] == 0xE2, bytes[end - 2] == 0x80, last == 0xA8 || last == 0xA9 { return true }
        return false
    }

    /// The length in bytes of a line break at `at` (`\r\n` is one), or 0: the breaks
    /// libyaml counts (`\n`, `\r`, NEL, LS, PS), so that lines agree with its marks.
    private func breakLength(at: Int) -> Int {
        switch bytes[at] {
        case 0x0A: return 1
        case 0x0D: return at + 1 < bytes.count && bytes[at + 1] == 0x0A ? 2 : 1
        case 0xC2: return at + 1 < bytes.count && bytes[at + 1] == 0x85 ? 2 : 0
        case 0xE2:
            return at + 2 < bytes.count && bytes[at + 1] == 0x80 && (bytes[at + 2] == 0xA8 || bytes[at + 2] == 0xA9) ? 3 : 0
        default: return 0
        }
    }

    /// Moves past one Unicode scalar, or one line break.
    mutating func step() {
        let breakBytes = breakLength(at: offset)
        if breakBytes > 0 {
            offset += breakBytes
            // libyaml counts `\r\n` as two scalars of its index and one line.
            index += breakBytes == 2 && bytes[offset - 2] == 0x0D ? 2 : 1
            line += 1
            column = 0
            return
        }
        let lead = bytes[offset]
        let width = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        offset = min(offset + width, bytes.count)
        index += 1
        column += 1
    }
}
