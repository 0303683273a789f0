import FormworkRuleKit
import FormworkTemplate

extension Template {
    /// The template's role a function runs as (`Role: !GetAtt R.Arn`), if it is one.
    func executionRole(of function: Resource) -> Resource? {
        ResourceReferences.targets(function.properties?["Role"]).compactMap { self.resource($0) }.first { $0.type == "AWS::IAM::Role" }
    }

    /// The Lambda functions a value names (a GetAtt of the ARN, a Ref, an alias or version of one).
    func functions(namedBy value: Node?) -> [Resource] {
        ResourceReferences.targets(value).compactMap { resource($0) }.flatMap { named -> [Resource] in
            switch named.type {
            case "AWS::Lambda::Function": return [named]
            case "AWS::Lambda::Alias", "AWS::Lambda::Version":
                return ResourceReferences.targets(named.properties?["FunctionName"]).compactMap { resource($0) }.filter { $0.type == "AWS::Lambda::Function" }
            default: return []
            }
        }
    }
}

/// LM-02: Node.js 18 and later have no AWS SDK v2 to require.
struct NoSDKv2InNode18: Rule {
    static let description = RuleDescription(
        id: "LM-02", name: "no-sdk-v2-in-node18", family: .lambda, severity: .error,
        rationale: "The Node.js 18 and later Lambda runtimes include the AWS SDK for JavaScript v3 only: inline code that does `require('aws-sdk')` fails on its first invocation with `Cannot find module 'aws-sdk'`. Use the v3 clients (`@aws-sdk/client-rds`, ...).",
        triggering: [
            "Resources:\n  Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/fn\n      Code:\n        ZipFile: ↓|\n          const AWS = require('aws-sdk');\n          exports.handler = async () => new AWS.RDS().describeDBInstances().promise();\n",
        ],
        nonTriggering: [
            "Resources:\n  Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/fn\n      Code:\n        ZipFile: |\n          const { RDSClient, DescribeDBInstancesCommand } = require('@aws-sdk/client-rds');\n          exports.handler = async () => new RDSClient({}).send(new DescribeDBInstancesCommand({}));\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for function in template.resources where function.type == "AWS::Lambda::Function" {
            let modern = context.literals(function.properties?["Runtime"]).contains { runtime in
                guard runtime.text.hasPrefix("nodejs"), let major = Int(runtime.text.dropFirst(6).prefix { $0.isNumber }) else { return false }
                return major >= 18
            }
            guard modern, let code = function.properties?["Code"]?["ZipFile"] else { continue }
            var requires = false
            Strings.walk(code, path: []) { text, _, _ in
                if text.has("aws-sdk"), text.has("require('aws-sdk')") || text.has("require(\"aws-sdk\")") || text.has("from 'aws-sdk'") || text.has("from \"aws-sdk\"") { requires = true }
            }
            guard requires else { continue }
            context.report("\(function.logicalID)'s inline code requires aws-sdk (v2), which its Node.js runtime does not have", at: code.location,
                           path: Places.resourcePath(function, .key("Properties"), .key("Code"), .key("ZipFile")))
        }
    }
}

/// LM-03: functions say how long and how large they run.
struct FunctionLimits: Rule {
    static let description = RuleDescription(
        id: "LM-03", name: "function-limits", family: .lambda, severity: .warning,
        rationale: "Lambda's defaults (3 seconds, 128 MB) are rarely what a function that calls AWS APIs needs, and a failover function that times out half-way leaves the database between two states: set Timeout (within the operation's budget: seed 002 fails over in 300 s) and MemorySize explicitly.",
        triggering: [
            "Resources:\n  ↓Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/fn\n      Code: {ZipFile: 'def handler(e, c): return 1'}\n",
        ],
        nonTriggering: [
            "Resources:\n  Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/fn\n      Code: {ZipFile: 'def handler(e, c): return 1'}\n      Timeout: 60\n      MemorySize: 256\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for function in template.resources where function.type == "AWS::Lambda::Function" {
            let missing = ["Timeout", "MemorySize"].filter { function.properties?[$0] == nil }
            guard !missing.isEmpty else { continue }
            context.report("\(function.logicalID) leaves \(missing.joined(separator: " and ")) at Lambda's default (3 s, 128 MB)", at: function.keyLocation, path: Places.resourcePath(function))
        }
    }
}

/// LM-04: a function's role can write its logs.
struct FunctionLogging: Rule {
    static let description = RuleDescription(
        id: "LM-04", name: "function-logging", family: .lambda, severity: .warning,
        rationale: "Without logs:CreateLogStream and logs:PutLogEvents a function runs blind: errors go nowhere. The execution role carries AWSLambdaBasicExecutionRole (or the VPC, Kinesis, DynamoDB, SQS variants, which include it) or a statement that allows both actions.",
        acrossResources: true,
        peers: [.cfnNag("W58")],
        triggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n  Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: ↓!GetAtt Role.Arn\n      Code: {ZipFile: 'def handler(e, c): return 1'}\n",
        ],
        nonTriggering: [
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n      Policies:\n        - PolicyName: logs\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: [logs:CreateLogStream, logs:PutLogEvents]\n                Resource: !Sub 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/*'\n  Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: !GetAtt Role.Arn\n      Code: {ZipFile: 'def handler(e, c): return 1'}\n",
        ])

    static let loggingPolicies = ["AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole", "AWSLambdaKinesisExecutionRole", "AWSLambdaDynamoDBExecutionRole",
                                  "AWSLambdaSQSQueueExecutionRole", "AWSLambdaMSKExecutionRole", "AWSLambdaENIManagementAccess"]

    func check(_ template: Template, _ context: RuleContext) {
        for function in template.resources where function.type == "AWS::Lambda::Function" {
            guard let role = template.executionRole(of: function) else { continue }
            // A policy not known before deployment may be one of them.
            let managed = context.awsManagedPolicies(of: role).contains { text, name in
                guard let name else { return text.text == nil }
                return Self.loggingPolicies.contains { name.hasSuffix($0) }
            }
            guard !managed else { continue }
            let documents = context.identityPolicies(of: role.logicalID)
            let allowed = ["logs:CreateLogStream", "logs:PutLogEvents"].allSatisfy { action in documents.contains { $0.statements.contains { $0.allows(action) } } }
            guard !allowed else { continue }
            let place = function.properties?["Role"]?.location ?? function.keyLocation
            context.report("\(function.logicalID)'s role \(role.logicalID) may not write logs (logs:CreateLogStream, logs:PutLogEvents)", at: place,
                           path: Places.resourcePath(function, .key("Properties"), .key("Role")), hint: "ManagedPolicyArns: [arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]")
        }
    }
}

/// LM-05: functions that connect to a database run in the VPC.
struct FunctionsInVPC: Rule {
    static let description = RuleDescription(
        id: "LM-05", name: "functions-in-vpc", family: .lambda, severity: .warning,
        rationale: "A database in private subnets is reachable only from the VPC: a function given its endpoint (or allowed rds-db:connect) runs in the VPC's private subnets with a security group (VpcConfig), or its connections time out. Functions that only call the RDS API need no VPC.",
        acrossResources: true,
        peers: [.checkov("CKV_AWS_117"), .guardRule("LAMBDA_INSIDE_VPC"), .cfnNag("W89")],
        triggering: [
            "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n  ↓Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/fn\n      Code: {ZipFile: 'def handler(e, c): return 1'}\n      Environment:\n        Variables:\n          DB_HOST: !GetAtt Database.Endpoint.Address\n",
        ],
        nonTriggering: [
            "Resources:\n  Database:\n    Type: AWS::RDS::DBInstance\n  Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/fn\n      Code: {ZipFile: 'def handler(e, c): return 1'}\n      Environment:\n        Variables:\n          DB_ID: !Ref Database\n          DB_HOST: !GetAtt Database.Endpoint.Address\n      VpcConfig:\n        SubnetIds: [subnet-1, subnet-2]\n        SecurityGroupIds: [sg-1]\n",
        ])

    static let databaseTypes: Set<String> = ["AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::RDS::DBProxy", "AWS::RDS::DBProxyEndpoint"]

    func check(_ template: Template, _ context: RuleContext) {
        for function in template.resources where function.type == "AWS::Lambda::Function" {
            let vpc = function.properties?["VpcConfig"]
            guard vpc?["SubnetIds"] == nil || vpc?["SecurityGroupIds"] == nil else { continue }
            var endpoints: [String] = []
            Self.endpoints(in: function.properties?["Environment"]?["Variables"], template, into: &endpoints)
            let connects = template.executionRole(of: function).map { role in
                context.policies.contains { $0.kind == .identity && $0.owner.logicalID == role.logicalID && $0.statements.contains { $0.allows("rds-db:connect") } }
            } ?? false
            guard !endpoints.isEmpty || connects else { continue }
            let why = endpoints.isEmpty ? "may connect to a database (rds-db:connect)" : "is given the endpoint of \(Array(Set(endpoints)).sorted().joined(separator: ", "))"
            context.report("\(function.logicalID) \(why) but runs outside the VPC (no VpcConfig with subnets and security groups)", at: function.keyLocation, path: Places.resourcePath(function))
        }
    }

    /// Databases whose Endpoint (or ReadEndpoint) a value reads.
    static func endpoints(in value: Node?, _ template: Template, into found: inout [String]) {
        guard let value else { return }
        switch value.kind {
        case .object(let map): for entry in map.entries { endpoints(in: entry.value, template, into: &found) }
        case .array(let items): for item in items { endpoints(in: item, template, into: &found) }
        case .intrinsic(let function):
            if function.name == .getAtt, let parts = function.argument.arrayValue, parts.count == 2, let target = parts[0].stringValue,
               let attribute = parts[1].stringValue, attribute.contains("Endpoint"), databaseTypes.contains(template.resource(target)?.type ?? "") {
                found.append(target)
            } else if function.name == .sub {
                for variable in SubTemplate.variables(function.subText ?? "") where variable.contains(".Endpoint") {
                    let target = String(variable.split(separator: ".").first ?? "")
                    if databaseTypes.contains(template.resource(target)?.type ?? "") { found.append(target) }
                }
            }
            endpoints(in: function.argument, template, into: &found)
        default: break
        }
    }
}

/// LM-08: no secrets in a function's environment.
struct NoSecretsInEnvironment: Rule {
    static let description = RuleDescription(
        id: "LM-08", name: "no-secrets-in-environment", family: .lambda, severity: .warning,
        rationale: "Environment variables are returned by lambda:GetFunctionConfiguration to anyone who may read the function, and shown in the console: a password, token or key written there (or resolved into it with {{resolve:secretsmanager:...}}) is exposed. Pass the secret's ARN and read it at run time. A resolved field that is no secret (an RDS secret's host, port, dbname, engine or username, which rds:DescribeDBInstances shows anyway) is not judged. (checkov's CKV_AWS_173 asks for KmsKeyArn on every function with variables; Lambda encrypts them at rest with its own key anyway, so Formwork does not.)",
        acrossResources: true,
        peers: [.checkov("CKV_AWS_45")],
        triggering: [
            "Resources:\n  Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/fn\n      Code: {ZipFile: 'def handler(e, c): return 1'}\n      Environment:\n        Variables:\n          DB_PASSWORD: ↓hunter2hunter2\n          API_TOKEN: ↓'{{resolve:secretsmanager:api:SecretString:token}}'\n",
        ],
        nonTriggering: [
            "Resources:\n  Secret:\n    Type: AWS::SecretsManager::Secret\n  Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/fn\n      Code: {ZipFile: 'def handler(e, c): return 1'}\n      Environment:\n        Variables:\n          DB_PASSWORD_SECRET_ARN: !Ref Secret\n          LOG_LEVEL: info\n          RDS_HOSTNAME: !Sub '{{resolve:secretsmanager:${Secret}:SecretString:host}}'\n          RDS_PORT: '{{resolve:secretsmanager:orders-db:SecretString:port}}'\n",
        ])

    static let secretWords = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "PRIVATEKEY", "ACCESSKEY", "SECRETKEY", "CREDENTIAL", "CREDENTIALS"]

    /// The fields of a database secret that are not secret (Secrets Manager's RDS secret structure).
    static let publicSecretFields: Set<String> = ["host", "hostname", "port", "dbname", "database", "engine", "username", "dbinstanceidentifier", "dbclusteridentifier"]

    /// Whether a string resolves a secret: any {{resolve:ssm-secure:...}}, and
    /// {{resolve:secretsmanager:...}} of the whole secret or of a field that is not one of
    /// `publicSecretFields`.
    static func resolvesSecret(_ text: String) -> Bool {
        if text.has("{{resolve:ssm-secure:") { return true }
        guard text.has("{{resolve:secretsmanager:") else { return false }
        var rest = text
        while let reference = rest.suffix(after: "{{resolve:secretsmanager:") {
            rest = reference
            let body = reference.prefix(before: "}}") ?? reference
            // secret-id (an ARN has colons of its own):SecretString:json-key:version-stage:version-id
            guard let field = body.suffix(after: ":SecretString:")?.split(separator: ":", omittingEmptySubsequences: false).first,
                  !field.isEmpty, publicSecretFields.contains(field.lowercased()) else { return true }
        }
        return false
    }

    func check(_ template: Template, _ context: RuleContext) {
        for function in template.resources where function.type == "AWS::Lambda::Function" {
            for entry in function.properties?["Environment"]?["Variables"]?.objectValue?.entries ?? [] {
                let path = Places.resourcePath(function, .key("Properties"), .key("Environment"), .key("Variables"), .key(entry.key))
                var resolved = false
                Strings.walk(entry.value, path: []) { text, _, _ in
                    if Self.resolvesSecret(text) { resolved = true }
                }
                // The name ends with the secret word (DB_PASSWORD, GithubToken): one that only
                // holds it (ID_TOKEN_COOKIE_SAMESITE, PASSWORD_SECRET_ARN) names something else.
                let name = String(entry.key.uppercased().filter { $0.isLetter || $0.isNumber })
                let named = Self.secretWords.contains { name.hasSuffix($0) }
                if resolved {
                    context.report("\(function.logicalID)'s variable \(entry.key) resolves a secret into the function's configuration", at: entry.value.location, path: path)
                } else if named, case .string(let text) = entry.value.kind, !text.isEmpty {
                    context.report("\(function.logicalID)'s variable \(entry.key) holds a secret written in the template", at: entry.value.location, path: path)
                }
            }
        }
    }
}

/// LM-09: invoke permissions name a narrow principal and its source.
struct InvokePermissions: Rule {
    static let description = RuleDescription(
        id: "LM-09", name: "invoke-permissions", family: .lambda, severity: .error,
        rationale: "An AWS::Lambda::Permission lets a principal invoke the function: the action is lambda:InvokeFunction (lambda:* grants changing the code); the principal is not `*`; a service principal comes with SourceArn or SourceAccount (the documented guard against a confused deputy; for S3 with a SourceArn, SourceAccount too: bucket ARNs carry no account), or any account's rule, bucket or topic can invoke it; and the SourceArn is of the principal's service.",
        acrossResources: true,
        cfnLint: [],
        peers: [.checkov("CKV_AWS_364"), .guardRule("LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED"), .guardRule("LAMBDA_NO_WILDCARD_PRINCIPALS"), .guardRule("LAMBDA_PERMISSION_INVOKE_FUNCTION_ACTION"), .cfnNag("F13"), .cfnNag("W24")],
        triggering: [
            "Resources:\n  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n      ScheduleExpression: rate(1 minute)\n  ↓Open:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: checker\n      Action: lambda:*\n      Principal: events.amazonaws.com\n  ↓Mismatched:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: checker\n      Action: lambda:InvokeFunction\n      Principal: s3.amazonaws.com\n      SourceArn: !GetAtt Rule.Arn\n",
        ],
        nonTriggering: [
            "Resources:\n  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n      ScheduleExpression: rate(1 minute)\n  Scheduled:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: checker\n      Action: lambda:InvokeFunction\n      Principal: events.amazonaws.com\n      SourceArn: !GetAtt Rule.Arn\n  FromThisAccount:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: checker\n      Action: lambda:InvokeFunction\n      Principal: sns.amazonaws.com\n      SourceAccount: !Ref 'AWS::AccountId'\n",
        ])

    /// The service of an ARN-bearing resource type, as a source of invocations.
    static let sourceServices: [String: String] = [
        "AWS::Events::Rule": "events", "AWS::Scheduler::Schedule": "scheduler", "AWS::S3::Bucket": "s3", "AWS::SNS::Topic": "sns", "AWS::SQS::Queue": "sqs",
        "AWS::ApiGateway::RestApi": "apigateway", "AWS::ApiGatewayV2::Api": "apigateway", "AWS::Logs::LogGroup": "logs", "AWS::CloudWatch::Alarm": "lambda.alarms.cloudwatch",
        "AWS::IoT::TopicRule": "iot", "AWS::Cognito::UserPool": "cognito-idp", "AWS::ElasticLoadBalancingV2::TargetGroup": "elasticloadbalancing",
    ]

    func check(_ template: Template, _ context: RuleContext) {
        for permission in template.resources where permission.type == "AWS::Lambda::Permission" {
            guard let properties = permission.properties else { continue }
            var problems: [String] = []
            // Action names are case-insensitive (lambda:invokeFunction is the same action).
            for (action, _) in context.literals(properties["Action"]) where !["lambda:invokefunction", "lambda:invokefunctionurl"].contains(action.lowercased()) {
                problems.append("Action \(action) is more than invoking")
            }
            let principals = context.literals(properties["Principal"]).map(\.text)
            if principals.contains("*") { problems.append("Principal '*' lets anyone invoke it") }
            let services = principals.filter { $0.hasSuffix(".amazonaws.com") }
            if !services.isEmpty {
                if properties["SourceArn"] == nil {
                    if properties["SourceAccount"] == nil {
                        problems.append("\(services.joined(separator: ", ")) without SourceArn or SourceAccount: any account's resources of that service may invoke it")
                    }
                } else if services.contains("s3.amazonaws.com"), properties["SourceAccount"] == nil {
                    problems.append("s3.amazonaws.com without SourceAccount: bucket ARNs name no account")
                }
                for source in ResourceReferences.targets(properties["SourceArn"]).compactMap({ template.resource($0) }) {
                    guard let service = Self.sourceServices[source.type ?? ""] else { continue }
                    let expected = service + ".amazonaws.com"
                    for principal in services where principal != expected && !(service == "apigateway" && principal == "apigateway.amazonaws.com") {
                        problems.append("the principal \(principal) does not match SourceArn \(source.logicalID), a source of \(expected)")
                    }
                }
            }
            guard !problems.isEmpty else { continue }
            context.report("\(permission.logicalID): \(problems.joined(separator: "; "))", at: permission.keyLocation, path: Places.resourcePath(permission))
        }
    }
}

/// EV-01: rules say when they fire, and whether they are on.
struct EventRuleShape: Rule {
    static let description = RuleDescription(
        id: "EV-01", name: "event-rule-shape", family: .lambda, severity: .error,
        rationale: "An EventBridge rule fires on a schedule (`rate(N unit)`, with the singular unit for 1 and the plural otherwise, or `cron(...)` with six fields) or on an EventPattern; a rule with neither is refused. State is written out, so that a disabled rule is a decision someone can see.",
        cfnLint: ["E3027"],
        triggering: [
            "Resources:\n  ↓Every:\n    Type: AWS::Events::Rule\n    Properties:\n      ScheduleExpression: ↓rate(1 minutes)\n",
        ],
        nonTriggering: [
            "Resources:\n  Every:\n    Type: AWS::Events::Rule\n    Properties:\n      ScheduleExpression: rate(5 minutes)\n      State: ENABLED\n  Nightly:\n    Type: AWS::Events::Rule\n    Properties:\n      ScheduleExpression: cron(0 3 * * ? *)\n      State: DISABLED\n  OnChange:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern: {source: [aws.rds]}\n      State: ENABLED\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for rule in template.resources where rule.type == "AWS::Events::Rule" {
            let properties = rule.properties
            var problems: [String] = []
            if properties?["ScheduleExpression"] == nil && properties?["EventPattern"] == nil { problems.append("has neither ScheduleExpression nor EventPattern") }
            if properties?["State"] == nil { problems.append("leaves State unwritten") }
            if !problems.isEmpty {
                context.report("\(rule.logicalID) \(problems.joined(separator: " and "))", at: rule.keyLocation, path: Places.resourcePath(rule))
            }
            for (text, node) in context.literals(properties?["ScheduleExpression"]) {
                if let problem = Self.problem(with: text) {
                    context.report("\(rule.logicalID)'s schedule \(text): \(problem)", at: node.location, path: Places.resourcePath(rule, .key("Properties"), .key("ScheduleExpression")))
                }
            }
        }
    }

    static func problem(with expression: String) -> String? {
        if expression.hasPrefix("rate("), expression.hasSuffix(")") {
            let parts = expression.dropFirst(5).dropLast().split(separator: " ")
            guard parts.count == 2, let count = Int(parts[0]), count > 0 else { return "rate() takes a positive whole number and a unit" }
            let units = ["minute", "hour", "day"]
            let unit = String(parts[1])
            if count == 1 { return units.contains(unit) ? nil : "rate(1 ...) takes minute, hour or day (singular)" }
            return units.map { $0 + "s" }.contains(unit) ? nil : "rate(\(count) ...) takes minutes, hours or days (plural)"
        }
        if expression.hasPrefix("cron("), expression.hasSuffix(")") {
            let fields = expression.dropFirst(5).dropLast().split(separator: " ")
            guard fields.count == 6 else { return "cron() takes six fields (minutes hours day-of-month month day-of-week year), not \(fields.count)" }
            if fields[2] != "?" && fields[4] != "?" { return "one of day-of-month and day-of-week must be ?" }
            return nil
        }
        return "a schedule is rate(...) or cron(...)"
    }
}

/// EV-02: every Lambda target of a rule may be invoked by it.
struct EventTargetsPermitted: Rule {
    static let description = RuleDescription(
        id: "EV-02", name: "event-targets-permitted", family: .lambda, severity: .error,
        rationale: "EventBridge invokes a Lambda target only if the function's resource policy allows it: an AWS::Lambda::Permission for the function with Principal events.amazonaws.com and SourceArn the rule's ARN. Without it the rule fires and the invocation fails, visible only in the rule's FailedInvocations metric.",
        acrossResources: true,
        triggering: [
            "Resources:\n  Function:\n    Type: AWS::Lambda::Function\n  Schedule:\n    Type: AWS::Events::Rule\n    Properties:\n      ScheduleExpression: rate(1 minute)\n      State: ENABLED\n      Targets:\n        - ↓Id: check\n          Arn: !GetAtt Function.Arn\n",
        ],
        nonTriggering: [
            "Resources:\n  Function:\n    Type: AWS::Lambda::Function\n  Schedule:\n    Type: AWS::Events::Rule\n    Properties:\n      ScheduleExpression: rate(1 minute)\n      State: ENABLED\n      Targets:\n        - Id: check\n          Arn: !GetAtt Function.Arn\n  Invoke:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: !Ref Function\n      Action: lambda:InvokeFunction\n      Principal: events.amazonaws.com\n      SourceArn: !GetAtt Schedule.Arn\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        let permissions = template.resources.filter { $0.type == "AWS::Lambda::Permission" }
        for rule in template.resources where rule.type == "AWS::Events::Rule" {
            for (index, target) in (rule.properties?["Targets"]?.arrayValue ?? []).enumerated() {
                for function in template.functions(namedBy: target["Arn"]) {
                    let permitted = permissions.contains { permission in
                        template.functions(namedBy: permission.properties?["FunctionName"]).contains { $0.logicalID == function.logicalID }
                            && context.literals(permission.properties?["Principal"]).contains { $0.text == "events.amazonaws.com" }
                            && ResourceReferences.names(permission.properties?["SourceArn"], rule.logicalID)
                    }
                    guard !permitted else { continue }
                    let place = target.objectValue?.entries.first?.keyLocation ?? target.location
                    context.report("\(rule.logicalID) targets \(function.logicalID), but no AWS::Lambda::Permission lets events.amazonaws.com invoke it from this rule",
                                   at: place, path: Places.resourcePath(rule, .key("Properties"), .key("Targets"), .index(index)))
                }
            }
        }
    }
}
