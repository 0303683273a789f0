/// What a plain (unquoted, untagged) scalar means to a YAML 1.1 reader.
///
/// CloudFormation reads YAML 1.1 and so does cfn-lint (PyYAML's SafeLoader); the patterns
/// here are PyYAML's implicit resolvers, written out as byte matchers because they run on
/// every scalar of every template. Note the quirks that follow from them: `1e5` and
/// `1.5e10` (exponent without a sign) are strings, `010` is an (octal) integer, `09` is a
/// string, `1:30` is a (sexagesimal) integer, and `yes`/`off` are booleans.
public enum YAML11Scalar: Sendable, Hashable {
    case null
    case bool(Bool)
    case int
    case float
    case timestamp
    /// `<<`, YAML 1.1's merge key. CloudFormation does not merge; it stays an ordinary string.
    case merge
    case string
}

public enum YAML11Resolver {
    public static func resolve(plain text: String) -> YAML11Scalar {
        var text = text
        return text.withUTF8 { resolve(bytes: $0) }
    }

    static func resolve(bytes s: UnsafeBufferPointer<UInt8>) -> YAML11Scalar {
        guard let first = s.first else { return .null }
        switch first {
        case UInt8(ascii: "~"):
            return s.count == 1 ? .null : .string
        case UInt8(ascii: "n"), UInt8(ascii: "N"):
            if equals(s, "null") || equals(s, "Null") || equals(s, "NULL") { return .null }
            if equals(s, "no") || equals(s, "No") || equals(s, "NO") { return .bool(false) }
            return .string
        case UInt8(ascii: "y"), UInt8(ascii: "Y"):
            if equals(s, "yes") || equals(s, "Yes") || equals(s, "YES") { return .bool(true) }
            return .string
        case UInt8(ascii: "t"), UInt8(ascii: "T"):
            if equals(s, "true") || equals(s, "True") || equals(s, "TRUE") { return .bool(true) }
            return .string
        case UInt8(ascii: "f"), UInt8(ascii: "F"):
            if equals(s, "false") || equals(s, "False") || equals(s, "FALSE") { return .bool(false) }
            return .string
        case UInt8(ascii: "o"), UInt8(ascii: "O"):
            if equals(s, "on") || equals(s, "On") || equals(s, "ON") { return .bool(true) }
            if equals(s, "off") || equals(s, "Off") || equals(s, "OFF") { return .bool(false) }
            return .string
        case UInt8(ascii: "<"):
            return equals(s, "<<") ? .merge : .string
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if isInt(s) { return .int }
            if isFloat(s) { return .float }
            if isTimestamp(s) { return .timestamp }
            return .string
        default:
            return .string
        }
    }

    private static func equals(_ s: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard s.count == literal.utf8CodeUnitCount else { return false }
        let l = literal.utf8Start
        for i in 0..<s.count where s[i] != l[i] { return false }
        return true
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    private static func all(_ s: UnsafeBufferPointer<UInt8>, from: Int, _ predicate: (UInt8) -> Bool) -> Bool {
        var i = from
        while i < s.count {
            if !predicate(s[i]) { return false }
            i += 1
        }
        return true
    }

    /// `[-+]?(0b[01_]+ | 0[0-7_]+ | 0 | [1-9][0-9_]* | 0x[0-9a-fA-F_]+ | [1-9][0-9_]*(:[0-5]?[0-9])+)`
    static func isInt(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < s.count, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { i += 1 }
        guard i < s.count else { return false }
        if s[i] == UInt8(ascii: "0") {
            if i + 1 == s.count { return true }
            let next = s[i + 1]
            if next == UInt8(ascii: "b") {
                return i + 2 < s.count && all(s, from: i + 2) { $0 == 48 || $0 == 49 || $0 == 95 }
            }
            if next == UInt8(ascii: "x") {
                return i + 2 < s.count && all(s, from: i + 2) { isDigit($0) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) || $0 == 95 }
            }
            return all(s, from: i + 1) { ($0 >= 48 && $0 <= 55) || $0 == 95 }
        }
        guard s[i] >= UInt8(ascii: "1"), s[i] <= UInt8(ascii: "9") else { return false }
        i += 1
        while i < s.count, isDigit(s[i]) || s[i] == 95 { i += 1 }
        if i == s.count { return true }
        // Sexagesimal: one or more `:[0-5]?[0-9]` groups.
        var groups = 0
        while i < s.count {
            guard s[i] == UInt8(ascii: ":"), sexagesimalGroup(s, &i) else { return false }
            groups += 1
        }
        return groups > 0
    }

    /// Reads `:[0-5]?[0-9]` at `i` (pointing at the colon); advances past it.
    private static func sexagesimalGroup(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Bool {
        var j = i + 1
        guard j < s.count, isDigit(s[j]) else { return false }
        if j + 1 < s.count, isDigit(s[j + 1]) {
            guard s[j] <= UInt8(ascii: "5") else { return false }
            j += 2
        } else {
            j += 1
        }
        i = j
        return true
    }

    /// PyYAML's float: `[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)? | \.[0-9_]+([eE][-+][0-9]+)?
    /// | [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)`
    static func isFloat(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        if equals(s, ".nan") || equals(s, ".NaN") || equals(s, ".NAN") { return true }
        var i = 0
        var signed = false
        if i < s.count, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") {
            i += 1
            signed = true
        }
        guard i < s.count else { return false }
        let rest = UnsafeBufferPointer(rebasing: s[i...])
        if equals(rest, ".inf") || equals(rest, ".Inf") || equals(rest, ".INF") { return true }
        if s[i] == UInt8(ascii: ".") {
            guard !signed else { return false }
            i += 1
            let start = i
            while i < s.count, isDigit(s[i]) || s[i] == 95 { i += 1 }
            guard i > start else { return false }
            return exponentToEnd(s, i)
        }
        guard isDigit(s[i]) else { return false }
        i += 1
        while i < s.count, isDigit(s[i]) || s[i] == 95 { i += 1 }
        guard i < s.count else { return false }
        if s[i] == UInt8(ascii: ".") {
            i += 1
            while i < s.count, isDigit(s[i]) || s[i] == 95 { i += 1 }
            return exponentToEnd(s, i)
        }
        var groups = 0
        while i < s.count, s[i] == UInt8(ascii: ":") {
            guard sexagesimalGroup(s, &i) else { return false }
            groups += 1
        }
        guard groups > 0, i < s.count, s[i] == UInt8(ascii: ".") else { return false }
        return all(s, from: i + 1) { isDigit($0) || $0 == 95 }
    }

    private static func exponentToEnd(_ s: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        var i = start
        if i == s.count { return true }
        guard s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") else { return false }
        i += 1
        guard i < s.count, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") else { return false }
        i += 1
        return i < s.count && all(s, from: i, isDigit)
    }

    /// `YYYY-MM-DD`, or `YYYY-M-D` followed by a time `[Tt]` or blanks, `H:MM:SS(.f)?` and an
    /// optional zone `Z` / `±H(:MM)?`.
    static func isTimestamp(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        func digits(_ min: Int, _ max: Int) -> Bool {
            var n = 0
            while i < s.count, isDigit(s[i]), n < max {
                i += 1
                n += 1
            }
            return n >= min
        }
        func char(_ c: Character) -> Bool {
            if i < s.count, s[i] == c.asciiValue! {
                i += 1
                return true
            }
            return false
        }
        guard digits(4, 4), char("-") else { return false }
        let monthStart = i
        guard digits(1, 2) else { return false }
        let monthLength = i - monthStart
        guard char("-") else { return false }
        let dayStart = i
        guard digits(1, 2) else { return false }
        if i == s.count { return monthLength == 2 && i - dayStart == 2 }
        if !(char("T") || char("t")) {
            var blanks = 0
            while i < s.count, s[i] == 32 || s[i] == 9 {
                i += 1
                blanks += 1
            }
            guard blanks > 0 else { return false }
        }
        guard digits(1, 2), char(":"), digits(2, 2), char(":"), digits(2, 2) else { return false }
        if char(".") { _ = digits(0, Int.max) }
        if i == s.count { return true }
        while i < s.count, s[i] == 32 || s[i] == 9 { i += 1 }
        if char("Z") { return i == s.count }
        guard char("-") || char("+"), digits(1, 2) else { return false }
        if char(":") { guard digits(2, 2) else { return false } }
        return i == s.count
    }
}
