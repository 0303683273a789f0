/// Why a YAML text could not be read. Every case carries the place it concerns.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The text is not well-formed YAML (scanner or parser error).
        case syntax
        /// The bytes are not valid UTF-8 or contain characters YAML forbids.
        case encoding
        /// A mapping has the same key twice; `related` is the first occurrence.
        case duplicateKey
        /// A mapping key is a sequence or a mapping.
        case complexKey
        /// An alias names no anchor.
        case undefinedAlias
        /// Alias expansion would exceed `ParseLimits.maxAliasExpansion`.
        case aliasExpansion
        /// Nesting exceeds `ParseLimits.maxDepth`.
        case depth
        /// The input exceeds `ParseLimits.maxBytes`.
        case size
        /// The stream holds more than one document.
        case multipleDocuments
        /// A tag the reader's builder cannot give a value to (`!!binary`, `!!int abc`).
        case tag
    }

    public var kind: Kind
    public var message: String
    public var mark: Mark
    /// A second place that explains the first (the earlier key of a duplicate pair).
    public var related: Mark?

    public init(_ kind: Kind, _ message: String, at mark: Mark, related: Mark? = nil) {
        self.kind = kind
        self.message = message
        self.mark = mark
        self.related = related
    }

    public var description: String { "\(mark): \(message)" }
}
