import FormworkSchema
import FormworkSchemaData
import Testing

@Suite struct IAMActionCatalogueTests {
    @Test func theIAMActionTableKnowsTheServices() {
        let table = SchemaRegistry.shared.iamActions
        let getObject = table.actions(matching: "s3:GetObject")
        #expect(getObject?.map(\.name) == ["s3:GetObject"])
        #expect(getObject?.first?.level == .read && getObject?.first?.namesResources == true)
        #expect(table.actions(matching: "s3:ListAllMyBuckets")?.first?.namesResources == false)
        #expect((table.actions(matching: "kms:*")?.count ?? 0) > 30)
        #expect(table.actions(matching: "iam:PassRole")?.first?.level == .permissionsManagement)
        #expect(table.actions(matching: "nosuchservice:Get*")?.isEmpty == true)
        #expect(table.actions(matching: "*") == nil)
    }
}
