import FormworkRuleKit
import FormworkTemplate

/// ST-52: a Lambda function's environment uses no name Lambda reserves and fits in 4 KB.
struct LambdaEnvironment: Rule {
    static let description = RuleDescription(
        id: "ST-52", name: "lambda-environment", family: .structure, severity: .error,
        rationale: "Lambda sets some environment variables itself (AWS_REGION, AWS_LAMBDA_FUNCTION_NAME, the credentials, _HANDLER, ...) and refuses a function that defines one of them; and it limits the variables of a function to 4 KB in total (names and values), refusing a larger set at deployment. Values a function computes (Ref, Fn::Sub) are counted only when they are written out.",
        cfnLint: ["E3663", "E3697"],
        triggering: [
            "Resources:\n  Worker:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/worker\n      Code: {ZipFile: 'def handler(e, c): pass'}\n      Environment:\n        Variables:\n          ↓AWS_REGION: us-east-1\n          TABLE: orders\n",
        ],
        nonTriggering: [
            "Resources:\n  Worker:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/worker\n      Code: {ZipFile: 'def handler(e, c): pass'}\n      Environment:\n        Variables:\n          REGION: !Ref AWS::Region\n          TABLE: orders\n",
        ])

    /// The names Lambda reserves (the Lambda developer guide's "Defined runtime environment
    /// variables" that a function cannot set; cfn-lint 1.51.0's list).
    static let reserved: Set<String> = [
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ]

    /// Lambda's limit on a function's environment variables, names and values together.
    static let maximumBytes = 4096

    func check(_ template: Template, _ context: RuleContext) {
        for function in template.resources where function.type == "AWS::Lambda::Function" {
            guard let variables = function.properties?["Environment"]?["Variables"] else { continue }
            let base = Places.resourcePath(function, .key("Properties"), .key("Environment"), .key("Variables"))
            for (map, path) in Branches.objects(variables, base) {
                var total = 0
                for entry in map.entries {
                    total += entry.key.utf8.count + (entry.value.stringValue?.utf8.count ?? 0)
                    if Self.reserved.contains(entry.key) {
                        context.report("\(function.logicalID) sets the environment variable \(entry.key), which Lambda reserves for itself",
                                       at: entry.keyLocation, path: path + [.key(entry.key)],
                                       hint: "use another name (for instance APP_\(entry.key)); Lambda provides \(entry.key) to the function")
                    }
                }
                if total > Self.maximumBytes {
                    context.report("\(function.logicalID)'s environment variables take \(total) bytes: Lambda allows \(Self.maximumBytes) in total",
                                   at: variables.location, path: path,
                                   hint: "move large values to SSM Parameter Store or Secrets Manager and read them at start-up")
                }
            }
        }
    }
}

/// ST-53: an SQS queue that feeds a Lambda function hides a message at least as long as the
/// function may run.
struct QueueVisibilityTimeout: Rule {
    static let description = RuleDescription(
        id: "ST-53", name: "sqs-visibility-timeout", family: .structure, severity: .error,
        rationale: "When a queue feeds a function through an event source mapping, the queue's VisibilityTimeout (30 s unless set) must be at least the function's Timeout (3 s unless set): Lambda refuses the mapping otherwise, since a message would reappear while the function still works on it. Judged when the mapping names the queue (Fn::GetAtt Queue.Arn) and the function (Ref or Fn::GetAtt) of the template and both values are numbers.",
        acrossResources: true,
        cfnLint: ["E3505"],
        triggering: [
            "Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: ↓60\n  Worker:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/worker\n      Code: {ZipFile: 'def handler(e, c): pass'}\n      Timeout: 120\n  Feed:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      EventSourceArn: !GetAtt Jobs.Arn\n      FunctionName: !Ref Worker\n",
        ],
        nonTriggering: [
            "Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 180\n  Worker:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/worker\n      Code: {ZipFile: 'def handler(e, c): pass'}\n      Timeout: 120\n  Feed:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      EventSourceArn: !GetAtt Jobs.Arn\n      FunctionName: !GetAtt Worker.Arn\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for mapping in template.resources where mapping.type == "AWS::Lambda::EventSourceMapping" {
            guard let queueName = ResourceReferences.direct(mapping.properties?["EventSourceArn"]), let queue = template.resource(queueName),
                  queue.type == "AWS::SQS::Queue",
                  let functionName = ResourceReferences.direct(mapping.properties?["FunctionName"]), let function = template.resource(functionName),
                  function.type == "AWS::Lambda::Function" else { continue }
            let visibilityNode = queue.properties?["VisibilityTimeout"]
            let timeoutNode = function.properties?["Timeout"]
            guard let visibility = visibilityNode.map({ $0.numberValue }) ?? 30, let timeout = timeoutNode.map({ $0.numberValue }) ?? 3,
                  visibility < timeout else { continue }
            let place = visibilityNode?.location ?? queue.keyLocation
            let path = visibilityNode == nil ? Places.resourcePath(queue) : Places.resourcePath(queue, .key("Properties"), .key("VisibilityTimeout"))
            context.report("\(queue.logicalID) feeds \(function.logicalID) (through \(mapping.logicalID)) but hides a message for \(Self.seconds(visibility)) s\(visibilityNode == nil ? " (the default)" : ""), less than the function's timeout of \(Self.seconds(timeout)) s",
                           at: place, path: path, hint: "set VisibilityTimeout to at least \(Self.seconds(timeout)) (AWS suggests six times the function's timeout)")
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
