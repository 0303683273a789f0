import Foundation
import FormworkTestSupport
import FormworkDiff
import FormworkSchemaData
import FormworkTemplate
import Testing

/// Deploys a small template into a local moto server with the real AWS CLI (through
/// ../shared/tools/moto-lab.sh), exports it, changes the local copy and diffs. Skipped with
/// a printed reason when moto, awscli or the lab script are missing.
@Suite struct MotoEndToEndTests {
    static let lab = Fixtures.root + "/../shared/tools/moto-lab.sh"

    static func missing() -> String? {
        if !FileManager.default.fileExists(atPath: lab) { return "../shared/tools/moto-lab.sh is missing" }
        for command in ["aws", "moto_server"] where !Repository.hasCommand(command) {
            return "\(command) is not installed (pip install 'moto[server]' awscli)"
        }
        return nil
    }

    @Test(.timeLimit(.minutes(3)), .enabled(if: missing() == nil, Comment(rawValue: missing() ?? "")))
    func deployExportChangeAndDiff() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-moto-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.lab, "-t", Fixtures.folder + "/base.yaml", "-T", folder + "/get-template.json",
                             "-S", folder + "/describe-stacks.json", "-R", folder + "/resources.json", "-p", "EnvironmentSuffix=e2e"]
        let log = Pipe()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let output = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "moto-lab.sh failed (\(process.terminationStatus)):\n\(output.suffix(2000))")

        var stack = DeployedStack(template: try DeployedInputs.template(folder + "/get-template.json"))
        try DeployedInputs.stackDescription(folder + "/describe-stacks.json", into: &stack)
        try DeployedInputs.resources(folder + "/resources.json", into: &stack)
        #expect(stack.parameterValues["EnvironmentSuffix"] == "e2e")
        #expect(stack.existingResources?["Database"]?.physicalID == "db-e2e")

        let unchanged = TemplateDiff(local: try #require(Template(root: TemplateReader.read(path: Fixtures.folder + "/base.yaml").root!)),
                                     deployed: stack, registry: .shared).run()
        #expect(!unchanged.hasDifferences)

        let changed = Fixtures.edited([("DBInstanceClass: db.t3.micro", "DBInstanceClass: db.t3.small"),
                                       ("DBSubnetGroupName: !Sub 'db-subnets-${EnvironmentSuffix}'", "DBSubnetGroupName: !Sub 'db-private-${EnvironmentSuffix}'")])
        let report = try Fixtures.diff(changed, against: stack)
        let database = try #require(report.resources.first { $0.logicalID == "Database" })
        #expect(database.replacement == .will)
        #expect(database.dataLoss)
        #expect(database.physicalID == "db-e2e")
        print("moto end-to-end diff: \(DiffReports.summary(report))")
    }
}
