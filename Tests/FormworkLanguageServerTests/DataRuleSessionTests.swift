import Foundation
import FormworkLanguageServer
import FormworkRules
import FormworkSchemaData
import FormworkTemplate
import Testing

/// A data rule of the nearest `.formwork.yml` reaches the editor, at the value.
@Suite struct DataRuleSessionTests {
    @Test func aDataRuleIsPublishedAtTheValue() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formwork-lsp-data-rule-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "rules:\n  custom:\n    - {id: ORD-01, resourceTypes: AWS::SQS::Queue, property: MessageRetentionPeriod, operator: at least, value: 86400}\n"
            .write(toFile: folder + "/.formwork.yml", atomically: true, encoding: .utf8)
        let session = LanguageServerSession(profiles: .builtIn, registry: .shared)
        _ = session.receive(SessionTests.message("initialize", id: 0, "{\"capabilities\": {}}"))
        let text = "Resources:\n  Orders:\n    Type: AWS::SQS::Queue\n    Properties:\n      MessageRetentionPeriod: 60\n"
        let escaped = String(decoding: JSONWriter.compact(.string(text), spaced: false), as: UTF8.self)
        _ = session.receive(SessionTests.message("textDocument/didOpen",
            "{\"textDocument\": {\"uri\": \"file://\(folder)/t.yaml\", \"languageId\": \"yaml\", \"version\": 1, \"text\": \(escaped)}}"))
        let diagnostics = session.publishPending().flatMap { $0["params"]?["diagnostics"]?.arrayValue ?? [] }
        let finding = try #require(diagnostics.first { $0["code"]?.stringValue == "ORD-01" }, "\(diagnostics)")
        #expect(finding["range"]?["start"]?["line"]?.intValue == 4 && finding["range"]?["start"]?["character"]?.intValue == 30)
        #expect(finding["message"]?.stringValue?.contains("must be at least '86400'") == true)
    }
}
