import FormworkRuleKit
@testable import FormworkRules
import FormworkTemplate
import Testing

/// ST-58 and ST-12's judgement of references to conditional resources: conditions compared by
/// their tests (the wordpress and web-server templates from outside the corpora named their
/// conditions differently from the resources' and were deployed fine, or not at all).
@Suite struct ConditionalTargetTests {
    static func findings(_ text: String) throws -> [Diagnostic] {
        try LintFixtures.lint(text, profile: "structural").filter { $0.ruleID == "ST-58" || ($0.ruleID == "ST-12" && $0.message.contains("condition")) }
    }

    static let header = """
        Parameters:
          Env:
            Type: String
            AllowedValues: [a, b]
          Mode:
            Type: String
        Conditions:
          IsA: !Equals [!Ref Env, a]
          IsAToo: !Equals [a, !Ref Env]
          IsB: !Equals [!Ref Env, b]
          NotB: !Not [!Condition IsB]
          Fast: !Equals [!Ref Mode, fast]
          FastA: !And [!Condition Fast, !Condition IsA]
        Resources:
          Target:
            Type: AWS::SNS::Topic
            Condition: IsA

        """

    /// A condition written alike, the other branch of an Fn::If whose condition excludes the
    /// target's, a negation that AllowedValues close, and a conjunction that implies it.
    @Test func placesWhereTheTargetExistsAreNotReported() throws {
        let found = try Self.findings(Self.header + """
              Alike:
                Type: AWS::SNS::Topic
                Condition: IsAToo
                Properties:
                  TopicName: !GetAtt Target.TopicName
              OtherBranch:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !If [IsB, !Ref AWS::NoValue, !GetAtt Target.TopicName]
              Negation:
                Type: AWS::SNS::Topic
                Condition: NotB
                DependsOn: Target
              Conjunction:
                Type: AWS::SNS::Topic
                Condition: FastA
                Properties:
                  TopicName: !Sub '${Target.TopicName}-fast'
            Outputs:
              Guarded:
                Condition: IsA
                Value: !Ref Target
            """)
        #expect(found.isEmpty, "\(found.map(\.message))")
    }

    /// An unrelated condition, an unconditional output, a Sub's own variable and DependsOn:
    /// each reported once, with a deployment where the target is missing.
    @Test func placesWhereTheTargetMayBeMissingAreReported() throws {
        let found = try Self.findings(Self.header + """
              Fast:
                Type: AWS::SNS::Topic
                Condition: Fast
                DependsOn: [Target]
                Properties:
                  TopicName: !Sub ['${Name}', {Name: !Ref Target}]
            Outputs:
              Unguarded:
                Value: !Sub '${Target}'
            """)
        #expect(found.map(\.ruleID) == ["ST-12", "ST-58", "ST-58"])
        #expect(found.map(\.location.line) == [21, 23, 26])
        #expect(found[0].severity == .error && found[1].severity == .warning)
        #expect(found[0].message.contains("when 'Fast' is true and 'IsA' is false"), "\(found[0].message)")
        #expect(found[2].message.contains("when 'IsA' is false"), "\(found[2].message)")
        #expect(found[2].path == [.key("Outputs"), .key("Unguarded"), .key("Value")])
    }

    /// Conditions resting on more tests than are judged, and places under more conditions
    /// than the budget of assignments allows, are left alone, in bounded time.
    @Test func manyConditionsAreLeftAloneInBoundedTime() throws {
        let count = 40
        var text = "Parameters:\n"
        for index in 0..<count { text += "  P\(index):\n    Type: String\n" }
        text += "Conditions:\n"
        for index in 0..<count { text += "  C\(index): !Equals [!Ref P\(index), yes]\n" }
        text += "  Many: !And [\((0..<count).map { "!Condition C\($0)" }.joined(separator: ", "))]\n"
        text += "Resources:\n  Target:\n    Type: AWS::SNS::Topic\n    Condition: Many\n"
        for index in 0..<count {
            text += "  User\(index):\n    Type: AWS::SNS::Topic\n    Condition: C\(index)\n    Properties:\n      TopicName: !GetAtt Target.TopicName\n"
        }
        let found = try Self.findings(text)
        #expect(found.isEmpty, "\(found.count) findings")
        // Eleven conditions of one test each: judged, each place once.
        var small = "Parameters:\n  P:\n    Type: String\nConditions:\n"
        for index in 0..<11 { small += "  C\(index): !Equals [!Ref P, v\(index)]\n" }
        small += "Resources:\n  Target:\n    Type: AWS::SNS::Topic\n    Condition: C0\n"
        for index in 1..<11 {
            small += "  User\(index):\n    Type: AWS::SNS::Topic\n    Condition: C\(index)\n    Properties:\n      TopicName: !GetAtt Target.TopicName\n"
        }
        #expect(try Self.findings(small).count == 10)
    }
}
