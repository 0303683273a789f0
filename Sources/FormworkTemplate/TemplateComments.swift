import FormworkYAML

/// The comments of a YAML template by line, for the stages above the template layer that
/// carry them over (`formwork import` writes them as Swift comments). JSON has none.
package struct TemplateComments: Sendable {
    /// One comment: its text after `#`, and whether it stands on a line of its own.
    package struct Comment: Sendable {
        package var text: String
        package var ownLine: Bool
    }

    private var byLine: [Int: Comment] = [:]

    /// The comments of `source` (none when it is not YAML or cannot be scanned).
    package init(source: [UInt8]?) {
        guard let source, source.first.map({ $0 != UInt8(ascii: "{") }) ?? false,
              let comments = try? YAMLCommentScanner.scan(source) else { return }
        for comment in comments where !comment.inFlow {
            byLine[Int(comment.mark.line)] = Comment(text: comment.text, ownLine: comment.ownLine)
        }
    }

    /// What belongs to a key on `line`: the comments on the lines of their own right above
    /// it, in order, then the one at the end of its line.
    package func attached(toLine line: Int) -> [String] {
        var above: [String] = []
        var previous = line - 1
        while let comment = byLine[previous], comment.ownLine {
            above.insert(comment.text, at: 0)
            previous -= 1
        }
        if let trailing = byLine[line], !trailing.ownLine { above.append(trailing.text) }
        return above
    }
}
