import FormworkYAML

/// Canonical output with a self-check: the output is read back and must hold the same
/// content as the input before anyone may write it (the lesson of `rain fmt`).
package enum Formatter {
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var message: String
        package var path: [PathComponent]
        /// FMT-01 for a failed self-check, FMT-02 for a comment that has no place.
        package var ruleID: RuleID = FormatDiagnosticID.selfCheck
        /// Where the input is at fault (a comment), when known.
        package var location: Location? = nil
        package var description: String { message }
    }

    /// Canonical YAML that keeps `comments` (found in the input's text) at their keys and
    /// items, or refuses (FMT-02) a comment it cannot place. The self-check also reads the
    /// output's comments back: the same texts, in the order they were placed. Canonical
    /// JSON has no comments: ask `canonical(_:as:)` for it.
    package static func canonical(_ root: consuming Node, keeping comments: [YAMLComment]) throws(Failure) -> [UInt8] {
        if comments.isEmpty { return try canonical(root, as: .yaml) }
        let plan: CommentPlan
        do throws(CommentPlan.Refusal) {
            plan = try CommentPlan(root: root, comments: comments)
        } catch {
            throw Failure(message: error.message, path: [], ruleID: FormatDiagnosticID.comment, location: error.location)
        }
        return try canonical(root, as: .yaml, comments: plan)
    }

    /// Renders `root` canonically and proves the output reads back to the same content.
    /// The tree is consumed: it is released once its digest is taken, so that reading the
    /// output back never holds two trees at once.
    package static func canonical(_ root: consuming Node, as format: SourceFormat) throws(Failure) -> [UInt8] {
        try canonical(root, as: format, comments: nil)
    }

    private static func canonical(_ root: consuming Node, as format: SourceFormat, comments plan: CommentPlan?) throws(Failure) -> [UInt8] {
        var ordered = CanonicalOrder.apply(to: root)
        root = .null
        if format == .yaml, let checked = checkedYAML(ordered, comments: plan) { return checked }
        let expected = ContentDigest.of(ordered, asJSON: format == .json)
        var bytes: [UInt8]
        switch format {
        case .json:
            bytes = JSONWriter.write(ordered)
        case .yaml:
            do throws(YAMLEventWriter.Failure) {
                bytes = try YAMLWriter.write(ordered)
            } catch {
                throw Failure(message: "the YAML emitter failed: \(error.message)", path: [])
            }
        }
        ordered = .null
        guard let plan else {
            let reread = TemplateReader.read(bytes, file: "<canonical output>", limits: .selfCheck, requireMapping: false)
            guard let back = reread.root else {
                let reason = reread.diagnostics.first.map(\.text) ?? "unknown"
                throw Failure(message: "self-check failed: the canonical \(format.rawValue) does not read back (\(reason))", path: [])
            }
            if ContentDigest.of(back) != expected {
                throw Failure(message: "self-check failed: the canonical \(format.rawValue) does not read back to the same content", path: [])
            }
            return bytes
        }
        // With comments: placing them reads the output without comments back, and that tree
        // must hold the input's content. The output with comments must then scan to the same
        // tokens as the output without (libyaml's parser reads tokens alone, so the same
        // content) and hold the comments in the order they were placed: two scans instead of
        // a third parse.
        let commentFree = bytes
        let placedOrder: [String]
        let back: Node
        do throws(CommentPlan.Refusal) {
            (bytes, placedOrder, back) = try plan.insert(into: commentFree)
        } catch {
            throw Failure(message: error.message, path: [], ruleID: FormatDiagnosticID.comment, location: error.location)
        }
        if ContentDigest.of(back) != expected {
            throw Failure(message: "self-check failed: the canonical \(format.rawValue) does not read back to the same content", path: [])
        }
        let withoutComments = try? YAMLCommentScanner.scanWithTokens(commentFree)
        let withComments = try? YAMLCommentScanner.scanWithTokens(bytes)
        guard let withoutComments, let withComments, withComments.tokens == withoutComments.tokens else {
            throw Failure(message: "self-check failed: the canonical \(format.rawValue) does not read back to the same content with its comments", path: [])
        }
        if withComments.comments.map(\.text) != placedOrder || withComments.comments.count != plan.comments.count {
            throw Failure(message: "self-check failed: the canonical yaml does not read back with the same \(plan.comments.count) comments in the order they were placed", path: [])
        }
        return bytes
    }

    /// Canonical YAML proved by walking libyaml's events of the output against `ordered`
    /// (`CanonicalReadBack`) instead of reading a second tree: once without comments, which
    /// also gives the places where comments go, and once with them, which proves the content
    /// unchanged and every comment outside the content. Nil when a check does not pass or a
    /// comment has no place: the slow path below then decides, and says why, as it always did.
    private static func checkedYAML(_ ordered: Node, comments plan: CommentPlan?) -> [UInt8]? {
        guard let bytes = try? YAMLWriter.write(ordered) else { return nil }
        guard let plan else { return CanonicalReadBack.matches(bytes, ordered) ? bytes : nil }
        guard let layout = CanonicalReadBack.layout(of: bytes, ordered),
              let placed = try? plan.insert(into: bytes, layout: layout),
              placed.order.count == plan.comments.count, placed.marks.count == placed.order.count,
              CanonicalReadBack.matches(placed.text, ordered, comments: placed.marks) else { return nil }
        return placed.text
    }

    /// Where canonical output would differ from its input: for the diagnostic after a
    /// failed self-check (slow path, holds both trees).
    package static func difference(_ root: Node, as format: SourceFormat) -> [PathComponent]? {
        let ordered = CanonicalOrder.apply(to: root)
        let bytes: [UInt8]
        switch format {
        case .json: bytes = JSONWriter.write(ordered)
        case .yaml:
            guard let written = try? YAMLWriter.write(ordered) else { return [] }
            bytes = written
        }
        guard let back = TemplateReader.read(bytes, limits: .selfCheck, requireMapping: false).root else { return [] }
        return firstDifference(ordered, back)
    }
}

/// The path of the first place where two values differ in content, or nil if they agree.
package func firstDifference(_ a: Node, _ b: Node, at path: [PathComponent] = []) -> [PathComponent]? {
    switch (a.kind, b.kind) {
    case (.array(let x), .array(let y)):
        guard x.count == y.count else { return path }
        for index in x.indices {
            if let found = firstDifference(x[index], y[index], at: path + [.index(index)]) { return found }
        }
        return nil
    case (.object(let x), .object(let y)):
        for entry in x.entries {
            guard let other = y[entry.key] else { return path + [.key(entry.key)] }
            if let found = firstDifference(entry.value, other, at: path + [.key(entry.key)]) { return found }
        }
        for entry in y.entries where x[entry.key] == nil { return path + [.key(entry.key)] }
        return nil
    case (.intrinsic(let x), .intrinsic(let y)):
        guard x.name == y.name else { return path }
        return firstDifference(x.argument, y.argument, at: path + [.key(x.name.rawValue)])
    default:
        return a == b ? nil : path
    }
}
