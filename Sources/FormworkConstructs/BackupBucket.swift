import Formwork
import FormworkIAM
import FormworkS3

/// A bucket for backups and exports: versioned (S3-03), encrypted with a customer-managed key
/// and a bucket key (S3-01), public access blocked (S3-02), TLS only (S3-04), lifecycle rules
/// that abort incomplete uploads and expire old and current versions so that the stack can be
/// deleted (S3-07, LC-05), and optionally replicated to another region with a role of its
/// own (S3-06).
public final class BackupBucket {
    /// Where a bucket replicates to: a bucket in another region and that region's key.
    public struct ReplicationTarget: Sendable {
        /// The destination bucket's ARN.
        public var bucketArn: Value<String>
        /// The destination region's key ARN.
        public var kmsKeyArn: Value<String>

        /// A destination bucket and its key.
        public init(bucketArn: Value<String>, kmsKeyArn: Value<String>) {
            self.bucketArn = bucketArn
            self.kmsKeyArn = kmsKeyArn
        }
    }

    /// The bucket's handle.
    public let handle: ResourceHandle<S3.Bucket>
    /// The bucket as it is rendered: set any property before synth.
    public var model: S3.Bucket
    /// The bucket policy: TLS only, and the grants' statements.
    public var policy: PolicyDocument
    /// The key the bucket is encrypted with.
    public let key: EncryptionKey
    /// The server access log bucket as it is rendered, where the profile wants access logs (S3-08).
    public var accessLogsModel: S3.Bucket?
    /// The access log bucket's policy: TLS only, and S3's log delivery for this bucket.
    public var accessLogsPolicy: PolicyDocument?
    /// The role S3 replicates with, when the bucket replicates (its `model` and `policy`).
    public private(set) var replicationRole: Role?

    /// A bucket `<system>-<purpose>-<account>-<region>-<suffix>` (bucket names are global).
    public init(_ scope: Scope, _ id: String, purpose: String = "backups", key: EncryptionKey, expireAfterDays: Int = 365,
                replicateTo target: ReplicationTarget? = nil,
                file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) {
        let site = CallSite(file: file, line: line, column: column)
        self.key = key
        let handle = ResourceHandle<S3.Bucket>(logicalID: id)
        self.handle = handle
        let bucketName: Value<String> = "\(literal: scope.system)-\(literal: purpose)-\(Pseudo.accountID)-\(Pseudo.region)-\(scope.suffix)"
        model = Self.bucket(scope, name: bucketName, purpose: purpose, key: key, expireAfterDays: expireAfterDays)
        // Where the profile wants server access logs (S3-08, production), a log bucket of the
        // same construction receives them; S3's log delivery may use the key and write there.
        let logsHandle = ResourceHandle<S3.Bucket>(logicalID: "\(id)AccessLogs")
        if scope.profile.logs.accessLoggingRequired {
            let logsName: Value<String> = "\(literal: scope.system)-\(literal: purpose)-logs-\(Pseudo.accountID)-\(Pseudo.region)-\(scope.suffix)"
            let delivery = ServicePrincipal("logging.s3.amazonaws.com")
            key.grantEncryptDecrypt(to: delivery, sid: "S3ServerAccessLogDelivery")
            accessLogsModel = Self.bucket(scope, name: logsName, purpose: "\(purpose)-logs", key: key, expireAfterDays: expireAfterDays)
            accessLogsPolicy = Self.tlsOnly(logsHandle).adding(Statement(sid: "S3ServerAccessLogDelivery", principals: [.service(delivery)], actions: [.s3.putObject],
                                                              resources: ["\(logsHandle.arn)/*"],
                                                              conditions: [.arnLike(.sourceArn, handle.arn), .sourceAccountIsThisAccount]))
            model.loggingConfiguration = S3.Bucket.LoggingConfiguration {
                $0.destinationBucketName = logsHandle.ref
                $0.logFilePrefix = .literal("\(purpose)/")
            }
        }
        policy = Self.tlsOnly(handle)
        if let target {
            let role = Role(scope, "\(id)ReplicationRole", purpose: "\(purpose)-replication", assumedBy: .s3,
                            description: "Lets S3 replicate the bucket to the standby region", at: site)
            replicationRole = role
            let sourceArn: Value<String> = "arn:\(Pseudo.partition):s3:::\(bucketName)"
            role.allow(Statement(sid: "ReadSourceConfiguration", actions: [.s3.getReplicationConfiguration, .s3.listBucket], resources: [sourceArn]))
            role.allow(Statement(sid: "ReadSourceObjects", actions: [.s3.getObjectVersionForReplication, .s3.getObjectVersionAcl, .s3.getObjectVersionTagging],
                                 resources: ["\(sourceArn)/*"]))
            role.allow(Statement(sid: "WriteReplicas", actions: [.s3.replicateObject, .s3.replicateDelete, .s3.replicateTags], resources: ["\(target.bucketArn)/*"]))
            role.allow(Statement(sid: "DecryptSource", actions: [.kms.decrypt], resources: [key.arn]))
            role.allow(Statement(sid: "EncryptReplicas", actions: [.kms.encrypt, .kms.generateDataKey], resources: [target.kmsKeyArn]))
            let destination = S3.Bucket.ReplicationDestination(bucket: target.bucketArn) {
                $0.encryptionConfiguration = S3.Bucket.EncryptionConfiguration(replicaKmsKeyID: target.kmsKeyArn)
            }
            model.replicationConfiguration = S3.Bucket.ReplicationConfiguration(role: role.arn, rules: [S3.Bucket.ReplicationRule(destination: destination, status: .enabled) {
                $0.id = "ReplicateEverything"
                $0.priority = 1
                $0.filter = S3.Bucket.ReplicationRuleFilter { $0.prefix = "" }
                $0.deleteMarkerReplication = S3.Bucket.DeleteMarkerReplication { $0.status = .enabled }
                $0.sourceSelectionCriteria = S3.Bucket.SourceSelectionCriteria { $0.sseKmsEncryptedObjects = S3.Bucket.SseKmsEncryptedObjects(status: .enabled) }
            }])
        }
        scope.stack.finally { [self] in
            if let accessLogsModel, let accessLogsPolicy {
                scope.add(logsHandle.logicalID, accessLogsModel, deletionPolicy: .delete, updateReplacePolicy: .delete, at: site)
                scope.add("\(logsHandle.logicalID)Policy", S3.BucketPolicy(bucket: logsHandle.ref, policyDocument: accessLogsPolicy), at: site)
            }
            scope.add(id, model, deletionPolicy: .delete, updateReplacePolicy: .delete, at: site)
            scope.add("\(id)Policy", S3.BucketPolicy(bucket: handle.ref, policyDocument: policy), at: site)
        }
    }

    /// A versioned, KMS-encrypted, private bucket whose lifecycle lets the stack delete it.
    static func bucket(_ scope: Scope, name: Value<String>, purpose: String, key: EncryptionKey, expireAfterDays: Int) -> S3.Bucket {
        S3.Bucket {
            $0.bucketName = name
            $0.bucketEncryption = S3.Bucket.BucketEncryption(serverSideEncryptionConfiguration: [S3.Bucket.ServerSideEncryptionRule {
                $0.bucketKeyEnabled = true
                $0.serverSideEncryptionByDefault = S3.Bucket.ServerSideEncryptionByDefault(sseAlgorithm: .awsKms) { $0.kmsMasterKeyID = key.arn }
            }])
            $0.lifecycleConfiguration = S3.Bucket.LifecycleConfiguration(rules: [
                S3.Bucket.Rule(status: .enabled) {
                    $0.id = "AbortIncompleteUploads"
                    $0.abortIncompleteMultipartUpload = S3.Bucket.AbortIncompleteMultipartUpload(daysAfterInitiation: 7)
                },
                S3.Bucket.Rule(status: .enabled) { $0.id = "ExpireOldVersions"; $0.noncurrentVersionExpiration = S3.Bucket.NoncurrentVersionExpiration(noncurrentDays: 30) },
                S3.Bucket.Rule(status: .enabled) { $0.id = "ExpireCurrentVersions"; $0.expirationInDays = .literal(expireAfterDays) },
            ])
            $0.publicAccessBlockConfiguration = S3.Bucket.PublicAccessBlockConfiguration {
                $0.blockPublicAcls = true
                $0.blockPublicPolicy = true
                $0.ignorePublicAcls = true
                $0.restrictPublicBuckets = true
            }
            $0.tags = scope.tags(name: purpose)
            $0.versioningConfiguration = S3.Bucket.VersioningConfiguration(status: .enabled)
        }
    }

    /// A bucket policy that denies every request not made over TLS (S3-04).
    static func tlsOnly(_ bucket: ResourceHandle<S3.Bucket>) -> PolicyDocument {
        [Statement(sid: "DenyInsecureTransport", .deny, principals: [.anyone], actions: [IAMAction("s3:*")],
                   resources: [bucket.arn, "\(bucket.arn)/*"], conditions: [.bool(.secureTransport, false)])]
    }

    /// The bucket's ARN.
    public var arn: Value<String> { handle.arn }
    /// The ARN of every object in the bucket (`<arn>/*`).
    public var objectsArn: Value<String> { "\(handle.arn)/*" }

    /// Lets `grantee` list the bucket and read its objects, on both sides: s3:ListBucket on
    /// the bucket and s3:GetObject on its objects in the grantee's policy and in the bucket
    /// policy, and decryption with the bucket's key.
    public func grantRead(to grantee: Grantee) {
        grantee.allow(Statement(actions: [.s3.listBucket], resources: [arn]))
        grantee.allow(Statement(actions: [.s3.getObject], resources: [objectsArn]))
        policy.add(Statement(principals: [grantee.principal], actions: [.s3.listBucket], resources: [arn]))
        policy.add(Statement(principals: [grantee.principal], actions: [.s3.getObject], resources: [objectsArn]))
        key.grantDecrypt(to: grantee)
    }

    /// Lets `grantee` write objects (s3:PutObject on the objects, both sides) encrypted with
    /// the bucket's key.
    public func grantWrite(to grantee: Grantee) {
        grantee.allow(Statement(actions: [.s3.putObject], resources: [objectsArn]))
        policy.add(Statement(principals: [grantee.principal], actions: [.s3.putObject], resources: [objectsArn]))
        grantee.allow(Statement(actions: [.kms.generateDataKey, .kms.decrypt], resources: [key.arn]))
    }
}
