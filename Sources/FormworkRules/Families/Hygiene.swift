import FormworkRuleKit
import FormworkTemplate

/// LG-01: log groups keep logs for a set time, from the values CloudWatch accepts.
struct LogRetention: Rule {
    static let description = RuleDescription(
        id: "LG-01", name: "log-retention", family: .logs, severity: .error,
        rationale: "A log group without RetentionInDays keeps every event for ever and bills for it. The value is one CloudWatch accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), for every value a parameter allows too.",
        cfnLint: ["E3030"],
        peers: [.checkov("CKV_AWS_66"), .guardRule("CW_LOGGROUP_RETENTION_PERIOD_CHECK"), .cfnNag("W86")],
        triggering: [
            "Parameters:\n  Days:\n    Type: Number\n    AllowedValues: [7, ↓10]\nResources:\n  ↓Forever:\n    Type: AWS::Logs::LogGroup\n  Weekly:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: !Ref Days\n",
        ],
        nonTriggering: [
            "Resources:\n  Weekly:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: 7\n",
        ])

    static let accepted: Set<Int> = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]

    func check(_ template: Template, _ context: RuleContext) {
        for group in template.resources where group.type == "AWS::Logs::LogGroup" {
            guard let retention = group.properties?["RetentionInDays"] else {
                context.report("\(group.logicalID) keeps its logs for ever (no RetentionInDays)", at: group.keyLocation, path: Places.resourcePath(group), hint: "RetentionInDays: 7")
                continue
            }
            for candidate in context.values.candidates(retention) {
                // Literals written in place are the schema rule's (ST-07); here, what parameters allow.
                guard case .literal(let value, let via?) = candidate, let days = value.numberValue,
                      !(days.isFinite && days == days.rounded() && abs(days) < 1e9 && Self.accepted.contains(Int(days))) else { continue }
                context.report("\(group.logicalID)'s RetentionInDays may be \(value.scalarText ?? "?") (\(via)), which CloudWatch refuses", at: value.location,
                               path: Places.resourcePath(group, .key("Properties"), .key("RetentionInDays")), via: via)
            }
        }
    }
}

/// LG-02: log groups are encrypted with a customer managed key.
struct LogEncryption: Rule {
    static let description = RuleDescription(
        id: "LG-02", name: "log-encryption", family: .logs, severity: .warning,
        rationale: "Database and function logs carry queries, identifiers and errors: encrypt the log group with a customer managed key (KmsKeyId), whose policy grants logs.<region>.amazonaws.com under a kms:EncryptionContext:aws:logs:arn condition (KM-02, KM-04 check the key's side).",
        peers: [.checkov("CKV_AWS_158"), .guardRule("CLOUDWATCH_LOG_GROUP_ENCRYPTED"), .cfnNag("W84")],
        triggering: [
            "Resources:\n  ↓Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: 7\n",
        ],
        nonTriggering: [
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: 7\n      KmsKeyId: !GetAtt Key.Arn\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for group in template.resources where group.type == "AWS::Logs::LogGroup" && group.properties?["KmsKeyId"] == nil {
            context.report("\(group.logicalID) is not encrypted with a customer managed key (no KmsKeyId)", at: group.keyLocation, path: Places.resourcePath(group))
        }
    }
}

/// TP-01: an escaped function inside Fn::Sub is literal text.
struct EscapedFunctionsInSub: Rule {
    static let description = RuleDescription(
        id: "TP-01", name: "escaped-functions-in-sub", family: .hygiene, severity: .warning,
        rationale: "In Fn::Sub, `${!Name}` is the literal text `${Name}`: `${!If [...]}` or `${!Ref X}` is printed as written, not evaluated, which is almost always a bug (a function was meant; Fn::Sub cannot nest one: pass it as a variable in Sub's second argument). cfn-lint's W1020 notices only when the string has no other variable.",
        acrossResources: true,
        cfnLint: [],
        triggering: [
            "Conditions:\n  HasKey: !Equals [a, a]\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  Command:\n    Value: !Sub |\n      aws kms describe-key --region ${AWS::Region} --key-id ↓${!If [HasKey, a, b]}\n",
        ],
        nonTriggering: [
            "Conditions:\n  HasKey: !Equals [a, a]\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  Command:\n    Value: !Sub\n      - aws kms describe-key --region ${AWS::Region} --key-id ${KeyId}\n      - KeyId: !If [HasKey, a, b]\n  Shell:\n    Value: !Sub 'echo ${!HOME} in ${AWS::Region}'\n",
        ])

    static let functions = ["If", "Ref", "GetAtt", "Select", "Join", "Sub", "Split", "FindInMap", "ImportValue", "Base64", "GetAZs", "Cidr", "Equals", "Not", "And", "Or"]

    func check(_ template: Template, _ context: RuleContext) {
        for use in context.functions where use.function.name == .sub {
            guard let string = use.function.argument.stringValue.map({ ($0, use.function.argument) })
                    ?? use.function.argument.arrayValue?.first.flatMap({ node in node.stringValue.map { ($0, node) } }) else { continue }
            let (text, node) = string
            guard text.has("${!") else { continue }
            for name in Self.functions {
                for prefix in ["${!\(name) ", "${!\(name)[", "${!Fn::\(name)"] where text.has(prefix) {
                    let place = template.place(of: prefix, after: node.location) ?? node.location
                    context.report("`\(prefix.trimmingSpaces)` in Fn::Sub is the literal text `${\(prefix.dropFirst(3).trimmingSpaces)`, not a call: pass the function's value as a Sub variable",
                                   at: place, path: use.path)
                }
            }
        }
    }
}

/// TP-02: outputs never carry secrets.
struct NoSecretsInOutputs: Rule {
    static let description = RuleDescription(
        id: "TP-02", name: "no-secrets-in-outputs", family: .hygiene, severity: .warning,
        rationale: "Outputs are shown in the console, returned by describe-stacks to anyone who may read the stack, and exported to other stacks: a NoEcho parameter or a `{{resolve:secretsmanager:...}}`/`{{resolve:ssm-secure:...}}` value there undoes the secrecy.",
        acrossResources: true,
        cfnLint: ["W2010"],
        triggering: [
            "Parameters:\n  Password:\n    Type: String\n    NoEcho: true\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  Leak:\n    Value: ↓!Sub 'postgres://app:${Password}@db'\n",
        ],
        nonTriggering: [
            "Parameters:\n  Password:\n    Type: String\n    NoEcho: true\nResources:\n  Secret:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      SecretString: !Ref Password\nOutputs:\n  SecretArn:\n    Value: !Ref Secret\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let secret = Set((template.parameters?.entries ?? []).filter { Secrets.isNoEcho($0.value) }.map(\.key))
        for output in template.outputs?.entries ?? [] {
            guard let value = output.value["Value"] else { continue }
            let named = ResourceReferences.targets(value).intersection(secret)
            var reasons = named.sorted().map { "the NoEcho parameter \($0)" }
            Strings.walk(value, path: []) { text, _, _ in
                if text.has("{{resolve:secretsmanager:") || text.has("{{resolve:ssm-secure:") { reasons.append("a resolved secret") }
            }
            guard !reasons.isEmpty else { continue }
            context.report("output \(output.key) shows \(Array(Set(reasons)).sorted().joined(separator: " and "))", at: value.location, path: [.key("Outputs"), .key(output.key), .key("Value")])
        }
    }
}

/// TP-04: DependsOn only where the template does not already order the resources.
struct ObsoleteDependsOn: Rule {
    static let description = RuleDescription(
        id: "TP-04", name: "obsolete-depends-on", family: .hygiene, severity: .warning,
        rationale: "A Ref, GetAtt or Sub of a resource already makes CloudFormation create it first: a DependsOn on it as well says nothing, and outlives the reference when the reference goes. Keep DependsOn for the orderings nothing else states (a route before the instances that need the internet, a policy before the function that uses it).",
        acrossResources: true,
        cfnLint: ["W3005"],
        triggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Subscription:\n    Type: AWS::SNS::Subscription\n    DependsOn: ↓Topic\n    Properties:\n      TopicArn: !Ref Topic\n      Protocol: email\n      Endpoint: ops@example.com\n",
        ],
        nonTriggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Queue:\n    Type: AWS::SQS::Queue\n    DependsOn: Topic\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for resource in template.resources {
            guard let dependsOn = resource.body["DependsOn"] else { continue }
            var body = resource.body
            body.remove("DependsOn")
            let referenced = ResourceReferences.targets(.object(body))
            let items = dependsOn.arrayValue ?? [dependsOn]
            for (index, item) in items.enumerated() {
                guard let name = item.stringValue, referenced.contains(name) else { continue }
                let path = dependsOn.arrayValue == nil ? Places.resourcePath(resource, .key("DependsOn")) : Places.resourcePath(resource, .key("DependsOn"), .index(index))
                context.report("\(resource.logicalID) depends on \(name), which it already references: the DependsOn is obsolete", at: item.location, path: path)
            }
        }
    }
}

/// TP-05: GuardDuty is enabled for the account, not created by a stack.
struct NoGuardDutyDetector: Rule {
    static let description = RuleDescription(
        id: "TP-05", name: "no-guardduty-detector", family: .hygiene, severity: .error,
        rationale: "An account and region have one GuardDuty detector: a stack that creates one fails wherever the account already has it (organisations usually enable it centrally), and deletes the account's threat detection when the stack is deleted. Enable GuardDuty at the account level.",
        triggering: [
            "Resources:\n  ↓Detector:\n    Type: AWS::GuardDuty::Detector\n    Properties:\n      Enable: true\n",
        ],
        nonTriggering: [
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for detector in template.resources where detector.type == "AWS::GuardDuty::Detector" {
            context.report("\(detector.logicalID) creates the account's GuardDuty detector: enable GuardDuty for the account instead", at: detector.keyLocation, path: Places.resourcePath(detector))
        }
    }
}

/// TP-06: canaries run a runtime that is still supported.
struct CanaryRuntimes: Rule {
    static let description = RuleDescription(
        id: "TP-06", name: "canary-runtimes", family: .hygiene, severity: .error,
        rationale: "CloudWatch Synthetics deprecates old canary runtimes and then refuses to create or update canaries on them: Node.js puppeteer runtimes before syn-nodejs-puppeteer-7.0 and Python selenium runtimes before syn-python-selenium-3.0 are past that.",
        triggering: [
            "Resources:\n  Canary:\n    Type: AWS::Synthetics::Canary\n    Properties:\n      RuntimeVersion: ↓syn-nodejs-puppeteer-3.9\n",
        ],
        nonTriggering: [
            "Resources:\n  Canary:\n    Type: AWS::Synthetics::Canary\n    Properties:\n      RuntimeVersion: syn-nodejs-puppeteer-9.1\n",
        ])

    static let minimumMajor = ["syn-nodejs-puppeteer-": 7, "syn-python-selenium-": 3]

    func check(_ template: Template, _ context: RuleContext) {
        for canary in template.resources where canary.type == "AWS::Synthetics::Canary" {
            for (text, node) in context.literals(canary.properties?["RuntimeVersion"]) {
                for (prefix, minimum) in Self.minimumMajor where text.hasPrefix(prefix) {
                    guard let major = Int(text.dropFirst(prefix.count).split(separator: ".").first ?? ""), major < minimum else { continue }
                    context.report("\(canary.logicalID) runs \(text), a deprecated Synthetics runtime (\(prefix)\(minimum).0 or later is supported)", at: node.location,
                                   path: Places.resourcePath(canary, .key("Properties"), .key("RuntimeVersion")))
                }
            }
        }
    }
}
