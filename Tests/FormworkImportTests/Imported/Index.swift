// Written by ImportRoundTripTests (FORMWORK_RECORD=1): each imported template and its stack.
import Formwork

let importedStacks: [(path: String, stack: @Sendable () -> Stack)] = [
    ("fixtures/seed-004/TapStack.yml", tapStack),
    ("../shared/corpus/real-world/templates/widdix+aws-cf-templates/vpc/vpc-2azs.yaml", vpc2azs),
    ("../shared/corpus/real-world/templates/widdix+aws-cf-templates/state/rds-postgres.yaml", rdsPostgres),
    ("../shared/corpus/real-world/templates/widdix+aws-cf-templates/security/kms-key.yaml", kmsKey),
    ("../shared/corpus/real-world/templates/widdix+aws-cf-templates/operations/alert.yaml", alert),
    ("../shared/corpus/real-world/templates/eijikominami+aws-cloudformation-templates/network/templates/template.yaml", template),
    ("../shared/corpus/real-world/templates/eijikominami+aws-cloudformation-templates/monitoring/sam-app/ec2.yaml", ec2),
    ("../shared/corpus/real-world/templates/aws-samples+aws-service-catalog-reference-architectures/ec2/sc-ec2-linux-ra.json", scEc2LinuxRa),
    ("../shared/corpus/real-world/templates/aws-samples+aws-service-catalog-reference-architectures/rds/sc-rds-postgresql-ra.json", scRdsPostgresqlRa),
    ("../shared/corpus/cfn-lint/templates/good/functions_findinmap.yaml", functionsFindinmap),
    ("../shared/corpus/cfn-lint/templates/good/modules/minimal.yaml", minimal),
    ("../shared/corpus/cfn-lint/templates/good/resources/cloudformation/stacks.yaml", stacks),
    ("../shared/corpus/cfn-lint/templates/good/no_value.yaml", noValue),
    ("fixtures/import/same-ids.yaml", sameIds),
    ("../shared/corpus/cfn-lint/templates/good/functions/foreach.yaml", foreach),
    ("../shared/corpus/cfn-lint/templates/good/transform_serverless_function.yaml", transformServerlessFunction),
    ("../shared/corpus/cfn-lint/templates/good/functions/sub_needed_custom_excludes.yaml", subNeededCustomExcludes),
]
