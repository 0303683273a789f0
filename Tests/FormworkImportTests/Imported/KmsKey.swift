// Imported by `formwork import` from kms-key.yaml.
import Formwork
import FormworkEvents
import FormworkKMS

/// Imported from ../shared/corpus/real-world/templates/widdix+aws-cf-templates/security/kms-key.yaml.
/// Security: KMS customer managed CMK for AWS services, a cloudonaut.io template
func kmsKey() -> Stack {
    let stack = Stack(description: "Security: KMS customer managed CMK for AWS services, a cloudonaut.io template", metadata: [
        "AWS::CloudFormation::Interface": [
            "ParameterGroups": [
                ["Label": ["default": "Parent Stacks"], "Parameters": ["ParentAlertStack"]],
                ["Label": ["default": "KMS Parameters"], "Parameters": ["Service", "KeySpec", "KeyUsage"]],
            ],
        ],
    ])

    // Parameters
    let parentAlertStack = stack.parameter("ParentAlertStack", .string(description: "Optional but recommended stack name of parent alert stack based on operations/alert.yaml template.", default: ""))
    let service = stack.parameter("Service", .string(description: "Which AWS service is allowed to use this CMK (upper-case names define use-cases)", default: "ALL_SERVICES", allowedValues: ["ALL_SERVICES", "S3_PUBLIC_ACCESS", "ROUTE53_DNSSEC", "CLOUDTRAIL", "CLOUDFRONT", "connect", "dms", "ssm", "ec2", "elasticfilesystem", "es", "kinesis", "kinesisvideo", "lambda", "lex", "redshift", "rds", "secretsmanager", "ses", "s3", "importexport", "sqs", "workmail", "workspaces", "dnssec-route53", "cloudtrail"]))
    let keySpec = stack.parameter("KeySpec", .string(description: "Specify the type of the CMK.", default: "SYMMETRIC_DEFAULT", allowedValues: ["SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1"]))
    let keyUsage = stack.parameter("KeyUsage", .string(description: "Which cryptographic operations should the CMK support?", default: "ENCRYPT_DECRYPT", allowedValues: ["ENCRYPT_DECRYPT", "SIGN_VERIFY"]))

    // Conditions
    let hasAlertTopic = stack.condition("HasAlertTopic", .not(.equals(parentAlertStack.ref, "")))
    let hasServiceAllServices = stack.condition("HasServiceAllServices", .equals(service.ref, "ALL_SERVICES"))
    let hasServiceS3PublicAccess = stack.condition("HasServiceS3PublicAccess", .equals(service.ref, "S3_PUBLIC_ACCESS"))
    let hasServiceRoute53Dnssec = stack.condition("HasServiceRoute53Dnssec", .or([.equals(service.ref, "ROUTE53_DNSSEC"), .equals(service.ref, "dnssec-route53")]))
    let hasServiceCloudFront = stack.condition("HasServiceCloudFront", .equals(service.ref, "CLOUDFRONT"))
    let hasServiceCloudTrail = stack.condition("HasServiceCloudTrail", .equals(service.ref, "CLOUDTRAIL"))
    _ = stack.condition("HasService", .not(.or([.condition(hasServiceAllServices), .condition(hasServiceS3PublicAccess), .condition(hasServiceRoute53Dnssec), .condition(hasServiceCloudFront), .condition(hasServiceCloudTrail)])))
    let hasSymmetricKey = stack.condition("HasSymmetricKey", .equals(keySpec.ref, "SYMMETRIC_DEFAULT"))

    // Resources
    let key = stack.add("Key", KMS.Key {
        $0.enableKeyRotation = .if(hasSymmetricKey, true, else: false)
        $0.keySpec = Value(keySpec.ref)
        $0.keyUsage = Value(keyUsage.ref)
        $0.keyPolicy = PolicyDocument(json: [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Effect": "Allow",
                    "Principal": ["AWS": JSON("arn:aws:iam::\(Pseudo.accountID):root" as Value<String>)],
                    "Action": "kms:*",
                    "Resource": "*",
                ],
                ["Fn::If": [
                        "HasService",
                        [
                            "Effect": "Allow",
                            "Principal": ["AWS": "*"],
                            "Action": [
                                "kms:Encrypt",
                                "kms:Decrypt",
                                "kms:ReEncrypt*",
                                "kms:GenerateDataKey*",
                                "kms:CreateGrant",
                                "kms:ListGrants",
                                "kms:DescribeKey",
                            ],
                            "Resource": "*",
                            "Condition": [
                                "StringEquals": [
                                    "kms:CallerAccount": JSON(Pseudo.accountID),
                                    "kms:ViaService": JSON("\(service).\(Pseudo.region).amazonaws.com" as Value<String>),
                                ],
                            ],
                        ],
                        ["Ref": "AWS::NoValue"],
                    ]],
                ["Fn::If": [
                        "HasServiceAllServices",
                        [
                            "Effect": "Allow",
                            "Principal": ["AWS": "*"],
                            "Action": [
                                "kms:Encrypt",
                                "kms:Decrypt",
                                "kms:ReEncrypt*",
                                "kms:GenerateDataKey*",
                                "kms:CreateGrant",
                                "kms:ListGrants",
                                "kms:DescribeKey",
                            ],
                            "Resource": "*",
                            "Condition": ["StringEquals": ["kms:CallerAccount": JSON(Pseudo.accountID)]],
                        ],
                        ["Ref": "AWS::NoValue"],
                    ]],
                ["Fn::If": [
                        "HasServiceS3PublicAccess",
                        [
                            "Effect": "Allow",
                            "Principal": ["AWS": "*"],
                            "Action": ["kms:Decrypt"],
                            "Resource": "*",
                            "Condition": [
                                "StringEquals": ["kms:ViaService": JSON("s3.\(Pseudo.region).amazonaws.com" as Value<String>)],
                            ],
                        ],
                        ["Ref": "AWS::NoValue"],
                    ]],
                ["Fn::If": [
                        "HasServiceRoute53Dnssec",
                        [
                            "Effect": "Allow",
                            "Principal": ["Service": "dnssec-route53.amazonaws.com"],
                            "Action": ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"],
                            "Resource": "*",
                        ],
                        ["Ref": "AWS::NoValue"],
                    ]],
                ["Fn::If": [
                        "HasServiceRoute53Dnssec",
                        [
                            "Effect": "Allow",
                            "Principal": ["Service": "dnssec-route53.amazonaws.com"],
                            "Action": ["kms:CreateGrant"],
                            "Resource": "*",
                            "Condition": ["Bool": ["kms:GrantIsForAWSResource": true]],
                        ],
                        ["Ref": "AWS::NoValue"],
                    ]],
                ["Fn::If": [
                        "HasServiceCloudTrail",
                        [
                            "Effect": "Allow",
                            "Principal": ["Service": "cloudtrail.amazonaws.com"],
                            "Action": ["kms:GenerateDataKey*"],
                            "Resource": "*",
                            "Condition": [
                                "StringLike": [
                                    "kms:EncryptionContext:aws:cloudtrail:arn": JSON("arn:aws:cloudtrail:*:\(Pseudo.accountID):trail/*" as Value<String>),
                                ],
                            ],
                        ],
                        ["Ref": "AWS::NoValue"],
                    ]],
                ["Fn::If": [
                        "HasServiceCloudFront",
                        [
                            "Effect": "Allow",
                            "Principal": ["Service": "cloudfront.amazonaws.com"],
                            "Action": ["kms:Decrypt"],
                            "Resource": "*",
                            "Condition": [
                                "StringLike": [
                                    "aws:SourceArn": JSON("arn:aws:cloudfront::\(Pseudo.accountID):distribution/*" as Value<String>),
                                ],
                            ],
                        ],
                        ["Ref": "AWS::NoValue"],
                    ]],
            ],
        ])
    }, deletionPolicy: .retain, updateReplacePolicy: .retain)
    stack.add("KeyAlias", KMS.Alias(aliasName: "alias/\(Pseudo.stackName)", targetKeyId: key.ref), deletionPolicy: .retain, updateReplacePolicy: .retain)
    stack.add("DeletionNotification", Events.Rule {
        $0.eventPattern = [
            "source": ["aws.kms"],
            "detail-type": ["AWS API Call via CloudTrail"],
            "resources": [JSON(key.arn)],
            "detail": ["eventSource": ["kms.amazonaws.com"], "eventName": ["ScheduleKeyDeletion", "DisableKey"]],
        ]
        $0.state = .enabled
        $0.targets = [Events.Rule.Target(arn: .importValue("\(parentAlertStack)-TopicARN"), id: "rule")]
    }, condition: hasAlertTopic)

    // Outputs
    stack.output("TemplateID", "security/kms-key" as Value<String>, description: "cloudonaut.io template id.")
    stack.output("TemplateVersion", "__VERSION__" as Value<String>, description: "cloudonaut.io template version.")
    stack.output("StackName", "\(Pseudo.stackName)" as Value<String>, description: "Stack name.")
    stack.output("KeyId", key.ref, description: "Key id.", export: "\(Pseudo.stackName)-KeyId")
    stack.output("KeyArn", key.arn, description: "Key ARN.", export: "\(Pseudo.stackName)-KeyArn")
    return stack
}
