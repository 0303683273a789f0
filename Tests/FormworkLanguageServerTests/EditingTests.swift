@testable import FormworkLanguageServer
import FormworkRuleKit
import FormworkRules
import FormworkSchemaData
import FormworkTemplate
import Testing

/// What a user types (issue 31): completion edits, code actions that leave a template that
/// reads, rename across every reference form, formatting, hover on the language.
@Suite struct EditingTests {
    static let uri = SessionTests.uri

    static func session(snippets: Bool = false) -> LanguageServerSession {
        let session = LanguageServerSession(profiles: .builtIn, registry: .shared)
        _ = session.receive(SessionTests.message("initialize", id: 0, "{\"capabilities\": {\"textDocument\": {\"completion\": {\"completionItem\": {\"snippetSupport\": \(snippets)}}}}}"))
        return session
    }

    static func json(_ node: Node) -> String { String(decoding: JSONWriter.compact(node, spaced: false), as: UTF8.self) }

    static func request(_ session: LanguageServerSession, _ method: String, line: Int, character: Int, extra: String = "") -> Node? {
        let params = "{\"textDocument\": {\"uri\": \"\(uri)\"}, \"position\": {\"line\": \(line), \"character\": \(character)}\(extra)}"
        return session.receive(SessionTests.message(method, id: 7, params)).last
    }

    /// The text with a list of LSP text edits applied (through the server's own document, so
    /// positions count UTF-16 as a client does).
    static func applying(_ edits: [Node], to text: String) -> String {
        var document = Document(uri: uri, version: 1, text: text)
        let ordered = edits.compactMap { edit -> ((Int, Int), (Int, Int), String)? in
            guard let start = LanguageServerSession.position(edit["range"]?["start"]), let end = LanguageServerSession.position(edit["range"]?["end"]),
                  let text = edit["newText"]?.stringValue else { return nil }
            return ((start.line, start.character), (end.line, end.character), text)
        }.sorted { $0.0 > $1.0 }
        for (start, end, text) in ordered { document.replace(from: (start.0, start.1), to: (end.0, end.1), with: text) }
        return document.text
    }

    /// What accepting a completion item does: its textEdit applied.
    static func accept(_ item: Node, in text: String) -> String {
        applying([item["textEdit"]!], to: text)
    }

    static func items(_ session: LanguageServerSession, line: Int, character: Int) -> [Node] {
        request(session, "textDocument/completion", line: line, character: character)?["result"]?["items"]?.arrayValue ?? []
    }

    @Test func acceptingAResourceTypeOrAnAttributeWritesExactlyIt() throws {
        let session = Self.session()
        let text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n  Db:\n    Type: AWS::RDS::DBIn\n    Properties:\n      MonitoringRoleArn: !GetAtt Role.\n"
        _ = SessionTests.open(session, text)
        let types = Self.items(session, line: 4, character: 24)
        let first = try #require(types.first)
        #expect(first["label"]?.stringValue == "AWS::RDS::DBInstance")
        #expect(first["filterText"]?.stringValue == "DBInstance")
        #expect(Self.accept(first, in: text).contains("    Type: AWS::RDS::DBInstance\n"))
        // The service typed ranks its types first.
        let labels = types.compactMap { $0["label"]?.stringValue }
        #expect(labels.prefix(3).allSatisfy { $0.hasPrefix("AWS::RDS::") }, "\(labels.prefix(5))")
        let attributes = Self.items(session, line: 6, character: 38)
        let arn = try #require(attributes.first { $0["label"]?.stringValue == "Role.Arn" })
        #expect(Self.accept(arn, in: text).contains("MonitoringRoleArn: !GetAtt Role.Arn\n"))
        // Typed from the start of the word, the whole name is written.
        let fuzzy = "Resources:\n  Db:\n    Type: rdsdbinst\n"
        _ = session.receive(SessionTests.message("textDocument/didChange", "{\"textDocument\": {\"uri\": \"\(Self.uri)\", \"version\": 2}, \"contentChanges\": [{\"text\": \(Self.json(.string(fuzzy)))}]}"))
        let found = try #require(Self.items(session, line: 2, character: 19).first)
        #expect(Self.accept(found, in: fuzzy) == "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n")
    }

    @Test func propertiesLeaveOutReadOnlyOnesAndBringTheirColon() throws {
        let session = Self.session()
        let text = "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DB\n"
        _ = SessionTests.open(session, text)
        let items = Self.items(session, line: 4, character: 8)
        let labels = items.compactMap { $0["label"]?.stringValue }
        #expect(labels.contains("DBInstanceClass") && !labels.contains("DBInstanceArn") && !labels.contains("DbiResourceId"), "\(labels)")
        let item = try #require(items.first { $0["label"]?.stringValue == "DBInstanceClass" })
        #expect(Self.accept(item, in: text).contains("      DBInstanceClass: \n"))
        // A snippet client gets the required keys of a nested mapping.
        let snippets = Self.session(snippets: true)
        let function = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Cod\n"
        _ = SessionTests.open(snippets, function)
        let code = try #require(Self.items(snippets, line: 4, character: 9).first { $0["label"]?.stringValue == "Code" })
        #expect(code["insertTextFormat"]?.intValue == 2)
        let arn = try #require(Self.items(snippets, line: 4, character: 9).first { $0["label"]?.stringValue == "CodeSigningConfigArn" })
        #expect(arn["textEdit"]?["newText"]?.stringValue == "CodeSigningConfigArn: " && arn["insertTextFormat"] == nil)
    }

    @Test func attributeValuesAreCompleted() {
        let session = Self.session()
        let text = "Conditions:\n  IsProd: !Equals [a, b]\nResources:\n  Key:\n    Type: AWS::KMS::Key\n  Db:\n    Type: AWS::SNS::Topic\n    DeletionPolicy: \n    UpdateReplacePolicy: S\n    Condition: \n    DependsOn: \n"
        _ = SessionTests.open(session, text)
        let labels = { (line: Int, character: Int) in Self.items(session, line: line, character: character).compactMap { $0["label"]?.stringValue } }
        #expect(labels(7, 20) == ["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"])
        #expect(labels(8, 26) == ["Snapshot"])
        #expect(labels(9, 15) == ["IsProd"])
        #expect(labels(10, 15) == ["Key"])
    }

    @Test func getAttListFormAndSubNames() {
        let session = Self.session()
        let text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !GetAtt [Role, R]\n      TopicName: !Sub '${Role.R}'\n"
        _ = SessionTests.open(session, text)
        let list = Self.items(session, line: 6, character: 35)
        #expect(list.first?["label"]?.stringValue == "RoleId" && list.allSatisfy { ["RoleId", "Arn"].contains($0["label"]?.stringValue ?? "") })
        #expect(Self.accept(list[0], in: text).contains("!GetAtt [Role, RoleId]"))
        let sub = Self.items(session, line: 7, character: 31)
        let roleID = sub.first { $0["label"]?.stringValue == "Role.RoleId" }
        #expect(roleID.map { Self.accept($0, in: text).contains("!Sub '${Role.RoleId}'") } == true)
    }

    static let renamed = """
    Parameters:
      Env: {Type: String}
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
      IsBig: !And [!Condition IsProd, !Equals [!Ref Env, big]]
    Mappings:
      Sizes:
        prod: {Class: db.r5.large}
    Resources:
      Role:
        Type: AWS::IAM::Role
        Condition: IsProd
        Properties:
          RoleName: !Sub '${Env}-role'
      Db:
        Type: AWS::RDS::DBInstance
        DependsOn: [Role]
        Properties:
          DBInstanceClass: !FindInMap [Sizes, !Ref Env, Class]
          MonitoringRoleArn: !GetAtt Role.Arn
          DBName: !If [IsProd, !GetAtt [Role, RoleId], !Sub ['${Role}-${X}', {X: !Ref Env}]]
          Tags:
            - Key: Role
              Value: !Sub |
                ${Role.Arn} and ${AWS::Region} ${!Role}
                ${Role}
      Other:
        Type: AWS::SNS::Topic
        DependsOn: Role
        Properties:
          DisplayName: {"Fn::GetAtt": ["Role", "Arn"]}
          TopicName: {"Fn::Sub": "${Role}x"}
    Outputs:
      RoleArn:
        Condition: IsProd
        Value: {Ref: Role}

    """

    static func rename(_ text: String, line: Int, character: Int, to name: String) -> (String?, String?) {
        let session = Self.session()
        _ = SessionTests.open(session, text)
        let reply = request(session, "textDocument/rename", line: line, character: character, extra: ", \"newName\": \"\(name)\"")
        if let message = reply?["error"]?["message"]?.stringValue { return (nil, message) }
        let edits = reply?["result"]?["changes"]?[uri]?.arrayValue ?? []
        return (applying(edits, to: text), nil)
    }

    @Test func renameUpdatesEveryReferenceFormAndNothingElse() throws {
        let (renamed, _) = Self.rename(Self.renamed, line: 9, character: 3, to: "Worker")
        let text = try #require(renamed)
        // Every form: the key, DependsOn (list and scalar), GetAtt (both forms, JSON too), Sub
        // (both forms, a block), Ref; the tag's `Key: Role` and the escaped `${!Role}` stay.
        let expected = Self.renamed.replacingOccurrences(of: "Role", with: "Worker", wholeWordsOnly: true)
            .replacingOccurrences(of: "Key: Worker", with: "Key: Role").replacingOccurrences(of: "${!Worker}", with: "${!Role}")
            .replacingOccurrences(of: "AWS::IAM::Worker", with: "AWS::IAM::Role")
        #expect(text == expected, "\(text)")
        #expect(TemplateReader.read(Array(text.utf8), file: "t.yaml").template != nil)
        // A condition, a parameter, a mapping.
        let condition = try #require(Self.rename(Self.renamed, line: 3, character: 3, to: "Production").0)
        #expect(condition.components("IsProd") == 0 && condition.components("Production") == 4)
        let parameter = try #require(Self.rename(Self.renamed, line: 1, character: 3, to: "Stage").0)
        // (`occurrences` counts whole words; a key's colon makes `Stage:` another word.)
        #expect(parameter.components("Env") == 0 && parameter.components("Stage") == 5 && parameter.contains("  Stage: {Type: String}"))
        let mapping = try #require(Self.rename(Self.renamed, line: 6, character: 3, to: "Classes").0)
        #expect(mapping.components("Sizes") == 0 && mapping.components("Classes") == 1 && mapping.contains("  Classes:\n"))
        // Refused: a name taken, a name CloudFormation does not accept.
        #expect(Self.rename(Self.renamed, line: 9, character: 3, to: "Db").1?.contains("taken") == true)
        #expect(Self.rename(Self.renamed, line: 9, character: 3, to: "Env").1?.contains("taken") == true)
        #expect(Self.rename(Self.renamed, line: 9, character: 3, to: "my-role").1?.contains("not a valid name") == true)
        // prepareRename gives the name's range, and nothing on a word that names nothing.
        let session = Self.session()
        _ = SessionTests.open(session, Self.renamed)
        let prepared = Self.request(session, "textDocument/prepareRename", line: 19, character: 35)?["result"]
        #expect(prepared?["placeholder"]?.stringValue == "Role" && prepared?["range"]?["start"]?["character"]?.intValue == 33)
        if case .null? = Self.request(session, "textDocument/prepareRename", line: 22, character: 17)?["result"]?.kind {} else { Issue.record("the tag key Role is not a reference") }
    }

    @Test func renameInJSON() throws {
        let text = "{\n  \"Resources\": {\n    \"Queue\": {\"Type\": \"AWS::SQS::Queue\"},\n    \"Topic\": {\n      \"Type\": \"AWS::SNS::Topic\",\n      \"DependsOn\": \"Queue\",\n      \"Properties\": {\"DisplayName\": {\"Fn::Sub\": \"${Queue.QueueName}\"}, \"TopicName\": {\"Ref\": \"Queue\"}}\n    }\n  }\n}\n"
        let renamed = try #require(Self.rename(text, line: 2, character: 6, to: "Jobs").0)
        #expect(renamed == text.replacingOccurrences(of: "\"Queue\"", with: "\"Jobs\"").replacingOccurrences(of: "${Queue.", with: "${Jobs."), "\(renamed)")
    }

    /// Every code action on every rule's triggering examples leaves a template that reads, and
    /// adds no finding where it acted; a fix removes the finding it is offered for.
    @Test func everyCodeActionLeavesATemplateThatReads() throws {
        var applied = 0
        for rule in RuleRegistry.all {
            for example in rule.description.triggeringExamples {
                let text = example.replacingOccurrences(of: "↓", with: "")
                for json in [false, true] {
                    var source = text
                    if json {
                        guard let root = TemplateReader.read(Array(text.utf8), file: "e.yaml").root else { continue }
                        source = String(decoding: JSONWriter.write(root), as: UTF8.self)
                    }
                    let session = Self.session()
                    _ = session.receive(SessionTests.message("textDocument/didOpen", "{\"textDocument\": {\"uri\": \"\(Self.uri)\", \"languageId\": \"yaml\", \"version\": 1, \"text\": \(Self.json(.string(source)))}}"))
                    let before = session.publishPending().first?["params"]?["diagnostics"]?.arrayValue ?? []
                    let places = Set(before.map { Self.place($0) })
                    for diagnostic in before {
                        let params = "{\"textDocument\": {\"uri\": \"\(Self.uri)\"}, \"range\": \(Self.json(diagnostic["range"]!)), \"context\": {\"diagnostics\": [\(Self.json(diagnostic))]}}"
                        for action in session.receive(SessionTests.message("textDocument/codeAction", id: 3, params)).last?["result"]?.arrayValue ?? [] {
                            let edits = action["edit"]?["changes"]?[Self.uri]?.arrayValue ?? []
                            let after = Self.applying(edits, to: source)
                            let check = Self.session()
                            _ = check.receive(SessionTests.message("textDocument/didOpen", "{\"textDocument\": {\"uri\": \"\(Self.uri)\", \"languageId\": \"yaml\", \"version\": 1, \"text\": \(Self.json(.string(after)))}}"))
                            let found = check.publishPending().first?["params"]?["diagnostics"]?.arrayValue ?? []
                            let title = action["title"]?.stringValue ?? ""
                            let reads = !found.contains { $0["code"]?.stringValue?.hasPrefix("PS-") == true }
                            #expect(reads, "\(title) on \(rule.description.id) (\(json ? "JSON" : "YAML")):\n\(after)")
                            let new = found.filter { !places.contains(Self.place($0)) && $0["code"]?.stringValue != "SP-01" }.map { Self.place($0) }
                            #expect(new.isEmpty, "\(title) on \(rule.description.id) adds \(new):\n\(after)")
                            let left = found.contains { Self.place($0) == Self.place(diagnostic) }
                            #expect(!left, "\(title) leaves \(Self.place(diagnostic)):\n\(after)")
                            applied += 1
                        }
                    }
                }
            }
        }
        #expect(applied > 40, "\(applied) actions applied")
    }

    /// A finding's rule and logical path (its place, whatever lines an edit moved).
    static func place(_ diagnostic: Node) -> String {
        (diagnostic["code"]?.stringValue ?? "") + " " + (diagnostic["data"]?["path"]?.arrayValue?.compactMap(\.scalarText).joined(separator: "/") ?? "")
    }

    @Test func theLC02FixEditsThePoliciesThatAreThere() throws {
        let session = Self.session()
        let text = "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Snapshot\n    Properties:\n      Engine: postgres\n"
        let published = SessionTests.open(session, text)
        let lc02 = try #require(published.first?["params"]?["diagnostics"]?.arrayValue?.filter { $0["code"]?.stringValue == "LC-02" })
        let params = "{\"textDocument\": {\"uri\": \"\(Self.uri)\"}, \"range\": \(Self.json(lc02[0]["range"]!)), \"context\": {\"diagnostics\": \(Self.json(.array(lc02)))}}"
        let actions = session.receive(SessionTests.message("textDocument/codeAction", id: 3, params)).last?["result"]?.arrayValue ?? []
        let fix = try #require(actions.first { $0["title"]?.stringValue?.hasPrefix("Set DeletionPolicy") == true })
        #expect(actions.filter { $0["title"] == fix["title"] }.count == 1)
        let after = Self.applying(fix["edit"]?["changes"]?[Self.uri]?.arrayValue ?? [], to: text)
        #expect(after == "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    UpdateReplacePolicy: Delete\n    DeletionPolicy: Delete\n    Properties:\n      Engine: postgres\n", "\(after)")
    }

    @Test func formattingKeepsCommentsOrSaysWhyNot() throws {
        let session = Self.session()
        _ = SessionTests.open(session, "Resources:\n  # the topic\n  T:\n    Properties: {TopicName: x}  # named\n    Type: AWS::SNS::Topic\n")
        let reply = session.receive(SessionTests.message("textDocument/formatting", id: 4, "{\"textDocument\": {\"uri\": \"\(Self.uri)\"}, \"options\": {\"tabSize\": 2, \"insertSpaces\": true}}"))
        let text = try #require(reply.last?["result"]?.arrayValue?.first?["newText"]?.stringValue)
        #expect(text.contains("# the topic") && text.contains("# named"))
        let flow = Self.session()
        _ = SessionTests.open(flow, "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: x, # named\n      DisplayName: y}\n")
        let refused = flow.receive(SessionTests.message("textDocument/formatting", id: 4, "{\"textDocument\": {\"uri\": \"\(Self.uri)\"}, \"options\": {\"tabSize\": 2, \"insertSpaces\": true}}"))
        #expect(refused.last?["result"]?.arrayValue?.isEmpty == true)
        #expect(refused.first?["method"]?.stringValue == "window/showMessage" && refused.first?["params"]?["message"]?.stringValue?.contains("FMT-02") == true, "\(refused)")
    }

    @Test func hoverExplainsTheLanguageWithItsGuidePage() throws {
        let session = Self.session()
        let text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    DeletionPolicy: Delete\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub '${AWS::Region}'\n      DisplayName: !GetAtt Role.Arn\n"
        _ = SessionTests.open(session, text)
        func hover(_ line: Int, _ character: Int) -> String { Self.request(session, "textDocument/hover", line: line, character: character)?["result"]?["contents"]?["value"]?.stringValue ?? "" }
        #expect(hover(7, 19).contains("intrinsic-function-reference-sub.html"))
        #expect(hover(7, 25).contains("AWS::Region (pseudo parameter)") && hover(7, 25).contains("pseudo-parameter-reference.html"))
        #expect(hover(0, 2).contains("resources-section-structure.html"))
        #expect(hover(3, 6).contains("aws-attribute-deletionpolicy.html"))
        let attribute = hover(8, 33)
        #expect(attribute.contains("Role.Arn") && attribute.contains("string") && attribute.contains("aws-resource-iam-role.html#aws-resource-iam-role-return-values"), "\(attribute)")
    }
}

extension String {
    /// How many times `word` stands as a whole word.
    func components(_ word: String) -> Int {
        LanguageServerSession.occurrences(of: word, in: Array(unicodeScalars)).count
    }
}
