import Foundation
import Testing

/// `formwork schema --list`: every registry type with its typed model, and both counts
/// (issue 12's acceptance: as many generated models as registry types).
@Suite struct SchemaCommandTests {
    @Test func listNamesEveryTypesModelAndBothCounts() throws {
        let run = try CLI.run(["schema", "--list"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 1_584)
        #expect(lines.allSatisfy { $0.contains("(import Formwork") }, "a type without a model")
        #expect(lines.contains("AWS::ECS::Service  ECS.Service (import FormworkECS)"))
        #expect(lines.contains("AWS::Cassandra::Type  Cassandra.TypeResource (import FormworkCassandra)"))
        #expect(run.stderr == "1584 registry types, 1584 with typed models in 278 modules\n")
    }

    @Test func theJSONListCarriesTheCounts() throws {
        let run = try CLI.run(["schema", "--list", "--format", "json"])
        #expect(run.status == 0)
        let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(document?["registryTypes"] as? Int == 1_584)
        #expect(document?["typedModels"] as? Int == 1_584)
        #expect(document?["modules"] as? Int == 278)
        #expect((document?["types"] as? [Any])?.count == 1_584)
    }
}
