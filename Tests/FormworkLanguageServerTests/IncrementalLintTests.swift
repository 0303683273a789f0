@testable import FormworkLanguageServer
import FormworkRuleKit
import FormworkRules
import FormworkSchemaData
import FormworkTemplate
import FormworkTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Incremental linting (issue 31): after every edit of a sequence, what the server publishes
/// is exactly what a whole lint of the same text publishes; and the rules it re-runs on the
/// changed resources alone read nothing of the other resources but their ids and types.
@Suite struct IncrementalLintTests {
    static let uri = SessionTests.uri

    /// Groups that refer to each other (Ref, GetAtt, Sub, DependsOn, a key its buckets use, a
    /// policy on a bucket, an alarm on a database), a parameter whose allowed values a rule
    /// reports where they stand, a suppression, and Outputs after the resources.
    static func template(groups: Int) -> [String] {
        var lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Description: incremental", "Parameters:", "  EnvironmentSuffix:", "    Type: String",
                     "    Default: dev", "  Protect:", "    Type: String", "    AllowedValues: ['true', 'false']", "    Default: 'false'",
                     "Conditions:", "  IsDev: !Equals [!Ref EnvironmentSuffix, dev]", "Resources:"]
        for group in 0..<groups {
            let n = String(group)
            lines += ["  Key\(n):", "    Type: AWS::KMS::Key", "    DeletionPolicy: Delete", "    UpdateReplacePolicy: Delete", "    Properties:",
                      "      EnableKeyRotation: true", "      PendingWindowInDays: 7",
                      "  Bucket\(n):", "    Type: AWS::S3::Bucket", "    DeletionPolicy: Delete", "    UpdateReplacePolicy: Delete"]
            if group % 3 == 0 {
                lines += ["    Metadata:", "      formwork:", "        ignore:", "          - rule: TG-01", "            reason: shared bucket"]
            }
            lines += ["    Properties:", "      BucketName: !Sub 'data-\(n)-${EnvironmentSuffix}'", "      BucketEncryption:", "        ServerSideEncryptionConfiguration:",
                      "          - ServerSideEncryptionByDefault:", "              SSEAlgorithm: aws:kms", "              KMSMasterKeyID: !GetAtt Key\(n).Arn",
                      "  Policy\(n):", "    Type: AWS::S3::BucketPolicy", "    Properties:", "      Bucket: !Ref Bucket\(n)", "      PolicyDocument:",
                      "        Statement:", "          - Effect: Allow", "            Principal: '*'", "            Action: s3:GetObject",
                      "            Resource: !Sub '${Bucket\(n).Arn}/*'",
                      "  Queue\(n):", "    Type: AWS::SQS::Queue", "    DependsOn: Bucket\(n)", "    Properties:", "      QueueName: !Sub 'jobs-\(n)-${EnvironmentSuffix}'",
                      "      KmsMasterKeyId: !Ref Key\(n)", "      Tags:", "        - Key: Bucket", "          Value: !Ref Bucket\(n)",
                      "  Database\(n):", "    Type: AWS::RDS::DBInstance", "    DeletionPolicy: Snapshot", "    Properties:", "      Engine: postgres",
                      "      DBInstanceClass: db.t4g.micro", "      AllocatedStorage: '20'", "      MasterUsername: admin_user", "      ManageMasterUserPassword: true",
                      "      StorageEncrypted: true", "      KmsKeyId: !Ref Key\(n)", "      MultiAZ: false", "      DeletionProtection: !Ref Protect",
                      "  Alarm\(n):", "    Type: AWS::CloudWatch::Alarm", "    Condition: IsDev", "    Properties:", "      Namespace: AWS/RDS", "      MetricName: CPUUtilization",
                      "      Dimensions:", "        - Name: DBInstanceIdentifier", "          Value: !Ref Database\(n)", "      Statistic: Average", "      Period: 60",
                      "      EvaluationPeriods: 5", "      Threshold: 90", "      ComparisonOperator: GreaterThanThreshold"]
        }
        lines += ["Outputs:", "  FirstBucket:", "    Value: !Ref Bucket0", "  FirstQueue:", "    Value: !GetAtt Queue0.Arn"]
        return lines
    }

    static func session(incrementalLines: Int) -> LanguageServerSession {
        let session = EditingTests.session()
        session.incrementalLines = incrementalLines
        return session
    }

    /// The diagnostics of the last publication, as the client reads them.
    static func published(_ messages: [Node]) -> String {
        messages.last(where: { $0["method"]?.stringValue == "textDocument/publishDiagnostics" }).map { EditingTests.json($0["params"]?["diagnostics"] ?? Node(.null)) } ?? "none"
    }

    static func replace(_ session: LanguageServerSession, version: Int, from start: (Int, Int), to end: (Int, Int), _ text: String) -> [Node] {
        let params = "{\"textDocument\": {\"uri\": \"\(uri)\", \"version\": \(version)}, \"contentChanges\": [{\"range\": {\"start\": {\"line\": \(start.0), \"character\": \(start.1)}, \"end\": {\"line\": \(end.0), \"character\": \(end.1)}}, \"text\": \(EditingTests.json(.string(text)))}]}"
        _ = session.receive(SessionTests.message("textDocument/didChange", params))
        return session.publishPending()
    }

    /// A small deterministic generator (the same edits on every run).
    struct Sequence {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test func everyEditGivesWhatAWholeLintGives() throws {
        var lines = Self.template(groups: 12)
        let session = Self.session(incrementalLines: 0)
        var published = Self.published(SessionTests.open(session, lines.joined(separator: "\n") + "\n"))
        #expect(published == Self.published(SessionTests.open(Self.session(incrementalLines: .max), lines.joined(separator: "\n") + "\n")))
        var random = Sequence(state: 31)
        var version = 1
        var compared = 0
        for step in 0..<90 {
            let resources = lines.indices.filter { lines[$0].hasPrefix("  ") && !lines[$0].hasPrefix("   ") && lines[$0].hasSuffix(":") && lines.firstIndex(of: "Resources:")! < $0 && $0 < lines.firstIndex(of: "Outputs:")! }
            let pick = resources[random.next(resources.count)]
            let old = lines
            // One edit of many kinds; each is one LSP change over the lines it touches.
            func change(_ first: Int, removing count: Int, inserting new: [String]) {
                let text = new.map { $0 + "\n" }.joined()
                version += 1
                published = Self.published(Self.replace(session, version: version, from: (first, 0), to: (first + count, 0), text))
                lines.replaceSubrange(first..<(first + count), with: new)
            }
            switch random.next(11) {
            case 0:  // a value inside a resource
                if let line = (pick..<lines.count).first(where: { lines[$0].hasPrefix("      MultiAZ: ") || lines[$0].hasPrefix("    DeletionPolicy: ") }) {
                    let values = lines[line].hasPrefix("      MultiAZ") ? ["      MultiAZ: true", "      MultiAZ: false", "      MultiAZ: 'yes'"] : ["    DeletionPolicy: Retain", "    DeletionPolicy: Delete", "    DeletionPolicy: Snapshot"]
                    change(line, removing: 1, inserting: [values[random.next(values.count)]])
                }
            case 1:  // an attribute added (one the resource does not have: no duplicate key)
                let end = resources.first(where: { $0 > pick }) ?? lines.firstIndex(of: "Outputs:")!
                if let attribute = ["    Condition: IsDev", "    DependsOn: Key0", "    UpdateReplacePolicy: Retain"].first(where: { added in !lines[pick..<end].contains { $0.hasPrefix(added.prefix { $0 != ":" }) } }) {
                    change(pick + 2, removing: 0, inserting: [attribute])
                }
            case 2:  // a property removed
                let end = resources.first(where: { $0 > pick }) ?? lines.firstIndex(of: "Outputs:")!
                let leaves = (pick + 1..<end).filter { lines[$0].hasPrefix("      ") && !lines[$0].hasPrefix("       ") && !lines[$0].hasSuffix(":") && !lines[$0 + 1].hasPrefix("       ") }
                if !leaves.isEmpty { change(leaves[random.next(leaves.count)], removing: 1, inserting: []) }
            case 3:  // a blank line and a comment between resources
                change(pick, removing: 0, inserting: ["", "  # note \(step)"])
            case 4:  // a type changed: every resource's type is what others may read
                change(pick + 1, removing: 1, inserting: [["    Type: AWS::SQS::Queue", "    Type: AWS::S3::Bucket", "    Type: AWS::SNS::Topic"][random.next(3)]])
            case 5:  // a resource added
                change(pick, removing: 0, inserting: ["  Extra\(step):", "    Type: AWS::SNS::Topic", "    Properties:", "      TopicName: !Ref Bucket0"])
            case 6:  // a resource removed (its references dangle)
                let end = resources.first(where: { $0 > pick }) ?? lines.firstIndex(of: "Outputs:")!
                change(pick, removing: end - pick, inserting: [])
            case 7:  // a reference retargeted
                if let line = (pick..<lines.count).first(where: { lines[$0].contains("!Ref ") && lines[$0].hasPrefix("      ") }) {
                    let prefix = lines[line].prefix { $0 != "!" }
                    change(line, removing: 1, inserting: [prefix + ["!Ref Missing", "!Ref Bucket1", "!Ref Protect"][random.next(3)]])
                }
            case 8:  // the Outputs after the resources
                let outputs = lines.firstIndex(of: "Outputs:")!
                change(outputs + 1, removing: 0, inserting: ["  Step\(step):", "    Value: !Ref Queue1"])
            case 9:  // a half-typed type: the text does not read, then it does again
                change(pick + 1, removing: 1, inserting: ["    Type: AWS::RDS::"])
                #expect(published.contains("\"PS-01\""), "step \(step): the syntax error is published")
                change(pick + 1, removing: 1, inserting: [old[pick + 1]])
            default:  // a key renamed
                change(pick, removing: 1, inserting: [lines[pick].dropLast() + "X:"])
            }
            let text = lines.joined(separator: "\n") + "\n"
            // A text that does not read (a duplicate key): its error beside the last findings;
            // then the edit is undone.
            if TemplateReader.read(Array(text.utf8), file: "t.yaml").template == nil {
                #expect(published.contains("\"PS-"), "step \(step): the reader's error is published")
                change(0, removing: lines.count, inserting: old)
            }
            let current = lines.joined(separator: "\n") + "\n"
            let whole = Self.published(SessionTests.open(Self.session(incrementalLines: .max), current))
            #expect(published == whole, "step \(step): the incremental lint differs from a whole lint")
            compared += 1
        }
        #expect(compared >= 80)
        #expect(session.incrementalLints >= 40, "most edits are linted incrementally: \(session.incrementalLints)")
    }

    /// While keys keep coming, a quick publication gives the edited resources the findings
    /// of the resource-local rules a whole lint gives them, keeps every other finding where
    /// it stands, and settles to exactly a whole lint's findings.
    @Test func quickPublicationsSettleToAWholeLint() throws {
        var lines = Self.template(groups: 8)
        let session = Self.session(incrementalLines: 0)
        _ = SessionTests.open(session, lines.joined(separator: "\n") + "\n")
        var random = Sequence(state: 7)
        var version = 1
        for step in 0..<24 {
            let databases = lines.indices.filter { lines[$0].hasPrefix("  Database") }
            let pick = databases[random.next(databases.count)]
            let id = String(lines[pick].dropFirst(2).dropLast())
            let line: Int, text: String
            switch random.next(3) {
            case 0:
                line = (pick..<lines.count).first { lines[$0].hasPrefix("      MultiAZ: ") }!
                text = ["      MultiAZ: true", "      MultiAZ: false", "      MultiAZ: 'yes'"][random.next(3)]
            case 1:
                line = pick + 2
                text = ["    DeletionPolicy: Retain", "    DeletionPolicy: Delete", "    DeletionPolicy: Snapshot"][random.next(3)]
            default:
                line = (pick..<lines.count).first { lines[$0].hasPrefix("      AllocatedStorage: ") }!
                text = ["      AllocatedStorage: '20'", "      AllocatedStorage: '5'", "      AllocatedStorage: 'many'"][random.next(3)]
            }
            version += 1
            let params = "{\"textDocument\": {\"uri\": \"\(Self.uri)\", \"version\": \(version)}, \"contentChanges\": [{\"range\": {\"start\": {\"line\": \(line), \"character\": 0}, \"end\": {\"line\": \(line + 1), \"character\": 0}}, \"text\": \(EditingTests.json(.string(text + "\n")))}]}"
            _ = session.receive(SessionTests.message("textDocument/didChange", params))
            lines[line] = text
            let quick = Self.published(session.publishQuickly())
            let current = lines.joined(separator: "\n") + "\n"
            let whole = Self.published(SessionTests.open(Self.session(incrementalLines: .max), current))
            // The edited resource's resource-local findings are a whole lint's already.
            func local(_ json: String) throws -> [String] {
                let read = try #require(TemplateReader.readStrictJSON(Array(json.utf8)).root?.arrayValue)
                return read.filter { item in
                    LanguageServerSession.resourceLocalRules.contains(RuleID(item["code"]?.stringValue ?? "")) && item["data"]?["path"]?.arrayValue?.dropFirst().first?.stringValue == id
                }.map { EditingTests.json($0) }
            }
            #expect(try local(quick) == local(whole), "step \(step): \(id)'s findings")
            if step % 3 == 2 {
                // Unsettled unless the text is the last exact lint's again (that lint published).
                let settled = session.unsettled.isEmpty ? quick : Self.published(session.publishSettled())
                #expect(settled == whole, "step \(step): the settled publication differs from a whole lint")
                #expect(session.unsettled.isEmpty)
            }
        }
        #expect(session.quickLints >= 12, "quick publications: \(session.quickLints)")
    }

    /// Templates to judge the resource-local rules on: the seed's, the real-world corpus, the
    /// rules' own examples.
    static func corpus() -> [(String, [UInt8])] {
        var found: [(String, [UInt8])] = []
        let root = Repository.root
        for folder in [root + "/../shared/corpus/real-world/templates", root + "/fixtures/seed-004", root + "/fixtures/lint"] {
            for path in TemplateFinder.candidates([folder]).inFolders.sorted() where path.hasSuffix(".yaml") || path.hasSuffix(".yml") || path.hasSuffix(".json") || path.hasSuffix(".template") {
                if case .success(let bytes) = FileIO.read(path, maxBytes: 4 << 20) { found.append((path, bytes)) }
            }
        }
        for rule in RuleRegistry.all {
            for (index, example) in (rule.description.triggeringExamples + rule.description.nonTriggeringExamples).enumerated() {
                found.append(("\(rule.description.id)-\(index).yaml", Array(example.replacingOccurrences(of: "↓", with: "").utf8)))
            }
        }
        return found
    }

    /// Each resource-local rule finds in a resource what it finds there when every other
    /// resource is cut to its id and type, and reports at its resource's path only.
    @Test func resourceLocalRulesReadOneResource() {
        let session = Self.session(incrementalLines: 0)
        let files = Self.corpus()
        #expect(files.count > 300)
        var judged = 0
        var failures: [String] = []
        for (file, bytes) in files {
            guard let template = TemplateReader.read(bytes, file: file).template, LoopExpansion.expanded(template).madeBy.isEmpty else { continue }
            let ids = template.root["Resources"]?.objectValue?.keys ?? []
            for profile in [Profile.ephemeral, Profile.production] {
                let whole = session.linter.judge(template, file: file, configuration: profile, including: LanguageServerSession.resourceLocalRules.contains, team: false).findings
                guard let byResource = LanguageServerSession.attribute(whole) else {
                    failures.append("\(file): \(whole.filter { $0.path.count < 2 || $0.path[0] != .key("Resources") }.map(\.ruleID.rawValue)) report outside a resource")
                    continue
                }
                // A large template: every 7th resource (the quadratic cost stays small).
                for (index, id) in ids.enumerated() where ids.count < 60 || index % 7 == 0 {
                    guard let alone = session.judgeLocally([id], of: template, file: file, configuration: profile) else {
                        failures.append("\(file) \(id): a finding outside a resource")
                        continue
                    }
                    let expected = (byResource[id] ?? []).sorted(by: Diagnostic.reportOrder), got = (alone.findings[id] ?? []).sorted(by: Diagnostic.reportOrder)
                    if expected != got {
                        let differ = Set(expected.map(\.ruleID.rawValue)).symmetricDifference(got.map(\.ruleID.rawValue))
                        failures.append("\(file) \(id) (\(profile.name)): \(differ.isEmpty ? Set(expected.map(\.ruleID.rawValue)) : differ)")
                    }
                    judged += 1
                }
            }
        }
        #expect(judged > 2_000)
        #expect(failures.isEmpty, "\(failures.count) differences: \(failures.prefix(30).joined(separator: "\n"))")
    }
}
