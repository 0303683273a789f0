import FormworkRuleKit
import FormworkTemplate


/// SARIF 2.1.0 as GitHub code scanning takes it as is: URIs relative to the repository root
/// (`%SRCROOT%`, declared in `originalUriBaseIds`), percent-encoded; rules with their full
/// description, help built from their examples and a `helpUri`; start and end positions;
/// notes as related locations; a fingerprint that survives lines moving (rule, file,
/// template path, occurrence); the exit state in `invocations`.
struct SARIFReport {
    static let informationURI = "https://github.com/formwork/formwork"
    static let rulesHelpURI = informationURI + "/blob/main/docs/lint.md#formwork-lint-and-formwork-rules"
    static let toolFindingsHelpURI = informationURI + "/blob/main/docs/diagnostics.md#diagnostics-and-limits"

    let report: LintReport
    let version: String
    let exitCode: Int32
    /// The repository root, absolute, ending in `/`.
    let root: String
    private var sources: [String: [[Unicode.Scalar]]] = [:]

    init(report: LintReport, version: String, exitCode: Int32, root: String?) {
        self.report = report
        self.version = version
        self.exitCode = exitCode
        var base = Self.normalised(FileIO.absolutePath(root ?? "."))
        if !base.hasSuffix("/") { base += "/" }
        self.root = base
    }

    var bytes: [UInt8] {
        var this = self
        return JSONWriter.write(this.document())
    }

    private mutating func document() -> Node {
        let diagnostics = report.diagnostics
        let used = Set(diagnostics.map(\.ruleID))
        var rules: [Node] = []
        var ruleIndex: [RuleID: Int] = [:]
        for rule in RuleRegistry.all.map({ $0.description }) where used.contains(rule.id) {
            ruleIndex[rule.id] = rules.count
            rules.append(Self.descriptor(rule))
        }
        for id in used.subtracting(ruleIndex.keys).sorted() {
            ruleIndex[id] = rules.count
            rules.append(Self.descriptor(toolFinding: ToolFindings.finding(id), id: id))
        }
        var occurrences: [String: Int] = [:]
        var results: [Node] = []
        for diagnostic in diagnostics {
            let artifact = artifactLocation(diagnostic.file ?? "-")
            var result = ObjectMap()
            result.set("ruleId", .string(diagnostic.ruleID.rawValue))
            result.set("ruleIndex", .number(String(ruleIndex[diagnostic.ruleID] ?? 0)))
            result.set("level", .string(LintReporters.level(diagnostic.severity)))
            var text = diagnostic.message
            if let hint = diagnostic.hint { text += "\nHint: " + hint }
            result.set("message", .object(ObjectMap(["text": .string(text)])))
            result.set("locations", .array([.object(ObjectMap(["physicalLocation": physicalLocation(artifact, diagnostic.file, diagnostic.location)]))]))
            if !diagnostic.notes.isEmpty {
                result.set("relatedLocations", .array(diagnostic.notes.enumerated().map { index, note in
                    var related = ObjectMap()
                    related.set("id", .number(String(index + 1)))
                    let noteFile = note.file ?? diagnostic.file
                    related.set("physicalLocation", physicalLocation(note.file.map(artifactLocation) ?? artifact, noteFile, note.location))
                    related.set("message", .object(ObjectMap(["text": .string(note.message)])))
                    return .object(related)
                }))
            }
            let templatePath = diagnostic.path.map(\.description).joined(separator: "/")
            let identity = "\(diagnostic.ruleID)|\(artifact["uri"]?.stringValue ?? "")|\(templatePath)"
            let occurrence = occurrences[identity, default: 0]
            occurrences[identity] = occurrence + 1
            result.set("partialFingerprints", .object(ObjectMap(["formwork/v1": .string(Self.fingerprint("\(identity)|\(occurrence)"))])))
            var properties = ObjectMap(["path": .string(templatePath)])
            if !diagnostic.controls.isEmpty { properties.set("tags", .array(diagnostic.controls.map { .string($0) })) }
            result.set("properties", .object(properties))
            results.append(.object(result))
        }
        var driver = ObjectMap()
        driver.set("name", .string("formwork"))
        driver.set("version", .string(version))
        driver.set("semanticVersion", .string(version))
        driver.set("informationUri", .string(Self.informationURI))
        driver.set("rules", .array(rules))
        var invocation = ObjectMap()
        invocation.set("executionSuccessful", .bool(true))
        invocation.set("exitCode", .number(String(exitCode)))
        var run = ObjectMap()
        run.set("tool", .object(ObjectMap(["driver": .object(driver)])))
        run.set("invocations", .array([.object(invocation)]))
        run.set("originalUriBaseIds", .object(ObjectMap(["%SRCROOT%": .object(ObjectMap(["uri": .string("file://" + FileIO.percentEncodedPath(root))]))])))
        run.set("columnKind", .string("unicodeCodePoints"))
        run.set("results", .array(results))
        var root = ObjectMap()
        root.set("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json"))
        root.set("version", .string("2.1.0"))
        root.set("runs", .array([.object(run)]))
        return .object(root)
    }

    static func descriptor(_ rule: RuleDescription) -> Node {
        var map = ObjectMap()
        map.set("id", .string(rule.id.rawValue))
        map.set("name", .string(rule.name))
        map.set("shortDescription", .object(ObjectMap(["text": .string(firstSentence(rule.rationale))])))
        map.set("fullDescription", .object(ObjectMap(["text": .string(rule.rationale)])))
        map.set("help", .object(ObjectMap(["text": .string(RuleDocumentation.detail(rule)), "markdown": .string(helpMarkdown(rule))])))
        map.set("helpUri", .string(rulesHelpURI))
        map.set("defaultConfiguration", .object(ObjectMap(["level": .string(LintReporters.level(rule.severity))])))
        map.set("properties", .object(ObjectMap(["family": .string(rule.family.rawValue), "tags": .array([.string(rule.family.rawValue)]),
                                                  "cfnLint": .array(rule.cfnLint.map { .string($0) })])))
        return .object(map)
    }

    static func descriptor(toolFinding: ToolFinding?, id: RuleID) -> Node {
        var map = ObjectMap()
        map.set("id", .string(id.rawValue))
        let description = toolFinding?.description ?? id.rawValue
        if let toolFinding { map.set("name", .string(toolFinding.name)) }
        map.set("shortDescription", .object(ObjectMap(["text": .string(firstSentence(description))])))
        map.set("fullDescription", .object(ObjectMap(["text": .string(description)])))
        map.set("help", .object(ObjectMap(["text": .string(description), "markdown": .string(description)])))
        map.set("helpUri", .string(toolFindingsHelpURI))
        map.set("defaultConfiguration", .object(ObjectMap(["level": .string(LintReporters.level(toolFinding?.severity ?? .error))])))
        return .object(map)
    }

    static func helpMarkdown(_ rule: RuleDescription) -> String {
        var parts = ["**\(rule.id) \(rule.name)** (\(rule.family), \(rule.severity.rawValue))", rule.rationale]
        if !rule.cfnLint.isEmpty { parts.append("Overlaps cfn-lint: " + rule.cfnLint.joined(separator: ", ")) }
        for (title, examples) in [("Triggers (a ↓ marks each finding):", rule.triggeringExamples), ("Does not trigger:", rule.nonTriggeringExamples)] where !examples.isEmpty {
            parts.append(title)
            for example in examples {
                let fence = String(repeating: "`", count: max(3, longestBacktickRun(example) + 1))
                parts.append(fence + "yaml\n" + (example.hasSuffix("\n") ? example : example + "\n") + fence)
            }
        }
        return parts.joined(separator: "\n\n")
    }

    static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0, current = 0
        for scalar in text.unicodeScalars {
            current = scalar == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }

    static func firstSentence(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        for index in scalars.indices where scalars[index] == "." || scalars[index] == ":" {
            if index + 1 == scalars.count || scalars[index + 1] == " " {
                var sentence = String(String.UnicodeScalarView(scalars[...index]))
                if sentence.hasSuffix(":") { sentence = String(sentence.dropLast()) + "." }
                return sentence
            }
        }
        return text
    }

    // MARK: locations

    /// `uri` relative to `%SRCROOT%` for a file under the root; an absolute `file:` URI else.
    private func artifactLocation(_ file: String) -> ObjectMap {
        if file == "-" { return ObjectMap(["uri": .string("stdin")]) }
        let full = Self.normalised(FileIO.absolutePath(file))
        if full.hasPrefix(root) {
            return ObjectMap(["uri": .string(FileIO.percentEncodedPath(String(full.dropFirst(root.count)))), "uriBaseId": .string("%SRCROOT%")])
        }
        return ObjectMap(["uri": .string("file://" + FileIO.percentEncodedPath(full))])
    }

    private mutating func physicalLocation(_ artifact: ObjectMap, _ file: String?, _ location: Location) -> Node {
        let line = max(location.line, 1), column = max(location.column, 1)
        var region = ObjectMap()
        region.set("startLine", .number(String(line)))
        region.set("startColumn", .number(String(column)))
        region.set("endLine", .number(String(line)))
        region.set("endColumn", .number(String(tokenEnd(file, line: line, column: column))))
        return .object(ObjectMap(["artifactLocation": .object(artifact), "region": .object(region)]))
    }

    /// The column just past the token that starts at `line:column` (`SourceSpan`).
    private mutating func tokenEnd(_ file: String?, line: Int, column: Int) -> Int {
        guard let file, file != "-" else { return column + 1 }
        if sources[file] == nil {
            sources[file] = SourceSpan.lines((try? FileIO.read(file, maxBytes: 64 << 20).get()) ?? [])
        }
        guard let lines = sources[file], line <= lines.count else { return column + 1 }
        return SourceSpan.tokenEnd(lines[line - 1], column: column)
    }

    // MARK: paths

    /// `.` and `..` resolved by name, repeated slashes removed.
    static func normalised(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// FNV-1a, 64 bits, as hex: stable across runs and platforms.
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
