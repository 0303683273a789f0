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
            if let current = TemplateReader.read(document.bytes, file: document.path).template {
                lastTemplates[document.uri] = current
                readFailed.remove(document.uri)
            } else {
                readFailed.insert(document.uri)
            }
            readRevisions[document.uri] = document.revision
        }
        return lastTemplates[document.uri]
    }

    /// The type of a resource, from the template or, while it does not read, from its text
    /// (YAML or JSON: the `Type` key below the resource's key, at any indentation).
    func resourceType(_ id: String, _ document: Document, _ template: Template?) -> String? {
        if let type = template?.resources.first(where: { $0.logicalID == id })?.type { return type }
        var inside: Int?
        for (index, line) in document.lines.enumerated() {
            let (indent, key, _) = TextContext.keyOf(line)
            guard let key else { continue }
            if let depth = inside, indent <= depth { inside = nil }
            if key == id, TextContext.enclosingKeys(lines: document.lines, line: index, indent: indent).last == "Resources" { inside = indent; continue }
            if inside != nil, key == "Type" {
                let value = String(String(String.UnicodeScalarView(line)).split(separator: ":", maxSplits: 1).last ?? "")
                return value.trimmingCharacters(" \"',\r")
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
            } else if let fact = languageFact(here, template: template, document: document) {
                sections.append(fact)
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

    /// A name with the suffix parameter appended (NM-01): a literal becomes a Sub, a Sub gets
    /// `-${Suffix}` before its closing quote. The parameter is the one the finding names.
    static func suffixed(line: [Unicode.Scalar], from start: Int, message: String) -> (start: Int, end: Int, text: String, parameter: String)? {
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
            return (start, start + length, "!Sub " + String(body.dropLast()) + "-${\(suffix)}" + String(quote), suffix)
        }
        guard !value.isEmpty, !value.hasPrefix("!"), !value.hasPrefix("{"), !value.hasPrefix("[") else { return nil }
        var literal = String(value)
        if literal.count >= 2, let quote = literal.first, (quote == "'" || quote == "\""), literal.last == quote { literal = String(literal.dropFirst().dropLast()) }
        let escaped = literal.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''")
        return (start, start + length, "!Sub '\(escaped)-${\(suffix)}'", suffix)
    }

    /// The whole document in `fmt`'s canonical form, comments kept; when it has none (a
    /// comment with no place in it, a syntax error) no edit, and why, for the client to show.
    func formatting(_ document: Document) -> (edits: Node, problem: String?) {
        let outcome = FormatJob.run(bytes: document.bytes, path: document.path)
        guard let canonical = outcome.canonical else {
            let problem = outcome.diagnostics.first.map { "formwork: not formatted: \($0.location.line):\($0.location.column): \($0.message) [\($0.ruleID)]" }
            return (.array([]), problem ?? "formwork: not formatted")
        }
        guard !outcome.isCanonical else { return (.array([]), nil) }
        let whole = ObjectMap(["start": Self.positionNode((0, 0)), "end": Self.positionNode(document.endPosition)])
        return (.array([.object(ObjectMap(["range": .object(whole), "newText": .string(String(decoding: canonical, as: UTF8.self))]))]), nil)
    }
}
