import Foundation
@testable import FormworkRules
import Testing

/// `check: include:` globs: what they match, and in time that does not multiply with each
/// `*` or `**` (issue 25).
@Suite struct GlobTests {
    @Test(arguments: [
        ("templates/*.yaml", "templates/a.yaml", true), ("templates/*.yaml", "templates/x/a.yaml", false),
        ("**/*.yaml", "a.yaml", true), ("**/*.yaml", "a/b/c.yaml", true), ("a/**", "a/b/c", true), ("a/**", "a", true),
        ("a/**/b", "a/b", true), ("a/**/b", "a/x/y/b", true), ("a/**/b", "a/x/y/c", false),
        ("t?.yml", "t1.yml", true), ("t?.yml", "t12.yml", false), ("[a-c]*.json", "b1.json", true), ("[!a-c]*.json", "b1.json", false),
        ("[^a]x", "bx", true), ("\\*.yaml", "*.yaml", true), ("\\*.yaml", "a.yaml", false), ("[.yaml", "[.yaml", true),
        ("*a*b*c", "xaybzc", true), ("*a*b*c", "xaybzcd", false), ("*", ".hidden", true),
    ])
    func matchesLikeTheShell(pattern: String, path: String, expected: Bool) {
        #expect(CheckSettings.matches(pattern, path) == expected, "\(pattern) \(path)")
        // The same answer as fnmatch, name by name, where there is no `**`.
        if !pattern.contains("**"), pattern.split(separator: "/").count == path.split(separator: "/").count {
            let agrees = zip(pattern.split(separator: "/"), path.split(separator: "/")).allSatisfy { fnmatch(String($0), String($1), 0) == 0 }
            #expect(agrees == expected, "fnmatch disagrees on \(pattern) \(path)")
        }
    }

    @Test func manyStarsAndDoubleStarsStayFast() {
        let pattern = Array(repeating: "**", count: 60).joined(separator: "/") + "/" + String(repeating: "*a", count: 40) + "b"
        let path = Array(repeating: "x", count: 60).joined(separator: "/") + "/" + String(repeating: "a", count: 200)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(!CheckSettings.matches(pattern, path))
            #expect(CheckSettings.matches(pattern, path + "b"))
        }
        #expect(elapsed < .seconds(1), "\(elapsed)")
    }
}
