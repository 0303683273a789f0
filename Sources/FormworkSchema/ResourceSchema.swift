import FormworkTemplate

/// What the CloudFormation registry says about one resource type, with the paths as JSON
/// pointers exactly as the registry writes them (`/properties/Endpoint/Address`).
public struct ResourceSchema: Sendable {
    public var typeName: String
    /// The `properties` object of the schema: its properties are the resource's.
    public var root: Shape
    public var definitions: SchemaDefinitions
    /// The schema's top-level `required` list (property names).
    public var required: [String]
    public var readOnly: [String]
    public var writeOnly: [String]
    public var createOnly: [String]
    public var conditionalCreateOnly: [String]
    public var deprecated: [String]
    public var primaryIdentifier: [String]
    public var taggable: Bool
    /// The pointer of the tags property (`/properties/Tags`), when taggable.
    public var tagProperty: String?
    /// Holds data that replacement or deletion loses (cfn-lint's StatefulResources list).
    public var stateful: Bool
    /// `dependentRequired` / `dependentExcluded`: property -> properties it needs / forbids.
    public var dependentRequired: [String: [String]]
    public var dependentExcluded: [String: [String]]

    public init(typeName: String, json: Node, stateful: Bool) {
        var definitions: [String: Shape] = [:]
        for entry in json["definitions"]?.objectValue?.entries ?? [] {
            definitions[entry.key] = Shape(entry.value)
        }
        self.init(typeName: typeName, root: Shape(json), definitions: SchemaDefinitions(definitions), fields: json.objectValue ?? ObjectMap(), stateful: stateful)
    }

    /// Reads a type's schema from the generator's encoding (`CompactData`), as `init(typeName:json:stateful:)`
    /// reads it from JSON.
    package init(typeName: String, reading reader: inout CompactReader, stateful: Bool) {
        var root = Shape()
        var definitions: [String: SchemaDefinitions.Entry] = [:]
        var fields = ObjectMap()
        for _ in 0..<(reader.objectCount() ?? 0) {
            guard let keyword = reader.key().keyword else {
                reader.skip()
                continue
            }
            switch keyword {
            case .definitions:
                guard let count = reader.objectCount() else {
                    reader.skip()
                    continue
                }
                definitions.reserveCapacity(count)
                for _ in 0..<count {
                    // Only where each one is: decoded when first asked for.
                    let name = reader.key().name
                    definitions[name] = SchemaDefinitions.Entry(base: reader.base, range: reader.offset..<reader.end)
                    reader.skip()
                }
            case .required, .dependentRequired:
                // Both the root shape's and the schema's own.
                let value = reader.node()
                root.apply(keyword, value)
                fields.set(keyword.rawValue, value)
            case .readOnlyProperties, .writeOnlyProperties, .createOnlyProperties, .conditionalCreateOnlyProperties, .deprecatedProperties,
                 .primaryIdentifier, .tagging, .taggable, .dependentExcluded:
                fields.set(keyword.rawValue, reader.node())
            default:
                root.read(keyword, &reader)
            }
        }
        self.init(typeName: typeName, root: root, definitions: SchemaDefinitions(entries: definitions), fields: fields, stateful: stateful)
    }

    /// `fields`: the schema's top-level keywords that are not the root shape's.
    init(typeName: String, root: Shape, definitions: SchemaDefinitions, fields json: ObjectMap, stateful: Bool) {
        self.typeName = typeName
        self.stateful = stateful
        self.root = root
        self.root.types = [.object]
        self.definitions = definitions
        func strings(_ key: String) -> [String] { json[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        required = strings("required")
        readOnly = strings("readOnlyProperties")
        writeOnly = strings("writeOnlyProperties")
        createOnly = strings("createOnlyProperties")
        conditionalCreateOnly = strings("conditionalCreateOnlyProperties")
        deprecated = strings("deprecatedProperties")
        primaryIdentifier = strings("primaryIdentifier")
        let tagging = json["tagging"]?.objectValue
        // A type is taggable when its tagging block says so, or when it has a Tags property
        // (EMR clusters, CodeBuild projects, ACM certificates, FSx file systems have no
        // tagging block, and take Tags all the same).
        let hasTagsProperty = root.property("Tags") != nil
        if case .bool(let flag)? = tagging?["taggable"]?.kind {
            taggable = flag || hasTagsProperty
        } else if case .bool(let flag)? = json["taggable"]?.kind {
            taggable = flag || hasTagsProperty
        } else {
            taggable = tagging != nil || hasTagsProperty
        }
        tagProperty = taggable ? (tagging?["tagProperty"]?.stringValue ?? (root.property("Tags") != nil ? "/properties/Tags" : nil)) : nil
        func dependencies(_ key: String) -> [String: [String]] {
            var result: [String: [String]] = [:]
            for entry in json[key]?.objectValue?.entries ?? [] {
                result[entry.key] = entry.value.arrayValue?.compactMap(\.stringValue) ?? []
            }
            return result
        }
        dependentRequired = dependencies("dependentRequired")
        dependentExcluded = dependencies("dependentExcluded")
    }

    /// The properties that name the resource itself: its writable primary identifier
    /// (`DBInstanceIdentifier`, `BucketName`, `RoleName`, `AlarmName`), else a create-only
    /// `Name`, `<Type>Name` or `GroupName` (a topic's `TopicName`, a group's `GroupName`).
    /// A composite identifier (a route's table and CIDR) names no one resource.
    public var nameProperties: [String] {
        let primary = primaryIdentifier.count != 1 ? [] : primaryIdentifier.compactMap { pointer -> String? in
            let parts = pointer.split(separator: "/")
            guard parts.count == 2, !readOnly.contains(pointer), property(String(parts[1]))?.types == [.string] else { return nil }
            return String(parts[1])
        }
        if !primary.isEmpty { return primary }
        let shortName = typeName.split(separator: ":").last.map(String.init) ?? ""
        return createOnly.compactMap { pointer -> String? in
            let parts = pointer.split(separator: "/")
            guard parts.count == 2 else { return nil }
            let name = String(parts[1])
            return name == "Name" || name == shortName + "Name" || name == "GroupName" ? name : nil
        }
    }

    /// Top-level property names in schema order.
    public var propertyNames: [String] { root.properties.map(\.name) }

    public func property(_ name: String) -> Shape? { root.property(name) }

    /// Follows `$ref`s (and single-entry `allOf`) to the shape they name.
    public func resolve(_ shape: Shape) -> Shape {
        var current = shape
        var hops = 0
        while hops < 32 {
            if let name = current.definitionName, let target = definitions[name] {
                current = target
            } else if current.ref == nil, current.types.isEmpty, current.properties.isEmpty, current.allOf.count == 1 {
                current = current.allOf[0]
            } else {
                return current
            }
            hops += 1
        }
        return current
    }

    /// The shape at a registry pointer (`/properties/Endpoint/Address`; `*` steps into
    /// array items), or nil when the pointer leaves the schema.
    public func shape(at pointer: String) -> Shape? {
        var parts = pointer.split(separator: "/").map(String.init)
        guard parts.first == "properties" else { return nil }
        parts.removeFirst()
        var current = root
        for part in parts {
            current = resolve(current)
            if part == "*" {
                guard let items = current.items?.value else { return nil }
                current = items
            } else if let next = current.property(part) {
                current = next
            } else if let extra = current.additionalShape?.value {
                current = extra
            } else {
                return nil
            }
        }
        return resolve(current)
    }

    /// The names `Fn::GetAtt` accepts: the read-only properties, dotted
    /// (`/properties/Endpoint/Address` -> `Endpoint.Address`).
    public var attributes: [Attribute] {
        readOnly.compactMap { pointer in
            let parts = pointer.split(separator: "/")
            guard parts.first == "properties", parts.count > 1, !parts.contains("*") else { return nil }
            let name = parts.dropFirst().joined(separator: ".")
            let shape = self.shape(at: pointer)
            return Attribute(name: name, pointer: pointer, types: shape?.types ?? [])
        }
    }

    /// Pointers of arrays the schema marks `insertionOrder: false`, with `*` for items of
    /// arrays on the way (`/properties/SecurityGroupIngress`, `/properties/Rules/*/Targets`).
    public var unorderedArrays: [String] {
        var found: [String] = []
        var visited = Set<String>()
        func walk(_ shape: Shape, _ pointer: String, _ depth: Int) {
            guard depth < 12 else { return }
            if let name = shape.definitionName {
                guard !visited.contains(name + "@" + pointer), let target = definitions[name] else { return }
                visited.insert(name + "@" + pointer)
                return walk(target, pointer, depth + 1)
            }
            if let items = shape.items?.value {
                if !shape.insertionOrder { found.append(pointer) }
                walk(items, pointer + "/*", depth + 1)
            }
            for property in shape.properties {
                walk(property.shape, pointer + "/" + property.name, depth + 1)
            }
        }
        for property in root.properties { walk(property.shape, "/properties/" + property.name, 0) }
        return found.sorted()
    }

    public struct Attribute: Sendable, Hashable {
        public var name: String
        public var pointer: String
        public var types: [JSONType]
    }
}
