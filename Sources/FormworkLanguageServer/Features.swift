import FormworkRules
import FormworkSchema
import FormworkTemplate

/// Hover, completion, navigation, symbols, code actions and formatting.
extension LanguageServerSession {
    func context(_ document: Document, _ position: (line: Int, character: Int)) -> TextContext {
        TextContext(lines: document.lines, line: position.line, column: document.scalarIndex(line: position.line, character: position.character))
    }

    /// The last template of the document that read (the current text when it reads); the
    /// text is read once per revision.
    func template(_ document: Document) -> Template? {
        if readRevisions[document.uri] != document.revision {
            if let current = TemplateReader.read(document.bytes, file: document.path).template { lastTemplates[document.uri] = current }
            readRevisions[document.uri] = document.revision
        }
        return lastTemplates[document.uri]
    }

    /// The type of a resource, from the template or, while it does not read, from its text.
    func resourceType(_ id: String, _ document: Document, _ template: Template?) -> String? {
        if let type = template?.resources.first(where: { $0.logicalID == id })?.type { return type }
        var inside = false
        for line in document.lines {
            let (indent, key, _) = TextContext.keyOf(line)
            if indent == 2, let key { inside = key == id; continue }
            if inside, indent == 4, key == "Type" {
                return String(String(String.UnicodeScalarView(line)).split(separator: ":", maxSplits: 1).last ?? "").trimmingSpaces
            }
        }
        return nil
    }

    // MARK: hover

    func hover(_ document: Document, _ position: (line: Int, character: Int)) -> Node {
        let here = context(document, position)
        var sections: [String] = []
        for diagnostic in published[document.uri] ?? [] {
            let start = document.position(diagnostic.location), end = document.tokenEnd(diagnostic.location)
            guard start.line == position.line, end.line == position.line, position.character >= start.character, position.character <= end.character else { continue }
            var text = "**\(diagnostic.ruleID)** \(diagnostic.message)"
            if let rule = RuleRegistry.rule(diagnostic.ruleID)?.description { text += "\n\n\(rule.name): \(rule.rationale)" }
            else if let finding = ToolFindings.finding(diagnostic.ruleID) { text += "\n\n\(finding.description)" }
            sections.append(text)
        }
        let template = self.template(document)
        let word = here.word
        if !word.isEmpty {
            if registry.contains(word), let schema = registry.schema(for: word) {
                sections.append("```text\n" + SchemaReport.text(schema) + "```")
            } else if here.path.count >= 3, here.path[0] == "Resources", here.path[2] == "Properties", here.lineKey == word, here.atKey,
                      let type = resourceType(here.path[1], document, template), let schema = registry.schema(for: type),
                      let facts = SchemaReport.propertyFacts(schema, path: Array(here.path.dropFirst(3)) + [word]) {
                sections.append("```text\n" + facts.text + "\n```")
            } else if let target = describeTarget(String(word.split(separator: ".").first ?? ""), template, isKey: here.atKey && here.lineKey == word) {
                sections.append(target)
            }
        }
        guard !sections.isEmpty else { return Node(.null) }
        return .object(ObjectMap(["contents": .object(ObjectMap(["kind": .string("markdown"), "value": .string(sections.joined(separator: "\n\n---\n\n"))]))]))
    }

    /// What a Ref, GetAtt, Sub variable, DependsOn or Condition names.
    func describeTarget(_ name: String, _ template: Template?, isKey: Bool) -> String? {
        guard let template, !name.isEmpty, !isKey else { return nil }
        if let resource = template.resources.first(where: { $0.logicalID == name }) {
            var text = "**\(name)**: resource `\(resource.type ?? "?")`, line \(resource.keyLocation.line)"
            if let summary = resource.type.flatMap(registry.summary(for:)), !summary.attributes.isEmpty {
                text += "\n\nFn::GetAtt: " + summary.attributes.joined(separator: ", ")
            }
            return text
        }
        if let parameter = template.parameters?.entries.first(where: { $0.key == name }) {
            var text = "**\(name)**: parameter `\(parameter.value["Type"]?.scalarText ?? "?")`, line \(parameter.keyLocation.line)"
            if !Secrets.isNoEcho(parameter.value) {
                if let value = parameter.value["Default"]?.scalarText { text += "; Default `\(value)`" }
                if let allowed = parameter.value["AllowedValues"]?.arrayValue { text += "; AllowedValues " + allowed.compactMap(\.scalarText).map { "`\($0)`" }.joined(separator: ", ") }
            } else {
                text += " (NoEcho)"
            }
            return text
        }
        if let condition = template.root["Conditions"]?.objectValue?.entries.first(where: { $0.key == name }) {
            return "**\(name)**: condition, line \(condition.keyLocation.line)"
        }
        if name.hasPrefix("AWS::"), Self.pseudoParameters.contains(name) { return "**\(name)**: pseudo parameter, known at deployment" }
        return nil
    }

    static let pseudoParameters = ["AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"]
    static let sections = ["AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs"]
    static let resourceAttributes = ["Type", "Properties", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata", "CreationPolicy", "UpdatePolicy"]
    static let shortForms = ["Ref", "GetAtt", "Sub", "Join", "Select", "Split", "If", "Equals", "And", "Or", "Not", "Condition", "FindInMap",
                             "GetAZs", "ImportValue", "Base64", "Cidr", "Length", "ToJsonString"]

    // MARK: completion

    func completion(_ document: Document, _ position: (line: Int, character: Int)) -> Node {
        let here = context(document, position)
        let template = self.template(document)
        let before = here.before
        let typed = here.word
        var items: [Node] = []
        func item(_ label: String, kind: Int, detail: String? = nil, documentation: String? = nil, insert: String? = nil, sort: String? = nil) {
            var map = ObjectMap()
            map.set("label", .string(label))
            if let sort { map.set("sortText", .string(sort)) }
            map.set("kind", .number(String(kind)))
            if let detail { map.set("detail", .string(detail)) }
            if let documentation { map.set("documentation", .string(documentation)) }
            if let insert { map.set("insertText", .string(insert)) }
            items.append(.object(map))
        }
        let resources = template?.resources.map(\.logicalID) ?? []
        let parameters = template?.parameters?.keys ?? []
        let conditions = template?.root["Conditions"]?.objectValue?.keys ?? []
        let trimmed = before.trimmingSpaces
        func endsWith(_ function: String) -> Bool {
            let pattern = trimmed.hasSuffix(typed) ? String(trimmed.dropLast(typed.count)).trimmingSpaces : trimmed
            return pattern.hasSuffix(function)
        }
        if endsWith("!Ref") || endsWith("Ref:") || endsWith("{Ref:") {
            for name in parameters where Self.fuzzy(typed, name) { item(name, kind: 6, detail: "parameter") }
            for name in resources where Self.fuzzy(typed, name) { item(name, kind: 18, detail: resourceType(name, document, template)) }
            for name in Self.pseudoParameters where Self.fuzzy(typed, name) { item(name, kind: 21, detail: "pseudo parameter") }
        } else if endsWith("!GetAtt") || endsWith("Fn::GetAtt:") || before.hasSuffix("${" + typed) && typed.contains(".") {
            for id in resources {
                let attributes = resourceType(id, document, template).flatMap(registry.summary(for:))?.attributes ?? []
                for attribute in attributes where Self.fuzzy(typed, "\(id).\(attribute)") { item("\(id).\(attribute)", kind: 10, detail: resourceType(id, document, template)) }
            }
        } else if before.hasSuffix("${" + typed) {
            for name in parameters + resources + Self.pseudoParameters where Self.fuzzy(typed, name) { item(name, kind: 6) }
        } else if here.lineKey == "DependsOn" || here.path.last == "DependsOn" {
            for name in resources where Self.fuzzy(typed, name) && name != here.path.dropFirst().first { item(name, kind: 18, detail: resourceType(name, document, template)) }
        } else if here.lineKey == "Condition" || endsWith("!Condition") || endsWith("!If [") || endsWith("!If") {
            for name in conditions where Self.fuzzy(typed, name) { item(name, kind: 6, detail: "condition") }
        } else if before.hasSuffix("!" + typed) {
            for name in Self.shortForms where Self.fuzzy(typed, name) { item("!" + name, kind: 3, detail: name == "Ref" || name == "Condition" ? name : "Fn::" + name, insert: name) }
        } else if here.lineKey == "Type", here.path.count == 2, here.path[0] == "Resources" {
            var count = 0
            for name in registry.typeNames where Self.fuzzy(typed, name) {
                item(name, kind: 7, detail: "resource type")
                count += 1
                if count == 200 { break }
            }
        } else if here.atKey {
            let path = here.path
            if path.isEmpty {
                for name in Self.sections where Self.fuzzy(typed, name) { item(name, kind: 14, detail: "template section") }
            } else if path.count == 2, path[0] == "Resources" {
                for name in Self.resourceAttributes where Self.fuzzy(typed, name) { item(name, kind: 14, detail: "resource attribute") }
            } else if path.count >= 3, path[0] == "Resources", path[2] == "Properties",
                      let type = resourceType(path[1], document, template), let schema = registry.schema(for: type) {
                var shape = schema.root
                for name in path.dropFirst(3) {
                    var container = schema.resolve(shape)
                    if let items = container.items?.value { container = schema.resolve(items) }
                    guard let next = container.property(name) else { return .array([]) }
                    shape = next
                }
                var container = schema.resolve(shape)
                if let items = container.items?.value { container = schema.resolve(items) }
                let present = Set(siblingKeys(document, line: position.line, indent: here.indent))
                let required = path.count == 3 ? schema.required : container.required
                // Those not written yet first, required ones before the others.
                for (name, child) in container.properties where Self.fuzzy(typed, name) {
                    let facts = SchemaReport.typeText(child, in: schema) + (required.contains(name) ? " (required)" : "")
                    let order = (present.contains(name) ? "2" : required.contains(name) ? "0" : "1") + name
                    item(name, kind: 10, detail: facts, documentation: SchemaReport.propertyFacts(schema, path: Array(path.dropFirst(3)) + [name])?.text, sort: order)
                }
            }
        } else if let key = here.lineKey, here.path.count >= 3, here.path[0] == "Resources", here.path[2] == "Properties",
                  let type = resourceType(here.path[1], document, template), let schema = registry.schema(for: type),
                  let facts = SchemaReport.propertyFacts(schema, path: Array(here.path.dropFirst(3)) + [key]) {
            let shape = schema.resolve(facts.shape)
            for value in shape.enumValues ?? [] {
                if let text = value.scalarText, Self.fuzzy(typed, text) { item(text, kind: 20, detail: "allowed value of \(key)") }
            }
            if shape.types.contains(.boolean) { for text in ["true", "false"] where Self.fuzzy(typed, text) { item(text, kind: 20) } }
        }
        return .object(ObjectMap(["isIncomplete": .bool(true), "items": .array(items)]))
    }

    /// The keys already written beside a line, at the same indentation in the same block.
    func siblingKeys(_ document: Document, line: Int, indent: Int) -> [String] {
        var keys: [String] = []
        for direction in [-1, 1] {
            var index = line + direction
            while index >= 0, index < document.lines.count {
                let (lineIndent, key, _) = TextContext.keyOf(document.lines[index])
                let blank = document.lines[index].allSatisfy { $0 == " " }
                if !blank, lineIndent < indent { break }
                if lineIndent == indent, let key { keys.append(key) }
                index += direction
            }
        }
        return keys
    }

    /// Case-insensitive subsequence match (`dbinst` finds `AWS::RDS::DBInstance`).
    public static func fuzzy(_ typed: String, _ candidate: String) -> Bool {
        guard !typed.isEmpty else { return true }
        var wanted = typed.lowercased().unicodeScalars.makeIterator()
        var next = wanted.next()
        for scalar in candidate.lowercased().unicodeScalars where scalar == next { next = wanted.next() }
        return next == nil
    }

    // MARK: navigation

    /// The name a position refers to, and where it is defined.
    func definitionTarget(_ document: Document, _ position: (line: Int, character: Int)) -> (name: String, location: Location)? {
        let here = context(document, position)
        guard let template = template(document) else { return nil }
        let name = String(here.word.split(separator: ".").first ?? "")
        guard !name.isEmpty else { return nil }
        if let resource = template.resources.first(where: { $0.logicalID == name }) { return (name, resource.keyLocation) }
        if let entry = template.parameters?.entries.first(where: { $0.key == name }) { return (name, entry.keyLocation) }
        if let entry = template.root["Conditions"]?.objectValue?.entries.first(where: { $0.key == name }) { return (name, entry.keyLocation) }
        if let entry = template.root["Mappings"]?.objectValue?.entries.first(where: { $0.key == name }) { return (name, entry.keyLocation) }
        return nil
    }

    func definition(_ document: Document, _ position: (line: Int, character: Int)) -> Node {
        guard let target = definitionTarget(document, position) else { return Node(.null) }
        return .object(ObjectMap(["uri": .string(document.uri), "range": range(target.location, document)]))
    }

    func references(_ document: Document, _ position: (line: Int, character: Int), includeDeclaration: Bool) -> Node {
        guard let target = definitionTarget(document, position) else { return .array([]) }
        var places: [Location] = includeDeclaration ? [target.location] : []
        // Every line that mentions the name as a word where a reference can stand.
        for (index, line) in document.lines.enumerated() {
            let text = String(String.UnicodeScalarView(line))
            for column in Self.occurrences(of: target.name, in: line) {
                let location = document.location(line: index, scalar: column)
                if location.line == target.location.line && location.column == target.location.column { continue }
                let prefix = text.unicodeScalars.prefix(column)
                let before = String(String.UnicodeScalarView(prefix)).trimmingSpaces
                let (_, key, _) = TextContext.keyOf(line)
                let referring = before.hasSuffix("!Ref") || before.hasSuffix("Ref:") || before.hasSuffix("!GetAtt") || before.hasSuffix("${")
                    || before.hasSuffix("!Condition") || before.hasSuffix("Condition:") || before.hasSuffix("DependsOn:") || before.hasSuffix("[")
                    || before.hasSuffix(",") || before.hasSuffix("-") || before.hasSuffix("\"") || key == "DependsOn" || key == "Condition"
                if referring { places.append(location) }
            }
        }
        return .array(places.map { .object(ObjectMap(["uri": .string(document.uri), "range": range($0, document)])) })
    }

    /// Scalar offsets where `name` stands as a whole word in a line.
    static func occurrences(of name: String, in line: [Unicode.Scalar]) -> [Int] {
        let wanted = Array(name.unicodeScalars)
        guard !wanted.isEmpty, line.count >= wanted.count else { return [] }
        func isWord(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == ":" }
        var found: [Int] = []
        for start in 0...(line.count - wanted.count) where Array(line[start..<(start + wanted.count)]) == wanted {
            let end = start + wanted.count
            if start > 0, isWord(line[start - 1]) { continue }
            if end < line.count, isWord(line[end]) { continue }
            found.append(start)
        }
        return found
    }

    // MARK: symbols

    func symbols(_ document: Document) -> Node {
        guard let template = template(document) else { return .array([]) }
        func symbol(_ name: String, kind: Int, detail: String?, at location: Location, children: [Node] = []) -> Node {
            var map = ObjectMap()
            map.set("name", .string(name))
            if let detail { map.set("detail", .string(detail)) }
            map.set("kind", .number(String(kind)))
            let where_ = range(location, document)
            map.set("range", where_)
            map.set("selectionRange", where_)
            if !children.isEmpty { map.set("children", .array(children)) }
            return .object(map)
        }
        var result: [Node] = []
        for section in template.root.entries {
            switch section.key {
            case "Parameters", "Conditions", "Mappings", "Outputs":
                let kind = section.key == "Parameters" ? 13 : section.key == "Outputs" ? 8 : section.key == "Conditions" ? 17 : 19
                let children: [Node] = (section.value.objectValue?.entries ?? []).map { entry in
                    symbol(entry.key, kind: kind, detail: entry.value["Type"]?.scalarText, at: entry.keyLocation)
                }
                result.append(symbol(section.key, kind: 3, detail: nil, at: section.keyLocation, children: children))
            case "Resources":
                var services: [String: [Node]] = [:]
                var firstLocation: [String: Location] = [:]
                for resource in template.resources {
                    let parts = (resource.type ?? "?").split(separator: ":").filter { !$0.isEmpty }
                    let service = parts.count >= 3 ? String(parts[1]) : "Other"
                    services[service, default: []].append(symbol(resource.logicalID, kind: 5, detail: resource.type, at: resource.keyLocation))
                    if firstLocation[service] == nil { firstLocation[service] = resource.keyLocation }
                }
                let children = services.keys.sorted().map { symbol($0, kind: 2, detail: "\(services[$0]!.count) resources", at: firstLocation[$0]!, children: services[$0]!) }
                result.append(symbol("Resources", kind: 3, detail: nil, at: section.keyLocation, children: children))
            default:
                result.append(symbol(section.key, kind: 7, detail: nil, at: section.keyLocation))
            }
        }
        return .array(result)
    }

    // MARK: code actions and formatting

    func codeActions(_ document: Document, _ requested: Node?, _ diagnostics: [Node]) -> Node {
        var actions: [Node] = []
        func edit(_ title: String, _ range: Node, _ text: String, _ diagnostic: Node) {
            let change = ObjectMap(["range": range, "newText": .string(text)])
            let workspace = ObjectMap(["changes": .object(ObjectMap([ObjectMap.Entry(key: document.uri, value: .array([.object(change)]))]))])
            actions.append(.object(ObjectMap(["title": .string(title), "kind": .string("quickfix"), "diagnostics": .array([diagnostic]),
                                              "edit": .object(workspace)])))
        }
        for diagnostic in diagnostics {
            guard let code = diagnostic["code"]?.stringValue, let start = Self.position(diagnostic["range"]?["start"]),
                  let end = Self.position(diagnostic["range"]?["end"]), start.line < document.lines.count else { continue }
            let line = document.lines[start.line]
            let first = document.scalarIndex(line: start.line, character: start.character)
            let last = document.scalarIndex(line: end.line, character: end.character)
            let token = String(String.UnicodeScalarView(line[min(first, line.count)..<min(max(last, first), line.count)]))
            let path = diagnostic["data"]?["path"]?.arrayValue?.compactMap(\.scalarText) ?? []
            switch code {
            case "LC-01" where token == "Retain" || token == "RetainExceptOnCreate":
                edit("Use Delete (the stack's resources go with it)", diagnostic["range"]!, "Delete", diagnostic)
            case "LC-02" where path.count >= 2 && path[0] == "Resources":
                if let insertion = attributeInsertion(document, resource: path[1], lines: ["DeletionPolicy: Delete", "UpdateReplacePolicy: Delete"]) {
                    edit("Add DeletionPolicy: Delete and UpdateReplacePolicy: Delete", insertion.range, insertion.text, diagnostic)
                }
            case "NM-01":
                if let fix = Self.suffixed(line: line, from: first, message: diagnostic["message"]?.stringValue ?? "") {
                    edit("Add the suffix: \(fix.text)", range(line: start.line, from: fix.start, to: fix.end, document), fix.text, diagnostic)
                }
            case "ST-06" where ["yes", "no", "on", "off", "y", "n", "true", "false"].contains(token.lowercased()):
                edit("Quote '\(token)' (a YAML 1.1 reader takes it for a boolean)", diagnostic["range"]!, "'\(token)'", diagnostic)
            default:
                break
            }
            if path.count >= 2, path[0] == "Resources", RuleRegistry.rule(code) != nil,
               let insertion = attributeInsertion(document, resource: path[1], lines: ["Metadata:", "  formwork:", "    ignore:", "      - {rule: \(code), reason: \"why this is acceptable\"}"]),
               template(document)?.resources.first(where: { $0.logicalID == path[1] })?.metadata == nil {
                edit("Suppress \(code) on \(path[1]) (with a reason)", insertion.range, insertion.text, diagnostic)
            }
        }
        return .array(actions)
    }

    /// A name with the suffix parameter appended (NM-01): a literal becomes a Sub, a Sub gets
    /// `-${Suffix}` before its closing quote. The parameter is the one the finding names.
    static func suffixed(line: [Unicode.Scalar], from start: Int, message: String) -> (start: Int, end: Int, text: String)? {
        var suffix = "EnvironmentSuffix"
        let words = Array(message.unicodeScalars)
        if let open = words.indices.first(where: { words[$0] == "$" && $0 + 1 < words.count && words[$0 + 1] == "{" }),
           let close = words[(open + 2)...].firstIndex(of: "}") {
            suffix = String(String.UnicodeScalarView(words[(open + 2)..<close]))
        }
        var scalars = Array(line[min(start, line.count)...])
        if let comment = scalars.indices.first(where: { scalars[$0] == "#" && $0 > 0 && scalars[$0 - 1] == " " }) { scalars = Array(scalars[..<comment]) }
        var value = Substring(String(String.UnicodeScalarView(scalars)))
        while value.last == " " || value.last == "\r" { value.removeLast() }
        let length = value.unicodeScalars.count
        if value.hasPrefix("!Sub ") {
            let body = value.dropFirst(5).drop(while: { $0 == " " })
            guard let quote = body.first, quote == "'" || quote == "\"", body.count >= 2, body.last == quote else { return nil }
            return (start, start + length, "!Sub " + String(body.dropLast()) + "-${\(suffix)}" + String(quote))
        }
        guard !value.isEmpty, !value.hasPrefix("!"), !value.hasPrefix("{"), !value.hasPrefix("[") else { return nil }
        var literal = String(value)
        if literal.count >= 2, let quote = literal.first, (quote == "'" || quote == "\""), literal.last == quote { literal = String(literal.dropFirst().dropLast()) }
        let escaped = literal.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''")
        return (start, start + length, "!Sub '\(escaped)-${\(suffix)}'")
    }

    /// Where to insert resource attributes: after the resource's `Type:` line, at its indentation.
    func attributeInsertion(_ document: Document, resource: String, lines inserted: [String]) -> (range: Node, text: String)? {
        guard let template = template(document), let found = template.resources.first(where: { $0.logicalID == resource }),
              let type = found.body.entries.first(where: { $0.key == "Type" }) else { return nil }
        let line = type.keyLocation.line
        guard line >= 1, line <= document.reader.count else { return nil }
        let indent = String(repeating: " ", count: max(type.keyLocation.column - 1, 0))
        // A flow mapping (`{Type: ...}`) has no line to insert after.
        guard document.reader.line(line - 1).prefix(type.keyLocation.column - 1).allSatisfy({ $0 == " " }) else { return nil }
        let point = Self.positionNode(document.position(Location(line: line + 1, column: 1)))
        return (.object(ObjectMap(["start": point, "end": point])), inserted.map { indent + $0 + "\n" }.joined())
    }

    func formatting(_ document: Document) -> Node {
        let outcome = FormatJob.run(bytes: document.bytes, path: document.path)
        guard let canonical = outcome.canonical, !outcome.isCanonical else { return .array([]) }
        let whole = ObjectMap(["start": Self.positionNode((0, 0)), "end": Self.positionNode(document.endPosition)])
        return .array([.object(ObjectMap(["range": .object(whole), "newText": .string(String(decoding: canonical, as: UTF8.self))]))])
    }
}
