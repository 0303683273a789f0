import FormworkYAML

extension TemplateReader {
    /// Reads text that must be strict JSON (RFC 8259) and nothing else, such as a JSON-RPC
    /// message: valid UTF-8, one value, no YAML fallback, no intrinsic functions, no duplicate
    /// keys. The reason it is not JSON, with its place, when it is not (no root).
    public static func readStrictJSON(_ bytes: [UInt8], limits: ParseLimits = .standard) -> ReadResult {
        func refused(_ diagnostic: Diagnostic) -> ReadResult { ReadResult(root: nil, format: .json, diagnostics: [diagnostic]) }
        if bytes.count > limits.maxBytes {
            return refused(Diagnostic(ruleID: ReadDiagnosticID.size, message: "the text is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)",
                                       file: nil, location: Location(line: 1, column: 1)))
        }
        return bytes.withUnsafeBufferPointer { buffer in
            if let bad = firstInvalidUTF8Offset(buffer) {
                return refused(Diagnostic(ruleID: ReadDiagnosticID.encoding, message: "invalid UTF-8 (byte 0x\(hexByte(buffer[bad])))",
                                           file: nil, location: mark(atOffset: bad, in: buffer)))
            }
            var reader = JSONTemplateReader(bytes: buffer, limits: limits)
            reader.intrinsics = false
            do throws(JSONTemplateReader.Failure) {
                let root = try reader.readDocument()
                if let duplicate = reader.duplicates.first {
                    return refused(Diagnostic(ruleID: duplicate.id, message: duplicate.message, file: nil, location: duplicate.location))
                }
                return ReadResult(root: root, format: .json, diagnostics: [])
            } catch {
                return refused(Diagnostic(ruleID: error.id, message: error.message, file: nil, location: error.location))
            }
        }
    }
}
