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
        try read(bytes, into: builder, limits: limits, findComments: false).found
    }

    /// The same, also finding the text's comments in the same pass (what
    /// `YAMLCommentScanner.scan` finds, without a second run of libyaml's scanner): the
    /// formatter keeps them.
    public static func parseKeepingComments(_ bytes: [UInt8], into builder: any YAMLTreeBuilder, limits: ParseLimits = .standard) throws(YAMLErrors) -> (found: Bool, comments: [YAMLComment]) {
        try read(bytes, into: builder, limits: limits, findComments: bytes.contains(UInt8(ascii: "#")))
    }

    private static func read(_ bytes: [UInt8], into builder: any YAMLTreeBuilder, limits: ParseLimits, findComments: Bool) throws(YAMLErrors) -> (found: Bool, comments: [YAMLComment]) {
        if bytes.count > limits.maxBytes {
            throw YAMLErrors([YAMLError(.size, "input is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)", at: Mark(line: 1, column: 1))])
        }
        let result: Result<(found: Bool, comments: [YAMLComment]), YAMLErrors> = bytes.withUnsafeBufferPointer { buffer in
            var reader = EventReader(bytes: buffer, limits: limits, builder: builder, findComments: findComments)
            return reader.run().map { ($0, reader.comments?.found ?? []) }
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
        /// Where this mapping's keys start in the reader's `keys` (and `keyHashes`): one
        /// stack for every open mapping, not an array per mapping.
        var keyBase = 0
        var expectingKey = true
        /// Set when a key turned out to be a collection: its value is dropped.
        var complexKeyPending = false
        /// Once the mapping is too large to search its keys linearly: an open-addressing
        /// table of their offsets from `keyBase`, plus one (0 is a free slot).
        var table: [Int32] = []
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
    /// The keys of the open mappings, innermost last; nil for a pair already reported.
    private var keys: [YAMLKey?] = []
    /// `scalars.hash` of each key's text, alongside `keys`.
    private var keyHashes: [UInt64] = []
    private var scalars = ScalarTable()
    private var anchors: [String: Anchored] = [:]
    private var aliasNodes = 0
    private var aliasBytes = 0
    private var anchorCount = 0
    private var documents = 0
    private var hasRoot = false
    private var collected: [YAMLError] = []
    /// The comments found so far, when asked for.
    private(set) var comments: CommentCursor?
    private static var linearKeySearchLimit: Int { 16 }

    init(bytes: UnsafeBufferPointer<UInt8>, limits: ParseLimits, builder: any YAMLTreeBuilder, findComments: Bool) {
        // libyaml skips a byte-order mark only while it detects the encoding, which is set
        // explicitly below; the mark is not content, so the parse starts after it.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF, let base = bytes.baseAddress {
            self.bytes = UnsafeBufferPointer(start: base + 3, count: bytes.count - 3)
        } else {
            self.bytes = bytes
        }
        self.limits = limits
        self.builder = builder
        if findComments { comments = CommentCursor(bytes: self.bytes) }
        stack.reserveCapacity(16)
        keys.reserveCapacity(64)
        keyHashes.reserveCapacity(64)
    }

    mutating func run() -> Result<Bool, YAMLErrors> {
        var refusal: YAMLError?
        do throws(YAMLEventStream.Stop) {
            // `handle` throws its refusal: an optional error returned per event cost a
            // copy and a destroy of a `YAMLError?` each.
            try YAMLEventStream.read(bytes) { event in
                do throws(YAMLError) {
                    try handle(event)
                    return true
                } catch {
                    refusal = error
                    return false
                }
            }
        } catch {
            return .failure(YAMLErrors(collected + [refusal ?? parserError(error)]))
        }
        if !collected.isEmpty {
            return .failure(YAMLErrors(collected))
        }
        return .success(hasRoot && builder.finish())
    }

    private func parserError(_ stop: YAMLEventStream.Stop) -> YAMLError {
        let problem = stop.problem ?? "unknown error"
        switch stop.cause {
        case .reader(let offset, let value):
            let at = mark(atOffset: offset, in: bytes)
            var message = problem
            if value != -1 {
                message += " (byte 0x\(hexByte(UInt8(truncatingIfNeeded: value))))"
            }
            return YAMLError(.encoding, message, at: at)
        case .memory:
            return YAMLError(.size, "libyaml ran out of memory", at: Mark(line: 1, column: 1))
        case .syntax(let context, let contextMark):
            var message = problem
            if let context {
                message += " (\(context) at line \(contextMark.line), column \(contextMark.column))"
            }
            return YAMLError(.syntax, message, at: stop.mark)
        case .callback:
            return YAMLError(.syntax, problem, at: stop.mark)
        }
    }

    private func string(_ text: UnsafeBufferPointer<UInt8>?) -> String? {
        text.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Walks the comments up to this event and past its text.
    private mutating func followComments(_ event: YAMLStreamEvent) {
        switch event.kind {
        case .documentStart:
            // Directives (`%YAML 1.1 # note`) and `---`: any `#` there starts a comment.
            comments!.directives(from: event.startIndex, to: event.endIndex)
        default:
            let line = event.end.line - 1, column = event.end.column - 1
            let blockScalar = event.kind == .scalar && (event.style == .literal || event.style == .folded)
            comments!.content(from: event.startIndex, to: event.endIndex, endLine: line, endColumn: column,
                              blockScalar: blockScalar, properties: event.kind != .alias && (event.tag != nil || event.anchor != nil))
        }
        switch event.kind {
        case .sequenceStart, .mappingStart:
            if event.flow { comments!.flowDepth += 1 }
        case .sequenceEnd, .mappingEnd:
            // Inside a flow collection every collection is a flow one.
            comments!.flowDepth = max(comments!.flowDepth - 1, 0)
        default:
            break
        }
    }

    /// A scalar's text (a key's, a tag's), made once per distinct short text.
    private mutating func scalarText(_ value: UnsafeBufferPointer<UInt8>, hash: UInt64) -> String {
        scalars.string(value, hash: hash)
    }

    @inline(__always)
    private mutating func tagText(_ tag: UnsafeBufferPointer<UInt8>?) -> String? {
        guard let tag else { return nil }
        return scalars.string(tag, hash: scalars.hash(tag))
    }

    private mutating func handle(_ event: YAMLStreamEvent) throws(YAMLError) {
        if comments != nil { followComments(event) }
        let at = event.start
        switch event.kind {
        case .documentStart:
            documents += 1
            if documents > 1 {
                throw YAMLError(.multipleDocuments, "the stream holds more than one YAML document; a template is exactly one", at: at)
            }
        case .scalar:
            let value = event.value
            let isKey = expectingKey
            // Hashed when the text is looked up in the table or checked as a key.
            let hash = isKey || value.count <= ScalarTable.maxLength ? scalars.hash(value) : 0
            let text = scalarText(value, hash: hash)
            let style = event.style
            let tag = tagText(event.tag)
            let length = value.count
            if isKey {
                let key = YAMLKey(text: text, style: style, tag: tag, mark: at)
                if let anchor = string(event.anchor) {
                    anchors[anchor] = Anchored(index: -1, size: 1, height: 0, bytes: length, scalarKey: key)
                }
                acceptKey(key, hash: hash)
                return
            }
            try builder.pushScalar(text, style: style, tag: tag, mark: at)
            if let anchor = string(event.anchor) {
                remember(anchor, size: 1, height: 0, bytes: length, scalarKey: YAMLKey(text: text, style: style, tag: tag, mark: at))
            }
            completed(size: 1, height: 0, bytes: length)
        case .alias:
            let name = string(event.anchor) ?? ""
            guard let anchored = anchors[name] else {
                throw YAMLError(.undefinedAlias, "alias *\(name) names no anchor defined before it", at: at)
            }
            if expectingKey {
                guard var key = anchored.scalarKey else {
                    throw YAMLError(.complexKey, "a mapping key must be a scalar; alias *\(name) names a collection", at: at)
                }
                key.mark = at
                acceptKey(key, hash: scalars.hash(key.text))
                return
            }
            aliasNodes += anchored.size
            aliasBytes += anchored.bytes
            if aliasNodes > limits.maxAliasExpansion {
                throw YAMLError(.aliasExpansion, "aliases would expand to more than \(limits.maxAliasExpansion) nodes; refusing to expand (alias bomb?)", at: at)
            }
            if aliasBytes > limits.maxAliasExpansionBytes {
                throw YAMLError(.aliasExpansion, "aliases would expand to more than \(limits.maxAliasExpansionBytes) bytes of text; refusing to expand (alias bomb?)", at: at)
            }
            if stack.count + anchored.height > limits.maxDepth {
                throw YAMLError(.depth, "alias *\(name) nests deeper than the limit of \(limits.maxDepth) levels", at: at)
            }
            if anchored.index >= 0 {
                builder.pushAnchor(anchored.index, mark: at)
            } else if let key = anchored.scalarKey {
                // An anchor first met as a key, now used as a value.
                try builder.pushScalar(key.text, style: key.style, tag: key.tag, mark: at)
            }
            completed(size: anchored.size, height: anchored.height, bytes: anchored.bytes)
        case .sequenceStart, .mappingStart:
            if stack.count + 1 > limits.maxDepth {
                throw YAMLError(.depth, "nesting is deeper than the limit of \(limits.maxDepth) levels", at: at)
            }
            let isMapping = event.kind == .mappingStart
            if expectingKey {
                let last = stack.count - 1
                collected.append(YAMLError(.complexKey, "a mapping key must be a scalar, not a \(isMapping ? "mapping" : "sequence")", at: at))
                stack[last].complexKeyPending = true
                stack[last].expectingKey = false
            }
            stack.append(Frame(isMapping: isMapping, tag: tagText(event.tag), anchor: string(event.anchor), mark: at, keyBase: keys.count))
        case .sequenceEnd, .mappingEnd:
            let frame = stack.removeLast()
            if frame.isMapping {
                try builder.endMapping(keys: keys[frame.keyBase...], tag: frame.tag, mark: frame.mark)
                // One by one: a mapping has a few keys, and `removeSubrange` is a generic
                // range replacement costing more than all of them.
                while keys.count > frame.keyBase {
                    keys.removeLast()
                    keyHashes.removeLast()
                }
            } else {
                try builder.endSequence(count: frame.count, tag: frame.tag, mark: frame.mark)
            }
            if let anchor = frame.anchor { remember(anchor, size: frame.size, height: frame.height, bytes: frame.bytes, scalarKey: nil) }
            completed(size: frame.size, height: frame.height, bytes: frame.bytes)
        default:
            break
        }
    }

    /// True when the next node is the key of the innermost mapping.
    private var expectingKey: Bool {
        // By index: `stack.last` would copy the frame (its tag and anchor) per event.
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
                pushKey(nil, hash: 0)
                stack[last].expectingKey = false
                return
            }
            stack[last].expectingKey = true
        }
        stack[last].count += 1
    }

    private mutating func acceptKey(_ key: consuming YAMLKey, hash: UInt64) {
        let last = stack.count - 1
        stack[last].expectingKey = false
        if let first = firstPlace(of: key.text, hash: hash, inFrame: last) {
            collected.append(YAMLError(.duplicateKey, "duplicate key '\(key.text)' (first defined at line \(first.line), column \(first.column))", at: key.mark, related: first))
            pushKey(nil, hash: 0)
            return
        }
        pushKey(key, hash: hash)
        let base = stack[last].keyBase, count = keys.count - base
        if !stack[last].table.isEmpty {
            insert(count - 1, hash: hash, inFrame: last)
        } else if count > Self.linearKeySearchLimit {
            rebuildTable(inFrame: last)
        }
    }

    private mutating func pushKey(_ key: consuming YAMLKey?, hash: UInt64) {
        keys.append(key)
        keyHashes.append(hash)
    }

    /// Where the mapping's key equal to `text` (by bytes) was, if it has one already: keys
    /// with another hash are passed over without comparing their texts.
    private func firstPlace(of text: String, hash: UInt64, inFrame index: Int) -> Mark? {
        let base = stack[index].keyBase
        return keys.withUnsafeBufferPointer { keys in
            keyHashes.withUnsafeBufferPointer { hashes in
                if stack[index].table.isEmpty {
                    var offset = base
                    while offset < hashes.count {
                        if hashes[offset] == hash, let key = keys[offset], key.text.sameScalars(as: text) { return key.mark }
                        offset += 1
                    }
                    return nil
                }
                return stack[index].table.withUnsafeBufferPointer { table in
                    let mask = table.count - 1
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while table[slot] != 0 {
                        let offset = base + Int(table[slot]) - 1
                        if hashes[offset] == hash, let key = keys[offset], key.text.sameScalars(as: text) { return key.mark }
                        slot = (slot + 1) & mask
                    }
                    return nil
                }
            }
        }
    }

    /// Places the key at `offset` (from the frame's `keyBase`) in the frame's table.
    private mutating func insert(_ offset: Int, hash: UInt64, inFrame index: Int) {
        let count = keys.count - stack[index].keyBase
        if count * 2 > stack[index].table.count {
            rebuildTable(inFrame: index)
            return
        }
        let mask = stack[index].table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while stack[index].table[slot] != 0 { slot = (slot + 1) & mask }
        stack[index].table[slot] = Int32(truncatingIfNeeded: offset + 1)
    }

    /// A table for the frame's keys with room for as many again (reported pairs left out).
    private mutating func rebuildTable(inFrame index: Int) {
        let base = stack[index].keyBase
        let count = keys.count - base
        var capacity = 32
        while capacity < count * 4 { capacity *= 2 }
        var table = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for offset in 0..<count where keys[base + offset] != nil {
            var slot = Int(truncatingIfNeeded: keyHashes[base + offset]) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(truncatingIfNeeded: offset + 1)
        }
        stack[index].table = table
    }
}
