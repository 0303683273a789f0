import FormworkRuleKit
import FormworkTemplate

/// What uses a template's keys, found once for the KMS and SNS rules.
struct KeyConsumers {
    /// A resource that encrypts with a key, through one of its properties.
    struct Consumer {
        var resource: Resource
        var property: [PathComponent]
        var value: Node
        /// The service that calls KMS for it: `logs`, `rds`, `s3`, ...
        var service: String
    }

    /// Property paths below Properties that name a KMS key, by type, with the calling service.
    static let keyProperties: [String: (service: String, paths: [[String]])] = [
        "AWS::Logs::LogGroup": ("logs", [["KmsKeyId"]]),
        "AWS::SNS::Topic": ("sns", [["KmsMasterKeyId"]]),
        "AWS::SQS::Queue": ("sqs", [["KmsMasterKeyId"]]),
        "AWS::RDS::DBInstance": ("rds", [["KmsKeyId"], ["PerformanceInsightsKMSKeyId"], ["MasterUserSecret", "KmsKeyId"]]),
        "AWS::RDS::DBCluster": ("rds", [["KmsKeyId"], ["PerformanceInsightsKmsKeyId"], ["MasterUserSecret", "KmsKeyId"]]),
        "AWS::SecretsManager::Secret": ("secretsmanager", [["KmsKeyId"]]),
        "AWS::Lambda::Function": ("lambda", [["KmsKeyArn"]]),
        "AWS::DynamoDB::Table": ("dynamodb", [["SSESpecification", "KMSMasterKeyId"]]),
        "AWS::EFS::FileSystem": ("elasticfilesystem", [["KmsKeyId"]]),
        "AWS::EC2::Volume": ("ec2", [["KmsKeyId"]]),
        "AWS::Backup::BackupVault": ("backup", [["EncryptionKeyArn"]]),
        "AWS::CloudTrail::Trail": ("cloudtrail", [["KMSKeyId"]]),
        "AWS::Kinesis::Stream": ("kinesis", [["StreamEncryption", "KeyId"]]),
    ]

    /// Consumers by key logical id.
    let byKey: [String: [Consumer]]

    init(_ template: Template) {
        let keys = Set(template.resources.filter { $0.type == "AWS::KMS::Key" }.map(\.logicalID))
        var found: [String: [Consumer]] = [:]
        func add(_ resource: Resource, _ value: Node?, _ path: [PathComponent], _ service: String) {
            guard let value else { return }
            for key in ResourceReferences.targets(value) where keys.contains(key) {
                found[key, default: []].append(Consumer(resource: resource, property: path, value: value, service: service))
            }
        }
        for resource in template.resources {
            guard let type = resource.type, let properties = resource.properties else { continue }
            if let entry = Self.keyProperties[type] {
                for path in entry.paths {
                    var value: Node? = .object(properties)
                    for key in path { value = value?[key] }
                    add(resource, value, [.key("Properties")] + path.map(PathComponent.key), entry.service)
                }
            }
            if type == "AWS::S3::Bucket" {
                for (rule, path) in Branches.items(properties["BucketEncryption"]?["ServerSideEncryptionConfiguration"], [.key("Properties"), .key("BucketEncryption"), .key("ServerSideEncryptionConfiguration")]) {
                    add(resource, rule["ServerSideEncryptionByDefault"]?["KMSMasterKeyID"], path + [.key("ServerSideEncryptionByDefault"), .key("KMSMasterKeyID")], "s3")
                }
            }
        }
        byKey = found
    }
}

extension String {
    /// A condition key pattern without its trailing `*` (`kms:EncryptionContext:`).
    var replacingStar: String { hasSuffix("*") ? String(dropLast()) : self }
}

extension PolicyStatement {
    /// Conditions that tie a service's use of a key to this account or to one service.
    static let keyScopeKeys = ["kms:ViaService", "kms:EncryptionContext:*", "kms:EncryptionContextKeys", "kms:CallerAccount", "kms:GrantIsForAWSResource",
                               "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID"]
}

extension ParsedPolicy {
    /// Whether the key policy lets the account's IAM policies decide (the default key policy:
    /// the account root allowed kms:* or the use of the key).
    var delegatesToAccount: Bool {
        statements.contains { statement in
            statement.isAllow && (statement.principal?.aws.contains(where: PolicyPrincipal.isAccount) ?? false) && statement.allows("kms:Decrypt")
        }
    }

    /// Whether a service principal (`logs.`, `cloudwatch.`, ...) may use the key for `actions`.
    func allowsService(_ prefix: String, _ actions: [String]) -> Bool {
        statements.contains { statement in
            (statement.principal?.serviceNames.contains { $0.hasPrefix(prefix + ".") } ?? false) && actions.allSatisfy(statement.allows)
        }
    }
}

/// KM-01: symmetric keys rotate.
struct KeyRotation: Rule {
    static let description = RuleDescription(
        id: "KM-01", name: "key-rotation", family: .kms, severity: .warning,
        rationale: "A symmetric customer managed key rotates its key material yearly when EnableKeyRotation is true (old material still decrypts old data); without it one key protects everything for ever. Teams whose conventions say otherwise (seed 001 turns rotation off for short-lived test stacks) disable the rule in .formwork.yml (`rules: {disable: [KM-01]}`). Asymmetric and HMAC keys cannot rotate and are not judged.",
        peers: [.checkov("CKV_AWS_7"), .guardRule("CMK_BACKING_KEY_ROTATION_ENABLED"), .cfnNag("F19")],
        triggering: [
            "Resources:\n  ↓Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy: {Statement: [{Effect: Allow, Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}, Action: 'kms:*', Resource: '*'}]}\n",
        ],
        nonTriggering: [
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n  Signing:\n    Type: AWS::KMS::Key\n    Properties:\n      KeySpec: ECC_NIST_P256\n      KeyUsage: SIGN_VERIFY\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for key in template.resources where key.type == "AWS::KMS::Key" {
            let specs = context.literals(key.properties?["KeySpec"]).map(\.text)
            guard specs.isEmpty || specs.contains("SYMMETRIC_DEFAULT") else { continue }
            guard !context.always(key.properties?["EnableKeyRotation"], is: "true") else { continue }
            let place = key.properties?["EnableKeyRotation"]?.location ?? key.keyLocation
            context.report("\(key.logicalID) does not rotate its key material (EnableKeyRotation is not true)", at: place, path: Places.resourcePath(key, .key("Properties")),
                           hint: "EnableKeyRotation: true")
        }
    }
}

/// KM-02: key policies grant narrowly, and only to services that use the key.
struct KeyPolicyGrants: Rule {
    static let description = RuleDescription(
        id: "KM-02", name: "key-policy-grants", family: .kms, severity: .error,
        rationale: "A key policy is the only thing between a principal and the key. No `*` principal without a condition; a service principal (logs, cloudwatch, events, rds, ...) acts for every account, so its grant is scoped by kms:ViaService, an encryption context (logs: kms:EncryptionContext:aws:logs:arn) or aws:SourceAccount/SourceArn; and a grant to a service that nothing in the template points at this key is a standing permission nobody needs (unless the key leaves the template: an exported output, which another stack imports, or a nested stack's parameter, or a grant's condition names the service's resources by a pattern, such as every trail of the account; what uses it there the template cannot show, so that grant is not judged). The account root's kms:* is the default delegation to IAM and is not judged here.",
        acrossResources: true,
        peers: [.checkov("CKV_AWS_33"), .guardRule("KMS_NO_WILDCARD_PRINCIPAL"), .cfnNag("F76")],
        triggering: [
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n      KeyPolicy:\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}\n            Action: 'kms:*'\n            Resource: '*'\n          - ↓Effect: Allow\n            Principal: {Service: logs.amazonaws.com}\n            Action: [kms:Encrypt*, kms:Decrypt*, kms:GenerateDataKey*]\n            Resource: '*'\n",
        ],
        nonTriggering: [
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n      KeyPolicy:\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}\n            Action: 'kms:*'\n            Resource: '*'\n          - Effect: Allow\n            Principal: {Service: cloudtrail.amazonaws.com}\n            Action: kms:GenerateDataKey*\n            Resource: '*'\n            Condition: {StringLike: {'kms:EncryptionContext:aws:cloudtrail:arn': !Sub 'arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*'}}\nOutputs:\n  TrailKeyArn:\n    Value: !GetAtt Key.Arn\n    Export: {Name: trail-key-arn}\n",
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n      KeyPolicy:\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}\n            Action: 'kms:*'\n            Resource: '*'\n          - Effect: Allow\n            Principal: {Service: !Sub 'logs.${AWS::Region}.amazonaws.com'}\n            Action: [kms:Encrypt*, kms:Decrypt*, kms:GenerateDataKey*]\n            Resource: '*'\n            Condition: {ArnLike: {'kms:EncryptionContext:aws:logs:arn': !Sub 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*'}}\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: 7\n      KmsKeyId: !GetAtt Key.Arn\n",
        ])

    /// The consumers (by KeyConsumers' service) a service principal's grant serves.
    static let principalServes: [String: [String]] = [
        "logs": ["logs"], "delivery.logs": ["logs", "s3"], "rds": ["rds"], "secretsmanager": ["secretsmanager"], "s3": ["s3"], "sqs": ["sqs"], "sns": ["sns", "sqs"],
        "lambda": ["lambda"], "dynamodb": ["dynamodb"], "elasticfilesystem": ["elasticfilesystem"], "backup": ["backup"], "cloudtrail": ["cloudtrail"],
        "kinesis": ["kinesis"], "cloudwatch": ["sns"], "events": ["sns", "sqs"], "events.rds": ["sns"], "export.rds": ["rds", "s3"],
    ]

    func check(_ template: Template, _ context: RuleContext) {
        let consumers = context.keyConsumers
        let leaving = Self.keysLeavingTheTemplate(template)
        for document in context.policies where document.owner.type == "AWS::KMS::Key" {
            let used = Set((consumers.byKey[document.owner.logicalID] ?? []).map(\.service))
            let usedElsewhere = leaving.contains(document.owner.logicalID)
            // A grant whose condition names the service's resources by a pattern (every trail of
            // the account, every log group) is made for resources anywhere in the account.
            let servedByPattern = Set(document.statements.filter { statement in
                statement.isAllow && statement.conditions.contains { condition in
                    PolicyStatement.keyScopeKeys.contains { condition.key.lowercased().hasPrefix($0.lowercased().replacingStar) } && condition.values.contains { $0.text?.hasSuffix("*") == true }
                }
            }.flatMap { $0.principal?.serviceNames ?? [] })
            for statement in document.statements where statement.isAllow {
                guard let principal = statement.principal else { continue }
                var problems: [String] = []
                if principal.everyone, statement.conditions.isEmpty { problems.append("allows anyone (Principal '*') without a condition") }
                let services = principal.serviceNames
                if !services.isEmpty, !statement.hasCondition(on: PolicyStatement.keyScopeKeys) {
                    problems.append("grants \(services.joined(separator: ", ")) without kms:ViaService, an encryption context or aws:SourceAccount")
                }
                let unused = usedElsewhere ? [] : services.filter { service in
                    guard !servedByPattern.contains(service) else { return false }
                    let name = Self.serviceName(service)
                    guard let serves = Self.principalServes[name] else { return false }
                    return !serves.contains(where: used.contains)
                }
                if !unused.isEmpty { problems.append("grants \(unused.joined(separator: ", ")), but nothing in the template of that service uses the key") }
                guard !problems.isEmpty else { continue }
                context.report("\(statement.named(in: document)) \(problems.joined(separator: "; "))", at: statement.location, path: statement.path)
            }
        }
    }

    /// Keys that another stack may use: named by an exported output or passed to a nested stack.
    static func keysLeavingTheTemplate(_ template: Template) -> Set<String> {
        var found = Set<String>()
        for output in template.outputs?.entries ?? [] where output.value["Export"] != nil { found.formUnion(ResourceReferences.targets(output.value["Value"])) }
        for stack in template.resources where stack.type == "AWS::CloudFormation::Stack" || stack.type == "AWS::Serverless::Application" {
            found.formUnion(ResourceReferences.targets(stack.properties?["Parameters"]))
        }
        return found
    }

    /// `logs.us-east-1.amazonaws.com` and `logs.${AWS::Region}.amazonaws.com` -> `logs`;
    /// `export.rds.amazonaws.com` -> `export.rds`.
    static func serviceName(_ principal: String) -> String {
        var parts = principal.split(separator: ".").map(String.init)
        if parts.count >= 2, parts.suffix(2) == ["amazonaws", "com"] { parts.removeLast(2) }
        parts.removeAll { $0.contains("${") || $0.filter { $0 == "-" }.count >= 2 }
        return parts.joined(separator: ".")
    }
}

/// KM-03: aliases name a key of the template, under the team's prefix.
struct KeyAliases: Rule {
    static let description = RuleDescription(
        id: "KM-03", name: "key-aliases", family: .kms, severity: .error,
        rationale: "`alias/aws/` is reserved for AWS managed keys (creating one fails), and an alias whose TargetKeyId is a literal id points at a key the stack does not manage: it keeps pointing there after the template's key is replaced. Target the template's key with Ref or GetAtt, or a parameter.",
        acrossResources: true,
        cfnLint: [],
        triggering: [
            "Resources:\n  Alias:\n    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: ↓alias/aws/orders\n      TargetKeyId: ↓1234abcd-12ab-34cd-56ef-1234567890ab\n",
        ],
        nonTriggering: [
            "Parameters:\n  EnvironmentSuffix: {Type: String}\nResources:\n  Key:\n    Type: AWS::KMS::Key\n  Alias:\n    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: !Sub 'alias/orders-${EnvironmentSuffix}'\n      TargetKeyId: !Ref Key\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for alias in template.resources where alias.type == "AWS::KMS::Alias" {
            for text in PolicyText.expand(alias.properties?["AliasName"], values: context.values, resources: []) where text.text?.hasPrefix("alias/aws/") == true {
                context.report("\(alias.logicalID)'s name \(text.text!) is in the prefix AWS reserves for its managed keys", at: text.node.location,
                               path: Places.resourcePath(alias, .key("Properties"), .key("AliasName")))
            }
            if let target = alias.properties?["TargetKeyId"], let text = target.stringValue {
                context.report("\(alias.logicalID) targets the literal key \(text): not a key this stack manages", at: target.location,
                               path: Places.resourcePath(alias, .key("Properties"), .key("TargetKeyId")), hint: "TargetKeyId: !Ref YourKey")
            }
        }
    }
}

/// KM-04: every consumer of a template's key may use it.
struct KeyConsumersAllowed: Rule {
    static let description = RuleDescription(
        id: "KM-04", name: "key-consumers-allowed", family: .kms, severity: .warning,
        rationale: "Encrypting with a customer managed key only works when the one calling KMS may use it: CloudWatch Logs calls KMS itself, so the key policy must grant logs.<region>.amazonaws.com; an encrypted SNS topic that alarms (or EventBridge rules) publish to needs cloudwatch.amazonaws.com (events.amazonaws.com) granted kms:GenerateDataKey* and kms:Decrypt, or notifications are dropped silently; a role that writes or reads a bucket encrypted with the key needs kms:GenerateDataKey or kms:Decrypt on it; and services that use the caller's permissions (RDS, Secrets Manager, S3) need the key policy to delegate to the account's IAM policies.",
        acrossResources: true,
        triggering: [
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n      KeyPolicy: {Statement: [{Effect: Allow, Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}, Action: 'kms:*', Resource: '*'}]}\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: ↓!Ref Key\n  Alarm:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      AlarmActions: [!Ref Topic]\n",
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: !Ref Key\n  Notifier:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n      Policies:\n        - PolicyName: notify\n          PolicyDocument:\n            Statement:\n              - ↓Effect: Allow\n                Action: sns:Publish\n                Resource: !Ref Topic\n",
        ],
        nonTriggering: [
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n      KeyPolicy:\n        Statement:\n          - {Effect: Allow, Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}, Action: 'kms:*', Resource: '*'}\n          - {Effect: Allow, Principal: {Service: cloudwatch.amazonaws.com}, Action: [kms:Decrypt, kms:GenerateDataKey*], Resource: '*', Condition: {StringEquals: {aws:SourceAccount: !Ref 'AWS::AccountId'}}}\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: !Ref Key\n  Alarm:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      AlarmActions: [!Ref Topic]\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let consumers = context.keyConsumers
        let keyPolicies = Dictionary(context.policies.filter { $0.owner.type == "AWS::KMS::Key" }.map { ($0.owner.logicalID, $0) }, uniquingKeysWith: { a, _ in a })
        for (key, uses) in consumers.byKey.sorted(by: { $0.key < $1.key }) {
            guard let policy = keyPolicies[key] else { continue }  // no KeyPolicy: the default, which delegates to the account
            for use in uses {
                var missing: [String] = []
                switch use.service {
                case "logs":
                    if !policy.allowsService("logs", ["kms:GenerateDataKey", "kms:Decrypt"]) { missing.append("logs.<region>.amazonaws.com kms:GenerateDataKey* and kms:Decrypt") }
                case "sns":
                    let publishers = Self.publishers(to: use.resource, in: template)
                    for publisher in publishers.sorted() where !policy.allowsService(publisher, ["kms:GenerateDataKey", "kms:Decrypt"]) {
                        missing.append("\(publisher).amazonaws.com kms:GenerateDataKey* and kms:Decrypt (it publishes to \(use.resource.logicalID))")
                    }
                case "rds", "secretsmanager", "s3":
                    if !policy.delegatesToAccount { missing.append("the account's IAM policies (the key policy does not delegate to the account root)") }
                default: break
                }
                guard !missing.isEmpty else { continue }
                context.report("\(use.resource.logicalID) encrypts with \(key), whose policy does not allow \(missing.joined(separator: "; "))",
                               at: use.value.location, path: [.key("Resources"), .key(use.resource.logicalID)] + use.property)
            }
        }
        reportRolesWithoutKeyAccess(template, context, consumers)
    }

    /// The services that publish to a topic: CloudWatch for alarms, EventBridge for rules.
    static func publishers(to topic: Resource, in template: Template) -> Set<String> {
        var found = Set<String>()
        for resource in template.resources {
            switch resource.type {
            case "AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm":
                if ["AlarmActions", "OKActions", "InsufficientDataActions"].contains(where: { ResourceReferences.names(resource.properties?[$0], topic.logicalID) }) { found.insert("cloudwatch") }
            case "AWS::Events::Rule":
                if ResourceReferences.names(resource.properties?["Targets"], topic.logicalID) { found.insert("events") }
            case "AWS::RDS::EventSubscription":
                if ResourceReferences.names(resource.properties?["SnsTopicArn"], topic.logicalID) { found.insert("events.rds") }
            default: break
            }
        }
        return found
    }

    /// A role allowed to write (read) a bucket's objects, or to publish to a topic, that a
    /// key of the template encrypts needs kms:GenerateDataKey (kms:Decrypt) on the key,
    /// unless the key policy names the role.
    func reportRolesWithoutKeyAccess(_ template: Template, _ context: RuleContext, _ consumers: KeyConsumers) {
        struct Encrypted {
            var logicalID: String
            var keys: [String]
            var isTopic: Bool
        }
        var encrypted: [String: Encrypted] = [:]
        for (key, uses) in consumers.byKey {
            for use in uses where use.service == "s3" || use.service == "sns" {
                encrypted[use.resource.logicalID, default: Encrypted(logicalID: use.resource.logicalID, keys: [], isTopic: use.service == "sns")].keys.append(key)
            }
        }
        guard !encrypted.isEmpty else { return }
        let identity = context.policies.filter { $0.kind == .identity }
        for document in identity {
            let holders = document.roles
            for statement in document.statements where statement.isAllow {
                for target in encrypted.values.sorted(by: { $0.logicalID < $1.logicalID }) {
                    var needs: [String] = []
                    if target.isTopic {
                        let named = statement.resources.contains { $0.isWildcard || $0.form == .reference(target.logicalID) || $0.text?.has("${\(target.logicalID)}") == true }
                        if named, statement.allows("sns:Publish") { needs = ["kms:GenerateDataKey", "kms:Decrypt"] }
                    } else {
                        let onObjects = statement.resources.contains { $0.text?.has("${\(target.logicalID)") == true && $0.text?.hasSuffix("/*") == true }
                        if onObjects, statement.allows("s3:PutObject") { needs.append("kms:GenerateDataKey") }
                        if onObjects, statement.allows("s3:GetObject") { needs.append("kms:Decrypt") }
                    }
                    guard !needs.isEmpty else { continue }
                    for key in target.keys.sorted() {
                        let keyPolicy = context.policies.first { $0.owner.logicalID == key && $0.kind == .resource }
                        let missing = needs.filter { action in
                            let byRole = identity.contains { other in
                                !other.roles.isDisjoint(with: holders) && other.statements.contains { granted in
                                    granted.allows(action) && granted.resources.contains { $0.isWildcard || $0.form == .reference(key) || $0.text?.has("${\(key)") == true }
                                }
                            }
                            let byKey = keyPolicy?.statements.contains { granted in
                                granted.allows(action) && (granted.principal?.aws.contains { principal in holders.contains { principal.form == .reference($0) } } ?? false)
                            } ?? false
                            return !byRole && !byKey
                        }
                        guard !missing.isEmpty else { continue }
                        let what = target.isTopic ? "may publish to \(target.logicalID)" : "may use \(target.logicalID)'s objects"
                        context.report("\(document.owner.logicalID) \(what), but not use its key \(key) (\(missing.joined(separator: ", "))): the requests fail",
                                       at: statement.location, path: statement.path)
                    }
                }
            }
        }
    }
}

/// SM-01: database credentials are managed by RDS, not by a secret in the template.
struct ManagedDatabaseCredentials: Rule {
    static let description = RuleDescription(
        id: "SM-01", name: "managed-database-credentials", family: .secrets, severity: .warning,
        rationale: "A template that creates a secret for a database's master password and resolves it into MasterUserPassword owns the password's rotation, its key and its teardown; ManageMasterUserPassword: true makes RDS create, rotate and delete the secret (seed 003: fetch credentials, never create them in code).",
        acrossResources: true,
        triggering: [
            "Resources:\n  ↓Password:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      GenerateSecretString: {GenerateStringKey: password, SecretStringTemplate: '{\"username\": \"app\"}'}\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUsername: app\n      MasterUserPassword: !Sub '{{resolve:secretsmanager:${Password}:SecretString:password}}'\n",
        ],
        nonTriggering: [
            "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUsername: app\n      ManageMasterUserPassword: true\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let databases = template.resources.filter { $0.type == "AWS::RDS::DBInstance" || $0.type == "AWS::RDS::DBCluster" }
        for secret in template.resources where secret.type == "AWS::SecretsManager::Secret" {
            let users = databases.filter { ResourceReferences.names($0.properties?["MasterUserPassword"], secret.logicalID) }.map(\.logicalID)
            guard !users.isEmpty else { continue }
            context.report("\(secret.logicalID) holds the master password of \(users.joined(separator: ", ")): let RDS manage it (ManageMasterUserPassword: true)",
                           at: secret.keyLocation, path: Places.resourcePath(secret))
        }
    }
}

/// SM-02: secrets are encrypted with a customer managed key and generated, never written.
struct SecretContents: Rule {
    static let description = RuleDescription(
        id: "SM-02", name: "secret-contents", family: .secrets, severity: .warning,
        rationale: "A secret is encrypted with the AWS managed key aws/secretsmanager unless KmsKeyId names a customer managed key (whose policy says who may decrypt, across accounts too); and a SecretString written in the template is in every copy of it: generate the value (GenerateSecretString).",
        cfnLint: [],
        peers: [.checkov("CKV_AWS_149"), .guardRule("SECRETSMANAGER_USING_CMK"), .cfnNag("W77")],
        triggering: [
            "Resources:\n  ↓Token:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      SecretString: ↓hunter2hunter2\n",
        ],
        nonTriggering: [
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n  Token:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      KmsKeyId: !Ref Key\n      GenerateSecretString: {PasswordLength: 32}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for secret in template.resources where secret.type == "AWS::SecretsManager::Secret" {
            if secret.properties?["KmsKeyId"] == nil {
                context.report("\(secret.logicalID) is encrypted with the AWS managed key (no KmsKeyId)", at: secret.keyLocation, path: Places.resourcePath(secret), hint: "KmsKeyId: !Ref YourKey")
            }
            if let value = secret.properties?["SecretString"], case .string = value.kind {
                context.report("\(secret.logicalID)'s SecretString is written in the template: generate it (GenerateSecretString)", at: value.location,
                               path: Places.resourcePath(secret, .key("Properties"), .key("SecretString")))
            }
        }
    }
}
