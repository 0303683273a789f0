@testable import FormworkDiff
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate
import Testing

/// The classifier matches registry pointers against property paths in place (it runs for
/// every changed and every propagated property); it must say what splitting each pointer
/// into segments says.
@Suite struct PointerMatchTests {
    /// The plain reading: the pointer's non-empty segments after the first, against the path's
    /// keys (an index is `*`), as far as both go.
    static func splitMatch(_ pointers: [String], _ path: [PathComponent], deeperThanProperty: Bool) -> String? {
        let steps = path.map { component -> String in
            if case .key(let key) = component { return key }
            return "*"
        }
        for pointer in pointers where !deeperThanProperty || pointer.split(separator: "/").count > 2 {
            let parts = pointer.split(separator: "/").dropFirst().map(String.init)
            let common = min(parts.count, steps.count)
            if zip(parts.prefix(common), steps.prefix(common)).allSatisfy({ $0 == $1 || $0 == "*" }) { return pointer }
        }
        return nil
    }

    static let pointers = [
        "/properties/TopicName", "/properties/A/*/B", "/properties/A/C", "//properties//A//D/", "/properties/*", "/properties",
        "/properties/Tags/*/Key", "/properties/VpcConfig/SubnetIds", "/definitions/X", "", "/", "properties/A/B",
    ]
    static let paths: [[PathComponent]] = [
        [.key("TopicName")], [.key("A")], [.key("A"), .index(0)], [.key("A"), .index(2), .key("B")], [.key("A"), .key("C")],
        [.key("A"), .key("D")], [.key("A"), .index(0), .key("C")], [.key("Tags"), .index(1), .key("Value")], [.key("Tags")],
        [.key("VpcConfig"), .key("SubnetIds"), .index(0)], [], [.index(0)], [.key("X")], [.key("B")],
    ]

    @Test func inPlaceMatchingSaysWhatSplittingSays() {
        let classifier = UpdateClassifier(registry: .shared)
        for path in Self.paths {
            for deeper in [false, true] {
                // Every pointer alone, then the whole list (the first match wins).
                for list in Self.pointers.map({ [$0] }) + [Self.pointers] {
                    #expect(classifier.matchingPointer(list, path, deeperThanProperty: deeper) == Self.splitMatch(list, path, deeperThanProperty: deeper),
                            "\(list) \(path) deeper: \(deeper)")
                }
            }
        }
    }

    @Test func everyRegistryCreateOnlyPointerOfTheChangedTypes() {
        let classifier = UpdateClassifier(registry: .shared)
        for type in ["AWS::RDS::DBInstance", "AWS::EC2::Instance", "AWS::Lambda::Function", "AWS::ECS::Service", "AWS::DynamoDB::Table"] {
            guard let schema = SchemaRegistry.shared.schema(for: type) else { continue }
            let pointers = schema.createOnly + schema.conditionalCreateOnly
            for pointer in pointers {
                // The pointer's own path, one of its prefixes and one that leaves it.
                let keys = pointer.split(separator: "/").dropFirst().map { $0 == "*" ? PathComponent.index(0) : .key(String($0)) }
                for path in [keys, Array(keys.prefix(1)), Array(keys.prefix(1)) + [.key("Elsewhere")]] {
                    for deeper in [false, true] {
                        #expect(classifier.matchingPointer(pointers, path, deeperThanProperty: deeper) == Self.splitMatch(pointers, path, deeperThanProperty: deeper))
                    }
                }
            }
        }
    }
}
