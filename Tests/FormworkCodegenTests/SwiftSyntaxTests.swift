import Foundation
import FormworkTestSupport
@testable import FormworkCodegen
import Testing

/// One renderer lays out every generated declaration: four spaces per level, empty blank lines.
@Suite struct SwiftSyntaxTests {
    @Test func nestedDeclarationsAreIndentedByLevel() {
        let file: [SwiftSyntax] = SwiftSyntax.separated([
            [.comment(["GENERATED"])],
            [.block("extension A", [
                .doc(["A struct."]),
                .block("public struct B", SwiftSyntax.separated([
                    [.line("var x = 1")],
                    [.block("init()", [.line("x = 2")])],
                ])),
            ])],
            [.block("public enum C", [])],
        ])
        #expect(SwiftSyntax.render(file) == """
        // GENERATED

        extension A {
            /// A struct.
            public struct B {
                var x = 1

                init() {
                    x = 2
                }
            }
        }

        public enum C {}

        """)
    }

    @Test func separatedSkipsEmptyGroups() {
        #expect(SwiftSyntax.separated([[], [.line("a")], [], [.line("b")]]) == [.line("a"), .blank, .line("b")])
    }

    @Test func literalsEscapeWhatSwiftRequires() {
        #expect(SwiftSyntax.literal("a\"b\\c\nd\u{7F}") == #""a\"b\\c\nd\u{7f}""#)
    }

    /// Every committed model (equal to what the generator writes, GeneratedFilesTests) is laid
    /// out by brace depth: each line indented four spaces per open brace, no trailing spaces.
    @Test func everyModelIsIndentedByItsBraces() throws {
        let folder = Repository.root + "/" + ModelWriter.modelsFolder
        let files = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(files.count > 1_584)
        var wrong: [String] = []
        for path in files {
            let text = try String(contentsOfFile: folder + "/" + path, encoding: .utf8)
            var depth = 0
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = Self.withoutStrings(line)
                let closesFirst = code.trimmingCharacters(in: .whitespaces).hasPrefix("}")
                let expected = line.isEmpty ? 0 : 4 * (depth - (closesFirst ? 1 : 0))
                let indent = line.prefix { $0 == " " }.count
                if indent != expected || line.last == " " { wrong.append("\(path):\(number + 1)") }
                depth += code.filter { $0 == "{" }.count - code.filter { $0 == "}" }.count
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) lines misindented: \(wrong.prefix(10).joined(separator: ", "))")
    }

    /// The line without its string literals and comments (braces in values are no nesting).
    static func withoutStrings(_ line: Substring) -> String {
        var result = ""
        var inString = false
        var escaped = false
        for character in line {
            if !inString, character == "/", result.last == "/" { return String(result.dropLast()) }
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
