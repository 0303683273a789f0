@testable import FormworkSchema
@testable import FormworkSchemaData
import Testing

/// The generated tables split as bytes (`ByteFields`) read the same as `String.split` read
/// them before: every summary line of the registry, every service of the IAM action table,
/// the Lambda runtime table.
@Suite struct ByteFieldsTests {
    @Test(arguments: ["", "a", "a b", " a  b ", "a,,b,", "-", "x y z", "ünï cödé"])
    func splitsAsStringSplitDoes(_ text: String) {
        var copy = text
        copy.withUTF8 { bytes in
            for omitting in [true, false] {
                for separator in [" ", ","] as [Character] {
                    let fields = ByteFields.split(bytes, UInt8(ascii: separator.unicodeScalars.first!), omittingEmpty: omitting).map(ByteFields.string)
                    #expect(fields == text.split(separator: separator, omittingEmptySubsequences: omitting).map(String.init), "\(text) \(omitting)")
                }
            }
        }
    }

    /// The summary line parse of the previous release, through `String.split`.
    static func reference(_ line: String) -> TypeSummary? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 6 else { return nil }
        return TypeSummary(
            taggable: fields[0] == "1",
            tagProperty: fields[1] == "-" ? nil : String(fields[1]),
            nameProperties: fields[2] == "-" ? [] : fields[2].split(separator: ",").map(String.init),
            stateful: fields[3] == "1",
            nameMaxLengths: fields[4] == "-" ? [] : fields[4].split(separator: ",").map { Int($0) },
            attributes: fields[5] == "-" ? [] : fields[5].split(separator: ",").map(String.init))
    }

    @Test func everySummaryLineReadsAsBefore() throws {
        var checked = 0
        for name in SchemaRegistry.shared.typeNames {
            guard let range = SortedLines.find(name, in: RegistryData.summary) else { continue }
            let line = String(decoding: UnsafeBufferPointer(start: RegistryData.summary.utf8Start + range.lowerBound, count: range.count), as: UTF8.self)
            let parsed = try #require(SchemaRegistry.parseSummary(RegistryData.summary, range))
            #expect(parsed == Self.reference(line), "\(name)")
            checked += 1
        }
        #expect(checked > 1500)
    }

    @Test func everyServiceOfTheIAMTableReadsAsBefore() {
        let text = String(decoding: UnsafeBufferPointer(start: IAMActionData.text.utf8Start, count: IAMActionData.text.utf8CodeUnitCount), as: UTF8.self)
        var actions = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard let service = parts.first.map(String.init) else { continue }
            var expected: [IAMActionCatalogue.Action] = []
            for entry in parts.dropFirst() {
                guard entry.count > 3, let colon = entry.lastIndex(of: ":"),
                      let level = IAMActionCatalogue.AccessLevel(rawValue: entry[entry.index(after: colon)]) else { continue }
                expected.append(IAMActionCatalogue.Action(name: service + ":" + entry[..<colon], level: level, namesResources: entry.last == "+"))
            }
            #expect(SchemaRegistry.shared.iamActions.actions(of: service) == expected, "\(service)")
            actions += expected.count
        }
        #expect(actions > 15000)
    }

    @Test func theLambdaRuntimeTableReadsAsBefore() {
        var expected: [String: RuntimeLifecycle] = [:]
        for line in RegistryData.lambdaRuntimes.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 5 else { continue }
            expected[fields[0]] = RuntimeLifecycle(deprecated: fields[1], createBlocked: fields[2], updateBlocked: fields[3], successor: fields[4] == "-" ? nil : fields[4])
        }
        #expect(!expected.isEmpty)
        #expect(RuntimeLifecycle.table(RegistryData.lambdaRuntimes) == expected)
        #expect(SchemaRegistry.shared.lambdaRuntimes == expected)
    }

    /// A key that is not a keyword stays a name; a keyword's name written as a string (the
    /// encoder writes keywords as codes) is still read as the keyword.
    @Test func keysReadByName() {
        let text: StaticString = "{2:s10:propertiess8:TopicName"
        var reader = CompactReader(text, 0..<text.utf8CodeUnitCount)
        _ = reader.objectCount()
        let keyword = reader.key()
        #expect(keyword.keyword == .properties && keyword.name == "properties")
        _ = reader.string()
        #expect(SchemaKeyword.byName.count == SchemaKeyword.allCases.count)
        for keyword in SchemaKeyword.allCases { #expect(SchemaKeyword.byName[keyword.rawValue] == keyword) }
    }
}
