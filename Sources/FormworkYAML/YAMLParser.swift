internal import CYAML

/// Every error found while reading one text. Structural errors stop the read at once;
/// duplicate and complex keys are collected so that one run reports all of them.
public struct YAMLErrors: Error, Sendable {
    public var errors: [YAMLError]

    public init(_ errors: [YAMLError]) {
        self.errors = errors
    }
}

/// Reads a YAML text through libyaml's event API into a tree that a `YAMLTreeBuilder` makes.
///
/// Nothing here recurses (collections are frames on an explicit stack), so nesting depth is
/// bounded by `ParseLimits.maxDepth` and never by the thread's stack. Aliases are expanded,
/// with the nodes they add counted as they are added: an alias bomb is refused before it
/// costs anything. Duplicate keys are found here, with both places.
public enum YAMLParser {
    /// Builds the document with `builder`; false for a stream with no document (an empty file).
    public static func parse(_ bytes: [UInt8], into builder: any YAMLTreeBuilder, limits: ParseLimits = .standard) throws(YAMLErrors) -> Bool {
        if bytes.count > limits.maxBytes {
            throw YAMLErrors([YAMLError(.size, "input is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)", at: Mark(line: 1, column: 1))])
        }
        let result: Result<Bool, YAMLErrors> = bytes.withUnsafeBufferPointer { buffer in
            var reader = EventReader(bytes: buffer, limits: limits, builder: builder)
            return reader.run()
        }
        return try result.get()
    }

    /// Reads into a `YAMLNode` tree; nil for an empty stream.
    public static func parse(_ bytes: [UInt8], limits: ParseLimits = .standard) throws(YAMLErrors) -> YAMLNode? {
        let builder = YAMLNodeBuilder()
        _ = try parse(bytes, into: builder, limits: limits)
        return builder.root
    }

    public static func parse(_ text: String, limits: ParseLimits = .standard) throws(YAMLErrors) -> YAMLNode? {
        try parse(Array(text.utf8), limits: limits)
    }
}

/// Two upper-case hexadecimal digits, for messages about bytes.
public func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}

/// Converts a byte offset into a 1-based line and a column counted in Unicode scalars,
/// for errors libyaml reports by offset only (reader errors: bad UTF-8, control bytes).
public func mark(atOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Mark {
    var line = 1
    var column = 1
    var index = 0
    let end = min(offset, bytes.count)
    while index < end {
        let byte = bytes[index]
        if LineIndex.startsBreak(bytes, at: index) {
            line += 1
            column = 1
        } else if byte == UInt8(ascii: "\n") {
            // The `\n` of a `\r\n`: one break.
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
        index += 1
    }
    return Mark(line: line, column: column)
}

private struct EventReader {
    private struct Frame {
        var isMapping: Bool
        var tag: String?
        var anchor: String?
        var mark: Mark
        /// Children pushed so far (for a mapping: values, one per key).
        var count = 0
        var keys: [YAMLKey?] = []
        var expectingKey = true
        /// Set when a key turned out to be a collection: its value is dropped.
        var complexKeyPending = false
        /// Key texts seen, once the mapping is too large to search `keys` linearly.
        var seen: [ScalarKey: Mark]?
        var size = 1
        var height = 0
        /// Scalar bytes in this subtree, aliases expanded.
        var bytes = 0
    }

    private struct Anchored {
        var index: Int
        var size: Int
        var height: Int
        var bytes: Int
        /// The text of an anchored scalar, so that an alias can serve as a key.
        var scalarKey: YAMLKey?
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let limits: ParseLimits
    let builder: any YAMLTreeBuilder
    private var stack: [Frame] = []
    private var anchors: [String: Anchored] = [:]
    private var aliasNodes = 0
    private var aliasBytes = 0
    private var anchorCount = 0
    private var documents = 0
    private var hasRoot = false
    private var collected: [YAMLError] = []
    private static var linearKeySearchLimit: Int { 16 }

    init(bytes: UnsafeBufferPointer<UInt8>, limits: ParseLimits, builder: any YAMLTreeBuilder) {
        // libyaml skips a byte-order mark only while it detects the encoding, which is set
        // explicitly below; the mark is not content, so the parse starts after it.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF, let base = bytes.baseAddress {
            self.bytes = UnsafeBufferPointer(start: base + 3, count: bytes.count - 3)
        } else {
            self.bytes = bytes
        }
        self.limits = limits
        self.builder = builder
    }

    mutating func run() -> Result<Bool, YAMLErrors> {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return .failure(YAMLErrors([YAMLError(.syntax, "libyaml could not allocate a parser", at: Mark(line: 1, column: 1))]))
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                return .failure(YAMLErrors(collected + [parserError(parser)]))
            }
            let type = event.type
            let outcome = handle(&event)
            yaml_event_delete(&event)
            if let error = outcome {
                return .failure(YAMLErrors(collected + [error]))
            }
            if type == YAML_STREAM_END_EVENT { break }
        }
        if !collected.isEmpty {
            return .failure(YAMLErrors(collected))
        }
        return .success(hasRoot && builder.finish())
    }

    private func parserError(_ parser: yaml_parser_t) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        switch parser.error {
        case YAML_READER_ERROR:
            let at = mark(atOffset: parser.problem_offset, in: bytes)
            var message = problem
            if parser.problem_value != -1 {
                message += " (byte 0x\(hexByte(UInt8(truncatingIfNeeded: parser.problem_value))))"
            }
            return YAMLError(.encoding, message, at: at)
        case YAML_MEMORY_ERROR:
            return YAMLError(.size, "libyaml ran out of memory", at: Mark(line: 1, column: 1))
        default:
            let at = convert(parser.problem_mark)
            var message = problem
            if let context = parser.context.map({ String(cString: $0) }) {
                let contextMark = convert(parser.context_mark)
                message += " (\(context) at line \(contextMark.line), column \(contextMark.column))"
            }
            return YAMLError(.syntax, message, at: at)
        }
    }

    private func convert(_ mark: yaml_mark_t) -> Mark {
        Mark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private mutating func handle(_ event: inout yaml_event_t) -> YAMLError? {
        let at = convert(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                return YAMLError(.multipleDocuments, "the stream holds more than one YAML document; a template is exactly one", at: at)
            }
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length)), as: UTF8.self)
            let style: ScalarStyle
            switch scalar.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let tag = string(scalar.tag)
            if expectingKey {
                let key = YAMLKey(text: text, style: style, tag: tag, mark: at)
                if let anchor = string(scalar.anchor) {
                    anchors[anchor] = Anchored(index: -1, size: 1, height: 0, bytes: Int(scalar.length), scalarKey: key)
                }
                return acceptKey(key)
            }
            do throws(YAMLError) {
                try builder.pushScalar(text, style: style, tag: tag, mark: at)
            } catch {
                return error
            }
            if let anchor = string(scalar.anchor) {
                remember(anchor, size: 1, height: 0, bytes: Int(scalar.length), scalarKey: YAMLKey(text: text, style: style, tag: tag, mark: at))
            }
            completed(size: 1, height: 0, bytes: Int(scalar.length))
        case YAML_ALIAS_EVENT:
            let name = string(event.data.alias.anchor) ?? ""
            guard let anchored = anchors[name] else {
                return YAMLError(.undefinedAlias, "alias *\(name) names no anchor defined before it", at: at)
            }
            if expectingKey {
                guard var key = anchored.scalarKey else {
                    return YAMLError(.complexKey, "a mapping key must be a scalar; alias *\(name) names a collection", at: at)
                }
                key.mark = at
                return acceptKey(key)
            }
            aliasNodes += anchored.size
            aliasBytes += anchored.bytes
            if aliasNodes > limits.maxAliasExpansion {
                return YAMLError(.aliasExpansion, "aliases would expand to more than \(limits.maxAliasExpansion) nodes; refusing to expand (alias bomb?)", at: at)
            }
            if aliasBytes > limits.maxAliasExpansionBytes {
                return YAMLError(.aliasExpansion, "aliases would expand to more than \(limits.maxAliasExpansionBytes) bytes of text; refusing to expand (alias bomb?)", at: at)
            }
            if stack.count + anchored.height > limits.maxDepth {
                return YAMLError(.depth, "alias *\(name) nests deeper than the limit of \(limits.maxDepth) levels", at: at)
            }
            if anchored.index >= 0 {
                builder.pushAnchor(anchored.index, mark: at)
            } else if let key = anchored.scalarKey {
                // An anchor first met as a key, now used as a value.
                do throws(YAMLError) {
                    try builder.pushScalar(key.text, style: key.style, tag: key.tag, mark: at)
                } catch {
                    return error
                }
            }
            completed(size: anchored.size, height: anchored.height, bytes: anchored.bytes)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            if stack.count + 1 > limits.maxDepth {
                return YAMLError(.depth, "nesting is deeper than the limit of \(limits.maxDepth) levels", at: at)
            }
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            if expectingKey {
                let last = stack.count - 1
                collected.append(YAMLError(.complexKey, "a mapping key must be a scalar, not a \(isMapping ? "mapping" : "sequence")", at: at))
                stack[last].complexKeyPending = true
                stack[last].expectingKey = false
            }
            let tag = isMapping ? string(event.data.mapping_start.tag) : string(event.data.sequence_start.tag)
            let anchor = isMapping ? string(event.data.mapping_start.anchor) : string(event.data.sequence_start.anchor)
            stack.append(Frame(isMapping: isMapping, tag: tag, anchor: anchor, mark: at))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            do throws(YAMLError) {
                if frame.isMapping {
                    try builder.endMapping(keys: frame.keys, tag: frame.tag, mark: frame.mark)
                } else {
                    try builder.endSequence(count: frame.count, tag: frame.tag, mark: frame.mark)
                }
            } catch {
                return error
            }
            if let anchor = frame.anchor { remember(anchor, size: frame.size, height: frame.height, bytes: frame.bytes, scalarKey: nil) }
            completed(size: frame.size, height: frame.height, bytes: frame.bytes)
        default:
            break
        }
        return nil
    }

    /// True when the next node is the key of the innermost mapping.
    private var expectingKey: Bool {
        // By index: `stack.last` would copy the frame (its keys, tag and anchor) per event.
        let last = stack.count - 1
        return last >= 0 && stack[last].isMapping && stack[last].expectingKey
    }

    private mutating func remember(_ anchor: String, size: Int, height: Int, bytes: Int, scalarKey: YAMLKey?) {
        let index = anchorCount
        anchorCount += 1
        builder.saveAnchor(index)
        anchors[anchor] = Anchored(index: index, size: size, height: height, bytes: bytes, scalarKey: scalarKey)
    }

    /// A value (scalar, alias or collection) is now on the builder's stack.
    private mutating func completed(size: Int, height: Int, bytes: Int) {
        guard !stack.isEmpty else {
            hasRoot = true
            return
        }
        let last = stack.count - 1
        stack[last].size += size
        stack[last].bytes += bytes
        stack[last].height = max(stack[last].height, height + 1)
        if stack[last].isMapping {
            if stack[last].complexKeyPending {
                // That was the complex key itself: drop it; its value will be dropped too.
                builder.discard()
                stack[last].complexKeyPending = false
                stack[last].keys.append(nil)
                stack[last].expectingKey = false
                return
            }
            stack[last].expectingKey = true
        }
        stack[last].count += 1
    }

    private mutating func acceptKey(_ key: YAMLKey) -> YAMLError? {
        let last = stack.count - 1
        stack[last].expectingKey = false
        if let first = firstPlace(of: key.text, inFrame: last) {
            collected.append(YAMLError(.duplicateKey, "duplicate key '\(key.text)' (first defined at line \(first.line), column \(first.column))", at: key.mark, related: first))
            stack[last].keys.append(nil)
            return nil
        }
        stack[last].keys.append(key)
        if stack[last].seen != nil {
            stack[last].seen?[ScalarKey(key.text)] = key.mark
        } else if stack[last].keys.count > Self.linearKeySearchLimit {
            var seen: [ScalarKey: Mark] = [:]
            for case let known? in stack[last].keys { seen[ScalarKey(known.text)] = seen[ScalarKey(known.text)] ?? known.mark }
            stack[last].seen = seen
        }
        return nil
    }

    private func firstPlace(of text: String, inFrame index: Int) -> Mark? {
        if stack[index].seen != nil { return stack[index].seen?[ScalarKey(text)] }
        // The keys compared in place (iterating copied each key with its tag).
        return stack[index].keys.withUnsafeBufferPointer { keys in
            var offset = 0
            while offset < keys.count {
                if keys[offset]?.text.sameScalars(as: text) == true { return keys[offset]?.mark }
                offset += 1
            }
            return nil
        }
    }
}
