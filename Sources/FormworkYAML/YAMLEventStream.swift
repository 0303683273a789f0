internal import CYAML

/// One event of libyaml's parser, lent to a `YAMLEventStream` callback: its buffers are
/// libyaml's and live only for the call.
public struct YAMLStreamEvent {
    public enum Kind: Sendable {
        case streamStart, streamEnd, documentStart, documentEnd
        case scalar, alias, sequenceStart, sequenceEnd, mappingStart, mappingEnd
    }

    public var kind: Kind
    /// Where the event's text starts (a node's properties included) and ends.
    public var start: Mark
    public var end: Mark
    /// The same places as libyaml's index: Unicode scalars from the start of the text.
    public var startIndex: Int
    public var endIndex: Int
    /// A scalar's value (empty for other events).
    public var value: UnsafeBufferPointer<UInt8>
    /// The tag as written, resolved against the default handles (`!Ref`), or nil.
    public var tag: UnsafeBufferPointer<UInt8>?
    /// The node's anchor, or the name an alias refers to; nil when there is none.
    public var anchor: UnsafeBufferPointer<UInt8>?
    /// A scalar's style (`.plain` for other events).
    public var style: ScalarStyle
    /// True for a collection written in flow style (`[...]`, `{...}`).
    public var flow: Bool

    /// True when the node carries an anchor (or is an alias).
    public var anchored: Bool { anchor != nil }
}

/// libyaml's event stream of a text, read without building anything: the one event loop
/// over libyaml's parser. `YAMLParser` builds trees on it; readers that compare a text with
/// a value they already hold (the formatter's self-check) use it instead of building a
/// second tree. The text is read as UTF-8.
public enum YAMLEventStream {
    /// Why the stream stopped before its end: libyaml's problem at its place, or the
    /// callback's request.
    public struct Stop: Error, Sendable {
        public enum Cause: Sendable {
            /// The callback returned false.
            case callback
            /// The scanner or parser refused the text; `context` says what it was reading.
            case syntax(context: String?, contextMark: Mark)
            /// The reader refused a byte (invalid UTF-8, a control character): libyaml gives
            /// its offset in bytes and the offending value (-1 when there is none).
            case reader(offset: Int, value: Int32)
            /// libyaml could not allocate.
            case memory
        }

        /// libyaml's message; nil when the callback stopped the stream.
        public var problem: String?
        public var mark: Mark
        public var cause: Cause
    }

    /// Calls `body` with every event in order until it returns false or the stream ends;
    /// throws when libyaml refuses the text or the callback stops early.
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (YAMLStreamEvent) -> Bool) throws(Stop) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw Stop(problem: "libyaml could not allocate a parser", mark: Mark(line: 1, column: 1), cause: .memory)
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { throw stop(parser) }
            let type = event.type
            let lent = lend(event)
            let go = body(lent)
            yaml_event_delete(&event)
            if !go { throw Stop(problem: nil, mark: lent.start, cause: .callback) }
            if type == YAML_STREAM_END_EVENT { return }
        }
    }

    private static func stop(_ parser: yaml_parser_t) -> Stop {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        switch parser.error {
        case YAML_READER_ERROR:
            return Stop(problem: problem, mark: convert(parser.problem_mark), cause: .reader(offset: parser.problem_offset, value: parser.problem_value))
        case YAML_MEMORY_ERROR:
            return Stop(problem: problem, mark: convert(parser.problem_mark), cause: .memory)
        default:
            let context = parser.context.map { String(cString: $0) }
            return Stop(problem: problem, mark: convert(parser.problem_mark), cause: .syntax(context: context, contextMark: convert(parser.context_mark)))
        }
    }

    @inline(__always)
    private static func convert(_ mark: yaml_mark_t) -> Mark {
        Mark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    @inline(__always)
    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> UnsafeBufferPointer<UInt8>? {
        guard let pointer else { return nil }
        var length = 0
        while pointer[length] != 0 { length += 1 }
        return UnsafeBufferPointer(start: pointer, count: length)
    }

    @inline(__always)
    private static func lend(_ event: yaml_event_t) -> YAMLStreamEvent {
        var lent = YAMLStreamEvent(kind: .streamStart, start: convert(event.start_mark), end: convert(event.end_mark),
                                   startIndex: Int(event.start_mark.index), endIndex: Int(event.end_mark.index),
                                   value: UnsafeBufferPointer(start: nil, count: 0), tag: nil, anchor: nil, style: .plain, flow: false)
        switch event.type {
        case YAML_STREAM_START_EVENT: lent.kind = .streamStart
        case YAML_STREAM_END_EVENT: lent.kind = .streamEnd
        case YAML_DOCUMENT_START_EVENT: lent.kind = .documentStart
        case YAML_DOCUMENT_END_EVENT: lent.kind = .documentEnd
        case YAML_ALIAS_EVENT:
            lent.kind = .alias
            lent.anchor = text(event.data.alias.anchor) ?? UnsafeBufferPointer(start: nil, count: 0)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            lent.kind = .scalar
            lent.value = UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length))
            lent.tag = text(scalar.tag)
            lent.anchor = text(scalar.anchor)
            switch scalar.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: lent.style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: lent.style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: lent.style = .literal
            case YAML_FOLDED_SCALAR_STYLE: lent.style = .folded
            default: lent.style = .plain
            }
        case YAML_SEQUENCE_START_EVENT:
            lent.kind = .sequenceStart
            lent.tag = text(event.data.sequence_start.tag)
            lent.anchor = text(event.data.sequence_start.anchor)
            lent.flow = event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
        case YAML_MAPPING_START_EVENT:
            lent.kind = .mappingStart
            lent.tag = text(event.data.mapping_start.tag)
            lent.anchor = text(event.data.mapping_start.anchor)
            lent.flow = event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
        case YAML_SEQUENCE_END_EVENT: lent.kind = .sequenceEnd
        case YAML_MAPPING_END_EVENT: lent.kind = .mappingEnd
        default: lent.kind = .streamEnd
        }
        return lent
    }
}
