internal import CYAML

/// Writes a `YAMLNode` tree as block-style YAML through libyaml's emitter.
///
/// The caller chooses each scalar's style; a `.plain` scalar is written plain only where
/// libyaml's own analysis allows it (it falls back to quotes otherwise), so the caller's one
/// duty is to ask for quotes where a YAML 1.1 reader would misread the plain text
/// (`YAML11Resolver`). Long lines are never folded. Output is UTF-8 with `\n` breaks.
public enum YAMLEmitter {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public static func emit(_ root: YAMLNode) throws(Failure) -> [UInt8] {
        let sink = Sink()
        var emitter = yaml_emitter_t()
        guard yaml_emitter_initialize(&emitter) == 1 else {
            throw Failure(message: "libyaml could not allocate an emitter")
        }
        defer { yaml_emitter_delete(&emitter) }
        yaml_emitter_set_unicode(&emitter, 1)
        yaml_emitter_set_width(&emitter, -1)
        yaml_emitter_set_indent(&emitter, 2)
        yaml_emitter_set_break(&emitter, YAML_LN_BREAK)
        let context = Unmanaged.passUnretained(sink).toOpaque()
        yaml_emitter_set_output(&emitter, { data, buffer, size in
            guard let data, let buffer else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(data).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, context)

        let writer = EventWriter(emitter: &emitter)
        try writer.stream(root)
        return sink.bytes
    }

    private final class Sink {
        var bytes: [UInt8] = []
        init() { bytes.reserveCapacity(1 << 16) }
    }

    private struct EventWriter: ~Copyable {
        let emitter: UnsafeMutablePointer<yaml_emitter_t>

        init(emitter: UnsafeMutablePointer<yaml_emitter_t>) {
            self.emitter = emitter
        }

        func send(_ event: inout yaml_event_t, _ what: String) throws(Failure) {
            // yaml_emitter_emit takes ownership of the event, even on failure.
            guard yaml_emitter_emit(emitter, &event) == 1 else {
                let problem = emitter.pointee.problem.map { String(cString: $0) } ?? "unknown error"
                throw Failure(message: "libyaml could not emit \(what): \(problem)")
            }
        }

        func stream(_ root: YAMLNode) throws(Failure) {
            var event = yaml_event_t()
            yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING)
            try send(&event, "stream start")
            yaml_document_start_event_initialize(&event, nil, nil, nil, 1)
            try send(&event, "document start")
            try node(root)
            yaml_document_end_event_initialize(&event, 1)
            try send(&event, "document end")
            yaml_stream_end_event_initialize(&event)
            try send(&event, "stream end")
            guard yaml_emitter_flush(emitter) == 1 else {
                throw Failure(message: "libyaml could not flush its output")
            }
        }

        func node(_ node: YAMLNode) throws(Failure) {
            var event = yaml_event_t()
            let implicit: Int32 = node.tag == nil ? 1 : 0
            switch node.content {
            case .scalar(let text, let style):
                let libyamlStyle: yaml_scalar_style_t
                switch style {
                case .plain: libyamlStyle = YAML_PLAIN_SCALAR_STYLE
                case .singleQuoted: libyamlStyle = YAML_SINGLE_QUOTED_SCALAR_STYLE
                case .doubleQuoted: libyamlStyle = YAML_DOUBLE_QUOTED_SCALAR_STYLE
                case .literal: libyamlStyle = YAML_LITERAL_SCALAR_STYLE
                case .folded: libyamlStyle = YAML_FOLDED_SCALAR_STYLE
                }
                var text = text
                // libyaml copies the value; an empty string still needs a valid pointer.
                var zero: UInt8 = 0
                let ok = text.withUTF8 { value in
                    withUnsafeMutablePointer(to: &zero) { empty in
                        withOptionalCString(node.tag) { tag in
                            yaml_scalar_event_initialize(
                                &event, nil, tag, value.baseAddress.map { UnsafeMutablePointer(mutating: $0) } ?? empty,
                                Int32(value.count), implicit, implicit, libyamlStyle)
                        }
                    }
                }
                guard ok == 1 else { throw Failure(message: "libyaml refused a scalar") }
                try send(&event, "a scalar")
            case .sequence(let items):
                let style = node.flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE
                _ = withOptionalCString(node.tag) { tag in
                    yaml_sequence_start_event_initialize(&event, nil, tag, implicit, style)
                }
                try send(&event, "a sequence")
                for item in items { try self.node(item) }
                yaml_sequence_end_event_initialize(&event)
                try send(&event, "a sequence end")
            case .mapping(let pairs):
                let style = node.flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE
                _ = withOptionalCString(node.tag) { tag in
                    yaml_mapping_start_event_initialize(&event, nil, tag, implicit, style)
                }
                try send(&event, "a mapping")
                for pair in pairs {
                    try self.node(pair.key)
                    try self.node(pair.value)
                }
                yaml_mapping_end_event_initialize(&event)
                try send(&event, "a mapping end")
            }
        }
    }
}

private func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<UInt8>?) -> R) -> R {
    guard let string else { return body(nil) }
    return string.withCString { pointer in
        pointer.withMemoryRebound(to: UInt8.self, capacity: string.utf8.count + 1) { body($0) }
    }
}
