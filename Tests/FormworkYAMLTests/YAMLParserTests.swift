import Testing
@testable import FormworkYAML

@Suite struct YAMLParserTests {
    func parse(_ text: String, limits: ParseLimits = .standard) throws(YAMLErrors) -> YAMLNode? {
        try YAMLParser.parse(text, limits: limits)
    }

    func errors(_ text: String, limits: ParseLimits = .standard) -> [YAMLError] {
        do {
            _ = try parse(text, limits: limits)
            return []
        } catch {
            return error.errors
        }
    }

    @Test func marksAreOneBasedOnKeysAndValues() throws {
        let root = try #require(try parse("a: 1\nb:\n  - x\n  - !Ref y\n"))
        guard case .mapping(let pairs) = root.content else { Issue.record("not a mapping"); return }
        #expect(pairs[0].key.mark == Mark(line: 1, column: 1))
        #expect(pairs[0].value.mark == Mark(line: 1, column: 4))
        #expect(pairs[1].key.mark == Mark(line: 2, column: 1))
        guard case .sequence(let items) = pairs[1].value.content else { Issue.record("not a sequence"); return }
        #expect(items[1].mark == Mark(line: 4, column: 5))
        #expect(items[1].tag == "!Ref")
    }

    /// Editors on Windows save UTF-8 with a byte-order mark; it is not content, and the
    /// first line's columns count from after it, as editors show them.
    @Test func aByteOrderMarkIsSkipped() throws {
        let root = try #require(try parse("\u{FEFF}a: 1\nb: x\n"))
        guard case .mapping(let pairs) = root.content else { Issue.record("not a mapping"); return }
        #expect(pairs.count == 2)
        #expect(pairs[0].key.mark == Mark(line: 1, column: 1))
        #expect(pairs[1].value.mark == Mark(line: 2, column: 4))
        #expect(errors("\u{FEFF}a: [1\n").first?.mark.line == 2)
    }

    @Test func keepsScalarStyles() throws {
        let root = try #require(try parse("a: 'x'\nb: \"y\"\nc: |\n  z\nd: w\n"))
        guard case .mapping(let pairs) = root.content else { return }
        let styles = pairs.map { pair -> ScalarStyle? in
            if case .scalar(_, let style) = pair.value.content { return style }
            return nil
        }
        #expect(styles == [.singleQuoted, .doubleQuoted, .literal, .plain])
    }

    @Test func duplicateKeysReportBothPlacesAndEveryPair() {
        let found = errors("a: 1\nb: 2\na: 3\nc:\n  x: 1\n  x: 2\n")
        #expect(found.count == 2)
        #expect(found[0].kind == .duplicateKey)
        #expect(found[0].mark == Mark(line: 3, column: 1))
        #expect(found[0].related == Mark(line: 1, column: 1))
        #expect(found[1].mark == Mark(line: 6, column: 3))
        #expect(found[1].related == Mark(line: 5, column: 3))
    }

    @Test func aliasesExpandWithinTheBound() throws {
        let root = try #require(try parse("base: &b {k: v}\ncopy: *b\n"))
        guard case .mapping(let pairs) = root.content, case .mapping(let copy) = pairs[1].value.content else {
            Issue.record("alias not expanded")
            return
        }
        #expect(copy.count == 1)
        #expect(pairs[1].value.mark == Mark(line: 2, column: 7))
    }

    @Test func aliasBombIsRefusedNotExpanded() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        let found = errors(text)
        #expect(found.first?.kind == .aliasExpansion)
        #expect(found.first?.mark.line == 5)
    }

    @Test func undefinedAliasIsLocated() {
        let found = errors("a: *nothing\n")
        #expect(found.first?.kind == .syntax || found.first?.kind == .undefinedAlias)
        #expect(found.first?.mark.line == 1)
    }

    @Test func nestingDepthIsBounded() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let found = errors(deep)
        #expect(found.first?.kind == .depth)
        #expect(found.first?.mark == Mark(line: 1, column: 257))
    }

    @Test func aliasesCountTowardsDepth() {
        let limits = ParseLimits(maxDepth: 4)
        let found = errors("a: &x [[[1]]]\nb: [[*x]]\n", limits: limits)
        #expect(found.first?.kind == .depth)
    }

    @Test func sizeLimitIsCheckedFirst() {
        let found = errors("a: 1\n", limits: ParseLimits(maxBytes: 3))
        #expect(found.first?.kind == .size)
    }

    @Test func multipleDocumentsAreLocated() {
        let found = errors("a: 1\n---\nb: 2\n")
        #expect(found.first?.kind == .multipleDocuments)
        #expect(found.first?.mark.line == 2)
    }

    @Test func complexKeysAreLocated() {
        let found = errors("? [a, b]\n: 1\n")
        #expect(found.first?.kind == .complexKey)
        #expect(found.first?.mark == Mark(line: 1, column: 3))
    }

    @Test func invalidUTF8IsAnEncodingErrorWithAPlace() {
        var bytes = Array("a: 1\nb: ".utf8)
        bytes += [0xFF, 0xFE]
        do {
            _ = try YAMLParser.parse(bytes)
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.errors.first?.kind == .encoding)
            #expect(error.errors.first?.mark == Mark(line: 2, column: 4))
        }
    }

    @Test func tabIndentationIsASyntaxErrorWithAPlace() {
        let found = errors("a:\n\tb: 1\n")
        #expect(found.first?.kind == .syntax)
        #expect(found.first?.mark.line == 2)
    }

    @Test func emptyStreamHasNoRoot() throws {
        #expect(try parse("") == nil)
        #expect(try parse("# only a comment\n") == nil)
    }

    @Test func binaryJunkNeverCrashes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<400, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? YAMLParser.parse(bytes)
        }
    }
}

@Suite struct YAMLEmitterTests {
    @Test func writesBlockStyleWithTagsAndQuotes() throws {
        let node = YAMLNode(.mapping([
            .init(key: .scalar("a"), value: .scalar("x", tag: "!Ref")),
            .init(key: .scalar("b"), value: .scalar("yes", style: .singleQuoted)),
            .init(key: .scalar("c"), value: YAMLNode(.sequence([.scalar("1"), .scalar("2")]), tag: "!If", flow: true)),
            .init(key: .scalar("d"), value: .scalar("line 1\nline 2\n", style: .literal)),
            .init(key: .scalar("e"), value: YAMLNode(.sequence([]))),
        ]))
        let text = String(decoding: try YAMLEmitter.emit(node), as: UTF8.self)
        #expect(text == "a: !Ref x\nb: 'yes'\nc: !If [1, 2]\nd: |\n  line 1\n  line 2\ne: []\n")
    }

    @Test func plainIsRefusedWhereYAMLForbidsIt() throws {
        let node = YAMLNode(.mapping([.init(key: .scalar("k"), value: .scalar("a: b #c"))]))
        let text = String(decoding: try YAMLEmitter.emit(node), as: UTF8.self)
        #expect(text == "k: 'a: b #c'\n")
    }
}
