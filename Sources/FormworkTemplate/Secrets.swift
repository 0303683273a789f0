/// NoEcho parameters: their values are secrets, never printed.
package enum Secrets {
    package static let mask = "****"

    package static func isNoEcho(_ declaration: Node?) -> Bool {
        guard let flag = declaration?["NoEcho"] else { return false }
        if case .bool(let value) = flag.kind { return value }
        return flag.stringValue?.lowercased() == "true"
    }

    /// The declaration with its Default and AllowedValues replaced by the mask.
    package static func masked(_ declaration: Node) -> Node {
        guard var map = declaration.objectValue else { return declaration }
        if let value = map["Default"] { map.set("Default", .string(mask, at: value.location)) }
        if let values = map["AllowedValues"] { map.set("AllowedValues", .array((values.arrayValue ?? []).map { .string(mask, at: $0.location) }, at: values.location)) }
        return Node(.object(map), at: declaration.location)
    }

    /// The texts of a template that must not appear in any report: each NoEcho parameter's
    /// Default and AllowedValues, and the values a deployment gives it (`--parameters`,
    /// `--parameter-file`), whatever their length; for a list parameter (`CommaDelimitedList`,
    /// `List<...>`) each item too, since `Fn::Select` and `Fn::ForEach` use them one by one.
    package static func values(in template: Template, deployment: [String: [Node]] = [:]) -> [String] {
        var found: [String] = []
        func add(_ text: String) {
            if !text.isEmpty, !found.contains(text) { found.append(text) }
        }
        for entry in template.parameters?.entries ?? [] where isNoEcho(entry.value) {
            let type = entry.value["Type"]?.stringValue ?? ""
            let isList = type == "CommaDelimitedList" || type.hasPrefix("List<")
            let given = [entry.value["Default"]].compactMap { $0 } + (entry.value["AllowedValues"]?.arrayValue ?? []) + (deployment[entry.key] ?? [])
            for text in given.compactMap(\.scalarText) {
                add(text)
                if isList { text.split(separator: ",").forEach { add(String($0).trimmingSpaces) } }
            }
        }
        // Longest first, so that a secret inside another is not left half masked.
        return found.sorted { ($0.utf8.count, $0) > ($1.utf8.count, $1) }
    }

    /// `text` with every occurrence of a secret replaced by the mask. A secret shorter than 8
    /// characters is masked where it stands as a whole word (not inside another: "ance" stays
    /// in "instance"), a longer one wherever it stands; a message that prints the value has
    /// it masked, whatever its length (a one-character secret masks that word everywhere in
    /// the message: a garbled message rather than a printed secret).
    package static func redact(_ text: String, _ secrets: [String]) -> String {
        var result = text
        for secret in secrets {
            result = result.replacingOccurrences(of: secret, with: mask, wholeWordsOnly: secret.utf8.count < 8)
        }
        return result
    }
}

extension Diagnostic {
    /// This diagnostic with the secrets redacted from its message, hint and notes.
    package func redacting(_ secrets: [String]) -> Diagnostic {
        guard !secrets.isEmpty else { return self }
        var copy = self
        copy.message = Secrets.redact(message, secrets)
        copy.hint = hint.map { Secrets.redact($0, secrets) }
        copy.notes = notes.map { Diagnostic.Note(Secrets.redact($0.message, secrets), at: $0.location, file: $0.file) }
        // Paths name keys, and a loop over a secret list names resources after its items.
        copy.path = path.map { component in
            if case .key(let key) = component { return .key(Secrets.redact(key, secrets)) }
            return component
        }
        return copy
    }
}

extension String {
    /// Every occurrence of `target` (compared by bytes) replaced; with `wholeWordsOnly`, only
    /// where no letter or digit stands right before or after it.
    package func replacingOccurrences(of target: String, with replacement: String, wholeWordsOnly: Bool = false) -> String {
        let text = Array(utf8), pattern = Array(target.utf8)
        guard !pattern.isEmpty, text.count >= pattern.count else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = 0
        var changed = false
        while index < text.count {
            func isWordByte(_ byte: UInt8) -> Bool { (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte >= 0x80 }
            let end = index + pattern.count
            if end <= text.count, text[index] == pattern[0], text[index..<end].elementsEqual(pattern),
               !wholeWordsOnly || ((index == 0 || !isWordByte(text[index - 1])) && (end == text.count || !isWordByte(text[end]))) {
                out.append(contentsOf: replacement.utf8)
                index += pattern.count
                changed = true
            } else {
                out.append(text[index])
                index += 1
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : self
    }
}
