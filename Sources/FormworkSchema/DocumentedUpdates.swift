import FormworkTemplate
import Synchronization

/// What the CloudFormation User Guide says an update of each top-level property requires
/// ("Update requires: Replacement / Some interruptions / No interruption / Updates are not
/// supported"), for the 1,143 types it documents; generated into FormworkSchemaData from
/// `../shared/data/update-behaviour.json`. One line per type, `TYPE Prop=R,Prop=S,...`,
/// sorted; a type is parsed when first asked for.
public final class DocumentedUpdates: Sendable {
    public enum Behaviour: String, Sendable, CaseIterable {
        case replacement = "R", someInterruptions = "S", noInterruption = "N", notSupported = "U"

        /// The words of the documentation.
        public var documentText: String {
            switch self {
            case .replacement: return "Replacement"
            case .someInterruptions: return "Some interruptions"
            case .noInterruption: return "No interruption"
            case .notSupported: return "Updates are not supported"
            }
        }
    }

    public let source: String
    private let text: StaticString
    private let parsed: Mutex<[String: [String: Behaviour]]> = Mutex([:])

    public init(text: StaticString, source: String) {
        self.text = text
        self.source = source
    }

    /// Nothing documented: the registry's create-only lists decide alone.
    public static let none = DocumentedUpdates(text: "", source: "none")

    /// The documented behaviour of each top-level property of a type, or nil when the guide
    /// does not document the type (newer types).
    public func behaviours(for typeName: String) -> [String: Behaviour]? {
        if let known = parsed.withLock({ $0[typeName] }) { return known }
        guard text.utf8CodeUnitCount > 0, let range = SortedLines.find(typeName, in: text) else { return nil }
        let line = String(decoding: UnsafeBufferPointer(start: text.utf8Start + range.lowerBound, count: range.count), as: UTF8.self)
        var table: [String: Behaviour] = [:]
        for item in line.split(separator: ",") {
            guard let equals = item.firstIndex(of: "="), let behaviour = Behaviour(rawValue: String(item[item.index(after: equals)...])) else { continue }
            table[String(item[..<equals])] = behaviour
        }
        parsed.withLock { $0[typeName] = table }
        return table
    }

    public func behaviour(of typeName: String, property: String) -> Behaviour? {
        behaviours(for: typeName)?[property]
    }
}
