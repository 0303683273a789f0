import Formwork
import FormworkCodegen
import FormworkImport
import FormworkSchemaData
import FormworkTemplate
import FormworkTestSupport
import Testing

/// Import faults that templates written outside the project showed (AWS's sample
/// templates), each reproduced by a small template of its own.
@Suite struct OutsideTemplateImportTests {
    static func template(_ text: String, file: String = "t.yaml") throws -> Template {
        try #require(TemplateReader.read(Array(text.utf8), file: file).template)
    }

    /// `Fn::Sub: [TEXT, {}]` (AWS's CloudWatch dashboard sample) is imported as `.sub(TEXT)`,
    /// which writes `Fn::Sub: TEXT`: the same to CloudFormation, and to the round trip.
    @Test func aSubWithAnEmptyVariableMapRoundTrips() throws {
        let original = try Self.template("""
            Resources:
              Topic:
                Type: AWS::SNS::Topic
            Outputs:
              Body:
                Value:
                  Fn::Sub:
                    - '{"region": "${AWS::Region}", "topic": "${Topic}"}'
                    - {}
            """)
        let job = ImportJob(inputs: [ImportJob.Input(path: "t.yaml", template: original)], packageName: "t", systemName: "t",
                            dependency: .path("../formwork"), dependencyIdentity: "formwork")
        let outcome = job.run(extensionEnums: try ModelWriter.ExtensionEnums(repositoryRoot: Repository.root), registry: .shared)
        let swift = try #require(outcome.files.first { $0.path.hasSuffix("/T.swift") }?.contents)
        #expect(swift.contains(#".sub("{\"region\": \"${AWS::Region}\", \"topic\": \"${Topic}\"}")"#), "\(swift)")
        // What that Swift synthesizes.
        let stack = Stack()
        stack.add("Topic", RawResource(type: "AWS::SNS::Topic"))
        stack.output("Body", Value<String>.sub(#"{"region": "${AWS::Region}", "topic": "${Topic}"}"#))
        let synthesized = try #require(TemplateReader.read(try Formatter.canonical(stack.template.value, as: .yaml), file: "t.yaml").template)
        #expect(RoundTrip.differences(original: original, synthesized: synthesized).isEmpty)
        // Variables that are there still count.
        let other = try Self.template("Resources: {Topic: {Type: AWS::SNS::Topic}}\nOutputs:\n  Body:\n    Value: !Sub ['{\"region\": \"${AWS::Region}\", \"topic\": \"${Topic}\"}', {Topic: x}]\n")
        #expect(RoundTrip.differences(original: other, synthesized: synthesized) == ["Outputs/Body/Value/Fn::Sub: a list in the template, '{\"region\": \"${AWS::Region}\", \"topic\": \"${Topic}\"}' synthesized"])
    }

    /// `{"Fn::GetAZs": null}` (AWS's DMS and ELB JSON samples) is imported through `JSON.null`
    /// instead of refusing the template, and synthesizes the same content.
    @Test func aNullArgumentIsImported() throws {
        let text = """
            {"Resources": {"Subnet": {"Type": "AWS::EC2::Subnet", "Properties": {
              "VpcId": "vpc-0123456789abcdef0", "CidrBlock": "10.0.0.0/24",
              "AvailabilityZone": {"Fn::Select": ["0", {"Fn::GetAZs": null}]}}}}}
            """
        let original = try Self.template(text, file: "t.json")
        let job = ImportJob(inputs: [ImportJob.Input(path: "t.json", template: original)], packageName: "t", systemName: "t",
                            dependency: .path("../formwork"), dependencyIdentity: "formwork")
        let outcome = job.run(extensionEnums: try ModelWriter.ExtensionEnums(repositoryRoot: Repository.root), registry: .shared)
        #expect(outcome.notes.allSatisfy { $0.ruleID == ImportDiagnosticID.notTyped }, "\(outcome.notes.map(\.text))")
        let swift = try #require(outcome.files.first { $0.path.hasSuffix("/T.swift") }?.contents)
        #expect(swift.contains("JSON.null"), "\(swift)")
        // What `JSON.null` synthesizes, in the raw resource's place.
        let stack = Stack()
        stack.add("Subnet", RawResource(type: "AWS::EC2::Subnet", properties: [
            "VpcId": "vpc-0123456789abcdef0", "CidrBlock": "10.0.0.0/24",
            "AvailabilityZone": ["Fn::Select": ["0", ["Fn::GetAZs": JSON.null]]],
        ]))
        let synthesized = try #require(TemplateReader.read(try Formatter.canonical(stack.template.value, as: .yaml), file: "t.yaml").template)
        #expect(RoundTrip.differences(original: original, synthesized: synthesized).isEmpty)
    }
}
