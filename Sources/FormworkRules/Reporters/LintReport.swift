import FormworkTemplate

/// The result of linting some files: findings per file, and what was skipped.
public struct LintReport: Sendable {
    public struct FileResult: Sendable {
        public var file: String
        public var diagnostics: [Diagnostic]

        public init(file: String, diagnostics: [Diagnostic]) {
            self.file = file
            self.diagnostics = diagnostics
        }
    }

    public var files: [FileResult]
    /// Files under the given folders that are not templates (manifests, configs).
    public var skipped: Int

    public init(files: [FileResult], skipped: Int) {
        self.files = files
        self.skipped = skipped
    }

    public var diagnostics: [Diagnostic] { files.flatMap(\.diagnostics).sorted(by: Diagnostic.reportOrder) }

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
    public static func text(_ report: LintReport) -> String {
        var lines = report.diagnostics.map(\.text)
        let counts = Dictionary(grouping: report.diagnostics, by: \.severity).mapValues(\.count)
        lines.append("\(report.files.count) file\(report.files.count == 1 ? "" : "s") linted, \(report.skipped) skipped: \(counts[.error] ?? 0) errors, \(counts[.warning] ?? 0) warnings, \(counts[.info] ?? 0) informational")
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ report: LintReport) -> [UInt8] {
        JSONWriter.write(.array(report.diagnostics.map(findingValue)))
    }

    static func findingValue(_ diagnostic: Diagnostic) -> Node {
        var map = ObjectMap()
        map.set("rule", .string(diagnostic.ruleID))
        map.set("severity", .string(diagnostic.severity.rawValue))
        map.set("message", .string(diagnostic.message))
        map.set("file", .string(diagnostic.file ?? ""))
        map.set("line", .number(String(diagnostic.location.line)))
        map.set("column", .number(String(diagnostic.location.column)))
        map.set("path", .array(diagnostic.path.map { component -> Node in
            switch component {
            case .key(let key): return .string(key)
            case .index(let index): return .number(String(index))
            }
        }))
        if let hint = diagnostic.hint { map.set("hint", .string(hint)) }
        return .object(map)
    }

    /// SARIF 2.1.0 with the rules' metadata and each finding's region.
    public static func sarif(_ report: LintReport, version: String) -> [UInt8] {
        let used = Set(report.diagnostics.map(\.ruleID))
        var rules: [Node] = []
        for rule in RuleRegistry.all.map({ $0.description }) where used.contains(rule.id) {
            var map = ObjectMap()
            map.set("id", .string(rule.id))
            map.set("name", .string(rule.name))
            map.set("shortDescription", .object(ObjectMap(["text": .string(rule.name)])))
            map.set("fullDescription", .object(ObjectMap(["text": .string(rule.rationale)])))
            map.set("defaultConfiguration", .object(ObjectMap(["level": .string(level(rule.severity))])))
            map.set("properties", .object(ObjectMap(["family": .string(rule.family), "cfnLint": .array(rule.cfnLint.map { .string($0) })])))
            rules.append(.object(map))
        }
        for id in used.subtracting(RuleRegistry.all.map { $0.description.id }).sorted() {
            rules.append(.object(ObjectMap(["id": .string(id), "shortDescription": .object(ObjectMap(["text": .string(id)]))])))
        }
        let results: [Node] = report.diagnostics.map { diagnostic in
            var region = ObjectMap()
            region.set("startLine", .number(String(max(diagnostic.location.line, 1))))
            region.set("startColumn", .number(String(max(diagnostic.location.column, 1))))
            var physical = ObjectMap()
            physical.set("artifactLocation", .object(ObjectMap(["uri": .string(diagnostic.file ?? "")])))
            physical.set("region", .object(region))
            var result = ObjectMap()
            result.set("ruleId", .string(diagnostic.ruleID))
            result.set("level", .string(level(diagnostic.severity)))
            result.set("message", .object(ObjectMap(["text": .string(diagnostic.message)])))
            result.set("locations", .array([.object(ObjectMap(["physicalLocation": .object(physical)]))]))
            result.set("properties", .object(ObjectMap(["path": .string(diagnostic.path.map(\.description).joined(separator: "/"))])))
            return .object(result)
        }
        var driver = ObjectMap()
        driver.set("name", .string("formwork"))
        driver.set("version", .string(version))
        driver.set("informationUri", .string("https://github.com/formwork/formwork"))
        driver.set("rules", .array(rules))
        var run = ObjectMap()
        run.set("tool", .object(ObjectMap(["driver": .object(driver)])))
        run.set("results", .array(results))
        var root = ObjectMap()
        root.set("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json"))
        root.set("version", .string("2.1.0"))
        root.set("runs", .array([.object(run)]))
        return JSONWriter.write(.object(root))
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
            return "::\(command) file=\(file),line=\(diagnostic.location.line),col=\(diagnostic.location.column),title=\(escapeProperty(diagnostic.ruleID))::\(escapeData(diagnostic.message))"
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

    /// JUnit XML: one test suite per file, one failing test case per finding (a file with
    /// no findings is one passing case).
    public static func junit(_ report: LintReport) -> String {
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
        let total = report.files.reduce(0) { $0 + max($1.diagnostics.count, 1) }
        let failures = report.diagnostics.count
        lines.append("<testsuites name=\"formwork lint\" tests=\"\(total)\" failures=\"\(failures)\">")
        for file in report.files.sorted(by: { $0.file < $1.file }) {
            let findings = file.diagnostics.sorted(by: Diagnostic.reportOrder)
            lines.append("  <testsuite name=\"\(xml(file.file))\" tests=\"\(max(findings.count, 1))\" failures=\"\(findings.count)\">")
            if findings.isEmpty {
                lines.append("    <testcase classname=\"\(xml(file.file))\" name=\"lints clean\"/>")
            }
            for diagnostic in findings {
                lines.append("    <testcase classname=\"\(xml(file.file))\" name=\"\(xml(diagnostic.ruleID)) at \(diagnostic.location.line):\(diagnostic.location.column)\">")
                lines.append("      <failure type=\"\(diagnostic.severity.rawValue)\" message=\"\(xml(diagnostic.message))\">\(xml(diagnostic.text))</failure>")
                lines.append("    </testcase>")
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

