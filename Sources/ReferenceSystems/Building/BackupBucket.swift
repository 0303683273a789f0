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
        var bucket = S3.Bucket(
            bucketEncryption: S3.Bucket.BucketEncryption(serverSideEncryptionConfiguration: [S3.Bucket.ServerSideEncryptionRule(
                bucketKeyEnabled: true,
                serverSideEncryptionByDefault: S3.Bucket.ServerSideEncryptionByDefault(kmsMasterKeyID: JSON(key.arn), sseAlgorithm: "aws:kms"))]),
            // Globally unique: the account and region are part of the name.
            bucketName: "\(literal: system)-backups-\(Pseudo.accountID)-\(Pseudo.region)-\(suffix)",
            lifecycleConfiguration: S3.Bucket.LifecycleConfiguration(rules: [
                S3.Bucket.Rule(abortIncompleteMultipartUpload: S3.Bucket.AbortIncompleteMultipartUpload(daysAfterInitiation: 7),
                               id: "AbortIncompleteUploads", status: "Enabled"),
                S3.Bucket.Rule(id: "ExpireOldBackups", noncurrentVersionExpiration: S3.Bucket.NoncurrentVersionExpiration(noncurrentDays: 30),
                               status: "Enabled", transitions: [S3.Bucket.Transition(storageClass: "STANDARD_IA", transitionInDays: 30)]),
                S3.Bucket.Rule(expirationInDays: .literal(expireAfterDays), id: "ExpireCurrentVersions", status: "Enabled"),
            ]),
            publicAccessBlockConfiguration: S3.Bucket.PublicAccessBlockConfiguration(
                blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true),
            tags: tags(name: "backups"),
            versioningConfiguration: S3.Bucket.VersioningConfiguration(status: "Enabled"))
        if let target {
            let sourceArn: Value<String> = "arn:\(Pseudo.partition):s3:::\(literal: system)-backups-\(Pseudo.accountID)-\(Pseudo.region)-\(suffix)"
            let role = stack.add("BackupReplicationRole", IAM.Role(
                assumeRolePolicyDocument: Policies.trust("s3.amazonaws.com"),
                description: "Lets S3 replicate the backup bucket to the standby region",
                policies: [IAM.Role.Policy(policyDocument: Policies.document([
                    Policies.allow(["s3:GetReplicationConfiguration", "s3:ListBucket"], [sourceArn], sid: "ReadSourceConfiguration"),
                    Policies.allow(["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], ["\(sourceArn)/*"], sid: "ReadSourceObjects"),
                    Policies.allow(["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], ["\(target.bucketArn)/*"], sid: "WriteReplicas"),
                    Policies.allow(["kms:Decrypt"], [key.arn], sid: "DecryptSource"),
                    Policies.allow(["kms:Encrypt", "kms:GenerateDataKey"], [target.kmsKeyArn], sid: "EncryptReplicas"),
                ]), policyName: "replicate-backups")],
                roleName: name("backup-replication"),
                tags: tags(name: "backup-replication")))
            bucket.replicationConfiguration = S3.Bucket.ReplicationConfiguration(role: role.arn, rules: [S3.Bucket.ReplicationRule(
                deleteMarkerReplication: S3.Bucket.DeleteMarkerReplication(status: "Enabled"),
                destination: S3.Bucket.ReplicationDestination(
                    bucket: target.bucketArn,
                    encryptionConfiguration: S3.Bucket.EncryptionConfiguration(replicaKmsKeyID: target.kmsKeyArn)),
                filter: S3.Bucket.ReplicationRuleFilter(prefix: ""),
                id: "ReplicateEverything",
                priority: 1,
                sourceSelectionCriteria: S3.Bucket.SourceSelectionCriteria(sseKmsEncryptedObjects: S3.Bucket.SseKmsEncryptedObjects(status: "Enabled")),
                status: "Enabled")])
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
