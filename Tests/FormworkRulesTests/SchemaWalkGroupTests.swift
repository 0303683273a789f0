import FormworkRuleKit
@testable import FormworkRules
import Testing

/// The linter groups the schema walk's rules by `schemaWalkRules`, a list kept beside the
/// protocol so that no rule type is cast at lint time: it must hold exactly the conforming rules.
@Suite struct SchemaWalkGroupTests {
    @Test func theListHoldsEverySchemaWalkRule() {
        for rule in RuleRegistry.all {
            #expect((rule is any SchemaWalkRule.Type) == schemaWalkRules.contains(ObjectIdentifier(rule)), "\(rule.description.id)")
        }
        #expect(schemaWalkRules.count == RuleRegistry.all.filter { $0 is any SchemaWalkRule.Type }.count)
    }
}
