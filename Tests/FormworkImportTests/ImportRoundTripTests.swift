import Foundation
import Formwork
import FormworkCodegen
import FormworkImport
import FormworkRules
import FormworkSchemaData
import FormworkTemplate
import FormworkTestSupport
import Testing

/// `formwork import` of seed 004's template and a sample of the shared corpora (services this
/// test target builds anyway), compiled here as one module: the imported Swift under
/// `Imported/` must be what the importer writes today (re-record with FORMWORK_RECORD=1), it
/// compiles with the test target (no warnings: the build shows them), and every stack
/// synthesizes its template with the same content (`make import-corpus` does the same for the
/// whole corpora in a package of their own).
@Suite struct ImportRoundTripTests {
    /// Inputs, relative to the repository root, in the order they are imported.
    static let inputs = [
        "fixtures/seed-004/TapStack.yml",
        "../shared/corpus/real-world/templates/widdix+aws-cf-templates/vpc/vpc-2azs.yaml",
        "../shared/corpus/real-world/templates/widdix+aws-cf-templates/state/rds-postgres.yaml",
        "../shared/corpus/real-world/templates/widdix+aws-cf-templates/security/kms-key.yaml",
        "../shared/corpus/real-world/templates/widdix+aws-cf-templates/operations/alert.yaml",
        "../shared/corpus/real-world/templates/eijikominami+aws-cloudformation-templates/network/templates/template.yaml",
        "../shared/corpus/real-world/templates/eijikominami+aws-cloudformation-templates/monitoring/sam-app/ec2.yaml",
        "../shared/corpus/real-world/templates/aws-samples+aws-service-catalog-reference-architectures/ec2/sc-ec2-linux-ra.json",
        "../shared/corpus/real-world/templates/aws-samples+aws-service-catalog-reference-architectures/rds/sc-rds-postgresql-ra.json",
        "../shared/corpus/cfn-lint/templates/good/functions_findinmap.yaml",
        "../shared/corpus/cfn-lint/templates/good/modules/minimal.yaml",
        "../shared/corpus/cfn-lint/templates/good/resources/cloudformation/stacks.yaml",
        "../shared/corpus/cfn-lint/templates/good/no_value.yaml",
        // A parameter, a mapping and a condition of the same logical id.
        "fixtures/import/same-ids.yaml",
        // Fn::ForEach loops as the only entries of Resources and Outputs (ST-23 in what they make).
        "../shared/corpus/cfn-lint/templates/good/functions/foreach.yaml",
        // SAM: a Ref to the role the transform makes for the function (myFunctionRole), not a
        // resource of the template; the compile does not judge references under a Transform.
        "../shared/corpus/cfn-lint/templates/good/transform_serverless_function.yaml",
        // A RoleName outside its pattern (`TestRole-${Stage}` outside a Sub): the compile refuses it.
        "../shared/corpus/cfn-lint/templates/good/functions/sub_needed_custom_excludes.yaml",
    ]

    /// An input that breaks a compile check (a RoleName outside its pattern): its stack
    /// synthesizes under the imported profile (which lowers the check), and the compile
    /// refuses it once that override is removed.
    static let refusedWithoutItsOverride: (path: String, rule: RuleID) =
        ("../shared/corpus/cfn-lint/templates/good/functions/sub_needed_custom_excludes.yaml", "CP-03")

    static let folder = "Tests/FormworkImportTests/Imported"

    static func read(_ path: String) throws -> Template {
        let read = TemplateReader.read(path: Repository.root + "/" + path)
        return try #require(read.template, "\(path) cannot be read: \(read.diagnostics.map(\.text))")
    }

    /// The structural rules and compile checks a template breaks, as `formwork import` finds
    /// them when it reads it.
    static func brokenRules(_ template: Template, _ path: String) -> Set<RuleID> {
        ImportedChecks.broken(template, structuralFindings: Linter(registry: .shared).lint(template, file: path, configuration: .structural))
    }

    static func outcome() throws -> ImportJob.Outcome {
        let inputs = try Self.inputs.map { path in
            let template = try read(path)
            return ImportJob.Input(path: path, template: template, brokenRules: brokenRules(template, path))
        }
        let job = ImportJob(inputs: inputs, packageName: "imported-sample", systemName: "sample", dependency: .path("../formwork"), dependencyIdentity: "formwork")
        return job.run(extensionEnums: try ModelWriter.ExtensionEnums(repositoryRoot: Repository.root), registry: .shared)
    }

    /// The stack files, and the index of stacks this test synthesizes.
    static func expectedFiles(_ outcome: ImportJob.Outcome) -> [(name: String, contents: String)] {
        var files = outcome.files.filter { $0.path.hasPrefix("Sources/") && !$0.path.hasSuffix("/App.swift") }
            .map { (String($0.path.split(separator: "/").last!), $0.contents) }
        let entries = zip(inputs, outcome.functions).map { "    (\"\($0.0)\", \($0.1)),\n" }.joined()
        files.append(("Index.swift", """
        // Written by ImportRoundTripTests (FORMWORK_RECORD=1): each imported template and its stack.
        import Formwork

        let importedStacks: [(path: String, stack: @Sendable () -> Stack)] = [
        \(entries)]

        """))
        return files
    }

    @Test func importedSourcesAreCurrent() throws {
        let files = Self.expectedFiles(try Self.outcome())
        let record = ProcessInfo.processInfo.environment["FORMWORK_RECORD"] == "1"
        let folder = Repository.root + "/" + Self.folder
        for (name, contents) in files {
            let path = folder + "/" + name
            if record {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try contents.write(toFile: path, atomically: true, encoding: .utf8)
            } else {
                let committed = try? String(contentsOfFile: path, encoding: .utf8)
                #expect(committed == contents, "\(Self.folder)/\(name) is not what formwork import writes today: review and re-record with FORMWORK_RECORD=1")
            }
        }
        let names = Set(files.map(\.name))
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        #expect(present == names, "files under \(Self.folder) that the import does not write: \(present.subtracting(names).sorted())")
    }

    /// Each imported stack compiles under the structural profile, and its canonical YAML read
    /// back holds the input's content.
    @Test func everyStackSynthesizesItsTemplate() throws {
        #expect(importedStacks.map(\.path) == Self.inputs)
        for (path, build) in importedStacks {
            let original = try Self.read(path)
            // As the imported app's profile: what the template broke when imported is a warning.
            var profile = Profile(name: "imported", basedOn: .structural)
            for rule in Self.brokenRules(original, path) { profile.severityOverrides[rule] = .warning }
            let compiled: CompiledStack
            do {
                compiled = try build().compile(profile: profile)
            } catch {
                Issue.record("\(path): the imported stack does not compile: \(error.description)")
                continue
            }
            if path == Self.refusedWithoutItsOverride.path {
                #expect(compiled.findings.contains { $0.ruleID == Self.refusedWithoutItsOverride.rule && $0.severity == .warning })
            }
            let bytes = try Formatter.canonical(compiled.template.value, as: .yaml)
            let synthesized = try #require(TemplateReader.read(bytes, file: path).template)
            let differences = RoundTrip.differences(original: original, synthesized: synthesized)
            #expect(differences.isEmpty, "\(path): \(differences.joined(separator: "\n"))")
        }
    }

    /// The imported app's synth (one system, one stack per template) when one stack breaks a
    /// compile check its profile does not lower (the team removed the override): that stack's
    /// errors name it and the imported Swift line that wrote the value, the other stacks
    /// compile, and nothing is written (docs/import.md: the corpus script sets such a template
    /// aside by these names and synthesizes the rest).
    @Test func aStackTheCompileRefusesIsNamedAndTheOthersCompile() throws {
        let outcome = try Self.outcome()
        let failing = Self.refusedWithoutItsOverride
        var profile = Profile(name: "imported", basedOn: .structural)
        for path in Self.inputs {
            for rule in Self.brokenRules(try Self.read(path), path) where rule != failing.rule { profile.severityOverrides[rule] = .warning }
        }
        let stacks = zip(outcome.stackFiles, importedStacks).map { ($0, $1.stack) }
        let system = System(name: "sample", profile: profile) { stacks.map { AppStack(file: $0.0, stack: $0.1()) } }
        let result = Synthesizer.compile(system, format: .yaml)
        let file = try #require(zip(Self.inputs, outcome.stackFiles).first { $0.0 == failing.path }?.1)
        #expect(!result.errors.isEmpty)
        for error in result.errors {
            #expect(error.ruleID == failing.rule)
            #expect(error.message.hasSuffix("[system sample, stack \(file)]"), "\(error.text)")
            #expect(error.file?.hasSuffix("\(Self.folder)/SubNeededCustomExcludes.swift") == true, "\(error.text)")
            #expect(error.location.line > 0, "\(error.text)")
        }
        #expect(result.templates.map(\.file) == outcome.stackFiles.filter { $0 != file })
        #expect(result.files.isEmpty, "synth writes nothing when a stack fails")
    }

    /// Seed 004's stack in typed Swift: value-set members, handles' attributes and refs, no
    /// GetAtt or Ref spelt as strings, and only the escape its template needs.
    @Test func seedUsesValueSetsAndTypedAttributes() throws {
        let outcome = try Self.outcome()
        let seed = try #require(outcome.files.first { $0.path.hasSuffix("/TapStack.swift") }?.contents)
        for expected in ["$0.engine = .postgres", "$0.comparisonOperator = .greaterThanThreshold", "sseAlgorithm: .awsKms",
                         "dbEncryptionKey.arn", "natGatewayEIP1.allocationId", "primaryDB.dbiResourceId", "dependsOn: [attachGateway]",
                         "deletionPolicy: .snapshot", "stack.condition(\"CreateKMSKey\", .equals(kmsKeyARN.ref, \"\"))",
                         "$0.tags = .tags([\"Name\": \"ecommerce-vpc-\\(environmentSuffix)\", \"Environment\": environmentSuffix.ref])"] {
            #expect(seed.contains(expected), "seed 004's Swift lacks \(expected)")
        }
        for unexpected in ["Fn::GetAtt", "\"Ref\"", "extraProperties", "RawResource", ".other("] {
            #expect(!seed.contains(unexpected), "seed 004's Swift has \(unexpected)")
        }
        let seedNotes = outcome.notes.filter { $0.file == "fixtures/seed-004/TapStack.yml" }
        #expect(seedNotes.map(\.text) == ["fixtures/seed-004/TapStack.yml:489:25: info: a Int value where String goes: Value(raw:) [IM-01]"])
    }

    /// The manifest names Formwork and exactly the services the stacks import.
    @Test func manifestNamesTheServicesUsed() throws {
        let outcome = try Self.outcome()
        let manifest = try #require(outcome.files.first { $0.path == "Package.swift" }?.contents)
        let imported = Set(outcome.files.filter { $0.path.hasPrefix("Sources/") }.flatMap { file in
            file.contents.split(separator: "\n").filter { $0.hasPrefix("import Formwork") }.map { String($0.dropFirst("import ".count)) }
        })
        let products = Set(manifest.split(separator: "\n").compactMap { line -> String? in
            guard let start = line.range(of: ".product(name: \"") else { return nil }
            return String(line[start.upperBound...].prefix { $0 != "\"" })
        })
        #expect(products == imported)
        #expect(manifest.contains(".package(path: \"../formwork\")"))
        let app = try #require(outcome.files.first { $0.path.hasSuffix("/App.swift") }?.contents)
        #expect(app.contains("struct ImportedSample: FormworkApp"))
        #expect(app.contains("AppStack(file: \"TapStack\", stack: tapStack())"))
    }

    /// What has no typed form is reported at the template's line, and kept.
    @Test func escapesAreReportedAndKept() throws {
        let text = """
        Resources:
          Seeder:
            Type: Custom::Seeder
            Properties:
              ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:seed
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              TopicName: alerts
              NewProperty: 1
        Outputs:
          Name:
            Value: !GetAtt Topic.TopicName
        """
        let template = try #require(TemplateReader.read(Array(text.utf8), file: "escapes.yaml").template)
        let job = ImportJob(inputs: [ImportJob.Input(path: "escapes.yaml", template: template)], packageName: "escapes", systemName: "escapes",
                            dependency: .release(url: "https://example.com/formwork.git", from: "1.0.0"), dependencyIdentity: "formwork")
        let outcome = job.run(extensionEnums: try ModelWriter.ExtensionEnums(repositoryRoot: Repository.root), registry: .shared)
        #expect(outcome.notes.map(\.text) == [
            "escapes.yaml:3:11: info: Seeder is a custom resource (Custom::Seeder): RawResource [IM-01]",
            "escapes.yaml:10:20: info: NewProperty is not a property of SNS.Topic: extraProperties [IM-01]",
        ])
        let swift = try #require(outcome.files.first { $0.path.hasSuffix("/Escapes.swift") }?.contents)
        #expect(swift.contains("stack.add(\"Seeder\", RawResource(type: \"Custom::Seeder\", properties: [\"ServiceToken\": \"arn:aws:lambda:us-east-1:123456789012:function:seed\"]))"))
        #expect(swift.contains("$0.extraProperties[\"NewProperty\"] = 1"))
        #expect(swift.contains("stack.output(\"Name\", topic.topicName)"))
        let manifest = try #require(outcome.files.first { $0.path == "Package.swift" }?.contents)
        #expect(manifest.contains(".package(url: \"https://example.com/formwork.git\", from: \"1.0.0\")"))
    }

    /// Swift names are unique across the sections (a suffix only on a clash), a Fn::ForEach
    /// loop that is a section's only entry is kept, a Number parameter used where a Double goes
    /// is `.number`, and what the input broke is a warning in the app's profile.
    @Test func namesLoopsParameterTypesAndBrokenRules() throws {
        let text = """
        Transform: AWS::LanguageExtensions
        Parameters:
          Logs:
            Type: String
            AllowedValues: ['true', 'false']
          Threshold:
            Type: Number
            Default: 5
        Conditions:
          Logs: !Equals [!Ref Logs, 'true']
        Resources:
          Alarm:
            Type: AWS::CloudWatch::Alarm
            Condition: Logs
            Properties:
              ComparisonOperator: GreaterThanThreshold
              EvaluationPeriods: 1
              Threshold: !Ref Threshold
              MetricName: Errors
              Namespace: App
              Period: 60
              Statistic: Sum
          Fn::ForEach::Topics:
            - Name
            - [A, B]
            - Topic${Name}:
                Type: AWS::SNS::Topic
        Outputs:
          Fn::ForEach::TopicArns:
            - Name
            - [A, B]
            - Topic${Name}Arn:
                Value: !Ref Logs
        """
        let template = try #require(TemplateReader.read(Array(text.utf8), file: "names.yaml").template)
        let job = ImportJob(inputs: [ImportJob.Input(path: "names.yaml", template: template, brokenRules: ["ST-20"])], packageName: "names",
                            systemName: "names", dependency: .path("../formwork"), dependencyIdentity: "formwork")
        let outcome = job.run(extensionEnums: try ModelWriter.ExtensionEnums(repositoryRoot: Repository.root), registry: .shared)
        let swift = try #require(outcome.files.first { $0.path.hasSuffix("/Names.swift") }?.contents)
        for expected in ["let logs = stack.parameter(\"Logs\", .string(allowedValues: [\"true\", \"false\"]))",
                         "let threshold = stack.parameter(\"Threshold\", .number(default: 5))",
                         "let logsCondition = stack.condition(\"Logs\", .equals(logs.ref, \"true\"))",
                         "$0.threshold = threshold.ref", "condition: logsCondition",
                         "stack.entry(\"Fn::ForEach::Topics\", in: \"Resources\", [", "stack.section(\"Outputs\", [\"Fn::ForEach::TopicArns\": ["] {
            #expect(swift.contains(expected), "the imported Swift lacks \(expected)")
        }
        #expect(!swift.contains("Value(raw:"))
        #expect(outcome.notes.map(\.text) == [
            "names.yaml:24:5: info: Fn::ForEach::Topics: a Fn::ForEach loop: stack.entry [IM-01]",
            "names.yaml:30:5: info: output Fn::ForEach::TopicArns: a Fn::ForEach loop: stack.entry [IM-01]",
        ])
        let app = try #require(outcome.files.first { $0.path.hasSuffix("/App.swift") }?.contents)
        #expect(app.contains("profile.severityOverrides = [\"ST-20\": .warning]"))
    }

    /// Two faults the whole-corpora build found: a `String` parameter whose uses take an Int
    /// was declared with `.string` (its `.ref` did not compile where an Int goes), and a Sub
    /// written as text (`${ Package}` is no Swift interpolation) left its parameter bound but
    /// never read (a compiler warning).
    @Test func retypedParametersAndSubsWrittenAsTextCompile() throws {
        let text = """
        Parameters:
          Package:
            Type: String
            Default: httpd
          Seconds:
            Type: String
            Default: 3
        Resources:
          Alarm:
            Type: AWS::CloudWatch::Alarm
            Properties:
              ComparisonOperator: GreaterThanThreshold
              MetricName: Errors
              EvaluationPeriods: !Ref Seconds
              DatapointsToAlarm: !Ref Seconds
              Period: !Ref Seconds
              AlarmDescription: !Sub "yum install ${ Package}"
        """
        let template = try #require(TemplateReader.read(Array(text.utf8), file: "retyped.yaml").template)
        let job = ImportJob(inputs: [ImportJob.Input(path: "retyped.yaml", template: template)], packageName: "retyped", systemName: "retyped",
                            dependency: .path("../formwork"), dependencyIdentity: "formwork")
        let outcome = job.run(extensionEnums: try ModelWriter.ExtensionEnums(repositoryRoot: Repository.root), registry: .shared)
        let swift = try #require(outcome.files.first { $0.path.hasSuffix("/Retyped.swift") }?.contents)
        for expected in ["_ = stack.parameter(\"Package\", .string(default: \"httpd\"))",
                         "let seconds = stack.parameter(\"Seconds\", ParameterDefinition<Int>.raw([\"Type\": \"String\", \"Default\": 3]))",
                         "$0.evaluationPeriods = seconds.ref", "$0.alarmDescription = .sub(\"yum install ${ Package}\")"] {
            #expect(swift.contains(expected), "the imported Swift lacks \(expected)")
        }
        #expect(outcome.notes.map(\.text) == ["retyped.yaml:6:5: info: parameter Seconds: a String parameter whose uses take Int: ParameterDefinition<Int>.raw [IM-01]"])
    }

    /// Two more the whole-corpora round trip found: an empty section (`Resources: {}`) was
    /// not synthesized, and a number with leading zeros (a file mode, `000400`) was written
    /// as the Swift literal, which is 400.
    @Test func emptySectionsAndLeadingZerosRoundTrip() throws {
        let text = """
        Parameters: {}
        Resources: {}
        Outputs:
          Mode:
            Value: 000400
        """
        let template = try #require(TemplateReader.read(Array(text.utf8), file: "empty.yaml").template)
        let job = ImportJob(inputs: [ImportJob.Input(path: "empty.yaml", template: template)], packageName: "empty", systemName: "empty",
                            dependency: .path("../formwork"), dependencyIdentity: "formwork")
        let outcome = job.run(extensionEnums: try ModelWriter.ExtensionEnums(repositoryRoot: Repository.root), registry: .shared)
        let swift = try #require(outcome.files.first { $0.path.hasSuffix("/Empty.swift") }?.contents)
        for expected in ["stack.section(\"Parameters\", [:])", "stack.section(\"Resources\", [:])", "stack.output(\"Mode\", \"000400\" as Value<String>)"] {
            #expect(swift.contains(expected), "the imported Swift lacks \(expected)")
        }
        #expect(outcome.notes.map(\.text) == ["empty.yaml:1:13: info: the Parameters section is empty: stack.section [IM-01]",
                                              "empty.yaml:2:12: info: the Resources section is empty: stack.section [IM-01]"])
        // What the Swift above synthesizes holds the same content.
        let stack = Stack()
        stack.output("Mode", "000400" as Value<String>)
        stack.section("Parameters", [:])
        stack.section("Resources", [:])
        let synthesized = try #require(TemplateReader.read(try Formatter.canonical(stack.template.value, as: .yaml), file: "empty.yaml").template)
        #expect(RoundTrip.differences(original: template, synthesized: synthesized).isEmpty)
        // A section that is no mapping (a CodeDeploy appspec's `Resources` list) is kept too.
        let list = try #require(TemplateReader.read(Array("Resources:\n  - Service: web\n".utf8), file: "list.yaml").template)
        let listed = ImportJob(inputs: [ImportJob.Input(path: "list.yaml", template: list)], packageName: "list", systemName: "list",
                               dependency: .path("../formwork"), dependencyIdentity: "formwork")
            .run(extensionEnums: try ModelWriter.ExtensionEnums(repositoryRoot: Repository.root), registry: .shared)
        #expect(listed.files.first { $0.path.hasSuffix("/List.swift") }?.contents.contains("stack.section(\"Resources\", [[\"Service\": \"web\"]])") == true)
        #expect(listed.notes.map(\.text) == ["list.yaml:2:3: info: the Resources section is no mapping: stack.section [IM-01]"])
        let none = try #require(TemplateReader.read(Array("Outputs: {Mode: {Value: '000400'}}\n".utf8), file: "none.yaml").template)
        #expect(RoundTrip.differences(original: template, synthesized: none) == [
            "Parameters: in the template, not synthesized", "Resources: in the template, not synthesized",
        ])
    }

    /// The comparison finds a changed value, a missing key and a different function.
    @Test func roundTripComparisonFindsDifferences() throws {
        func template(_ text: String) throws -> Template { try #require(TemplateReader.read(Array(text.utf8), file: "t.yaml").template) }
        let original = try template("Resources:\n  A:\n    Type: AWS::SNS::Topic\n    DependsOn: [B]\n    Properties: {TopicName: x, DisplayName: !Ref P}\n")
        let same = try template("AWSTemplateFormatVersion: '2010-09-09'\nMetadata: {formwork: {profile: imported}}\nResources:\n  A:\n    Properties: {DisplayName: !Ref P, TopicName: x}\n    DependsOn: B\n    Type: AWS::SNS::Topic\n")
        #expect(RoundTrip.differences(original: original, synthesized: same).isEmpty)
        // `[B]` on both sides (a DependsOn on no resource of the stack goes through `stack.attribute`).
        let listed = try template("Resources:\n  A:\n    Type: AWS::SNS::Topic\n    DependsOn: [B]\n    Properties: {TopicName: x, DisplayName: !Ref P}\n")
        #expect(RoundTrip.differences(original: original, synthesized: listed).isEmpty)
        let other = try template("Resources:\n  A:\n    Type: AWS::SNS::Topic\n    DependsOn: B\n    Properties: {TopicName: y, DisplayName: !Sub P}\n")
        #expect(RoundTrip.differences(original: original, synthesized: other) == [
            "Resources/A/Properties/TopicName: 'x' in the template, 'y' synthesized",
            "Resources/A/Properties/DisplayName: Ref in the template, Fn::Sub synthesized",
        ])
    }
}
