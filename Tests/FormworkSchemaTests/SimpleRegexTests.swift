@testable import FormworkSchema
import FormworkSchemaData
import FormworkTemplate
import Testing

/// The small matcher against Swift's Regex on every pattern of the registry and on the
/// strings templates hold: where both compile, both must agree.
@Suite struct SimpleRegexTests {
    static let samples = [
        "", "a", "abc", "ABC", "abc-123", "my_bucket.name", "db.r6g.large", "10.0.0.0/16", "10.0.1.0/24", "256.1.1.1/33",
        "arn:aws:iam::123456789012:role/app", "arn:aws-us-gov:s3:::bucket/key", "us-east-1", "Enabled", "enabled",
        "with space", " leading", "trailing ", "tab\there", "line\nbreak", "end\n", "ünïcödé", "日本語", "a.b.c",
        "sha256:0123456789abcdef", "sg-0123456789abcdef0", "subnet-1234abcd", "vpc-", "{resolve:ssm:x}", "${AWS::Region}",
        "0", "-1", "3.14", "1e10", "00:00-01:00", "sun:04:30-sun:05:30", "alias/my-key", "x.git", "!@#$%^&*()",
        String(repeating: "a", count: 300),
    ]

    static func registryPatterns() -> [String] {
        var found = Set<String>()
        func walk(_ value: Node) {
            switch value.kind {
            case .object(let map):
                for entry in map.entries {
                    if entry.key == "pattern", let text = entry.value.stringValue { found.insert(text) }
                    walk(entry.value)
                }
            case .array(let items): items.forEach(walk)
            default: break
            }
        }
        let registry = SchemaRegistry.shared
        for name in registry.typeNames {
            guard let range = registry.rawSchema(for: name) else { continue }
            walk(range)
        }
        return found.sorted()
    }

    @Test func agreesWithSwiftRegexOnTheRegistryPatterns() throws {
        let patterns = Self.registryPatterns()
        var simple = 0, compared = 0
        var disagreements: [String] = []
        for pattern in patterns {
            guard let matcher = SimpleRegex.compile(pattern) else { continue }
            simple += 1
            guard let regex = try? Regex(pattern) else { continue }
            for sample in Self.samples {
                guard let mine = matcher.firstMatch(in: sample) else { continue }
                let theirs = (try? regex.firstMatch(in: sample)) != nil
                compared += 1
                // Around newlines Swift's anchors differ from Python's (and Java's), which
                // the matcher follows: `$` matches before a final newline, and `^`/`$` are not
                // line anchors.
                if mine != theirs, !sample.contains("\n") { disagreements.append("\(pattern) on \(sample.debugDescription): simple \(mine), Swift \(theirs)") }
            }
        }
        print("SimpleRegex: \(simple) of \(patterns.count) registry patterns; \(compared) comparisons; \(disagreements.count) disagreements")
        #expect(simple * 100 >= patterns.count * 92, "the subset should cover nearly every registry pattern")
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20).joined(separator: "\n"))")
    }

    /// A `[` inside a set is itself, as in Python's `re` and `regex` (V0), for which the
    /// registry writes its patterns: EC2's GroupDescription set holds `@[\]`.
    @Test func anOpeningBracketInASetIsItself() throws {
        let description = try #require(SimpleRegex.compile("^([a-z,A-Z,0-9,. _\\-:/()#,@[\\]+=&;\\{\\}!$*])*$"))
        #expect(description.firstMatch(in: "web [public] @ 443") == true)
        #expect(description.firstMatch(in: "Line one.\nLine two.\n") == false)
        #expect(description.firstMatch(in: "caf\u{E9}") == false)
        #expect(SimpleRegex.compile("^[[:alpha:]]+$") == nil)
    }

    /// Matching recurses per scalar: the longest text it takes must fit a worker thread's stack.
    @Test func longestTextMatchesOnWorkerThreads() {
        let text = String(repeating: "ab", count: SimpleRegex.maximumLength / 2)
        let patterns = ["^[a-z]*$", "^(a|b)+$", "^([ab]{2})*$", "^.{1,1024}$", "^(?:[a-z]|[0-9])*b$"]
        let results = Parallel.map(patterns) { pattern in SimpleRegex.compile(pattern)!.firstMatch(in: text, steps: 10_000_000) }
        #expect(results == [true, true, true, true, true])
    }

    @Test func pathologicalPatternsRunOutOfStepsInsteadOfHanging() {
        let matcher = SimpleRegex.compile("^(a+)+$")!
        #expect(matcher.firstMatch(in: String(repeating: "a", count: 40) + "b") == nil)
        // The patterns Swift's Regex used to take (with no bound): lookaround and lazy
        // quantifiers are bounded here too; backreferences and possessive ones are not judged.
        #expect(SimpleRegex.compile("^(?=a)b")!.firstMatch(in: "b") == false)
        #expect(SimpleRegex.compile("^(?=a)a")!.firstMatch(in: "a") == true)
        #expect(SimpleRegex.compile("^(?!prod)[a-z]+$")!.firstMatch(in: "production") == false)
        #expect(SimpleRegex.compile("^(?!prod)[a-z]+$")!.firstMatch(in: "dev") == true)
        #expect(SimpleRegex.compile("(?<=arn:)aws")!.firstMatch(in: "arn:aws") == true)
        #expect(SimpleRegex.compile("(?<!arn:)aws")!.firstMatch(in: "arn:aws") == false)
        #expect(SimpleRegex.compile("^a+?b$")!.firstMatch(in: "aaab") == true)
        #expect(SimpleRegex.compile("^(a+)+?b$")!.firstMatch(in: String(repeating: "a", count: 40)) == nil)
        #expect(SimpleRegex.compile("(a)\\1") == nil)
        #expect(SimpleRegex.compile("a++") == nil)
        #expect(SimpleRegex.compile("a{3,1}") == nil)
        // Texts past the calling thread's length run on a large stack, and still in steps.
        let long = String(repeating: "a", count: 1_100)
        #expect(PatternCache.matches("(a+)+b", long) == nil)
        #expect(PatternCache.matches("^a+$", long) == true)
        #expect(PatternCache.matches("^a+$", String(repeating: "a", count: SimpleRegex.maximumLongLength + 1)) == nil)
        #expect(SimpleRegex.compile("^[a-z]{2}(-[a-z]+)+-[0-9]$")!.firstMatch(in: "us-east-1") == true)
        #expect(SimpleRegex.compile("^[a-z]{2}(-[a-z]+)+-[0-9]$")!.firstMatch(in: "us-east-1a") == false)
        // Python semantics around newlines.
        #expect(SimpleRegex.compile("^abc$")!.firstMatch(in: "abc\n") == true)
        #expect(SimpleRegex.compile("^[^\\n]+$")!.firstMatch(in: "a\nb") == false)
        #expect(SimpleRegex.compile("\\Aab\\Z")!.firstMatch(in: "ab\n") == false)
        #expect(SimpleRegex.compile("^\\p{L}+$")!.firstMatch(in: "ünï") == true)
        #expect(SimpleRegex.compile("^\\P{C}+$")!.firstMatch(in: "a\u{7}") == false)
    }
}
