import Dispatch
import FormworkRules
import FormworkTemplate
import Synchronization

/// A block-style YAML template's text cut into blocks: its top-level entries, and the
/// resources under `Resources`. Findings are anchored to the block their path names, so that
/// findings of blocks an edit did not touch move with them (an edit above shifts their lines)
/// instead of being made again.
struct TextLayout {
    struct Block {
        var key: String
        /// 0-based lines, `end` exclusive: the key's line to the next block's.
        var start: Int
        var end: Int
        var hash: Int
        /// The block's key line holds its whole value (`Id: {Type: ...}`): it is kept whole.
        var inline: Bool
    }

    var sections: [Block] = []
    var resources: [Block] = []
    /// The indentation of the resources' keys.
    var resourceIndent = 2
    /// A digest of every line outside the resources' blocks.
    var rest = 0

    /// nil for text that is not block-style YAML at the top (JSON, a flow mapping, a stray
    /// line at the margin): it is linted whole.
    init?(lines: [[Unicode.Scalar]]) {
        var restHasher = Hasher()
        var current: (key: String, start: Int, inline: Bool)?
        var inResources = false
        var childIndent: Int?
        var hasher = Hasher()
        func isBlank(_ line: [Unicode.Scalar]) -> Bool {
            for scalar in line where scalar != " " && scalar != "\r" { return scalar == "#" }
            return true
        }
        func closeResource(at end: Int) {
            if let open = current { resources.append(Block(key: open.key, start: open.start, end: end, hash: hasher.finalize(), inline: open.inline)) }
            current = nil
            hasher = Hasher()
        }
        for (index, line) in lines.enumerated() {
            if isBlank(line) {
                if current != nil { hasher.combine(line.count) } else { restHasher.combine(index) }
                continue
            }
            if line.first == "\t" { return nil }
            let (indent, key, listItem) = TextContext.keyOf(line)
            if indent == 0 {
                guard let key, !listItem, line.first != "\"", line.first != "{" else { return nil }
                closeResource(at: index)
                if let last = sections.indices.last { sections[last].end = index }
                sections.append(Block(key: key, start: index, end: lines.count, hash: 0, inline: false))
                inResources = key == "Resources"
                childIndent = nil
                for scalar in line { restHasher.combine(scalar) }
                restHasher.combine(-1)
                continue
            }
            if inResources {
                if childIndent == nil { childIndent = indent; resourceIndent = indent }
                if indent == childIndent, let key, !listItem {
                    closeResource(at: index)
                    let afterColon = String(String.UnicodeScalarView(line)).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).last.map { $0.trimmingSpaces } ?? ""
                    current = (key, index, !afterColon.isEmpty && !afterColon.hasPrefix("#"))
                }
                if current != nil {
                    for scalar in line { hasher.combine(scalar) }
                    hasher.combine(-1)
                    continue
                }
            }
            for scalar in line { restHasher.combine(scalar) }
            restHasher.combine(-1)
        }
        closeResource(at: lines.count)
        if let last = resources.indices.last, let section = sections.first(where: { $0.key == "Resources" }) { resources[last].end = max(resources[last].end, section.end) }
        rest = restHasher.finalize()
    }

    func resource(_ id: String) -> Block? { resources.first { $0.key == id } }

    /// The block a finding belongs to: its resource, else its section.
    static func anchor(_ diagnostic: Diagnostic) -> (section: String, resource: String?)? {
        guard case .key(let section)? = diagnostic.path.first else { return nil }
        if section == "Resources", diagnostic.path.count >= 2, case .key(let id) = diagnostic.path[1] { return (section, id) }
        return (section, nil)
    }

    func start(of anchor: (section: String, resource: String?)) -> Int? {
        if let id = anchor.resource { return resource(id)?.start }
        return sections.first { $0.key == anchor.section }?.start
    }
}

/// The findings of the last whole lint, with the layout of the text they were made for.
struct LintBaseline {
    var layout: TextLayout
    var diagnostics: [Diagnostic]
    /// Resource types as that text had them (a stub keeps a resource known while it is not
    /// read again).
    var types: [String: String]
}

/// A whole lint running beside the server's loop, for one revision of one document.
final class BackgroundLint: Sendable {
    let uri: String
    let revision: Int
    let outcome = Mutex<(read: ReadResult, diagnostics: [Diagnostic], lines: [[Unicode.Scalar]])?>(nil)

    init(uri: String, revision: Int) {
        self.uri = uri
        self.revision = revision
    }
}

extension LanguageServerSession {
    /// Documents of at least this many lines are linted incrementally: on an edit, the
    /// resources it touched at once, the whole template beside the loop.
    static let incrementalLines = 2_000

    /// The findings of a document after an edit, made from the last whole lint and the
    /// resources the edit touched; nil when they cannot be (no baseline, the edit changed
    /// something outside the resources, added or removed several), and the whole template
    /// must be linted.
    func incrementalLint(_ document: Document) -> [Diagnostic]? {
        // (A text with line breaks only YAML counts, NEL and the Unicode separators, is
        // linted whole: its stubbed copy would count other lines.)
        guard document.lines.count >= Self.incrementalLines, document.reader.count == document.client.count, let baseline = baselines[document.uri],
              let layout = TextLayout(lines: document.lines), layout.rest == baseline.layout.rest else { return nil }
        let before = Dictionary(baseline.layout.resources.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let now = Set(layout.resources.map(\.key))
        guard before.keys.allSatisfy(now.contains), now.count == layout.resources.count else { return nil }
        let dirty = layout.resources.filter { before[$0.key]?.hash != $0.hash }
        guard dirty.count <= 4 else { return nil }
        if dirty.isEmpty { return shifted(baseline, to: layout, keep: { _ in true }) }
        // The dirty resources in a text where every other resource is a stub (its key and
        // Type, the rest blank): what the rules say of them, on their lines.
        var broken = Set<String>()
        var judged: [Diagnostic] = []
        var readErrors: [Diagnostic] = []
        for _ in 0..<3 {
            let text = stubbedText(document, layout, baseline, keep: Set(dirty.map(\.key)).subtracting(broken))
            let read = TemplateReader.read(Array(text.utf8), file: document.path)
            guard read.template != nil else {
                // A dirty resource does not read (a half-typed line): stub it too, and keep
                // its last good findings.
                readErrors = read.diagnostics
                let lines = Set(read.diagnostics.map { $0.location.line - 1 })
                let culprits = dirty.filter { block in lines.contains { $0 >= block.start && $0 < block.end } }.map(\.key)
                guard !culprits.isEmpty, !Set(culprits).isSubset(of: broken) else { return nil }
                broken.formUnion(culprits)
                continue
            }
            let wanted = Set(dirty.map(\.key)).subtracting(broken)
            judged = LintJob.lint(read: read, file: document.path, profiles: profiles, linter: linter).diagnostics.filter { diagnostic in
                guard let anchor = TextLayout.anchor(diagnostic), let id = anchor.resource else { return false }
                return wanted.contains(id)
            }
            let fromBaseline = shifted(baseline, to: layout) { anchor in anchor.resource.map { !wanted.contains($0) } ?? true }
            return (fromBaseline + judged + readErrors).sorted(by: Diagnostic.reportOrder)
        }
        return nil
    }

    /// For an edit the resources cannot be re-linted for (outside them, or adding and
    /// removing several): the last whole lint's findings moved with their blocks, published at
    /// once while the whole template is linted beside the loop.
    func movedBaseline(_ document: Document) -> [Diagnostic]? {
        guard document.lines.count >= Self.incrementalLines, document.reader.count == document.client.count, let baseline = baselines[document.uri],
              let layout = TextLayout(lines: document.lines) else { return nil }
        let ids = Set(layout.resources.map(\.key))
        return shifted(baseline, to: layout) { anchor in anchor.resource.map(ids.contains) ?? true }
    }

    /// The baseline's findings that `keep` accepts, moved to where their blocks now start.
    func shifted(_ baseline: LintBaseline, to layout: TextLayout, keep: ((section: String, resource: String?)) -> Bool) -> [Diagnostic] {
        baseline.diagnostics.compactMap { diagnostic in
            guard let anchor = TextLayout.anchor(diagnostic) else { return diagnostic }
            guard keep(anchor) else { return nil }
            guard let old = baseline.layout.start(of: anchor), let new = layout.start(of: anchor) else { return anchor.resource == nil ? diagnostic : nil }
            let delta = new - old
            guard delta != 0 else { return diagnostic }
            var moved = diagnostic
            if moved.location.isKnown { moved.location = Location(line: max(1, moved.location.line + delta), column: moved.location.column) }
            moved.notes = moved.notes.map { note in
                var copy = note
                if copy.location.isKnown { copy.location = Location(line: max(1, copy.location.line + delta), column: copy.location.column) }
                return copy
            }
            return moved
        }
    }

    /// The document's text with the resources in `keep` whole and the others cut to their key
    /// and Type (blank lines for the rest, so that every line keeps its number): the rules
    /// that look across resources still see every resource and its type.
    func stubbedText(_ document: Document, _ layout: TextLayout, _ baseline: LintBaseline, keep: Set<String>) -> String {
        var out = String.UnicodeScalarView()
        var stubs: [Int: (end: Int, type: String?, inline: Bool)] = [:]
        for block in layout.resources where !keep.contains(block.key) { stubs[block.start] = (block.end, baseline.types[block.key], block.inline) }
        let indent = String(repeating: " ", count: layout.resourceIndent + 2)
        var index = 0
        while index < document.lines.count {
            if let stub = stubs[index], !stub.inline {
                out.append(contentsOf: document.lines[index])
                out.append("\n")
                for line in (index + 1)..<max(stub.end, index + 1) {
                    if line == index + 1, let type = stub.type { out.append(contentsOf: (indent + "Type: '" + type.replacingOccurrences(of: "'", with: "''") + "'").unicodeScalars) }
                    out.append("\n")
                }
                index = max(stub.end, index + 1)
                continue
            }
            out.append(contentsOf: document.lines[index])
            out.append("\n")
            index += 1
        }
        return String(out)
    }

    /// Keeps what a whole lint of a text found, as the baseline of the next edits.
    func remember(_ diagnostics: [Diagnostic], read: ReadResult, lines: [[Unicode.Scalar]], uri: String) {
        guard lines.count >= Self.incrementalLines, let template = read.template, let layout = TextLayout(lines: lines) else {
            baselines[uri] = nil
            return
        }
        var types: [String: String] = [:]
        for resource in template.resources { if let type = resource.type { types[resource.logicalID] = type } }
        baselines[uri] = LintBaseline(layout: layout, diagnostics: diagnostics, types: types)
    }

    /// Starts a whole lint of the document's current text beside the loop (one at a time).
    func startBackgroundLint(_ document: Document) {
        guard background == nil else { backgroundWanted.insert(document.uri); return }
        let job = BackgroundLint(uri: document.uri, revision: document.revision)
        background = job
        let bytes = document.bytes, path = document.path, profiles = self.profiles, linter = self.linter
        DispatchQueue.global().async {
            let read = TemplateReader.read(bytes, file: path)
            let diagnostics = read.template == nil ? [] : LintJob.lint(read: read, file: path, profiles: profiles, linter: linter).diagnostics
            let lines = LineIndex(Array(String(decoding: bytes, as: UTF8.self).unicodeScalars), breaks: .lsp).lines
            job.outcome.withLock { $0 = (read, diagnostics, lines) }
        }
    }

    /// True while a whole lint runs beside the loop.
    public var isLintingInBackground: Bool { background != nil }

    /// The publication of a finished background lint: its findings become the baseline, and
    /// are published when the text has not changed since (else the next edit's quick lint
    /// uses them). Another lint starts when one was asked for meanwhile.
    public func finishBackgroundLint() -> [Node] {
        guard let job = background, let outcome = job.outcome.withLock({ $0 }) else { return [] }
        background = nil
        var out: [Node] = []
        if let document = documents[job.uri], outcome.read.template == nil, document.revision == job.revision, !pending.contains(job.uri) {
            // The text does not read: its located error, and the resources' last good findings.
            readFailed.insert(job.uri)
            let kept = (movedBaseline(document) ?? []) + localised(outcome.read.diagnostics, document)
            out += send(kept.sorted(by: Diagnostic.reportOrder), document)
        } else if let document = documents[job.uri], outcome.read.template != nil {
            // The findings become the baseline whatever was typed since (the layout is of
            // the text the job read); they are published when that text is still current.
            let diagnostics = localised(outcome.diagnostics, document)
            remember(diagnostics, read: outcome.read, lines: outcome.lines, uri: job.uri)
            if document.revision == job.revision {
                lastTemplates[job.uri] = outcome.read.template
                readRevisions[job.uri] = job.revision
                readFailed.remove(job.uri)
                if !pending.contains(job.uri) { out += send(diagnostics, document) }
            } else {
                backgroundWanted.insert(job.uri)
            }
        }
        if let next = backgroundWanted.sorted().first {
            backgroundWanted.remove(next)
            if let document = documents[next], !pending.contains(next) { startBackgroundLint(document) }
        }
        return out
    }
}
