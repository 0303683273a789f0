import FormworkYAML

/// How much a finding matters. Raw values are what text and JSON reports print.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable, Codable {
    case error, warning, info

    private var rank: Int {
        switch self {
        case .error: return 2
        case .warning: return 1
        case .info: return 0
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One step of a logical path from the template root: a key or an array index.
public enum PathComponent: Sendable, Hashable, CustomStringConvertible {
    case key(String)
    case index(Int)

    public var description: String {
        switch self {
        case .key(let key): return key
        case .index(let index): return String(index)
        }
    }
}

extension Node {
    /// The value at a logical path below this one (keys of mappings, indexes of lists), or nil
    /// where the path leaves the value.
    public func value(at path: [PathComponent]) -> Node? {
        var current = self
        for component in path {
            switch component {
            case .key(let key): guard let next = current.objectValue?[key] else { return nil }; current = next
            case .index(let index): guard let items = current.arrayValue, items.indices.contains(index) else { return nil }; current = items[index]
            }
        }
        return current
    }
}

/// The place of a value read from a deployment's parameters file (`lint --parameter-file`).
package struct DeploymentValuePlace: Sendable, Hashable {
    package var file: String
    package var location: Location

    package init(file: String, location: Location) {
        self.file = file
        self.location = location
    }
}

/// The one diagnostic type every stage reports with: parser, validation, linter, diff.
/// Text form, compiler style: `file:line:col: error: message [ID]`.
public struct Diagnostic: Sendable, Hashable {
    public struct Note: Sendable, Hashable {
        public var message: String
        public var location: Location
        /// The note's file when it is not the diagnostic's (a value from a parameters file).
        public var file: String?

        public init(_ message: String, at location: Location, file: String? = nil) {
            self.message = message
            self.location = location
            self.file = file
        }
    }

    public var ruleID: RuleID
    public var severity: Severity
    public var message: String
    public var file: String?
    public var location: Location
    public var path: [PathComponent]
    public var hint: String?
    public var notes: [Note]
    /// The compliance controls the finding evidences, when a pack was asked for (`lint --pack
    /// nist-800-53-r5`): `nist-800-53-r5/AC-3`.
    public var controls: [String] = []
    /// The value of a deployment's parameters file the finding judged (a rule gives it with
    /// the candidate's ``DeploymentValuePlace``): the linter moves the finding there.
    package var deploymentValue: DeploymentValuePlace?

    public init(ruleID: RuleID, severity: Severity = .error, message: String, file: String? = nil,
                location: Location = .none, path: [PathComponent] = [], hint: String? = nil, notes: [Note] = []) {
        self.ruleID = ruleID
        self.severity = severity
        self.message = message
        self.file = file
        self.location = location
        self.path = path
        self.hint = hint
        self.notes = notes
    }

    /// `file:line:col: severity: message [ID]`, then one indented line per note and hint.
    /// Everything that comes from a template or a file is made printable, so that one
    /// finding is always its own lines.
    public var text: String {
        var lines = ["\(place(location)): \(severity.rawValue): \(message.printable) [\(ruleID.rawValue.printable)]"]
        for note in notes {
            lines.append("\(place(note.location, in: note.file)): note: \(note.message.printable)")
        }
        if let hint {
            lines.append("  hint: \(hint.printable)")
        }
        if !controls.isEmpty {
            lines.append("  controls: \(controls.joined(separator: ", ").printable)")
        }
        return lines.joined(separator: "\n")
    }

    private func place(_ location: Location, in other: String? = nil) -> String {
        let name = (other ?? file ?? "<input>").printable
        guard location.isKnown else { return name }
        return "\(name):\(location.line):\(location.column)"
    }

    /// Orders diagnostics by file, line, column, then rule id, for stable reports.
    public static func reportOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        let fa = a.file ?? "", fb = b.file ?? ""
        if fa != fb { return fa < fb }
        if a.location != b.location { return a.location < b.location }
        if a.ruleID != b.ruleID { return a.ruleID < b.ruleID }
        return a.message < b.message
    }

    /// The same comparisons on diagnostics in place: a diagnostic passed by value was copied
    /// (a dozen references retained and released) for each comparison of a sort.
    static func reportOrder(_ a: UnsafePointer<Diagnostic>, _ b: UnsafePointer<Diagnostic>) -> Bool {
        let fa = a.pointee.file ?? "", fb = b.pointee.file ?? ""
        if fa != fb { return fa < fb }
        if a.pointee.location != b.pointee.location { return a.pointee.location < b.pointee.location }
        if a.pointee.ruleID != b.pointee.ruleID { return a.pointee.ruleID < b.pointee.ruleID }
        return a.pointee.message < b.pointee.message
    }
}

extension Array where Element == Diagnostic {
    /// The diagnostics in ``Diagnostic/reportOrder``, as `sorted(by:)` orders them (the same
    /// comparisons, so the same order): the sort moves positions, not diagnostics of a dozen
    /// references each.
    public func sortedForReport() -> [Diagnostic] {
        withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return [] }
            return all.indices.sorted { Diagnostic.reportOrder(base + $0, base + $1) }.map { all[$0] }
        }
    }
}

/// Ids of the diagnostics that reading a file can produce (the `PS` family).
public enum ReadDiagnosticID {
    /// The file could not be opened or read.
    public static let io: RuleID = "PS-00"
    /// Not well-formed YAML or JSON.
    public static let syntax: RuleID = "PS-01"
    /// The same key twice in one mapping.
    public static let duplicateKey: RuleID = "PS-02"
    /// Aliases would expand past the limit (alias bomb).
    public static let aliasExpansion: RuleID = "PS-03"
    /// Nesting deeper than the limit.
    public static let depth: RuleID = "PS-04"
    /// File larger than the limit.
    public static let size: RuleID = "PS-05"
    /// Invalid UTF-8 or a character YAML and JSON forbid.
    public static let encoding: RuleID = "PS-06"
    /// The root is not a mapping.
    public static let rootNotMapping: RuleID = "PS-07"
    /// More than one YAML document.
    public static let multipleDocuments: RuleID = "PS-08"
    /// A mapping key that is a sequence or mapping.
    public static let complexKey: RuleID = "PS-09"
    /// The file holds no document.
    public static let empty: RuleID = "PS-10"
    /// A tag whose value cannot be read (`!!int abc`, `!!binary`, ...).
    public static let tag: RuleID = "PS-11"
}

/// A string compared and hashed by its UTF-8 bytes (the reader's own key type): every stage
/// above the template layer compares keys this way without importing the YAML reader.
public typealias ScalarKey = FormworkYAML.ScalarKey

/// The lines of a text as the reader counts them (`\n`, `\r\n`, a lone `\r`, and for YAML
/// NEL and the Unicode separators): one index for the reader's marks, the server's positions,
/// edits and formatting ranges, reached through the template layer.
public typealias LineIndex = FormworkYAML.LineIndex
