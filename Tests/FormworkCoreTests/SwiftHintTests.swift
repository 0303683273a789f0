@testable import FormworkCore
import FormworkTemplate
import Testing

/// Rules' hints in the Swift the user writes.
@Suite struct SwiftHintTests {
    static let property: [PathComponent] = [.key("Resources"), .key("Database"), .key("Properties"), .key("MultiAZ")]
    static let resource: [PathComponent] = [.key("Resources"), .key("Worker")]

    @Test(arguments: [
        ("MultiAZ: true", property, "set `$0.multiAZ = true`"),
        ("RetentionInDays: 7", resource, "set `$0.retentionInDays = 7`"),
        ("StorageType: gp3", property, "set `$0.storageType = \"gp3\"`"),
        ("rds.force_ssl: '1'", property, "in the template: rds.force_ssl: '1'"),
        ("DependsOn: WorkerLogs", resource, "pass `dependsOn: [workerLogs]` to `stack.add`"),
        ("write DeletionPolicy: Delete", resource, "pass `deletionPolicy: .delete` to `stack.add`"),
        ("use Delete", [.key("Resources"), .key("Database"), .key("DeletionPolicy")], "pass `deletionPolicy: .delete` to `stack.add`"),
        ("use ${AWS::AccountId}", property, "use `Pseudo.accountID` (in a string: `\"...\\(Pseudo.accountID)...\"`)"),
        ("use ${EnvironmentSuffix}", property, "use `environmentSuffix` (in a string: `\"...\\(environmentSuffix)...\"`)"),
        ("write arn:${AWS::Partition}:", property, "write `\"arn:\\(Pseudo.partition):\"`"),
        ("AlarmName: !Sub '<purpose>-${EnvironmentSuffix}'", resource, "set `$0.alarmName = \"<purpose>-\\(environmentSuffix)\"`"),
        ("KmsKeyId: !Ref YourKey", resource, "set `$0.kmsKeyId = yourKey.ref`"),
        ("AlarmActions: [!Ref AlertTopic]", resource, "set `$0.alarmActions = [alertTopic.ref]`"),
        ("MetadataOptions: {HttpTokens: required}", resource, "set `$0.metadataOptions = .init { $0.httpTokens = \"required\" }`"),
        ("Value: !Ref PrimaryDB", [.key("Outputs"), .key("Endpoint")], "in the template: Value: !Ref PrimaryDB"),
        ("MonitoringInterval: 60 with MonitoringRoleArn", resource, "in the template: MonitoringInterval: 60 with MonitoringRoleArn"),
        ("remove it", resource, "in the template: remove it"),
        ("add Tags: [{Key: Team, Value: ...}]", resource, "add the tag: `$0.tags = .tags([\"Team\": ...])` (or `.adding([...])` to tags already set)"),
        ("remove it", [.key("Resources"), .key("Worker"), .key("DependsOn")], "leave it out of `dependsOn:` in `stack.add`"),
    ] as [(String, [PathComponent], String)])
    func hintInSwift(hint: String, path: [PathComponent], expected: String) {
        #expect(SwiftPlace.hint(hint, path: path) == expected)
    }
}
