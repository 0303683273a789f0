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
        /// `contains` answered ahead for the ASCII scalars (bit n of the 128), set once the
        /// pattern is parsed: most texts are ASCII, and a class such as `\p{L}` took hundreds
        /// of instructions per scalar (its category looked up by name).
        var ascii: (low: UInt64, high: UInt64)?

        func contains(_ scalar: Unicode.Scalar) -> Bool {
            if let ascii, scalar.value < 128 {
                let value = scalar.value
                return (value < 64 ? ascii.low >> value : ascii.high >> (value - 64)) & 1 != 0
            }
            if anyButNewline { return scalar != "\n" }
            let value = scalar.value
            var found = ranges.contains { $0.contains(value) }
            if !found {
                for name in classes where Self.inClass(name, scalar) { found = true; break }
            }
            return found != negated
        }

        /// The set with its ASCII answers computed.
        func withASCIITable() -> CharacterSet {
            var table: (low: UInt64, high: UInt64) = (0, 0)
            for value in UInt32(0)..<128 where contains(Unicode.Scalar(UInt8(value))) {
                if value < 64 { table.low |= 1 << UInt64(value) } else { table.high |= 1 << UInt64(value - 64) }
            }
            var set = self
            set.ascii = table
            return set
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
    /// `root` flattened, what searches run.
    private let flat: Flat

    init(root: Node) {
        self.root = root
        var flat = Flat()
        _ = flat.add(root)
        self.flat = flat
    }

    /// Matching recurses about once per scalar: texts up to this length are matched on the
    /// calling thread, longer ones (up to `maximumLongLength`) on a thread with a large
    /// stack, and longer still are not judged.
    static let maximumLength = 1024
    static let maximumLongLength = 65_536

    /// Nil when the pattern uses anything outside the subset.
    static func compile(_ pattern: String) -> SimpleRegex? {
        var parser = Parser(scalars: Array(pattern.unicodeScalars))
        guard let node = parser.alternation(), parser.index == parser.scalars.count else { return nil }
        return SimpleRegex(root: withASCIITables(node))
    }

    /// Every set of the tree with its ASCII answers computed (`CharacterSet.ascii`).
    private static func withASCIITables(_ node: Node) -> Node {
        switch node {
        case .scalars(let set): return .scalars(set.withASCIITable())
        case .sequence(let items): return .sequence(items.map(withASCIITables))
        case .alternation(let options): return .alternation(options.map(withASCIITables))
        case .repeated(let item, let minimum, let maximum, let lazy): return .repeated(withASCIITables(item), min: minimum, max: maximum, lazy: lazy)
        case .look(let inner, let ahead, let negative): return .look(withASCIITables(inner), ahead: ahead, negative: negative)
        case .start, .end, .absoluteEnd: return node
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
        scalars.withUnsafeBufferPointer { text in
            flat.ops.withUnsafeBufferPointer { code in
                var machine = Machine(code: code, flat: flat, text: text, remaining: steps)
                var spent: Int { steps - max(machine.remaining, 0) }
                for start in 0...text.count {
                    if machine.match(0, start, Machine.accept) { return (true, spent, false) }
                    if machine.exhausted { return (nil, steps, true) }
                }
                return (false, spent, false)
            }
        }
    }

    /// The tree flattened for matching: nodes by number (the root first), with only integers
    /// in them, so that a step retains nothing. A set keeps its ASCII answers beside it.
    enum Op {
        case scalars(set: Int, low: UInt64, high: UInt64)
        /// Children `children[start..<start + count]` of `Flat.children`.
        case sequence(start: Int, count: Int)
        case alternation(start: Int, count: Int)
        /// `maximum` -1: no upper bound.
        case repeated(item: Int, minimum: Int, maximum: Int, lazy: Bool)
        case look(inner: Int, ahead: Bool, negative: Bool)
        case start, end, absoluteEnd
    }

    /// The flattened program: ops, the child lists sequences and alternations refer to, sets.
    struct Flat {
        var ops: [Op] = []
        var children: [Int] = []
        var sets: [CharacterSet] = []

        /// Adds `node` and what it holds; its number.
        mutating func add(_ node: Node) -> Int {
            let number = ops.count
            ops.append(.start)  // its place, filled below
            switch node {
            case .scalars(let set):
                sets.append(set)
                ops[number] = .scalars(set: sets.count - 1, low: set.ascii?.low ?? 0, high: set.ascii?.high ?? 0)
            case .sequence(let items), .alternation(let items):
                let numbers = items.map { add($0) }
                let start = children.count
                children += numbers
                if case .sequence = node { ops[number] = .sequence(start: start, count: numbers.count) } else { ops[number] = .alternation(start: start, count: numbers.count) }
            case .repeated(let item, let minimum, let maximum, let lazy):
                let inner = add(item)
                ops[number] = .repeated(item: inner, minimum: minimum, maximum: maximum ?? -1, lazy: lazy)
            case .look(let inner, let ahead, let negative):
                let innerNumber = add(inner)
                ops[number] = .look(inner: innerNumber, ahead: ahead, negative: negative)
            case .start: ops[number] = .start
            case .end: ops[number] = .end
            case .absoluteEnd: ops[number] = .absoluteEnd
            }
            return number
        }
    }

    /// One search: the backtracking of the tree matcher this replaced (the same order, the same
    /// steps: one per node tried), with its continuations as entries of a stack instead of
    /// a closure per step (each capturing, retaining and releasing the rest of the pattern).
    private struct Machine {
        /// What to do after a node matched up to a position.
        enum Continuation {
            /// The search succeeded.
            case accept
            /// A lookbehind's inner pattern must end exactly here.
            case acceptAt(Int)
            /// The rest of a sequence: its child `next` on, then `then`.
            case sequence(op: Int, next: Int, then: Int)
            /// One more iteration of a repetition (`count` done) that must have moved past `from`.
            case repeated(op: Int, count: Int, from: Int, then: Int)
        }

        static let accept = 0

        let code: UnsafeBufferPointer<Op>
        let children: [Int]
        let sets: [CharacterSet]
        let text: UnsafeBufferPointer<Unicode.Scalar>
        var remaining: Int
        var continuations: [Continuation] = [.accept]

        init(code: UnsafeBufferPointer<Op>, flat: Flat, text: UnsafeBufferPointer<Unicode.Scalar>, remaining: Int) {
            self.code = code
            children = flat.children
            sets = flat.sets
            self.text = text
            self.remaining = remaining
            continuations.reserveCapacity(64)
        }

        var exhausted: Bool { remaining < 0 }

        private mutating func push(_ continuation: Continuation) -> Int {
            continuations.append(continuation)
            return continuations.count - 1
        }

        mutating func match(_ op: Int, _ position: Int, _ next: Int) -> Bool {
            remaining -= 1
            guard remaining >= 0 else { return false }
            switch code[op] {
            case .start:
                return position == 0 && resume(next, position)
            case .absoluteEnd:
                return position == text.count && resume(next, position)
            case .end:
                // Python's `$` also matches before a final newline.
                return (position == text.count || (position == text.count - 1 && text[position] == "\n")) && resume(next, position)
            case .scalars(let set, let low, let high):
                guard position < text.count else { return false }
                let scalar = text[position]
                let value = scalar.value
                let inSet = value < 128 ? (value < 64 ? low >> UInt64(value) : high >> UInt64(value - 64)) & 1 != 0 : sets[set].contains(scalar)
                return inSet && resume(next, position + 1)
            case .sequence:
                return sequence(op, 0, position, next)
            case .alternation(let start, let count):
                for offset in 0..<count {
                    if match(children[start + offset], position, next) { return true }
                    if exhausted { return false }
                }
                return false
            case .repeated:
                return repeated(op, 0, position, next)
            case .look(let inner, let ahead, let negative):
                var found = false
                if ahead {
                    found = match(inner, position, Self.accept)
                } else {
                    // Lookbehind: some start at or before here whose match ends exactly here.
                    let end = push(.acceptAt(position))
                    for start in stride(from: position, through: 0, by: -1) {
                        if match(inner, start, end) { found = true; break }
                        if exhausted { break }
                    }
                    continuations.removeLast()
                }
                if exhausted { return false }
                return found != negative && resume(next, position)
            }
        }

        private mutating func resume(_ continuation: Int, _ position: Int) -> Bool {
            switch continuations[continuation] {
            case .accept:
                return true
            case .acceptAt(let end):
                return position == end
            case .sequence(let op, let item, let then):
                return sequence(op, item, position, then)
            case .repeated(let op, let count, let from, let then):
                return position != from && repeated(op, count, position, then)
            }
        }

        private mutating func sequence(_ op: Int, _ item: Int, _ position: Int, _ next: Int) -> Bool {
            guard case .sequence(let start, let count) = code[op] else { return false }
            guard item < count else { return resume(next, position) }
            let rest = push(.sequence(op: op, next: item + 1, then: next))
            let matched = match(children[start + item], position, rest)
            continuations.removeLast()
            return matched
        }

        /// Greedy: as many as allowed first, then fewer; lazy: as few as allowed first, then
        /// more. An empty iteration stops the loop.
        private mutating func repeated(_ op: Int, _ count: Int, _ position: Int, _ next: Int) -> Bool {
            guard case .repeated(let item, let minimum, let maximum, let lazy) = code[op] else { return false }
            if lazy, count >= minimum {
                if resume(next, position) { return true }
                if exhausted { return false }
            }
            if maximum < 0 || count < maximum {
                let again = push(.repeated(op: op, count: count + 1, from: position, then: next))
                let more = match(item, position, again)
                continuations.removeLast()
                if more { return true }
                if exhausted { return false }
            }
            return !lazy && count >= minimum && resume(next, position)
        }
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
