/// A mapping key as the parser saw it: always a scalar (the parser refuses other keys).
public struct YAMLKey: Sendable {
    public var text: String
    public var style: ScalarStyle
    public var tag: String?
    public var mark: Mark

    public init(text: String, style: ScalarStyle = .plain, tag: String? = nil, mark: Mark = .none) {
        self.text = text
        self.style = style
        self.tag = tag
        self.mark = mark
    }
}

/// Receives a document from `YAMLParser` and builds whatever tree its owner wants, on a
/// stack: scalars are pushed, a collection's end pops its children and pushes the
/// collection. Building the final model directly, instead of a YAML tree first, halves the
/// work of reading a template. A builder throws a `YAMLError` to refuse a value (an unknown
/// tag, a function used as a key); the parser stops there.
public protocol YAMLTreeBuilder: AnyObject {
    func pushScalar(_ text: String, style: ScalarStyle, tag: String?, mark: Mark) throws(YAMLError)
    /// Pops `count` values and pushes the sequence made of them.
    func endSequence(count: Int, tag: String?, mark: Mark) throws(YAMLError)
    /// Pops `keys.count` values and pushes the mapping. A nil key means the parser already
    /// reported that pair (duplicate or complex key): its value is popped and dropped.
    /// The keys are a slice of the parser's one stack of keys (not an array per mapping).
    func endMapping(keys: ArraySlice<YAMLKey?>, tag: String?, mark: Mark) throws(YAMLError)
    /// Pops the top value and drops it (a complex key's own value).
    func discard()
    /// Remembers the top value under `anchor` (an index the parser assigns).
    func saveAnchor(_ anchor: Int)
    /// Pushes a copy of a remembered value, read again at `mark`.
    func pushAnchor(_ anchor: Int, mark: Mark)
    /// The finished document's root: the one value left on the stack.
    func finish() -> Bool
}

/// Builds `YAMLNode` trees: what the emitter takes, and what tests inspect.
public final class YAMLNodeBuilder: YAMLTreeBuilder {
    private var stack: [YAMLNode] = []
    private var anchors: [Int: YAMLNode] = [:]
    public private(set) var root: YAMLNode?

    public init() {}

    public func pushScalar(_ text: String, style: ScalarStyle, tag: String?, mark: Mark) {
        stack.append(YAMLNode(.scalar(text, style), tag: tag, mark: mark))
    }

    public func endSequence(count: Int, tag: String?, mark: Mark) {
        let items = Array(stack[(stack.count - count)...])
        stack.removeLast(count)
        stack.append(YAMLNode(.sequence(items), tag: tag, mark: mark))
    }

    public func endMapping(keys: ArraySlice<YAMLKey?>, tag: String?, mark: Mark) {
        let values = stack[(stack.count - keys.count)...]
        var pairs: [YAMLNode.Pair] = []
        pairs.reserveCapacity(keys.count)
        for (key, value) in zip(keys, values) {
            guard let key else { continue }
            pairs.append(YAMLNode.Pair(key: YAMLNode(.scalar(key.text, key.style), tag: key.tag, mark: key.mark), value: value))
        }
        stack.removeLast(keys.count)
        stack.append(YAMLNode(.mapping(pairs), tag: tag, mark: mark))
    }

    public func discard() { stack.removeLast() }

    public func saveAnchor(_ anchor: Int) { anchors[anchor] = stack.last }

    public func pushAnchor(_ anchor: Int, mark: Mark) {
        guard var node = anchors[anchor] else { return }
        node.mark = mark
        stack.append(node)
    }

    public func finish() -> Bool {
        root = stack.popLast()
        return root != nil
    }
}
