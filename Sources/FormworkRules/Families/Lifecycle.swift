import FormworkRuleKit
import FormworkTemplate

/// LC-01: nothing is retained when the stack is deleted or a resource replaced.
struct NoRetainPolicies: Rule {
    static let description = RuleDescription(
        id: "LC-01", name: "no-retain-policies", family: .lifecycle, severity: .error,
        rationale: "Retain (and RetainExceptOnCreate) leave resources behind after the stack is deleted or a resource is replaced: test stacks must be destroyable without manual work, and orphans cost money and block the next deployment's names.",
        triggering: [
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    DeletionPolicy: ↓Retain\n    UpdateReplacePolicy: ↓RetainExceptOnCreate\n",
        ],
        nonTriggering: [
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n",
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources {
            for attribute in ["DeletionPolicy", "UpdateReplacePolicy"] {
                for candidate in context.values.candidates(resource.body[attribute]) {
                    guard case .literal(let value, _) = candidate, let policy = value.stringValue,
                          policy == "Retain" || policy == "RetainExceptOnCreate" else { continue }
                    context.report("\(resource.logicalID) has \(attribute) \(policy): the resource outlives the stack", at: value.location,
                                   path: Places.resourcePath(resource, .key(attribute)), hint: "use Delete")
                }
            }
        }
    }
}

/// LC-02: databases say Delete explicitly, because CloudFormation's default is Snapshot.
struct ExplicitDeleteOnDatabases: Rule {
    static let description = RuleDescription(
        id: "LC-02", name: "explicit-delete-on-databases", family: .lifecycle, severity: .error,
        rationale: "When DeletionPolicy is omitted, a standalone AWS::RDS::DBInstance or an AWS::RDS::DBCluster is deleted with a final snapshot (CloudFormation's DeletionPolicy doc), which outlives the stack; Snapshot written out does the same. Both policies must say Delete. Read replicas and cluster members are exempt: CloudFormation ignores their policies.",
        cfnLint: [],
        triggering: [
            "Resources:\n  ↓Primary:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n",
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: ↓Snapshot\n    UpdateReplacePolicy: ↓Snapshot\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n",
            "Resources:\n  Replica:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      SourceDBInstanceIdentifier: !Ref Primary\n",
            "Resources:\n  Member:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: !Ref Cluster\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.isStandaloneDatabase || resource.type == "AWS::RDS::DBCluster" {
            for attribute in ["DeletionPolicy", "UpdateReplacePolicy"] {
                guard let value = resource.body[attribute] else {
                    if attribute == "DeletionPolicy" || resource.body["DeletionPolicy"] != nil {
                        context.report("\(resource.logicalID) has no \(attribute): CloudFormation's default for \(resource.type ?? "a database") keeps a final snapshot",
                                       at: resource.keyLocation, path: Places.resourcePath(resource), hint: "write \(attribute): Delete")
                    }
                    continue
                }
                for candidate in context.values.candidates(value) {
                    if case .literal(let literal, _) = candidate, literal.stringValue == "Snapshot" {
                        context.report("\(resource.logicalID) has \(attribute) Snapshot: a final snapshot outlives the stack", at: literal.location,
                                       path: Places.resourcePath(resource, .key(attribute)), hint: "use Delete")
                    }
                }
            }
        }
    }
}

/// LC-03: no deletion protection on destroyable stacks (required under `production`).
struct DeletionProtection: Rule {
    static let description = RuleDescription(
        id: "LC-03", name: "deletion-protection", family: .lifecycle, severity: .error,
        rationale: "DeletionProtection makes stack deletion fail, so destroyable stacks must leave it off; the production profile requires it on instead. Every value the property can take is checked (parameter defaults and allowed values, both If branches).",
        triggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n    Properties:\n      DeletionProtection: ↓true\n",
            "Parameters:\n  Protect:\n    Type: String\n    AllowedValues: [↓'true', 'false']\nResources:\n  Cluster:\n    Type: AWS::RDS::DBCluster\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n    Properties:\n      DeletionProtection: !Ref Protect\n",
        ],
        nonTriggering: [
            "Resources:\n  Primary:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n    Properties:\n      DeletionProtection: false\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.type == "AWS::RDS::DBInstance" || resource.type == "AWS::RDS::DBCluster" {
            if resource.isClusterMember { continue }
            let path = Places.resourcePath(resource, .key("Properties"), .key("DeletionProtection"))
            let required = context.configuration.lifecycle.deletionProtectionRequired
            for candidate in context.values.candidates(resource.properties?["DeletionProtection"]) {
                switch candidate {
                case .literal(let value, let via):
                    let on = value.isTrue
                    if on && !required {
                        context.report("\(resource.logicalID) can have DeletionProtection true\(via.map { " (\($0))" } ?? ""): the stack cannot be deleted", at: value.location, path: path, hint: "leave it false or absent on destroyable stacks", via: via)
                    } else if !on && required {
                        context.report("\(resource.logicalID) can have DeletionProtection false\(via.map { " (\($0))" } ?? ""): the profile requires it", at: value.location, path: path, via: via)
                    }
                case .absent:
                    if required { context.report("\(resource.logicalID) has no DeletionProtection: the profile requires it", at: resource.keyLocation, path: path) }
                case .unresolved(let value, let reason):
                    context.report("\(resource.logicalID) DeletionProtection cannot be resolved (\(reason))", at: value.location, path: path)
                }
            }
        }
    }
}

/// LC-04: policies on a read replica do nothing.
struct ReplicaPolicies: Rule {
    static let description = RuleDescription(
        id: "LC-04", name: "replica-policies-ignored", family: .lifecycle, severity: .info,
        rationale: "CloudFormation ignores DeletionPolicy and UpdateReplacePolicy on a read replica (an instance with SourceDBInstanceIdentifier); writing them suggests a protection that does not exist.",
        triggering: [
            "Resources:\n  Replica:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: ↓Delete\n    Properties:\n      SourceDBInstanceIdentifier: !Ref Primary\n",
        ],
        nonTriggering: [
            "Resources:\n  Replica:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      SourceDBInstanceIdentifier: !Ref Primary\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.isReadReplica {
            for attribute in ["DeletionPolicy", "UpdateReplacePolicy"] where resource.body[attribute] != nil {
                context.report("\(attribute) on the read replica \(resource.logicalID) is ignored by CloudFormation", at: Places.attribute(resource, attribute),
                               path: Places.resourcePath(resource, .key(attribute)), hint: "remove it")
            }
        }
    }
}

extension Node {
    /// `true`, `"true"` (any case) as CloudFormation reads a boolean.
    var isTrue: Bool {
        switch kind {
        case .bool(let flag): return flag
        case .string(let text): return text.lowercased() == "true"
        default: return false
        }
    }
}

/// LC-07: KMS keys say how long they wait before deletion.
struct KeyPendingWindow: Rule {
    static let description = RuleDescription(
        id: "LC-07", name: "key-pending-window", family: .lifecycle, severity: .info,
        rationale: "A KMS key removed from a stack is scheduled for deletion after PendingWindowInDays (7 to 30, default 30): a destroyable stack says 7, so that the key does not linger a month.",
        cfnLint: [],
        triggering: [
            "Resources:\n  ↓Key:\n    Type: AWS::KMS::Key\n",
        ],
        nonTriggering: [
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      PendingWindowInDays: 7\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.type == "AWS::KMS::Key" && resource.properties?["PendingWindowInDays"] == nil {
            context.report("\(resource.logicalID) waits the default 30 days before deletion", at: resource.keyLocation,
                           path: Places.resourcePath(resource, .key("Properties"), .key("PendingWindowInDays")), hint: "PendingWindowInDays: 7")
        }
    }
}

/// LC-09: no object lock on buckets of destroyable stacks.
struct NoObjectLock: Rule {
    static let description = RuleDescription(
        id: "LC-09", name: "no-object-lock", family: .lifecycle, severity: .error,
        rationale: "Object Lock's default retention and legal holds stop a bucket from being emptied, so the stack cannot be deleted (cfn-guard's S3_BUCKET_DEFAULT_LOCK_ENABLED asks for the opposite).",
        triggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      ObjectLockEnabled: ↓true\n",
        ],
        nonTriggering: [
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: {Status: Enabled}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where resource.type == "AWS::S3::Bucket" {
            for candidate in context.values.candidates(resource.properties?["ObjectLockEnabled"]) {
                if case .literal(let value, _) = candidate, value.isTrue {
                    context.report("\(resource.logicalID) enables Object Lock: the bucket cannot be emptied, so the stack cannot be deleted", at: value.location,
                                   path: Places.resourcePath(resource, .key("Properties"), .key("ObjectLockEnabled")))
                }
            }
            if let lock = resource.properties?["ObjectLockConfiguration"], lock["Rule"] != nil {
                context.report("\(resource.logicalID) sets a default Object Lock retention", at: lock.location,
                               path: Places.resourcePath(resource, .key("Properties"), .key("ObjectLockConfiguration")))
            }
        }
    }
}

/// LC-05: a deletable bucket can be emptied without hands.
struct EmptiableBuckets: Rule {
    static let description = RuleDescription(
        id: "LC-05", name: "emptiable-buckets", family: .lifecycle, severity: .warning,
        rationale: "CloudFormation deletes only empty buckets: a bucket that holds objects (and, when versioned, old versions) makes stack deletion fail. Expire current and noncurrent versions with a lifecycle rule, or empty the bucket with a custom resource on delete.",
        acrossResources: true,
        triggering: [
            "Resources:\n  ↓Backups:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: {Status: Enabled}\n",
        ],
        nonTriggering: [
            "Resources:\n  Backups:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: {Status: Enabled}\n      LifecycleConfiguration:\n        Rules:\n          - Status: Enabled\n            ExpirationInDays: 7\n            NoncurrentVersionExpiration: {NoncurrentDays: 1}\n",
            "Resources:\n  Backups:\n    Type: AWS::S3::Bucket\n  EmptyBackups:\n    Type: Custom::EmptyBucket\n    Properties:\n      ServiceToken: !GetAtt Emptier.Arn\n      BucketName: !Ref Backups\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let emptied = Set(template.resources.filter { $0.type?.hasPrefix("Custom::") ?? false }.compactMap { custom -> String? in
            guard let function = custom.properties?["BucketName"]?.intrinsicValue ?? custom.properties?["Bucket"]?.intrinsicValue, function.name == .ref else { return nil }
            return function.argument.stringValue
        })
        for resource in template.resources where resource.type == "AWS::S3::Bucket" && !emptied.contains(resource.logicalID) {
            let policy = resource.body["DeletionPolicy"]?.stringValue ?? "Delete"
            guard policy == "Delete" else { continue }
            let properties = resource.properties ?? ObjectMap()
            let versioned = properties["VersioningConfiguration"]?["Status"]?.stringValue == "Enabled"
            let rules = (properties["LifecycleConfiguration"]?["Rules"]?.arrayValue ?? []).filter { $0["Status"]?.stringValue == "Enabled" }
            let expiresCurrent = rules.contains { $0["ExpirationInDays"] != nil || $0["ExpirationDate"] != nil }
            let expiresOld = rules.contains { $0["NoncurrentVersionExpiration"] != nil || $0["NoncurrentVersionExpirationInDays"] != nil }
            if !expiresCurrent || (versioned && !expiresOld) {
                context.report("\(resource.logicalID) can hold objects\(versioned ? " and old versions" : "") when the stack is deleted, and a bucket that is not empty cannot be deleted",
                               at: resource.keyLocation, path: Places.resourcePath(resource),
                               hint: "expire current\(versioned ? " and noncurrent" : "") objects with a lifecycle rule, or empty the bucket with a custom resource")
            }
        }
    }
}
