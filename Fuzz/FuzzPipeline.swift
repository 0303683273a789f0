// libFuzzer entry point (`make fuzz`): the readers, the canonical writers, the rules, every
// reporter and the diff. A finding is a crash, a hang, an out-of-memory, or one of these
// invariants failing:
// - whatever is refused is refused with located diagnostics;
// - whatever reads formats in both syntaxes, and canonical output is a fixed point;
// - every finding of every rule is located, and the reports are deterministic;
// - no report carries a raw control character (text, GitHub) or a character XML forbids
//   (JUnit), and none prints a NoEcho parameter's value;
// - the diff of a template against itself finds no difference, and against a base template
//   it completes with every report rendered;
// - the language server, given the bytes as a document, answers every request at every
//   kind of position, and an edit keeps it answering;
// - the language server, given the bytes as its wire (framed, or after a valid header),
//   answers only with JSON-RPC responses or errors (no crash, no notification answered);
// - the line index agrees with itself: every offset's place maps back to that offset, in
//   YAML's and LSP's line breaks.
import FormworkDiff
import FormworkLanguageServer
import FormworkRuleKit
import FormworkRules
import FormworkSchemaData
import FormworkTemplate
import Foundation
import FormworkYAML

private let limits = ParseLimits(maxBytes: 1 << 20, maxDepth: 256, maxAliasExpansion: 100_000)

/// The template the diff compares against (deployed side), read once.
private let baseText = """
    Parameters:
      Name: {Type: String, Default: alerts}
    Resources:
      Topic:
        Type: AWS::SNS::Topic
        Properties: {TopicName: !Ref Name}
      Queue:
        Type: AWS::SQS::Queue
        DeletionPolicy: Delete
      Database:
        Type: AWS::RDS::DBInstance
        Properties: {DBInstanceClass: db.t3.micro, Engine: postgres, MultiAZ: true}
    Outputs:
      TopicArn: {Value: !Ref Topic, Export: {Name: topic}}
    """
private let base: Template = TemplateReader.read(Array(baseText.utf8), file: "base.yaml").template!

private let linter = Linter(registry: .shared)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    // Which later stages run is decided by the input's length, so that corpus files stay
    // whole templates (a consumed first byte would break every seed).
    let selector = UInt8(truncatingIfNeeded: size)
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The editor's requests reparse the document: only inputs of a mutated size (the seed
    // corpus holds 100 KB templates) go through the language server.
    if selector & 4 == 0, size <= 4096 { serve(bytes) }
    if size <= 4096 { wire(bytes) }
    if size <= 4096 { lines(bytes) }
    for name in ["fuzz.yaml", "fuzz.json"] {
        let result = TemplateReader.read(bytes, file: name, limits: limits, requireMapping: false)
        guard let root = result.root else {
            precondition(!result.diagnostics.isEmpty, "refused without a diagnostic")
            for diagnostic in result.diagnostics {
                precondition(diagnostic.location.isKnown, "unlocated diagnostic: \(diagnostic.text)")
            }
            if selector & 2 == 0 { checkReports([LintReport.FileResult(file: name, diagnostics: result.diagnostics)], secrets: []) }
            continue
        }
        // Both readers must accept or refuse; the writers run on the YAML reader's tree (the
        // JSON reader's is the same data, which the decode-agreement oracle checks).
        guard name == "fuzz.yaml" else { continue }
        for format in SourceFormat.allCases {
            let once: [UInt8]
            do {
                once = try Formatter.canonical(root, as: format)
            } catch {
                fatalError("readable input did not format as \(format): \(error)")
            }
            // The self-check proved the output reads back; the fixed point on one input in two.
            guard selector & 8 != 0 else { continue }
            guard let again = TemplateReader.read(once, limits: .selfCheck, requireMapping: false).root else {
                fatalError("canonical \(format) does not read back")
            }
            let twice = try? Formatter.canonical(again, as: format)
            precondition(twice == once, "canonical \(format) is not a fixed point")
        }
        // The later stages on templates (a mapping root), once per input: the rules and the
        // reporters on one input in two, the diff on one in four (the rate stays high enough
        // for the readers to be searched deeply as well).
        guard name == "fuzz.yaml", selector & 1 == 0, let template = Template(root: root) else { continue }
        let profile: Profile = selector & 16 == 0 ? .structural : .ephemeral
        let findings = linter.lint(template, file: name, configuration: profile)
        for finding in findings {
            precondition(finding.location.isKnown, "unlocated finding: \(finding.text)")
        }
        if selector & 4 != 0 {
            let again = linter.lint(template, file: name, configuration: profile)
            precondition(again == findings, "two lints of the same template differ")
        }
        // A NoEcho value that also stands elsewhere in the template ("wordpress" as a name
        // too) may rightly appear; the others must never.
        let text = String(decoding: bytes, as: UTF8.self)
        // Short secrets are words a report may hold for other reasons ("ance" in "instance"):
        // the invariant is checked for secrets of 8 characters or more, found nowhere else.
        let secrets = Secrets.values(in: template).filter {
            $0.utf8.count >= 8 && text.components(separatedBy: $0).count == 2 && !baseText.contains($0)
        }
        if selector & 2 == 0 || !secrets.isEmpty { checkReports([LintReport.FileResult(file: name, diagnostics: findings)], secrets: secrets) }
        if selector & 2 == 0 {
            let same = TemplateDiff(local: template, deployed: DeployedStack(template: template), registry: .shared).run()
            precondition(!same.hasDifferences, "a template differs from itself: \(DiffReports.text(same, colour: false))")
            for (local, deployed) in [(template, base), (base, template)] {
                let report = TemplateDiff(local: local, deployed: DeployedStack(template: deployed), registry: .shared).run()
                for text in [DiffReports.text(report, colour: false), DiffReports.markdown(report), String(decoding: JSONWriter.write(DiffReports.json(report)), as: UTF8.self)] {
                    for secret in secrets {
                        precondition(!text.contains(secret), "the diff printed a NoEcho value")
                    }
                }
            }
        }
    }
    return 0
}

/// The bytes as an editor's document: opened, asked at positions spread over it, edited.
private func serve(_ bytes: [UInt8]) {
    let session = LanguageServerSession(profiles: .builtIn, registry: .shared)
    func message(_ method: String, id: Int?, _ params: Node) -> Node {
        var map = ObjectMap()
        map.set("jsonrpc", .string("2.0"))
        if let id { map.set("id", .number(String(id))) }
        map.set("method", .string(method))
        map.set("params", params)
        return .object(map)
    }
    let uri = "file:///tmp/formwork-fuzz/fuzz.yaml"
    let document = Node.object(ObjectMap(["uri": .string(uri)]))
    let text = String(decoding: bytes, as: UTF8.self)
    _ = session.receive(message("initialize", id: 1, .object(ObjectMap(["capabilities": .object(ObjectMap())]))))
    _ = session.receive(message("textDocument/didOpen", id: nil, .object(ObjectMap(["textDocument": .object(ObjectMap([
        "uri": .string(uri), "languageId": .string("yaml"), "version": .number("1"), "text": .string(text)]))]))))
    let published = session.publishPending()
    let diagnostics = published.first?["params"]?["diagnostics"] ?? .array([])
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var id = 10
    for (index, line) in lines.enumerated() where index % max(1, lines.count / 8) == 0 {
        for character in [0, line.utf16.count / 2, line.utf16.count, line.utf16.count + 3] {
            let position = Node.object(ObjectMap(["line": .number(String(index)), "character": .number(String(character))]))
            for method in ["textDocument/hover", "textDocument/completion", "textDocument/definition", "textDocument/references"] {
                id += 1
                let replies = session.receive(message(method, id: id, .object(ObjectMap(["textDocument": document, "position": position,
                    "context": .object(ObjectMap(["includeDeclaration": .bool(true)]))]))))
                precondition(replies.last?["id"]?.intValue == id, "\(method) went unanswered")
            }
        }
    }
    for method in ["textDocument/documentSymbol", "textDocument/formatting"] {
        id += 1
        precondition(session.receive(message(method, id: id, .object(ObjectMap(["textDocument": document])))).last?["id"]?.intValue == id, "\(method) went unanswered")
    }
    id += 1
    let whole = Node.object(ObjectMap(["start": .object(ObjectMap(["line": .number("0"), "character": .number("0")])),
                                       "end": .object(ObjectMap(["line": .number(String(lines.count)), "character": .number("0")]))]))
    _ = session.receive(message("textDocument/codeAction", id: id, .object(ObjectMap(["textDocument": document, "range": whole,
        "context": .object(ObjectMap(["diagnostics": diagnostics]))]))))
    // An edit in the middle (a character removed, one typed), then the whole text replaced.
    let middle = Node.object(ObjectMap(["line": .number(String(lines.count / 2)), "character": .number("1")]))
    let after = Node.object(ObjectMap(["line": .number(String(lines.count / 2)), "character": .number("2")]))
    _ = session.receive(message("textDocument/didChange", id: nil, .object(ObjectMap([
        "textDocument": .object(ObjectMap(["uri": .string(uri), "version": .number("2")])),
        "contentChanges": .array([.object(ObjectMap(["range": .object(ObjectMap(["start": middle, "end": after])), "text": .string(":")]))])]))))
    _ = session.publishPending()
    _ = session.receive(message("textDocument/didChange", id: nil, .object(ObjectMap([
        "textDocument": .object(ObjectMap(["uri": .string(uri), "version": .number("3")])),
        "contentChanges": .array([.object(ObjectMap(["text": .string(String(text.prefix(text.count / 2)))]))])]))))
    _ = session.publishPending()
}

/// The bytes as what arrives on the server's standard input: raw, and as one message's body.
private func wire(_ bytes: [UInt8]) {
    let session = LanguageServerSession(profiles: .builtIn, registry: .shared)
    let initialize = Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}".utf8)
    let framed = Array("Content-Length: \(bytes.count)\r\n\r\n".utf8) + bytes
    for input in [bytes, Array("Content-Length: \(initialize.count)\r\n\r\n".utf8) + initialize + framed] {
        for reply in session.receive(wire: input) {
            precondition(reply["jsonrpc"]?.stringValue == "2.0", "a reply without jsonrpc 2.0")
            if reply["method"] != nil { continue }  // a notification of ours (diagnostics)
            precondition(reply["id"] != nil && (reply["result"] != nil) != (reply["error"] != nil), "not a JSON-RPC response: \(reply)")
            if let code = reply["error"]?["code"]?.intValue { precondition(code < 0, "error code \(code)") }
        }
    }
}

/// Every scalar offset's place maps back to it, whatever the line breaks.
private func lines(_ bytes: [UInt8]) {
    for breaks in [LineIndex.Breaks.yaml, .lsp] {
        let index = LineIndex(bytes: bytes, breaks: breaks)
        precondition(index.starts.count == index.ends.count && index.starts.first == 0, "line index shape")
        for offset in stride(from: 0, through: index.scalars.count, by: max(1, index.scalars.count / 64)) {
            let place = index.place(ofOffset: offset)
            let line = index.lineIndex(ofOffset: offset)
            // An offset inside a line break maps to the line's end.
            let expected = min(offset, index.ends[line])
            precondition(index.offset(line: place.line, column: place.column) == expected, "place of \(offset) does not map back")
            let position = index.utf16Position(ofOffset: offset)
            precondition(index.offset(utf16: position) == expected, "UTF-16 position of \(offset) does not map back")
        }
    }
}

private func checkReports(_ files: [LintReport.FileResult], secrets: [String]) {
    let report = LintReport(files: files, skipped: 0)
    let text = LintReporters.text(report)
    let github = LintReporters.github(report)
    let junit = LintReporters.junit(report)
    let json = String(decoding: LintReporters.json(report), as: UTF8.self)
    let sarif = String(decoding: LintReporters.sarif(report, version: "fuzz"), as: UTF8.self)
    for (name, output) in [("text", text), ("github", github)] {
        for scalar in output.unicodeScalars where scalar.value < 0x20 && scalar != "\n" && scalar != "\t" || scalar.value == 0x1B {
            fatalError("the \(name) report carries the control character U+\(String(scalar.value, radix: 16))")
        }
    }
    for line in github.split(separator: "\n") where !line.hasPrefix("::") {
        fatalError("a GitHub annotation was split: \(line)")
    }
    for scalar in junit.unicodeScalars where (scalar.value < 0x20 && scalar != "\n") || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
        fatalError("the JUnit report carries U+\(String(scalar.value, radix: 16)), which XML forbids")
    }
    for secret in secrets {
        for output in [text, github, junit, json, sarif] where output.contains(secret) {
            fatalError("a report printed a NoEcho value")
        }
    }
}

// SwiftPM links an executable's entry point as `<module>_main`; hand control to libFuzzer's
// driver from there, so the target builds with the package's ordinary build.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

@_cdecl("formwork_fuzz_main")
public func formworkFuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
