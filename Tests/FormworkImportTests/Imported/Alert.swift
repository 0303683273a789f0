// Imported by `formwork import` from alert.yaml.
import Formwork
import FormworkCloudWatch
import FormworkSNS

/// Imported from ../shared/corpus/real-world/templates/widdix+aws-cf-templates/operations/alert.yaml.
/// Operations: Alert topic, a cloudonaut.io template
func alert() -> Stack {
    let stack = Stack(description: "Operations: Alert topic, a cloudonaut.io template", metadata: [
        "AWS::CloudFormation::Interface": [
            "ParameterGroups": [
                [
                    "Label": ["default": "Alert Parameters"],
                    "Parameters": ["Email", "HttpEndpoint", "HttpsEndpoint"],
                ],
                ["Label": ["default": "Fallback Parameters"], "Parameters": ["FallbackEmail"]],
            ],
        ],
    ])

    // Parameters
    let email = stack.parameter("Email", .string(description: "Optional email address that will receive alerts.", default: ""))
    let httpEndpoint = stack.parameter("HttpEndpoint", .string(description: "Optional HTTP endpoint that will receive alerts via POST requests.", default: ""))
    let httpsEndpoint = stack.parameter("HttpsEndpoint", .string(description: "Optional HTTPS endpoint that will receive alerts via POST requests (e.g., a marbot.io endpoint for incident management in Slack).", default: ""))
    let fallbackEmail = stack.parameter("FallbackEmail", .string(description: "Optional email address that will receive alerts if alerts can not be delivered.", default: ""))

    // Conditions
    let hasEmail = stack.condition("HasEmail", .not(.equals(email.ref, "")))
    let hasHttpEndpoint = stack.condition("HasHttpEndpoint", .not(.equals(httpEndpoint.ref, "")))
    let hasHttpsEndpoint = stack.condition("HasHttpsEndpoint", .not(.equals(httpsEndpoint.ref, "")))
    let hasFallbackEmail = stack.condition("HasFallbackEmail", .not(.equals(fallbackEmail.ref, "")))

    // Resources
    let topic = stack.add("Topic", SNS.Topic())
    stack.add("TopicPolicy", SNS.TopicPolicy(
        policyDocument: PolicyDocument(json: [
            "Id": "Id1",
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Sid": "Sid1",
                    "Effect": "Allow",
                    "Principal": [
                        "Service": [
                            "events.amazonaws.com",
                            "budgets.amazonaws.com",
                            "rds.amazonaws.com",
                            "s3.amazonaws.com",
                            "backup.amazonaws.com",
                            "codestar-notifications.amazonaws.com",
                        ],
                    ],
                    "Action": "sns:Publish",
                    "Resource": JSON(topic.ref),
                ],
                [
                    "Sid": "Sid2",
                    "Effect": "Allow",
                    "Principal": ["AWS": "*"],
                    "Action": "sns:Publish",
                    "Resource": JSON(topic.ref),
                    "Condition": ["StringEquals": ["AWS:SourceOwner": JSON(Pseudo.accountID)]],
                ],
                [
                    "Sid": "Sid3",
                    "Effect": "Allow",
                    "Principal": ["Service": "ses.amazonaws.com"],
                    "Action": "sns:Publish",
                    "Resource": JSON(topic.ref),
                    "Condition": ["StringEquals": ["AWS:Referer": JSON(Pseudo.accountID)]],
                ],
            ],
        ]),
        topics: [topic.ref],
    ))
    let fallbackTopic = stack.add("FallbackTopic", SNS.Topic())
    stack.add("NumberOfNotificationsFailedTooHighAlarm", CloudWatch.Alarm {
        $0.alarmDescription = "Alerts could not be delivered"
        $0.namespace = "AWS/SNS"
        $0.metricName = "NumberOfNotificationsFailed"
        $0.statistic = .sum
        $0.period = 60
        $0.evaluationPeriods = 1
        $0.comparisonOperator = .greaterThanThreshold
        $0.threshold = 0
        $0.alarmActions = [fallbackTopic.ref]
        $0.dimensions = [CloudWatch.Alarm.Dimension(name: "TopicName", value: topic.topicName)]
        $0.treatMissingData = .notBreaching
    })
    stack.add("EmailSubscription", SNS.Subscription(protocol: "email", topicArn: topic.ref) {
        $0.endpoint = email.ref
    }, condition: hasEmail)
    stack.add("HttpEndpointSubscription", SNS.Subscription(protocol: "http", topicArn: topic.ref) {
        $0.deliveryPolicy = [
            "healthyRetryPolicy": [
                "minDelayTarget": 1,
                "maxDelayTarget": 60,
                "numRetries": 100,
                "numNoDelayRetries": 0,
                "backoffFunction": "exponential",
            ],
            "throttlePolicy": ["maxReceivesPerSecond": 1],
        ]
        $0.endpoint = httpEndpoint.ref
    }, condition: hasHttpEndpoint)
    stack.add("HttpsEndpointSubscription", SNS.Subscription(protocol: "https", topicArn: topic.ref) {
        $0.deliveryPolicy = [
            "healthyRetryPolicy": [
                "minDelayTarget": 1,
                "maxDelayTarget": 60,
                "numRetries": 100,
                "numNoDelayRetries": 0,
                "backoffFunction": "exponential",
            ],
            "throttlePolicy": ["maxReceivesPerSecond": 1],
        ]
        $0.endpoint = httpsEndpoint.ref
    }, condition: hasHttpsEndpoint)
    stack.add("FallbackEmailSubscription", SNS.Subscription(protocol: "email", topicArn: fallbackTopic.ref) {
        $0.endpoint = fallbackEmail.ref
    }, condition: hasFallbackEmail)

    // Outputs
    stack.output("TemplateID", "operations/alert" as Value<String>, description: "cloudonaut.io template id.")
    stack.output("TemplateVersion", "__VERSION__" as Value<String>, description: "cloudonaut.io template version.")
    stack.output("StackName", "\(Pseudo.stackName)" as Value<String>, description: "Stack name.")
    stack.output("TopicARN", topic.ref, description: "The ARN of the alert topic.", export: "\(Pseudo.stackName)-TopicARN")
    stack.output("TopicName", topic.topicName, description: "The name of the alert topic.", export: "\(Pseudo.stackName)-TopicName")
    return stack
}
