import FormworkYAML
import Synchronization

/// A CloudFormation template: the root mapping with typed access to its sections.
/// The root stays the source of truth; the accessors are views.
public struct Template: Sendable {
    public var root: ObjectMap {
        didSet { derived = Derived() }
    }
    public var location: Location
    /// The text the template was read from, when it was read from text.
    public var source: [UInt8]?

    /// Where `needle` first stands in the source at or after `start`: for a place inside a
    /// string (a block scalar's lines begin after its indicator). nil without a source.
    public func place(of needle: String, after start: Location) -> Location? {
        guard let source, start.isKnown, !needle.isEmpty else { return nil }
        let wanted = Array(needle.utf8)
        var line = 1, column = 1, index = 0
        // Walk to the start; columns count characters (UTF-8 continuation bytes do not).
        while index < source.count, line < start.line || (line == start.line && column < start.column) {
            if source[index] == 0x0A { line += 1; column = 1 } else if source[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        while index + wanted.count <= source.count {
            if source[index] == wanted[0], source[index..<(index + wanted.count)].elementsEqual(wanted) { return Location(line: line, column: column) }
            if source[index] == 0x0A { line += 1; column = 1 } else if source[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return nil
    }

    /// What is worked out of `root` on first use and kept until `root` changes: every rule
    /// of a lint asks for the resources, and the threads of a lint share one template.
    private final class Derived: Sendable {
        let resources = Mutex<[Resource]?>(nil)
    }

    private var derived = Derived()

    public init(root: ObjectMap = ObjectMap(), location: Location = .none) {
        self.root = root
        self.location = location
    }

    /// A template over a root value; nil unless it is a mapping.
    public init?(root: Node) {
        guard case .object(let map) = root.kind else { return nil }
        self.init(root: map, location: root.location)
    }

    public var value: Node { Node(.object(root), at: location) }

    public var formatVersion: String? { root["AWSTemplateFormatVersion"]?.stringValue }
    public var description: String? { root["Description"]?.stringValue }
    public var metadata: ObjectMap? { root["Metadata"]?.objectValue }
    public var parameters: ObjectMap? { root["Parameters"]?.objectValue }
    public var mappings: ObjectMap? { root["Mappings"]?.objectValue }
    public var conditions: ObjectMap? { root["Conditions"]?.objectValue }
    public var outputs: ObjectMap? { root["Outputs"]?.objectValue }
    public var rules: ObjectMap? { root["Rules"]?.objectValue }
    /// The declared transforms (`Transform: X` or a list).
    public var transforms: [String] {
        guard let value = root["Transform"] else { return [] }
        if let name = value.stringValue { return [name] }
        return value.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The resources in source order; entries that are not mappings are skipped here
    /// (the linter reports them).
    public var resources: [Resource] {
        if let known = derived.resources.withLock({ $0 }) { return known }
        guard let map = root["Resources"]?.objectValue else { return [] }
        let found = map.entries.compactMap { entry -> Resource? in
            guard case .object(let body) = entry.value.kind else { return nil }
            return Resource(logicalID: entry.key, keyLocation: entry.keyLocation, body: body, location: entry.value.location)
        }
        derived.resources.withLock { $0 = found }
        return found
    }

    public func resource(_ logicalID: String) -> Resource? {
        guard let entry = root["Resources"]?.objectValue?.entry(logicalID), case .object(let body) = entry.value.kind else { return nil }
        return Resource(logicalID: logicalID, keyLocation: entry.keyLocation, body: body, location: entry.value.location)
    }
}

/// One entry of `Resources`.
public struct Resource: Sendable {
    public var logicalID: String
    public var keyLocation: Location
    public var body: ObjectMap {
        didSet { type = body["Type"]?.stringValue }
    }
    public var location: Location
    /// `Type`, read once: the rules ask for it many times over.
    public private(set) var type: String?

    init(logicalID: String, keyLocation: Location, body: ObjectMap, location: Location) {
        self.logicalID = logicalID
        self.keyLocation = keyLocation
        self.body = body
        self.location = location
        type = body["Type"]?.stringValue
    }
    public var properties: ObjectMap? { body["Properties"]?.objectValue }
    public var condition: String? { body["Condition"]?.stringValue }
    public var deletionPolicy: Node? { body["DeletionPolicy"] }
    public var updateReplacePolicy: Node? { body["UpdateReplacePolicy"] }
    public var metadata: ObjectMap? { body["Metadata"]?.objectValue }

    /// DependsOn as a list, whether written as one string or a list of strings.
    public var dependsOn: [String] {
        guard let value = body["DependsOn"] else { return [] }
        switch value.kind {
        case .string(let name): return [name]
        case .array(let items): return items.compactMap(\.stringValue)
        default: return []
        }
    }
}

/// The documented, frozen key orders of canonical output.
public enum CanonicalOrder {
    public static let sections = [
        "AWSTemplateFormatVersion", "Description", "Metadata", "Transform", "Parameters",
        "Rules", "Mappings", "Conditions", "Resources", "Outputs",
    ]

    public static let resourceAttributes = [
        "Type", "Condition", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy",
        "CreationPolicy", "UpdatePolicy", "Metadata", "Properties",
    ]

    /// Sections in canonical order, and each resource's attributes in canonical order.
    /// Keys not listed keep their source order after the listed ones; nothing else moves.
    public static func apply(to root: Node) -> Node {
        guard case .object(let map) = root.kind else { return root }
        var ordered = isOrdered(map, sections) ? map : map.reordered(sections)
        if let resources = ordered["Resources"], case .object(let entries) = resources.kind {
            var reorderedResources = entries
            var moved = false
            for entry in entries.entries {
                // Most resources are in order already: left as they are, not rebuilt.
                if case .object(let body) = entry.value.kind, !isOrdered(body, resourceAttributes) {
                    reorderedResources.set(entry.key, Node(.object(body.reordered(resourceAttributes)), at: entry.value.location))
                    moved = true
                }
            }
            if moved { ordered.set("Resources", Node(.object(reorderedResources), at: resources.location)) }
        }
        return Node(.object(ordered), at: root.location)
    }

    /// Whether `map.reordered(order)` would keep every entry where it is: the listed keys
    /// first, in the order's order, then the others.
    static func isOrdered(_ map: ObjectMap, _ order: [String]) -> Bool {
        var last = -1
        var unlisted = false
        for entry in map.entries {
            if let rank = order.firstIndex(where: { $0.sameScalars(as: entry.key) }) {
                if unlisted || rank < last { return false }
                last = rank
            } else {
                unlisted = true
            }
        }
        return true
    }
}
