import FormworkTemplate
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resource types of the CloudFormation registry, from text embedded in the binary: one
/// line per type, `TYPE JSON`, sorted. Nothing is decoded until a type is asked for, and
/// then only that type (a template's lint touches a handful of the ~1,600 types). Safe to
/// use from many threads. `SchemaRegistry.shared` (FormworkSchemaData) holds the generated
/// us-east-1 registry.
public final class SchemaRegistry: Sendable {
    /// Where the data came from, as the generator recorded it.
    public let source: String

    private struct Index {
        var ranges: [String: Range<Int>] = [:]
        var names: [String] = []
    }

    private let text: StaticString
    private let summaryText: StaticString
    private let stateful: Set<String>
    private let summaries: Mutex<[String: TypeSummary]?> = Mutex(nil)
    private let index: Mutex<Index?> = Mutex(nil)
    private let cache: Mutex<[String: ResourceSchema]> = Mutex([:])

    public init(text: StaticString, summary: StaticString = "", stateful: Set<String>, source: String) {
        self.text = text
        summaryText = summary
        self.stateful = stateful
        self.source = source
    }

    /// What most rules need of a type, without decoding its schema: taggable, the tags
    /// property, the name-bearing properties. Falls back to the schema when the generated
    /// summary lacks the type.
    public func summary(for typeName: String) -> TypeSummary? {
        let table = summaries.withLock { $0 } ?? {
            let built = Self.parseSummaries(summaryText)
            summaries.withLock { $0 = built }
            return built
        }()
        if let found = table[typeName] { return found }
        return schema(for: typeName).map { TypeSummary(taggable: $0.taggable, tagProperty: $0.tagProperty, nameProperties: $0.nameProperties, stateful: $0.stateful) }
    }

    /// Lines `TYPE TAGGABLE(0|1) TAGPROPERTY(-|pointer) NAMES(-|a,b) STATEFUL(0|1)`, read as
    /// bytes (1,600 lines in well under a millisecond).
    static func parseSummaries(_ text: StaticString) -> [String: TypeSummary] {
        var table: [String: TypeSummary] = [:]
        table.reserveCapacity(1700)
        let base = text.utf8Start
        let count = text.utf8CodeUnitCount
        var lineStart = 0
        while lineStart < count {
            let newline = memchr(base + lineStart, 0x0A, count - lineStart)
            let end = newline.map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? count
            var fields: [String] = []
            var fieldStart = lineStart
            for index in lineStart...end where index == end || base[index] == 0x20 {
                fields.append(String(decoding: UnsafeBufferPointer(start: base + fieldStart, count: index - fieldStart), as: UTF8.self))
                fieldStart = index + 1
            }
            if fields.count == 5 {
                table[fields[0]] = TypeSummary(
                    taggable: fields[1] == "1",
                    tagProperty: fields[2] == "-" ? nil : fields[2],
                    nameProperties: fields[3] == "-" ? [] : fields[3].split(separator: ",").map(String.init),
                    stateful: fields[4] == "1")
            }
            lineStart = end + 1
        }
        return table
    }

    /// Every type name, sorted.
    public var typeNames: [String] { loadIndex().names }

    public func contains(_ typeName: String) -> Bool { loadIndex().ranges[typeName] != nil }

    public func isStateful(_ typeName: String) -> Bool { stateful.contains(typeName) }

    /// How many types have been decoded so far (the lazy loading is tested through it).
    public var decodedTypeCount: Int { cache.withLock { $0.count } }

    /// The schema of one type, decoded on first use and cached.
    public func schema(for typeName: String) -> ResourceSchema? {
        if let cached = cache.withLock({ $0[typeName] }) { return cached }
        guard let range = loadIndex().ranges[typeName] else { return nil }
        let bytes = Array(UnsafeBufferPointer(start: text.utf8Start + range.lowerBound, count: range.count))
        guard let json = TemplateReader.readData(bytes, file: typeName + ".json") else { return nil }
        let schema = ResourceSchema(typeName: typeName, json: json, stateful: stateful.contains(typeName))
        cache.withLock { $0[typeName] = schema }
        return schema
    }

    private func loadIndex() -> Index {
        if let ready = index.withLock({ $0 }) { return ready }
        var built = Index()
        let base = text.utf8Start
        let count = text.utf8CodeUnitCount
        var lineStart = 0
        while lineStart < count {
            let found = memchr(base + lineStart, 0x0A, count - lineStart)
            let end = found.map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? count
            let spaceFound = memchr(base + lineStart, 0x20, end - lineStart)
            let space = spaceFound.map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? end
            if space > lineStart, space < end {
                let name = String(decoding: UnsafeBufferPointer(start: base + lineStart, count: space - lineStart), as: UTF8.self)
                built.ranges[name] = (space + 1)..<end
                built.names.append(name)
            }
            lineStart = end + 1
        }
        built.names.sort()
        index.withLock { $0 = built }
        return built
    }
}

/// The facts of a type most rules need, kept apart from the full schema.
public struct TypeSummary: Sendable, Hashable {
    public var taggable: Bool
    public var tagProperty: String?
    public var nameProperties: [String]
    public var stateful: Bool

    public init(taggable: Bool, tagProperty: String?, nameProperties: [String], stateful: Bool) {
        self.taggable = taggable
        self.tagProperty = tagProperty
        self.nameProperties = nameProperties
        self.stateful = stateful
    }
}
