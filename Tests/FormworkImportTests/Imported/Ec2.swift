// Imported by `formwork import` from ec2.yaml.
import Formwork
import FormworkCloudWatch

/// Imported from ../shared/corpus/real-world/templates/eijikominami+aws-cloudformation-templates/monitoring/sam-app/ec2.yaml.
/// CloudWatch alarm for Amazon EC2
func ec2() -> Stack {
    let stack = Stack(description: "CloudWatch alarm for Amazon EC2", metadata: [
        "AWS::ServerlessRepo::Application": [
            "Name": "cloudwatch-alarm-about-ec2",
            "Description": "Create Amazon CloudWatch Alarm about Amazon EC2.",
            "Author": "Eiji KOMINAMI",
            "SpdxLicenseId": "MIT",
            "LicenseUrl": "s3://eijikominami-test/LICENSE",
            "ReadmeUrl": "s3://eijikominami-test/readme/cloudwatch-alarm-about-ec2.md",
            "Labels": [],
            "HomePageUrl": "https://github.com/eijikominami/aws-cloudformation-templates",
            "SourceCodeUrl": "https://github.com/eijikominami/aws-cloudformation-templates",
        ],
    ])
    stack.transform("AWS::Serverless-2016-10-31")

    // Parameters
    let customAlarmName = stack.parameter("CustomAlarmName", .string(description: "The custom alram name", default: ""))
    let snsTopicArn = stack.parameter("SNSTopicArn", .string(description: "The SNS topic ARN [required]", allowedPattern: ".+"))
    let cpuUtilizationThreshold = stack.parameter("CPUUtilizationThreshold", .number(description: "The threshold of CPU Utilization [required]", default: 100, minValue: 0, maxValue: 100))
    let environment = stack.parameter("Environment", .string(default: "production", allowedValues: ["production", "test", "development"]))
    let tagKey = stack.parameter("TagKey", .string(default: "createdby", allowedPattern: ".+"))
    let tagValue = stack.parameter("TagValue", .string(default: "aws-cloudformation-templates", allowedPattern: ".+"))

    // Conditions
    let createCustomAlarmName = stack.condition("CreateCustomAlarmName", .not(.equals(customAlarmName.ref, "")))

    // Resources
    stack.add("EC2StatusCheckFailed", CloudWatch.Alarm {
        $0.actionsEnabled = true
        $0.alarmActions = [snsTopicArn.ref]
        $0.alarmDescription = "*EC2* で *ステータスチェックエラー* が発生しています。このエラーの詳細は、<https://docs.aws.amazon.com/ja_jp/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html|インスタンスの利用可能な CloudWatch メトリクスのリスト表示> をご覧ください。"
        $0.alarmName = .if(createCustomAlarmName, "Warning-\(customAlarmName)-EC2-StatusCheckFailed", else: "Warning-EC2-StatusCheckFailed")
        $0.comparisonOperator = .greaterThanOrEqualToThreshold
        $0.datapointsToAlarm = 1
        $0.evaluationPeriods = 1
        $0.metricName = "StatusCheckFailed"
        $0.namespace = "AWS/EC2"
        $0.okActions = [snsTopicArn.ref]
        $0.period = 60
        $0.statistic = .sum
        $0.threshold = 1
        $0.treatMissingData = .notBreaching
        $0.tags = [
            CloudWatch.Alarm.Tag(key: "environment", value: environment.ref),
            CloudWatch.Alarm.Tag(key: tagKey.ref, value: tagValue.ref),
        ]
    })
    stack.add("EC2CPUUtilization", CloudWatch.Alarm {
        $0.actionsEnabled = true
        $0.alarmActions = [snsTopicArn.ref]
        $0.alarmDescription = "*EC2* で *CPU使用率が上昇* しています。このエラーの詳細は、<https://docs.aws.amazon.com/ja_jp/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html|インスタンスの利用可能な CloudWatch メトリクスのリスト表示> をご覧ください。"
        $0.alarmName = .if(createCustomAlarmName, "Warning-\(customAlarmName)-EC2-CPU-Overloaded", else: "Warning-EC2-CPU-Overloaded")
        $0.comparisonOperator = .greaterThanOrEqualToThreshold
        $0.datapointsToAlarm = 1
        $0.evaluationPeriods = 1
        $0.metricName = "CPUUtilization"
        $0.namespace = "AWS/EC2"
        $0.okActions = [snsTopicArn.ref]
        $0.period = 60
        $0.statistic = .average
        $0.threshold = cpuUtilizationThreshold.ref
        $0.treatMissingData = .notBreaching
        $0.tags = [
            CloudWatch.Alarm.Tag(key: "environment", value: environment.ref),
            CloudWatch.Alarm.Tag(key: tagKey.ref, value: tagValue.ref),
        ]
    })
    return stack
}
