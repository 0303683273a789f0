import FormworkRuleKit
import FormworkTemplate

/// S3-08: buckets log access, where the profile requires it.
struct BucketAccessLogging: Rule {
    static let description = RuleDescription(
        id: "S3-08", name: "bucket-access-logging", family: .s3, severity: .warning,
        rationale: "Server access logs (LoggingConfiguration with a DestinationBucketName) are the record of who read or wrote which object, which CloudTrail keeps only when data events are paid for: an investigation of a leak starts there. A team chooses: `accessLogging: required` in .formwork.yml (the `production` profile's default) judges every bucket; `ephemeral`, the default and the reference systems' base, leaves it off, since test stacks are destroyed with their data and the logs would outlive what they describe. A bucket that receives other buckets' access logs is not judged: logging it too only moves the question to another bucket.",
        acrossResources: true,
        peers: [.checkov("CKV_AWS_18"), .guardRule("S3_BUCKET_LOGGING_ENABLED"), .cfnNag("W35")],
        triggering: [
            "Metadata:\n  formwork:\n    settings: {accessLogging: required}\nResources:\n  ↓Reports:\n    Type: AWS::S3::Bucket\n",
        ],
        nonTriggering: [
            "Metadata:\n  formwork:\n    settings: {accessLogging: required}\nConditions:\n  Logged: !Equals [!Ref 'AWS::Region', us-east-1]\nResources:\n  Reports:\n    Type: AWS::S3::Bucket\n    Properties:\n      LoggingConfiguration: !If [Logged, {DestinationBucketName: !Ref AccessLogs, LogFilePrefix: reports/}, !Ref 'AWS::NoValue']\n  AccessLogs:\n    Type: AWS::S3::Bucket\n",
            "Resources:\n  Scratch:\n    Type: AWS::S3::Bucket\n",
        ])

    func check(_ template: Template, _ context: RuleContext) {
        guard context.configuration.logs.accessLoggingRequired else { return }
        let buckets = template.resources.filter { $0.type == "AWS::S3::Bucket" }
        var logTargets = Set<String>()
        // Through Fn::If too: the whole LoggingConfiguration names only its destination.
        for bucket in buckets { logTargets.formUnion(ResourceReferences.targets(bucket.properties?["LoggingConfiguration"])) }
        for bucket in buckets where bucket.properties?["LoggingConfiguration"] == nil && !logTargets.contains(bucket.logicalID) {
            context.report("\(bucket.logicalID) keeps no server access logs (accessLogging: required)", at: bucket.keyLocation, path: Places.resourcePath(bucket),
                           hint: "LoggingConfiguration: {DestinationBucketName: !Ref AccessLogBucket, LogFilePrefix: \(bucket.logicalID.lowercased())/}")
        }
    }
}

/// LG-03: API stages write access logs, where the profile requires it.
struct APIAccessLogging: Rule {
    static let description = RuleDescription(
        id: "LG-03", name: "api-access-logging", family: .logs, severity: .warning,
        rationale: "An API Gateway stage without access logs (AccessLogSetting on REST stages and SAM's AWS::Serverless::Api, AccessLogSettings on HTTP and WebSocket stages and AWS::Serverless::HttpApi, each with a DestinationArn) leaves no record of who called which route from where; execution logs do not replace them. SAM's Globals count. Switched with S3-08 by `accessLogging: required` (the `production` profile's default; off in `ephemeral`, whose stacks are destroyed with their logs).",
        peers: [.checkov("CKV_AWS_76"), .checkov("CKV_AWS_95"), .cfnNag("W69")],
        triggering: [
            "Metadata:\n  formwork:\n    settings: {accessLogging: required}\nResources:\n  ↓Prod:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n      RestApiId: abc123\n      StageName: prod\n  ↓Http:\n    Type: AWS::ApiGatewayV2::Stage\n    Properties:\n      ApiId: abc123\n      StageName: $default\n",
        ],
        nonTriggering: [
            "Metadata:\n  formwork:\n    settings: {accessLogging: required}\nResources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties: {RetentionInDays: 30}\n  Prod:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n      RestApiId: abc123\n      StageName: prod\n      AccessLogSetting: {DestinationArn: !GetAtt Logs.Arn, Format: '$context.requestId'}\n",
        ])

    /// The property that holds a type's access log settings, and the SAM Globals section for it.
    static let settings: [String: (property: String, globals: String?)] = [
        "AWS::ApiGateway::Stage": ("AccessLogSetting", nil), "AWS::Serverless::Api": ("AccessLogSetting", "Api"),
        "AWS::ApiGatewayV2::Stage": ("AccessLogSettings", nil), "AWS::Serverless::HttpApi": ("AccessLogSettings", "HttpApi"),
    ]

    func check(_ template: Template, _ context: RuleContext) {
        guard context.configuration.logs.accessLoggingRequired else { return }
        for stage in template.resources {
            guard let type = stage.type, let setting = Self.settings[type] else { continue }
            let own = stage.properties?[setting.property]
            let global = setting.globals.flatMap { template.root["Globals"]?[$0]?[setting.property] }
            guard (own ?? global)?["DestinationArn"] == nil else { continue }
            context.report("\(stage.logicalID) writes no access logs (\(setting.property).DestinationArn; accessLogging: required)", at: stage.keyLocation, path: Places.resourcePath(stage),
                           hint: "\(setting.property): {DestinationArn: !GetAtt AccessLogGroup.Arn, Format: ...}")
        }
    }
}
