internal import CYAML

/// Every error found while reading one text. Structural errors stop the read at once;
/// duplicate and complex keys are collected so that one run reports all of them.
public struct YAMLErrors: Error, Sendable {
    public var errors: [YAMLError]

    public init(_ errors: [YAMLError]) {
        self.errors = errors
    }
}

/// Reads a YAML text into a `YAMLNode` tree through libyaml's event API.
///
/// The tree is built without recursion (an explicit stack), so nesting depth is bounded by
/// `ParseLimits.maxDepth` and never by the thread's stack. Aliases are expanded, with the
/// number of nodes they add counted as they are added: an alias bomb is refused before it
/// costs anything.
public enum YAMLParser {
    /// Returns the document's root, or `nil` for a stream with no document (an empty file).
    public static func parse(_ bytes: [UInt8], limits: ParseLimits = .standard) throws(YAMLErrors) -> YAMLNode? {
        if bytes.count > limits.maxBytes {
            throw YAMLErrors([YAMLError(.size, "input is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)", at: Mark(line: 1, column: 1))])
        }
        let result: Result<YAMLNode?, YAMLErrors> = bytes.withUnsafeBufferPointer { buffer in
            var builder = TreeBuilder(bytes: buffer, limits: limits)
            return builder.run()
        }
        return try result.get()
    }

    /// Parses UTF-8 text; a convenience for tests and small inputs.
    public static func parse(_ text: String, limits: ParseLimits = .standard) throws(YAMLErrors) -> YAMLNode? {
        try parse(Array(text.utf8), limits: limits)
    }
}

func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}

/// Converts a byte offset into a 1-based line and a column counted in Unicode scalars,
/// for errors libyaml reports by offset only (reader errors: bad UTF-8, control bytes).
func mark(atOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Mark {
    var line = 1
    var column = 1
    var index = 0
    let end = min(offset, bytes.count)
    while index < end {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
        index += 1
    }
    return Mark(line: line, column: column)
}

private struct TreeBuilder {
    private struct Frame {
        enum Kind { case sequence, mapping }
        var kind: Kind
        var tag: String?
        var anchor: String?
        var mark: Mark
        var items: [YAMLNode] = []
        var pairs: [YAMLNode.Pair] = []
        var pendingKey: YAMLNode?
        var keyMarks: [String: Mark] = [:]
        /// Nodes in this subtree, aliases expanded, this node included.
        var size = 1
        /// Longest path below this node.
        var height = 0
    }

    private struct Anchored {
        var node: YAMLNode
        var size: Int
        var height: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let limits: ParseLimits
    private var stack: [Frame] = []
    private var anchors: [String: Anchored] = [:]
    private var aliasNodes = 0
    private var root: YAMLNode?
    private var documents = 0
    private var collected: [YAMLError] = []

    init(bytes: UnsafeBufferPointer<UInt8>, limits: ParseLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func run() -> Result<YAMLNode?, YAMLErrors> {
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
            let outcome = handle(&event)
            let type = event.type
            yaml_event_delete(&event)
            if let error = outcome {
                return .failure(YAMLErrors(collected + [error]))
            }
            if type == YAML_STREAM_END_EVENT { break }
        }
        if !collected.isEmpty {
            return .failure(YAMLErrors(collected))
        }
        return .success(root)
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
            let node = YAMLNode(.scalar(text, style), tag: string(scalar.tag), mark: at)
            if let anchor = string(scalar.anchor) {
                anchors[anchor] = Anchored(node: node, size: 1, height: 0)
            }
            return add(node, size: 1, height: 0)
        case YAML_ALIAS_EVENT:
            let name = string(event.data.alias.anchor) ?? ""
            guard let anchored = anchors[name] else {
                return YAMLError(.undefinedAlias, "alias *\(name) names no anchor defined before it", at: at)
            }
            aliasNodes += anchored.size
            if aliasNodes > limits.maxAliasExpansion {
                return YAMLError(.aliasExpansion, "aliases would expand to more than \(limits.maxAliasExpansion) nodes; refusing to expand (alias bomb?)", at: at)
            }
            if stack.count + anchored.height > limits.maxDepth {
                return YAMLError(.depth, "alias *\(name) nests deeper than the limit of \(limits.maxDepth) levels", at: at)
            }
            var node = anchored.node
            node.mark = at
            return add(node, size: anchored.size, height: anchored.height)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            if stack.count + 1 > limits.maxDepth {
                return YAMLError(.depth, "nesting is deeper than the limit of \(limits.maxDepth) levels", at: at)
            }
            let isSequence = event.type == YAML_SEQUENCE_START_EVENT
            let tag = isSequence ? string(event.data.sequence_start.tag) : string(event.data.mapping_start.tag)
            let anchor = isSequence ? string(event.data.sequence_start.anchor) : string(event.data.mapping_start.anchor)
            stack.append(Frame(kind: isSequence ? .sequence : .mapping, tag: tag, anchor: anchor, mark: at))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            let content: YAMLNode.Content = frame.kind == .sequence ? .sequence(frame.items) : .mapping(frame.pairs)
            let node = YAMLNode(content, tag: frame.tag, mark: frame.mark)
            if let anchor = frame.anchor {
                anchors[anchor] = Anchored(node: node, size: frame.size, height: frame.height)
            }
            return add(node, size: frame.size, height: frame.height)
        default:
            break
        }
        return nil
    }

    private mutating func add(_ node: YAMLNode, size: Int, height: Int) -> YAMLError? {
        guard !stack.isEmpty else {
            root = node
            return nil
        }
        let top = stack.count - 1
        stack[top].size += size
        stack[top].height = max(stack[top].height, height + 1)
        switch stack[top].kind {
        case .sequence:
            stack[top].items.append(node)
        case .mapping:
            guard let key = stack[top].pendingKey else {
                stack[top].pendingKey = node
                return nil
            }
            stack[top].pendingKey = nil
            guard case .scalar(let text, _) = key.content else {
                collected.append(YAMLError(.complexKey, "a mapping key must be a scalar, not a \(describe(key))", at: key.mark))
                return nil
            }
            if let first = stack[top].keyMarks[text] {
                collected.append(YAMLError(.duplicateKey, "duplicate key '\(text)' (first defined at line \(first.line), column \(first.column))", at: key.mark, related: first))
                return nil
            }
            stack[top].keyMarks[text] = key.mark
            stack[top].pairs.append(YAMLNode.Pair(key: key, value: node))
        }
        return nil
    }

    private func describe(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar: return "scalar"
        case .sequence: return "sequence"
        case .mapping: return "mapping"
        }
    }
}
