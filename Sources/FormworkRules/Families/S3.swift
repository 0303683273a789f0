import FormworkRuleKit
import FormworkTemplate

/// S3-01: buckets are encrypted with a customer managed KMS key and S3 Bucket Keys.
struct BucketEncryption: Rule {
    static let description = RuleDescription(
        id: "S3-01", name: "bucket-encryption", family: .s3, severity: .error,
        rationale: "Backups and exports hold the database's data: encrypt them with SSE-KMS under a customer managed key (whose policy says who may decrypt, and which can be disabled), not S3-managed keys, and set BucketKeyEnabled so that S3 does not call KMS for every object (cost and request quotas).",
        peers: [.checkov("CKV_AWS_19"), .guardRule("S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"), .guardRule("S3_DEFAULT_ENCRYPTION_KMS"), .cfnNag("W41")],
        triggering: [
            "Resources:\n  ↓Bucket:\n    Type: AWS::S3::Bucket\n",
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ↓ServerSideEncryptionByDefault:\n              SSEAlgorithm: aws:kms\n              KMSMasterKeyID: !GetAtt Key.Arn\n  Key:\n    Type: AWS::KMS::Key\n",
        ],
        nonTriggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: aws:kms\n              KMSMasterKeyID: !GetAtt Key.Arn\n            BucketKeyEnabled: true\n  Key:\n    Type: AWS::KMS::Key\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for bucket in template.resources where bucket.type == "AWS::S3::Bucket" {
            let rules = Branches.items(bucket.properties?["BucketEncryption"]?["ServerSideEncryptionConfiguration"],
                                                Places.resourcePath(bucket, .key("Properties"), .key("BucketEncryption"), .key("ServerSideEncryptionConfiguration")))
            guard !rules.isEmpty else {
                context.report("\(bucket.logicalID) has no BucketEncryption: objects get S3-managed keys (SSE-S3), not a key whose policy you control",
                               at: bucket.keyLocation, path: Places.resourcePath(bucket), hint: "SSEAlgorithm: aws:kms with KMSMasterKeyID and BucketKeyEnabled: true")
                continue
            }
            for (rule, path) in rules {
                var problems: [String] = []
                let defaults = rule["ServerSideEncryptionByDefault"]
                let algorithms = context.literals(defaults?["SSEAlgorithm"]).map(\.text)
                if algorithms.contains(where: { $0 != "aws:kms" && $0 != "aws:kms:dsse" }) { problems.append("SSEAlgorithm \(algorithms.joined(separator: " or ")) is not aws:kms") }
                else if defaults?["KMSMasterKeyID"] == nil { problems.append("no KMSMasterKeyID: S3 uses the AWS managed key aws/s3, whose policy you cannot change") }
                if !context.always(rule["BucketKeyEnabled"], is: "true") { problems.append("BucketKeyEnabled is not true") }
                guard !problems.isEmpty else { continue }
                let place = rule.objectValue?.entries.first?.keyLocation ?? rule.location
                context.report("\(bucket.logicalID)'s encryption: \(problems.joined(separator: "; "))", at: place, path: path)
            }
        }
    }
}

/// S3-02: no public buckets.
struct NoPublicBuckets: Rule {
    static let description = RuleDescription(
        id: "S3-02", name: "no-public-buckets", family: .s3, severity: .error,
        rationale: "A bucket of backups or exports is never public: PublicAccessBlockConfiguration sets all four flags (so that no ACL or policy can open it later), and AccessControl is not PublicRead, PublicReadWrite or AuthenticatedRead.",
        cfnLint: [],
        peers: [.checkov("CKV_AWS_53"), .checkov("CKV_AWS_54"), .checkov("CKV_AWS_55"), .checkov("CKV_AWS_56"), .checkov("CKV_AWS_20"), .checkov("CKV_AWS_57"),
                .guardRule("S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED"), .guardRule("S3_BUCKET_PUBLIC_READ_PROHIBITED"), .guardRule("S3_BUCKET_PUBLIC_WRITE_PROHIBITED"), .cfnNag("F14"), .cfnNag("W31")],
        triggering: [
            "Resources:\n  ↓Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: ↓PublicRead\n",
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      PublicAccessBlockConfiguration:\n        ↓BlockPublicAcls: true\n        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n",
        ],
        nonTriggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      PublicAccessBlockConfiguration:\n        BlockPublicAcls: true\n        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n        RestrictPublicBuckets: true\n",
        ])

    static let flags = ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"]

    func check(_ template: Template, _ context: RuleContext) {
        for bucket in template.resources where bucket.type == "AWS::S3::Bucket" {
            let block = bucket.properties?["PublicAccessBlockConfiguration"]
            let open = Self.flags.filter { !context.always(block?[$0], is: "true") }
            if !open.isEmpty {
                let place = block?.objectValue?.entries.first?.keyLocation ?? bucket.keyLocation
                let path = block == nil ? Places.resourcePath(bucket) : Places.resourcePath(bucket, .key("Properties"), .key("PublicAccessBlockConfiguration"))
                context.report("\(bucket.logicalID)'s public access block leaves \(open.joined(separator: ", ")) unset or false", at: place, path: path,
                               hint: "PublicAccessBlockConfiguration with all four flags true")
            }
            for (text, node) in context.literals(bucket.properties?["AccessControl"]) where ["PublicRead", "PublicReadWrite", "AuthenticatedRead"].contains(text) {
                context.report("\(bucket.logicalID) has AccessControl \(text): its objects are readable outside the account", at: node.location,
                               path: Places.resourcePath(bucket, .key("Properties"), .key("AccessControl")))
            }
        }
    }
}

/// S3-03: buckets are versioned.
struct BucketVersioning: Rule {
    static let description = RuleDescription(
        id: "S3-03", name: "bucket-versioning", family: .s3, severity: .error,
        rationale: "Versioning keeps what an overwrite or a delete removed, which is what a backup bucket is for; replication needs it on both sides. Pair it with a lifecycle rule for noncurrent versions (S3-07).",
        peers: [.checkov("CKV_AWS_21"), .guardRule("S3_BUCKET_VERSIONING_ENABLED")],
        triggering: [
            "Resources:\n  ↓Bucket:\n    Type: AWS::S3::Bucket\n",
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration:\n        Status: ↓Suspended\n",
        ],
        nonTriggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration:\n        Status: Enabled\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for bucket in template.resources where bucket.type == "AWS::S3::Bucket" {
            guard let status = bucket.properties?["VersioningConfiguration"]?["Status"] else {
                context.report("\(bucket.logicalID) is not versioned: an overwrite or a delete loses the object", at: bucket.keyLocation, path: Places.resourcePath(bucket),
                               hint: "VersioningConfiguration: {Status: Enabled} with a LifecycleConfiguration that expires noncurrent versions (S3-07)")
                continue
            }
            for (text, node) in context.literals(status) where text != "Enabled" {
                context.report("\(bucket.logicalID)'s versioning is \(text)", at: node.location, path: Places.resourcePath(bucket, .key("Properties"), .key("VersioningConfiguration"), .key("Status")))
            }
        }
    }
}

/// S3-04: every bucket denies requests that are not over TLS.
struct BucketTLSOnly: Rule {
    static let description = RuleDescription(
        id: "S3-04", name: "bucket-tls-only", family: .s3, severity: .error,
        rationale: "S3 accepts plain HTTP unless the bucket policy denies it: a bucket policy must Deny every principal every s3 action when `aws:SecureTransport` is false, on the bucket and on its objects (`arn/*`).",
        acrossResources: true,
        peers: [.guardRule("S3_BUCKET_SSL_REQUESTS_ONLY"), .cfnNag("W51")],
        triggering: [
            "Resources:\n  ↓Bucket:\n    Type: AWS::S3::Bucket\n",
            "Resources:\n  ↓Bucket:\n    Type: AWS::S3::Bucket\n  Policy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Bucket\n      PolicyDocument:\n        Statement:\n          - Effect: Deny\n            Principal: '*'\n            Action: 's3:*'\n            Resource: !Sub '${Bucket.Arn}/*'\n            Condition: {Bool: {aws:SecureTransport: false}}\n",
        ],
        nonTriggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  Policy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Bucket\n      PolicyDocument:\n        Statement:\n          - Effect: Deny\n            Principal: '*'\n            Action: 's3:*'\n            Resource: [!GetAtt Bucket.Arn, !Sub '${Bucket.Arn}/*']\n            Condition: {Bool: {aws:SecureTransport: false}}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        // Which bucket policies name each bucket, and each policy's documents, found once: a
        // search per bucket over every resource and every document is quadratic (200 buckets
        // of an 800-resource template cost 165 M instructions a lint).
        var policiesOf: [String: Set<String>] = [:]
        for policy in template.resources where policy.type == "AWS::S3::BucketPolicy" {
            for target in ResourceReferences.targets(policy.properties?["Bucket"]) { policiesOf[target, default: []].insert(policy.logicalID) }
        }
        guard template.resources.contains(where: { $0.type == "AWS::S3::Bucket" }) else { return }
        var documentsOf: [String: [ParsedPolicy]] = [:]
        if !policiesOf.isEmpty {
            for document in context.policies where document.owner.type == "AWS::S3::BucketPolicy" {
                documentsOf[document.owner.logicalID, default: []].append(document)
            }
        }
        for bucket in template.resources where bucket.type == "AWS::S3::Bucket" {
            let policies = policiesOf[bucket.logicalID] ?? []
            var bucketCovered = false, objectsCovered = false
            for document in policies.sorted().flatMap({ documentsOf[$0] ?? [] }) {
                for statement in document.statements where statement.effect == .deny && statement.principal?.everyone == true
                    && (statement.mentions("s3:GetObject") && statement.mentions("s3:PutObject")) {
                    let tlsCondition = statement.conditions.contains { $0.key.lowercased() == "aws:securetransport" && $0.values.contains { $0.text?.lowercased() == "false" } }
                    guard tlsCondition else { continue }
                    for resource in statement.resources {
                        if resource.isWildcard { bucketCovered = true; objectsCovered = true; continue }
                        let names = resource.form == .reference(bucket.logicalID) || (resource.text?.has("${\(bucket.logicalID)") ?? false)
                        guard names else { continue }
                        if resource.text?.hasSuffix("/*") == true { objectsCovered = true } else { bucketCovered = true }
                    }
                }
            }
            guard !(bucketCovered && objectsCovered) else { continue }
            let missing = [bucketCovered ? nil : "the bucket", objectsCovered ? nil : "its objects"].compactMap { $0 }.joined(separator: " and ")
            context.report("\(bucket.logicalID) accepts requests without TLS: no bucket policy denies aws:SecureTransport false on \(missing)",
                           at: bucket.keyLocation, path: Places.resourcePath(bucket), hint: "a Deny of s3:* to Principal '*' with Condition {Bool: {aws:SecureTransport: false}}")
        }
    }
}

/// S3-05: bucket policies grant narrowly, and services only for this account's resources.
struct BucketPolicyGrants: Rule {
    static let description = RuleDescription(
        id: "S3-05", name: "bucket-policy-grants", family: .s3, severity: .error,
        rationale: "A bucket policy's Allow names its principals and actions: no `*` principal without a condition, no `*` or `s3:*` action. A service principal (export.rds.amazonaws.com, logging.s3.amazonaws.com, ...) acts for every AWS account, so its grant needs `aws:SourceAccount` or `aws:SourceArn` (the confused-deputy protection) or another account's resources can write here.",
        acrossResources: true,
        cfnLint: [],
        peers: [.guardRule("S3_BUCKET_POLICY_NO_WILDCARD_PRINCIPAL"), .guardRule("S3_BUCKET_POLICY_NO_WILDCARD_ACTION"), .cfnNag("F16"), .cfnNag("F15")],
        triggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  Policy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Bucket\n      PolicyDocument:\n        Statement:\n          - ↓Effect: Allow\n            Principal: {Service: export.rds.amazonaws.com}\n            Action: s3:PutObject\n            Resource: !Sub '${Bucket.Arn}/*'\n          - ↓Effect: Allow\n            Principal: '*'\n            Action: 's3:*'\n            Resource: !Sub '${Bucket.Arn}/*'\n",
        ],
        nonTriggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  Policy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Bucket\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {Service: export.rds.amazonaws.com}\n            Action: s3:PutObject\n            Resource: !Sub '${Bucket.Arn}/*'\n            Condition: {StringEquals: {aws:SourceAccount: !Ref 'AWS::AccountId'}}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for document in context.policies where document.owner.type == "AWS::S3::BucketPolicy" {
            for statement in document.statements where statement.isAllow {
                statement.reportBroadGrants(in: document, context)
            }
        }
    }
}


/// S3-07: lifecycle rules that work and cover versions and uploads.
struct BucketLifecycle: Rule {
    static let description = RuleDescription(
        id: "S3-07", name: "bucket-lifecycle", family: .s3, severity: .warning,
        rationale: "Backups grow until a lifecycle rule expires them: a versioned bucket expires noncurrent versions (or keeps every overwrite forever), some rule aborts incomplete multipart uploads (their parts are billed and invisible), rules are Enabled, transitions to STANDARD_IA or ONEZONE_IA wait at least 30 days (S3 refuses less), and transitions go to colder classes as days grow.",
        triggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: {Status: Enabled}\n      LifecycleConfiguration:\n        ↓Rules:\n          - Id: archive\n            Status: Enabled\n            Transitions:\n              - {TransitionInDays: 90, StorageClass: GLACIER}\n              - ↓{TransitionInDays: 10, StorageClass: STANDARD_IA}\n",
            "Resources:\n  ↓Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: {Status: Enabled}\n",
        ],
        nonTriggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: {Status: Enabled}\n      LifecycleConfiguration:\n        Rules:\n          - Id: archive\n            Status: Enabled\n            AbortIncompleteMultipartUpload: {DaysAfterInitiation: 7}\n            NoncurrentVersionExpiration: {NoncurrentDays: 90}\n            Transitions:\n              - {TransitionInDays: 30, StorageClass: STANDARD_IA}\n              - {TransitionInDays: 90, StorageClass: GLACIER}\n",
        ])

    /// Storage classes from warm to cold, as lifecycle transitions must go.
    static let coldness = ["STANDARD_IA": 1, "INTELLIGENT_TIERING": 1, "ONEZONE_IA": 2, "GLACIER_IR": 3, "GLACIER": 4, "DEEP_ARCHIVE": 5]

    func check(_ template: Template, _ context: RuleContext) {
        for bucket in template.resources where bucket.type == "AWS::S3::Bucket" {
            let versioned = context.always(bucket.properties?["VersioningConfiguration"]?["Status"], is: "Enabled")
            let lifecycle = bucket.properties?["LifecycleConfiguration"]
            guard let rulesNode = lifecycle?["Rules"] else {
                if versioned {
                    context.report("\(bucket.logicalID) is versioned without a lifecycle rule: noncurrent versions and incomplete uploads are kept and billed forever",
                                   at: bucket.keyLocation, path: Places.resourcePath(bucket), hint: "LifecycleConfiguration with NoncurrentVersionExpiration and AbortIncompleteMultipartUpload")
                }
                continue
            }
            let base = Places.resourcePath(bucket, .key("Properties"), .key("LifecycleConfiguration"), .key("Rules"))
            let rules = Branches.items(rulesNode, base)
            var problems: [String] = []
            if !rules.contains(where: { $0.0["AbortIncompleteMultipartUpload"] != nil }) { problems.append("no rule aborts incomplete multipart uploads") }
            if versioned, !rules.contains(where: { $0.0["NoncurrentVersionExpiration"] != nil || $0.0["NoncurrentVersionExpirationInDays"] != nil }) {
                problems.append("no rule expires noncurrent versions")
            }
            for (rule, _) in rules where context.literals(rule["Status"]).contains(where: { $0.text == "Disabled" }) {
                problems.append("rule \(rule["Id"]?.stringValue ?? "?") is Disabled")
            }
            if !problems.isEmpty {
                let place = lifecycle?.objectValue?.entry("Rules")?.keyLocation ?? rulesNode.location
                context.report("\(bucket.logicalID)'s lifecycle: \(problems.joined(separator: "; "))", at: place, path: base)
            }
            for (rule, path) in rules {
                var previous: (days: Double, coldness: Int)?
                for (index, transition) in (rule["Transitions"]?.arrayValue ?? []).enumerated() {
                    guard let storageClass = transition["StorageClass"]?.stringValue, let coldness = Self.coldness[storageClass],
                          let days = transition["TransitionInDays"]?.numberValue else { continue }
                    let here = path + [.key("Transitions"), .index(index)]
                    if (storageClass == "STANDARD_IA" || storageClass == "ONEZONE_IA") && days < 30 {
                        context.report("\(bucket.logicalID) moves objects to \(storageClass) after \(transition["TransitionInDays"]?.scalarText ?? "?") days: S3 requires at least 30", at: transition.location, path: here)
                    } else if let previous, previous.days >= days || previous.coldness >= coldness {
                        context.report("\(bucket.logicalID)'s transition to \(storageClass) after \(transition["TransitionInDays"]?.scalarText ?? "?") days does not follow a warmer class at fewer days", at: transition.location, path: here)
                    }
                    previous = (days, coldness)
                }
            }
        }
    }
}

/// S3-06: replication that works, and where the profile requires it.
struct BucketReplication: Rule {
    static let description = RuleDescription(
        id: "S3-06", name: "bucket-replication", family: .s3, severity: .error,
        rationale: "Cross-region backups need S3 replication that can work: ReplicationConfiguration with a role that may read the source (s3:GetReplicationConfiguration, s3:ListBucket, s3:GetObjectVersionForReplication) and write replicas (s3:ReplicateObject), the source versioned (and the destination, when it is in the template), a destination in another region, and for KMS-encrypted objects SourceSelectionCriteria.SseKmsEncryptedObjects with the destination's ReplicaKmsKeyID (otherwise encrypted objects are silently skipped). Teams that require replication of every bucket (seed 002) say so with `bucketReplication: required` in .formwork.yml.",
        acrossResources: true,
        peers: [.guardRule("S3_BUCKET_REPLICATION_ENABLED")],
        triggering: [
            "Resources:\n  Backups:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms, KMSMasterKeyID: !Ref Key}, BucketKeyEnabled: true}]\n      ↓ReplicationConfiguration:\n        Role: !GetAtt ReplicationRole.Arn\n        Rules:\n          - ↓Status: Enabled\n            Destination: {Bucket: arn:aws:s3:::backups-dr}\n  Key:\n    Type: AWS::KMS::Key\n  ReplicationRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: s3.amazonaws.com}, Action: sts:AssumeRole}]}\n",
            "Metadata:\n  formwork:\n    settings: {bucketReplication: required}\nResources:\n  ↓Backups:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: {Status: Enabled}\n",
        ],
        nonTriggering: [
            "Resources:\n  Backups:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: {Status: Enabled}\n      ReplicationConfiguration:\n        Role: !GetAtt ReplicationRole.Arn\n        Rules:\n          - Status: Enabled\n            Destination: {Bucket: arn:aws:s3:::backups-dr}\n  ReplicationRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: s3.amazonaws.com}, Action: sts:AssumeRole}]}\n      Policies:\n        - PolicyName: replicate\n          PolicyDocument:\n            Statement:\n              - {Effect: Allow, Action: [s3:GetReplicationConfiguration, s3:ListBucket], Resource: !GetAtt Backups.Arn}\n              - {Effect: Allow, Action: [s3:GetObjectVersionForReplication, s3:GetObjectVersionAcl], Resource: !Sub '${Backups.Arn}/*'}\n              - {Effect: Allow, Action: [s3:ReplicateObject, s3:ReplicateDelete], Resource: arn:aws:s3:::backups-dr/*}\n",
            "Resources:\n  Scratch:\n    Type: AWS::S3::Bucket\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for bucket in template.resources where bucket.type == "AWS::S3::Bucket" {
            guard let replication = bucket.properties?["ReplicationConfiguration"] else {
                if context.configuration.s3.bucketReplicationRequired {
                    context.report("\(bucket.logicalID) is not replicated to another region (bucketReplication: required)", at: bucket.keyLocation, path: Places.resourcePath(bucket),
                                   hint: "ReplicationConfiguration with a role and a destination bucket in another region")
                }
                continue
            }
            let path = Places.resourcePath(bucket, .key("Properties"), .key("ReplicationConfiguration"))
            var problems: [String] = []
            if !context.always(bucket.properties?["VersioningConfiguration"]?["Status"], is: "Enabled") { problems.append("the bucket is not versioned, which replication requires") }
            if replication["Role"] == nil {
                problems.append("no Role")
            } else if let role = ResourceReferences.targets(replication["Role"]).compactMap({ template.resource($0) }).first(where: { $0.type == "AWS::IAM::Role" }) {
                // The role reads the source's configuration and versions and writes replicas.
                let documents = context.identityPolicies(of: role.logicalID)
                let missing = ["s3:GetReplicationConfiguration", "s3:ListBucket", "s3:GetObjectVersionForReplication", "s3:ReplicateObject"].filter { action in
                    !documents.contains { $0.statements.contains { $0.allows(action) } }
                }
                if !missing.isEmpty { problems.append("its role \(role.logicalID) may not \(missing.joined(separator: ", "))") }
            }
            if !problems.isEmpty {
                let place = bucket.properties?.entry("ReplicationConfiguration")?.keyLocation ?? replication.location
                context.report("\(bucket.logicalID)'s replication cannot work: \(problems.joined(separator: "; "))", at: place, path: path)
            }
            let encrypted = Branches.items(bucket.properties?["BucketEncryption"]?["ServerSideEncryptionConfiguration"], []).contains { branch in
                context.literals(branch.0["ServerSideEncryptionByDefault"]?["SSEAlgorithm"]).contains { $0.text.hasPrefix("aws:kms") }
            }
            for (rule, rulePath) in Branches.items(replication["Rules"], path + [.key("Rules")]) {
                var missing: [String] = []
                if let destination = ResourceReferences.targets(rule["Destination"]?["Bucket"]).compactMap({ template.resource($0) }).first {
                    missing.append("a destination in another region (\(destination.logicalID) is in this stack's region)")
                    if !context.always(destination.properties?["VersioningConfiguration"]?["Status"], is: "Enabled") { missing.append("a versioned destination") }
                }
                if encrypted {
                    if !context.always(rule["SourceSelectionCriteria"]?["SseKmsEncryptedObjects"]?["Status"], is: "Enabled") { missing.append("SourceSelectionCriteria.SseKmsEncryptedObjects") }
                    if rule["Destination"]?["EncryptionConfiguration"]?["ReplicaKmsKeyID"] == nil { missing.append("Destination.EncryptionConfiguration.ReplicaKmsKeyID") }
                }
                guard !missing.isEmpty else { continue }
                context.report("\(bucket.logicalID)'s replication rule lacks \(missing.joined(separator: ", ")): KMS-encrypted objects are skipped otherwise",
                               at: rule.objectValue?.entries.first?.keyLocation ?? rule.location, path: rulePath)
            }
        }
    }
}
