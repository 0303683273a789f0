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
    /// A scalar's value (empty for other events).
    public var value: UnsafeBufferPointer<UInt8>
    /// The tag as written, resolved against the default handles (`!Ref`), or nil.
    public var tag: UnsafeBufferPointer<UInt8>?
    /// True when the node carries an anchor.
    public var anchored: Bool
    /// A scalar's style (`.plain` for other events).
    public var style: ScalarStyle
}

/// libyaml's event stream of a text without building anything: for readers that compare a
/// text with a value they already hold (the formatter's self-check) rather than build a
/// second tree. The text is read as UTF-8, as `YAMLParser` reads it.
public enum YAMLEventStream {
    /// Why the stream stopped before its end: libyaml's problem at its place, or nil when
    /// the callback stopped it.
    public struct Stop: Error, Sendable {
        public var problem: String?
        public var mark: Mark
    }

    /// Calls `body` with every event in order until it returns false or the stream ends;
    /// throws when libyaml refuses the text or the callback stops early.
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (YAMLStreamEvent) -> Bool) throws(Stop) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw Stop(problem: "libyaml could not allocate a parser", mark: Mark(line: 1, column: 1))
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
                throw Stop(problem: problem, mark: convert(parser.problem_mark))
            }
            let type = event.type
            let lent = lend(event)
            let go = body(lent)
            yaml_event_delete(&event)
            if !go { throw Stop(problem: nil, mark: lent.start) }
            if type == YAML_STREAM_END_EVENT { return }
        }
    }

    private static func convert(_ mark: yaml_mark_t) -> Mark {
        Mark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> UnsafeBufferPointer<UInt8>? {
        guard let pointer else { return nil }
        var length = 0
        while pointer[length] != 0 { length += 1 }
        return UnsafeBufferPointer(start: pointer, count: length)
    }

    private static func lend(_ event: yaml_event_t) -> YAMLStreamEvent {
        var lent = YAMLStreamEvent(kind: .streamStart, start: convert(event.start_mark), end: convert(event.end_mark),
                                   value: UnsafeBufferPointer(start: nil, count: 0), tag: nil, anchored: false, style: .plain)
        switch event.type {
        case YAML_STREAM_START_EVENT: lent.kind = .streamStart
        case YAML_STREAM_END_EVENT: lent.kind = .streamEnd
        case YAML_DOCUMENT_START_EVENT: lent.kind = .documentStart
        case YAML_DOCUMENT_END_EVENT: lent.kind = .documentEnd
        case YAML_ALIAS_EVENT:
            lent.kind = .alias
            lent.anchored = true
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            lent.kind = .scalar
            lent.value = UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length))
            lent.tag = text(scalar.tag)
            lent.anchored = scalar.anchor != nil
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
            lent.anchored = event.data.sequence_start.anchor != nil
        case YAML_MAPPING_START_EVENT:
            lent.kind = .mappingStart
            lent.tag = text(event.data.mapping_start.tag)
            lent.anchored = event.data.mapping_start.anchor != nil
        case YAML_SEQUENCE_END_EVENT: lent.kind = .sequenceEnd
        case YAML_MAPPING_END_EVENT: lent.kind = .mappingEnd
        default: lent.kind = .streamEnd
        }
        return lent
    }
}
