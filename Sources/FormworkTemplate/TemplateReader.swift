import FormworkYAML

/// The syntax a template was written in.
public enum SourceFormat: String, Sendable, CaseIterable {
    case yaml, json
}

/// What reading one template file gave: its root value, or the diagnostics explaining why
/// there is none. Diagnostics always carry a file, a line and a column.
public struct ReadResult: Sendable {
    public var root: Node?
    public var format: SourceFormat
    public var diagnostics: [Diagnostic]
    /// The text read, for rules that point inside a string (a `${!If` in a block scalar).
    public var source: [UInt8]? = nil
    /// The comments of a YAML text, when the reader was asked to keep them (`fmt`).
    package var comments: [YAMLComment] = []

    public var template: Template? {
        guard var template = root.flatMap({ Template(root: $0) }) else { return nil }
        template.source = source
        return template
    }
}

/// Reads YAML or JSON template text into the `Value` model.
///
/// Text whose first non-blank character is `{` is read as JSON (with JSON's own precise
/// errors). A `.json` file must be strict JSON. Any other file that fails as JSON on syntax
/// is tried as YAML, as CloudFormation and cfn-lint do (`{a: 1,}` is a YAML flow mapping),
/// and the JSON error is reported only if YAML fails too. Everything else is YAML.
public enum TemplateReader {
    public static func read(_ bytes: [UInt8], file: String? = nil, limits: ParseLimits = .standard,
                            requireMapping: Bool = true) -> ReadResult {
        var result = read(bytes, file: file, limits: limits, requireMapping: requireMapping, intrinsics: true)
        if result.root != nil { result.source = bytes }
        return result
    }

    /// The same, also finding the comments of a YAML text in the same pass over it.
    package static func readKeepingComments(_ bytes: [UInt8], file: String? = nil, limits: ParseLimits = .standard) -> ReadResult {
        var result = read(bytes, file: file, limits: limits, requireMapping: true, intrinsics: true, comments: true)
        if result.root != nil { result.source = bytes }
        return result
    }

    /// Reads plain JSON data (no intrinsic functions), such as registry schemas.
    public static func readData(_ bytes: [UInt8], file: String? = nil) -> Node? {
        read(bytes, file: file, limits: .standard, requireMapping: false, intrinsics: false).root
    }

    static func read(_ bytes: [UInt8], file: String?, limits: ParseLimits, requireMapping: Bool, intrinsics: Bool, comments: Bool = false) -> ReadResult {
        if bytes.count > limits.maxBytes {
            return failure(file, .yaml, ReadDiagnosticID.size, "the file is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)", Location(line: 1, column: 1))
        }
        return bytes.withUnsafeBufferPointer { buffer in
            if let bad = firstInvalidUTF8Offset(buffer) {
                let at = mark(atOffset: bad, in: buffer)
                return failure(file, .yaml, ReadDiagnosticID.encoding, "invalid UTF-8 (byte 0x\(hexByte(buffer[bad]))); templates must be UTF-8 text", at)
            }
            if looksLikeJSON(buffer) {
                var reader = JSONTemplateReader(bytes: buffer, limits: limits)
                reader.intrinsics = intrinsics
                do throws(JSONTemplateReader.Failure) {
                    let root = try reader.readDocument()
                    if !reader.duplicates.isEmpty {
                        return ReadResult(root: nil, format: .json, diagnostics: reader.duplicates.map { diagnostic($0, file) })
                    }
                    return finish(root, .json, file, requireMapping)
                } catch {
                    if !reader.duplicates.isEmpty || error.id != ReadDiagnosticID.syntax {
                        return ReadResult(root: nil, format: .json, diagnostics: (reader.duplicates + [error]).map { diagnostic($0, file) })
                    }
                    let strict = file?.lowercased().hasSuffix(".json") ?? false
                    let yaml = strict ? nil : readYAML(bytes, file, limits, requireMapping, comments)
                    if let yaml, yaml.root != nil { return yaml }
                    return ReadResult(root: nil, format: .json, diagnostics: [diagnostic(error, file)])
                }
            }
            return readYAML(bytes, file, limits, requireMapping, comments)
        }
    }

    /// Reads a file (`-` for standard input) and then its text.
    public static func read(path: String, limits: ParseLimits = .standard, requireMapping: Bool = true) -> ReadResult {
        switch FileIO.read(path, maxBytes: limits.maxBytes) {
        case .success(let bytes):
            return read(bytes, file: path, limits: limits, requireMapping: requireMapping)
        case .failure(let error):
            return ReadResult(root: nil, format: .yaml, diagnostics: [diagnostic(for: error, file: path)])
        }
    }

    /// A file that could not be read: PS-05 when too large, else PS-00; placed at 1:1, so
    /// that every refusal has a file, a line and a column.
    package static func diagnostic(for error: FileIO.Failure, file: String) -> Diagnostic {
        Diagnostic(ruleID: error.tooLarge ? ReadDiagnosticID.size : ReadDiagnosticID.io, message: error.message, file: file,
                   location: Location(line: 1, column: 1))
    }

    private static func readYAML(_ bytes: [UInt8], _ file: String?, _ limits: ParseLimits, _ requireMapping: Bool, _ keepComments: Bool) -> ReadResult {
        let builder = ValueTreeBuilder()
        let found: Bool
        var comments: [YAMLComment] = []
        do throws(YAMLErrors) {
            if keepComments {
                (found, comments) = try YAMLParser.parseKeepingComments(bytes, into: builder, limits: limits)
            } else {
                found = try YAMLParser.parse(bytes, into: builder, limits: limits)
            }
        } catch {
            let diagnostics = error.errors.map { yamlDiagnostic($0, file, bytes) }
            return ReadResult(root: nil, format: .yaml, diagnostics: diagnostics)
        }
        guard found, let root = builder.root else {
            return failure(file, .yaml, ReadDiagnosticID.empty, "the file holds no YAML document; a template is a mapping", Location(line: 1, column: 1))
        }
        var result = finish(root, .yaml, file, requireMapping)
        result.comments = comments
        return result
    }

    private static func finish(_ root: Node, _ format: SourceFormat, _ file: String?, _ requireMapping: Bool) -> ReadResult {
        if requireMapping {
            guard case .object = root.kind else {
                return failure(file, format, ReadDiagnosticID.rootNotMapping, "the template's root is \(describe(root)); it must be a mapping of sections", root.location.isKnown ? root.location : Location(line: 1, column: 1))
            }
        }
        return ReadResult(root: root, format: format, diagnostics: [])
    }

    /// "a string", "a mapping", ... for messages about a value of the wrong kind.
    public static func describe(_ value: Node) -> String {
        switch value.kind {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "a sequence"
        case .object: return "a mapping"
        case .intrinsic(let function): return "an intrinsic function (\(function.name))"
        }
    }

    private static func failure(_ file: String?, _ format: SourceFormat, _ id: RuleID, _ message: String, _ location: Location) -> ReadResult {
        ReadResult(root: nil, format: format, diagnostics: [Diagnostic(ruleID: id, message: message, file: file, location: location)])
    }

    private static func diagnostic(_ failure: JSONTemplateReader.Failure, _ file: String?) -> Diagnostic {
        Diagnostic(ruleID: failure.id, message: failure.message, file: file, location: failure.location,
                   notes: failure.related.map { [Diagnostic.Note("first defined here", at: $0)] } ?? [])
    }

    private static func yamlDiagnostic(_ error: YAMLError, _ file: String?, _ bytes: [UInt8]) -> Diagnostic {
        let id: RuleID
        var message = error.message
        var hint: String?
        switch error.kind {
        case .syntax, .undefinedAlias: id = ReadDiagnosticID.syntax
        case .encoding: id = ReadDiagnosticID.encoding
        case .duplicateKey: id = ReadDiagnosticID.duplicateKey
        case .complexKey: id = ReadDiagnosticID.complexKey
        case .aliasExpansion: id = ReadDiagnosticID.aliasExpansion
        case .depth: id = ReadDiagnosticID.depth
        case .size: id = ReadDiagnosticID.size
        case .multipleDocuments: id = ReadDiagnosticID.multipleDocuments
        case .tag: id = ReadDiagnosticID.tag
        }
        if error.kind == .syntax, character(at: error.mark, in: bytes) == UInt8(ascii: "\t") {
            message = "a tab character cannot indent YAML (\(message))"
            hint = "indent with spaces"
        }
        return Diagnostic(ruleID: id, message: message, file: file, location: error.mark, hint: hint,
                          notes: error.related.map { [Diagnostic.Note("first defined here", at: $0)] } ?? [])
    }

    /// The byte at a 1-based line and column, for hints about what libyaml stopped on.
    private static func character(at mark: Location, in bytes: [UInt8]) -> UInt8? {
        var line = 1
        var column = 1
        for byte in bytes {
            if line == mark.line, column == mark.column { return byte }
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            if line > mark.line { return nil }
        }
        return nil
    }

    private static func looksLikeJSON(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            case UInt8(ascii: "{"): return true
            default: return false
            }
        }
        return false
    }
}
