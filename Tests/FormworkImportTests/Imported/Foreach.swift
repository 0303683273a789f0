// Imported by `formwork import` from foreach.yaml.
import Formwork

/// Imported from ../shared/corpus/cfn-lint/templates/good/functions/foreach.yaml.
func foreach() -> Stack {
    let stack = Stack()
    stack.transform("AWS::LanguageExtensions")

    // Parameters
    let environment = stack.parameter("Environment", .string())

    // Mappings
    _ = stack.mapping("Buckets", [
        "Production": ["Identifiers": ["A", "B", "C"]],
    ])

    // Resources
    stack.section("Resources", ["Fn::ForEach::Buckets": [
        "Identifier",
        ["Fn::FindInMap": ["Buckets", JSON(environment.ref), "Identifiers"]],
        [
            "S3Bucket${Identifier}": [
                "Type": "AWS::S3::Bucket",
                "Properties": [
                    "AccessControl": "PublicRead",
                    "MetricsConfigurations": [["Id": JSON(.sub("EntireBucket${Identifier}") as Value<String>)]],
                    "WebsiteConfiguration": [
                        "IndexDocument": "index.html",
                        "ErrorDocument": "error.html",
                        "RoutingRules": [
                            [
                                "RoutingRuleCondition": ["HttpErrorCodeReturnedEquals": "404", "KeyPrefixEquals": "out1/"],
                                "RedirectRule": [
                                    "HostName": "ec2-11-22-333-44.compute-1.amazonaws.com",
                                    "ReplaceKeyPrefixWith": "report-404/",
                                ],
                            ],
                        ],
                    ],
                ],
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
            ],
        ],
    ]])

    // Outputs
    stack.section("Outputs", ["Fn::ForEach::BucketOutputs": [
        "Identifier",
        ["Fn::FindInMap": ["Buckets", JSON(environment.ref), "Identifiers"]],
        ["Fn::ForEach::GetAttLoop": [
                "Property",
                ["Arn", "DomainName", "WebsiteURL"],
                [
                    "S3Bucket${Identifier}${Property}": [
                        "Value": ["Fn::GetAtt": [JSON(.sub("S3Bucket${Identifier}") as Value<String>), ["Ref": "Property"]]],
                    ],
                ],
            ]],
    ]])
    return stack
}
