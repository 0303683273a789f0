import FormworkRules
import FormworkTemplate

extension Document {
    /// True when the text is JSON (its first character opens an object): edits are then
    /// written in JSON.
    var isJSON: Bool {
        for scalar in text.unicodeScalars where scalar != " " && scalar != "\n" && scalar != "\r" && scalar != "\t" && scalar != "\u{FEFF}" {
            return scalar == "{"
        }
        return false
    }
}

/// One edit of a code action, between two LSP positions.
struct TextEdit {
    var start: (line: Int, character: Int)
    var end: (line: Int, character: Int)
    var text: String

    var node: Node {
        .object(ObjectMap(["range": .object(ObjectMap(["start": LanguageServerSession.positionNode(start), "end": LanguageServerSession.positionNode(end)])),
                           "newText": .string(text)]))
    }
}

/// Quick fixes. Each edits the key that is there (a policy's value) or adds the key where
/// none is, in the document's own syntax (YAML or JSON), so that the result still reads.
extension LanguageServerSession {
    func codeActions(_ document: Document, _ requested: Node?, _ diagnostics: [Node]) -> Node {
        var actions: [Node] = []
        var titles = Set<String>()
        func action(_ title: String, _ edits: [TextEdit], _ diagnostic: Node) {
            // One action per fix, however many of the diagnostics it fixes are asked about.
            guard !edits.isEmpty, titles.insert(title).inserted else { return }
            let workspace = ObjectMap(["changes": .object(ObjectMap([ObjectMap.Entry(key: document.uri, value: .array(edits.map(\.node)))]))])
            actions.append(.object(ObjectMap(["title": .string(title), "kind": .string("quickfix"), "diagnostics": .array([diagnostic]),
                                              "edit": .object(workspace)])))
        }
        let template = self.template(document)
        for diagnostic in diagnostics {
            guard let code = diagnostic["code"]?.stringValue, let start = Self.position(diagnostic["range"]?["start"]),
                  let end = Self.position(diagnostic["range"]?["end"]), start.line < document.lines.count else { continue }
            let line = document.lines[start.line]
            let first = document.scalarIndex(line: start.line, character: start.character)
            let last = document.scalarIndex(line: end.line, character: end.character)
            let token = String(String.UnicodeScalarView(line[min(first, line.count)..<min(max(last, first), line.count)]))
            let bare = token.trimmingCharacters("\"'")
            let path = diagnostic["data"]?["path"]?.arrayValue?.compactMap(\.scalarText) ?? []
            switch code {
            case "LC-01" where bare == "Retain" || bare == "RetainExceptOnCreate":
                action("Use Delete (the stack's resources go with it)", [TextEdit(start: start, end: end, text: token == bare ? "Delete" : "\"Delete\"")], diagnostic)
            case "LC-02" where path.count >= 2 && path[0] == "Resources":
                if let template, let resource = template.resource(path[1]) {
                    let edits = ["DeletionPolicy", "UpdateReplacePolicy"].compactMap { setAttribute($0, to: "Delete", of: resource, document) }
                    action("Set DeletionPolicy and UpdateReplacePolicy of \(path[1]) to Delete", edits, diagnostic)
                }
            case "NM-01" where !document.isJSON:
                // Only with the parameter there: a Sub of a name the template lacks is a new error.
                if let fix = Self.suffixed(line: line, from: first, message: diagnostic["message"]?.stringValue ?? ""),
                   template?.parameters?[fix.parameter] != nil {
                    action("Add the suffix: \(fix.text)", [edit(line: start.line, from: fix.start, to: fix.end, fix.text, document)], diagnostic)
                }
            case "ST-06" where !document.isJSON && ["yes", "no", "on", "off", "y", "n", "true", "false"].contains(token.lowercased()):
                action("Quote '\(token)' (a YAML 1.1 reader takes it for a boolean)", [TextEdit(start: start, end: end, text: "'\(token)'")], diagnostic)
            default:
                break
            }
            if path.count >= 2, path[0] == "Resources", RuleRegistry.rule(code) != nil, let resource = template?.resource(path[1]), resource.body["Metadata"] == nil,
               let insertion = insertAttribute("Metadata", yaml: ["Metadata:", "  formwork:", "    ignore:", "      - {rule: \(code), reason: \"why this is acceptable\"}"],
                                               json: "{\"formwork\": {\"ignore\": [{\"rule\": \"\(code)\", \"reason\": \"why this is acceptable\"}]}}", after: resource, document) {
                action("Suppress \(code) on \(path[1]) (with a reason)", [insertion], diagnostic)
            }
        }
        return .array(actions)
    }

    func edit(line: Int, from start: Int, to end: Int, _ text: String, _ document: Document) -> TextEdit {
        TextEdit(start: document.position(document.location(line: line, scalar: start)), end: document.position(document.location(line: line, scalar: end)), text: text)
    }

    /// Sets a one-word resource attribute: its value replaced where the key is written, the
    /// key added after `Type` where it is not; nil when it already has that value or when
    /// the value is not a one-line scalar (a function: left to the author).
    func setAttribute(_ key: String, to value: String, of resource: Resource, _ document: Document) -> TextEdit? {
        if let existing = resource.body[key] {
            guard existing.scalarText != value, existing.location.isKnown, existing.scalarText != nil else { return nil }
            let start = document.position(existing.location), end = document.tokenEnd(existing.location)
            guard start.line == end.line else { return nil }
            return TextEdit(start: start, end: end, text: document.isJSON ? "\"\(value)\"" : value)
        }
        return insertAttribute(key, yaml: ["\(key): \(value)"], json: "\"\(value)\"", after: resource, document)
    }

    /// A new resource attribute on the lines after the resource's `Type`, at its indentation.
    func insertAttribute(_ key: String, yaml: [String], json: String, after resource: Resource, _ document: Document) -> TextEdit? {
        guard let type = resource.body.entry("Type"), type.keyLocation.isKnown else { return nil }
        let line = type.keyLocation.line
        guard line >= 1, line <= document.reader.count else { return nil }
        let lineText = Array(document.reader.line(line - 1))
        let column = type.keyLocation.column - (document.isJSON ? 1 : 0)
        // A flow mapping (`{Type: ...}`, or JSON on one line) has no line to insert after.
        guard column >= 1, lineText.prefix(column - 1).allSatisfy({ $0 == " " }) else { return nil }
        let indent = String(repeating: " ", count: column - 1)
        if !document.isJSON {
            let point = document.position(Location(line: line + 1, column: 1))
            return TextEdit(start: point, end: point, text: yaml.map { indent + $0 + "\n" }.joined())
        }
        // JSON: after the Type value, with the commas the neighbours need.
        guard type.value.location.isKnown, type.value.location.line == line else { return nil }
        let valueEnd = document.tokenEnd(type.value.location)
        var rest = Array(lineText.dropFirst(SourceSpan.tokenEnd(lineText, column: type.value.location.column) - 1))
        while rest.first == " " { rest.removeFirst() }
        let entry = "\"\(key)\": \(json)"
        if rest.first == "," {
            let point = document.position(Location(line: line + 1, column: 1))
            return TextEdit(start: point, end: point, text: indent + entry + ",\n")
        }
        return TextEdit(start: valueEnd, end: valueEnd, text: ",\n" + indent + entry)
    }
}
