import FormworkTemplate

/// Where today's CloudFormation template reference says more than the 2023 User Guide table
/// (`../shared/data/update-behaviour.json`) and the registry, often by value: each verdict
/// names its page. They are consulted before the table; where the table disagrees, these are
/// the more destructive, and the reason says what the table said.
enum LaterDocumentation {
    static func verdict(type: String, path: [PathComponent], before: Node?, after: Node?) -> Verdict? {
        let keys = path.compactMap { component -> String? in
            if case .key(let key) = component { return key }
            return nil
        }
        switch (type, keys.first) {
        case ("AWS::EC2::VPC", "InstanceTenancy"?):
            // "Updating InstanceTenancy requires no replacement only if you are updating its
            // value from dedicated to default. Updating from default to dedicated requires
            // replacement."
            let old = before?.scalarText ?? "default", new = after?.scalarText ?? "default"
            if old == "dedicated", new == "default" {
                return Verdict(.none, "VPC page (template reference): InstanceTenancy dedicated -> default needs no replacement", .laterDocumentation)
            }
            if old == "default", new == "dedicated" {
                return Verdict(.will, "VPC page (template reference): InstanceTenancy \(old) -> \(new) requires replacement (the User Guide table of 2023 says Some interruptions: the more destructive wins)", .laterDocumentation)
            }
            return nil
        case ("AWS::Lambda::Version", "Description"?):
            return Verdict(.will, "Version page (template reference): Description, Update requires Replacement (the User Guide table of 2023 says No interruption: the more destructive wins)", .laterDocumentation)
        case ("AWS::OpenSearchService::Domain", "EncryptionAtRestOptions"?), ("AWS::Elasticsearch::Domain", "EncryptionAtRestOptions"?):
            // "If you change the KmsKeyId after it's set, the domain is replaced"; setting it
            // the first time (with encryption enabled) is an update.
            guard keys.count >= 2 ? keys[1] == "KmsKeyId" : true else { return nil }
            let oldKey = keys.count >= 2 ? before : before?["KmsKeyId"], newKey = keys.count >= 2 ? after : after?["KmsKeyId"]
            guard let oldKey, oldKey != newKey else { return nil }
            return Verdict(.will, "Domain page (template reference): EncryptionAtRestOptions KmsKeyId changed after it was set requires replacement (the User Guide table of 2023 says No interruption: the more destructive wins)", .laterDocumentation)
        default:
            return nil
        }
    }
}
