// Imported by `formwork import` from sub_needed_custom_excludes.yaml.
import Formwork
import FormworkIAM

/// Imported from ../shared/corpus/cfn-lint/templates/good/functions/sub_needed_custom_excludes.yaml.
/// Template containing third-party preprocessor-like variables to test custom ignore filters
func subNeededCustomExcludes() -> Stack {
    let stack = Stack(description: "Template containing third-party preprocessor-like variables to test custom ignore filters")

    // Parameters
    _ = stack.parameter("Stage", .string())

    // Resources
    stack.add("TestRole", IAM.Role(
        assumeRolePolicyDocument: PolicyDocument(json: [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Effect": "Allow",
                    "Principal": [
                        "AWS": [
                            "arn:aws:iam::${self:custom.config.masterAccount}:user/${self:custom.config.deploymentUser}",
                        ],
                    ],
                    "Action": ["sts:AssumeRole"],
                ],
            ],
        ]),
    ) {
        $0.roleName = "TestRole-${Stage}"
        $0.policies = [
            IAM.Role.Policy(
                policyDocument: PolicyDocument(json: [
                    "Version": "2012-10-17",
                    "Statement": [
                        [
                            "Effect": "Allow",
                            "Action": ["s3:GetObject"],
                            "Resource": ["arn:aws:s3:::${self:custom.config.deploymentBucket}/*"],
                        ],
                    ],
                ]),
                policyName: "TestBucket",
            ),
        ]
    })
    return stack
}
