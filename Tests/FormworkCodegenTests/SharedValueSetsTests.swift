import FormworkSchema
import FormworkTestSupport
import Testing
@testable import FormworkCodegen

/// Value sets that several sets of a service declare whole are written once per module
/// (`SharedValueSet`): EC2's instance types were four copies of 1,212 constants.
@Suite struct SharedValueSetsTests {
    /// Every registry type's model, by service.
    static func modelsByService() -> [String: [TypeModel]] {
        let root = Repository.root
        guard let source = try? RegistrySource(repositoryRoot: root),
              let patches = try? SchemaPatches(path: root + "/" + Generator.patchesPath),
              let attributeNames = try? RegistrySource.getAttNames(repositoryRoot: root),
              let enums = try? ModelWriter.ExtensionEnums(repositoryRoot: root) else { return [:] }
        var models: [String: [TypeModel]] = [:]
        try? ModelWriter.forEachModel(source: source, patches: patches, extensionEnums: enums, attributeNames: attributeNames, updates: ModelWriter.UpdateNotes()) { _, _, model in
            models[model.service, default: []].append(model)
        }
        return models
    }

    @Test func everyListTwoSetsDeclareIsSharedOnce() throws {
        let modelsByService = Self.modelsByService()
        #expect(modelsByService.count > 200)
        for (service, models) in modelsByService {
            let plan = SharedValueSet.plan(service: service, models: models)
            var declared: [[String]: Int] = [:]
            for model in models { for set in model.valueSets { declared[set.values, default: 0] += 1 } }
            #expect(Set(plan.keys) == Set(declared.filter { $0.value > 1 }.keys), "\(service)")
            let names = plan.values.map(\.name)
            #expect(Set(names).count == names.count, "\(service): \(names.sorted())")
            #expect(Set(names).isDisjoint(with: models.map(\.name) + [service]), "\(service)")
            #expect(plan.values.allSatisfy { $0.users.count == declared[$0.values] }, "\(service)")
        }
        let ec2 = SharedValueSet.plan(service: "EC2", models: try #require(modelsByService["EC2"]))
        let instanceTypes = try #require(ec2.values.first { $0.name == "InstanceTypeValues" })
        #expect(instanceTypes.values.count > 1_000)
        #expect(instanceTypes.users.sorted() == ["CapacityReservationFleet.InstanceType", "EC2Fleet.InstanceType", "Instance.InstanceType", "LaunchTemplate.InstanceType"])
    }

    @Test func namesDropWhatMadeThemUniqueInTheirModel() {
        #expect(SharedValueSet.baseName("ProtocolValue") == "Protocol")
        #expect(SharedValueSet.baseName("ValueValue2") == "Value")
        #expect(SharedValueSet.baseName("InstanceType") == "InstanceType")
        #expect(SharedValueSet.baseName("Value") == "Value")
        #expect(SharedValueSet.baseName("Ipv4") == "Ipv4")
    }
}
