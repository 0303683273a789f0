import FormworkLanguageServer
import FormworkRules
import FormworkSchemaData
import FormworkTemplate
import Testing

/// The session in process: messages in, messages out.
@Suite struct SessionTests {
    static let uri = "file:///tmp/formwork-lsp-session/template.yaml"

    static func message(_ method: String, id: Int? = nil, _ params: String) -> Node {
        let text = "{\"jsonrpc\": \"2.0\", " + (id.map { "\"id\": \($0), " } ?? "") + "\"method\": \"\(method)\", \"params\": \(params)}"
        return TemplateReader.readData(Array(text.utf8), file: "message.json")!
    }

    /// A session past `initialize` (before it, requests are refused).
    static func session() -> LanguageServerSession {
        let session = LanguageServerSession(profiles: .builtIn, registry: .shared)
        _ = session.receive(message("initialize", id: 0, "{\"capabilities\": {}}"))
        return session
    }

    static func open(_ session: LanguageServerSession, _ text: String) -> [Node] {
        let escaped = String(decoding: JSONWriter.compact(.string(text), spaced: false), as: UTF8.self)
        _ = session.receive(message("textDocument/didOpen", "{\"textDocument\": {\"uri\": \"\(uri)\", \"languageId\": \"yaml\", \"version\": 1, \"text\": \(escaped)}}"))
        return session.publishPending()
    }

    static func request(_ session: LanguageServerSession, _ method: String, line: Int, character: Int) -> Node? {
        session.receive(message(method, id: 7, "{\"textDocument\": {\"uri\": \"\(uri)\"}, \"position\": {\"line\": \(line), \"character\": \(character)}}")).last?["result"]
    }

    static let template = """
    Parameters:
      Name: {Type: String, Default: orders}
    Resources:
      Bucket:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Ref Name
      Topic:
        Type: AWS::SNS::Topic
        DependsOn: Bucket
        Properties:
          DisplayName: !GetAtt Bucket.Arn
          TopicName: !Sub '${Name}-topic'

    """

    @Test func lifecycleAndErrors() {
        let session = LanguageServerSession(profiles: .builtIn, registry: .shared)
        let initialize = session.receive(Self.message("initialize", id: 1, "{\"capabilities\": {}}"))
        #expect(initialize.first?["result"]?["capabilities"]?["textDocumentSync"]?["change"]?.intValue == 2)
        #expect(session.receive(Self.message("no/such", id: 2, "{}")).first?["error"]?["code"]?.intValue == -32601)
        #expect(session.receive(Self.message("shutdown", id: 3, "null")).first?["result"] != nil)
        #expect(session.receive(Self.message("textDocument/hover", id: 4, "{}")).first?["error"]?["code"]?.intValue == -32600)
        _ = session.receive(Self.message("exit", "null"))
        #expect(session.exitCode == 0)
    }

    @Test func incrementalEditsCountUTF16() throws {
        let session = Self.session()
        // An emoji is two UTF-16 units: the edit after it must land after it.
        _ = Self.open(session, "Description: \"🚀 x\"\nResources:\n  T:\n    Type: AWS::SNS::Topics\n")
        _ = session.receive(Self.message("textDocument/didChange", "{\"textDocument\": {\"uri\": \"\(Self.uri)\", \"version\": 2}, \"contentChanges\": [{\"range\": {\"start\": {\"line\": 0, \"character\": 17}, \"end\": {\"line\": 0, \"character\": 18}}, \"text\": \"y\"}, {\"range\": {\"start\": {\"line\": 3, \"character\": 25}, \"end\": {\"line\": 3, \"character\": 26}}, \"text\": \"\"}]}"))
        let published = session.publishPending()
        let diagnostics = try #require(published.first?["params"]?["diagnostics"]?.arrayValue)
        #expect(!diagnostics.contains { $0["code"]?.stringValue == "ST-03" }, "\(diagnostics)")
        let hover = Self.request(session, "textDocument/hover", line: 0, character: 1)
        #expect(hover != nil)
    }

    @Test func completionHoverAndNavigation() throws {
        let session = Self.session()
        _ = Self.open(session, Self.template)
        // Hover on a Ref target, on a property key, on a type.
        let ref = try #require(Self.request(session, "textDocument/hover", line: 6, character: 26)?["contents"]?["value"]?.stringValue)
        #expect(ref.contains("**Name**: parameter `String`") && ref.contains("Default `orders`"))
        let property = try #require(Self.request(session, "textDocument/hover", line: 6, character: 8)?["contents"]?["value"]?.stringValue)
        #expect(property.contains("AWS::S3::Bucket BucketName") && property.contains("create-only"))
        // Definition: the Ref, the GetAtt, the Sub variable, DependsOn.
        for (line, character, target) in [(6, 25, 1), (11, 30, 3), (12, 26, 1), (9, 17, 3)] {
            let found = Self.request(session, "textDocument/definition", line: line, character: character)
            #expect(found?["range"]?["start"]?["line"]?.intValue == target, "line \(line)")
        }
        // Completion of a Ref, of GetAtt attributes, of types and of intrinsic names.
        _ = session.receive(Self.message("textDocument/didChange", "{\"textDocument\": {\"uri\": \"\(Self.uri)\", \"version\": 2}, \"contentChanges\": [{\"range\": {\"start\": {\"line\": 13, \"character\": 0}, \"end\": {\"line\": 13, \"character\": 0}}, \"text\": \"  Queue:\\n    Type: AWS::SQS::Q\\n    Properties:\\n      QueueName: !Ref \\n      RedrivePolicy: !GetAtt Bu\\n\"}]}"))
        let labels = { (line: Int, character: Int) -> [String] in
            Self.request(session, "textDocument/completion", line: line, character: character)?["items"]?.arrayValue?.compactMap { $0["label"]?.stringValue } ?? []
        }
        #expect(labels(14, 21).contains("AWS::SQS::Queue"))
        #expect(!labels(14, 21).contains("AWS::SNS::Topic"))
        #expect(Set(labels(16, 22)).isSuperset(of: ["Name", "Bucket", "Topic", "AWS::Region"]))
        #expect(labels(17, 31).contains("Bucket.Arn") && !labels(17, 31).contains("Topic.TopicArn"))
        // Properties under the cursor's resource, and the symbols.
        let symbols = session.receive(Self.message("textDocument/documentSymbol", id: 9, "{\"textDocument\": {\"uri\": \"\(Self.uri)\"}}")).last?["result"]?.arrayValue ?? []
        #expect(symbols.compactMap { $0["name"]?.stringValue } == ["Parameters", "Resources"])
        let services = symbols.last?["children"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(services == ["S3", "SNS", "SQS"])
    }

    @Test func aSyntaxErrorBelowLeavesTheResourcesAboveJudged() throws {
        let session = Self.session()
        let published = Self.open(session, "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    DeletionPolicy: Retain\n  Topic:\n    Type: [AWS::SNS::Topic\n")
        let codes = try #require(published.first?["params"]?["diagnostics"]?.arrayValue).compactMap { $0["code"]?.stringValue }
        #expect(codes.contains("PS-01") && codes.contains("LC-01"), "\(codes)")
        #expect(!codes.contains("ST-01") && !codes.contains("NM-04"), "\(codes)")
    }

    @Test func quickFixAddsTheSuffixToANamer() throws {
        let session = Self.session()
        let text = "Parameters:\n  EnvironmentSuffix: {Type: String, AllowedPattern: '^[a-z0-9-]+$', MaxLength: 12}\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: backups # the bucket\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub 'alerts-${AWS::Region}'\n"
        let published = Self.open(session, text)
        let diagnostics = try #require(published.first?["params"]?["diagnostics"]?.arrayValue).filter { $0["code"]?.stringValue == "NM-01" }
        #expect(diagnostics.count == 2)
        let list = Node(.array(diagnostics))
        let params = "{\"textDocument\": {\"uri\": \"\(Self.uri)\"}, \"range\": {\"start\": {\"line\": 0, \"character\": 0}, \"end\": {\"line\": 11, \"character\": 0}}, \"context\": {\"diagnostics\": \(String(decoding: JSONWriter.compact(list, spaced: false), as: UTF8.self))}}"
        let actions = session.receive(Self.message("textDocument/codeAction", id: 5, params)).last?["result"]?.arrayValue ?? []
        let edits = actions.filter { $0["title"]?.stringValue?.hasPrefix("Add the suffix") == true }
            .compactMap { $0["edit"]?["changes"]?[Self.uri]?.arrayValue?.first?["newText"]?.stringValue }
        #expect(edits.sorted() == ["!Sub 'alerts-${AWS::Region}-${EnvironmentSuffix}'", "!Sub 'backups-${EnvironmentSuffix}'"], "\(edits)")
    }

    @Test func fuzzyMatching() {
        #expect(LanguageServerSession.fuzzy("dbinst", "AWS::RDS::DBInstance"))
        #expect(LanguageServerSession.fuzzy("", "anything"))
        #expect(!LanguageServerSession.fuzzy("xyz", "AWS::S3::Bucket"))
    }
}
