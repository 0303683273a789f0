import Formwork
import FormworkKMS

/// A customer-managed KMS key: rotated yearly (KM-01), deleted 7 days after the stack
/// (LC-07), administered by the account (KMS's default delegation: the account's IAM
/// policies decide who uses it), with an alias. Services that call KMS themselves (log
/// groups, alarms publishing to an encrypted topic) are added by the constructs that use
/// them, each scoped to this account (KM-02, KM-04).
public final class EncryptionKey {
    /// The key's handle (`arn`, `ref`).
    public let handle: ResourceHandle<KMS.Key>
    /// The key as it is rendered: set any property before synth.
    public var model: KMS.Key
    /// The key policy: grants append statements here.
    public var policy: PolicyDocument
    /// The alias (`alias/<system>-<purpose>-<suffix>`).
    public var alias: KMS.Alias
    private var grantedServices: Set<String> = []

    /// A key for `usedBy` (written in its description).
    public convenience init(_ scope: Scope, _ id: String, purpose: String, usedBy: String,
                file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        self.init(scope, id, purpose: purpose, usedBy: usedBy, at: CallSite(file: file, line: line, column: column))
    }

    /// A key for a construct that recorded its caller's place.
    init(_ scope: Scope, _ id: String, purpose: String, usedBy: String, at site: CallSite) {
        let handle = ResourceHandle<KMS.Key>(logicalID: id)
        self.handle = handle
        policy = [Statement(sid: "AccountAdministersTheKey", principals: [.thisAccount], actions: [IAMAction("kms:*")], resources: ["*"])]
        model = KMS.Key {
            $0.description = "\(literal: scope.system) \(literal: usedBy) (\(scope.suffix))"
            $0.enableKeyRotation = true
            $0.pendingWindowInDays = 7
            $0.tags = scope.tags(name: purpose)
        }
        alias = KMS.Alias(aliasName: "alias/\(literal: scope.system)-\(literal: purpose)-\(scope.suffix)", targetKeyId: handle.ref)
        scope.stack.finally { [self] in
            model.keyPolicy = policy
            scope.add(id, model, deletionPolicy: scope.deletionPolicy, updateReplacePolicy: scope.replacePolicy, at: site)
            scope.add("\(id)Alias", alias, at: site)
        }
    }

    /// The key's ARN.
    public var arn: Value<String> { handle.arn }

    /// Lets `grantee` encrypt and decrypt with the key: kms:Decrypt, kms:Encrypt and
    /// kms:GenerateDataKey on this key in its policy, and the same for its principal in the
    /// key policy.
    public func grantEncryptDecrypt(to grantee: Grantee) {
        let actions: [IAMAction] = [.kms.decrypt, .kms.encrypt, .kms.generateDataKey]
        grantee.allow(Statement(actions: actions, resources: [arn]))
        policy.add(Statement(principals: [grantee.principal], actions: actions, resources: ["*"]))
    }

    /// Lets `grantee` decrypt only (a consumer of encrypted messages).
    public func grantDecrypt(to grantee: Grantee) {
        grantee.allow(Statement(actions: [.kms.decrypt], resources: [arn]))
        policy.add(Statement(principals: [grantee.principal], actions: [.kms.decrypt], resources: ["*"]))
    }

    /// Lets a service that encrypts for this account's resources use the key: the data-key
    /// calls a publisher needs, for this account only (`aws:SourceAccount`). Granted once per
    /// `sid`.
    public func grantEncryptDecrypt(to service: ServicePrincipal, sid: String) {
        guard grantedServices.insert(sid).inserted else { return }
        policy.add(Statement(sid: sid, principals: [.service(service)], actions: [.kms.decrypt, .kms.generateDataKey], resources: ["*"],
                             conditions: [.sourceAccountIsThisAccount]))
    }

    /// Lets CloudWatch Logs encrypt this account's log groups with the key (LG-02, KM-04):
    /// `logs.<region>.amazonaws.com`, under the log-group encryption context.
    public func grantLogGroups() {
        guard grantedServices.insert("logs").inserted else { return }
        policy.add(Statement(sid: "LogGroupsOfThisAccount", principals: [.service(.logs)],
                             actions: [.kms.encrypt, .kms.decrypt, .kms.reEncryptFrom, .kms.reEncryptTo, .kms.generateDataKey,
                                       .kms.generateDataKeyWithoutPlaintext, .kms.describeKey],
                             resources: ["*"],
                             conditions: [.arnLike("kms:EncryptionContext:aws:logs:arn",
                                                   "arn:\(Pseudo.partition):logs:\(Pseudo.region):\(Pseudo.accountID):log-group:*")]))
    }
}
