import FormworkTemplate

/// Rename of a logical id, parameter, condition, mapping or output: its declaration and every
/// reference the template's tree holds (Ref, Fn::GetAtt in both forms, `${...}` in Fn::Sub in
/// both forms, DependsOn, Condition, Fn::If, Fn::FindInMap), found in the tree and placed on
/// the text, in YAML and JSON alike.
enum RenameKind: String {
    case resource, parameter, condition, mapping, output
}

extension LanguageServerSession {
    /// What a name is, by the section that declares it (resources and parameters share one
    /// namespace in CloudFormation; the others have their own).
    static func kinds(of name: String, in template: Template) -> [RenameKind] {
        var kinds: [RenameKind] = []
        if template.root["Resources"]?.objectValue?[name] != nil { kinds.append(.resource) }
        if template.parameters?[name] != nil { kinds.append(.parameter) }
        if template.conditions?[name] != nil { kinds.append(.condition) }
        if template.mappings?[name] != nil { kinds.append(.mapping) }
        if template.outputs?[name] != nil { kinds.append(.output) }
        return kinds
    }

    /// Where the name stands (declaration and references) as reader locations of its first
    /// character, in document order.
    func renamePlaces(_ name: String, kind: RenameKind, _ template: Template, _ document: Document) -> [Location] {
        var places: [Location] = []
        func word(at location: Location) {
            if let found = findWord(name, from: location, document, sameLineOnly: true) { places.append(found) }
        }
        let section: String = switch kind {
        case .resource: "Resources"
        case .parameter: "Parameters"
        case .condition: "Conditions"
        case .mapping: "Mappings"
        case .output: "Outputs"
        }
        if let entry = template.root[section]?.objectValue?.entry(name) { word(at: entry.keyLocation) }
        let isTarget = kind == .resource || kind == .parameter
        func visit(_ value: Node, inResource: Bool) {
            switch value.kind {
            case .object(let map):
                if kind == .condition, map.count == 1, let condition = map["Condition"], condition.stringValue == name { word(at: condition.location) }
                for entry in map.entries { visit(entry.value, inResource: false) }
            case .array(let items):
                for item in items { visit(item, inResource: false) }
            case .intrinsic(let function):
                let argument = function.argument
                switch function.name {
                case .ref where isTarget && argument.stringValue == name:
                    word(at: argument.location)
                case .getAtt where kind == .resource:
                    if let text = argument.stringValue, text.split(separator: ".", maxSplits: 1).first.map(String.init) == name { word(at: argument.location) }
                    if let first = argument.arrayValue?.first, first.stringValue == name { word(at: first.location) }
                case .sub where isTarget:
                    let string = argument.stringValue != nil ? argument : argument.arrayValue?.first
                    let locals = Set(argument.arrayValue.flatMap { $0.count > 1 ? $0[1].objectValue?.keys : nil } ?? [])
                    if let string, let text = string.stringValue, !locals.contains(name) {
                        let count = SubTemplate.variables(text).filter { $0 == name || $0.hasPrefix(name + ".") }.count
                        places += subPlaces(name, count: count, from: string.location, document)
                    }
                case .findInMap where kind == .mapping:
                    if let first = argument.arrayValue?.first, first.stringValue == name { word(at: first.location) }
                case .if where kind == .condition:
                    if let first = argument.arrayValue?.first, first.stringValue == name { word(at: first.location) }
                default:
                    break
                }
                visit(argument, inResource: false)
            default:
                break
            }
        }
        for section in template.root.entries {
            switch section.key {
            case "Resources":
                for resource in section.value.objectValue?.entries ?? [] {
                    guard let body = resource.value.objectValue else { continue }
                    for attribute in body.entries {
                        switch attribute.key {
                        case "DependsOn" where kind == .resource:
                            let items = attribute.value.arrayValue ?? [attribute.value]
                            for item in items where item.stringValue == name { word(at: item.location) }
                        case "Condition" where kind == .condition:
                            if attribute.value.stringValue == name { word(at: attribute.value.location) }
                        default:
                            visit(attribute.value, inResource: true)
                        }
                    }
                }
            case "Outputs":
                for output in section.value.objectValue?.entries ?? [] {
                    for attribute in output.value.objectValue?.entries ?? [] {
                        if attribute.key == "Condition", kind == .condition { if attribute.value.stringValue == name { word(at: attribute.value.location) } }
                        else { visit(attribute.value, inResource: false) }
                    }
                }
            case "Conditions", "Rules":
                for entry in section.value.objectValue?.entries ?? [] { visit(entry.value, inResource: false) }
            default:
                break
            }
        }
        // One edit per place, in order.
        var seen = Set<Location>()
        return places.filter { seen.insert($0).inserted }.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// The first place at or after `location` where `name` stands as a whole name (not part of
    /// a longer one); on the same line only, or (for a string's body) on the lines it spans.
    func findWord(_ name: String, from location: Location, _ document: Document, sameLineOnly: Bool) -> Location? {
        guard location.isKnown, location.line >= 1, location.line <= document.reader.count else { return nil }
        let wanted = Array(name.unicodeScalars)
        let line = Array(document.reader.line(location.line - 1))
        var index = max(location.column - 1, 0)
        while index + wanted.count <= line.count {
            if line[index..<(index + wanted.count)].elementsEqual(wanted),
               index == 0 || !Self.isNameScalar(line[index - 1]),
               index + wanted.count == line.count || !Self.isNameScalar(line[index + wanted.count]) {
                return Location(line: location.line, column: index + 1)
            }
            index += 1
        }
        return nil
    }

    /// The first `count` places of `${name}` / `${name.Attribute}` in a Sub string's text: on
    /// its line and, for a string that goes on (a block scalar, a folded plain one), on the
    /// lines indented deeper than the line it starts on.
    func subPlaces(_ name: String, count: Int, from location: Location, _ document: Document) -> [Location] {
        guard count > 0, location.isKnown, location.line >= 1, location.line <= document.reader.count else { return [] }
        let wanted = Array(("${" + name).unicodeScalars)
        var found: [Location] = []
        let startIndent = TextContext.keyOf(Array(document.reader.line(location.line - 1))).indent
        var lineNumber = location.line
        while lineNumber <= document.reader.count, found.count < count {
            let line = Array(document.reader.line(lineNumber - 1))
            if lineNumber > location.line {
                let blank = line.allSatisfy { $0 == " " || $0 == "\r" }
                let indent = line.prefix { $0 == " " }.count
                if !blank && indent <= startIndent { break }
            }
            var index = lineNumber == location.line ? max(location.column - 1, 0) : 0
            while index + wanted.count <= line.count, found.count < count {
                if line[index..<(index + wanted.count)].elementsEqual(wanted) {
                    let after = index + wanted.count < line.count ? line[index + wanted.count] : " "
                    if after == "}" || after == "." { found.append(Location(line: lineNumber, column: index + 3)) }
                }
                index += 1
            }
            lineNumber += 1
        }
        return found
    }

    /// The renamable name at a position: the name, what it is, and its places (the position
    /// must be on one of them).
    func renameTarget(_ document: Document, _ position: (line: Int, character: Int)) -> (name: String, kind: RenameKind, places: [Location], at: Location)? {
        guard readFailed.contains(document.uri) == false, let template = template(document) else { return nil }
        let here = context(document, position)
        let name = String(here.word.split(separator: ".").first ?? "")
        guard !name.isEmpty else { return nil }
        let cursor = document.location(position)
        for kind in Self.kinds(of: name, in: template) {
            let places = renamePlaces(name, kind: kind, template, document)
            if let at = places.first(where: { $0.line == cursor.line && cursor.column >= $0.column && cursor.column <= $0.column + name.unicodeScalars.count }) {
                return (name, kind, places, at)
            }
        }
        return nil
    }

    func prepareRename(_ document: Document, _ position: (line: Int, character: Int)) -> Node {
        guard let target = renameTarget(document, position) else { return Node(.null) }
        let start = document.position(target.at)
        let end = (start.line, start.character + target.name.utf16.count)
        return .object(ObjectMap(["range": .object(ObjectMap(["start": Self.positionNode(start), "end": Self.positionNode(end)])),
                                  "placeholder": .string(target.name)]))
    }

    /// The workspace edit of a rename, or why it is refused.
    func rename(_ document: Document, _ position: (line: Int, character: Int), to newName: String) -> Result<Node, RenameRefusal> {
        if readFailed.contains(document.uri) { return .failure(RenameRefusal("the template does not read; fix the syntax error first")) }
        guard let template = template(document), let target = renameTarget(document, position) else {
            return .failure(RenameRefusal("nothing to rename here: a logical id, parameter, condition, mapping or output can be renamed"))
        }
        let scalars = Array(newName.unicodeScalars)
        guard !scalars.isEmpty, scalars.count <= 255, scalars.allSatisfy(Self.isNameScalar) else {
            return .failure(RenameRefusal("'\(newName.printable)' is not a valid name: letters and digits only (A-Z, a-z, 0-9), at most 255"))
        }
        if newName == target.name { return .success(.object(ObjectMap(["changes": .object(ObjectMap())]))) }
        // Resources and parameters share a namespace; each other section has its own.
        let clashes: [RenameKind] = switch target.kind {
        case .resource, .parameter: [.resource, .parameter]
        default: [target.kind]
        }
        if let taken = Self.kinds(of: newName, in: template).first(where: clashes.contains) {
            return .failure(RenameRefusal("'\(newName)' is taken: the template has a \(taken.rawValue) of that name"))
        }
        let length = target.name.utf16.count
        let edits = target.places.map { place -> Node in
            let start = document.position(place)
            return TextEdit(start: start, end: (start.line, start.character + length), text: newName).node
        }
        return .success(.object(ObjectMap(["changes": .object(ObjectMap([ObjectMap.Entry(key: document.uri, value: .array(edits))]))])))
    }
}

/// Why a rename was refused: the client shows it.
struct RenameRefusal: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
