import FormworkTemplate

/// The metadata of one type as `formwork schema` prints it (JSON or text).
public enum SchemaReport {
    public static func json(_ schema: ResourceSchema) -> Node {
        var root = ObjectMap()
        root.set("type", .string(schema.typeName))
        var properties = ObjectMap()
        for (name, shape) in schema.root.properties {
            var description = describe(shape, in: schema)
            let pointer = "/properties/" + name
            if schema.required.contains(name) { description.set("required", .bool(true)) }
            if schema.createOnly.contains(pointer) { description.set("createOnly", .bool(true)) }
            if schema.conditionalCreateOnly.contains(pointer) { description.set("conditionalCreateOnly", .bool(true)) }
            if schema.readOnly.contains(pointer) { description.set("readOnly", .bool(true)) }
            if schema.writeOnly.contains(pointer) { description.set("writeOnly", .bool(true)) }
            if schema.deprecated.contains(pointer) { description.set("deprecated", .bool(true)) }
            properties.set(name, .object(description))
        }
        root.set("properties", .object(properties))
        root.set("required", strings(schema.required))
        root.set("attributes", strings(schema.attributes.map(\.name)))
        root.set("createOnly", strings(schema.createOnly))
        root.set("conditionalCreateOnly", strings(schema.conditionalCreateOnly))
        root.set("readOnly", strings(schema.readOnly))
        root.set("writeOnly", strings(schema.writeOnly))
        root.set("unorderedArrays", strings(schema.unorderedArrays))
        root.set("primaryIdentifier", strings(schema.primaryIdentifier))
        root.set("taggable", .bool(schema.taggable))
        if let tagProperty = schema.tagProperty { root.set("tagProperty", .string(tagProperty)) }
        root.set("stateful", .bool(schema.stateful))
        var definitions = ObjectMap()
        for name in schema.definitions.keys.sorted() {
            definitions.set(name, .object(describe(schema.definitions[name]!, in: schema, expandProperties: true)))
        }
        root.set("definitions", .object(definitions))
        return .object(root)
    }

    public static func text(_ schema: ResourceSchema) -> String {
        var lines = [schema.typeName + (schema.stateful ? " (stateful)" : "") + (schema.taggable ? " (taggable)" : "")]
        lines.append("")
        lines.append("Properties:")
        for (name, shape) in schema.root.properties {
            let pointer = "/properties/" + name
            var flags: [String] = []
            if schema.required.contains(name) { flags.append("required") }
            if schema.createOnly.contains(pointer) { flags.append("create-only: replacement") }
            if schema.conditionalCreateOnly.contains(pointer) { flags.append("conditionally create-only") }
            if schema.readOnly.contains(pointer) { flags.append("read-only") }
            if schema.deprecated.contains(pointer) { flags.append("deprecated") }
            let constraint = constraints(shape, in: schema)
            lines.append("  \(name): \(typeText(shape, in: schema))\(constraint.isEmpty ? "" : " " + constraint)\(flags.isEmpty ? "" : "  [" + flags.joined(separator: ", ") + "]")")
        }
        lines.append("")
        lines.append("Attributes (Fn::GetAtt): " + (schema.attributes.isEmpty ? "none" : schema.attributes.map(\.name).joined(separator: ", ")))
        lines.append("Create-only (replacement): " + list(schema.createOnly))
        lines.append("Conditionally create-only: " + list(schema.conditionalCreateOnly))
        lines.append("Unordered arrays: " + list(schema.unorderedArrays))
        lines.append("Primary identifier: " + list(schema.primaryIdentifier))
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the registry says of one property, top-level or nested (`["MasterUserSecret",
    /// "KmsKeyId"]`): its type, constraints, and whether it is required or create-only. Nil
    /// when the path names no property.
    public static func propertyFacts(_ schema: ResourceSchema, path: [String]) -> (text: String, shape: Shape)? {
        guard let last = path.last else { return nil }
        var parent = schema.root
        var shape: Shape?
        var pointer = "/properties"
        var steps: [String] = []
        for name in path {
            var container = schema.resolve(shape ?? parent)
            if let items = container.items?.value {
                container = schema.resolve(items)
                pointer += "/*"
            }
            guard let next = container.property(name) else { return nil }
            parent = container
            shape = next
            pointer += "/" + name
            steps.append(name)
        }
        guard let shape else { return nil }
        var flags: [String] = []
        if (path.count == 1 ? schema.required : parent.required).contains(last) { flags.append("required") }
        let matches = { (pointers: [String]) in pointers.contains { $0 == pointer || pointer.hasPrefix($0 + "/") } }
        if matches(schema.createOnly) { flags.append("create-only: changing it replaces the resource") }
        if matches(schema.conditionalCreateOnly) { flags.append("conditionally create-only: changing it may replace the resource") }
        if matches(schema.deprecated) { flags.append("deprecated") }
        let constraint = constraints(shape, in: schema)
        let text = "\(schema.typeName) \(steps.joined(separator: "."))\n\n\(typeText(shape, in: schema))\(constraint.isEmpty ? "" : " " + constraint)"
            + (flags.isEmpty ? "" : "\n\n" + flags.joined(separator: "; "))
        return (text, shape)
    }

    private static func list(_ items: [String]) -> String { items.isEmpty ? "none" : items.joined(separator: ", ") }

    private static func strings(_ items: [String]) -> Node { .array(items.map { .string($0) }) }

    public static func typeText(_ shape: Shape, in schema: ResourceSchema) -> String {
        if let name = shape.definitionName {
            return name
        }
        if let items = shape.items?.value {
            return "[" + typeText(items, in: schema) + "]" + (shape.insertionOrder ? "" : " (unordered)")
        }
        if !shape.types.isEmpty { return shape.types.map(\.rawValue).joined(separator: "|") }
        if !shape.oneOf.isEmpty || !shape.anyOf.isEmpty { return "one of several shapes" }
        return "any"
    }

    public static func constraints(_ shape: Shape, in schema: ResourceSchema) -> String {
        var parts: [String] = []
        if let values = shape.enumValues {
            parts.append("one of " + values.map(render).joined(separator: ", "))
        }
        if let pattern = shape.pattern { parts.append("pattern \(pattern)") }
        if shape.minLength != nil || shape.maxLength != nil {
            parts.append("length \(shape.minLength.map(String.init) ?? "0")...\(shape.maxLength.map(String.init) ?? "")")
        }
        if shape.minimum != nil || shape.maximum != nil {
            parts.append("range \(shape.minimum.map(NumberLiteral.text(of:)) ?? "")...\(shape.maximum.map(NumberLiteral.text(of:)) ?? "")")
        }
        return parts.isEmpty ? "" : "(" + parts.joined(separator: "; ") + ")"
    }

    static func describe(_ shape: Shape, in schema: ResourceSchema, expandProperties: Bool = false) -> ObjectMap {
        var map = ObjectMap()
        if let name = shape.definitionName { map.set("ref", .string(name)) }
        if !shape.types.isEmpty {
            map.set("type", shape.types.count == 1 ? .string(shape.types[0].rawValue) : .array(shape.types.map { .string($0.rawValue) }))
        }
        if let items = shape.items?.value { map.set("items", .object(describe(items, in: schema))) }
        if !shape.insertionOrder { map.set("insertionOrder", .bool(false)) }
        if let values = shape.enumValues { map.set("enum", .array(values)) }
        if let pattern = shape.pattern { map.set("pattern", .string(pattern)) }
        if let value = shape.minimum { map.set("minimum", .number(NumberLiteral.text(of: value))) }
        if let value = shape.maximum { map.set("maximum", .number(NumberLiteral.text(of: value))) }
        if let value = shape.minLength { map.set("minLength", .number(String(value))) }
        if let value = shape.maxLength { map.set("maxLength", .number(String(value))) }
        if expandProperties, !shape.properties.isEmpty {
            var properties = ObjectMap()
            for (name, child) in shape.properties { properties.set(name, .object(describe(child, in: schema))) }
            map.set("properties", .object(properties))
            if !shape.required.isEmpty { map.set("required", strings(shape.required)) }
        }
        return map
    }

    static func render(_ value: Node) -> String {
        switch value.kind {
        case .string(let text): return text
        case .number(let literal): return literal
        case .bool(let flag): return flag ? "true" : "false"
        default: return "…"
        }
    }
}
