import Foundation
import Testing
@testable import FormworkTemplate
import FormworkYAML

/// `fmt` keeps comments: placed at their keys and items, in order, idempotent; refused
/// (FMT-02) where the canonical form has no place for them; dropped, and counted, in JSON.
@Suite struct CommentTests {
    func texts(_ bytes: [UInt8]) throws -> [String] {
        try YAMLCommentScanner.scan(bytes).map(\.text)
    }

    func format(_ text: String) -> FormatOutcome {
        FormatJob.run(bytes: Array(text.utf8), path: "t.yaml")
    }

    /// The reference file shows every placement: above a key or item, after a value, after a
    /// key whose value follows, at the end of a mapping, a sequence and the file, in a block
    /// scalar's header, with keys moved by the canonical order, an alias, `|+`.
    @Test func referenceOutputKeepsEveryComment() throws {
        let path = Repository.fixture("fmt/comments.yaml")
        let outcome = FormatJob.run(path: path)
        let canonical = try #require(outcome.canonical, "\(outcome.diagnostics.map(\.text))")
        let text = String(decoding: canonical, as: UTF8.self)
        if let problem = matchReference(text, Repository.fixture("fmt/comments.canonical.yaml")) { Issue.record(Comment(rawValue: problem)) }
        #expect(try texts(canonical).sorted() == texts(outcome.original).sorted())
        #expect(FormatJob.run(bytes: canonical, path: path).canonical == canonical, "not idempotent")
    }

    @Test func seedKeepsItsTwelveComments() throws {
        let outcome = FormatJob.run(path: Repository.fixture("seed-004/TapStack.yml"))
        let canonical = try #require(outcome.canonical)
        let before = try texts(outcome.original)
        #expect(before.count == 12)
        #expect(try texts(canonical) == before)
        #expect(FormatJob.run(bytes: canonical, path: "seed").canonical == canonical)
    }

    @Test func trailingCommentsFollowTheirValueAndKey() throws {
        let outcome = format("Resources:   # all\n  A:\n    Properties: # props\n      X: 1   # one\n    Type: T # type\n")
        let text = String(decoding: try #require(outcome.canonical), as: UTF8.self)
        #expect(text == "Resources: # all\n  A:\n    Type: T # type\n    Properties: # props\n      X: 1 # one\n")
    }

    @Test func ownLineCommentsTravelWithTheirKeyAndCloseTheirBlock() throws {
        let source = "Resources:\n  A:\n    # about the properties\n    Properties:\n      X: 1\n      # end of the properties\n    Type: T\n    # end of A\n  # about B\n  B:\n    Type: U\n# end of the file\n"
        let text = String(decoding: try #require(format(source).canonical), as: UTF8.self)
        #expect(text == "Resources:\n  A:\n    Type: T\n    # about the properties\n    Properties:\n      X: 1\n      # end of the properties\n    # end of A\n  # about B\n  B:\n    Type: U\n# end of the file\n")
    }

    @Test func headerCommentsStayOnTop() throws {
        let text = String(decoding: try #require(format("# header\n\nResources: {}\nAWSTemplateFormatVersion: '2010-09-09'\n").canonical), as: UTF8.self)
        #expect(text == "# header\nAWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n")
    }

    @Test func twoCommentsForOneLineKeepTheirOrder() throws {
        let text = String(decoding: try #require(format("A:   # on the key\n  v # on the value\n").canonical), as: UTF8.self)
        #expect(text == "# on the key\nA: v # on the value\n")
    }

    /// Document markers and a directive carry no value: their comments go to the top or
    /// the end; a comment after a sequence's dash belongs to the item below it.
    @Test func commentsAfterMarkersGoWhereTheContentIs() throws {
        let text = String(decoding: try #require(format("%YAML 1.1 # directive\n--- # start\nA: 1\t# tab before\nL:\n- # about the item\n  B: 2\n... # end\n").canonical), as: UTF8.self)
        #expect(text == "# directive\n# start\nA: 1 # tab before\nL:\n- B: 2 # about the item\n# end\n")
    }

    /// Found by mutating the corpora: a comment indented to close a function's list (written
    /// `!GetAtt A.B`) stays above the next key, and one above an item that shares its mark
    /// with its key (`- !Condition A`) is no comment between a key and its value. Both are
    /// fixed points at once.
    @Test(arguments: [
        "P:\n  Name:\n    Fn::GetAtt:\n    - A\n    - Arn\n          # closing the list\n  Next: 1\n",
        "C: !And\n  - !Condition A\n  # above the second\n  - !Condition B\n",
    ])
    func mutationsFoundByFuzzingAreFixedPoints(source: String) throws {
        let once = try #require(format(source).canonical, "\(format(source).diagnostics.map(\.text))")
        #expect(FormatJob.run(bytes: once, path: "t.yaml").canonical == once, "\(String(decoding: once, as: UTF8.self))")
        #expect(try texts(once) == texts(Array(source.utf8)))
    }

    /// CRLF lines, `#` in quoted, plain and block scalars.
    @Test func crlfAndHashesThatAreText() throws {
        let source = "A: 'x # y'\r\nB: a#b # real\r\nC: |  # header\r\n  # body\r\n# last\r\n"
        let outcome = format(source)
        let text = String(decoding: try #require(outcome.canonical, "\(outcome.diagnostics.map(\.text))"), as: UTF8.self)
        #expect(text == "A: 'x # y'\nB: a#b # real\nC: | # header\n  # body\n# last\n")
    }

    /// A comment on its own line between a key and a value written on the key's line (a
    /// scalar, a function) goes above the key; found in aws-waf-security-automations' WebACL
    /// template (`OversizeHandling:` over a comment over `!If [...]`), which fmt refused.
    @Test(arguments: [
        ("Resources:\n  A:\n    Type:\n      # between the key and its value\n      AWS::SNS::Topic\n",
         "Resources:\n  A:\n    # between the key and its value\n    Type: AWS::SNS::Topic\n"),
        ("L:\n- Body:\n    OversizeHandling:\n      # Select the option\n      !If [C, 'CONTINUE',\n        'MATCH']\n  Other: 1\n",
         "L:\n- Body:\n    # Select the option\n    OversizeHandling: !If [C, CONTINUE, MATCH]\n  Other: 1\n"),
        ("L:\n- Name: # after the key\n    # above the value\n    x\n",
         "L:\n# above the value\n- Name: x # after the key\n"),
    ])
    func commentsBetweenKeyAndValueGoAboveTheKey(source: String, expected: String) throws {
        let outcome = format(source)
        let once = try #require(outcome.canonical, "\(outcome.diagnostics.map(\.text))")
        #expect(String(decoding: once, as: UTF8.self) == expected)
        #expect(FormatJob.run(bytes: once, path: "t.yaml").canonical == once)
    }

    @Test(arguments: [
        ("comment-in-flow.yaml", "5:34", "inside a flow collection"),
    ])
    func unplaceableCommentsAreRefusedWhereTheyAre(name: String, place: String, reason: String) {
        let outcome = FormatJob.run(path: Repository.fixture("fmt/" + name))
        #expect(outcome.canonical == nil)
        let diagnostic = outcome.diagnostics.first
        #expect(diagnostic?.ruleID == FormatDiagnosticID.comment)
        #expect(diagnostic?.location.description == place)
        #expect(diagnostic?.message.contains(reason) == true, "\(diagnostic?.text ?? "")")
    }

    @Test func jsonOutputCountsTheCommentsItDrops() {
        let outcome = FormatJob.run(path: Repository.fixture("seed-004/TapStack.yml"), format: .json)
        #expect(outcome.canonical != nil)
        #expect(outcome.droppedComments == 12)
        #expect(FormatJob.run(path: Repository.fixture("seed-004/TapStack.yml")).droppedComments == 0)
    }

    /// Every template of the shared corpora that has comments: each comment's text is there
    /// after formatting, in the same order wherever the canonical order moves no key (where
    /// it does, comments travel with their keys), and formatting again changes nothing.
    @Test(.enabled(if: Repository.hasCorpora, Comment(rawValue: Repository.noCorpora)))
    func corporaKeepEveryComment() throws {
        let folders = ["/corpus/real-world/templates", "/corpus/cfn-lint/templates"].map { Repository.shared + $0 }
        let files = folders.flatMap { Repository.templates(under: $0) }.filter { !$0.hasSuffix(".json") }
        try #require(files.count > 500, "the shared corpora are missing from ../shared")
        var withComments = 0, moved = 0, unreadable = 0
        for file in files {
            let outcome = FormatJob.run(path: file)
            let source = (try? texts(outcome.original)) ?? []
            guard !source.isEmpty else { continue }
            withComments += 1
            guard let canonical = outcome.canonical else {
                // Only files that do not read (PS-*) may fail; a comment is never the reason.
                #expect(outcome.diagnostics.allSatisfy { $0.ruleID.rawValue.hasPrefix("PS-") }, "\(file): \(outcome.diagnostics.map(\.text))")
                unreadable += 1
                continue
            }
            let kept = try texts(canonical)
            #expect(kept.sorted() == source.sorted(), "\(file): comments lost or changed")
            if let root = TemplateReader.read(outcome.original).root, keyOrder(CanonicalOrder.apply(to: root)) != keyOrder(root) {
                moved += 1
            } else {
                #expect(kept == source, "\(file): comments out of order")
            }
            #expect(FormatJob.run(bytes: canonical, path: file).canonical == canonical, "\(file): not idempotent")
        }
        print("fmt kept the comments of \(withComments - unreadable) corpus templates (\(moved) with keys moved, \(unreadable) unreadable)")
        #expect(withComments > 250)
        #expect(unreadable <= 5)
    }

    /// The sections' order and each resource's attribute order: what the canonical form moves.
    private func keyOrder(_ root: Node) -> [[String]] {
        var orders = [root.objectValue?.keys ?? []]
        for entry in root["Resources"]?.objectValue?.entries ?? [] {
            orders.append(entry.value.objectValue?.keys ?? [])
        }
        return orders
    }

    @Test func scannerFindsOnlyRealComments() throws {
        let source = "a: 'x # no' # yes1\nb: \"# no\"\nc: d#no\nd: [1, # yes2\n  2]\ne: >\n  # no\n  text\n # yes3\n"
        let found = try YAMLCommentScanner.scan(Array(source.utf8))
        #expect(found.map(\.text) == [" yes1", " yes2", " yes3"])
        #expect(found.map(\.mark.description) == ["1:13", "4:8", "9:2"])
        #expect(found.map(\.ownLine) == [false, false, true])
        #expect(found.map(\.inFlow) == [false, true, false])
        // A byte order mark is skipped, as libyaml skips it; LS and NEL break lines as in libyaml.
        let marked = try YAMLCommentScanner.scan(Array("\u{FEFF}# a\r\nb: 1 # c\u{2028}# d\n".utf8))
        #expect(marked.map(\.mark.description) == ["1:1", "2:6", "3:1"])
        #expect(marked.map(\.ownLine) == [true, false, true])
    }

    /// The comments the reader finds while it parses (`fmt` asks for them) are the
    /// scanner's, over texts where events and tokens part ways (properties apart from their
    /// content, directives, flow pairs, empty values, block scalars, a byte order mark) and
    /// over the fixtures and the corpora.
    @Test func readingFindsTheScannersComments() throws {
        let snippets = [
            "a: !Sub # on the tag\n  text # after\nb: &x # anchor\n  c: 1\n",
            "%YAML 1.1 # version\n# between\n--- # start\na: 1\n... # end\n",
            "a: [b: c, # pair\n  d] # after\ne: {f: g, # in\n  h: [i, {j: k}]} # out\n",
            "a: # empty\nb:\n# own\n- 1 # item\n- !t # tag\n  # own line\n  [x]\n",
            "a: !t | # header\n  # text\n  body\nb: >- # folded\n  x\nc: &a !t\n  # between\n  'q # no'\n",
            "\u{FEFF}# a\r\nb: 1 # c\u{2028}# d\n",
            "k: !t\n  - a # x\n  - b\n", "# only a comment\n", "a: 1",
        ]
        var texts = snippets.map { Array($0.utf8) }
        var files = ["fmt", "seed-004", "hostile", "fuzz-regressions", "readme"].flatMap { Repository.templates(under: Repository.fixture($0)) }
        if Repository.hasCorpora {
            files += ["/corpus/real-world/templates", "/corpus/cfn-lint/templates"].flatMap { Repository.templates(under: Repository.shared + $0) }
        }
        texts += files.compactMap { FileManager.default.contents(atPath: $0).map { Array($0) } }
        var compared = 0, withComments = 0
        for (index, text) in texts.enumerated() {
            guard let read = try? YAMLParser.parseKeepingComments(text, into: YAMLNodeBuilder()) else { continue }
            let scanned = try YAMLCommentScanner.scan(text)
            let name = index < snippets.count ? snippets[index] : files[index - snippets.count]
            #expect(read.comments == scanned, "\(name)")
            compared += 1
            if !scanned.isEmpty { withComments += 1 }
        }
        #expect(compared >= snippets.count && withComments >= 8)
    }
}
