/// Globs over `/`-separated paths, matched in time bounded by the pattern's length times the
/// path's (no backtracking that multiplies with each `*` or `**`): `*`, `?` and `[...]`
/// (`[!...]`/`[^...]` negate, `a-z` ranges) within one name, `\` quotes the next character,
/// `**` as a whole name spans any number of folders.
struct Glob {
    private enum Token: Equatable {
        case literal(Unicode.Scalar)
        case any
        case star
        case set([ClosedRange<Unicode.Scalar>], negated: Bool)
    }

    /// Each name of the pattern: nil for `**`.
    private let names: [[Token]?]

    init(_ pattern: String) {
        names = pattern.split(separator: "/").map { part in part == "**" ? nil : Glob.tokens(Array(part.unicodeScalars)) }
    }

    private static func tokens(_ scalars: [Unicode.Scalar]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "*":
                if tokens.last != .star { tokens.append(.star) }
            case "?":
                tokens.append(.any)
            case "\\" where index + 1 < scalars.count:
                index += 1
                tokens.append(.literal(scalars[index]))
            case "[":
                if let (set, end) = bracket(scalars, from: index) {
                    tokens.append(set)
                    index = end
                } else {
                    tokens.append(.literal("["))
                }
            default:
                tokens.append(.literal(scalar))
            }
            index += 1
        }
        return tokens
    }

    /// A bracket expression from `[` at `start`: the set and the index of its `]`; nil when
    /// it does not close (then `[` is itself).
    private static func bracket(_ scalars: [Unicode.Scalar], from start: Int) -> (Token, Int)? {
        var index = start + 1
        var negated = false
        if index < scalars.count, scalars[index] == "!" || scalars[index] == "^" { negated = true; index += 1 }
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        var first = true
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "]" && !first { return (.set(ranges, negated: negated), index) }
            first = false
            if index + 2 < scalars.count, scalars[index + 1] == "-", scalars[index + 2] != "]" {
                if scalar <= scalars[index + 2] { ranges.append(scalar...scalars[index + 2]) }
                index += 3
            } else {
                ranges.append(scalar...scalar)
                index += 1
            }
        }
        return nil
    }

    private static func accepts(_ token: Token, _ scalar: Unicode.Scalar) -> Bool {
        switch token {
        case .literal(let literal): return literal == scalar
        case .any: return true
        case .star: return true
        case .set(let ranges, let negated): return ranges.contains { $0.contains(scalar) } != negated
        }
    }

    /// One name against one pattern name: the classic two-pointer match, which on a mismatch
    /// resumes after the last `*` only, so at most pattern × name steps.
    private static func matches(_ tokens: [Token], _ name: [Unicode.Scalar]) -> Bool {
        var t = 0, n = 0
        var starToken = -1, starName = 0
        while n < name.count {
            if t < tokens.count, tokens[t] == .star {
                starToken = t
                starName = n
                t += 1
            } else if t < tokens.count, accepts(tokens[t], name[n]) {
                t += 1
                n += 1
            } else if starToken >= 0 {
                t = starToken + 1
                starName += 1
                n = starName
            } else {
                return false
            }
        }
        while t < tokens.count, tokens[t] == .star { t += 1 }
        return t == tokens.count
    }

    /// Whether a relative path matches: a table over (pattern name, path name) pairs, each
    /// judged once.
    func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/").map { Array($0.unicodeScalars) }
        // reachable[n]: the pattern's names so far can match the path's first n names.
        var reachable = [Bool](repeating: false, count: parts.count + 1)
        reachable[0] = true
        for name in names {
            var next = [Bool](repeating: false, count: parts.count + 1)
            if let tokens = name {
                for n in 0..<parts.count where reachable[n] && Glob.matches(tokens, parts[n]) { next[n + 1] = true }
            } else {
                // `**`: any number of names, none included.
                var seen = false
                for n in 0...parts.count {
                    seen = seen || reachable[n]
                    next[n] = seen
                }
            }
            reachable = next
        }
        return reachable[parts.count]
    }
}
