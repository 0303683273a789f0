import Testing
@testable import FormworkTemplate

@Suite struct TemplateReaderTests {
    func root(_ text: String) throws -> Node {
        let result = TemplateReader.read(Array(text.utf8), file: "t.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.text))")
        return try #require(result.root)
    }

    func diagnostics(_ text: String) -> [Diagnostic] {
        TemplateReader.read(Array(text.utf8), file: "t.yaml").diagnostics
    }

    @Test(arguments: [
        ("!Ref X", "{Ref: X}"),
        ("!Sub 'a-${X}'", "{'Fn::Sub': 'a-${X}'}"),
        ("!Sub ['a-${v}', {v: !Ref X}]", "{'Fn::Sub': ['a-${v}', {v: {Ref: X}}]}"),
        ("!GetAtt A.B", "{'Fn::GetAtt': [A, B]}"),
        ("!GetAtt A.B.C", "{'Fn::GetAtt': [A, B.C]}"),
        ("!GetAtt [A, B.C]", "{'Fn::GetAtt': [A, B.C]}"),
        ("{'Fn::GetAtt': A.B.C}", "{'Fn::GetAtt': [A, B.C]}"),
        ("!Join ['', [a, b]]", "{'Fn::Join': ['', [a, b]]}"),
        ("!Select [0, !GetAZs '']", "{'Fn::Select': [0, {'Fn::GetAZs': ''}]}"),
        ("!Split [',', a]", "{'Fn::Split': [',', a]}"),
        ("!If [C, !Ref AWS::NoValue, 1]", "{'Fn::If': [C, {Ref: 'AWS::NoValue'}, 1]}"),
        ("!Equals [a, b]", "{'Fn::Equals': [a, b]}"),
        ("!And [!Condition A, !Condition B]", "{'Fn::And': [{Condition: A}, {Condition: B}]}"),
        ("!Or [!Condition A, !Condition B]", "{'Fn::Or': [{Condition: A}, {Condition: B}]}"),
        ("!Not [!Condition A]", "{'Fn::Not': [{Condition: A}]}"),
        ("!FindInMap [M, K, V]", "{'Fn::FindInMap': [M, K, V]}"),
        ("!Base64 abc", "{'Fn::Base64': abc}"),
        ("!Cidr [10.0.0.0/16, 4, 8]", "{'Fn::Cidr': [10.0.0.0/16, 4, 8]}"),
        ("!GetAZs us-east-1", "{'Fn::GetAZs': us-east-1}"),
        ("!ImportValue shared", "{'Fn::ImportValue': shared}"),
        ("!Transform {Name: M}", "{'Fn::Transform': {Name: M}}"),
        ("!Contains [[a], b]", "{'Fn::Contains': [[a], b]}"),
        ("!EachMemberEquals [[a], b]", "{'Fn::EachMemberEquals': [[a], b]}"),
        ("!EachMemberIn [[a], [b]]", "{'Fn::EachMemberIn': [[a], [b]]}"),
        ("!RefAll T", "{'Fn::RefAll': T}"),
        ("!ValueOf [P, A]", "{'Fn::ValueOf': [P, A]}"),
        ("!ValueOfAll [T, A]", "{'Fn::ValueOfAll': [T, A]}"),
        ("!Whatever x", "{'Fn::Whatever': x}"),
        ("!Ref 5", "{Ref: '5'}"),
    ])
    func shortFormsReadAsTheirLongForms(short: String, long: String) throws {
        #expect(try root("k: " + short) == root("k: " + long))
        #expect(try root("k: " + short)["k"]?.intrinsicValue != nil || short.hasPrefix("!Condition"))
    }

    @Test func scalarsResolveAsYAML11() throws {
        let value = try root("a: yes\nb: 'yes'\nc: 010\nd: 1e5\ne: ~\nf: 2010-09-09\ng: \"10\"\n")
        #expect(value["a"]?.kind.isBool(true) == true)
        #expect(value["b"]?.stringValue == "yes")
        guard case .number(let literal)? = value["c"]?.kind else { Issue.record("010 is not a number"); return }
        #expect(literal == "010")
        #expect(value["d"]?.stringValue == "1e5")
        guard case .null? = value["e"]?.kind else { Issue.record("~ is not null"); return }
        #expect(value["f"]?.stringValue == "2010-09-09")
        #expect(value["g"]?.stringValue == "10")
    }

    @Test func jsonKeepsPositionsAndLiterals() throws {
        let text = "{\n  \"Resources\": {\n    \"A\": {\"Type\": \"X\", \"N\": 1.50}\n  }\n}\n"
        let result = TemplateReader.read(Array(text.utf8), file: "t.json")
        #expect(result.format == .json)
        let resources = try #require(result.root?["Resources"]?.objectValue)
        #expect(resources.entry("A")?.keyLocation == Location(line: 3, column: 5))
        let a = try #require(resources["A"])
        #expect(a.location == Location(line: 3, column: 10))
        guard case .number(let literal)? = a["N"]?.kind else { Issue.record("not a number"); return }
        #expect(literal == "1.50")
    }

    @Test func jsonAndYAMLGiveTheSameModel() throws {
        let json = TemplateReader.read(Array(#"{"Resources": {"A": {"Type": "X", "Properties": {"P": {"Fn::GetAtt": ["B", "Arn"]}, "Q": [1, true, null]}}}}"#.utf8))
        let yaml = TemplateReader.read(Array("Resources:\n  A:\n    Type: X\n    Properties:\n      P: !GetAtt B.Arn\n      Q: [1, true, null]\n".utf8))
        #expect(json.root == yaml.root)
    }

    @Test func jsonDuplicateKeysReportBothPlaces() {
        let found = TemplateReader.read(Array("{\"a\": 1,\n \"a\": 2}".utf8), file: "d.json").diagnostics
        #expect(found.count == 1)
        #expect(found.first?.ruleID == ReadDiagnosticID.duplicateKey)
        #expect(found.first?.location == Location(line: 2, column: 2))
        #expect(found.first?.notes.first?.location == Location(line: 1, column: 2))
    }

    @Test(arguments: [
        ("{\"a\": }", "PS-01", 1, 7),
        ("{\"a\": 01}", "PS-01", 1, 7),
        ("{\"a\": \"x\ny\"}", "PS-01", 1, 9),
        ("{\"a\": \"\\q\"}", "PS-01", 1, 10),
        ("{\"a\": 1} x", "PS-01", 1, 10),
    ])
    func jsonErrorsAreLocated(text: String, id: String, line: Int, column: Int) {
        // A .json file must be strict JSON: no retry as YAML.
        let found = TemplateReader.read(Array(text.utf8), file: "e.json").diagnostics
        #expect(found.first?.ruleID.rawValue == id, "\(found.map(\.text))")
        #expect(found.first?.location == Location(line: line, column: column), "\(found.map(\.text))")
    }

    @Test func nonJSONFilesFallBackToYAMLFlowMappings() throws {
        let result = TemplateReader.read(Array("{\"Resources\": {\"A\": {\"Type\": \"X\",}}}".utf8), file: "t.template")
        #expect(result.diagnostics.isEmpty)
        #expect(result.format == .yaml)
    }

    @Test func flowMappingYAMLThatIsNotJSONStillReads() throws {
        let result = TemplateReader.read(Array("{Resources: {A: {Type: X}}}".utf8))
        #expect(result.diagnostics.isEmpty)
        #expect(result.format == .yaml)
    }

    @Test func taggedKeysAreRefused() {
        let found = diagnostics("a: [!ImportValue Fn::Sub: x]\n")
        #expect(found.first?.ruleID == ReadDiagnosticID.complexKey)
        #expect(found.first?.location == Location(line: 1, column: 5))
    }

    @Test func rootMustBeAMapping() {
        #expect(diagnostics("- a\n").first?.ruleID == ReadDiagnosticID.rootNotMapping)
        #expect(diagnostics("just text\n").first?.ruleID == ReadDiagnosticID.rootNotMapping)
        #expect(diagnostics("").first?.ruleID == ReadDiagnosticID.empty)
        #expect(diagnostics("~\n").first?.ruleID == ReadDiagnosticID.rootNotMapping)
    }

    @Test func unknownStandardTagsAreLocated() {
        let found = diagnostics("a:\n  b: !!binary aGk=\n")
        #expect(found.first?.ruleID == ReadDiagnosticID.tag)
        #expect(found.first?.location == Location(line: 2, column: 6))
    }

    @Test func templateSectionsHaveTypedAccess() throws {
        let template = try #require(Template(root: root("""
        AWSTemplateFormatVersion: '2010-09-09'
        Parameters: {P: {Type: String}}
        Resources:
          A: {Type: 'AWS::S3::Bucket', DependsOn: B, Properties: {BucketName: x}}
          B: {Type: 'AWS::SNS::Topic', DependsOn: [A, C]}
        """)))
        #expect(template.formatVersion == "2010-09-09")
        #expect(template.parameters?.keys == ["P"])
        #expect(template.resources.map(\.logicalID) == ["A", "B"])
        #expect(template.resource("A")?.type == "AWS::S3::Bucket")
        #expect(template.resource("A")?.dependsOn == ["B"])
        #expect(template.resource("B")?.dependsOn == ["A", "C"])
        #expect(template.resource("A")?.properties?["BucketName"]?.stringValue == "x")
    }
}

extension Node.Kind {
    func isBool(_ flag: Bool) -> Bool {
        if case .bool(let value) = self { return value == flag }
        return false
    }
}
