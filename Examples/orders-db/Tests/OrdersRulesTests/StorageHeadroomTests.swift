import FormworkRuleTesting
import OrdersRules
import Testing

/// The team's rule, verified as Formwork verifies its own: each example's findings exactly at
/// its marks, none in the others, and each triggering example silent once suppressed.
@Test func storageHeadroomExamples() {
    #expect(RuleExamples.failures(of: StorageHeadroom.self) == [])
}
