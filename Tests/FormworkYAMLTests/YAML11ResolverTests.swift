import Testing
@testable import FormworkYAML

/// The table is PyYAML's SafeLoader behaviour (what cfn-lint and CloudFormation's YAML 1.1
/// reader do), checked by hand with `yaml.safe_load` while writing it.
@Suite struct YAML11ResolverTests {
    @Test(arguments: [
        ("", YAML11Scalar.null), ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null),
        ("yes", .bool(true)), ("Yes", .bool(true)), ("YES", .bool(true)), ("on", .bool(true)), ("ON", .bool(true)),
        ("true", .bool(true)), ("True", .bool(true)), ("no", .bool(false)), ("Off", .bool(false)), ("FALSE", .bool(false)),
        ("yEs", .string), ("y", .string), ("n", .string), ("nul", .string),
        ("0", .int), ("10", .int), ("-5", .int), ("+5", .int), ("010", .int), ("0x1F", .int), ("0b101", .int),
        ("1_000", .int), ("1:30", .int), ("190:20:30", .int),
        ("09", .string), ("0x", .string), ("1:60", .string), ("0b2", .string),
        ("1.5", .float), ("1.", .float), (".5", .float), ("-1.5e+3", .float), ("1.0e-5", .float), (".inf", .float),
        ("-.Inf", .float), (".nan", .float), ("1:30.5", .float),
        ("1e5", .string), ("1.5e10", .string), ("-.5", .string), ("-.nan", .string),
        ("2010-09-09", .timestamp), ("2001-12-14t21:59:43.10-05:00", .timestamp), ("2001-12-14 21:59:43.10 -5", .timestamp),
        ("2001-12-14 21:59:43.10Z", .timestamp), ("2010-9-9", .string), ("2010-09-09x", .string),
        ("<<", .merge), ("hello", .string), ("10.0.0.0/16", .string), ("us-east-1", .string),
    ])
    func resolvesLikePyYAML(text: String, expected: YAML11Scalar) {
        #expect(YAML11Resolver.resolve(plain: text) == expected, "\(text)")
    }
}
