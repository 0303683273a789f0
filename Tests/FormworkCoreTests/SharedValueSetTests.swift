import Formwork
import FormworkEC2
import Testing

/// A value set several models of a service take (EC2's instance types) is declared once, on a
/// protocol each model's set conforms to (`SharedValueSet` in the generator): the sets stay
/// distinct types, with their own source, in their own diagnostics.
@Suite struct SharedValueSetTests {
    @Test func sharedSetsKeepTheirTypesAndSources() {
        #expect(EC2.Instance.InstanceType.values == EC2.LaunchTemplate.InstanceType.values)
        #expect(EC2.Instance.InstanceType.values.contains("m5.large"))
        #expect(EC2.Instance.InstanceType.source.contains("AWS::EC2::Instance"))
        #expect(EC2.LaunchTemplate.InstanceType.source.contains("AWS::EC2::LaunchTemplate"))
        let instance = EC2.Instance { $0.instanceType = .m5Large }
        let data = EC2.LaunchTemplate.LaunchTemplateData { $0.instanceType = .m5Large }
        #expect(instance.renderProperties()["InstanceType"]?.stringValue == "m5.large")
        #expect(data.renderProperties()["InstanceType"]?.stringValue == "m5.large")
    }

    @Test func aValueOutsideASharedSetNamesTheModelsSet() {
        let stack = Stack()
        stack.add("Instance", EC2.Instance { $0.instanceType = "m5.lorge" })
        stack.add("Template", EC2.LaunchTemplate(launchTemplateData: EC2.LaunchTemplate.LaunchTemplateData { $0.instanceType = "m5.lorge" }))
        let messages: [String]
        do {
            _ = try stack.compile()
            messages = []
        } catch {
            messages = error.diagnostics.map(\.message)
        }
        #expect(messages.count == 2, "\(messages)")
        #expect(messages.contains { $0.contains("EC2.Instance.InstanceType's values") && $0.contains("AWS::EC2::Instance ") && $0.contains("`.m5Large`") }, "\(messages)")
        #expect(messages.contains { $0.contains("EC2.LaunchTemplate.InstanceType's values") && $0.contains("AWS::EC2::LaunchTemplate ") }, "\(messages)")
    }
}
