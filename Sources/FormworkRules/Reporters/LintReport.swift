import FormworkTemplate

/// The result of linting some files: findings per file, and what was skipped.
public struct LintReport: Sendable {
    public struct FileResult: Sendable {
        public var file: String
        public var diagnostics: [Diagnostic]
        /// Linted under the house conventions only because nothing chose otherwise: no
        /// `--profile`, no profile in the template's Metadata, no `.formwork.yml`.
        public var houseDefaults = false

        public init(file: String, diagnostics: [Diagnostic]) {
            self.file = file
            self.diagnostics = diagnostics
        }
    }

    /// A build folder lint did not enter, and the candidate files in it.
    public struct FolderSkip: Sendable, Equatable {
        public var folder: String
        public var files: Int
    }

    public var files: [FileResult]
    /// Files under the given folders that are not templates (manifests, configs), and the
    /// candidate files in build folders not entered (`notEntered`).
    public var skipped: Int
    /// Build folders (build/, cdk.out/, .aws-sam/) not entered, with their candidate files.
    public var notEntered: [FolderSkip] = []

    public init(files: [FileResult], skipped: Int) {
        self.files = files
        self.skipped = skipped
    }

    public var diagnostics: [Diagnostic] { files.flatMap(\.diagnostics).sortedForReport() }

    /// cfn-lint's exit bitmask: 2 errors, 4 warnings, 8 informational, or-ed; only
    /// severities at or above `failOn` count.
    public func exitCode(failOn: Severity) -> Int32 {
        var code: Int32 = 0
        for diagnostic in diagnostics where diagnostic.severity >= failOn {
            switch diagnostic.severity {
            case .error: code |= 2
            case .warning: code |= 4
            case .info: code |= 8
            }
        }
        return code
    }
}

/// Renders a lint report in the formats CI systems read. All deterministic.
public enum LintReporters {
    /// Compiler-style lines and a summary; `quiet` leaves out the summary (nothing at all
    /// for a clean run).
    public static func text(_ report: LintReport, quiet: Bool = false) -> String {
        // The findings gathered from the files once (`diagnostics` is computed).
        let diagnostics = report.diagnostics
        var lines = diagnostics.map(\.text)
        if quiet { return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n" }
        var counts: [Severity: Int] = [:]
        for diagnostic in diagnostics { counts[diagnostic.severity, default: 0] += 1 }
        var skipped = "\(report.skipped) skipped"
        if !report.notEntered.isEmpty {
            let files = report.notEntered.reduce(0) { $0 + $1.files }
            skipped += " (\(files) in build folders, not linted: \(report.notEntered.map { "\($0.folder)/" }.joined(separator: ", ")))"
        }
        lines += byRule(diagnostics)
        lines.append("\(Count.of(report.files.count, "file")) linted, \(skipped): \(Count.of(counts[.error] ?? 0, "error")), \(Count.of(counts[.warning] ?? 0, "warning")), \(counts[.info] ?? 0) informational")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Past this many findings the text summary adds a count per rule, most frequent first.
    public static let byRuleThreshold = 20
    /// How many rules that count shows.
    static let byRuleShown = 10

    /// The findings per rule when there are many, so that a flood reads as its few causes
    /// (`TG-01  1,942  error`); nothing for fewer than `byRuleThreshold` findings.
    static func byRule(_ diagnostics: [Diagnostic]) -> [String] {
        guard diagnostics.count > byRuleThreshold else { return [] }
        var counts: [RuleID: (count: Int, severity: Severity)] = [:]
        for diagnostic in diagnostics {
            let known = counts[diagnostic.ruleID]
            counts[diagnostic.ruleID] = ((known?.count ?? 0) + 1, max(known?.severity ?? diagnostic.severity, diagnostic.severity))
        }
        let ranked = counts.sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key.rawValue < $1.key.rawValue }
        let shown = ranked.prefix(byRuleShown)
        let idWidth = shown.map { $0.key.rawValue.count }.max() ?? 0
        let countWidth = shown.map { Count.grouped($0.value.count).count }.max() ?? 0
        var lines = ["findings by rule (most frequent first; `formwork explain ID` says why a rule exists):"]
        for (id, entry) in shown {
            let count = Count.grouped(entry.count)
            lines.append("  " + id.rawValue + String(repeating: " ", count: idWidth - id.rawValue.count) + "  "
                         + String(repeating: " ", count: countWidth - count.count) + count + "  " + entry.severity.rawValue)
        }
        if ranked.count > shown.count {
            let rest = ranked.dropFirst(shown.count)
            let findings = rest.reduce(0) { $0 + $1.value.count }
            lines.append("  and \(Count.of(rest.count, "more rule")) with \(Count.grouped(findings)) finding\(findings == 1 ? "" : "s")")
        }
        return lines
    }

    public static func json(_ report: LintReport) -> [UInt8] {
        // Written straight from the findings, the bytes `JSONWriter` writes of their tree
        // (2-space indent, keys in this order): a corpus's report holds thousands of
        // findings, and a tree of each cost as much as writing it.
        let findings = report.diagnostics
        guard !findings.isEmpty else { return Array("[]\n".utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(findings.count * 512)
        out.append(UInt8(ascii: "["))
        for (offset, diagnostic) in findings.enumerated() {
            out += offset == 0 ? JSONFields.first : JSONFields.next
            JSONWriter.writeString(diagnostic.ruleID.rawValue, &out)
            out += JSONFields.severity
            JSONWriter.writeString(diagnostic.severity.rawValue, &out)
            out += JSONFields.message
            JSONWriter.writeString(diagnostic.message, &out)
            out += JSONFields.file
            JSONWriter.writeString(diagnostic.file ?? "", &out)
            out += JSONFields.line
            decimal(diagnostic.location.line, &out)
            out += JSONFields.column
            decimal(diagnostic.location.column, &out)
            out += JSONFields.path
            list(diagnostic.path, &out) { component, out in
                switch component {
                case .key(let key): JSONWriter.writeString(key, &out)
                case .index(let index): decimal(index, &out)
                }
            }
            if let hint = diagnostic.hint {
                out += JSONFields.hint
                JSONWriter.writeString(hint, &out)
            }
            if !diagnostic.controls.isEmpty {
                out += JSONFields.controls
                list(diagnostic.controls, &out) { control, out in JSONWriter.writeString(control, &out) }
            }
            out += JSONFields.end
        }
        out.append(contentsOf: "\n]\n".utf8)
        return out
    }

    /// The bytes between a finding's values, made once (appending a short string's UTF-8
    /// view costs more than the bytes it adds).
    private enum JSONFields {
        static let first = Array("\n  {\n    \"rule\": ".utf8)
        static let next = Array(",\n  {\n    \"rule\": ".utf8)
        static let severity = field("severity"), message = field("message"), file = field("file"), line = field("line"), column = field("column")
        static let path = field("path"), hint = field("hint"), controls = field("controls")
        static let end = Array("\n  }".utf8)
        static let item = Array("\n      ".utf8)
        static let listEnd = Array("\n    ]".utf8)

        private static func field(_ key: String) -> [UInt8] { Array(",\n    \"\(key)\": ".utf8) }
    }

    /// A number's decimal digits (what `String(number)` spells).
    private static func decimal(_ number: Int, _ out: inout [UInt8]) {
        guard number >= 0 else { return out.append(contentsOf: String(number).utf8) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count, rest = number
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// A list inside a finding: one item a line, or `[]`.
    private static func list<Item>(_ items: [Item], _ out: inout [UInt8], _ write: (Item, inout [UInt8]) -> Void) {
        guard !items.isEmpty else { return out.append(contentsOf: "[]".utf8) }
        out.append(UInt8(ascii: "["))
        for (offset, item) in items.enumerated() {
            if offset > 0 { out.append(UInt8(ascii: ",")) }
            out += JSONFields.item
            write(item, &out)
        }
        out += JSONFields.listEnd
    }

    /// SARIF 2.1.0 as GitHub code scanning takes it: see `SARIFReport`.
    public static func sarif(_ report: LintReport, version: String, exitCode: Int32 = 0, root: String? = nil) -> [UInt8] {
        SARIFReport(report: report, version: version, exitCode: exitCode, root: root).bytes
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "note"
        }
    }

    /// GitHub Actions workflow commands (`::error file=...,line=...,col=...::message`).
    public static func github(_ report: LintReport) -> String {
        report.diagnostics.map { diagnostic in
            let command = diagnostic.severity == .info ? "notice" : diagnostic.severity.rawValue
            let file = escapeProperty(diagnostic.file ?? "")
            return "::\(command) file=\(file),line=\(diagnostic.location.line),col=\(diagnostic.location.column),title=\(escapeProperty(diagnostic.ruleID.rawValue))::\(escapeData(diagnostic.message))"
        }.joined(separator: "\n") + (report.diagnostics.isEmpty ? "" : "\n")
    }

    /// Workflow-command escaping by Unicode scalars (`\r\n` is one Character in Swift), after
    /// the other controls are made printable: nothing from a template can end the command.
    static func escapeData(_ text: String) -> String {
        text.replacingScalars(["%": "%25", "\r": "%0D", "\n": "%0A"]).printable
    }

    static func escapeProperty(_ text: String) -> String {
        text.replacingScalars(["%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"]).printable
    }

    /// JUnit XML as Jenkins' xunit schema (junit-10.xsd) wants it: one suite per file, one
    /// case per finding with a unique name. Findings at or above `failOn` are failures (a
    /// file that could not be read is an error); those below it pass, and are kept in the
    /// case's `system-out`, so that the report agrees with the exit code. A file without
    /// findings is one passing case.
    public static func junit(_ report: LintReport, failOn: Severity? = .warning) -> String {
        struct Case { var name: String; var body: [String]; var controls: [String] = [] }
        func counts(_ diagnostic: Diagnostic) -> Bool { failOn.map { diagnostic.severity >= $0 } ?? false }
        func isReadError(_ diagnostic: Diagnostic) -> Bool { diagnostic.ruleID.isReadError }
        var suites: [(name: String, failures: Int, errors: Int, cases: [Case])] = []
        for file in report.files.sorted(by: { $0.file < $1.file }) {
            let findings = file.diagnostics.sortedForReport()
            var cases: [Case] = []
            var used: [String: Int] = [:]
            var failures = 0, errors = 0
            for diagnostic in findings {
                var name = "\(diagnostic.ruleID) at \(diagnostic.location.line):\(diagnostic.location.column)"
                let seen = used[name, default: 0] + 1
                used[name] = seen
                if seen > 1 { name += " (\(seen))" }
                let element: String
                if !counts(diagnostic) {
                    element = "system-out"
                } else if isReadError(diagnostic) {
                    element = "error"
                    errors += 1
                } else {
                    element = "failure"
                    failures += 1
                }
                let body = element == "system-out"
                    ? "      <system-out>\(xml(diagnostic.text))</system-out>"
                    : "      <\(element) type=\"\(diagnostic.severity.rawValue)\" message=\"\(xml(diagnostic.message))\">\(xml(diagnostic.text))</\(element)>"
                cases.append(Case(name: name, body: [body], controls: diagnostic.controls))
            }
            if cases.isEmpty { cases.append(Case(name: "lints clean", body: [])) }
            suites.append((file.file, failures, errors, cases))
        }
        let tests = suites.reduce(0) { $0 + $1.cases.count }
        let failures = suites.reduce(0) { $0 + $1.failures }, errors = suites.reduce(0) { $0 + $1.errors }
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                     "<testsuites name=\"formwork lint\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\">"]
        for suite in suites {
            let name = xml(suite.name)
            lines.append("  <testsuite name=\"\(name)\" tests=\"\(suite.cases.count)\" failures=\"\(suite.failures)\" errors=\"\(suite.errors)\" skipped=\"0\" file=\"\(name)\">")
            // The schema allows properties on suites only: one per case and control (`lint --pack`).
            let controls = suite.cases.flatMap { testCase in testCase.controls.map { (testCase.name, $0) } }
            if !controls.isEmpty {
                lines.append("    <properties>")
                lines += controls.map { "      <property name=\"\(xml($0.0)) control\" value=\"\(xml($0.1))\"/>" }
                lines.append("    </properties>")
            }
            for testCase in suite.cases {
                if testCase.body.isEmpty {
                    lines.append("    <testcase classname=\"\(name)\" name=\"\(xml(testCase.name))\"/>")
                } else {
                    lines.append("    <testcase classname=\"\(name)\" name=\"\(xml(testCase.name))\">")
                    lines += testCase.body
                    lines.append("    </testcase>")
                }
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// XML 1.0 text: markup escaped by scalars, and the scalars XML forbids (controls but
    /// tab, newline and return; U+FFFE, U+FFFF) written as printable escapes.
    static func xml(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result += "&#x\(String(scalar.value, radix: 16));"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}

