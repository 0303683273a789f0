import FormworkRuleKit
import FormworkTemplate

/// ST-44: an SQS queue's dead-letter queue is of its own kind.
struct QueueDeadLetterTypes: Rule {
    static let description = RuleDescription(
        id: "ST-44", name: "sqs-dead-letter-type", family: .structure, severity: .error,
        rationale: "SQS moves a message that failed too often to the queue its RedrivePolicy names, and only to a queue of the same kind: a FIFO queue's dead-letter queue must be FIFO, and a standard queue's must be standard, or CloudFormation fails to set the policy. Judged when the dead-letter queue is one of the template's queues (Fn::GetAtt Queue.Arn) and both FifoQueue values are literals (absent is standard).",
        acrossResources: true,
        cfnLint: ["E3502"],
        triggering: [
            "Resources:\n  Orders:\n    Type: AWS::SQS::Queue\n    Properties:\n      FifoQueue: true\n      RedrivePolicy:\n        deadLetterTargetArn: ↓!GetAtt OrdersDeadLetters.Arn\n        maxReceiveCount: 5\n  OrdersDeadLetters:\n    Type: AWS::SQS::Queue\n",
        ],
        nonTriggering: [
            "Resources:\n  Orders:\n    Type: AWS::SQS::Queue\n    Properties:\n      FifoQueue: true\n      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt OrdersDeadLetters.Arn\n        maxReceiveCount: 5\n  OrdersDeadLetters:\n    Type: AWS::SQS::Queue\n    Properties:\n      FifoQueue: 'true'\n  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy: {deadLetterTargetArn: !GetAtt JobsDeadLetters.Arn, maxReceiveCount: 5}\n  JobsDeadLetters:\n    Type: AWS::SQS::Queue\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        for queue in template.resources where queue.type == "AWS::SQS::Queue" {
            guard let target = queue.properties?["RedrivePolicy"]?["deadLetterTargetArn"],
                  let function = target.intrinsicValue, function.name == .getAtt,
                  let parts = function.argument.arrayValue, parts.count == 2, parts[1].stringValue == "Arn",
                  let name = parts[0].stringValue, let deadLetters = template.resource(name), deadLetters.type == "AWS::SQS::Queue",
                  let source = Self.isFIFO(queue), let destination = Self.isFIFO(deadLetters), source != destination else { continue }
            context.report("\(queue.logicalID) is a \(source ? "FIFO" : "standard") queue, but its dead-letter queue \(name) is \(destination ? "FIFO" : "standard"): both must be of one kind",
                           at: target.location, path: Places.resourcePath(queue, .key("Properties"), .key("RedrivePolicy"), .key("deadLetterTargetArn")))
        }
    }

    /// Whether a queue is FIFO, nil when a function decides it.
    static func isFIFO(_ queue: Resource) -> Bool? {
        guard let value = queue.properties?["FifoQueue"] else { return false }
        switch value.kind {
        case .bool(let flag): return flag
        case .string(let text) where ["true", "false"].contains(text.lowercased()): return text.lowercased() == "true"
        default: return nil
        }
    }
}
