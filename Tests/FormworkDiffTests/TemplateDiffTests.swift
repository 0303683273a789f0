import Foundation
import FormworkTestSupport
import FormworkDiff
import FormworkSchema
import FormworkSchemaData
import FormworkTemplate
import Testing

enum Fixtures {
    static let root = Repository.root

    static var folder: String { root + "/fixtures/diff" }

    static var base: String { try! String(contentsOfFile: folder + "/base.yaml", encoding: .utf8) }

    /// The moto export of base.yaml (deployed from YAML: TemplateBody is a string).
    static func deployed(_ variant: String = "moto") throws -> DeployedStack {
        var stack = DeployedStack(template: try DeployedInputs.template(folder + "/\(variant)/get-template.json"))
        try DeployedInputs.stackDescription(folder + "/\(variant)/describe-stacks.json", into: &stack)
        if FileManager.default.fileExists(atPath: folder + "/\(variant)/list-stack-resources.json") {
            try DeployedInputs.resources(folder + "/\(variant)/list-stack-resources.json", into: &stack)
        }
        return stack
    }

    static func diff(_ local: String, against stack: DeployedStack? = nil, parameters: [String: String] = [:]) throws -> DiffReport {
        let read = TemplateReader.read(Array(local.utf8), file: "local.yaml")
        let template = try #require(read.template, "\(read.diagnostics.map(\.text))")
        return TemplateDiff(local: template, deployed: try stack ?? deployed(), localParameters: parameters, registry: .shared).run()
    }

    static func edited(_ replacements: [(String, String)]) -> String {
        var text = base
        for (old, new) in replacements {
            precondition(text.contains(old), "fixture has no '\(old)'")
            text = text.replacingOccurrences(of: old, with: new)
        }
        return text
    }
}

@Suite struct TemplateDiffTests {
    func resource(_ report: DiffReport, _ id: String) -> ResourceDiff? { report.resources.first { $0.logicalID == id } }

    @Test func yamlShortFormAgainstDeployedJSONLongFormHasNoDifferences() throws {
        #expect(!(try Fixtures.diff(Fixtures.base, against: Fixtures.deployed("moto/json")).hasDifferences))
        #expect(!(try Fixtures.diff(Fixtures.base).hasDifferences))
    }

    @Test func reorderedTagsAreNoDifference() throws {
        let local = Fixtures.edited([("""
                - Key: Environment
                  Value: !Ref EnvironmentSuffix
                - Key: Service
                  Value: orders
        """, """
                - Key: Service
                  Value: orders
                - Key: Environment
                  Value: !Ref EnvironmentSuffix
        """)])
        #expect(!(try Fixtures.diff(local).hasDifferences))
    }

    @Test func numbersAndBooleansAsStringsAreNoDifference() throws {
        let local = Fixtures.edited([("AllocatedStorage: '20'", "AllocatedStorage: 20"), ("StorageEncrypted: true", "StorageEncrypted: 'true'")])
        #expect(!(try Fixtures.diff(local).hasDifferences))
    }

    @Test func changedInstanceClassIsAnInterruptionNotAReplacement() throws {
        let report = try Fixtures.diff(Fixtures.edited([("DBInstanceClass: db.t3.micro", "DBInstanceClass: db.r6g.large")]))
        let database = try #require(resource(report, "Database"))
        #expect(database.action == .modify)
        #expect(database.replacement == .interruption)
        #expect(!database.dataLoss)
        #expect(database.changes.map(\.pathText) == ["Properties/DBInstanceClass"])
        #expect(report.resources.count == 1)
    }

    @Test(arguments: [
        ("DBInstanceIdentifier: !Sub 'db-${EnvironmentSuffix}'", "DBInstanceIdentifier: !Sub 'orders-${EnvironmentSuffix}'", "/properties/DBInstanceIdentifier"),
        ("StorageEncrypted: true", "StorageEncrypted: false", "/properties/StorageEncrypted"),
    ])
    func createOnlyChangesReplaceTheDatabaseWithDataLoss(old: String, new: String, pointer: String) throws {
        let database = try #require(resource(try Fixtures.diff(Fixtures.edited([(old, new)])), "Database"))
        #expect(database.replacement == .will)
        #expect(database.dataLoss)
        // The User Guide decides (the registry agrees: \(pointer) is create-only).
        #expect(database.changes.first?.reason == "DBInstance doc: Update requires Replacement")
        #expect(database.changes.first?.source == .documentation)
        #expect(try #require(SchemaRegistry.shared.schema(for: "AWS::RDS::DBInstance")).createOnly.contains(pointer))
    }

    @Test func removedBucketIsRemovedWithDataLoss() throws {
        let local = Fixtures.edited([("""
          Backups:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Sub 'backups-${EnvironmentSuffix}-lab'

        """, "")])
        let bucket = try #require(resource(try Fixtures.diff(local), "Backups"))
        #expect(bucket.action == .remove)
        #expect(bucket.dataLoss)
    }

    @Test func replacedSecurityGroupModifiesTheDatabaseWithoutReplacingIt() throws {
        let report = try Fixtures.diff(Fixtures.edited([("GroupDescription: PostgreSQL from the application subnets", "GroupDescription: PostgreSQL clients")]))
        let group = try #require(resource(report, "DatabaseSecurityGroup"))
        #expect(group.replacement == .will)
        #expect(!group.dataLoss)
        let database = try #require(resource(report, "Database"))
        #expect(database.action == .modify)
        #expect(database.replacement == .none)
        #expect(!database.dataLoss)
        #expect(database.changes.map(\.pathText) == ["Properties/VPCSecurityGroups"])
    }

    @Test func replacedSubnetGroupReplacesTheDatabaseThroughItsRef() throws {
        let report = try Fixtures.diff(Fixtures.edited([("DBSubnetGroupName: !Sub 'db-subnets-${EnvironmentSuffix}'", "DBSubnetGroupName: !Sub 'db-private-${EnvironmentSuffix}'")]))
        let group = try #require(resource(report, "DatabaseSubnetGroup"))
        #expect(group.replacement == .will)
        let database = try #require(resource(report, "Database"))
        #expect(database.replacement == .will)
        #expect(database.dataLoss)
        let change = try #require(database.changes.first { $0.pathText == "Properties/DBSubnetGroupName" })
        #expect(change.reason.contains("DatabaseSubnetGroup is replaced"))
        #expect(change.reason.contains("DBInstance doc: Update requires Replacement"))
        #expect(change.source == .propagation)
        // The instance keeps its own custom name: CloudFormation cannot replace it.
        #expect(database.notes.contains { $0.hasPrefix("DBInstanceIdentifier is a custom name") })
    }

    @Test func aChangedParameterValueShowsAsTheReplacementsItCauses() throws {
        let report = try Fixtures.diff(Fixtures.base, parameters: ["EnvironmentSuffix": "qa"])
        #expect(report.parameters.first?.notes == ["value lab -> qa"])
        #expect(resource(report, "Backups")?.replacement == .will)
        #expect(resource(report, "Alerts")?.replacement == .will)
        #expect(resource(report, "Database")?.dataLoss == true)
    }

    @Test func removedReplicaSourceIsAPromotion() throws {
        let local = Fixtures.base
        var deployed = try Fixtures.deployed()
        var resources = try #require(deployed.template.root["Resources"]?.objectValue)
        var database = try #require(resources["Database"]?.objectValue)
        var properties = try #require(database["Properties"]?.objectValue)
        properties.set("SourceDBInstanceIdentifier", .string("db-primary"))
        database.set("Properties", .object(properties))
        resources.set("Database", .object(database))
        deployed.template.root.set("Resources", .object(resources))
        let change = try #require(resource(try Fixtures.diff(local, against: deployed), "Database")?.changes.first)
        #expect(change.replacement == .interruption)
        #expect(change.reason.contains("promotes the read replica"))
    }

    @Test func handMadeExportMatchesDespiteSetsAndQuestionMarks() throws {
        let folder = Fixtures.folder + "/handmade"
        let stack = DeployedStack(template: try DeployedInputs.template(folder + "/get-template.json"))
        let local = try String(contentsOfFile: folder + "/local.yaml", encoding: .utf8)
        let report = try Fixtures.diff(local, against: stack)
        #expect(report.resources.map(\.logicalID) == ["OldLogs"])
        #expect(report.resources.first?.action == .orphan)
        #expect(report.resources.first?.dataLoss == false)
    }

    @Test func failOnSelectsWhatCounts() throws {
        let interruption = try Fixtures.diff(Fixtures.edited([("DBInstanceClass: db.t3.micro", "DBInstanceClass: db.r6g.large")]))
        #expect(DiffFailOn.any.triggers(interruption))
        #expect(DiffFailOn.interruption.triggers(interruption))
        #expect(!DiffFailOn.replacement.triggers(interruption))
        #expect(!DiffFailOn.dataLoss.triggers(interruption))
        let tagOnly = try Fixtures.diff(Fixtures.edited([("Value: orders", "Value: billing")]))
        #expect(DiffFailOn.any.triggers(tagOnly))
        #expect(!DiffFailOn.interruption.triggers(tagOnly))
    }

    @Test func reportsAreDeterministicAndCarryTheDocumentedKeys() throws {
        let report = try Fixtures.diff(Fixtures.edited([("DBSubnetGroupName: !Sub 'db-subnets-${EnvironmentSuffix}'", "DBSubnetGroupName: !Sub 'db-private-${EnvironmentSuffix}'")]))
        let json = DiffReports.json(report)
        #expect(JSONWriter.write(json) == JSONWriter.write(DiffReports.json(try Fixtures.diff(Fixtures.edited([("DBSubnetGroupName: !Sub 'db-subnets-${EnvironmentSuffix}'", "DBSubnetGroupName: !Sub 'db-private-${EnvironmentSuffix}'")])))))
        let first = try #require(json["resources"]?.arrayValue?.first?.objectValue)
        for key in ["logicalId", "type", "action", "replacement", "dataLoss", "changes"] { #expect(first[key] != nil, "\(key)") }
        let change = try #require(first["changes"]?.arrayValue?.first?.objectValue)
        for key in ["path", "before", "after", "replacement", "reason"] { #expect(change[key] != nil, "\(key)") }
        #expect(json["parameters"] != nil && json["outputs"] != nil)
        #expect(DiffReports.markdown(report).contains("| ♻️ | `Database` | `AWS::RDS::DBInstance` | modify | will | **yes** |"))
        #expect(!DiffReports.text(report, colour: false).contains("\u{1B}["))
        #expect(DiffReports.text(report, colour: true).contains("\u{1B}["))
    }

    @Test func flatOutputsNameOutputsTheTemplateNoLongerProduces() throws {
        var stack = try Fixtures.deployed()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flat-\(UUID().uuidString).json").path
        try #"{"AlertsTopic": "arn:aws:sns:us-east-1:123456789012:alerts-lab", "LegacyEndpoint": "db.example"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try DeployedInputs.flatOutputs(path, into: &stack)
        let local = Fixtures.edited([("""
          AlertsTopic:
            Value: !Ref Alerts
            Export:
              Name: !Sub '${AWS::StackName}-alerts'
        """, "")])
        let report = try Fixtures.diff(local, against: stack)
        let removed = try #require(report.outputs.first { $0.name == "AlertsTopic" })
        #expect(removed.action == .remove)
        #expect(removed.notes.first?.contains("consumers read this output") == true)
        #expect(report.outputs.contains { $0.name == "LegacyEndpoint" })
    }

    @Test(arguments: [
        ("{\"Stacks\": []}", "expected exactly one stack"),
        ("{\"Something\": 1}", "expected `aws cloudformation describe-stacks` output"),
        ("[1, 2]", "describe-stacks"),
    ])
    func unknownShapesAreClearErrors(text: String, expected: String) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shape-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var stack = DeployedStack(template: Template())
        do {
            try DeployedInputs.stackDescription(path, into: &stack)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.diagnostics.first?.message.contains(expected) == true, "\(error)")
            #expect(error.diagnostics.first?.file == path)
            #expect(error.diagnostics.first?.location.isKnown == true)
        }
        do {
            _ = try DeployedInputs.template(path)
            Issue.record("accepted \(text) as a template")
        } catch {
            #expect(error.diagnostics.first?.ruleID == DiffDiagnosticID.inputShape)
        }
    }
}
