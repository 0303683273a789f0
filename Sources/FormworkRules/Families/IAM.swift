import FormworkRuleKit
import FormworkSchema
import FormworkTemplate


/// IA-01: identity policies never allow every action, or every action of a service.
struct NoWildcardActions: Rule {
    static let description = RuleDescription(
        id: "IA-01", name: "no-wildcard-actions", family: .iam, severity: .error,
        rationale: "`Action: \"*\"` is administrator access and `svc:*` is full control of a service (deleting its data included): least privilege names the actions the workload calls. Applies to what roles, users and groups may do (inline policies, AWS::IAM::Policy, AWS::IAM::ManagedPolicy); a key policy's `kms:*` for the account is the default delegation to IAM and is judged by KM-02.",
        acrossResources: true,
        peers: [.checkov("CKV_AWS_62"), .checkov("CKV_AWS_63"), .guardRule("IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS"), .guardRule("IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS"), .cfnNag("F3"), .cfnNag("F4"), .cfnNag("F5")],
        triggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n      Policies:\n        - PolicyName: all\n          PolicyDocument:\n            Statement:\n              - ↓Effect: Allow\n                Action: 's3:*'\n                Resource: '*'\n",
            "Resources:\n  Admin:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - ↓Effect: Allow\n            Action: ['*']\n            Resource: '*'\n",
        ],
        nonTriggering: [
            "Resources:\n  Reader:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: [s3:GetObject, s3:ListBucket]\n            Resource: arn:aws:s3:::reports/*\n          - Effect: Deny\n            Action: '*'\n            Resource: '*'\n            Condition: {Bool: {aws:SecureTransport: false}}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for document in context.policies where document.kind == .identity {
            for statement in document.statements where statement.isAllow && !statement.notAction {
                let broad = statement.actions.compactMap(\.text).filter { $0 == "*" || ($0.hasSuffix(":*") && !$0.dropLast(2).contains("*")) }
                guard !broad.isEmpty else { continue }
                let what = broad.contains("*") ? "every action (\"*\")" : "every action of " + broad.map { String($0.dropLast(2)) }.joined(separator: ", ")
                context.report("\(statement.named(in: document)) allows \(what): name the actions the workload calls", at: statement.location, path: statement.path)
            }
        }
    }
}

/// IA-02: identity policies narrow actions to resources wherever the action allows it.
struct NoWildcardResources: Rule {
    static let description = RuleDescription(
        id: "IA-02", name: "no-wildcard-resources", family: .iam, severity: .warning,
        rationale: "`Resource: \"*\"` lets an allowed action touch every resource of its kind in the account. Many actions can be narrowed to ARNs (the Service Authorization Reference says which; Formwork carries it), and those must be (in SAM functions' Policies too: inline statements, and policy templates as SAM expands them with the values given); actions that only take `*` (ec2:Describe*, s3:ListAllMyBuckets, ...) are fine, as is a statement with a Condition that narrows it.",
        acrossResources: true,
        cfnLint: [],
        peers: [.checkov("CKV_AWS_111"), .checkov("CKV_AWS_109"), .guardRule("IAM_POLICYDOCUMENT_NO_WILDCARD_RESOURCE"), .cfnNag("W11"), .cfnNag("W12"), .cfnNag("W13")],
        triggering: [
            "Resources:\n  Writer:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - ↓Effect: Allow\n            Action: [s3:PutObject, ec2:DescribeInstances]\n            Resource: '*'\n",
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Function:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): return 1'\n      Policies:\n        - AWSLambdaBasicExecutionRole\n        - ↓AWSSecretsManagerGetSecretValuePolicy: {SecretArn: '*'}\n        - Statement:\n            - ↓Effect: Allow\n              Action: dynamodb:PutItem\n              Resource: '*'\n",
        ],
        nonTriggering: [
            "Resources:\n  Describer:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: [ec2:DescribeInstances, s3:ListAllMyBuckets]\n            Resource: '*'\n          - Effect: Allow\n            Action: s3:PutObject\n            Resource: !Sub 'arn:${AWS::Partition}:s3:::reports-${AWS::AccountId}/*'\n          - Effect: Allow\n            Action: ec2:StartInstances\n            Resource: '*'\n            Condition: {StringEquals: {aws:ResourceTag/Team: payments}}\n",
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Table:\n    Type: AWS::Serverless::SimpleTable\n  Function:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      InlineCode: 'def handler(e, c): return 1'\n      Policies:\n        - DynamoDBCrudPolicy: {TableName: !Ref Table}\n        - Statement:\n            - Effect: Allow\n              Action: sqs:SendMessage\n              Resource: !Sub 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders'\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let catalogue = context.registry.iamActions
        guard !catalogue.isEmpty else { return }
        for document in context.policies where document.kind == .identity {
            for statement in document.statements where statement.isAllow && !statement.notAction && statement.coversEveryResource && statement.conditions.isEmpty {
                var narrowable: [String] = []
                var levels = Set<IAMActionCatalogue.AccessLevel>()
                for pattern in statement.actions.compactMap(\.text) where pattern != "*" {
                    for action in catalogue.actions(matching: pattern) ?? [] where action.namesResources {
                        narrowable.append(action.name)
                        levels.insert(action.level)
                    }
                }
                guard !narrowable.isEmpty else { continue }
                let shown = narrowable.prefix(3).joined(separator: ", ") + (narrowable.count > 3 ? " and \(narrowable.count - 3) more" : "")
                let access = [(IAMActionCatalogue.AccessLevel.permissionsManagement, "permissions management"), (.write, "write"), (.tagging, "tagging"), (.read, "read"), (.list, "list")]
                    .filter { levels.contains($0.0) }.map(\.1).joined(separator: ", ")
                context.report("\(statement.named(in: document)) allows \(shown) on every resource (\"*\"), access \(access): these actions take ARNs",
                               at: statement.location, path: statement.path)
            }
        }
    }
}

/// IA-03: iam:PassRole is never allowed on every role.
struct NoPassRoleOnEveryRole: Rule {
    static let description = RuleDescription(
        id: "IA-03", name: "no-passrole-on-every-role", family: .iam, severity: .error,
        rationale: "iam:PassRole on `*` lets the holder hand any role of the account, an administrator's included, to a service it controls (a Lambda function, an EC2 instance): privilege escalation in one step. Name the roles.",
        acrossResources: true,
        peers: [.guardRule("IAM_POLICY_NO_WILDCARD_RESOURCE_ON_PASSROLE"), .cfnNag("F38"), .cfnNag("F39"), .cfnNag("F40")],
        triggering: [
            "Resources:\n  Deployer:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - ↓Effect: Allow\n            Action: [lambda:CreateFunction, 'iam:Pass*']\n            Resource: '*'\n",
        ],
        nonTriggering: [
            "Resources:\n  Deployer:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: iam:PassRole\n            Resource: !GetAtt FunctionRole.Arn\n  FunctionRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for document in context.policies where document.kind == .identity {
            for statement in document.statements where statement.coversEveryResource && statement.allows("iam:PassRole") {
                context.report("\(statement.named(in: document)) allows iam:PassRole on every role: name the roles it may pass", at: statement.location, path: statement.path)
            }
        }
    }
}

/// IA-04: no Allow with NotAction, NotResource or NotPrincipal.
struct NoAllowWithNot: Rule {
    static let description = RuleDescription(
        id: "IA-04", name: "no-allow-with-not", family: .iam, severity: .error,
        rationale: "An Allow with NotAction, NotResource or NotPrincipal allows everything except a list, including every action and resource AWS adds later; in a resource policy, Allow with NotPrincipal allows anonymous access. Deny with Not* is the safe use.",
        acrossResources: true,
        peers: [.guardRule("IAM_ROLE_OR_POLICY_NO_ALLOW_PLUS_NOT_ACTION"), .guardRule("IAM_ROLE_OR_POLICY_NO_ALLOW_PLUS_NOT_RESOURCE"), .guardRule("IAM_ROLE_NO_ALLOW_PLUS_NOT_PRINCIPAL"), .guardRule("S3_BUCKETPOLICY_NO_ALLOW_PLUS_NOTPRINCIPAL"), .guardRule("SNS_TOPICPOLICY_NO_ALLOW_PLUS_NOTPRINCIPAL"), .cfnNag("W14"), .cfnNag("W15"), .cfnNag("W21"), .cfnNag("F6")],
        triggering: [
            "Resources:\n  Almost:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - ↓Effect: Allow\n            NotAction: iam:*\n            Resource: '*'\n",
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  Policy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Bucket\n      PolicyDocument:\n        Statement:\n          - ↓Effect: Allow\n            NotPrincipal: {AWS: arn:aws:iam::111122223333:root}\n            Action: s3:GetObject\n            Resource: !Sub '${Bucket.Arn}/*'\n",
        ],
        nonTriggering: [
            "Resources:\n  Guard:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Deny\n            NotAction: [iam:*, sts:*]\n            Resource: '*'\n            Condition: {StringNotEquals: {aws:RequestedRegion: eu-west-1}}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for document in context.policies {
            for statement in document.statements where statement.isAllow {
                var negated: [String] = []
                if statement.notAction { negated.append("NotAction") }
                if statement.notResource { negated.append("NotResource") }
                if statement.principal?.negated == true { negated.append("NotPrincipal") }
                guard !negated.isEmpty else { continue }
                context.report("\(statement.named(in: document)) is an Allow with \(negated.joined(separator: " and ")): it allows everything not listed", at: statement.location, path: statement.path)
            }
        }
    }
}

/// IA-05: no administrator or other elevated AWS managed policies.
struct NoElevatedManagedPolicies: Rule {
    static let description = RuleDescription(
        id: "IA-05", name: "no-elevated-managed-policies", family: .iam, severity: .error,
        rationale: "AdministratorAccess, PowerUserAccess and IAMFullAccess (and the job-function administrator policies) give a workload the account: no application role needs them, and a role that has them is what an attacker looks for.",
        acrossResources: true,
        peers: [.guardRule("IAM_ROLE_ADMINISTRATOR_ACCESS_POLICY_RULE"), .guardRule("IAM_ROLE_ELEVATED_MANAGED_POLICY_RULE"), .cfnNag("W43"), .cfnNag("W44")],
        triggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n      ManagedPolicyArns:\n        - ↓!Sub 'arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess'\n",
        ],
        nonTriggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n      ManagedPolicyArns:\n        - !Sub 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'\n",
        ])

    static let elevated: Set<String> = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "job-function/SystemAdministrator",
                                        "job-function/NetworkAdministrator", "job-function/DatabaseAdministrator", "AWSOrganizationsFullAccess"]

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where ParsedPolicy.inlinePolicyHolders.contains(resource.type ?? "") {
            for (text, name) in context.awsManagedPolicies(of: resource) {
                guard let marker = name, Self.elevated.contains(marker) else { continue }
                context.report("\(resource.logicalID) has the AWS managed policy \(marker): a workload role needs its own, narrow policy", at: text.node.location,
                               path: Places.resourcePath(resource, .key("Properties"), .key("ManagedPolicyArns")))
            }
        }
    }
}

/// IA-06: trust policies name who may assume the role, narrowly.
struct NarrowTrust: Rule {
    static let description = RuleDescription(
        id: "IA-06", name: "narrow-trust", family: .iam, severity: .warning,
        rationale: "A role's trust policy says who may become it. `*` is anyone with an AWS account; the account root (`arn:...:root`, or the bare account id) is every user and role of the account whose own policies allow sts:AssumeRole; a federated principal without a condition on the token's subject is every identity of that provider (every GitHub repository, for GitHub's OIDC). Trust a service principal, named roles, or add the condition that narrows it.",
        acrossResources: true,
        peers: [.checkov("CKV_AWS_60"), .checkov("CKV_AWS_61"), .guardRule("IAM_ROLE_NO_FULL_ACCESS_ON_TRUST_POLICY"), .cfnNag("F2")],
        triggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - ↓Effect: Allow\n            Principal:\n              AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'\n            Action: sts:AssumeRole\n          - ↓Effect: Allow\n            Principal: {Federated: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com'}\n            Action: sts:AssumeRoleWithWebIdentity\n",
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - ↓Effect: Allow\n            Principal: '*'\n            Action: 'sts:*'\n",
        ],
        nonTriggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {Service: monitoring.rds.amazonaws.com}\n            Action: sts:AssumeRole\n          - Effect: Allow\n            Principal: {AWS: !GetAtt Operator.Arn}\n            Action: sts:AssumeRole\n          - Effect: Allow\n            Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}\n            Action: sts:AssumeRole\n            Condition: {ArnLike: {aws:PrincipalArn: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/ops-*'}}\n  Operator:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for document in context.policies where document.kind == .trust {
            for statement in document.statements where statement.isAllow {
                guard let principal = statement.principal, !principal.negated else { continue }
                var problems: [String] = []
                if principal.everyone { problems.append("trusts anyone (\"*\")") }
                if statement.actions.contains(where: { $0.text == "*" || $0.text?.lowercased() == "sts:*" }) { problems.append("allows every STS action") }
                if statement.conditions.isEmpty {
                    if principal.aws.contains(where: PolicyPrincipal.isAccount) { problems.append("trusts the whole account (its root): every identity there that may call sts:AssumeRole can become the role") }
                    if !principal.federated.isEmpty { problems.append("trusts a federated provider without a condition on the token (its subject or audience)") }
                }
                guard !problems.isEmpty else { continue }
                context.report("\(document.owner.logicalID)'s trust policy \(problems.joined(separator: "; ")): name the roles or services, or add a Condition",
                               at: statement.location, path: statement.path)
            }
        }
    }
}

/// IA-07: no privilege escalation, data exfiltration or credential exposure on every resource.
struct DangerousActionClasses: Rule {
    static let description = RuleDescription(
        id: "IA-07", name: "dangerous-action-classes", family: .iam, severity: .warning,
        rationale: "Some actions are dangerous on `*` whatever the intent: the privilege-escalation methods (iam:CreatePolicyVersion, iam:PassRole with lambda:CreateFunction, ...), reads that hand data out (s3:GetObject, secretsmanager:GetSecretValue, ssm:GetParameter*), and calls that return credentials (iam:CreateAccessKey, ecr:GetAuthorizationToken's peers, ...). The lists are cloudsplaining's, which checkov's CKV_AWS_107-110 apply; Formwork judges one policy document at a time, with each method's actions all allowed on every resource.",
        acrossResources: true,
        peers: [.checkov("CKV_AWS_107"), .checkov("CKV_AWS_108"), .checkov("CKV_AWS_110"), .cfnNag("W76")],
        triggering: [
            "Resources:\n  Policy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        ↓Statement:\n          - Effect: Allow\n            Action: [iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction, secretsmanager:GetSecretValue]\n            Resource: '*'\n",
        ],
        nonTriggering: [
            "Resources:\n  Policy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: secretsmanager:GetSecretValue\n            Resource: !Ref Secret\n  Secret:\n    Type: AWS::SecretsManager::Secret\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for document in context.policies where document.kind == .identity {
            let unconstrained = document.statements.filter { $0.isAllow && $0.coversEveryResource && $0.conditions.isEmpty }
            guard !unconstrained.isEmpty else { continue }
            func allowed(_ action: String) -> Bool { unconstrained.contains { $0.allows(action) } }
            // An action that takes no ARN (ecr:GetAuthorizationToken) can only be allowed on
            // `*`: that is no missing constraint, and every ECS task role would be reported.
            func narrowable(_ action: String) -> Bool { context.registry.iamActions.actions(matching: action)?.first?.namesResources ?? true }
            var found: [String] = []
            let methods = ActionClasses.privilegeEscalation.filter { $0.actions.allSatisfy(allowed) }.map(\.method)
            if !methods.isEmpty { found.append("privilege escalation (\(methods.prefix(3).joined(separator: ", "))\(methods.count > 3 ? " and \(methods.count - 3) more" : ""))") }
            let exfiltration = ActionClasses.dataExfiltration.filter(allowed)
            if !exfiltration.isEmpty { found.append("data exfiltration (\(exfiltration.prefix(3).joined(separator: ", ")))") }
            let credentials = ActionClasses.credentialExposure.filter { allowed($0) && narrowable($0) }
            if !credentials.isEmpty { found.append("credential exposure (\(credentials.prefix(3).joined(separator: ", ")))") }
            guard !found.isEmpty else { continue }
            let place = document.node.objectValue?.entry("Statement")?.keyLocation ?? document.node.location
            context.report("\(document.owner.logicalID)'s policy allows on every resource: \(found.joined(separator: "; "))", at: place, path: document.path + [.key("Statement")])
        }
    }
}

/// IA-08: wildcard-suffix actions are listed for least privilege.
struct WildcardSuffixActions: Rule {
    static let description = RuleDescription(
        id: "IA-08", name: "wildcard-suffix-actions", family: .iam, severity: .info,
        rationale: "`s3:GetObject*` is not one action: it grants every action that begins so (GetObjectAcl, GetObjectTagging, GetObjectAttributes, ...), and more as AWS adds them. The finding lists what the wildcard grants today, so that the policy can name what it needs.",
        acrossResources: true,
        triggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: export.rds.amazonaws.com}, Action: sts:AssumeRole}]}\n      Policies:\n        - PolicyName: export\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: [↓'s3:PutObject*', s3:ListBucket]\n                Resource: arn:aws:s3:::exports/*\n",
        ],
        nonTriggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: export.rds.amazonaws.com}, Action: sts:AssumeRole}]}\n      Policies:\n        - PolicyName: export\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: [s3:PutObject, s3:ListBucket]\n                Resource: arn:aws:s3:::exports/*\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let catalogue = context.registry.iamActions
        for document in context.policies where document.kind != .trust {
            for statement in document.statements where statement.isAllow && !statement.notAction {
                for action in statement.actions {
                    guard let text = action.text, text.containsText("*"), !text.hasSuffix(":*"), text != "*", let granted = catalogue.actions(matching: text), granted.count > 1 else { continue }
                    // Only the names the message shows are made.
                    let names = granted.prefix(6).map { String($0.name.split(separator: ":").last ?? "") }
                    context.report("\(text) grants \(granted.count) actions: \(names.joined(separator: ", "))\(granted.count > 6 ? ", ..." : "")", at: action.node.location, path: statement.path)
                }
            }
        }
    }
}

/// IA-09: AWS managed policies by their real paths.
struct ManagedPolicyPaths: Rule {
    static let description = RuleDescription(
        id: "IA-09", name: "managed-policy-paths", family: .iam, severity: .warning,
        rationale: "Several AWS managed policies live under `service-role/` (AWS_ConfigRole, AmazonRDSEnhancedMonitoringRole, AWSLambdaBasicExecutionRole, ...): an ARN without the path names no policy and the deployment fails. (A hardcoded `arn:aws:` partition is HC-04's.)",
        acrossResources: true,
        cfnLint: [],
        triggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: config.amazonaws.com}, Action: sts:AssumeRole}]}\n      ManagedPolicyArns: [↓!Sub 'arn:${AWS::Partition}:iam::aws:policy/AWS_ConfigRole']\n",
        ],
        nonTriggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: config.amazonaws.com}, Action: sts:AssumeRole}]}\n      ManagedPolicyArns: [!Sub 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWS_ConfigRole']\n",
        ])

    /// AWS managed policies whose ARN has the `service-role/` path (IAM console, AWS managed
    /// policy reference).
    static let serviceRolePolicies: Set<String> = [
        "AWS_ConfigRole", "AmazonRDSEnhancedMonitoringRole", "AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole", "AWSLambdaKinesisExecutionRole",
        "AWSLambdaDynamoDBExecutionRole", "AWSLambdaSQSQueueExecutionRole", "AWSGlueServiceRole", "AmazonEC2ContainerServiceforEC2Role", "AmazonEC2ContainerServiceRole",
        "AmazonECSTaskExecutionRolePolicy", "AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores", "AmazonSSMAutomationRole",
        "AWSCodeDeployRole", "AmazonEC2SpotFleetTaggingRole", "AWSIoTLogging", "AWSDataSyncDiscoveryServiceRolePolicy", "AmazonElasticMapReduceRole",
        "AmazonElasticMapReduceforEC2Role", "AWSLambdaRole", "AmazonAPIGatewayPushToCloudWatchLogs", "AWSStepFunctionsFullAccess",
    ]

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources where ParsedPolicy.inlinePolicyHolders.contains(resource.type ?? "") {
            for (text, policy) in context.awsManagedPolicies(of: resource) {
                guard let name = policy, Self.serviceRolePolicies.contains(name) else { continue }
                context.report("\(resource.logicalID) names the AWS managed policy \(name) without its path: it is service-role/\(name)", at: text.node.location,
                               path: Places.resourcePath(resource, .key("Properties"), .key("ManagedPolicyArns")), hint: "arn:${AWS::Partition}:iam::aws:policy/service-role/\(name)")
            }
        }
    }
}

extension String {
    /// The text before the first occurrence of `marker`, or nil.
    func prefix(before marker: String) -> String? {
        guard let after = suffix(after: marker) else { return nil }
        return String(decoding: utf8.dropLast(after.utf8.count + marker.utf8.count), as: UTF8.self)
    }

    /// The text after the first occurrence of `marker`, or nil.
    func suffix(after marker: String) -> String? {
        let text = Array(utf8), wanted = Array(marker.utf8)
        guard wanted.count <= text.count else { return nil }
        for start in 0...(text.count - wanted.count) where text[start..<(start + wanted.count)].elementsEqual(wanted) {
            return String(decoding: text[(start + wanted.count)...], as: UTF8.self)
        }
        return nil
    }
}
