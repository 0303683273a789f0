import Testing
@testable import FormworkTemplate
import FormworkYAML

/// The formatter's self-check without a second tree (`CanonicalReadBack`): it agrees with
/// reading the output back into a tree, gives the same places for the comment placement,
/// and refuses what reads back to anything else.
@Suite struct CanonicalReadBackTests {
    func value(_ text: String) throws -> Node {
        try #require(TemplateReader.read(Array(text.utf8), requireMapping: false).root)
    }

    /// Over the fixtures and the corpora: the walk matches exactly when the tree read back
    /// holds the same content, and its layout is the read-back tree's places, slot for slot.
    @Test func agreesWithTheTreeReadBack() throws {
        var files = ["fmt", "seed-004", "hostile", "fuzz-regressions", "readme"].flatMap { Repository.templates(under: Repository.fixture($0)) }
        if Repository.hasCorpora {
            files += ["/corpus/real-world/templates", "/corpus/cfn-lint/templates"].flatMap { Repository.templates(under: Repository.shared + $0) }
        }
        var checked = 0
        for file in files {
            guard let root = TemplateReader.read(path: file).root else { continue }
            let ordered = CanonicalOrder.apply(to: root)
            guard let bytes = try? YAMLWriter.write(ordered) else { continue }
            let back = TemplateReader.read(bytes, limits: .selfCheck, requireMapping: false).root
            let same = back.map { ContentDigest.of($0) == ContentDigest.of(ordered) } ?? false
            #expect(CanonicalReadBack.matches(bytes, ordered) == same, "\(file)")
            guard same, let back else { continue }
            let fast = try #require(CanonicalReadBack.layout(of: bytes, ordered), "\(file)")
            let slow = OutputLayout(readBack: back)
            #expect(fast.marks == slow.marks && fast.sizes == slow.sizes, "\(file): layouts differ")
            checked += 1
        }
        #expect(checked > 20)
    }

    @Test func refusesWhatReadsBackDifferently() throws {
        let expected = try value("a: 'true'\nb: x\n")
        #expect(CanonicalReadBack.matches(Array("a: 'true'\nb: x\n".utf8), expected))
        #expect(!CanonicalReadBack.matches(Array("a: true\nb: x\n".utf8), expected), "a boolean, not the string")
        #expect(!CanonicalReadBack.matches(Array("a: 'true'\n".utf8), expected), "a key missing")
        #expect(!CanonicalReadBack.matches(Array("a: 'true'\nb: x\nc: y\n".utf8), expected), "a key more")
        #expect(!CanonicalReadBack.matches(Array("a: 'true'\nb: y\n".utf8), expected), "another value")
        #expect(!CanonicalReadBack.matches(Array("a: &x 'true'\nb: x\n".utf8), expected), "an anchor")
        #expect(!CanonicalReadBack.matches(Array("a: 'true'\nb: x\n---\na: 1\n".utf8), expected), "two documents")
        #expect(!CanonicalReadBack.matches(Array("a: 'true'\nb: [x\n".utf8), expected), "not YAML")
        // Numbers by value; functions in their short and long forms, as the reader reads them.
        #expect(CanonicalReadBack.matches(Array("n: 1.0\n".utf8), try value("n: 1\n")))
        let functions = try value("g: !GetAtt A.B\nh: {'Fn::GetAtt': [A, B]}\nc: !Condition X\nr: {Ref: Y}\n")
        #expect(CanonicalReadBack.matches(Array("g: !GetAtt [A, B]\nh: !GetAtt A.B\nc:\n  Condition: X\nr: !Ref Y\n".utf8), functions))
        #expect(!CanonicalReadBack.matches(Array("g: !GetAtt [A, B]\nh: !GetAtt A.B\nc: X\nr: !Ref Y\n".utf8), functions))
        #expect(!CanonicalReadBack.matches(Array("g: !GetAtt [A, B]\nh: !GetAtt A.B\nc: !Condition X\nr: {Ref: Y, Z: 1}\n".utf8), functions))
    }

    /// A comment must stand outside every scalar, or on a block scalar's header line.
    @Test func commentsMustStandOutsideTheContent() throws {
        let expected = try value("a: x y\nb: |\n  text\n")
        let text = Array("a: x y #c\nb: | #d\n  text\n".utf8)
        #expect(CanonicalReadBack.matches(text, expected, comments: [Mark(line: 1, column: 8), Mark(line: 2, column: 6)]))
        #expect(!CanonicalReadBack.matches(text, expected, comments: [Mark(line: 1, column: 5)]), "inside `x y`")
        #expect(!CanonicalReadBack.matches(text, expected, comments: [Mark(line: 3, column: 3)]), "inside the block's text")
    }
}

/// The canonical order leaves what is in order as it is, and moves the rest as before.
@Suite struct CanonicalOrderTests {
    @Test func orderedMapsStayAsTheyAre() throws {
        let sections = CanonicalOrder.sections
        func map(_ keys: [String]) -> ObjectMap { ObjectMap(keys.map { ObjectMap.Entry(key: $0, value: .null) }) }
        for keys in [["AWSTemplateFormatVersion", "Resources", "Custom"], ["Resources", "Description"], ["Custom", "Resources"],
                     [], ["Custom", "Other"], ["Description", "Outputs", "X", "Y"]] {
            let expected = map(keys).reordered(sections).keys == keys
            #expect(CanonicalOrder.isOrdered(map(keys), sections) == expected, "\(keys)")
        }
        let root = try #require(TemplateReader.read(Array("Resources:\n  A:\n    Properties: {}\n    Type: X\n  B:\n    Type: Y\nDescription: d\n".utf8)).root)
        let ordered = CanonicalOrder.apply(to: root)
        #expect(ordered.objectValue?.keys == ["Description", "Resources"])
        #expect(ordered["Resources"]?["A"]?.objectValue?.keys == ["Type", "Properties"])
        #expect(ordered["Resources"]?["B"]?.objectValue?.keys == ["Type"])
    }
}
