/// A small backtracking matcher for the regular expressions of the registry schemas and
/// AllowedPatterns: literals, `.`, classes (`[a-z]`, `[^...]`, `\d \w \s` and their negations),
/// groups (`(...)`, `(?:...)`, `(?P<name>...)`), lookaround (`(?=` `(?!` `(?<=` `(?<!`),
/// alternation, anchors `^ $ \A \Z`, and greedy and lazy quantifiers (`* + ? {n} {n,} {n,m}`,
/// each optionally followed by `?`), on Unicode scalars as Python's `re` matches. It is the
/// only regular-expression engine Formwork evaluates templates with: every match is bounded
/// in steps, and a pattern outside the subset (backreferences, possessive quantifiers,
/// POSIX classes) or a search that runs out of steps is "not judged" (nil), never a hang.
/// (Swift's Regex has no step or time bound, and its first use costs milliseconds.)
struct SimpleRegex: Sendable {
    indirect enum Node: Sendable {
        case scalars(CharacterSet)
        case sequence([Node])
        case alternation([Node])
        case repeated(Node, min: Int, max: Int?, lazy: Bool)
        /// Lookaround: `ahead` or behind, positive or negative; consumes nothing.
        case look(Node, ahead: Bool, negative: Bool)
        case start, end, absoluteEnd
    }

    /// A set of scalars: ranges, classes, negation.
    struct CharacterSet: Sendable {
        var ranges: [ClosedRange<UInt32>] = []
        /// `d w s D W S`, and `pL` / `PL` style Unicode categories (`\\p{L}`, `\\P{L}`).
        var classes: [String] = []
        var negated = false
        var anyButNewline = false

        func contains(_ scalar: Unicode.Scalar) -> Bool {
            if anyButNewline { return scalar != "\n" }
            let value = scalar.value
            var found = ranges.contains { $0.contains(value) }
            if !found {
                for name in classes where Self.inClass(name, scalar) { found = true; break }
            }
            return found != negated
        }

        static func inClass(_ name: String, _ scalar: Unicode.Scalar) -> Bool {
            if name.count >= 2, let first = name.first, first == "p" || first == "P" {
                let inCategory = category(String(name.dropFirst()), scalar)
                return first == "p" ? inCategory : !inCategory
            }
            switch name {
            case "d": return scalar.properties.numericType == .decimal
            case "D": return scalar.properties.numericType != .decimal
            case "w": return scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal || scalar == "_" || scalar.properties.generalCategory == .nonspacingMark
            case "W": return !inClass("w", scalar)
            case "s": return scalar.properties.isWhitespace
            case "S": return !scalar.properties.isWhitespace
            default: return false
            }
        }

        /// Unicode general categories by their one- or two-letter names.
        static func category(_ name: String, _ scalar: Unicode.Scalar) -> Bool {
            let category = scalar.properties.generalCategory
            let major: String
            switch category {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: major = "L"
            case .nonspacingMark, .spacingMark, .enclosingMark: major = "M"
            case .decimalNumber, .letterNumber, .otherNumber: major = "N"
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation, .otherPunctuation: major = "P"
            case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: major = "S"
            case .spaceSeparator, .lineSeparator, .paragraphSeparator: major = "Z"
            default: major = "C"
            }
            if name.count == 1 { return name == major }
            let minor: [String: Unicode.GeneralCategory] = [
                "Lu": .uppercaseLetter, "Ll": .lowercaseLetter, "Lt": .titlecaseLetter, "Lm": .modifierLetter, "Lo": .otherLetter,
                "Nd": .decimalNumber, "Zs": .spaceSeparator, "Cc": .control, "Cf": .format,
            ]
            return minor[name] == category
        }
    }

    let root: Node
    /// Matching recurses about once per scalar: texts up to this length are matched on the
    /// calling thread, longer ones (up to `maximumLongLength`) on a thread with a large
    /// stack, and longer still are not judged.
    static let maximumLength = 1024
    static let maximumLongLength = 65_536

    /// Nil when the pattern uses anything outside the subset.
    static func compile(_ pattern: String) -> SimpleRegex? {
        var parser = Parser(scalars: Array(pattern.unicodeScalars))
        guard let node = parser.alternation(), parser.index == parser.scalars.count else { return nil }
        return SimpleRegex(root: node)
    }

    /// Counts the steps of one search, shared by every continuation.
    final class Budget {
        var remaining: Int
        var exhausted: Bool { remaining < 0 }
        init(_ steps: Int) { remaining = steps }
        func spend() -> Bool {
            remaining -= 1
            return remaining >= 0
        }
    }

    /// The most steps one search takes.
    static let stepsPerSearch = 200_000

    /// Whether the pattern matches somewhere in the text (Python's `re.search`); nil when
    /// the step budget runs out.
    func firstMatch(in text: String, steps: Int = stepsPerSearch) -> Bool? {
        search(text, steps: steps).found
    }

    /// A search's answer (nil: not judged), the steps it took, and whether it stopped because
    /// they ran out (rather than for a text too long to search).
    func search(_ text: String, steps: Int) -> (found: Bool?, spent: Int, ranOut: Bool) {
        let scalars = Array(text.unicodeScalars)
        if scalars.count <= Self.maximumLength { return search(scalars, steps: steps) }
        guard scalars.count <= Self.maximumLongLength else { return (nil, 0, false) }
        return LargeStack.run { self.search(scalars, steps: steps) } ?? (nil, 0, false)
    }

    private func search(_ scalars: [Unicode.Scalar], steps: Int) -> (found: Bool?, spent: Int, ranOut: Bool) {
        let budget = Budget(steps)
        var spent: Int { steps - max(budget.remaining, 0) }
        for start in 0...scalars.count {
            if match(root, scalars, start, budget, { _ in true }) { return (true, spent, false) }
            if budget.exhausted { return (nil, steps, true) }
        }
        return (false, spent, false)
    }

    private func match(_ node: Node, _ text: [Unicode.Scalar], _ position: Int, _ budget: Budget, _ next: (Int) -> Bool) -> Bool {
        guard budget.spend() else { return false }
        switch node {
        case .start:
            return position == 0 && next(position)
        case .absoluteEnd:
            return position == text.count && next(position)
        case .end:
            // Python's `$` also matches before a final newline.
            return (position == text.count || (position == text.count - 1 && text[position] == "\n")) && next(position)
        case .scalars(let set):
            return position < text.count && set.contains(text[position]) && next(position + 1)
        case .sequence(let items):
            return sequence(items[...], text, position, budget, next)
        case .alternation(let options):
            for option in options {
                if match(option, text, position, budget, next) { return true }
                if budget.exhausted { return false }
            }
            return false
        case .repeated(let item, let minimum, let maximum, let lazy):
            return repeated(item, minimum, maximum, lazy, 0, text, position, budget, next)
        case .look(let inner, let ahead, let negative):
            var found = false
            if ahead {
                found = match(inner, text, position, budget) { _ in true }
            } else {
                // Lookbehind: some start at or before here whose match ends exactly here.
                for start in stride(from: position, through: 0, by: -1) {
                    if match(inner, text, start, budget, { $0 == position }) { found = true; break }
                    if budget.exhausted { return false }
                }
            }
            if budget.exhausted { return false }
            return found != negative && next(position)
        }
    }

    private func sequence(_ items: ArraySlice<Node>, _ text: [Unicode.Scalar], _ position: Int, _ budget: Budget, _ next: (Int) -> Bool) -> Bool {
        guard let first = items.first else { return next(position) }
        let rest = items.dropFirst()
        return match(first, text, position, budget) { after in self.sequence(rest, text, after, budget, next) }
    }

    /// Greedy: as many as allowed first, then fewer; lazy: as few as allowed first, then
    /// more. An empty iteration stops the loop.
    private func repeated(_ item: Node, _ minimum: Int, _ maximum: Int?, _ lazy: Bool, _ count: Int, _ text: [Unicode.Scalar], _ position: Int,
                          _ budget: Budget, _ next: (Int) -> Bool) -> Bool {
        if lazy, count >= minimum {
            if next(position) { return true }
            if budget.exhausted { return false }
        }
        if maximum.map({ count < $0 }) ?? true {
            let more = match(item, text, position, budget) { after in
                after != position && self.repeated(item, minimum, maximum, lazy, count + 1, text, after, budget, next)
            }
            if more { return true }
            if budget.exhausted { return false }
        }
        return !lazy && count >= minimum && next(position)
    }

    struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0

        var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        mutating func alternation() -> Node? {
            var options: [Node] = []
            while true {
                guard let sequence = sequence() else { return nil }
                options.append(sequence)
                if peek == "|" { index += 1; continue }
                return options.count == 1 ? options[0] : .alternation(options)
            }
        }

        mutating func sequence() -> Node? {
            var items: [Node] = []
            while let scalar = peek, scalar != "|", scalar != ")" {
                guard let atom = atom() else { return nil }
                guard let quantified = quantifier(atom) else { return nil }
                items.append(quantified)
            }
            return .sequence(items)
        }

        mutating func atom() -> Node? {
            guard let scalar = peek else { return nil }
            index += 1
            switch scalar {
            case "^": return .start
            case "$": return .end
            case ".": return .scalars(CharacterSet(anyButNewline: true))
            case "(":
                var look: (ahead: Bool, negative: Bool)?
                if peek == "?" {
                    // Non-capturing, named and lookaround groups; flags and references are not known.
                    index += 1
                    if peek == ":" {
                        index += 1
                    } else if peek == "=" || peek == "!" {
                        look = (true, peek == "!")
                        index += 1
                    } else if peek == "<", index + 1 < scalars.count, scalars[index + 1] == "=" || scalars[index + 1] == "!" {
                        look = (false, scalars[index + 1] == "!")
                        index += 2
                    } else if peek == "P", index + 1 < scalars.count, scalars[index + 1] == "<" {
                        while let c = peek, c != ">" { index += 1 }
                        guard peek == ">" else { return nil }
                        index += 1
                    } else { return nil }
                }
                guard let inner = alternation(), peek == ")" else { return nil }
                index += 1
                if let look { return .look(inner, ahead: look.ahead, negative: look.negative) }
                return inner
            case "[": return characterClass()
            case "\\":
                if peek == "A" { index += 1; return .start }
                if peek == "Z" || peek == "z" { index += 1; return .absoluteEnd }
                return escape(inClass: false).map { .scalars($0) }
            case "*", "+", "?", "{", ")", "|": return nil
            default: return .scalars(CharacterSet(ranges: [scalar.value...scalar.value]))
            }
        }

        mutating func escape(inClass: Bool) -> CharacterSet? {
            guard let scalar = peek else { return nil }
            index += 1
            switch scalar {
            case "d", "D", "w", "W", "s", "S": return CharacterSet(classes: [String(scalar)])
            case "p", "P":
                var name = ""
                if peek == "{" {
                    index += 1
                    while let c = peek, c != "}" { name.unicodeScalars.append(c); index += 1 }
                    guard peek == "}" else { return nil }
                    index += 1
                } else if let c = peek {
                    name = String(c); index += 1
                }
                let known: Set<String> = ["L", "M", "N", "P", "S", "Z", "C", "Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Zs", "Cc", "Cf"]
                guard known.contains(name) else { return nil }
                return CharacterSet(classes: [String(scalar) + name])
            case "u", "x":
                let digits = scalar == "u" ? 4 : 2
                guard index + digits <= scalars.count else { return nil }
                let hex = String(String.UnicodeScalarView(scalars[index..<(index + digits)]))
                guard let value = UInt32(hex, radix: 16), Unicode.Scalar(value) != nil else { return nil }
                index += digits
                return CharacterSet(ranges: [value...value])
            case "n": return CharacterSet(ranges: [10...10])
            case "t": return CharacterSet(ranges: [9...9])
            case "r": return CharacterSet(ranges: [13...13])
            case "f": return CharacterSet(ranges: [12...12])
            case "v": return CharacterSet(ranges: [11...11])
            default:
                // Escaped punctuation is itself; letters and digits would be classes or
                // references this matcher does not know.
                if scalar.properties.isAlphabetic || scalar.properties.numericType != nil { return nil }
                return CharacterSet(ranges: [scalar.value...scalar.value])
            }
        }

        mutating func characterClass() -> Node? {
            var set = CharacterSet()
            if peek == "^" { set.negated = true; index += 1 }
            var first = true
            while let scalar = peek {
                if scalar == "]" && !first { index += 1; return .scalars(set) }
                first = false
                index += 1
                var low: UInt32
                if scalar == "\\" {
                    guard let escaped = escape(inClass: true) else { return nil }
                    if !escaped.classes.isEmpty { set.classes += escaped.classes; continue }
                    low = escaped.ranges[0].lowerBound
                } else if scalar == "[", let next = peek, next == ":" || next == "=" || next == "." {
                    return nil  // POSIX classes ([:alpha:]), which this matcher does not know
                } else {
                    // Any other `[` in a set is itself, as in Python's `re` and `regex` (V0),
                    // which the registry's patterns are written for (`[a-z,@[\]+=]`).
                    low = scalar.value
                }
                if peek == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
                    index += 1
                    guard let upperScalar = peek else { return nil }
                    index += 1
                    var high = upperScalar.value
                    if upperScalar == "\\" {
                        guard let escaped = escape(inClass: true), escaped.classes.isEmpty else { return nil }
                        high = escaped.ranges[0].lowerBound
                    }
                    guard low <= high else { return nil }
                    set.ranges.append(low...high)
                } else {
                    set.ranges.append(low...low)
                }
            }
            return nil
        }

        mutating func quantifier(_ atom: Node) -> Node? {
            guard let scalar = peek else { return atom }
            var minimum = 0, maximum: Int? = nil
            switch scalar {
            case "*": index += 1
            case "+": index += 1; minimum = 1
            case "?": index += 1; maximum = 1
            case "{":
                var cursor = index + 1
                func number() -> Int? {
                    var digits = ""
                    while cursor < scalars.count, let digit = Int(String(scalars[cursor])) { digits += String(digit); cursor += 1 }
                    return Int(digits)
                }
                guard let low = number() else { return atom }  // a literal '{' in Python when not a quantifier
                minimum = low
                if cursor < scalars.count, scalars[cursor] == "," {
                    cursor += 1
                    maximum = number()
                } else {
                    maximum = low
                }
                guard cursor < scalars.count, scalars[cursor] == "}" else { return nil }
                index = cursor + 1
            default:
                return atom
            }
            var lazy = false
            if peek == "?" { lazy = true; index += 1 }
            if peek == "+" { return nil }  // possessive quantifiers (not Python's before 3.11)
            if maximum.map({ $0 < minimum }) == true { return nil }
            if case .start = atom { return nil }
            if case .end = atom { return nil }
            if case .absoluteEnd = atom { return nil }
            if case .look = atom { return nil }
            return .repeated(atom, min: minimum, max: maximum, lazy: lazy)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a closure on a new thread with a 256 MiB stack and waits for it: deep recursion
/// (matching a long text) without overflowing a worker thread's small stack. The stack is
/// reserved address space; only the pages used are touched.
enum LargeStack {
    private final class Job: @unchecked Sendable {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    private final class Slot<T>: @unchecked Sendable {
        var value: T?
    }

    static func run<T>(_ work: @escaping () -> T) -> T? {
        let slot = Slot<T>()
        let job = Job { slot.value = work() }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 256 << 20)
        let context = Unmanaged.passRetained(job).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let created = pthread_create(&thread, &attributes, { raw in
            Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue().work()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<Job>.fromOpaque(context).release()
            return nil
        }
        #if canImport(Glibc)
        pthread_join(thread, nil)
        #else
        pthread_join(thread!, nil)
        #endif
        return slot.value
    }
}
