import Foundation
import FormworkTestSupport
import FormworkDiff
import Formwork
import FormworkSNS
import FormworkSchemaData
@testable import ReferenceSystems
import FormworkConstructs
import FormworkTemplate
import Testing

enum Support {
    static let root = Repository.root

    static func run(_ arguments: [String], in folder: String? = nil) -> (status: Int32, output: String)? { Repository.run(arguments, in: folder) }
    static func hasCommand(_ name: String) -> Bool { Repository.hasCommand(name) }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static let compiled: [Synthesizer.Result] = ReferenceSystems.all.map { Synthesizer.compile($0) }
}

@Suite struct SynthTests {
    @Test(arguments: ReferenceSystems.all.map(\.name))
    func systemCompilesCleanAndDeterministically(_ name: String) throws {
        let system = try #require(ReferenceSystems.named(name))
        let first = Synthesizer.compile(system)
        #expect(first.errors.isEmpty, "\(first.errors.map(\.text).joined(separator: "\n"))")
        // "Lints clean": no warning left either (infos are allowed).
        #expect(first.warnings.filter { $0.severity == .warning }.isEmpty, "\(first.warnings.map(\.text).joined(separator: "\n"))")
        let second = Synthesizer.compile(system)
        #expect(first.files.map(\.path) == second.files.map(\.path))
        #expect(first.files.map(\.bytes) == second.files.map(\.bytes), "two compiles of \(name) differ")
        let expected = system.isMultiRegion ? 5 : 2
        #expect(first.files.count == expected)
        for file in first.files where file.path.hasSuffix(".yml") {
            let text = Support.text(file.bytes)
            #expect(text.contains("Metadata:\n  formwork:\n    profile: \(system.profile.name)\n"), "\(file.path) does not name its profile")
            #expect(text.contains("  EnvironmentSuffix:\n    Type: String\n"), "\(file.path) has no EnvironmentSuffix parameter")
        }
    }

    /// `formwork check` in a test: templates/ is what synth writes.
    @Test func committedTemplatesAreCurrent() {
        let stale = Synthesizer.differences(Support.compiled, in: Support.root + "/templates")
        #expect(stale.isEmpty, "run `make templates`: \(stale.map { "\($0.path): \($0.problem)" }.joined(separator: "; "))")
    }

    @Test func multiRegionSystemsHaveAManifestNamingEveryTemplate() throws {
        for result in Support.compiled {
            guard let system = ReferenceSystems.named(result.system), let deployment = system.deployment else { continue }
            let manifest = try #require(result.files.first { $0.path.hasSuffix("manifest.json") })
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(manifest.bytes)) as? [String: Any])
            let stacks = try #require(parsed["stacks"] as? [[String: Any]])
            #expect(Set(stacks.compactMap { $0["region"] as? String }) == Set(deployment.stacks.map(\.region)))
            for entry in stacks {
                let template = try #require(entry["template"] as? String)
                #expect(result.files.contains { $0.path == "\(system.name)/\(template)" }, "\(template) is not written")
            }
            // Every parameter the manifest feeds exists in the template it feeds.
            for step in try #require(parsed["deployOrder"] as? [[String: Any]]) {
                let role = try #require(step["stack"] as? String)
                let region = try #require(deployment.stacks.first { $0.role == role }?.region)
                let text = Support.text(try #require(result.files.first { $0.path == "\(system.name)/TapStack.\(region).yml" }).bytes)
                for input in try #require(step["parameters"] as? [[String: Any]]) {
                    let parameter = try #require(input["parameter"] as? String)
                    #expect(text.contains("\n  \(parameter):\n    Type:"), "\(parameter) is not a parameter of the \(role) template")
                    if let output = input["output"] as? String, let from = input["fromStack"] as? String,
                       let fromRegion = deployment.stacks.first(where: { $0.role == from })?.region {
                        let source = Support.text(try #require(result.files.first { $0.path == "\(system.name)/TapStack.\(fromRegion).yml" }).bytes)
                        #expect(source.contains("\n  \(output):\n"), "\(output) is not an output of the \(from) template")
                    }
                }
            }
        }
    }

    /// Acceptance: every compiled template passes cfn-lint with no error and no warning.
    @Test(.enabled(if: Support.hasCommand("cfn-lint"), "cfn-lint is not installed (make python-deps)"))
    func cfnLintPassesEveryCompiledTemplate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-synth-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var paths: [String] = []
        for result in Support.compiled {
            for file in result.files where !file.path.hasSuffix("manifest.json") {
                let path = "\(folder)/\(file.path)"
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(file.bytes).write(to: URL(fileURLWithPath: path))
                paths.append(path)
            }
        }
        let result = try #require(Support.run(["cfn-lint", "--format", "parseable", "--"] + paths))
        #expect(result.status == 0, "cfn-lint found problems:\n\(result.output)")
        print("cfn-lint on \(paths.count) compiled templates: exit \(result.status)\(result.output.isEmpty ? ", no findings" : ":\n" + result.output)")
    }

    @Test func aSystemWithAnErrorWritesNothing() {
        let broken = System(name: "broken", summary: "-", profile: .ephemeral) {
            let scope = Scope(Stack(description: "a Retain policy"), system: "broken", profile: .ephemeral)
            scope.stack.add("Topic", SNS.Topic { $0.tags = scope.tags(name: "topic"); $0.topicName = scope.name("topic") }, deletionPolicy: .retain)
            return [AppStack(file: "TapStack", stack: scope.stack)]
        }
        let result = Synthesizer.compile(broken)
        #expect(result.files.isEmpty)
        #expect(result.errors.contains { $0.ruleID == "LC-01" })
    }

    /// The inline code of the templates is lambda/'s, byte for byte (lambda/embed.py writes
    /// it; every function there is embedded). A multi-line literal drops the final newline.
    @Test func embeddedLambdaSourcesAreLambdas() throws {
        let embedded = ["failover": LambdaSources.failover, "health_monitor": LambdaSources.healthMonitor]
        let folder = Support.root + "/lambda"
        let functions = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".py") && $0 != "embed.py" }.map { String($0.dropLast(3)) }
        #expect(Set(functions) == Set(embedded.keys), "lambda/ holds \(functions.sorted()): embed them (lambda/embed.py)")
        for (module, source) in embedded {
            let file = try String(contentsOfFile: "\(folder)/\(module).py", encoding: .utf8)
            #expect(source + "\n" == file, "lambda/\(module).py differs from its embedded copy: run `python3 lambda/embed.py`")
        }
    }
}

@Suite struct TuningTests {
    /// Seed 000's tuning: the class's memory drives the parameter group and the connections
    /// alarm (80 % of the explicit max_connections, 95 % of RDS's nominal 1,802 on 16 GiB).
    @Test func theClassDrivesTheParameterGroupAndTheConnectionsAlarm() throws {
        #expect(DatabaseClass.r6gLarge.memoryGiB == 16)
        #expect(DatabaseClass.r6gLarge.maxConnections == 1711)
        let result = try #require(Support.compiled.first { $0.system == "user-api" })
        let text = Support.text(try #require(result.files.first { $0.path == "user-api/TapStack.yml" }).bytes)
        #expect(text.contains("max_connections: '1711'"))
        #expect(text.contains("shared_buffers: '{DBInstanceClassMemory/32768}'"))
        #expect(text.contains("effective_cache_size: '{DBInstanceClassMemory*3/32768}'"))
        #expect(text.contains("rds.force_ssl: '1'"))
        #expect(text.contains("MetricName: DatabaseConnections") && text.contains("Threshold: 1368"))
    }

    /// The systems whose seeds do not ask for static memory settings keep the constructs'
    /// dynamic parameters only: a change to them never reboots the database (RDS-10).
    @Test(arguments: ["payments-ha", "ecommerce"])
    func otherSystemsSetDynamicParametersOnly(_ name: String) throws {
        let result = try #require(Support.compiled.first { $0.system == name })
        let text = Support.text(try #require(result.files.first { $0.path == "\(name)/TapStack.yml" }).bytes)
        #expect(!text.contains("shared_buffers") && !text.contains("rule: RDS-10"))
        #expect(text.contains("effective_cache_size: '{DBInstanceClassMemory*3/32768}'") && text.contains("rds.force_ssl: '1'"))
    }
}

/// templates/ecommerce against the seed 004 template: every difference is deliberate, that
/// is, named in templates/ecommerce/README.md.
@Suite struct EcommerceAgainstSeedTests {
    @Test func everyChangeFromTheSeedIsListed() throws {
        let readme = try String(contentsOfFile: Support.root + "/templates/ecommerce/README.md", encoding: .utf8)
        let local = try #require(TemplateReader.read(path: Support.root + "/templates/ecommerce/TapStack.yml").template)
        let seed = DeployedStack(template: try DeployedInputs.template(Support.root + "/fixtures/seed-004/TapStack.yml"))
        let report = TemplateDiff(local: local, deployed: seed, registry: .shared).run()
        var unlisted: [String] = []
        for resource in report.resources where !readme.contains("`\(resource.logicalID)`") {
            unlisted.append("resource \(resource.logicalID) (\(resource.action.rawValue))")
        }
        for entry in report.parameters where !readme.contains("`\(entry.name)`") { unlisted.append("parameter \(entry.name)") }
        for entry in report.outputs where !readme.contains("`\(entry.name)`") { unlisted.append("output \(entry.name)") }
        #expect(unlisted.isEmpty, "changes from seed 004 not listed in templates/ecommerce/README.md: \(unlisted.joined(separator: ", "))")
        #expect(!report.resources.isEmpty, "the comparison found nothing: it is not comparing")
    }
}
