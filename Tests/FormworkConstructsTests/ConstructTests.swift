import Foundation
import Formwork
import FormworkConstructs
import FormworkIAM
import FormworkRDS
import FormworkTemplate
import FormworkTestSupport
import Testing

/// Builds a stack of constructs and compiles it through the validation pass.
enum Build {
    /// The production profile with the settings a team names (classes, version) and one tag.
    static let production: Profile = {
        var profile = Profile(name: "constructs-production", basedOn: .production)
        profile.tagging.require("Team", value: "platform")
        return profile
    }()

    static let ephemeral: Profile = {
        var profile = Profile(name: "constructs-ephemeral", basedOn: .ephemeral)
        profile.tagging.require("Team", value: "platform")
        return profile
    }()

    static let profiles = [production, ephemeral]

    /// A stack built by `body` under `profile`: the findings of its compile (errors thrown
    /// as findings), and the template.
    static func compile(_ profile: Profile, _ body: (Scope) -> Void) -> (findings: [Diagnostic], template: Template?) {
        let stack = Stack(description: "constructs test")
        let scope = Scope(stack, system: "orders", profile: profile)
        body(scope)
        do {
            let compiled = try stack.compile(profile: profile)
            return (compiled.findings.filter { $0.severity != .info }, compiled.template)
        } catch {
            return (error.diagnostics, nil)
        }
    }

    static func describe(_ findings: [Diagnostic]) -> String { findings.map(\.text).joined(separator: "\n") }
}

@Suite struct ConstructDefaultsTests {
    @Test(arguments: Build.profiles.map(\.name))
    func postgresInstanceWithReplicaAndAlarmsIsClean(_ name: String) {
        let profile = Build.profiles.first { $0.name == name }!
        let (findings, template) = Build.compile(profile) { scope in
            let network = Network(scope)
            let database = PostgresInstance(scope, "Database", network: network, instanceClass: .r6gLarge, engineVersion: "16.6")
            let replica = PostgresReadReplica(of: database, "Replica")
            let topic = EncryptedTopic(scope, "Alarms", purpose: "alarms", key: database.key)
            _ = DatabaseAlarms(scope, for: database, replicas: [replica], topic: topic)
        }
        #expect(findings.isEmpty, "\(Build.describe(findings))")
        #expect(template != nil)
    }

    @Test(arguments: Build.profiles.map(\.name))
    func auroraClusterWithProxyAndAlarmsIsClean(_ name: String) {
        let profile = Build.profiles.first { $0.name == name }!
        let (findings, _) = Build.compile(profile) { scope in
            let network = Network(scope)
            let cluster = AuroraPostgresCluster(scope, "Cluster", network: network, instanceClass: .r6gLarge, engineVersion: "16.6", readers: 1)
            cluster.addProxy()
            let topic = EncryptedTopic(scope, "Alarms", purpose: "alarms", key: cluster.key)
            _ = DatabaseAlarms(scope, for: cluster, topic: topic)
        }
        #expect(findings.isEmpty, "\(Build.describe(findings))")
    }

    @Test(arguments: Build.profiles.map(\.name))
    func queueWorkerTopicAndBucketAreClean(_ name: String) {
        let profile = Build.profiles.first { $0.name == name }!
        let (findings, _) = Build.compile(profile) { scope in
            let key = EncryptionKey(scope, "AppKey", purpose: "app-key", usedBy: "application encryption key")
            let queue = Queue(scope, "Jobs", purpose: "jobs", key: key)
            let worker = LambdaWorker(scope, "Worker", purpose: "worker", source: "def handler(event, context):\n    return {}\n",
                                      description: "the jobs worker", logKey: key)
            worker.consume(queue)
            let topic = EncryptedTopic(scope, "Alarms", purpose: "alarms", key: key)
            queue.alarmOnDeadLetters(to: topic, scope: scope, purpose: "jobs")
            BackupBucket(scope, "Backups", key: key).grantRead(to: worker)
        }
        #expect(findings.isEmpty, "\(Build.describe(findings))")
    }
}

@Suite struct FailoverPairTests {
    @Test(arguments: Build.profiles.map(\.name))
    func failoverPairIsClean(_ name: String) throws {
        let profile = Build.profiles.first { $0.name == name }!
        let (findings, template) = Build.compile(profile) { scope in
            let zone = scope.stack.parameter("HostedZoneId", .awsSpecific("AWS::Route53::HostedZone::Id", description: "The database's zone"))
            let network = Network(scope)
            let database = PostgresInstance(scope, "Database", network: network, instanceClass: .r6gLarge, engineVersion: "16.6")
            let replica = PostgresReadReplica(of: database, "Replica")
            let alarms = DatabaseAlarms(scope, for: database, replicas: [replica], topic: EncryptedTopic(scope, "Alarms", purpose: "alarms", key: database.key))
            _ = FailoverPair(scope, "Database", name: "orders-db-\(scope.suffix).example.internal", hostedZoneId: zone.ref,
                         primary: database.endpoint, secondary: replica.handle.endpointAddress,
                         healthAlarm: ResourceHandle(logicalID: alarms.alarms[0].id))
        }
        #expect(findings.isEmpty, "\(Build.describe(findings))")
        let resources = try #require(template?.root["Resources"])
        #expect(resources["DatabasePrimaryRecord"]?["Properties"]?["Failover"]?.stringValue == "PRIMARY")
        #expect(resources["DatabaseSecondaryRecord"]?["Properties"]?["Failover"]?.stringValue == "SECONDARY")
        #expect(resources["DatabaseHealthCheck"]?["Properties"]?["HealthCheckConfig"]?["Type"]?.stringValue == "CLOUDWATCH_METRIC")
    }
}

@Suite struct GrantTests {
    /// Each grant, alone, on the resources it concerns: the IAM, KMS, S3 and SNS families
    /// (and every other) find nothing, and both sides are written.
    @Test(arguments: Build.profiles.map(\.name))
    func grantsPassTheSecurityFamilies(_ name: String) throws {
        let profile = Build.profiles.first { $0.name == name }!
        let (findings, template) = Build.compile(profile) { scope in
            let network = Network(scope)
            let key = EncryptionKey(scope, "AppKey", purpose: "app-key", usedBy: "application encryption key")
            let role = Role(scope, "AppRole", purpose: "app", assumedBy: .lambda, description: "the application",
                            managedPolicies: [managedPolicy("service-role/AWSLambdaVPCAccessExecutionRole")])
            let bucket = BackupBucket(scope, "Exports", purpose: "exports", key: key)
            bucket.grantRead(to: role)
            key.grantEncryptDecrypt(to: role)
            let topic = EncryptedTopic(scope, "Events", purpose: "events", key: key)
            topic.grantPublish(to: .cloudWatch, sid: "AlarmsPublish")
            topic.grantPublish(to: role)
            let queue = Queue(scope, "Jobs", purpose: "jobs", key: key)
            queue.grantConsume(to: role)
            let database = PostgresInstance(scope, "Database", network: network, instanceClass: .r6gLarge, engineVersion: "16.6", key: key)
            database.grantConnect(to: role, asUser: "app")
            _ = DatabaseAlarms(scope, for: database, topic: topic)
        }
        #expect(findings.isEmpty, "\(Build.describe(findings))")
        let resources = try #require(template).root["Resources"]
        // The identity side: one policy of the role's, naming each resource.
        let identity = try #require(resources?["AppRolePolicy"]?["Properties"]?["PolicyDocument"]?["Statement"]?.arrayValue)
        let actions = identity.compactMap { $0["Action"] }.flatMap { $0.arrayValue ?? [$0] }.compactMap(\.stringValue)
        for action in ["s3:ListBucket", "s3:GetObject", "kms:Decrypt", "sns:Publish", "sqs:ReceiveMessage", "rds-db:connect"] {
            #expect(actions.contains(action), "the role's policy lacks \(action)")
        }
        // The resource side: the bucket policy, the topic policy and the key policy name the role.
        let bucketPolicy = try #require(resources?["ExportsPolicy"]?["Properties"]?["PolicyDocument"]?["Statement"]?.arrayValue)
        #expect(bucketPolicy.contains { $0["Principal"]?["AWS"] != nil })
        let topicPolicy = try #require(resources?["EventsTopicPolicy"]?["Properties"]?["PolicyDocument"]?["Statement"]?.arrayValue)
        #expect(topicPolicy.contains { $0["Principal"]?["Service"]?.stringValue == "cloudwatch.amazonaws.com" && $0["Condition"] != nil })
        let keyPolicy = try #require(resources?["AppKey"]?["Properties"]?["KeyPolicy"]?["Statement"]?.arrayValue)
        #expect(keyPolicy.contains { $0["Principal"]?["AWS"]?.intrinsicValue != nil })
    }

    @Test func connectThroughTheProxyNamesTheProxyResourceID() throws {
        let (findings, template) = Build.compile(Build.production) { scope in
            let network = Network(scope)
            let cluster = AuroraPostgresCluster(scope, "Cluster", network: network, instanceClass: .r6gLarge, engineVersion: "16.6")
            cluster.addProxy()
            let worker = LambdaWorker(scope, "Worker", purpose: "worker", source: "def handler(event, context):\n    return {}\n",
                                      description: "the worker", logKey: cluster.key, network: network)
            cluster.grantConnect(to: worker, asUser: "worker")
            if let group = worker.securityGroup { cluster.allowConnections(from: group, description: "PostgreSQL from the worker") }
            _ = DatabaseAlarms(scope, for: cluster, topic: EncryptedTopic(scope, "Alarms", purpose: "alarms", key: cluster.key))
        }
        #expect(findings.isEmpty, "\(Build.describe(findings))")
        let statement = try #require(template?.root["Resources"]?["WorkerRolePolicy"]?["Properties"]?["PolicyDocument"]?["Statement"]?.arrayValue?.first { $0["Action"]?.stringValue == "rds-db:connect" })
        // Fn::Sub with the proxy's ARN split at ':' (its 7th part is prx-...).
        let text = "\(statement["Resource"].map { String(describing: $0) } ?? "")"
        #expect(text.contains("ClusterProxy") && text.contains("DBProxyArn"), "\(text)")
    }
}

@Suite struct OverrideTests {
    @Test func anOverrideReachesTheTemplate() throws {
        let (findings, template) = Build.compile(Build.ephemeral) { scope in
            let network = Network(scope)
            let database = PostgresInstance(scope, "Database", network: network, instanceClass: .r6gLarge, engineVersion: "16.6")
            database.model.backupRetentionPeriod = 14
            database.key.model.pendingWindowInDays = 30
            let topic = EncryptedTopic(scope, "Alarms", purpose: "alarms", key: database.key)
            let alarms = DatabaseAlarms(scope, for: database, topic: topic)
            alarms.alarms[0].model.evaluationPeriods = 3
        }
        #expect(findings.isEmpty, "\(Build.describe(findings))")
        let resources = try #require(template?.root["Resources"])
        #expect(resources["Database"]?["Properties"]?["BackupRetentionPeriod"]?.intValue == 14)
        #expect(resources["DatabaseKey"]?["Properties"]?["PendingWindowInDays"]?.intValue == 30)
        #expect(resources["DatabaseHighCPUAlarm"]?["Properties"]?["EvaluationPeriods"]?.intValue == 3)
    }

    /// A finding on a construct's resource is reported at the line that called the construct.
    @Test func findingsLandOnTheCallersLine() throws {
        let line = #line + 4
        let (findings, _) = Build.compile(Build.ephemeral) { scope in
            let network = Network(scope)
            // Deleting the subnet group's reference: the instance is wrong, at this line.
            let database = PostgresInstance(scope, "Database", network: network, instanceClass: .r6gLarge, engineVersion: "16.6")
            database.model.multiAZ = false
        }
        let finding = try #require(findings.first { $0.ruleID.rawValue == "RDS-03" })
        #expect(finding.location.line == line, "\(finding.text)")
        #expect(finding.file?.hasSuffix("ConstructTests.swift") == true, "\(finding.text)")
    }
}

@Suite struct PolicyDocumentTests {
    @Test func typedStatementsRenderAsIAMWritesThem() {
        let stack = Stack()
        stack.add("Role", IAM.Role(assumeRolePolicyDocument: [.assumeRole(by: [.service(.lambda)])]) {
            $0.policies = [IAM.Role.Policy(policyDocument: [
                Statement(sid: "Read", actions: [.s3.getObject, .s3.listBucket], resources: ["arn:\(Pseudo.partition):s3:::b", "arn:\(Pseudo.partition):s3:::b/*"],
                          conditions: [.bool(.secureTransport, true), .stringEquals(.sourceAccount, Pseudo.accountID)]),
            ], policyName: "read")]
        })
        let role = stack.template.root["Resources"]?["Role"]?["Properties"]
        let trust = role?["AssumeRolePolicyDocument"]
        #expect(trust?["Version"]?.stringValue == "2012-10-17")
        #expect(trust?["Statement"]?.arrayValue?.first?["Principal"]?["Service"]?.stringValue == "lambda.amazonaws.com")
        #expect(trust?["Statement"]?.arrayValue?.first?["Action"]?.stringValue == "sts:AssumeRole")
        let statement = role?["Policies"]?.arrayValue?.first?["PolicyDocument"]?["Statement"]?.arrayValue?.first
        #expect(statement?["Sid"]?.stringValue == "Read")
        #expect(statement?["Effect"]?.stringValue == "Allow")
        #expect(statement?["Action"]?.arrayValue?.compactMap(\.stringValue) == ["s3:GetObject", "s3:ListBucket"])
        #expect(statement?["Condition"]?["Bool"]?["aws:SecureTransport"]?.stringValue == "true")
        #expect(statement?["Condition"]?["StringEquals"]?["aws:SourceAccount"]?.intrinsicValue != nil)
    }

    @Test func theJSONEscapeKeepsWhatIsWrittenAndTakesTypedStatements() {
        var document: PolicyDocument = ["Version": "2012-10-17", "Statement": [["Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"]]]
        document.add(Statement(.deny, principals: [.anyone], actions: [.s3.deleteBucket], resources: ["*"]))
        let statements = JSON(document)
        let stack = Stack()
        stack.add("Policy", IAM.ManagedPolicy(policyDocument: PolicyDocument(json: statements)))
        let written = stack.template.root["Resources"]?["Policy"]?["Properties"]?["PolicyDocument"]?["Statement"]?.arrayValue
        #expect(written?.count == 2)
        #expect(written?.last?["Principal"]?.stringValue == "*")
    }

    @Test func actionConstantsCarryTheTableNames() {
        let actions: [IAMAction] = [.s3.getObject, .kms.generateDataKey, .rdsDb.connect, .sqs.receiveMessage, .secretsmanager.getSecretValue]
        #expect(actions.map(\.name) == ["s3:GetObject", "kms:GenerateDataKey", "rds-db:connect", "sqs:ReceiveMessage", "secretsmanager:GetSecretValue"])
    }
}

@Suite struct CfnLintTests {
    /// Every construct in one stack, under both profiles: cfn-lint 1.51.0 (the oracle) finds
    /// no error and no warning.
    @Test(.enabled(if: Repository.hasCommand("cfn-lint"), "cfn-lint is not installed (make python-deps)"))
    func aComposedStackIsCfnLintClean() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-constructs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var paths: [String] = []
        for profile in Build.profiles {
            let (findings, template) = Build.compile(profile) { scope in
                let network = Network(scope)
                let key = EncryptionKey(scope, "AppKey", purpose: "app-key", usedBy: "application encryption key")
                let database = PostgresInstance(scope, "Database", network: network, instanceClass: .r6gLarge, engineVersion: "16.6", key: key)
                let replica = PostgresReadReplica(of: database, "Replica")
                let cluster = AuroraPostgresCluster(scope, "Cluster", purpose: "aurora", network: network, instanceClass: .r6gLarge, engineVersion: "16.6", key: key)
                cluster.addProxy()
                let topic = EncryptedTopic(scope, "Alarms", purpose: "alarms", key: key)
                _ = DatabaseAlarms(scope, for: database, replicas: [replica], topic: topic)
                _ = DatabaseAlarms(scope, for: cluster, topic: topic)
                let queue = Queue(scope, "Jobs", purpose: "jobs", key: key)
                queue.alarmOnDeadLetters(to: topic, scope: scope, purpose: "jobs")
                let worker = LambdaWorker(scope, "Worker", purpose: "worker", source: "def handler(event, context):\n    return {}\n",
                                          description: "the jobs worker", logKey: key, network: network)
                worker.consume(queue)
                cluster.grantConnect(to: worker, asUser: "worker")
                database.grantConnect(to: worker, asUser: "worker")
                if let group = worker.securityGroup { cluster.allowConnections(from: group, description: "PostgreSQL from the worker") }
                BackupBucket(scope, "Backups", key: key).grantRead(to: worker)
            }
            #expect(findings.isEmpty, "\(Build.describe(findings))")
            let path = "\(folder)/\(profile.name).yml"
            try Data(try Formatter.canonical(try #require(template).value, as: .yaml)).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let result = try #require(Repository.run(["cfn-lint", "--format", "parseable", "--"] + paths))
        #expect(result.status == 0, "cfn-lint found problems:\n\(result.output)")
    }
}

/// Examples/orders-pipeline's stack (its Pipeline.swift, linked into this target): clean under
/// its dev and production-based profiles with no suppression, and cfn-lint clean. The package
/// itself is built from a copy outside the repository by Tests/example/constructs_example.py.
@Suite struct ExamplePipelineTests {
    @Test(arguments: [OrdersProfiles.dev.name, OrdersProfiles.prod.name])
    func thePipelineIsClean(_ name: String) throws {
        let profile = name == OrdersProfiles.dev.name ? OrdersProfiles.dev : OrdersProfiles.prod
        let stack = pipeline(profile: profile)
        let compiled = try stack.compile(profile: profile)
        let findings = compiled.findings.filter { $0.severity != .info }
        #expect(findings.isEmpty, "\(Build.describe(findings))")
        let resources = compiled.template.root["Resources"]?.objectValue?.entries ?? []
        #expect(resources.allSatisfy { $0.value["Metadata"]?["formwork"]?["ignore"] == nil }, "a resource carries a suppression")
        #expect(resources.count >= 32, "\(resources.count) resources")
        if Repository.hasCommand("cfn-lint") {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("orders-pipeline-\(UUID().uuidString).yml").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try Data(try Formatter.canonical(compiled.template.value, as: .yaml)).write(to: URL(fileURLWithPath: path))
            let result = try #require(Repository.run(["cfn-lint", "--format", "parseable", "--", path]))
            #expect(result.status == 0, "cfn-lint found problems:\n\(result.output)")
        } else {
            print("skipped: cfn-lint of the pipeline (cfn-lint is not installed; make python-deps)")
        }
    }
}
