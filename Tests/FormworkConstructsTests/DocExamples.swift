import Foundation
import Formwork
import FormworkConstructs
import FormworkIAM
import FormworkKMS
import FormworkTestSupport
import Testing

/// The examples of docs/constructs.md, compiled here: each ```swift block of the document is
/// the body of one function below, character for character (indentation aside), and each
/// function's stack compiles clean under the production profile.
enum DocExamples {
    static func scopeAndTopic() -> Stack {
        // BEGIN scope
        let stack = Stack(description: "orders alarms")
        let scope = Scope(stack, system: "orders", profile: .production, tags: ["Team": "orders"])
        let topic = EncryptedTopic(scope, "Alarms", purpose: "alarms")
        topic.grantPublishToAlarms()
        // END scope
        return stack
    }

    static func database() -> Stack {
        let stack = Stack(description: "orders database")
        let scope = Scope(stack, system: "orders", profile: .production, tags: ["Team": "orders"])
        // BEGIN database
        let network = Network(scope)
        let database = AuroraPostgresCluster(scope, "Database", network: network, instanceClass: .r6gLarge,
                                             engineVersion: "16.6", readers: 1)
        let proxy = database.addProxy()
        let topic = EncryptedTopic(scope, "Alarms", purpose: "alarms", key: database.key)
        database.addAlarms(topic: topic)
        stack.output("ProxyEndpoint", proxy.endpoint)
        // END database
        return stack
    }

    static func grants() -> Stack {
        let stack = Stack(description: "orders worker")
        let scope = Scope(stack, system: "orders", profile: .production, tags: ["Team": "orders"])
        // BEGIN grants
        let key = EncryptionKey(scope, "Key", purpose: "key", usedBy: "orders data key")
        let queue = Queue(scope, "Orders", purpose: "orders", key: key)
        let worker = LambdaWorker(scope, "Worker", purpose: "worker", source: "def handler(event, context):\n    return {}\n",
                                  description: "the orders worker", logKey: key)
        worker.consume(queue)                       // sqs:ReceiveMessage, ... and kms:Decrypt
        let exports = BackupBucket(scope, "Exports", purpose: "exports", key: key)
        exports.grantRead(to: worker)               // the worker's policy and the bucket policy
        let topic = EncryptedTopic(scope, "Alarms", purpose: "alarms", key: key)
        topic.grantPublish(to: .cloudWatch, sid: "AlarmsPublish")   // topic policy and key policy
        // END grants
        return stack
    }

    static func overrides() -> Stack {
        let stack = Stack(description: "orders database")
        let scope = Scope(stack, system: "orders", profile: .production, tags: ["Team": "orders"])
        // BEGIN overrides
        let network = Network(scope)
        let database = PostgresInstance(scope, "Database", network: network, instanceClass: .r6gLarge, engineVersion: "16.6")
        database.model.backupRetentionPeriod = 14
        database.model.preferredBackupWindow = "01:00-02:00"
        database.parameterGroup.parameters = ["rds.force_ssl": "1", "log_min_duration_statement": "500"]
        let topic = EncryptedTopic(scope, "Alarms", purpose: "alarms", key: database.key)
        database.addAlarms(topic: topic)
        // END overrides
        return stack
    }

    static func policy() -> Stack {
        let stack = Stack(description: "a typed key policy")
        // BEGIN policy
        let role = stack.add("Reader", IAM.Role(assumeRolePolicyDocument: [.assumeRole(by: [.service(.lambda)])]) {
            $0.description = "reads the exports"
        })
        stack.add("Key", KMS.Key {
            $0.enableKeyRotation = true
            $0.keyPolicy = [
                Statement(sid: "AccountAdministersTheKey", principals: [.thisAccount], actions: [IAMAction("kms:*")], resources: ["*"]),
                Statement(sid: "ReaderDecrypts", principals: [.aws(role.arn)], actions: [.kms.decrypt], resources: ["*"]),
                Statement(sid: "AlarmsPublish", principals: [.service(.cloudWatch)], actions: [.kms.decrypt, .kms.generateDataKey],
                          resources: ["*"], conditions: [.sourceAccountIsThisAccount]),
            ]
        })
        // END policy
        return stack
    }

    static let all: [(name: String, build: @Sendable () -> Stack)] = [
        ("scope", scopeAndTopic), ("database", database), ("grants", grants), ("overrides", overrides), ("policy", policy),
    ]
}

@Suite struct DocExampleTests {
    static let document = (try? String(contentsOfFile: Repository.root + "/docs/constructs.md", encoding: .utf8)) ?? ""
    static let source = (try? String(contentsOfFile: Repository.root + "/Tests/FormworkConstructsTests/DocExamples.swift", encoding: .utf8)) ?? ""

    static func trimmed(_ text: some StringProtocol) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Every ```swift block of the document is one of the compiled examples, and each example
    /// is shown.
    @Test func theDocumentShowsTheCompiledExamples() {
        let blocks = Self.document.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count == DocExamples.all.count, "docs/constructs.md has \(blocks.count) swift blocks")
        var compiled: [[String]] = []
        for example in DocExamples.all {
            let begin = Self.source.range(of: "// BEGIN \(example.name)\n")!
            let end = Self.source.range(of: "// END \(example.name)", range: begin.upperBound..<Self.source.endIndex)!
            compiled.append(Self.trimmed(Self.source[begin.upperBound..<end.lowerBound]))
        }
        for block in blocks {
            #expect(compiled.contains(Self.trimmed(block)), "a block of docs/constructs.md is not compiled by DocExamples.swift:\n\(block)")
        }
    }

    @Test(arguments: DocExamples.all.map(\.name))
    func theExampleCompilesClean(_ name: String) {
        let stack = DocExamples.all.first { $0.name == name }!.build()
        // The policy example shows a document, not a whole stack: it compiles, unvalidated.
        if name == "policy" {
            #expect(throws: Never.self) { _ = try stack.compile() }
            return
        }
        var profile = Profile(name: "docs", basedOn: .production)
        profile.tagging.require("Team", value: "orders")
        do {
            let compiled = try stack.compile(profile: profile)
            let findings = compiled.findings.filter { $0.severity != .info }
            #expect(findings.isEmpty, "\(findings.map(\.text).joined(separator: "\n"))")
        } catch {
            Issue.record("\(name): \(error.diagnostics.map(\.text).joined(separator: "\n"))")
        }
    }
}
