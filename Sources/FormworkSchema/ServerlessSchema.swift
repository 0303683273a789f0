import FormworkTemplate
import Synchronization

/// The SAM specification's resource types (`AWS::Serverless::*`), as data generated at codegen
/// time from aws-sam-translator's schema: each type's properties, whether it takes no others,
/// the required ones, and for each property the transform passes unchanged to a CloudFormation
/// resource, that resource's type and property, whose registry schema judges the value.
public struct ServerlessSchema: Sendable {
    public struct ResourceType: Sendable {
        public var properties: Set<String>
        /// Whether a property outside `properties` is refused.
        public var closed: Bool
        public var required: [String]
        /// Property -> (CloudFormation type, property) it is passed to unchanged.
        public var passThrough: [String: (type: String, property: String)]
    }

    public let source: String
    private let text: StaticString
    /// Read on first use: only a template with `AWS::Serverless` types needs the table.
    private let table = Table()

    final class Table: Sendable {
        let types: Mutex<[String: ResourceType]?> = Mutex(nil)
    }

    public static let none = ServerlessSchema(text: "", source: "none")

    /// The generated text: one `TYPE {json}` line per type, read when a type is first asked for.
    public init(text: StaticString, source: String) {
        self.source = source
        self.text = text
    }

    static func read(_ text: StaticString) -> [String: ResourceType] {
        var found: [String: ResourceType] = [:]
        let all = text.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
        for line in all.split(separator: "\n") {
            guard let space = line.firstIndex(of: " "),
                  let json = TemplateReader.readData(Array(line[line.index(after: space)...].utf8), file: "ServerlessSchemaData") else { continue }
            var passThrough: [String: (type: String, property: String)] = [:]
            var properties = Set<String>()
            for entry in json["properties"]?.objectValue?.entries ?? [] {
                properties.insert(entry.key)
                if let target = entry.value["passThrough"]?.arrayValue, target.count == 2, let type = target[0].stringValue, let property = target[1].stringValue {
                    passThrough[entry.key] = (type, property)
                }
            }
            let closed: Bool
            if case .bool(let flag)? = json["closed"]?.kind { closed = flag } else { closed = false }
            found[String(line[..<space])] = ResourceType(properties: properties, closed: closed,
                                                         required: json["required"]?.arrayValue?.compactMap(\.stringValue) ?? [], passThrough: passThrough)
        }
        return found
    }

    public func type(_ name: String) -> ResourceType? {
        table.types.withLock { types in
            if types == nil { types = Self.read(text) }
            return types?[name]
        }
    }
}
