import FormworkRuleKit
import FormworkTemplate

/// The value shapes settings take, read with one message per shape.
enum SettingValue {
    static func wholeNumber(_ value: Node, _ key: String, minimum: Int) throws(SettingProblem) -> Int {
        guard let number = value.numberValue, number.isFinite, number == number.rounded(), number >= Double(minimum), number <= 100_000 else {
            throw SettingProblem("\(key) must be a whole number of at least \(minimum)", at: value)
        }
        return Int(number)
    }

    static func strings(_ value: Node, _ message: String) throws(SettingProblem) -> [String] {
        guard let items = value.arrayValue else { throw SettingProblem(message, at: value) }
        let strings = items.compactMap(\.stringValue)
        guard strings.count == items.count else { throw SettingProblem(message, at: value) }
        return strings
    }

    static func choice(_ value: Node, _ key: String, _ choices: [String]) throws(SettingProblem) -> String {
        guard let text = value.stringValue, choices.contains(text) else {
            throw SettingProblem("\(key) must be \(choices.joined(separator: " or "))", at: value)
        }
        return text
    }

    static func number(_ value: Double) -> Node {
        .number(value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value))
    }

    static func list(_ strings: [String]) -> Node { .array(strings.map { .string($0) }) }
}
