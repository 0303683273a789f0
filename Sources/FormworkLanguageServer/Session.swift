import FormworkRuleKit
import FormworkRules
import FormworkSchema
import FormworkTemplate

/// The language server's state and its answers, without I/O: each message in, the messages
/// out. `LanguageServer` runs it over standard input and output and debounces the linting.
public final class LanguageServerSession {
    let profiles: ProfileCatalogue
    let registry: SchemaRegistry
    let linter: Linter
    var documents: [String: Document] = [:]
    /// The last template of each document that read, for navigation while the text is broken.
    var lastTemplates: [String: Template] = [:]
    /// The revision of each document whose text was last read: requests on an unchanged text
    /// do not read it again.
    var readRevisions: [String: Int] = [:]
    /// Documents whose current text does not read (navigation then uses the last template
    /// that did; rename refuses).
    var readFailed: Set<String> = []
    /// The last diagnostics published per document, for hover and code actions.
    var published: [String: [Diagnostic]] = [:]
    /// Documents changed since their diagnostics were last published.
    public private(set) var pending: Set<String> = [] {
        didSet { if pendingSince == nil, !pending.isEmpty { pendingSince = ContinuousClock.now } }
    }
    /// When the oldest unpublished change arrived: the server publishes within its maximum
    /// wait of it, however fast the keys come.
    public private(set) var pendingSince: ContinuousClock.Instant?
    /// The findings last published for each large document that read (kept while it does not).
    var baselines: [String: LintBaseline] = [:]
    /// What the last lint of each large document keeps for the next edit's.
    var incremental: [String: IncrementalState] = [:]
    /// Documents of at least this many lines are linted incrementally: an edit re-runs the
    /// resource-local rules over the resources it changed only.
    public var incrementalLines = 2_000
    /// How many lints were incremental (for the tests and the benchmark's report).
    public internal(set) var incrementalLints = 0
    /// How many publications were quick (``publishQuickly()``).
    public internal(set) var quickLints = 0
    /// Documents last published quickly: the findings of the rules that read across resources
    /// are an earlier text's until ``publishSettled()``.
    public private(set) var unsettled: Set<String> = []
    /// The layout of each large document's text, by revision: a lint reads it once.
    var layouts: [String: (revision: Int, layout: TextLayout?)] = [:]
    /// The text a quick publication read, for the exact lint of the same revision.
    var quickRead: [String: (revision: Int, read: ReadResult)] = [:]
    /// Each document's opening (a `didOpen` starts its revisions again): an exact lint that ran
    /// off the publishing path belongs to one.
    var tickets: [String: Int] = [:]
    var lastTicket = 0
    /// The documents whose exact lint runs off the publishing path (``ExactLint``), with its ticket.
    var running: [String: Int] = [:]
    /// Documents changed while their exact lint runs that cannot be published quickly (nothing
    /// to start from yet, or the edit reaches outside the resources): they wait for it.
    var held: Set<String> = []
    /// The revision each document's last publication was made from.
    var publishedRevisions: [String: Int] = [:]
    var shutdownRequested = false
    /// Set once `initialize` is answered: before it, requests get `ServerNotInitialized` and
    /// notifications other than `exit` are dropped (LSP 3.17, "initialize").
    var initialized = false
    /// The client takes snippets in completion items (its `snippetSupport`).
    var snippetSupport = false
    /// Set once `exit` arrives: 0 after a `shutdown`, 1 without.
    public private(set) var exitCode: Int32?
    public var version = FormworkVersion.current

    public init(profiles: ProfileCatalogue, registry: SchemaRegistry) {
        self.profiles = profiles
        self.registry = registry
        var linter = Linter(registry: registry)
        linter.capsFindings = false
        self.linter = linter
    }

    /// Answers one message: responses to requests, nothing for notifications (but the
    /// diagnostics they cause), a JSON-RPC error for a message that is not a valid request.
    public func receive(_ message: Node) -> [Node] {
        let method: String, id: Node?, params: Node?
        switch IncomingMessage(message) {
        case .ignored: return []
        case .invalid(let id, let code, let text): return [error(id, code: code, text)]
        case .call(let name, let callID, let callParams): (method, id, params) = (name, callID, callParams)
        }
        if !initialized, method != "initialize", method != "exit" {
            return id.map { [error($0, code: JSONRPCError.serverNotInitialized, "the server is not initialized: send initialize first")] } ?? []
        }
        if shutdownRequested, method != "exit", let id {
            return [error(id, code: JSONRPCError.invalidRequest, "the server is shutting down")]
        }
        switch method {
        case "initialize":
            guard let id else { return [] }
            guard !initialized else { return [error(id, code: JSONRPCError.invalidRequest, "initialize may only be sent once")] }
            initialized = true
            if case .bool(true)? = params?["capabilities"]?["textDocument"]?["completion"]?["completionItem"]?["snippetSupport"]?.kind { snippetSupport = true }
            return [response(id, initializeResult())]
        case "initialized", "$/cancelRequest", "$/setTrace", "workspace/didChangeConfiguration", "workspace/didChangeWatchedFiles", "textDocument/didSave":
            return []
        case "shutdown":
            shutdownRequested = true
            return id.map { [response($0, Node(.null))] } ?? []
        case "exit":
            exitCode = shutdownRequested ? 0 : 1
            return []
        case "textDocument/didOpen":
            guard let item = params?["textDocument"], let uri = item["uri"]?.stringValue else { return [] }
            documents[uri] = Document(uri: uri, version: item["version"]?.intValue ?? 0, text: item["text"]?.stringValue ?? "")
            readRevisions[uri] = nil
            // Revisions count from 0 again: what was kept by revision goes.
            layouts[uri] = nil
            quickRead[uri] = nil
            forgetRevisions(uri)
            pending.insert(uri)
            return []
        case "textDocument/didChange":
            guard let uri = params?["textDocument"]?["uri"]?.stringValue, var document = documents[uri] else { return [] }
            for change in params?["contentChanges"]?.arrayValue ?? [] {
                let text = change["text"]?.stringValue ?? ""
                if let range = change["range"], let start = Self.position(range["start"]), let end = Self.position(range["end"]) {
                    document.replace(from: start, to: end, with: text)
                } else {
                    document.replaceAll(text)
                }
            }
            document.version = params?["textDocument"]?["version"]?.intValue ?? document.version + 1
            documents[uri] = document
            pending.insert(uri)
            return []
        case "textDocument/didClose":
            guard let uri = params?["textDocument"]?["uri"]?.stringValue else { return [] }
            documents[uri] = nil
            lastTemplates[uri] = nil
            readRevisions[uri] = nil
            published[uri] = nil
            readFailed.remove(uri)
            baselines[uri] = nil
            incremental[uri] = nil
            quickRead[uri] = nil
            layouts[uri] = nil
            unsettled.remove(uri)
            forgetRevisions(uri)
            pending.remove(uri)
            return [notification("textDocument/publishDiagnostics", .object(ObjectMap(["uri": .string(uri), "diagnostics": .array([])])))]
        default:
            guard let id else { return [] }
            guard let uri = params?["textDocument"]?["uri"]?.stringValue, let document = documents[uri] else {
                if method.hasPrefix("textDocument/") { return [response(id, Node(.null))] }
                return [error(id, code: JSONRPCError.methodNotFound, "method not found: \(method.printable)")]
            }
            // Answers read the current text: lint first what changed, so that they agree.
            var out: [Node] = []
            if pending.contains(uri) { out += publish(uri, quick: true) }
            let position = Self.position(params?["position"])
            switch method {
            case "textDocument/hover": out.append(response(id, position.map { hover(document, $0) } ?? Node(.null)))
            case "textDocument/completion": out.append(response(id, position.map { completion(document, $0) } ?? .array([])))
            case "textDocument/definition": out.append(response(id, position.map { definition(document, $0) } ?? Node(.null)))
            case "textDocument/references":
                let declaration: Bool
                if case .bool(true)? = params?["context"]?["includeDeclaration"]?.kind { declaration = true } else { declaration = false }
                out.append(response(id, position.map { references(document, $0, includeDeclaration: declaration) } ?? .array([])))
            case "textDocument/documentSymbol": out.append(response(id, symbols(document)))
            case "textDocument/codeAction": out.append(response(id, codeActions(document, params?["range"], params?["context"]?["diagnostics"]?.arrayValue ?? [])))
            case "textDocument/formatting":
                let (edits, problem) = formatting(document)
                if let problem { out.append(notification("window/showMessage", .object(ObjectMap(["type": .number("2"), "message": .string(problem)])))) }
                out.append(response(id, edits))
            case "textDocument/prepareRename": out.append(response(id, position.map { prepareRename(document, $0) } ?? Node(.null)))
            case "textDocument/rename":
                guard let position, let newName = params?["newName"]?.stringValue else {
                    out.append(error(id, code: JSONRPCError.invalidParams, "rename needs a position and a newName"))
                    break
                }
                switch rename(document, position, to: newName) {
                case .success(let edit): out.append(response(id, edit))
                case .failure(let refusal): out.append(error(id, code: JSONRPCError.requestFailed, refusal.message))
                }
            default: out.append(error(id, code: JSONRPCError.methodNotFound, "method not found: \(method.printable)"))
            }
            return out
        }
    }

    /// Lints every changed document and publishes its diagnostics.
    public func publishPending() -> [Node] {
        let uris = pending.sorted()
        defer { pendingSince = nil }
        return uris.flatMap { publish($0) }
    }

    /// Publishes every changed document's diagnostics, a large document's quickly while keys
    /// keep coming: the resource-local rules judge the resources changed since its last exact
    /// lint, the other findings are that lint's where their blocks now stand. Such a document
    /// stays in ``unsettled`` until ``publishSettled()``.
    public func publishQuickly() -> [Node] { publishQuickly(deferring: false).messages }

    /// ``publishQuickly()``, but a large document that cannot be published quickly is given
    /// back as an exact lint to run off the publishing path (``finished(_:_:)`` takes its
    /// outcome); one changed while its exact lint runs waits for it (``held``) unless it can be
    /// published quickly.
    func publishQuickly(deferring: Bool) -> (messages: [Node], exact: [ExactLint]) {
        var messages: [Node] = [], exact: [ExactLint] = []
        for uri in pending.sorted() {
            pending.remove(uri)
            guard let document = documents[uri] else { continue }
            // Nothing to publish quickly from until the running lint ends: not read again.
            if running[uri] != nil, held.contains(uri) || incremental[uri] == nil {
                held.insert(uri)
                continue
            }
            switch prepare(document, quick: true) {
            case .linted(let diagnostics):
                messages += send(diagnostics, document)
            case .exact(let job) where deferring && document.lines.count >= incrementalLines:
                if running[uri] == nil {
                    running[uri] = job.ticket
                    exact.append(job)
                } else {
                    held.insert(uri)
                }
            case .exact(let job):
                messages += send(take(job, job.run()), document)
            }
        }
        pendingSince = nil
        return (messages, exact)
    }

    /// The exact diagnostics of the documents published quickly (the text has settled).
    public func publishSettled() -> [Node] { publishSettled(deferring: false).messages }

    /// True when a document published quickly can be linted exactly now (none is running).
    var settling: Bool { unsettled.contains { running[$0] == nil } }

    /// ``publishSettled()``, a large document's exact lint given back to run off the
    /// publishing path (as ``publishQuickly(deferring:)`` does).
    func publishSettled(deferring: Bool) -> (messages: [Node], exact: [ExactLint]) {
        var messages: [Node] = [], exact: [ExactLint] = []
        for uri in unsettled.sorted() where running[uri] == nil {
            unsettled.remove(uri)
            guard !pending.contains(uri), let document = documents[uri] else { continue }
            switch prepare(document, quick: false) {
            case .linted(let diagnostics):
                messages += send(diagnostics, document)
            case .exact(let job) where deferring && document.lines.count >= incrementalLines:
                running[uri] = job.ticket
                exact.append(job)
            case .exact(let job):
                messages += send(take(job, job.run()), document)
            }
        }
        return (messages, exact)
    }

    /// Takes back an exact lint that ran off the publishing path: what the next edits start
    /// from, and its findings when the text is still the one it read (or when a newer text
    /// waits for it: those findings are then the newest there are).
    func finished(_ job: ExactLint, _ outcome: ExactLint.Outcome) -> [Node] {
        let uri = job.document.uri
        guard running[uri] == job.ticket, tickets[uri] == job.ticket else { return [] }
        running[uri] = nil
        let waited = held.remove(uri) != nil
        if waited { pending.insert(uri) }
        guard let document = documents[uri] else { return [] }
        if document.revision == job.document.revision, !pending.contains(uri) {
            return send(take(job, outcome), document)
        }
        // The text changed meanwhile: what this lint keeps is still a start for the next
        // edits (unless a request's lint, run inline, left a newer one).
        if (incremental[uri]?.revision ?? -1) <= job.document.revision {
            incremental[uri] = outcome.state
            if outcome.incremental { incrementalLints += 1 }
        }
        guard waited, (publishedRevisions[uri] ?? -1) <= job.document.revision else { return [] }
        return send(outcome.diagnostics, job.document)
    }

    func forgetRevisions(_ uri: String) {
        lastTicket += 1
        tickets[uri] = lastTicket
        running[uri] = nil
        held.remove(uri)
        publishedRevisions[uri] = nil
    }

    func publish(_ uri: String, quick: Bool = false) -> [Node] {
        pending.remove(uri)
        pendingSince = pending.isEmpty ? nil : pendingSince
        guard let document = documents[uri] else { return [] }
        return send(lint(document, quick: quick), document)
    }

    func send(_ diagnostics: [Diagnostic], _ document: Document) -> [Node] {
        published[document.uri] = diagnostics
        publishedRevisions[document.uri] = document.revision
        var params = ObjectMap()
        params.set("uri", .string(document.uri))
        params.set("version", .number(String(document.version)))
        params.set("diagnostics", .array(diagnostics.map { lspDiagnostic($0, document) }))
        return [notification("textDocument/publishDiagnostics", .object(params))]
    }

    /// The findings `formwork lint` gives for the text, under the template's profile and the
    /// nearest `.formwork.yml`, without its cap (an editor shows each where it stands); the
    /// reader's located error when it does not read. A large document is linted
    /// incrementally (the same findings, from the resources an edit changed).
    func lint(_ document: Document, quick: Bool = false) -> [Diagnostic] {
        switch prepare(document, quick: quick) {
        case .linted(let diagnostics): return diagnostics
        case .exact(let job): return take(job, job.run())
        }
    }

    enum Prepared {
        case linted([Diagnostic])
        /// The exact lint to run (here or on another thread).
        case exact(ExactLint)
    }

    /// Reads the text; the findings when that is all (a text that does not read, a quick
    /// lint), else the exact lint to run.
    func prepare(_ document: Document, quick: Bool) -> Prepared {
        unsettled.remove(document.uri)
        let read: ReadResult
        if let kept = quickRead.removeValue(forKey: document.uri), kept.revision == document.revision { read = kept.read } else { read = TemplateReader.read(document.bytes, file: document.path) }
        if let template = read.template { lastTemplates[document.uri] = template; readFailed.remove(document.uri) } else { readFailed.insert(document.uri) }
        readRevisions[document.uri] = document.revision
        if read.template == nil, let kept = movedBaseline(document) {
            // A large document that read before: its located error, and the resources' last
            // findings where they now stand.
            return .linted((kept + localised(read.diagnostics, document)).sorted(by: Diagnostic.reportOrder))
        }
        if quick, let fast = quickLint(document, read: read) {
            unsettled.insert(document.uri)
            quickRead[document.uri] = (document.revision, read)
            remember(fast, document)
            return .linted(fast)
        }
        let large = read.template != nil && document.lines.count >= incrementalLines && document.reader.count == document.client.count
        return .exact(ExactLint(linting: linting, document: document, read: read, layout: large ? layout(of: document) : nil, state: incremental[document.uri],
                                ticket: tickets[document.uri] ?? 0))
    }

    /// An exact lint's outcome for the text it read (which is the document's current one):
    /// kept for the next edit, and its findings.
    func take(_ job: ExactLint, _ outcome: ExactLint.Outcome) -> [Diagnostic] {
        incremental[job.document.uri] = outcome.state
        if outcome.incremental { incrementalLints += 1 }
        if job.read.template != nil { remember(outcome.diagnostics, job.document) }
        return outcome.diagnostics
    }

    /// The session's linting without its state, for an ``ExactLint``.
    var linting: Linting { Linting(linter: linter, profiles: profiles, incrementalLines: incrementalLines) }

    /// A finding in another file (the configuration) is shown at the top of this one.
    func localised(_ diagnostics: [Diagnostic], _ document: Document) -> [Diagnostic] { linting.localised(diagnostics, document) }

    /// Rules whose findings on a resource depend on that resource alone: while the text below
    /// a syntax error does not read (a small document), these still judge the resources above it.
    static let rulesAboveAnError: Set<RuleID> = ["ST-04", "ST-05", "ST-06", "ST-07", "ST-08", "ST-20", "ST-21", "ST-23", "ST-24",
                                                  "LC-01", "LC-02", "LC-03", "LC-09", "RDS-01", "RDS-02", "RDS-03", "RDS-05", "RDS-14", "RDS-19", "AL-03", "AL-07"]

    func lspDiagnostic(_ diagnostic: Diagnostic, _ document: Document) -> Node {
        var map = ObjectMap()
        map.set("range", range(diagnostic.location, document))
        map.set("severity", .number(diagnostic.severity == .error ? "1" : diagnostic.severity == .warning ? "2" : "3"))
        map.set("code", .string(diagnostic.ruleID.rawValue))
        map.set("source", .string("formwork"))
        map.set("message", .string(diagnostic.message + (diagnostic.hint.map { "\nhint: " + $0 } ?? "")))
        if !diagnostic.notes.isEmpty {
            map.set("relatedInformation", .array(diagnostic.notes.map { note in
                .object(ObjectMap(["location": .object(ObjectMap(["uri": .string(document.uri), "range": range(note.location, document)])),
                                   "message": .string(note.message)]))
            }))
        }
        var data = ObjectMap()
        data.set("path", .array(diagnostic.path.map { component -> Node in
            switch component {
            case .key(let key): return .string(key)
            case .index(let index): return .number(String(index))
            }
        }))
        if let hint = diagnostic.hint { data.set("hint", .string(hint)) }
        map.set("data", .object(data))
        return .object(map)
    }

    // MARK: initialize

    func initializeResult() -> Node {
        var capabilities = ObjectMap()
        capabilities.set("textDocumentSync", .object(ObjectMap(["openClose": .bool(true), "change": .number("2"),
                                                                "save": .object(ObjectMap(["includeText": .bool(false)]))])))
        capabilities.set("hoverProvider", .bool(true))
        capabilities.set("completionProvider", .object(ObjectMap(["triggerCharacters": .array(["!", ":", " ", ".", "{", "$"].map { .string($0) }),
                                                                  "resolveProvider": .bool(false)])))
        capabilities.set("definitionProvider", .bool(true))
        capabilities.set("referencesProvider", .bool(true))
        capabilities.set("documentSymbolProvider", .bool(true))
        capabilities.set("codeActionProvider", .object(ObjectMap(["codeActionKinds": .array([.string("quickfix")])])))
        capabilities.set("documentFormattingProvider", .bool(true))
        capabilities.set("renameProvider", .object(ObjectMap(["prepareProvider": .bool(true)])))
        return .object(ObjectMap(["capabilities": .object(capabilities),
                                  "serverInfo": .object(ObjectMap(["name": .string("formwork"), "version": .string(version)]))]))
    }

    // MARK: messages

    func response(_ id: Node, _ result: Node) -> Node {
        .object(ObjectMap(["jsonrpc": .string("2.0"), "id": id, "result": result]))
    }

    func error(_ id: Node, code: Int, _ message: String) -> Node {
        .object(ObjectMap(["jsonrpc": .string("2.0"), "id": id,
                           "error": .object(ObjectMap(["code": .number(String(code)), "message": .string(message)]))]))
    }

    func notification(_ method: String, _ params: Node) -> Node {
        .object(ObjectMap(["jsonrpc": .string("2.0"), "method": .string(method), "params": params]))
    }

    static func position(_ node: Node?) -> (line: Int, character: Int)? {
        guard let line = node?["line"]?.intValue, let character = node?["character"]?.intValue, line >= 0, character >= 0 else { return nil }
        return (line, character)
    }

    static func positionNode(_ position: (line: Int, character: Int)) -> Node {
        .object(ObjectMap(["line": .number(String(position.line)), "character": .number(String(position.character))]))
    }

    /// The range of the token that starts at a reader location.
    func range(_ location: Location, _ document: Document) -> Node {
        let place = location.isKnown ? location : Location(line: 1, column: 1)
        return .object(ObjectMap(["start": Self.positionNode(document.position(place)), "end": Self.positionNode(document.tokenEnd(place))]))
    }

    /// The range between two scalar indexes of one of the client's lines.
    func range(line: Int, from start: Int, to end: Int, _ document: Document) -> Node {
        .object(ObjectMap(["start": Self.positionNode(document.position(document.location(line: line, scalar: start))),
                           "end": Self.positionNode(document.position(document.location(line: line, scalar: end)))]))
    }
}

extension Linting {
    /// A finding in another file (the configuration) is shown at the top of this one.
    func localised(_ diagnostics: [Diagnostic], _ document: Document) -> [Diagnostic] {
        diagnostics.map { diagnostic in
            guard let file = diagnostic.file, file != document.path else { return diagnostic }
            var moved = diagnostic
            moved.message = "\(file):\(diagnostic.location.line):\(diagnostic.location.column): \(diagnostic.message)"
            moved.location = Location(line: 1, column: 1)
            moved.file = document.path
            return moved
        }
    }

    /// While a document does not read (a half-typed line), the resources that stand wholly
    /// before the error are read and judged by the resource-local rules, so that an editor
    /// keeps showing what is wrong above the cursor.
    func partialFindings(_ document: Document, errors: [Diagnostic]) -> [Diagnostic] {
        let lines = document.reader
        guard let errorLine = errors.map(\.location.line).filter({ $0 > 1 }).min(), errorLine - 1 <= lines.count else { return [] }
        // Cut before the top-level entry or resource that holds the error.
        var cut = errorLine - 1
        while cut > 0 {
            let (indent, key, _) = TextContext.keyOf(Array(lines.line(cut - 1)))
            if key != nil && indent <= 2 { cut -= 1; break }
            cut -= 1
        }
        guard cut > 0 else { return [] }
        // The text up to that line, with its own line breaks (so that columns stay).
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: lines.scalars[..<lines.starts[cut]])
        let partial = LintJob.lint(bytes: Array(String(prefix).utf8), file: document.path, profiles: profiles, linter: linter)
        return partial.diagnostics.filter { LanguageServerSession.rulesAboveAnError.contains($0.ruleID) && $0.location.line <= cut }
    }
}
