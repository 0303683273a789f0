internal import CYAML

/// Writes block-style YAML through libyaml's emitter, one event at a time, so that a caller
/// can stream its own model without building a YAML tree first.
///
/// The caller chooses each scalar's style; a `.plain` scalar is written plain only where
/// libyaml's own analysis allows it (it falls back to quotes otherwise), so the caller's one
/// duty is to ask for quotes where a YAML 1.1 reader would misread the plain text
/// (`YAML11Resolver`). Long lines are never folded. Output is UTF-8 with `\n` breaks.
public final class YAMLEventWriter {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private var emitter = yaml_emitter_t()
    private var output: [UInt8] = []
    private var event = yaml_event_t()
    private var failed: Failure?

    public init() throws(Failure) {
        guard yaml_emitter_initialize(&emitter) == 1 else {
            throw Failure(message: "libyaml could not allocate an emitter")
        }
        output.reserveCapacity(1 << 16)
        yaml_emitter_set_unicode(&emitter, 1)
        yaml_emitter_set_width(&emitter, -1)
        yaml_emitter_set_indent(&emitter, 2)
        yaml_emitter_set_break(&emitter, YAML_LN_BREAK)
        yaml_emitter_set_output(&emitter, { data, buffer, size in
            guard let data, let buffer else { return 0 }
            let writer = Unmanaged<YAMLEventWriter>.fromOpaque(data).takeUnretainedValue()
            writer.output.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, Unmanaged.passUnretained(self).toOpaque())
        yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING)
        send("stream start")
        yaml_document_start_event_initialize(&event, nil, nil, nil, 1)
        send("document start")
    }

    deinit {
        yaml_emitter_delete(&emitter)
    }

    /// yaml_emitter_emit takes ownership of the event, even when it fails.
    private func send(_ what: String) {
        guard failed == nil else {
            yaml_event_delete(&event)
            return
        }
        if yaml_emitter_emit(&emitter, &event) != 1 {
            let problem = emitter.problem.map { String(cString: $0) } ?? "unknown error"
            failed = Failure(message: "libyaml could not emit \(what): \(problem)")
        }
    }

    public func scalar(_ text: String, style: ScalarStyle = .plain, tag: String? = nil) {
        let libyamlStyle: yaml_scalar_style_t
        switch style {
        case .plain: libyamlStyle = YAML_PLAIN_SCALAR_STYLE
        case .singleQuoted: libyamlStyle = YAML_SINGLE_QUOTED_SCALAR_STYLE
        case .doubleQuoted: libyamlStyle = YAML_DOUBLE_QUOTED_SCALAR_STYLE
        case .literal: libyamlStyle = YAML_LITERAL_SCALAR_STYLE
        case .folded: libyamlStyle = YAML_FOLDED_SCALAR_STYLE
        }
        let implicit: Int32 = tag == nil ? 1 : 0
        var text = text
        // libyaml copies the value; an empty string still needs a valid pointer.
        var zero: UInt8 = 0
        let ok = text.withUTF8 { value in
            withUnsafeMutablePointer(to: &zero) { empty in
                withOptionalCString(tag) { tagPointer in
                    yaml_scalar_event_initialize(
                        &event, nil, tagPointer, value.baseAddress.map { UnsafeMutablePointer(mutating: $0) } ?? empty,
                        Int32(value.count), implicit, implicit, libyamlStyle)
                }
            }
        }
        guard ok == 1 else {
            failed = failed ?? Failure(message: "libyaml refused a scalar")
            return
        }
        send("a scalar")
    }

    public func beginSequence(tag: String? = nil, flow: Bool = false) {
        _ = withOptionalCString(tag) { tagPointer in
            yaml_sequence_start_event_initialize(&event, nil, tagPointer, tag == nil ? 1 : 0, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE)
        }
        send("a sequence")
    }

    public func endSequence() {
        yaml_sequence_end_event_initialize(&event)
        send("a sequence end")
    }

    public func beginMapping(tag: String? = nil, flow: Bool = false) {
        _ = withOptionalCString(tag) { tagPointer in
            yaml_mapping_start_event_initialize(&event, nil, tagPointer, tag == nil ? 1 : 0, flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE)
        }
        send("a mapping")
    }

    public func endMapping() {
        yaml_mapping_end_event_initialize(&event)
        send("a mapping end")
    }

    /// Ends the document and returns the text, or the first failure.
    public func finish() throws(Failure) -> [UInt8] {
        yaml_document_end_event_initialize(&event, 1)
        send("document end")
        yaml_stream_end_event_initialize(&event)
        send("stream end")
        if let failed { throw failed }
        guard yaml_emitter_flush(&emitter) == 1 else {
            throw Failure(message: "libyaml could not flush its output")
        }
        return output
    }
}

/// Writes a whole `YAMLNode` tree.
public enum YAMLEmitter {
    public typealias Failure = YAMLEventWriter.Failure

    public static func emit(_ root: YAMLNode) throws(Failure) -> [UInt8] {
        let writer = try YAMLEventWriter()
        write(root, writer)
        return try writer.finish()
    }

    private static func write(_ node: YAMLNode, _ writer: YAMLEventWriter) {
        switch node.content {
        case .scalar(let text, let style):
            writer.scalar(text, style: style, tag: node.tag)
        case .sequence(let items):
            writer.beginSequence(tag: node.tag, flow: node.flow)
            for item in items { write(item, writer) }
            writer.endSequence()
        case .mapping(let pairs):
            writer.beginMapping(tag: node.tag, flow: node.flow)
            for pair in pairs {
                write(pair.key, writer)
                write(pair.value, writer)
            }
            writer.endMapping()
        }
    }
}

private func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<UInt8>?) -> R) -> R {
    guard let string else { return body(nil) }
    return string.withCString { pointer in
        pointer.withMemoryRebound(to: UInt8.self, capacity: string.utf8.count + 1) { body($0) }
    }
}
