@testable import FormworkCodegen
@testable import FormworkSchema
import FormworkSchemaData
import FormworkTemplate
import Testing

/// The registry data is generated in `CompactData`'s encoding so that no JSON is parsed at lint
/// time: every type's schema read from it must be the schema JSON gives, field by field.
@Suite struct CompactDataTests {
    @Test func everyTypeReadsAsFromJSON() throws {
        let source = try RegistrySource(repositoryRoot: GeneratedFilesTests.root)
        let patches = try SchemaPatches(path: GeneratedFilesTests.root + "/" + Generator.patchesPath)
        let registry = SchemaRegistry.shared
        var compared = 0
        for (typeName, json) in source.schemas {
            let pruned = RegistryDataWriter.prune(try patches.apply(to: json, typeName: typeName), isNameMap: false)
            let read = try #require(TemplateReader.readData(JSONWriter.compact(pruned), file: typeName + ".json"))
            let expected = ResourceSchema(typeName: typeName, json: read, stateful: registry.isStateful(typeName))
            let decoded = try #require(registry.schema(for: typeName))
            #expect(Self.same(expected, decoded), "\(typeName)")
            #expect(registry.rawSchema(for: typeName) == read, "\(typeName)")
            compared += 1
        }
        #expect(compared == registry.typeNames.count)
    }

    @Test func valuesRoundTrip() throws {
        let tricky = try #require(TemplateReader.readData(Array(##"""
        {"type": "object", "s": "tab\there\nline\u007f \\ back\\# \"q\" ünï 日本", "": "", "n": [0, -1.5e3, 12345678901234567890],
         "b": [true, false, null], "properties": {"type": {"enum": ["a", {"$ref": "#/definitions/X"}]}}, "k": {}, "l": []}
        """##.utf8)))
        let line = CompactData.encode(tricky)
        #expect(!line.utf8.contains { $0 < 0x20 || $0 == 0x7F }, "printable only: \(line)")
        let decoded = line.utf8CString.withUnsafeBufferPointer { buffer -> Node in
            buffer.withMemoryRebound(to: UInt8.self) { bytes in
                var reader = CompactReader(base: bytes.baseAddress!, range: 0..<(bytes.count - 1))
                return reader.node()
            }
        }
        #expect(decoded == tricky)
        #expect(String(decoding: JSONWriter.compact(decoded), as: UTF8.self) == String(decoding: JSONWriter.compact(tricky), as: UTF8.self))
    }

    static func same(_ a: ResourceSchema, _ b: ResourceSchema) -> Bool {
        a.typeName == b.typeName && same(a.root, b.root) && a.definitions.keys.sorted() == b.definitions.keys.sorted()
            && a.definitions.allSatisfy { same($0.value, b.definitions[$0.key]!) }
            && a.required == b.required && a.readOnly == b.readOnly && a.writeOnly == b.writeOnly && a.createOnly == b.createOnly
            && a.conditionalCreateOnly == b.conditionalCreateOnly && a.deprecated == b.deprecated && a.primaryIdentifier == b.primaryIdentifier
            && a.taggable == b.taggable && a.tagProperty == b.tagProperty && a.stateful == b.stateful
            && a.dependentRequired == b.dependentRequired && a.dependentExcluded == b.dependentExcluded
    }

    static func same(_ a: Shape, _ b: Shape) -> Bool {
        func shapes(_ x: [Shape], _ y: [Shape]) -> Bool { x.count == y.count && zip(x, y).allSatisfy { same($0, $1) } }
        func boxes(_ x: Box<Shape>?, _ y: Box<Shape>?) -> Bool {
            switch (x, y) {
            case (nil, nil): return true
            case (let x?, let y?): return same(x.value, y.value)
            default: return false
            }
        }
        return a.types == b.types && a.ref == b.ref && a.required == b.required && a.additionalProperties == b.additionalProperties
            && a.properties.map(\.name) == b.properties.map(\.name) && shapes(a.properties.map(\.shape), b.properties.map(\.shape))
            && a.patternProperties.map(\.pattern) == b.patternProperties.map(\.pattern) && shapes(a.patternProperties.map(\.shape), b.patternProperties.map(\.shape))
            && boxes(a.additionalShape, b.additionalShape) && boxes(a.items, b.items)
            && a.insertionOrder == b.insertionOrder && a.uniqueItems == b.uniqueItems && a.enumValues == b.enumValues && a.constValue == b.constValue
            && a.pattern == b.pattern && a.format == b.format && a.minimum == b.minimum && a.maximum == b.maximum
            && a.exclusiveMinimum == b.exclusiveMinimum && a.exclusiveMaximum == b.exclusiveMaximum && a.minLength == b.minLength
            && a.maxLength == b.maxLength && a.minItems == b.minItems && a.maxItems == b.maxItems
            && shapes(a.oneOf, b.oneOf) && shapes(a.anyOf, b.anyOf) && shapes(a.allOf, b.allOf) && a.dependentRequired == b.dependentRequired
    }
}
