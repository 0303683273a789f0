import Foundation
@testable import FormworkCore
import Formwork
import FormworkCloudWatch
import FormworkEC2
import FormworkRDS
import FormworkKMS
import FormworkRuleKit
import FormworkRules
import FormworkSNS
import FormworkTemplate
import Testing

@Suite struct StackTests {
    @Test func smallStackCompilesToTheExpectedTemplate() throws {
        let template = try SmallDatabaseStack.make().compile()
        let yaml = try Support.yaml(template)
        #expect(yaml.contains("DBInstanceIdentifier: !Sub db-${EnvironmentSuffix}"))
        #expect(yaml.contains("VPCSecurityGroups:\n      - !GetAtt DatabaseSecurityGroup.GroupId"))
        #expect(yaml.contains("DBParameterGroupName: !Ref DatabaseParameterGroup"))
        #expect(yaml.contains("Value: !GetAtt [Database, Endpoint.Address]"))
        #expect(yaml.contains("Name: !Sub ${AWS::StackName}-endpoint"))
        #expect(yaml.contains("DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete"))
        // Deterministic: the same stack twice gives the same bytes.
        #expect(try Support.yaml(SmallDatabaseStack.make().compile()) == yaml)
    }

    /// Acceptance: cfn-lint passes the compiled template with no errors or warnings.
    @Test(.enabled(if: Support.hasCommand("cfn-lint"), "cfn-lint is not installed (make python-deps)"))
    func cfnLintPassesTheSmallStack() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-models-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/SmallDatabase.yml"
        try Support.yaml(SmallDatabaseStack.make().compile()).write(toFile: path, atomically: true, encoding: .utf8)
        let result = try #require(Support.run(["cfn-lint", "--format", "parseable", "--", path]))
        #expect(result.status == 0, "cfn-lint found problems:\n\(result.output)")
        print("cfn-lint check of the typed stack: exit \(result.status)\(result.output.isEmpty ? ", no findings" : ":\n" + result.output)")
    }

    @Test func subComesFromInterpolation() {
        let stack = Stack()
        let suffix = stack.parameter("EnvironmentSuffix", .string())
        let topic = stack.add("Alerts", SNS.Topic { $0.topicName = "alerts-\(suffix)" })
        let plain: Value<String> = "no expressions, ${not a variable}"
        #expect(plain.node == .string("no expressions, ${not a variable}"))
        let mixed: Value<String> = "arn:\(Pseudo.partition):sns:${literal}:\(topic):\(Value<String>.join(",", ["a", "b"]))"
        guard case .intrinsic(let sub) = mixed.node.kind, sub.name == "Fn::Sub", let parts = sub.argument.arrayValue else {
            Issue.record("not a Sub with variables: \(mixed.node)")
            return
        }
        #expect(parts[0].stringValue == "arn:${AWS::Partition}:sns:${!literal}:${Alerts}:${Var0}")
        #expect(parts[1]["Var0"]?.intrinsicValue?.name == "Fn::Join")
        let attribute: Value<String> = "https://\(topic.topicArn)/x"
        #expect(attribute.node == .intrinsic("Fn::Sub", .string("https://${Alerts.TopicArn}/x")))
    }

    @Test func intrinsicsRenderTheirLongForms() {
        let stack = Stack()
        let isProd = stack.condition("IsProduction", .equals(stack.parameter("Stage", .string()).ref, "production"))
        let map = stack.mapping("Sizes", ["us-east-1": ["class": "db.r6g.large"]])
        #expect(Value<Int>.if(isProd, 3, else: nil).node == .intrinsic("Fn::If", .array([.string("IsProduction"), .number("3"), .intrinsic("Ref", .string("AWS::NoValue"))])))
        #expect(Value<String>.select(0, from: .getAZs()).node == .intrinsic("Fn::Select", .array([.number("0"), .intrinsic("Fn::GetAZs", .string(""))])))
        #expect(Value<[String]>.split(",", "a,b").node == .intrinsic("Fn::Split", .array([.string(","), .string("a,b")])))
        #expect(Value<String>.findInMap(map, Pseudo.region, "class").node == .intrinsic("Fn::FindInMap", .array([.string("Sizes"), .intrinsic("Ref", .string("AWS::Region")), .string("class")])))
        #expect(Value<[String]>.cidr("10.0.0.0/16", count: 4, bits: 8).node == .intrinsic("Fn::Cidr", .array([.string("10.0.0.0/16"), .number("4"), .number("8")])))
        #expect(Value<String>.importValue("shared-vpc").node == .intrinsic("Fn::ImportValue", .string("shared-vpc")))
        #expect(Value<String>.base64("x").node == .intrinsic("Fn::Base64", .string("x")))
        let conditional = EC2.SecurityGroup.Ingress.if(isProd, EC2.SecurityGroup.Ingress(ipProtocol: "tcp"), else: nil)
        #expect(conditional.node.intrinsicValue?.name == "Fn::If")
    }

    @Test func tagHelpersKeepOrderAndReplace() {
        let tags: [RDS.DBInstance.Tag] = .tags(["Environment": "dev", "Team": "data"]).adding(["Team": "platform", "Owner": "me"])
        #expect(tags.map { $0.renderProperties()["Key"]?.stringValue } == ["Environment", "Team", "Owner"])
        #expect(tags[1].renderProperties()["Value"]?.stringValue == "platform")
    }

    @Test func compileReportsWhatTheSwiftCompilerCannot() {
        let stack = Stack()
        stack.add("Database", RDS.DBInstance {
            $0.backupRetentionPeriod = 40
            $0.dbInstanceIdentifier = "1-starts-with-a-digit"
            $0.monitoringInterval = 45
            $0.storageType = "gp3"
        })
        stack.add("Group", EC2.SecurityGroup(groupDescription: "x") {
            $0.securityGroupIngress = [EC2.SecurityGroup.Ingress(expression: .object(ObjectMap(["CidrIp": .string("0.0.0.0/0")])))]
        })
        stack.add("Group", SNS.Topic())
        stack.add("bad-id", SNS.Topic())
        stack.add("Orphan", SNS.Topic { $0.topicName = Value(unchecked: .intrinsic("Ref", .string("Missing"))) }, condition: Condition(name: "Nowhere"))
        stack.output("Dangling", Value(unchecked: .intrinsic("Fn::Sub", .string("${Ghost.Arn}"))))
        do {
            _ = try stack.compile()
            Issue.record("an invalid stack compiled")
        } catch {
            let ids = Set(error.diagnostics.map(\.ruleID))
            for id: RuleID in ["CP-01", "CP-02", "CP-03", "CP-04", "CP-05", "CP-06", "CP-07", "CP-08"] {
                #expect(ids.contains(id), "\(id) missing from:\n\(error)")
            }
            let range = error.diagnostics.first { $0.ruleID == "CP-04" }
            #expect(range?.path == [.key("Resources"), .key("Database"), .key("Properties"), .key("BackupRetentionPeriod")])
            let required = error.diagnostics.first { $0.ruleID == "CP-01" }
            #expect(required?.message.contains("IpProtocol") == true)
        }
    }

    @Test func templateLimitsAreEnforced() {
        let stack = Stack()
        for index in 0..<501 { stack.add("Topic\(index)", SNS.Topic()) }
        do {
            _ = try stack.compile()
            Issue.record("501 resources compiled")
        } catch {
            #expect(error.diagnostics.contains { $0.ruleID == "CP-09" && $0.message.contains("at most 500") })
        }
    }

    @Test func bothBranchesOfAnIfAreChecked() {
        let stack = Stack()
        let cold = stack.condition("Cold", .equals(Pseudo.region, "us-east-1"))
        stack.add("Database", RDS.DBInstance { $0.backupRetentionPeriod = .if(cold, 7, else: 99) })
        #expect(throws: StackErrors.self) { try stack.compile() }
    }
}

/// Misuse must not compile: the snippets are type-checked against the built modules with
/// swiftc, and a correct snippet is checked the same way so that the harness itself is
/// known to work.
@Suite struct CompileFailureTests {
    static var modules: String? {
        for folder in [".build/debug/Modules", ".build/x86_64-unknown-linux-gnu/debug/Modules", ".build/debug"]
        where FileManager.default.fileExists(atPath: "\(Support.root)/\(folder)/Formwork.swiftmodule") {
            return "\(Support.root)/\(folder)"
        }
        return nil
    }

    static let canTypecheck = modules != nil && Support.hasCommand("swiftc")

    /// The mistakes whose messages README.md's table quotes.
    static let readmeQuoted: Set<String> = [
        "a Ref to a String parameter in a Bool field", "a required property left out", "a misspelt property",
        "a Swift string where a template value goes", "a string literal where a number goes",
    ]

    func typecheck(_ body: String) throws -> (status: Int32, output: String)? {
        guard let modules = Self.modules, Self.canTypecheck else { return nil }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-typecheck-\(UUID().uuidString).swift").path
        try ("import Formwork\nimport FormworkEC2\nimport FormworkRDS\nimport FormworkSNS\n\nfunc build() {\n" + body + "\n}\n").write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return Support.run(["swiftc", "-typecheck", "-I", modules, "-I", "\(Support.root)/Sources/CYAML", file])
    }

    @Test(.enabled(if: canTypecheck, "no built modules or no swiftc to type-check snippets with"))
    func correctUseTypeChecks() throws {
        let result = try #require(try typecheck("""
            let stack = Stack()
            let flag = stack.parameter("Flag", .string(allowedValues: ["true", "false"]))
            let isOn = stack.condition("IsOn", .equals(flag.ref, "true"))
            _ = RDS.DBInstance { $0.multiAZ = .if(isOn, true, else: false); $0.port = "5432" }
            """))
        #expect(result.status == 0, "\(result.output)")
    }

    @Test(.enabled(if: canTypecheck, "no built modules or no swiftc to type-check snippets with"), arguments: [
        // The five most common mistakes (docs/typed-stacks.md quotes these messages): each fails to compile
        // with a message that names the property's type, at the line that sets it.
        ("a Ref to a String parameter in a Bool field",
         "let stack = Stack()\nlet name = stack.parameter(\"Name\", .string())\n_ = RDS.DBInstance { $0.multiAZ = name.ref }",
         "cannot assign value of type 'Value<String>' to type 'Value<Bool>'"),
        ("a required property left out",
         "_ = EC2.SecurityGroup { $0.groupName = \"x\" }",
         "missing argument for parameter 'groupDescription'"),
        ("a misspelt property",
         "_ = RDS.DBInstance { $0.multiAz = true }",
         "value of type 'RDS.DBInstance' has no member 'multiAz'"),
        ("a Swift string where a template value goes",
         "let version = \"16.4\"\n_ = RDS.DBInstance { $0.engineVersion = version }",
         "cannot assign value of type 'String' to type 'Value<String>'"),
        ("a GetAtt of an attribute the type does not have",
         "let stack = Stack()\nlet cluster = stack.add(\"C\", RDS.DBCluster())\n_ = cluster.endpointHostedZoneId",
         "property 'endpointHostedZoneId' requires the types 'RDS.DBCluster' and 'RDS.DBInstance' be equivalent"),
        ("a list where one value goes",
         "_ = SNS.Topic { $0.topicName = [\"a\", \"b\"] }",
         "Value<String>"),
        // Literal kinds: swiftc names the property's type and the literal it does not take.
        ("a string literal where a number goes",
         "_ = RDS.DBCluster { $0.port = \"5432\" }",
         "requires that 'Int' conform to 'TakesStringLiteral'"),
        ("a decimal literal where a string goes",
         "_ = RDS.DBCluster { $0.engineVersion = 16.6 }",
         "requires that 'String' conform to 'TakesDecimalLiteral'"),
        ("an integer literal where a string goes",
         "_ = RDS.DBCluster { $0.engineVersion = 16 }",
         "requires that 'String' conform to 'TakesIntegerLiteral'"),
        ("a Boolean literal where a string goes",
         "_ = SNS.Topic { $0.topicName = true }",
         "requires that 'String' conform to 'TakesBooleanLiteral'"),
        ("a string literal where a Boolean goes",
         "_ = RDS.DBInstance { $0.multiAZ = \"true\" }",
         "requires that 'Bool' conform to 'TakesStringLiteral'"),
        ("an integer literal where a Boolean goes",
         "_ = RDS.DBInstance { $0.multiAZ = 1 }",
         "requires that 'Bool' conform to 'TakesIntegerLiteral'"),
        ("a decimal literal where a whole number goes",
         "_ = RDS.DBCluster { $0.port = 5432.5 }",
         "requires that 'Int' conform to 'TakesDecimalLiteral'"),
        ("a string literal where a list goes",
         "_ = RDS.DBCluster { $0.vpcSecurityGroupIds = \"sg-0123\" }",
         "requires that '[String]' conform to 'TakesStringLiteral'"),
        ("numbers in a list of strings",
         "_ = RDS.DBCluster { $0.vpcSecurityGroupIds = [1, 2] }",
         "(aka 'String') conform to 'TakesIntegerLiteral'"),
        ("a string literal in one branch of a number's If",
         "let stack = Stack()\nlet isProd = stack.condition(\"IsProd\", .equals(Pseudo.region, \"us-east-1\"))\n_ = RDS.DBCluster { $0.port = .if(isProd, 5432, else: \"5433\") }",
         "requires that 'Int' conform to 'TakesStringLiteral'"),
        ("a string literal compared with a number parameter",
         "let stack = Stack()\nlet size = stack.parameter(\"Size\", .integer())\n_ = stack.condition(\"Big\", .equals(size.ref, \"3\"))",
         "requires that 'Int' conform to 'TakesStringLiteral'"),
        // References of the wrong shape.
        ("a single reference where a list goes",
         "let stack = Stack()\nlet group = stack.add(\"G\", EC2.SecurityGroup(groupDescription: \"x\"))\n_ = RDS.DBCluster { $0.vpcSecurityGroupIds = group.groupId }",
         "cannot assign value of type 'Value<String>' to type 'Value<[String]>'"),
        ("a number parameter in a string field",
         "let stack = Stack()\nlet size = stack.parameter(\"Size\", .integer())\n_ = SNS.Topic { $0.topicName = size.ref }",
         "cannot assign value of type 'Value<Int>' to type 'Value<String>'"),
        ("a list parameter in a string",
         "let stack = Stack()\nlet subnets = stack.parameter(\"Subnets\", .commaDelimitedList())\n_ = SNS.Topic { $0.topicName = \"t-\\(subnets)\" }",
         "a list cannot go in a string (Fn::Sub takes strings)"),
        ("a list value in a string",
         "_ = SNS.Topic { $0.topicName = \"t-\\(Value<[String]>.getAZs())\" }",
         "a list cannot go in a string (Fn::Sub takes strings)"),
        ("an attribute's type taken from its use",
         "let stack = Stack()\nlet cluster = stack.add(\"C\", RDS.DBCluster())\nlet port: Value<Int> = cluster.attribute(\"Endpoint.Port\")\n_ = port",
         "cannot assign value of type 'Value<String>' to type 'Value<Int>'"),
        ("a number output",
         "let stack = Stack()\nlet size = stack.parameter(\"Size\", .integer())\nstack.output(\"Size\", size.ref)",
         "Value<Int>"),
        ("a value of the wrong set",
         "_ = RDS.DBCluster { $0.engine = .auroraPostgres }",
         "has no member 'auroraPostgres'"),
        // `.advanced` is a member of a set RDS's models share (a protocol-constrained extension):
        // Swift 6.3 then says "contextual member reference to static property 'advanced'
        // requires 'Self' constraint", where a set of one model's gets "no exact matches".
        ("a value of another property's set",
         "_ = RDS.DBCluster { $0.engine = .advanced }",
         "static property 'advanced'"),
        // Resource attributes are typed, not strings.
        ("a condition by name",
         "let stack = Stack()\nstack.add(\"T\", SNS.Topic(), condition: \"IsProd\")",
         "cannot convert value of type 'String' to expected argument type 'Condition'"),
        ("a deletion policy as text",
         "let stack = Stack()\nstack.add(\"T\", SNS.Topic(), deletionPolicy: \"Retain\")",
         "cannot convert value of type 'String' to expected argument type 'DeletionPolicy'"),
        ("a Ref where a resource handle goes",
         "let stack = Stack()\nlet topic = stack.add(\"T\", SNS.Topic())\nstack.add(\"U\", SNS.Topic(), dependsOn: [topic.ref])",
         "AnyResourceHandle"),
        ("a policy value that does not exist",
         "let stack = Stack()\nstack.add(\"T\", SNS.Topic(), deletionPolicy: .keep)",
         "has no member 'keep'"),
    ])
    func misuseDoesNotCompile(what: String, body: String, expected: String) throws {
        let result = try #require(try typecheck(body))
        #expect(result.status != 0, "\(what) compiled")
        #expect(result.output.contains(expected), "\(what): \(result.output)")
        // docs/typed-stacks.md's table of the most common mistakes quotes the messages as they are.
        if Self.readmeQuoted.contains(what) {
            let document = try String(contentsOfFile: Support.root + "/docs/typed-stacks.md", encoding: .utf8)
            #expect(document.contains(expected), "docs/typed-stacks.md lacks the message for \(what)")
        }
    }
}

/// The validation pass at compile: the same rules as `formwork lint`, and an error stops it.
@Suite struct ValidationPassTests {
    @Test func houseRulesStopTheCompileAtTheSwiftLine() {
        let stack = Stack()
        let line = #line + 1
        stack.add("Database", RDS.DBInstance { $0.dbInstanceClass = "db.r6g.large"; $0.engine = "postgres" }, deletionPolicy: .retain)
        do {
            _ = try stack.compile(profile: .ephemeral)
            Issue.record("a stack retaining its database compiled")
        } catch {
            let retain = error.diagnostics.first { $0.ruleID == "LC-01" }
            #expect(retain?.path == [.key("Resources"), .key("Database"), .key("DeletionPolicy")])
            #expect(retain?.file == "Tests/FormworkCoreTests/StackTests.swift")
            #expect(retain?.location.line == line)
            #expect(retain?.text.hasPrefix("Tests/FormworkCoreTests/StackTests.swift:\(line):") == true, "\(retain?.text ?? "")")
            #expect(retain?.message.hasSuffix("(at Resources/Database/DeletionPolicy: `deletionPolicy:`)") == true, "\(retain?.message ?? "")")
            #expect(retain?.hint == "pass `deletionPolicy: .delete` to `stack.add`")
            let multiAZ = error.diagnostics.first { $0.ruleID == "RDS-03" }
            #expect(multiAZ?.hint == "set `$0.multiAZ = true`", "\(multiAZ?.text ?? "")")
            #expect(error.diagnostics.contains { $0.ruleID == "NM-04" })
        }
    }

    @Test func aProfileWrittenInSwiftDecides() throws {
        // A team's profile: its own suffix parameter and required tag, as data.
        var team = Profile(name: "team", basedOn: .ephemeral)
        team.naming.suffixParameter = "Stage"
        team.tagging.requiredTags = [("CostCentre", nil)]
        let stack = Stack()
        let stage = stack.parameter("Stage", .string(allowedPattern: "^[a-z0-9-]+$", maxLength: 12))
        stack.add("Alerts", SNS.Topic { $0.topicName = "alerts-\(stage)" })
        #expect(throws: StackErrors.self) { try stack.compile(profile: team) }
        let tagged = Stack()
        let stage2 = tagged.parameter("Stage", .string(allowedPattern: "^[a-z0-9-]+$", maxLength: 12))
        tagged.add("Alerts", SNS.Topic { $0.tags = .tags(["CostCentre": "42"]); $0.topicName = "alerts-\(stage2)" })
        let compiled = try tagged.compile(profile: team)
        #expect(Linter.declaredProfile(compiled.template) == "team")
    }

    @Test func theProfileIsWrittenIntoTheTemplate() throws {
        let stack = Stack()
        let suffix = stack.parameter("EnvironmentSuffix", .string(allowedPattern: "^[a-z0-9-]+$", maxLength: 20))
        stack.add("Alerts", SNS.Topic { $0.tags = .tags(["Environment": suffix.ref]); $0.topicName = "alerts-\(suffix)" })
        let compiled = try stack.compile(profile: .ephemeral)
        #expect(Linter.declaredProfile(compiled.template) == "ephemeral")
        #expect(compiled.findings.allSatisfy { $0.severity != .error })
    }
}
