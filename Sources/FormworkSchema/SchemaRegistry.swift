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
    private let stateful: Set<String>
    private let index: Mutex<Index?> = Mutex(nil)
    private let cache: Mutex<[String: ResourceSchema]> = Mutex([:])

    public init(text: StaticString, stateful: Set<String>, source: String) {
        self.text = text
        self.stateful = stateful
        self.source = source
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
