import FormworkTemplate
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resource types of the CloudFormation registry, from text embedded in the binary: one
/// line per type, `TYPE SCHEMA`, sorted, the schema in the generator's encoding
/// (`CompactData`: no JSON is parsed at run time). Nothing is decoded until a type is asked
/// for, and then only that type, once per process (a template's lint touches a handful of
/// the ~1,600 types). Safe to use from many threads. `SchemaRegistry.shared` (FormworkSchemaData) holds the generated
/// us-east-1 registry.
public final class SchemaRegistry: Sendable {
    /// Where the data came from, as the generator recorded it.
    public let source: String

    /// Every type name, for listings; lookups do not need it (`SortedLines`).
    private struct Index {
        var names: [String] = []
    }

    private let text: StaticString
    private let summaryText: StaticString
    private let stateful: Set<String>
    private let index: Mutex<Index?> = Mutex(nil)
    private let cache: Mutex<[String: ResourceSchema]> = Mutex([:])
    /// Summaries parsed so far: rules ask for the same types again and again.
    private let parsedSummaries: Mutex<[String: TypeSummary]> = Mutex([:])

    /// Lambda runtimes' lifecycle (cfn-lint's LmbdRuntimeLifecycle.json), by runtime name.
    public let lambdaRuntimes: [String: RuntimeLifecycle]

    /// What the User Guide says each property's update requires (the diff's first source).
    public let documentedUpdates: DocumentedUpdates

    /// cfn-lint's constraints kept as JSON schemas beside the registry (ST-23 evaluates them).
    public let extensionConstraints: ExtensionConstraints

    /// Every IAM action's access level and resource support (the IAM rules read it).
    public let iamActions: IAMActionCatalogue

    /// The SAM specification's resource types (ST-49 judges `AWS::Serverless::*` against it).
    public let serverless: ServerlessSchema

    public init(text: StaticString, summary: StaticString = "", stateful: Set<String>, source: String, lambdaRuntimes: [String: RuntimeLifecycle] = [:],
                documentedUpdates: DocumentedUpdates = .none, extensionConstraints: ExtensionConstraints = .none, iamActions: IAMActionCatalogue = .none,
                serverless: ServerlessSchema = .none) {
        self.text = text
        self.serverless = serverless
        self.iamActions = iamActions
        self.extensionConstraints = extensionConstraints
        self.documentedUpdates = documentedUpdates
        summaryText = summary
        self.stateful = stateful
        self.source = source
        self.lambdaRuntimes = lambdaRuntimes
    }

    /// A registry with no types (what a rule context holds when none was given).
    public static let empty = SchemaRegistry(text: "", stateful: [], source: "none")

    /// What most rules need of a type, without decoding its schema: taggable, the tags
    /// property, the name-bearing properties. Falls back to the schema when the generated
    /// summary lacks the type.
    public func summary(for typeName: String) -> TypeSummary? {
        if let parsed = parsedSummaries.withLock({ $0[typeName] }) { return parsed }
        guard let summary = SortedLines.find(typeName, in: summaryText).flatMap({ Self.parseSummary(summaryText, $0) })
                ?? schema(for: typeName).map(TypeSummary.init(schema:)) else { return nil }
        parsedSummaries.withLock { $0[typeName] = summary }
        return summary
    }

    /// `TAGGABLE(0|1) TAGPROPERTY(-|pointer) NAMES(-|a,b) STATEFUL(0|1) MAXLENGTHS(-|n,_) ATTRIBUTES(-|a,b.c)`.
    static func parseSummary(_ text: StaticString, _ range: Range<Int>) -> TypeSummary? {
        // Split as bytes (the first lint of a process parses a few dozen of these lines).
        let line = UnsafeBufferPointer(start: text.utf8Start + range.lowerBound, count: range.count)
        let fields = ByteFields.split(line, UInt8(ascii: " "), omittingEmpty: false)
        guard fields.count == 6 else { return nil }
        func list(_ field: UnsafeBufferPointer<UInt8>) -> [UnsafeBufferPointer<UInt8>] {
            ByteFields.isOne(field, "-") ? [] : ByteFields.split(field, UInt8(ascii: ","), omittingEmpty: true)
        }
        return TypeSummary(
            taggable: ByteFields.isOne(fields[0], "1"),
            tagProperty: ByteFields.isOne(fields[1], "-") ? nil : ByteFields.string(fields[1]),
            nameProperties: list(fields[2]).map(ByteFields.string),
            stateful: ByteFields.isOne(fields[3], "1"),
            nameMaxLengths: list(fields[4]).map { Int(ByteFields.string($0)) },
            attributes: list(fields[5]).map(ByteFields.string))
    }

    /// Every type name, sorted.
    public var typeNames: [String] { loadIndex().names }

    public func contains(_ typeName: String) -> Bool { SortedLines.find(typeName, in: text) != nil }

    public func isStateful(_ typeName: String) -> Bool { stateful.contains(typeName) }

    /// How many types have been decoded so far (the lazy loading is tested through it).
    public var decodedTypeCount: Int { cache.withLock { $0.count } }

    /// The schema JSON of one type as the registry has it, pruned of documentation (not
    /// cached; its values carry no place).
    public func rawSchema(for typeName: String) -> Node? {
        guard let range = SortedLines.find(typeName, in: text) else { return nil }
        var reader = CompactReader(text, range)
        return reader.node()
    }

    /// The schema of one type, decoded on first use and cached.
    public func schema(for typeName: String) -> ResourceSchema? {
        if let cached = cache.withLock({ $0[typeName] }) { return cached }
        // A binary search of the sorted lines: one lookup does not pay for indexing all types.
        guard let range = SortedLines.find(typeName, in: text) else { return nil }
        var reader = CompactReader(text, range)
        let schema = ResourceSchema(typeName: typeName, reading: &reader, stateful: stateful.contains(typeName))
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
                built.names.append(name)
            }
            lineStart = end + 1
        }
        built.names.sort()
        index.withLock { $0 = built }
        return built
    }
}

/// Lookup in text of lines `NAME REST` sorted bytewise by NAME (what the generator writes),
/// by binary search over byte offsets: no index of all lines is built.
enum SortedLines {
    /// The byte range of REST on the line whose NAME is `name`.
    static func find(_ name: String, in text: StaticString) -> Range<Int>? {
        let base = text.utf8Start
        let count = text.utf8CodeUnitCount
        var key = name
        return key.withUTF8 { key -> Range<Int>? in
            // `low` is always a line start; `high` a line start or the end.
            var low = 0, high = count
            while low < high {
                let middle = (low + high) / 2
                var start = low
                if middle > low, let newline = memchr(base + middle - 1, 0x0A, high - middle + 1) {
                    let next = UnsafePointer<UInt8>(newline.assumingMemoryBound(to: UInt8.self)) - base + 1
                    if next < high { start = next }
                }
                let end = memchr(base + start, 0x0A, count - start).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? count
                let space = memchr(base + start, 0x20, end - start).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? end
                let length = space - start
                let common = min(length, key.count)
                var order = common == 0 ? 0 : Int(memcmp(base + start, key.baseAddress!, common))
                if order == 0 { order = length - key.count }
                if order == 0 { return space < end ? (space + 1)..<end : end..<end }
                if order < 0 { low = end + 1 } else { high = start }
            }
            return nil
        }
    }
}

/// The facts of a type most rules need, kept apart from the full schema.
public struct TypeSummary: Sendable, Hashable {
    public var taggable: Bool
    public var tagProperty: String?
    public var nameProperties: [String]
    public var stateful: Bool
    /// The registry's maxLength of each name property (nil where it gives none).
    public var nameMaxLengths: [Int?]
    /// The names Fn::GetAtt accepts (`Endpoint.Address`).
    public var attributes: [String]

    /// Whether `Fn::GetAtt` takes `attribute`: one of cfn-lint's names for the type, where a
    /// name with `*` or `\\` is a pattern (a nested stack's `Outputs\\..*`). The linter (ST-10)
    /// and the stack compiler (CP-12) ask this one question.
    public func acceptsAttribute(_ attribute: String) -> Bool {
        // The names first, then the patterns (the registry's names are ASCII: `*` and `\\`
        // are searched as bytes, not through String.contains).
        attributes.contains { $0.sameScalars(as: attribute) } || attributes.contains { name in
            guard name.utf8.contains(UInt8(ascii: "*")) || name.utf8.contains(UInt8(ascii: "\\")) else { return false }
            return PatternCache.matches("^(?:" + name + ")$", attribute) == true
        }
    }

    public init(taggable: Bool, tagProperty: String?, nameProperties: [String], stateful: Bool, nameMaxLengths: [Int?], attributes: [String]) {
        self.taggable = taggable
        self.tagProperty = tagProperty
        self.nameProperties = nameProperties
        self.stateful = stateful
        self.nameMaxLengths = nameMaxLengths
        self.attributes = attributes
    }

    public init(schema: ResourceSchema) {
        let names = schema.nameProperties
        self.init(taggable: schema.taggable, tagProperty: schema.tagProperty, nameProperties: names, stateful: schema.stateful,
                  nameMaxLengths: names.map { schema.property($0).map(schema.resolve)?.maxLength }, attributes: schema.attributes.map(\.name))
    }

    /// The registry's maxLength of a name property.
    public func maxLength(of name: String) -> Int? {
        guard let index = nameProperties.firstIndex(of: name), index < nameMaxLengths.count else { return nil }
        return nameMaxLengths[index]
    }
}

/// When AWS stops supporting a Lambda runtime: deprecated (no more patches), then no new
/// functions (create blocked), then no updates (update blocked). Dates are `YYYY-MM-DD`.
public struct RuntimeLifecycle: Sendable, Hashable {
    public var deprecated: String
    public var createBlocked: String
    public var updateBlocked: String
    public var successor: String?

    public init(deprecated: String, createBlocked: String, updateBlocked: String, successor: String?) {
        self.deprecated = deprecated
        self.createBlocked = createBlocked
        self.updateBlocked = updateBlocked
        self.successor = successor
    }

    /// Parses the generated table: one runtime a line, `NAME DEPRECATED CREATE UPDATE SUCCESSOR|-`.
    public static func table(_ text: String) -> [String: RuntimeLifecycle] {
        // Split as bytes: `SchemaRegistry.shared` parses this at every start (2 M instructions
        // through `String.split`, a tenth of a lint).
        var text = text
        return text.withUTF8 { bytes in
            var result: [String: RuntimeLifecycle] = [:]
            for line in ByteFields.split(bytes, UInt8(ascii: "\n"), omittingEmpty: true) {
                let fields = ByteFields.split(line, UInt8(ascii: " "), omittingEmpty: true).map(ByteFields.string)
                guard fields.count == 5 else { continue }
                result[fields[0]] = RuntimeLifecycle(deprecated: fields[1], createBlocked: fields[2], updateBlocked: fields[3], successor: fields[4] == "-" ? nil : fields[4])
            }
            return result
        }
    }
}
