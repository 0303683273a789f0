/// `KEY=VALUE` command-line arguments (`--parameters`, `--parameter`), read one way for
/// every command: the key is what stands before the first `=` and may not be empty; the
/// value may (an empty parameter value).
package enum KeyValueArguments {
    package struct Malformed: Error, Sendable {
        package var argument: String
    }

    /// The pairs in the order given (a key given twice appears twice).
    package static func parse(_ arguments: [String]) -> Result<[(key: String, value: String)], Malformed> {
        var pairs: [(key: String, value: String)] = []
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return .failure(Malformed(argument: argument)) }
            pairs.append((String(argument[..<equals]), String(argument[argument.index(after: equals)...])))
        }
        return .success(pairs)
    }
}
