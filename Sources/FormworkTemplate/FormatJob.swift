import FormworkYAML

/// What `formwork fmt` does to one file, kept out of the CLI so it can be tested.
package struct FormatOutcome: Sendable {
    package var path: String
    /// Why the file has no canonical form (read errors, a failed self-check).
    package var diagnostics: [Diagnostic]
    package var original: [UInt8]
    package var canonical: [UInt8]?
    package var format: SourceFormat
    /// Comments of a YAML input that JSON output could not keep (JSON has none).
    package var droppedComments = 0

    package var isCanonical: Bool { canonical == original }
}

package enum FormatDiagnosticID {
    /// The canonical output did not read back to the input's content; nothing is written.
    package static let selfCheck: RuleID = "FMT-01"
    /// A comment of the input has no place in the canonical YAML; nothing is written.
    package static let comment: RuleID = "FMT-02"
}

package enum FormatJob {
    /// Reads `path` and renders its canonical form in `format` (by default the file's own).
    package static func run(path: String, format requested: SourceFormat? = nil, limits: ParseLimits = .standard) -> FormatOutcome {
        let bytes: [UInt8]
        switch FileIO.read(path, maxBytes: limits.maxBytes) {
        case .success(let read): bytes = read
        case .failure(let error):
            return FormatOutcome(path: path, diagnostics: [TemplateReader.diagnostic(for: error, file: path)], original: [], canonical: nil, format: requested ?? .yaml)
        }
        return run(bytes: bytes, path: path, format: requested, limits: limits)
    }

    /// The same for text already read (an editor's buffer).
    package static func run(bytes: [UInt8], path: String, format requested: SourceFormat? = nil, limits: ParseLimits = .standard) -> FormatOutcome {
        // The input's comments are found by the same pass that reads it.
        var result = TemplateReader.readKeepingComments(bytes, file: path, limits: limits)
        let format = requested ?? result.format
        guard let root = result.root else {
            return FormatOutcome(path: path, diagnostics: result.diagnostics, original: bytes, canonical: nil, format: format)
        }
        result.root = nil // the formatter releases the tree once it is written
        let comments = result.comments
        result.comments = []
        do throws(Formatter.Failure) {
            if format == .yaml {
                let canonical = try Formatter.canonical(consume root, keeping: comments)
                return FormatOutcome(path: path, diagnostics: [], original: bytes, canonical: canonical, format: format)
            }
            let canonical = try Formatter.canonical(consume root, as: format)
            return FormatOutcome(path: path, diagnostics: [], original: bytes, canonical: canonical, format: format, droppedComments: comments.count)
        } catch {
            if let location = error.location {
                let diagnostic = Diagnostic(ruleID: error.ruleID, message: error.message, file: path, location: location)
                return FormatOutcome(path: path, diagnostics: [diagnostic], original: bytes, canonical: nil, format: format)
            }
            // Read the input again to say where the output went wrong.
            var place = Location(line: 1, column: 1)
            var logicalPath: [PathComponent] = []
            if let again = TemplateReader.read(bytes, file: path, limits: limits).root,
               let found = Formatter.difference(again, as: format) {
                logicalPath = found
                place = again.location(at: found) ?? place
            }
            let shown = logicalPath.isEmpty ? "" : " at " + logicalPath.map(\.description).joined(separator: "/")
            let diagnostic = Diagnostic(ruleID: FormatDiagnosticID.selfCheck, message: error.message + shown, file: path, location: place, path: logicalPath)
            return FormatOutcome(path: path, diagnostics: [diagnostic], original: bytes, canonical: nil, format: format)
        }
    }
}
