import FormworkTemplate

/// A light reading of the user's Swift source, to move a finding from the `stack.add` call
/// to the expression that set the property: `$0.port = ...` in a model's trailing closure,
/// a `port:` argument of an initializer, or `database.port = ...` on a value declared
/// before the call. Only the source between the recorded call site and the matching
/// parenthesis is read (and the declaration of a variable passed to it), so the cost is a
/// tokenisation of each file a finding names, once per stack. When the source cannot be read
/// or does not match what the call site says (the file changed since it was compiled), the
/// finding stays at the call.
///
/// Property names are compared with case, underscores and backticks ignored: the generator
/// spells a registry name `MultiAZ` as `multiAZ` and `Protocol` as `` `protocol` `` and adds
/// a `_` when two names collide, so every spelling it gives matches its registry name (a
/// test holds this over all generated models).
struct SwiftSourceScan {
    struct Token: Equatable {
        enum Kind: Equatable { case identifier, number, string, punctuation, `operator` }
        var kind: Kind
        var text: String
        var line: Int
        var column: Int
        /// A newline separates this token from the previous one.
        var startsLine: Bool
    }

    let tokens: [Token]
    /// The index of each token's matching bracket, for `(`, `[`, `{` and their closings.
    private let partner: [Int: Int]
    /// Each opening parenthesis by its line and column (where `#column` points a call site).
    private let parentheses: [Int: Int]

    init(source: String) {
        var lexer = Lexer(Array(source.utf8))
        tokens = lexer.tokens()
        var partner: [Int: Int] = [:]
        var open: [Int] = []
        for (index, token) in tokens.enumerated() where token.kind == .punctuation {
            switch token.text {
            case "(", "[", "{": open.append(index)
            case ")", "]", "}":
                // Unbalanced source (mid-edit): the pair is left unmatched.
                if let last = open.last, Self.closing[tokens[last].text] == token.text {
                    open.removeLast()
                    partner[last] = index
                    partner[index] = last
                }
            default: break
            }
        }
        self.partner = partner
        var parentheses: [Int: Int] = [:]
        for (index, token) in tokens.enumerated() where token.text == "(" { parentheses[Self.key(token.line, token.column)] = index }
        self.parentheses = parentheses
    }

    private static func key(_ line: Int, _ column: Int) -> Int { line &* 1_000_003 &+ column }

    private static let closing = ["(": ")", "[": "]", "{": "}"]

    /// The registry name's letters and digits, lowercased: what a Swift spelling of it keeps.
    static func normalized(_ name: String) -> String {
        String(decoding: name.utf8.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return byte
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte + 32
            default: return nil
            }
        }, as: UTF8.self)
    }

    // MARK: The place of a path

    /// Where the entry whose call is at `site` set the part of `path` below the entry
    /// (`Properties/SecurityGroupIngress/0/FromPort`, `DeletionPolicy`): the deepest
    /// component found, or nil when not even the first one is.
    func place(below path: ArraySlice<PathComponent>, callAt site: CallSite) -> (line: Int, column: Int)? {
        guard let open = parentheses[Self.key(site.line, site.column)], let close = partner[open], open > 0, tokens[open - 1].kind == .identifier else { return nil }
        // The call's arguments, and a trailing closure after them.
        var end = close + 1
        if end < tokens.count, tokens[end].text == "{", let closure = partner[end] { end = closure + 1 }
        var components = path
        guard let first = components.popFirst(), case .key(let attribute) = first else { return nil }
        if attribute != "Properties" {
            // A resource attribute: the `deletionPolicy:` argument of the call.
            guard let argument = SwiftPlace.addArguments[attribute],
                  let match = matches(argument, in: open + 1..<close, level: 0).last else { return nil }
            return (tokens[match.name].line, tokens[match.name].column)
        }
        // The model is an argument of the call (level 1 inside it), or the helper's own
        // argument of that name (level 0).
        var found: Int?
        var range = open + 1..<end
        var levels: Set<Int> = [0, 1]
        var resolvedVariables = 0
        while let component = components.popFirst() {
            guard case .key(let key) = component else { continue }
            if key.contains("::") || key == "Ref" { break }
            var match = matches(key, in: range, level: levels).last
            if match == nil, found != nil, resolvedVariables < 4, let variable = singleIdentifier(range) {
                // The value is a variable: look where it was declared and assigned.
                resolvedVariables += 1
                match = variableMatches(key, variable: variable, before: range.lowerBound).last
            }
            if match == nil, found == nil {
                // `stack.add("Id", model)`: the model is a variable.
                for argument in arguments(in: open + 1..<close) {
                    if let variable = singleIdentifier(argument), let last = variableMatches(key, variable: variable, before: open).last {
                        match = last
                    }
                }
            }
            guard let match else { break }
            found = match.name
            range = match.value
            levels = [1]
            // A list's item by its index: `[A { ... }, B { ... }]`.
            if case .index(let index)? = components.first {
                components.removeFirst()
                let items = range.isEmpty || tokens[range.lowerBound].text != "[" ? [] : arguments(in: range.lowerBound + 1..<(partner[range.lowerBound] ?? range.upperBound))
                if items.indices.contains(index) { range = items[index] } else { levels = [1, 2] }
            }
        }
        return found.map { (tokens[$0].line, tokens[$0].column) }
    }

    /// A match: the property's name token and its value's tokens.
    private struct Match { var name: Int; var value: Range<Int> }

    private func matches(_ key: String, in range: Range<Int>, level: Int) -> [Match] { matches(key, in: range, level: [level]) }

    /// `.name = value` and `name: value` (an argument label) at one of `levels` brackets
    /// inside `range`.
    private func matches(_ key: String, in range: Range<Int>, level levels: Set<Int>) -> [Match] {
        let wanted = Self.normalized(key)
        var result: [Match] = []
        var depth = 0
        var index = range.lowerBound
        while index < range.upperBound {
            let token = tokens[index]
            if token.kind == .punctuation {
                if ["(", "[", "{"].contains(token.text) { depth += 1 } else if [")", "]", "}"].contains(token.text) { depth -= 1 }
            } else if token.kind == .identifier, levels.contains(depth), index + 1 < range.upperBound, Self.normalized(token.text) == wanted {
                let next = tokens[index + 1]
                let previous = index > range.lowerBound ? tokens[index - 1].text : ""
                if next.kind == .operator, next.text == "=", previous == "." {
                    result.append(Match(name: index, value: index + 2..<expressionEnd(from: index + 2, limit: range.upperBound)))
                } else if next.text == ":", previous == "(" || previous == "," || index == range.lowerBound {
                    result.append(Match(name: index, value: index + 2..<expressionEnd(from: index + 2, limit: range.upperBound)))
                }
            }
            index += 1
        }
        return result
    }

    /// The assignments of `key` to a variable declared before `limit`: in its initializer
    /// (`let db = RDS.DBInstance { $0.port = ... }`) and on it (`db.port = ...`).
    private func variableMatches(_ key: String, variable: String, before limit: Int) -> [Match] {
        var declaration = limit - 1
        while declaration > 0, !(tokens[declaration].text == variable && ["let", "var"].contains(tokens[declaration - 1].text)) { declaration -= 1 }
        guard declaration > 0 else { return [] }
        var result: [Match] = []
        var start = declaration + 1
        if start < limit, tokens[start].text == ":" {
            // A type annotation: skip to the `=`.
            while start < limit, tokens[start].text != "=" { start += 1 }
        }
        if start < limit, tokens[start].text == "=" {
            let value = start + 1..<expressionEnd(from: start + 1, limit: limit)
            result += matches(key, in: value, level: 1)
            start = value.upperBound
        }
        let wanted = Self.normalized(key)
        var index = start
        while index + 3 < limit {
            if tokens[index].text == variable, tokens[index + 1].text == ".", Self.normalized(tokens[index + 2].text) == wanted,
               tokens[index + 3].kind == .operator, tokens[index + 3].text == "=" {
                result.append(Match(name: index + 2, value: index + 4..<expressionEnd(from: index + 4, limit: limit)))
            }
            index += 1
        }
        return result
    }

    /// The range's only token, when it is a variable's name.
    private func singleIdentifier(_ range: Range<Int>) -> String? {
        guard range.count == 1, tokens[range.lowerBound].kind == .identifier else { return nil }
        let name = tokens[range.lowerBound].text
        return name.hasPrefix("$") || name.hasPrefix("#") ? nil : name
    }

    /// The comma-separated parts of `range` (inside a bracket pair).
    private func arguments(in range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            let text = tokens[index].text
            if tokens[index].kind == .punctuation, let other = partner[index], other > index, ["(", "[", "{"].contains(text) {
                index = other
            } else if text == "," {
                result.append(start..<index)
                start = index + 1
            }
            index += 1
        }
        if start < range.upperBound { result.append(start..<range.upperBound) }
        return result
    }

    /// Where the expression starting at `start` ends: a `,`, `;` or closing bracket outside
    /// its own brackets, or a new line that does not continue it.
    private func expressionEnd(from start: Int, limit: Int) -> Int {
        var index = start
        while index < limit {
            let token = tokens[index]
            if index > start, token.startsLine, token.text != ".", token.kind != .operator,
               tokens[index - 1].kind != .operator, tokens[index - 1].text != "." {
                return index
            }
            if token.kind == .punctuation {
                if [",", ";", ")", "]", "}"].contains(token.text) { return index }
                if let other = partner[index], other > index { index = other }
            }
            index += 1
        }
        return limit
    }
}

/// Swift's tokens, roughly: what the scan needs to find names, labels and brackets. String
/// literals (with their interpolations) and comments are skipped as units.
private struct Lexer {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var lineStart = 0
    var newline = true
    var result: [SwiftSourceScan.Token] = []

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private static let operatorBytes = Set("=-+*/%<>!&|^~?".utf8)
    private static let punctuationBytes = Set("()[]{},:;.@".utf8)

    mutating func tokens() -> [SwiftSourceScan.Token] {
        while index < bytes.count {
            let byte = bytes[index]
            let start = index, column = index - lineStart + 1
            switch byte {
            case UInt8(ascii: "\n"):
                index += 1; line += 1; lineStart = index; newline = true
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
                continue
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                skipBlockComment()
                continue
            // A string: `"` always, `#` only where a raw string starts (`#"`, `##"`).
            case let quote where quote == UInt8(ascii: "\"") || (quote == UInt8(ascii: "#") && isRawStringStart()):
                let startLine = line
                skipString()
                emit(.string, "\"", startLine, column, start)
                continue
            case UInt8(ascii: "`"):
                index += 1
                let nameStart = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "`"), bytes[index] != UInt8(ascii: "\n") { index += 1 }
                let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
                if index < bytes.count, bytes[index] == UInt8(ascii: "`") { index += 1 }
                emit(.identifier, name, line, column, start)
                continue
            default:
                break
            }
            if isIdentifierByte(byte) || byte == UInt8(ascii: "$") || byte == UInt8(ascii: "#") {
                index += 1
                while index < bytes.count, isIdentifierByte(bytes[index]) { index += 1 }
                let kind: SwiftSourceScan.Token.Kind = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? .number : .identifier
                if kind == .number {
                    // `1.5`, `5_368_709_120`, `0x1F`.
                    while index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index + 1]) {
                        index += 1
                        while index < bytes.count, isIdentifierByte(bytes[index]) { index += 1 }
                    }
                }
                emit(kind, String(decoding: bytes[start..<index], as: UTF8.self), line, column, start)
            } else if Self.operatorBytes.contains(byte) {
                while index < bytes.count, Self.operatorBytes.contains(bytes[index]),
                      !(bytes[index] == UInt8(ascii: "/") && (peek(1) == UInt8(ascii: "/") || peek(1) == UInt8(ascii: "*"))) { index += 1 }
                if index == start { index += 1 }
                emit(.operator, String(decoding: bytes[start..<index], as: UTF8.self), line, column, start)
            } else {
                index += 1
                emit(Self.punctuationBytes.contains(byte) ? .punctuation : .operator, String(decoding: bytes[start..<index], as: UTF8.self), line, column, start)
            }
        }
        return result
    }

    private func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

    private func isIdentifierByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    private mutating func emit(_ kind: SwiftSourceScan.Token.Kind, _ text: String, _ line: Int, _ column: Int, _ start: Int) {
        result.append(SwiftSourceScan.Token(kind: kind, text: text, line: line, column: column, startsLine: newline))
        newline = false
    }

    private func isRawStringStart() -> Bool {
        var offset = 0
        while let byte = peek(offset), byte == UInt8(ascii: "#") { offset += 1 }
        return offset > 0 && peek(offset) == UInt8(ascii: "\"")
    }

    private mutating func advance() {
        if bytes[index] == UInt8(ascii: "\n") { line += 1; lineStart = index + 1 }
        index += 1
    }

    private mutating func skipBlockComment() {
        var depth = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") { depth += 1; index += 2; continue }
            if bytes[index] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                depth -= 1; index += 2
                if depth == 0 { return }
                continue
            }
            advance()
        }
    }

    /// A string literal: `"..."`, `"""..."""`, `#"..."#`, with `\(...)` interpolations
    /// (which may hold strings of their own).
    private mutating func skipString() {
        var hashes = 0
        while index < bytes.count, bytes[index] == UInt8(ascii: "#") { hashes += 1; index += 1 }
        let multiline = peek(0) == UInt8(ascii: "\"") && peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"")
        index += multiline ? 3 : 1
        let quotes = multiline ? 3 : 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") && hasHashes(hashes, at: index + 1) {
                index += 1 + hashes
                if index < bytes.count, bytes[index] == UInt8(ascii: "(") {
                    skipInterpolation()
                } else if index < bytes.count {
                    advance()
                }
                continue
            }
            if byte == UInt8(ascii: "\"") && (0..<quotes).allSatisfy({ peek($0) == UInt8(ascii: "\"") }) && hasHashes(hashes, at: index + quotes) {
                index += quotes + hashes
                return
            }
            if byte == UInt8(ascii: "\n") && !multiline { return }
            advance()
        }
    }

    private func hasHashes(_ count: Int, at position: Int) -> Bool {
        (0..<count).allSatisfy { position + $0 < bytes.count && bytes[position + $0] == UInt8(ascii: "#") }
    }

    private mutating func skipInterpolation() {
        var depth = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "(") { depth += 1 }
            if byte == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { index += 1; return }
            }
            if byte == UInt8(ascii: "\"") || (byte == UInt8(ascii: "#") && isRawStringStart()) { skipString(); continue }
            advance()
        }
    }
}

/// The scans of the files a stack's findings name, read once each.
final class SwiftSources {
    private var scans: [String: SwiftSourceScan?] = [:]

    func scan(_ file: String) -> SwiftSourceScan? {
        if let cached = scans[file] { return cached }
        let scan = (try? FileIO.read(file).get()).flatMap { String(validating: $0, as: UTF8.self) }.map(SwiftSourceScan.init(source:))
        scans[file] = scan
        return scan
    }
}
