/// `Fn::ForEach` loops of the AWS::LanguageExtensions transform in Resources, expanded the
/// way CloudFormation expands them, so that the rules judge each resource a loop makes. The
/// loop stays in the template beside what it makes (the rules that judge loops read it, and
/// what its collection names stays used); a loop whose collection is not known before
/// deployment (a parameter without values, an import) is left alone.
package enum LoopExpansion {
    /// At most this many resources from one template's loops.
    package static let maximumResources = 500

    /// The template with its loops' resources added, and which loop made each.
    package static func expanded(_ template: Template) -> (template: Template, madeBy: [String: String]) {
        guard template.transforms.contains("AWS::LanguageExtensions"), let section = template.root["Resources"] else { return (template, [:]) }
        // A loop that is the section's only key reads as a one-key function call.
        let resources: ObjectMap
        if let function = section.intrinsicValue, function.name.rawValue.hasPrefix("Fn::ForEach::") {
            resources = ObjectMap([ObjectMap.Entry(key: function.name.rawValue, keyLocation: section.location, value: function.argument)])
        } else if let map = section.objectValue {
            resources = map
        } else {
            return (template, [:])
        }
        guard resources.entries.contains(where: { $0.key.hasPrefix("Fn::ForEach::") }) else { return (template, [:]) }
        var made: [(entry: ObjectMap.Entry, loop: String)] = []
        for entry in resources.entries where entry.key.hasPrefix("Fn::ForEach::") {
            var found: [ObjectMap.Entry] = []
            expand(entry.value, template, bindings: [:], into: &found, depth: 0)
            made += found.map { ($0, entry.key) }
        }
        guard !made.isEmpty else { return (template, [:]) }
        var result = template
        var map = resources
        var madeBy: [String: String] = [:]
        for (entry, loop) in made where map[entry.key] == nil && map.count < resources.count + maximumResources {
            map.set(entry.key, entry.value, keyLocation: entry.keyLocation)
            madeBy[entry.key] = loop
        }
        result.root.set("Resources", Node(.object(map), at: section.location))
        return (result, madeBy)
    }

    private static func expand(_ loop: Node, _ template: Template, bindings: [String: String], into made: inout [ObjectMap.Entry], depth: Int) {
        guard depth < 4, let parts = loop.arrayValue, parts.count == 3, let identifier = parts[0].stringValue,
              let values = collection(parts[1], template), let body = parts[2].objectValue else { return }
        for value in values.prefix(maximumResources) {
            var scope = bindings
            scope[identifier] = value
            for entry in body.entries {
                if entry.key.hasPrefix("Fn::ForEach::") {
                    expand(entry.value, template, bindings: scope, into: &made, depth: depth + 1)
                    continue
                }
                let name = substitute(entry.key, scope)
                guard Template.isAlphanumericName(name) else { continue }
                made.append(ObjectMap.Entry(key: name, keyLocation: entry.keyLocation, value: replace(entry.value, scope)))
                if made.count >= maximumResources { return }
            }
        }
    }

    /// The loop's collection when it is known: a list of literals, a list parameter's
    /// Default, or a FindInMap whose keys are literals or parameters (every key the mapping has).
    static func collection(_ value: Node, _ template: Template) -> [String]? {
        switch value.kind {
        case .array(let items):
            let texts = items.compactMap(\.scalarText)
            return texts.count == items.count ? texts : nil
        case .intrinsic(let function) where function.name == .ref:
            guard let name = function.argument.stringValue, let parameter = template.parameters?[name],
                  parameter["Type"]?.stringValue == "CommaDelimitedList", let text = parameter["Default"]?.stringValue else { return nil }
            return text.split(separator: ",").map { String($0).trimmingSpaces }
        case .intrinsic(let function) where function.name == .findInMap:
            guard let items = function.argument.arrayValue, items.count == 3, let mapping = items[0].stringValue.flatMap({ template.mappings?[$0]?.objectValue }) else { return nil }
            let tops: [String] = items[1].scalarText.map { [$0] } ?? (items[1].intrinsicValue?.name == .ref ? mapping.keys : [])
            guard let second = items[2].scalarText, !tops.isEmpty else { return nil }
            var found: [String] = []
            for top in tops {
                guard let list = mapping[top]?[second]?.arrayValue else { continue }
                for item in list { if let text = item.scalarText, !found.contains(text) { found.append(text) } }
            }
            return found.isEmpty ? nil : found
        default:
            return nil
        }
    }

    static func substitute(_ text: String, _ bindings: [String: String]) -> String {
        var result = text
        for (name, value) in bindings {
            result = result.replacingOccurrences(of: "${\(name)}", with: value).replacingOccurrences(of: "&{\(name)}", with: value.filter { $0.isLetter || $0.isNumber })
        }
        return result
    }

    /// The body with the identifiers bound: in strings and Sub templates, and a Ref to one.
    static func replace(_ value: Node, _ bindings: [String: String]) -> Node {
        switch value.kind {
        case .string(let text): return Node(.string(substitute(text, bindings)), at: value.location)
        case .array(let items): return Node(.array(items.map { replace($0, bindings) }), at: value.location)
        case .object(let map):
            return Node(.object(ObjectMap(map.entries.map { ObjectMap.Entry(key: substitute($0.key, bindings), keyLocation: $0.keyLocation, value: replace($0.value, bindings)) })), at: value.location)
        case .intrinsic(let function):
            if function.name == .ref, let name = function.argument.stringValue, let bound = bindings[name] { return Node(.string(bound), at: value.location) }
            return Node(.intrinsic(Intrinsic(name: function.name, argument: replace(function.argument, bindings))), at: value.location)
        default: return value
        }
    }
}
