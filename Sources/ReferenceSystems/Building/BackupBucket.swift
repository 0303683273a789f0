import Formwork
import FormworkIAM
import FormworkS3

/// Where a bucket replicates to: a bucket in another region and that region's key.
struct ReplicationTarget {
    var bucketArn: Value<String>
    var kmsKeyArn: Value<String>
}

extension SystemStack {
    /// A versioned, KMS-encrypted, TLS-only bucket for exports and backups that stack
    /// deletion can remove: lifecycle rules expire current and old versions (LC-05), and
    /// optionally replicate every object to another region.
    @discardableResult
    func backupBucket(key: EncryptionKey, expireAfterDays: Int = 365, replicateTo target: ReplicationTarget? = nil) -> ResourceHandle<S3.Bucket> {
        var bucket = S3.Bucket {
            // Globally unique: the account and region are part of the name.
            $0.bucketName = "\(literal: system)-backups-\(Pseudo.accountID)-\(Pseudo.region)-\(suffix)"
            $0.bucketEncryption = S3.Bucket.BucketEncryption(serverSideEncryptionConfiguration: [S3.Bucket.ServerSideEncryptionRule {
                $0.bucketKeyEnabled = true
                $0.serverSideEncryptionByDefault = S3.Bucket.ServerSideEncryptionByDefault(sseAlgorithm: .awsKms) { $0.kmsMasterKeyID = key.arn }
            }])
            $0.lifecycleConfiguration = S3.Bucket.LifecycleConfiguration(rules: [
                S3.Bucket.Rule(status: .enabled) {
                    $0.id = "AbortIncompleteUploads"
                    $0.abortIncompleteMultipartUpload = S3.Bucket.AbortIncompleteMultipartUpload(daysAfterInitiation: 7)
                },
                S3.Bucket.Rule(status: .enabled) {
                    $0.id = "ExpireOldBackups"
                    $0.noncurrentVersionExpiration = S3.Bucket.NoncurrentVersionExpiration(noncurrentDays: 30)
                    $0.transitions = [S3.Bucket.Transition(storageClass: .standardIa) { $0.transitionInDays = 30 }]
                },
                S3.Bucket.Rule(status: .enabled) { $0.id = "ExpireCurrentVersions"; $0.expirationInDays = .literal(expireAfterDays) },
            ])
            $0.publicAccessBlockConfiguration = S3.Bucket.PublicAccessBlockConfiguration {
                $0.blockPublicAcls = true
                $0.blockPublicPolicy = true
                $0.ignorePublicAcls = true
                $0.restrictPublicBuckets = true
            }
            $0.versioningConfiguration = S3.Bucket.VersioningConfiguration(status: .enabled)
            $0.tags = tags(name: "backups")
        }
        if let target {
            let sourceArn: Value<String> = "arn:\(Pseudo.partition):s3:::\(literal: system)-backups-\(Pseudo.accountID)-\(Pseudo.region)-\(suffix)"
            let role = stack.add("BackupReplicationRole", IAM.Role(assumeRolePolicyDocument: Policies.trust("s3.amazonaws.com")) {
                $0.description = "Lets S3 replicate the backup bucket to the standby region"
                $0.policies = [IAM.Role.Policy(policyDocument: Policies.document([
                    Policies.allow(["s3:GetReplicationConfiguration", "s3:ListBucket"], [sourceArn], sid: "ReadSourceConfiguration"),
                    Policies.allow(["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], ["\(sourceArn)/*"], sid: "ReadSourceObjects"),
                    Policies.allow(["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], ["\(target.bucketArn)/*"], sid: "WriteReplicas"),
                    Policies.allow(["kms:Decrypt"], [key.arn], sid: "DecryptSource"),
                    Policies.allow(["kms:Encrypt", "kms:GenerateDataKey"], [target.kmsKeyArn], sid: "EncryptReplicas"),
                ]), policyName: "replicate-backups")]
                $0.roleName = name("backup-replication")
                $0.tags = tags(name: "backup-replication")
            })
            let destination = S3.Bucket.ReplicationDestination(bucket: target.bucketArn) {
                $0.encryptionConfiguration = S3.Bucket.EncryptionConfiguration(replicaKmsKeyID: target.kmsKeyArn)
            }
            bucket.replicationConfiguration = S3.Bucket.ReplicationConfiguration(role: role.arn, rules: [S3.Bucket.ReplicationRule(destination: destination, status: .enabled) {
                $0.id = "ReplicateEverything"
                $0.priority = 1
                $0.filter = S3.Bucket.ReplicationRuleFilter { $0.prefix = "" }
                $0.deleteMarkerReplication = S3.Bucket.DeleteMarkerReplication { $0.status = .enabled }
                $0.sourceSelectionCriteria = S3.Bucket.SourceSelectionCriteria { $0.sseKmsEncryptedObjects = S3.Bucket.SseKmsEncryptedObjects(status: .enabled) }
            }])
        }
        let handle = stack.add("BackupBucket", bucket, deletionPolicy: .delete, updateReplacePolicy: .delete)
        stack.add("BackupBucketPolicy", S3.BucketPolicy(bucket: handle.ref, policyDocument: [
            "Version": "2012-10-17",
            "Statement": [[
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [JSON(handle.arn), JSON(Value<String>("\(handle.arn)/*"))],
                "Condition": ["Bool": ["aws:SecureTransport": "false"]],
            ]],
        ]))
        return handle
    }
}
