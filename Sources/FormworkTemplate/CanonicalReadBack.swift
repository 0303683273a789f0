import FormworkYAML

/// Where the nodes of a value stand in a text written from it: one slot per node and per
/// object key, in pre-order (a node, then for an object each key and its value, for an array
/// its items, for a function its argument), with each slot's subtree size. It stands in for
/// the tree the text reads back to: the comment placement asks it for lines and columns.
struct OutputLayout {
    /// The value the slots describe (its structure; its own places are the input's).
    let root: Node
    private(set) var marks: [Mark] = []
    private(set) var sizes: [Int32] = []

    /// A node of `root` and its slot.
    struct Handle {
        var node: Node
        var slot: Int
        var location: Mark
    }

    init(root: Node) {
        self.root = root
    }

    /// The layout of a tree read back with its own places (the slow path's).
    init(readBack tree: Node) {
        self.root = tree
        record(tree)
    }

    private mutating func record(_ node: Node) {
        let slot = open(node.location)
        switch node.kind {
        case .object(let map):
            for entry in map.entries {
                _ = open(entry.keyLocation)
                close(slots: marks.count - 1)
                record(entry.value)
            }
        case .array(let items):
            for item in items { record(item) }
        case .intrinsic(let function):
            record(function.argument)
        default:
            break
        }
        close(slots: slot)
    }

    /// Starts a slot at `mark`; `close` sets its size once its subtree is recorded.
    mutating func open(_ mark: Mark) -> Int {
        marks.append(mark)
        sizes.append(1)
        return marks.count - 1
    }

    mutating func close(slots slot: Int) {
        sizes[slot] = Int32(marks.count - slot)
    }

    /// Moves a slot once its place is known: a tagged block mapping is where its first key is.
    mutating func move(slot: Int, to mark: Mark) {
        marks[slot] = mark
    }

    /// Every slot of `node`'s subtree at one mark: the parts a reader makes of one scalar
    /// (`!GetAtt A.B`, `!Condition X`) all stand where the scalar does.
    mutating func recordAll(_ node: Node, at mark: Mark) {
        let slot = open(mark)
        switch node.kind {
        case .object(let map):
            for entry in map.entries {
                close(slots: open(mark))
                recordAll(entry.value, at: mark)
            }
        case .array(let items):
            for item in items { recordAll(item, at: mark) }
        case .intrinsic(let function):
            recordAll(function.argument, at: mark)
        default:
            break
        }
        close(slots: slot)
    }

    var top: Handle { Handle(node: root, slot: 0, location: marks.first ?? .none) }

    /// The child of `handle` at an object key, an array index or a function's argument.
    func child(_ handle: Handle, _ component: PathComponent) -> Handle? {
        switch (component, handle.node.kind) {
        case (.key(let key), .object(let map)):
            guard let position = map.position(of: key) else { return nil }
            let keySlot = keySlot(of: position, in: handle.slot)
            return Handle(node: map.entries[position].value, slot: keySlot + 1, location: marks[keySlot + 1])
        case (.key(let key), .intrinsic(let function)) where key == function.name.rawValue:
            return Handle(node: function.argument, slot: handle.slot + 1, location: marks[handle.slot + 1])
        case (.index(let index), .array(let items)) where items.indices.contains(index):
            let slot = itemSlot(of: index, in: handle.slot)
            return Handle(node: items[index], slot: slot, location: marks[slot])
        default:
            return nil
        }
    }

    /// Where an object's key at `position` stands.
    func keyLocation(_ handle: Handle, position: Int) -> Mark {
        marks[keySlot(of: position, in: handle.slot)]
    }

    /// Where an array's item at `index` starts.
    func itemLocation(_ handle: Handle, index: Int) -> Mark {
        marks[itemSlot(of: index, in: handle.slot)]
    }

    private func keySlot(of position: Int, in slot: Int) -> Int {
        var key = slot + 1
        for _ in 0..<position { key += 1 + Int(sizes[key + 1]) }
        return key
    }

    private func itemSlot(of index: Int, in slot: Int) -> Int {
        var item = slot + 1
        for _ in 0..<index { item += Int(sizes[item]) }
        return item
    }
}

/// The formatter's self-check without a second tree: libyaml's events of the canonical
/// output are walked against the value it was written from, each read as `TemplateReader`
/// reads it (YAML 1.1 resolution of plain scalars, short-form tags, one-key `Fn::` mappings
/// as functions, `!GetAtt A.B` split), with keys in the written order. A match proves the
/// output reads back to the value; anything else (a difference, or anything canonical output
/// never holds: anchors, aliases, `!!` tags, more than one document) is no match, and the
/// caller takes the slow path, which reads the output into a tree and says what differs.
struct CanonicalReadBack {
    /// An open collection: the array items or object entries it must hold, in order. A
    /// long-form function is a mapping of its one key (`function`).
    private struct Open {
        var items: [Node] = []
        var entries: [ObjectMap.Entry] = []
        var isArray: Bool
        var function = false
        var next = 0
        var expectingKey = true
        /// Layout slots: the first one opened for the node (a tag's function or `!Condition`
        /// object around the collection) and the collection's own.
        var outerSlot = -1
        var innerSlot = -1
        /// A mapping under a function's tag: the reader places it at its first key when that
        /// key is on a later line than the tag (`ValueTreeBuilder.endMapping`).
        var tagged = false

        var count: Int { isArray ? items.count : entries.count }
    }

    private let expected: Node
    private var stack: [Open] = []
    private var matchedRoot = false
    private var documents = 0
    private let builder = ValueTreeBuilder()
    /// The places of the expected value's nodes in the text, when asked for.
    private(set) var layout: OutputLayout?
    /// Comment `#` places the text must hold outside every node (sorted).
    private let comments: [Mark]
    private let maxDepth = ParseLimits.selfCheck.maxDepth
    /// False for the walk that only records the layout: its scalars and keys are compared
    /// by the walk of the commented text, which must match before that text is used.
    private let compareScalars: Bool

    private init(expected: Node, recordLayout: Bool, comments: [Mark]) {
        self.expected = expected
        self.layout = recordLayout ? OutputLayout(root: expected) : nil
        self.comments = comments
        self.compareScalars = !recordLayout
        stack.reserveCapacity(32)
    }

    /// True when `bytes` read back to `expected`. `comments`: the places of comments written
    /// into the text, which must each stand outside every node (so that they are comments,
    /// not text) or on a block scalar's header line.
    static func matches(_ bytes: [UInt8], _ expected: Node, comments: [Mark] = []) -> Bool {
        var check = CanonicalReadBack(expected: expected, recordLayout: false, comments: comments)
        return check.run(bytes)
    }

    /// The layout of `bytes` when their structure is `expected`'s, else nil. Scalars and keys
    /// are not compared: the comments placed by this layout go into a text that `matches`
    /// must then accept, which compares everything.
    static func layout(of bytes: [UInt8], _ expected: Node) -> OutputLayout? {
        var check = CanonicalReadBack(expected: expected, recordLayout: true, comments: [])
        return check.run(bytes) ? check.layout : nil
    }

    private mutating func run(_ bytes: [UInt8]) -> Bool {
        // `TemplateReader` reads a text that starts with `{` as JSON: the slow path decides.
        guard let first = bytes.first(where: { $0 != 0x20 && $0 != 0x0A }), first != UInt8(ascii: "{") else { return false }
        do throws(YAMLEventStream.Stop) {
            try bytes.withUnsafeBufferPointer { buffer throws(YAMLEventStream.Stop) in
                try YAMLEventStream.read(buffer) { event in self.accept(event) }
            }
        } catch {
            return false
        }
        return matchedRoot && stack.isEmpty
    }

    private mutating func accept(_ event: YAMLStreamEvent) -> Bool {
        if event.anchored { return false }
        switch event.kind {
        case .streamStart, .documentEnd, .streamEnd:
            return true
        case .documentStart:
            documents += 1
            return documents == 1
        case .alias:
            return false
        case .scalar:
            if !comments.isEmpty, !commentsOutside(event) { return false }
            let top = stack.count - 1
            if top >= 0, !stack[top].isArray, stack[top].expectingKey {
                let next = stack[top].next
                // Keys carry no tag in canonical output, and compare byte for byte.
                guard next < stack[top].entries.count, event.tag == nil,
                      !compareScalars || sameBytes(event.value, stack[top].entries[next].key) else { return false }
                if layout != nil, next == 0, stack[top].tagged, event.start.line > layout!.marks[stack[top].innerSlot].line {
                    layout!.move(slot: stack[top].innerSlot, to: event.start)
                }
                // A function's key has no slot: the function node holds its argument.
                if layout != nil, !stack[top].function { layout!.close(slots: layout!.open(event.start)) }
                stack[top].expectingKey = false
                return true
            }
            guard let target = nextTarget(), matchScalar(event, target.node, getAtt: target.getAtt) else { return false }
            return advance()
        case .sequenceStart, .mappingStart:
            if !comments.isEmpty, !commentsOutside(event) { return false }
            guard stack.count < maxDepth, let target = nextTarget() else { return false }
            return open(event, target)
        case .sequenceEnd:
            // By index: `stack.last` would copy the frame and retain its arrays.
            let top = stack.count - 1
            guard top >= 0, stack[top].isArray, stack[top].next == stack[top].items.count else { return false }
            return close()
        case .mappingEnd:
            let top = stack.count - 1
            guard top >= 0, !stack[top].isArray, stack[top].next == stack[top].entries.count, stack[top].expectingKey else { return false }
            // A one-key mapping whose key names a function reads back as that function.
            let readsAsFunction = stack[top].entries.count == 1 && Intrinsic.isFunctionName(stack[top].entries[0].key)
            guard readsAsFunction == stack[top].function else { return false }
            return close()
        }
    }

    /// The value the next node must read back to, with whether it is a long-form
    /// `Fn::GetAtt`'s argument (which the reader splits); nil when none is expected.
    private func nextTarget() -> (node: Node, getAtt: Bool)? {
        let top = stack.count - 1
        guard top >= 0 else { return matchedRoot ? nil : (expected, false) }
        let next = stack[top].next
        if stack[top].isArray {
            return next < stack[top].items.count ? (stack[top].items[next], false) : nil
        }
        guard next < stack[top].entries.count, !stack[top].expectingKey else { return nil }
        return (stack[top].entries[next].value, stack[top].function && stack[top].entries[next].key == IntrinsicName.getAtt.rawValue)
    }

    /// The function name a short-form tag reads as (`!Ref` as `Ref`, `!Sub` as `Fn::Sub`),
    /// `Condition` for `!Condition`; nil for a `!!` tag or one the reader refuses.
    private static func tagName(_ tag: UnsafeBufferPointer<UInt8>) -> String? {
        guard tag.count > 1, tag[0] == UInt8(ascii: "!"), tag[1] != UInt8(ascii: "!") else { return nil }
        let whole = String(decoding: tag, as: UTF8.self)
        if whole.hasPrefix(ValueTreeBuilder.yamlTagPrefix) { return nil }
        let suffix = String(whole.dropFirst())
        return suffix == "Ref" || suffix == "Condition" ? suffix : "Fn::" + suffix
    }

    /// The value inside what a collection's tag makes around it (a function's argument,
    /// `!Condition`'s object value), or nil when `target` is not what the tag reads as.
    private mutating func unwrap(_ target: Node, tag: UnsafeBufferPointer<UInt8>?, at mark: Mark) -> Node? {
        guard let tag, !(tag.count == 1 && tag[0] == UInt8(ascii: "!")) else { return target }
        guard let name = Self.tagName(tag) else { return nil }
        if name == "Condition" {
            guard case .object(let map) = target.kind, map.count == 1, map.entries[0].key == name else { return nil }
            if layout != nil {
                _ = layout!.open(mark)
                layout!.close(slots: layout!.open(mark))
            }
            return map.entries[0].value
        }
        guard case .intrinsic(let function) = target.kind, function.name.rawValue.sameScalars(as: name) else { return nil }
        if layout != nil { _ = layout!.open(mark) }
        return function.argument
    }

    private mutating func open(_ event: YAMLStreamEvent, _ target: (node: Node, getAtt: Bool)) -> Bool {
        let outer = layout?.marks.count ?? -1
        guard let inner = unwrap(target.node, tag: event.tag, at: event.start) else { return false }
        let innerSlot = layout != nil ? layout!.open(event.start) : -1
        var frame: Open
        switch (event.kind, inner.kind) {
        case (.sequenceStart, .array(let items)):
            frame = Open(items: items, isArray: true)
        case (.mappingStart, .object(let map)):
            frame = Open(entries: map.entries, isArray: false)
        case (.mappingStart, .intrinsic(let function)):
            // A long-form function: a mapping of one key, its name.
            frame = Open(entries: [ObjectMap.Entry(key: function.name.rawValue, value: function.argument)], isArray: false, function: true)
        default:
            return false
        }
        frame.outerSlot = outer
        frame.innerSlot = innerSlot
        frame.tagged = event.kind == .mappingStart && event.tag.map { Self.tagName($0) != nil } == true
        stack.append(frame)
        return true
    }

    private mutating func close() -> Bool {
        let closed = stack.removeLast()
        if layout != nil {
            layout!.close(slots: closed.innerSlot)
            if closed.outerSlot != closed.innerSlot { layout!.close(slots: closed.outerSlot) }
        }
        return advance()
    }

    /// A value is complete: the enclosing collection moves to its next entry.
    private mutating func advance() -> Bool {
        let top = stack.count - 1
        guard top >= 0 else {
            matchedRoot = true
            return true
        }
        stack[top].next += 1
        stack[top].expectingKey = true
        return true
    }

    /// Whether a scalar reads back as `target`.
    private mutating func matchScalar(_ event: YAMLStreamEvent, _ target: Node, getAtt: Bool) -> Bool {
        let same: Bool
        if !compareScalars {
            same = true
        } else if !getAtt, let quick = quickMatch(event, target) {
            same = quick
        } else {
            let text = String(decoding: event.value, as: UTF8.self)
            let tag = event.tag.map { String(decoding: $0, as: UTF8.self) }
            do throws(YAMLError) {
                try builder.pushScalar(text, style: event.style, tag: tag, mark: event.start)
            } catch {
                return false
            }
            guard builder.finish(), var node = builder.root else { return false }
            if getAtt { node = ValueTreeBuilder.splitGetAtt(node) }
            same = node == target
        }
        guard same else { return false }
        layout?.recordAll(target, at: event.start)
        return true
    }

    /// The common scalars without a `String` made of the text: a string, a number or a
    /// boolean written as the writer writes them, a short-form function of a string
    /// (`!Ref Name`, `!Sub '...'`). Nil: ask the reader's own rules.
    private func quickMatch(_ event: YAMLStreamEvent, _ target: Node) -> Bool? {
        switch target.kind {
        case .string(let text) where event.tag == nil:
            // The same bytes, and a plain scalar that resolves to a string.
            return sameBytes(event.value, text)
                && (event.style != .plain || ValueTreeBuilder.plainScalar(text, at: .none).stringValue != nil)
        case .number(let literal) where event.tag == nil && event.style == .plain:
            // A plain scalar with the literal's own text reads back as that literal when it
            // resolves to a number.
            guard sameBytes(event.value, literal) else { return nil }
            if case .number = ValueTreeBuilder.plainScalar(literal, at: .none).kind { return true }
            return false
        case .intrinsic(let function) where function.name != .getAtt:
            guard let tag = event.tag, case .string(let text) = function.argument.kind else { return nil }
            // `!Name` reads back as `Fn::Name` (`Ref` as itself); `!Condition` and `!Ref`
            // never stand for `Fn::`-prefixed names.
            let name = function.name.rawValue
            let suffix: Substring
            if name == "Ref" {
                suffix = Substring(name)
            } else if name.hasPrefix("Fn::") {
                suffix = name.dropFirst(4)
                if suffix == "Ref" || suffix == "Condition" { return nil }
            } else {
                return nil
            }
            guard !suffix.isEmpty, tag.count == suffix.utf8.count + 1, tag[0] == UInt8(ascii: "!"),
                  tag.dropFirst().elementsEqual(suffix.utf8) else { return nil }
            return sameBytes(event.value, text)
        default:
            return nil
        }
    }

    private func sameBytes(_ bytes: UnsafeBufferPointer<UInt8>, _ text: String) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            guard utf8.count == bytes.count else { return false }
            for index in 0..<utf8.count where utf8[index] != bytes[index] { return false }
            return true
        }
    }

    /// No comment stands inside this event's text, except on a block scalar's header line.
    private func commentsOutside(_ event: YAMLStreamEvent) -> Bool {
        guard event.start < event.end else { return true }
        var low = 0, high = comments.count
        while low < high {
            let middle = (low + high) / 2
            if comments[middle] < event.start { low = middle + 1 } else { high = middle }
        }
        var index = low
        while index < comments.count, comments[index] < event.end {
            let blockHeader = (event.style == .literal || event.style == .folded) && comments[index].line == event.start.line
            if !blockHeader { return false }
            index += 1
        }
        return true
    }
}
