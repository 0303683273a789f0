import FormworkSchema

/// Classes of IAM actions that need more than an Allow to be safe, as checkov judges them
/// (its CKV_AWS_107-111 read cloudsplaining): the source of each list is named beside it.
/// Write access without a resource constraint comes from the IAM action table's access
/// levels (`IAMActionCatalogue`), not from a list.
public enum ActionClasses {
    /// Privilege escalation: each method is a set of actions that together let a principal
    /// grant itself more (Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and
    /// Mitigation", as cloudsplaining 0.7.0 lists them in `PRIVILEGE_ESCALATION_METHODS`).
    public static let privilegeEscalation: [(method: String, actions: [String])] = [
        ("CreateAccessKey", ["iam:CreateAccessKey"]),
        ("CreateLoginProfile", ["iam:CreateLoginProfile"]),
        ("UpdateLoginProfile", ["iam:UpdateLoginProfile"]),
        ("AddUserToGroup", ["iam:AddUserToGroup"]),
        ("CreateNewPolicyVersion", ["iam:CreatePolicyVersion"]),
        ("SetExistingDefaultPolicyVersion", ["iam:SetDefaultPolicyVersion"]),
        ("AttachUserPolicy", ["iam:AttachUserPolicy"]),
        ("AttachGroupPolicy", ["iam:AttachGroupPolicy"]),
        ("AttachRolePolicy", ["iam:AttachRolePolicy", "sts:AssumeRole"]),
        ("PutUserPolicy", ["iam:PutUserPolicy"]),
        ("PutGroupPolicy", ["iam:PutGroupPolicy"]),
        ("PutRolePolicy", ["iam:PutRolePolicy", "sts:AssumeRole"]),
        ("UpdateRolePolicyToAssumeIt", ["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"]),
        ("CreateEC2WithExistingIP", ["iam:PassRole", "ec2:RunInstances"]),
        ("PassExistingRoleToNewLambdaThenInvoke", ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]),
        ("PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo", ["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"]),
        ("PassExistingRoleToNewGlueDevEndpoint", ["iam:PassRole", "glue:CreateDevEndpoint"]),
        ("PassExistingRoleToCloudFormation", ["iam:PassRole", "cloudformation:CreateStack"]),
        ("PassExistingRoleToNewDataPipeline", ["iam:PassRole", "datapipeline:CreatePipeline"]),
        ("UpdateExistingGlueDevEndpoint", ["glue:UpdateDevEndpoint"]),
        ("EditExistingLambdaFunctionWithRole", ["lambda:UpdateFunctionCode"]),
    ]

    /// Reads that hand data or secrets out when not limited to resources (cloudsplaining
    /// 0.7.0 `READ_ONLY_DATA_EXFILTRATION_ACTIONS`, checkov CKV_AWS_108).
    public static let dataExfiltration = [
        "s3:GetObject", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "secretsmanager:GetSecretValue",
    ]

    /// Calls that return credentials (cloudsplaining 0.7.0 `ACTIONS_THAT_RETURN_CREDENTIALS`,
    /// checkov CKV_AWS_107): sts:AssumeRole on every role is every role that trusts the account.
    public static let credentialExposure = [
        "airflow:CreateCliToken", "airflow:CreateWebLoginToken", "appsync:CreateApiKey", "chime:CreateApiKey", "cloud9:CreateEnvironmentToken",
        "codeartifact:GetAuthorizationToken", "codepipeline:PollForJobs", "cognito-identity:GetOpenIdToken",
        "cognito-identity:GetOpenIdTokenForDeveloperIdentity", "cognito-identity:GetCredentialsForIdentity", "cognito-idp:GetSigningCertificate",
        "connect:GetFederationToken", "connect:GetFederationTokens", "ec2:GetPasswordData", "ecr:GetAuthorizationToken",
        "ecr-public:GetAuthorizationToken", "emr-containers:GetManagedEndpointSessionCredentials", "finspace-api:GetProgrammaticAccessCredentials",
        "gamelift:RequestUploadCredentials", "gamelift:GetInstanceAccess", "grafana:CreateWorkspaceApiKey", "iam:CreateAccessKey",
        "iam:CreateLoginProfile", "iam:CreateServiceSpecificCredential", "iam:ResetServiceSpecificCredential", "iam:UpdateAccessKey",
        "license-manager:GetAccessToken", "lightsail:GetInstanceAccessDetails", "lightsail:DownloadDefaultKeyPair", "lightsail:CreateBucketAccessKey",
        "lightsail:GetRelationalDatabaseMasterUserPassword", "mediapackage:RotateChannelCredentials", "mediapackage:RotateIngestEndpointCredentials",
        "rds-db:connect", "redshift:GetClusterCredentials", "redshift:GetClusterCredentialsWithIAM", "redshift-serverless:GetCredentials",
        "sso:GetRoleCredentials", "sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:GetFederationToken", "sts:GetSessionToken",
    ]
}
