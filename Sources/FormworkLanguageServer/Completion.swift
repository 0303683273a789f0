import FormworkSchema
import FormworkTemplate

/// Completion: what may be written at the cursor, each item with the edit that writes it.
///
/// Every item carries a `textEdit` whose range covers the part of the word it replaces, and
/// the same text as `insertText` and `filterText`. The range starts after the longest part of
/// the typed word (ending at `::` or `.`) that the item begins with: accepting
/// `AWS::RDS::DBInstance` after `AWS::RDS::DBIn` replaces `DBIn` with `DBInstance`. Clients
/// that ignore the range and complete the keyword before the cursor (Neovim 0.7's omnifunc,
/// whose keywords stop at `:` and `.`) then insert the same text as those that apply it.
struct CompletionItems {
    /// One item before it is written out.
    struct Item {
        var label: String
        var kind: Int
        var detail: String?
        var documentation: String?
        /// The whole text the item stands for (`AWS::RDS::DBInstance`, `Role.Arn`).
        var text: String
        /// What is written after `text` (`: ` after a key), and whether it is a snippet.
        var suffix = ""
        var snippet = false
        var sort: String
    }

    var items: [Item] = []
    /// The typed word, from its start to the cursor.
    let typed: String
    let line: Int
    let wordStart: Int
    let cursor: Int

    mutating func add(_ label: String, kind: Int, detail: String? = nil, documentation: String? = nil, text: String? = nil, suffix: String = "",
                      snippet: Bool = false, rank: Int = 1) {
        let whole = text ?? label
        // Within a rank, those that start with what was typed (after the kept part) first.
        let rest = String(String.UnicodeScalarView(Array(whole.unicodeScalars).dropFirst(Self.kept(typed: typed, text: whole)))).lowercased()
        let typedRest = String(String.UnicodeScalarView(Array(typed.unicodeScalars).dropFirst(Self.kept(typed: typed, text: whole)))).lowercased()
        items.append(Item(label: label, kind: kind, detail: detail, documentation: documentation, text: whole, suffix: suffix,
                          snippet: snippet, sort: "\(rank)\(rest.hasPrefix(typedRest) ? 0 : 1)" + label))
    }

    /// How many scalars of the typed word stay: the longest prefix ending at `::` or `.` that
    /// `text` starts with.
    static func kept(typed: String, text: String) -> Int {
        let typedScalars = Array(typed.unicodeScalars), textScalars = Array(text.unicodeScalars)
        var kept = 0
        for index in typedScalars.indices where typedScalars[index] == ":" || typedScalars[index] == "." {
            let prefix = typedScalars[...index]
            if textScalars.count >= prefix.count, textScalars[..<prefix.count].elementsEqual(prefix) { kept = index + 1 } else { break }
        }
        return kept
    }
}

extension LanguageServerSession {
    func completion(_ document: Document, _ position: (line: Int, character: Int)) -> Node {
        let here = context(document, position)
        let lineScalars = position.line < document.lines.count ? document.lines[position.line] : []
        let cursor = min(document.scalarIndex(line: position.line, character: position.character), lineScalars.count)
        let wordStart = min(here.wordStart, cursor)
        let typed = String(String.UnicodeScalarView(lineScalars[wordStart..<cursor]))
        var list = CompletionItems(typed: typed, line: position.line, wordStart: wordStart, cursor: cursor)
        collect(&list, document, here, typed: typed, line: position.line)
        let limit = 400
        let sorted = list.items.sorted { $0.sort < $1.sort }
        let isJSON = document.path.hasSuffix(".json") || String(String.UnicodeScalarView(lineScalars)).trimmingSpaces.hasPrefix("\"")
        let closingQuote = isJSON && cursor < lineScalars.count && lineScalars[cursor] == "\""
        return .object(ObjectMap(["isIncomplete": .bool(true), "items": .array(sorted.prefix(limit).map { item in
            completionNode(item, list, document, closingQuote: closingQuote)
        })]))
    }

    private func completionNode(_ item: CompletionItems.Item, _ list: CompletionItems, _ document: Document, closingQuote: Bool) -> Node {
        let kept = CompletionItems.kept(typed: list.typed, text: item.text)
        let rest = String(String.UnicodeScalarView(Array(item.text.unicodeScalars).dropFirst(kept)))
        var newText = item.snippet ? Self.snippetEscaped(rest) + item.suffix : rest + item.suffix
        var end = list.cursor
        // In JSON a key's closing quote (often typed by the editor already) is written once.
        if closingQuote, item.suffix.hasPrefix(":") { newText = (item.snippet ? Self.snippetEscaped(rest) : rest) + "\"" + item.suffix; end += 1 }
        var map = ObjectMap()
        map.set("label", .string(item.label))
        map.set("kind", .number(String(item.kind)))
        if let detail = item.detail { map.set("detail", .string(detail)) }
        if let documentation = item.documentation {
            map.set("documentation", .object(ObjectMap(["kind": .string("markdown"), "value": .string(documentation)])))
        }
        map.set("sortText", .string(item.sort))
        map.set("filterText", .string(rest))
        map.set("insertText", .string(newText))
        if item.snippet {
            map.set("insertTextFormat", .number("2"))
            // The snippet's lines carry their own indentation.
            map.set("insertTextMode", .number("1"))
        }
        map.set("textEdit", .object(ObjectMap(["range": range(line: list.line, from: list.wordStart + kept, to: end, document), "newText": .string(newText)])))
        return .object(map)
    }

    static func snippetEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "$" || character == "}" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    private func collect(_ list: inout CompletionItems, _ document: Document, _ here: TextContext, typed: String, line: Int) {
        let template = self.template(document)
        let before = here.before
        let resources = template?.resources.map(\.logicalID) ?? textResources(document)
        let parameters = template?.parameters?.keys ?? []
        let conditions = template?.root["Conditions"]?.objectValue?.keys ?? []
        let trimmed = before.trimmingSpaces
        let lead = trimmed.hasSuffix(typed) ? String(trimmed.dropLast(typed.count)).trimmingSpaces : trimmed
        func after(_ patterns: String...) -> Bool { patterns.contains { lead.hasSuffix($0) } }
        func type(_ id: String) -> String? { resourceType(id, document, template) }
        func attributes(_ id: String, rank: Int = 1) {
            guard let type = type(id) else { return }
            let schema = registry.schema(for: type)
            for attribute in registry.summary(for: type)?.attributes ?? [] where Self.fuzzy(typed, attribute) || Self.fuzzy(typed, "\(id).\(attribute)") {
                let types = schema?.attributes.first(where: { $0.name == attribute })?.types.map(\.rawValue).joined(separator: " | ")
                list.add(attribute, kind: 10, detail: "\(type) attribute" + (types.map { $0.isEmpty ? "" : ": \($0)" } ?? ""), rank: rank)
            }
        }
        func qualifiedAttributes() {
            // `Resource.Attribute`: the resource's own first once its name is typed.
            let named = typed.split(separator: ".", maxSplits: 1).first.map(String.init)
            for id in resources {
                guard let type = type(id) else { continue }
                for attribute in registry.summary(for: type)?.attributes ?? [] where Self.fuzzy(typed, "\(id).\(attribute)") {
                    list.add("\(id).\(attribute)", kind: 10, detail: type, rank: id == named ? 0 : 1)
                }
            }
        }
        func names(_ candidates: [String], kind: Int, detail: (String) -> String?) {
            for name in candidates where Self.fuzzy(typed, name) {
                list.add(name, kind: kind, detail: detail(name), rank: name.lowercased().hasPrefix(typed.lowercased()) ? 0 : 1)
            }
        }
        let resourceID = here.path.count >= 2 && here.path[0] == "Resources" ? here.path[1] : nil

        // Fn::GetAtt's list form: `[Resource, Attr` (flow) or the second item of a block list.
        if let id = Self.getAttListResource(lead) ?? getAttBlockResource(document, here, line: line) {
            attributes(id)
            return
        }
        if here.path.last == "Fn::GetAtt", TextContext.keyOf(document.lines[line]).listItem {
            names(resources, kind: 18, detail: type)
            return
        }
        if after("!Ref", "Ref:", "{Ref:", "\"Ref\":", "{\"Ref\":") {
            names(parameters, kind: 6) { _ in "parameter" }
            names(resources, kind: 18, detail: type)
            names(Self.pseudoParameters, kind: 21) { _ in "pseudo parameter" }
        } else if after("!GetAtt", "Fn::GetAtt:", "\"Fn::GetAtt\":") {
            qualifiedAttributes()
        } else if before.hasSuffix("${" + typed) {
            if typed.contains(".") { qualifiedAttributes() } else {
                names(parameters, kind: 6) { _ in "parameter" }
                names(resources, kind: 18, detail: type)
                names(Self.pseudoParameters, kind: 21) { _ in "pseudo parameter" }
            }
        } else if after("!Condition", "!If [", "!If", "\"Fn::If\": [") || (here.lineKey == "Condition" && !here.atKey) {
            names(conditions, kind: 6) { _ in "condition" }
        } else if (here.lineKey == "DependsOn" && !here.atKey) || (here.path.last == "DependsOn" && TextContext.keyOf(document.lines[line]).listItem) {
            names(resources.filter { $0 != resourceID }, kind: 18, detail: type)
        } else if let key = here.lineKey, !here.atKey, here.path.count == 2, here.path[0] == "Resources", let values = Self.policyValues[key] {
            for value in values where Self.fuzzy(typed, value.name) { list.add(value.name, kind: 20, detail: key, documentation: value.meaning) }
        } else if before.hasSuffix("!" + typed) {
            for name in Self.shortForms where Self.fuzzy(typed, name) {
                list.add("!" + name, kind: 3, detail: name == "Ref" || name == "Condition" ? name : "Fn::" + name, documentation: IntrinsicFacts.function(name)?.markdown, text: name)
            }
        } else if here.lineKey == "Type", !here.atKey, here.path.count == 2, here.path[0] == "Resources" {
            resourceTypes(&list, typed: typed)
        } else if here.atKey {
            keys(&list, document, here, template: template, typed: typed, line: line)
        } else if let key = here.lineKey, here.path.count >= 3, here.path[0] == "Resources", here.path[2] == "Properties",
                  let type = type(here.path[1]), let schema = registry.schema(for: type),
                  let facts = SchemaReport.propertyFacts(schema, path: Array(here.path.dropFirst(3)) + [key]) {
            let shape = schema.resolve(facts.shape)
            for value in shape.enumValues ?? [] {
                if let text = value.scalarText, Self.fuzzy(typed, text) { list.add(text, kind: 20, detail: "allowed value of \(key)") }
            }
            if shape.types.contains(.boolean) { for text in ["true", "false"] where Self.fuzzy(typed, text) { list.add(text, kind: 20) } }
        }
    }

    /// The resource of `[Resource, ` before the cursor (Fn::GetAtt's list in flow style).
    static func getAttListResource(_ lead: String) -> String? {
        var text = Substring(lead)
        guard text.hasSuffix(",") else { return nil }
        text = text.dropLast()
        while text.last == " " { text.removeLast() }
        if text.last == "\"" || text.last == "'" { text.removeLast() }
        let name = String(text.reversed().prefix { $0.isLetter || $0.isNumber }.reversed())
        guard !name.isEmpty else { return nil }
        text = text.dropLast(name.count)
        if text.last == "\"" || text.last == "'" { text.removeLast() }
        while text.last == " " { text.removeLast() }
        guard text.hasSuffix("[") else { return nil }
        text = text.dropLast()
        while text.last == " " { text.removeLast() }
        return text.hasSuffix("!GetAtt") || text.hasSuffix("Fn::GetAtt:") || text.hasSuffix("\"Fn::GetAtt\":") ? name : nil
    }

    /// The resource on the list item above, when the cursor's line is the second item of a
    /// block `Fn::GetAtt:` list.
    func getAttBlockResource(_ document: Document, _ here: TextContext, line: Int) -> String? {
        guard here.path.last == "Fn::GetAtt", TextContext.keyOf(document.lines[line]).listItem, line > 0 else { return nil }
        let above = document.lines[line - 1]
        let (indent, _, listItem) = TextContext.keyOf(above)
        guard listItem, indent == TextContext.keyOf(document.lines[line]).indent else { return nil }
        let name = String(String.UnicodeScalarView(above.dropFirst(indent))).trimmingSpaces
        return name.isEmpty ? nil : name.trimmingCharacters("\"'")
    }

    /// Logical ids from the text while it does not read: the keys two spaces in under `Resources:`.
    func textResources(_ document: Document) -> [String] {
        var inside = false, found: [String] = []
        for line in document.lines {
            let (indent, key, _) = TextContext.keyOf(line)
            if indent == 0, let key { inside = key == "Resources"; continue }
            if inside, indent == 2, let key { found.append(key) }
        }
        return found
    }

    /// The values of the resource attributes that take one word, with what each does.
    static let policyValues: [String: [(name: String, meaning: String)]] = {
        let delete = ("Delete", "the resource is deleted with the stack (or when it is replaced)")
        let retain = ("Retain", "the resource is kept, outside the stack, when the stack is deleted or the resource replaced")
        let snapshot = ("Snapshot", "a snapshot is taken before deletion (databases, volumes, caches, Redshift, Neptune, DocumentDB)")
        return ["DeletionPolicy": [delete, retain, ("RetainExceptOnCreate", "kept, except when the stack's creation fails and rolls back"), snapshot],
                "UpdateReplacePolicy": [delete, retain, snapshot]]
    }()

    /// Resource types ranked by what was typed: those that start with it, then the service
    /// it names (`rds`, `AWS::RDS::`, `rdsdbin`), then those that contain it, then the rest of
    /// the fuzzy matches.
    func resourceTypes(_ list: inout CompletionItems, typed: String) {
        let wanted = typed.lowercased()
        let compact = wanted.replacingOccurrences(of: "::", with: "")
        for name in registry.typeNames where Self.fuzzy(typed, name) {
            let lower = name.lowercased()
            let parts = lower.split(separator: ":").filter { !$0.isEmpty }
            let service = parts.count >= 2 ? String(parts[1]) : ""
            let bare = compact.hasPrefix("aws") ? String(compact.dropFirst(3)) : compact
            let rank: Int
            if lower.hasPrefix(wanted) { rank = 0 }
            else if !service.isEmpty, bare.hasPrefix(service) || (bare.count >= 2 && service.hasPrefix(bare)) { rank = 1 }
            else if lower.contains(wanted) { rank = 2 }
            else { rank = 3 }
            list.add(name, kind: 7, detail: "resource type", rank: rank)
        }
    }

    /// Keys: sections at the top, resource attributes in a resource, properties (with `: `
    /// and, for a client that takes snippets, the required keys below) in its Properties.
    func keys(_ list: inout CompletionItems, _ document: Document, _ here: TextContext, template: Template?, typed: String, line: Int) {
        let path = here.path
        let indent = String(repeating: " ", count: here.indent)
        if path.isEmpty {
            for name in Self.sections where Self.fuzzy(typed, name) {
                list.add(name, kind: 14, detail: "template section", documentation: TemplateFacts.section(name)?.markdown,
                         suffix: name == "AWSTemplateFormatVersion" || name == "Description" || name == "Transform" ? ": " : ":")
            }
        } else if path.count == 2, path[0] == "Resources" {
            let present = Set(siblingKeys(document, line: line, indent: here.indent))
            for name in Self.resourceAttributes where Self.fuzzy(typed, name) && !present.contains(name) {
                var suffix = [ "Properties", "Metadata", "CreationPolicy", "UpdatePolicy"].contains(name) ? ":" : ": "
                var snippet = false
                if name == "Properties", snippetSupport, let type = resourceType(path[1], document, template), let schema = registry.schema(for: type), !schema.required.isEmpty {
                    suffix += Self.scaffold(schema.required, indent: indent + "  ")
                    snippet = true
                }
                list.add(name, kind: 14, detail: "resource attribute", documentation: TemplateFacts.attribute(name)?.markdown, suffix: suffix, snippet: snippet,
                         rank: name == "Type" || name == "Properties" ? 0 : 1)
            }
        } else if path.count >= 3, path[0] == "Resources", path[2] == "Properties",
                  let type = resourceType(path[1], document, template), let schema = registry.schema(for: type) {
            var shape = schema.root
            for name in path.dropFirst(3) {
                var container = schema.resolve(shape)
                if let items = container.items?.value { container = schema.resolve(items) }
                guard let next = container.property(name) else { return }
                shape = next
            }
            var container = schema.resolve(shape)
            if let items = container.items?.value { container = schema.resolve(items) }
            let present = Set(siblingKeys(document, line: line, indent: here.indent))
            let required = path.count == 3 ? schema.required : container.required
            let readOnly = Set(schema.readOnly.map { $0.replacingOccurrences(of: "/*", with: "") })
            let pointer = "/properties" + path.dropFirst(3).map { "/" + $0 }.joined()
            // Those not written yet first, required ones before the others; read-only ones never.
            for (name, child) in container.properties where Self.fuzzy(typed, name) && !readOnly.contains(pointer + "/" + name) {
                let facts = SchemaReport.typeText(child, in: schema) + (required.contains(name) ? " (required)" : "")
                let rank = present.contains(name) ? 2 : required.contains(name) ? 0 : 1
                let (suffix, snippet) = propertySuffix(schema.resolve(child), schema: schema, indent: indent)
                list.add(name, kind: 10, detail: facts, documentation: SchemaReport.propertyFacts(schema, path: Array(path.dropFirst(3)) + [name])?.text,
                         suffix: suffix, snippet: snippet, rank: rank)
            }
        }
    }

    /// What follows a property's name: `: ` for a scalar; for a mapping or a list, `:` and,
    /// where the client takes snippets, its required keys on the lines below.
    func propertySuffix(_ shape: Shape, schema: ResourceSchema, indent: String) -> (String, Bool) {
        let isList = shape.items != nil || shape.types == [.array]
        let isMap = !isList && (!shape.properties.isEmpty || shape.types == [.object])
        guard isList || isMap else { return (": ", false) }
        guard snippetSupport else { return (":", false) }
        if isList {
            let item = shape.items.map { schema.resolve($0.value) }
            if let item, !item.required.isEmpty { return (":" + Self.scaffold(item.required, indent: indent + "  ", listItem: true), true) }
            return (":\n" + indent + "  - $0", true)
        }
        if !shape.required.isEmpty { return (":" + Self.scaffold(shape.required, indent: indent + "  "), true) }
        return (":\n" + indent + "  $0", true)
    }

    /// The required keys, one a line with a tab stop each.
    static func scaffold(_ keys: [String], indent: String, listItem: Bool = false) -> String {
        keys.enumerated().map { index, key in
            "\n" + indent + (listItem ? (index == 0 ? "- " : "  ") : "") + snippetEscaped(key) + ": $\(index + 1)"
        }.joined()
    }
}
