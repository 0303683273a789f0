// Imported by `formwork import` from transform_serverless_function.yaml.
import Formwork
import FormworkIAM
import FormworkS3

/// Imported from ../shared/corpus/cfn-lint/templates/good/transform_serverless_function.yaml.
func transformServerlessFunction() -> Stack {
    let stack = Stack()
    stack.transform("AWS::Serverless-2016-10-31")

    // Resources
    let myApi = stack.add("myApi", RawResource(type: "AWS::Serverless::Api", properties: ["StageName": "prod"]))
    let myBucket = stack.add("myBucket", S3.Bucket())
    stack.add("myFunction", RawResource(type: "AWS::Serverless::Function", properties: [
        "Handler": "index.handler",
        "Runtime": "nodejs22.x",
        "CodeUri": "s3://test-bucket/mySourceCode.zip",
        "AutoPublishAlias": "live",
        "DeploymentPreference": ["Type": "Linear10PercentEvery10Minutes"],
        "Events": [
            "OriginalApi": ["Type": "Api", "Properties": ["Path": "/original", "Method": "GET"]],
            "DoubleApi": ["Type": "Api", "Properties": ["Path": "/double", "Method": "GET"]],
            "ThumbnailApi": [
                "Type": "Api",
                "Properties": ["Path": "/thumbnail", "Method": "GET", "RestApiId": JSON(myApi.ref)],
            ],
            "WatermarkApi": [
                "Type": "Api",
                "Properties": ["Path": "/watermark", "Method": "GET", "RestApiId": JSON(myApi.ref)],
            ],
            "S3Trigger": ["Type": "S3", "Properties": ["Bucket": JSON(myBucket.ref), "Events": "s3:ObjectCreated:*"]],
            "MySnsTrigger": ["Type": "SNS", "Properties": ["Topic": "arn:aws:sns:us-east-1:123456789012:my_topic"]],
            "MyKinesisTrigger": [
                "Type": "Kinesis",
                "Properties": [
                    "Stream": "arn:aws:kinesis:us-east-1:123456789012:stream/my-stream",
                    "StartingPosition": "TRIM_HORIZON",
                ],
            ],
            "MyDynamoDbTrigger": [
                "Type": "DynamoDB",
                "Properties": [
                    "Stream": "arn:aws:dynamodb:us-east-1:123456789012:table/TestTable/stream/2016-08-11T21:21:33.291",
                    "StartingPosition": "TRIM_HORIZON",
                ],
            ],
            "MyTimer": ["Type": "Schedule", "Properties": ["Schedule": "rate(5 minutes)"]],
            "OnTerminate": ["Type": "CloudWatchEvent", "Properties": ["Pattern": ["detail": ["state": ["terminated"]]]]],
        ],
    ]))
    stack.add("myIamPolicy", IAM.Policy(
        policyDocument: PolicyDocument(json: [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Effect": "Allow",
                    "Action": ["cloudformation:Describe*", "cloudformation:List*", "cloudformation:Get*"],
                    "Resource": "*",
                ],
            ],
        ]),
        policyName: "CFNUsers",
    ) {
        $0.roles = [Value(raw: ["Ref": "myFunctionRole"])]
    })
    return stack
}
