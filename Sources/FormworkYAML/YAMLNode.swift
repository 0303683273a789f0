/// A 1-based position in a source text. Column counts Unicode scalars, as libyaml does.
/// `Mark.none` (0:0) marks a node that was not read from a file.
public struct Mark: Hashable, Sendable, Comparable, CustomStringConvertible {
    // 32-bit storage halves the size of every place kept in a tree (inputs are bounded by
    // ParseLimits far below 2^31 lines or columns).
    private var storedLine: Int32
    private var storedColumn: Int32

    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }

    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }

    public init(line: Int, column: Int) {
        storedLine = Int32(clamping: line)
        storedColumn = Int32(clamping: column)
    }

    public static let none = Mark(line: 0, column: 0)

    public var isKnown: Bool { line > 0 }

    public static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// How a scalar was written. It decides whether YAML 1.1 resolution applies (plain only).
public enum ScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded

    public var isQuotedOrBlock: Bool { self != .plain }
}

/// One node of a YAML document as libyaml reports it, aliases already expanded.
/// `tag` is the tag as written (`!Ref`), `nil` when the node had none.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(String, ScalarStyle)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    public struct Pair: Sendable {
        public var key: YAMLNode
        public var value: YAMLNode

        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    public var content: Content
    public var tag: String?
    public var mark: Mark
    /// For writing: a collection in flow style (`[a, b]`) instead of block style.
    public var flow: Bool

    public init(_ content: Content, tag: String? = nil, mark: Mark = .none, flow: Bool = false) {
        self.content = content
        self.tag = tag
        self.mark = mark
        self.flow = flow
    }

    public static func scalar(_ text: String, style: ScalarStyle = .plain, tag: String? = nil) -> YAMLNode {
        YAMLNode(.scalar(text, style), tag: tag)
    }
}
