/// Bounds that keep hostile input from exhausting time or memory.
/// CloudFormation itself accepts at most 1 MB of template body; these bounds are far
/// above that so that generated or concatenated templates still read, and far below
/// what would hurt a 2-core CI machine.
public struct ParseLimits: Sendable, Hashable {
    /// Largest input accepted, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of sequences and mappings (aliases included).
    public var maxDepth: Int
    /// Total number of nodes that alias expansion may add to a document.
    public var maxAliasExpansion: Int
    /// Total scalar bytes that alias expansion may add: a few nodes holding long scalars,
    /// aliased many times, are a bomb too (found by the fuzzer).
    public var maxAliasExpansionBytes: Int

    public init(maxBytes: Int = 64 << 20, maxDepth: Int = 256, maxAliasExpansion: Int = 100_000, maxAliasExpansionBytes: Int = 16 << 20) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxAliasExpansion = maxAliasExpansion
        self.maxAliasExpansionBytes = maxAliasExpansionBytes
    }

    public static let standard = ParseLimits()

    /// For reading back canonical output in the formatter's self-check: the output of a
    /// valid input is valid, but JSON's long forms nest deeper than YAML's tags (each
    /// `!Join [...]` is one level in YAML and two in JSON) and take more bytes, so the
    /// reading limits must not refuse what the input limits accepted.
    public static let selfCheck = ParseLimits(maxBytes: .max, maxDepth: 3 * ParseLimits.standard.maxDepth,
                                              maxAliasExpansion: .max, maxAliasExpansionBytes: .max)
}
