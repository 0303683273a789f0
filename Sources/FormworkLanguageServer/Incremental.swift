import FormworkRuleKit
import FormworkRules
import FormworkSchema
import FormworkTemplate

/// A block-style YAML template's text cut into blocks: its top-level entries, and the
/// resources under `Resources`. What the resource-local rules found in a resource is kept
/// with its block, so that an edit elsewhere moves those findings (an edit above shifts
/// their lines) instead of making them again.
struct TextLayout {
    struct Block {
        var key: String
        /// 0-based lines, `end` exclusive: the key's line to the next block's.
        var start: Int
        var end: Int
        var hash: Int
        /// The block's key line holds its whole value (`Id: {Type: ...}`).
        var inline: Bool
    }

    var sections: [Block] = []
    var resources: [Block] = []
    /// The indentation of the resources' keys.
    var resourceIndent = 2
    /// A digest of every line outside the resources' blocks (blank and comment lines count,
    /// not where they stand: the blocks' starts say that).
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
                if current != nil { hasher.combine(line.count) } else { restHasher.combine(-2) }
                continue
            }
            if line.first == "\t" { return nil }
            var spaces = 0
            while spaces < line.count, line[spaces] == " " { spaces += 1 }
            // Only a line at the margin or at the resources' indentation can open a block:
            // the others are not cut into words (most lines of a large template).
            if spaces == 0 || (inResources && (childIndent == nil || spaces == childIndent)) {
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
                }
            }
            // Lines hashed as bytes, in bulk (scalar by scalar was most of the layout's cost).
            if current != nil {
                line.withUnsafeBytes { hasher.combine(bytes: $0) }
                hasher.combine(-1)
                continue
            }
            line.withUnsafeBytes { restHasher.combine(bytes: $0) }
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

/// Where the lines of an earlier text stand in the current one: each line moves with its
/// block (a resource the edit left alone, or the part of a section outside the resources);
/// a line of a resource that changed or went has no place.
struct LineMap {
    private var moves: [(start: Int, end: Int, delta: Int?)] = []

    init(from old: TextLayout, to new: TextLayout) {
        let now = Dictionary(new.resources.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for block in old.resources {
            let kept = now[block.key].flatMap { $0.hash == block.hash ? $0 : nil }
            moves.append((block.start, block.end, kept.map { $0.start - block.start }))
        }
        let sections = Dictionary(new.sections.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        // A section's own lines (its key, the lines before its first resource) move with it.
        for block in old.sections { moves.append((block.start, block.end, sections[block.key].map { $0.start - block.start })) }
    }

    /// The 0-based line's place now (resources first: they lie inside their section).
    func line(_ line: Int) -> Int? {
        for move in moves where move.start <= line && line < move.end { return move.delta.map { line + $0 } }
        return nil
    }

    /// A finding moved to the current text; nil when one of its places has none.
    func move(_ diagnostic: Diagnostic) -> Diagnostic? { Self.move(diagnostic, line) }

    /// A finding with each known place on the line `place` gives its 0-based line; nil when
    /// it gives none for one of them.
    static func move(_ diagnostic: Diagnostic, _ place: (Int) -> Int?) -> Diagnostic? {
        func moved(_ location: Location) -> Location? {
            guard location.isKnown else { return location }
            return place(location.line - 1).map { Location(line: $0 + 1, column: location.column) }
        }
        var copy = diagnostic
        guard let location = moved(diagnostic.location) else { return nil }
        copy.location = location
        for index in copy.notes.indices {
            guard let moved = moved(copy.notes[index].location) else { return nil }
            copy.notes[index].location = moved
        }
        return copy
    }
}

/// The findings last published for a large document, with the layout of its text: while a
/// resource does not read, the others keep theirs.
struct LintBaseline {
    var layout: TextLayout
    var diagnostics: [Diagnostic]
}

/// What an exact lint of a large document keeps for the next edit: the profile it ran under
/// (and the configuration file it came from), and what the resource-local rules found in each
/// resource, on the lines of the text that was linted.
struct IncrementalState {
    /// The revision of the text that was linted.
    var revision: Int
    var layout: TextLayout
    var configuration: Profile
    var settings: SettingsFile
    /// Every resource's id and type (``LanguageServerSession/types(_:)``).
    var types: [String]
    var local: [String: [Diagnostic]]
    /// An upper bound of the pattern steps the resource-local rules spent on what is kept: past
    /// a group's share, a whole lint decides (a budget may have run out there).
    var localSteps: Int
    /// What that lint published (on the lines of `layout`): a quick lint keeps it but for the
    /// resource-local findings of the resources changed since.
    var published: [Diagnostic]
}

/// The `.formwork.yml` a document is linted under, by its path and bytes: when it changes on
/// disk, the next lint is whole.
struct SettingsFile: Equatable {
    var path: String?
    var bytes: [UInt8]?

    init(for file: String) {
        path = ConfigurationFile.locate(for: file)
        if let path, case .success(let read) = FileIO.read(path, maxBytes: 1 << 20) { bytes = read }
    }
}

extension LanguageServerSession {
    /// The rules an edit re-runs over the resources it changed only: those whose description
    /// does not say they read across resources (``RuleDescription/readsAcrossResources``). Each
    /// one's findings on a resource depend on that resource, the template's other sections and
    /// the other resources' ids and types (and a security group's VpcId: nothing else of them),
    /// and are reported at the resource's path. `IncrementalLintTests` judges every one of them
    /// so on the real-world corpus and the rules' examples; the other rules run over the whole
    /// template on every edit.
    static let resourceLocalRules: Set<RuleID> = Set(RuleRegistry.all.compactMap { rule in
        rule.description.readsAcrossResources ? nil : rule.description.id
    })

    /// The most pattern steps a lint of kept findings may have spent: below it no group's
    /// share of the file's budget (a third of it) can have run out.
    static let incrementalSteps = PatternBudget.stepsPerFile / 4

    /// While keys keep coming, the findings of a large document without the rules that read
    /// across resources: the resource-local rules judge the resources changed since the last
    /// exact lint (``incrementalLint``), and every other finding of that lint stays where its
    /// block now stands (a cross-resource finding in a changed resource moves with the
    /// resource's first line). The exact lint follows once the text settles. nil when there is
    /// no exact lint to start from or the edit reaches outside the resources.
    func quickLint(_ document: Document, read: ReadResult) -> [Diagnostic]? {
        guard let template = read.template, document.lines.count >= incrementalLines, document.reader.count == document.client.count,
              let state = incremental[document.uri], let layout = layout(of: document), layout.rest == state.layout.rest,
              Self.matches(template, layout), Self.types(template) == state.types else { return nil }
        let (expanded, madeBy) = LoopExpansion.expanded(template)
        let before = Dictionary(state.layout.resources.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let now = Dictionary(layout.resources.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let dirty = Set(layout.resources.filter { before[$0.key]?.hash != $0.hash }.map(\.key))
        guard madeBy.isEmpty, !dirty.isEmpty, dirty.allSatisfy({ before[$0] != nil }),
              let judged = judgeLocally(dirty, of: expanded, file: document.path, configuration: state.configuration) else { return nil }
        let map = LineMap(from: state.layout, to: layout)
        var kept: [Diagnostic] = []
        for diagnostic in state.published {
            guard let id = TextLayout.anchor(diagnostic)?.resource, dirty.contains(id) else {
                if let moved = map.move(diagnostic) { kept.append(moved) } else if TextLayout.anchor(diagnostic)?.resource == nil { kept.append(diagnostic) }
                continue
            }
            // A finding of a rule that reads across resources, in a changed resource: kept
            // while it stands inside it.
            guard !Self.resourceLocalRules.contains(diagnostic.ruleID), let old = before[id], let new = now[id],
                  let moved = Self.shifted(diagnostic, by: new.start - old.start, within: new.start..<new.end) else { continue }
            kept.append(moved)
        }
        var found = Linter.Judgement()
        found.findings = dirty.sorted().flatMap { judged.findings[$0] ?? [] }
        let fresh = linter.finish(found, original: template, expanded: expanded, madeBy: madeBy, file: document.path, configuration: state.configuration).filter {
            Self.resourceLocalRules.contains($0.ruleID) && TextLayout.anchor($0)?.resource.map(dirty.contains) == true
        }
        quickLints += 1
        return (kept + localised(fresh, document)).sorted(by: Diagnostic.reportOrder)
    }

    /// A finding moved `delta` lines; nil when one of its places then falls outside `lines`
    /// (0-based).
    static func shifted(_ diagnostic: Diagnostic, by delta: Int, within lines: Range<Int>) -> Diagnostic? {
        LineMap.move(diagnostic) { lines.contains($0 + delta) ? $0 + delta : nil }
    }

    /// True when the text's blocks are the template's resources, one each, in order (no
    /// duplicate key, no loop, nothing the layout read otherwise than the reader).
    static func matches(_ template: Template, _ layout: TextLayout) -> Bool {
        guard let resources = template.root["Resources"]?.objectValue, resources.count == layout.resources.count else { return false }
        for (entry, block) in zip(resources.entries, layout.resources) {
            guard entry.key == block.key, entry.keyLocation.line == block.start + 1, !entry.key.hasPrefix("Fn::ForEach") else { return false }
        }
        return true
    }

    /// The template with these resources whole and every other one cut to its `Type` (every
    /// other section as it is): what a resource-local rule may read of a template.
    static func only(_ ids: Set<String>, of template: Template) -> Template {
        var copy = template
        copy.root = ObjectMap(template.root.entries.map { entry in
            guard entry.key == "Resources", let resources = entry.value.objectValue else { return entry }
            let kept = ObjectMap(resources.entries.map { resource in
                guard !ids.contains(resource.key), let body = resource.value.objectValue else { return resource }
                var stub = body.entry("Type").map { ObjectMap([$0]) } ?? ObjectMap()
                // A Ref to a security group gives its id or its name, as it has a VpcId or not (ST-46).
                if let vpc = Self.securityGroupVpc(body) { stub.set("Properties", Node(.object(ObjectMap([vpc])))) }
                return ObjectMap.Entry(key: resource.key, keyLocation: resource.keyLocation, value: Node(.object(stub), at: resource.value.location))
            })
            return ObjectMap.Entry(key: entry.key, keyLocation: entry.keyLocation, value: Node(.object(kept), at: entry.value.location))
        })
        return copy
    }

    /// A security group's VpcId entry, which says what a Ref to it gives.
    static func securityGroupVpc(_ body: ObjectMap) -> ObjectMap.Entry? {
        guard body["Type"]?.stringValue == "AWS::EC2::SecurityGroup" else { return nil }
        return body["Properties"]?.objectValue?.entry("VpcId")
    }

    /// Every resource's id and type (and whether a security group has a VpcId), in order: what a resource-local rule may read of the
    /// others (nil when a type is not a string: the lint is then whole).
    static func types(_ template: Template) -> [String]? {
        var types: [String] = []
        for entry in template.root["Resources"]?.objectValue?.entries ?? [] {
            guard let body = entry.value.objectValue else { types.append(entry.key); continue }
            guard let type = body["Type"].map({ $0.stringValue }) else { types.append(entry.key + "\u{0}"); continue }
            guard let type else { return nil }
            types.append(entry.key + "\u{0}" + type + (securityGroupVpc(body) == nil ? "" : "\u{0}VpcId"))
        }
        return types
    }

    /// The findings of the resource-local rules on the resources `ids`, by resource (see
    /// ``Linting/judgeLocally(_:of:file:configuration:)``).
    func judgeLocally(_ ids: Set<String>?, of template: Template, file: String, configuration: Profile) -> (findings: [String: [Diagnostic]], steps: Int)? {
        linting.judgeLocally(ids, of: template, file: file, configuration: configuration)
    }

    /// Resource-local findings by the resource their path names; nil when one names none.
    static func attribute(_ findings: [Diagnostic]) -> [String: [Diagnostic]]? {
        var byResource: [String: [Diagnostic]] = [:]
        for finding in findings {
            guard finding.path.count >= 2, finding.path[0] == .key("Resources"), case .key(let id) = finding.path[1] else { return nil }
            byResource[id, default: []].append(finding)
        }
        return byResource
    }

    /// While a large document does not read: the last findings of the resources that are
    /// still there, moved with their blocks.
    func movedBaseline(_ document: Document) -> [Diagnostic]? {
        guard document.lines.count >= incrementalLines, document.reader.count == document.client.count, let baseline = baselines[document.uri],
              let layout = layout(of: document) else { return nil }
        let ids = Set(layout.resources.map(\.key))
        return baseline.diagnostics.compactMap { diagnostic in
            guard let anchor = TextLayout.anchor(diagnostic) else { return diagnostic }
            if let id = anchor.resource, !ids.contains(id) { return nil }
            guard let old = baseline.layout.start(of: anchor), let new = layout.start(of: anchor) else { return anchor.resource == nil ? diagnostic : nil }
            let delta = new - old
            guard delta != 0 else { return diagnostic }
            var moved = diagnostic
            if moved.location.isKnown { moved.location = Location(line: max(1, moved.location.line + delta), column: moved.location.column) }
            for index in moved.notes.indices where moved.notes[index].location.isKnown {
                moved.notes[index].location = Location(line: max(1, moved.notes[index].location.line + delta), column: moved.notes[index].location.column)
            }
            return moved
        }
    }

    /// Keeps the findings published for a text that read, for the edits that break it.
    func remember(_ diagnostics: [Diagnostic], _ document: Document) {
        guard document.lines.count >= incrementalLines, let layout = layout(of: document) else {
            baselines[document.uri] = nil
            return
        }
        baselines[document.uri] = LintBaseline(layout: layout, diagnostics: diagnostics)
    }

    /// The layout of a document's text, made once per revision (a quick lint, the exact one
    /// that follows and ``remember(_:_:)`` read the same).
    func layout(of document: Document) -> TextLayout? {
        if let kept = layouts[document.uri], kept.revision == document.revision { return kept.layout }
        let layout = TextLayout(lines: document.lines)
        layouts[document.uri] = (document.revision, layout)
        return layout
    }
}

/// An exact lint of a large document, apart from the session, so that it can run on another
/// thread while quick publications go on (``LanguageServer``): the text, what was read of it,
/// and the state of the last exact lint. The session takes its ``Outcome`` back with
/// ``LanguageServerSession/finished(_:_:)``.
struct ExactLint: Sendable {
    var linting: Linting
    var document: Document
    var read: ReadResult
    var layout: TextLayout?
    var state: IncrementalState?
    /// Tells a lint of this opening of the document from one of an earlier opening (the
    /// revisions count from 0 again at each `didOpen`).
    var ticket: Int

    struct Outcome: Sendable {
        var diagnostics: [Diagnostic]
        /// Made from the last exact lint's state (not a whole lint).
        var incremental: Bool
        /// What the next edit starts from; nil when the document cannot be linted incrementally.
        var state: IncrementalState?
    }

    /// The findings `formwork lint` gives for the text (``LanguageServerSession/lint(_:quick:)``).
    func run() -> Outcome {
        if let outcome = linting.incrementalLint(document, read: read, layout: layout, state: state) ?? linting.wholeLint(document, read: read, layout: layout) {
            return outcome
        }
        // One read of the text: the navigation's template and the linting share it.
        var result = LintJob.lint(read: read, file: document.path, profiles: linting.profiles, linter: linting.linter)
        if read.template == nil { result.diagnostics += linting.partialFindings(document, errors: read.diagnostics) }
        return Outcome(diagnostics: linting.localised(result.diagnostics, document), incremental: false, state: nil)
    }
}

/// The session's linting without its state (the rules, the profiles, the size from which a
/// document is linted incrementally): what an ``ExactLint`` carries to another thread.
struct Linting: Sendable {
    typealias Session = LanguageServerSession
    var linter: Linter
    var profiles: ProfileCatalogue
    var incrementalLines: Int

    /// The findings of a document after an edit, exactly those of a whole lint: the rules that
    /// read across resources run over the whole template, the resource-local rules
    /// (``resourceLocalRules``) over the resources whose text changed, and the others' findings
    /// are kept from the last lint, moved to their lines. nil when the last lint left nothing
    /// to start from, or the edit changed something outside the resources (the lint is then
    /// whole).
    func incrementalLint(_ document: Document, read: ReadResult, layout: TextLayout?, state: IncrementalState?) -> ExactLint.Outcome? {
        guard let template = read.template, document.lines.count >= incrementalLines, document.reader.count == document.client.count,
              let state, let layout, layout.rest == state.layout.rest,
              Session.matches(template, layout), Session.types(template) == state.types, SettingsFile(for: document.path) == state.settings else { return nil }
        let (expanded, madeBy) = LoopExpansion.expanded(template)
        guard madeBy.isEmpty else { return nil }
        let before = Dictionary(state.layout.resources.map { ($0.key, $0.hash) }, uniquingKeysWith: { first, _ in first })
        var dirty = Set(layout.resources.filter { before[$0.key] != $0.hash }.map(\.key))
        let map = LineMap(from: state.layout, to: layout)
        var local: [String: [Diagnostic]] = [:]
        for block in layout.resources where !dirty.contains(block.key) {
            let moved = (state.local[block.key] ?? []).compactMap(map.move)
            // A finding placed in a block that changed: judged again.
            if moved.count == state.local[block.key]?.count ?? 0 { local[block.key] = moved } else { dirty.insert(block.key) }
        }
        let file = document.path, configuration = state.configuration
        let across = linter.judge(expanded, file: file, configuration: configuration, including: { !Session.resourceLocalRules.contains($0) })
        var steps = state.localSteps
        if !dirty.isEmpty {
            guard let judged = judgeLocally(dirty, of: expanded, file: file, configuration: configuration) else { return nil }
            for id in dirty { local[id] = judged.findings[id] ?? [] }
            steps += judged.steps
        }
        guard across.steps + steps < Session.incrementalSteps, !across.findings.contains(where: { $0.ruleID == PatternBudgetFinding.id }) else { return nil }
        var found = across
        for block in layout.resources { found.findings += local[block.key] ?? [] }
        let diagnostics = localised(linter.finish(found, original: template, expanded: expanded, madeBy: madeBy, file: file, configuration: configuration), document)
        return ExactLint.Outcome(diagnostics: diagnostics, incremental: true,
                                 state: IncrementalState(revision: document.revision, layout: layout, configuration: configuration, settings: state.settings, types: state.types, local: local, localSteps: steps,
                                                         published: diagnostics))
    }

    /// A whole lint of a large document that keeps what the next edit starts from; nil when
    /// the document cannot be linted incrementally (the caller lints it as `formwork lint` does).
    func wholeLint(_ document: Document, read: ReadResult, layout: TextLayout?) -> ExactLint.Outcome? {
        let file = document.path
        guard let template = read.template, document.lines.count >= incrementalLines, document.reader.count == document.client.count,
              let layout, Session.matches(template, layout) else { return nil }
        let settings = SettingsFile(for: file)
        let (expanded, madeBy) = LoopExpansion.expanded(template)
        guard madeBy.isEmpty, let configuration = LintJob.editorProfile(for: template, file: file, profiles: profiles) else { return nil }
        let across = linter.judge(expanded, file: file, configuration: configuration, including: { !Session.resourceLocalRules.contains($0) })
        guard let types = Session.types(template), let judged = judgeLocally(nil, of: expanded, file: file, configuration: configuration),
              across.steps + judged.steps < Session.incrementalSteps, !across.findings.contains(where: { $0.ruleID == PatternBudgetFinding.id }) else { return nil }
        var found = across
        for block in layout.resources { found.findings += judged.findings[block.key] ?? [] }
        let diagnostics = localised(linter.finish(found, original: template, expanded: expanded, madeBy: madeBy, file: file, configuration: configuration), document)
        return ExactLint.Outcome(diagnostics: diagnostics, incremental: false,
                                 state: IncrementalState(revision: document.revision, layout: layout, configuration: configuration, settings: settings, types: types, local: judged.findings,
                                                         localSteps: judged.steps, published: diagnostics))
    }

    /// The findings of the resource-local rules on the resources `ids`, by resource (those
    /// judged on their stubs left out); nil when one names no resource.
    func judgeLocally(_ ids: Set<String>?, of template: Template, file: String, configuration: Profile) -> (findings: [String: [Diagnostic]], steps: Int)? {
        let judged = linter.judge(ids.map { Session.only($0, of: template) } ?? template, file: file, configuration: configuration,
                                  including: Session.resourceLocalRules.contains, team: false)
        guard var attributed = Session.attribute(judged.findings) else { return nil }
        if let ids { attributed = attributed.filter { ids.contains($0.key) } }
        return (attributed, judged.steps)
    }

}
