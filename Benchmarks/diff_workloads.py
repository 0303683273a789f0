#!/usr/bin/env python3
"""Writes issue 30's two diff workloads, deterministically, as the AWS CLI exports a stack.

Usage: diff_workloads.py FOLDER [--resources 1000] [--chain 5000]

1. `resolved/`: two templates of 1,000 resources (100 services of ten: a key, a security
   group, a subnet group, a database, a bucket and its policy, a queue, a role, a function,
   an alarm) that read parameters, pseudo parameters, Conditions, Mappings, Fn::If,
   Fn::FindInMap, Fn::Join, Fn::Select, Fn::Split and Fn::Sub, and export 100 outputs. The
   deployed side is `get-template` output (the YAML as its TemplateBody string),
   `describe-stacks` (Env=prod, Team=data, region, account, outputs) and
   `list-stack-resources`. The local template edits two mapping values, five conditions,
   some bucket names, group descriptions and subnet group names (replacements that spread
   through Ref, GetAtt and Sub), renames three alarms and renames one export.
2. `chain/`: a queue whose name changes and 4,999 topics, each named after the one before
   (GetAtt, Sub and Join in turn), so the replacement spreads through the whole chain; the
   deployed side as above.

`bench.py` times `formwork diff` on both (the commands are `commands(FOLDER)`); run alone,
this prints the commands.
"""
import argparse
import json
import os

STACK = "bench"
STACK_ID = "arn:aws:cloudformation:eu-west-1:123456789012:stack/bench/5b2c1e80-0000-4000-8000-000000000000"


def resolved_template(services, local):
    """The 1,000-resource template (ten resources a service); `local` is the edited one."""
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Parameters:",
             "  Env: {Type: String, AllowedValues: [prod, dev], Default: dev}",
             "  Team: {Type: String, Default: data}",
             "  VpcId: {Type: 'AWS::EC2::VPC::Id'}",
             "  SubnetIds: {Type: CommaDelimitedList, Default: 'subnet-0a1,subnet-0b2'}",
             "Mappings:", "  Tiers:"]
    for tier in range(10):
        size = "db.r6g.xlarge" if local and tier == 3 else "db.r6g.large"
        memory = 2048 if local and tier == 7 else 1024
        lines.append(f"    t{tier}: {{Class: {size}, Memory: {memory}, Port: {5432 + tier}, Retention: {7 + tier}}}")
    lines += ["Conditions:", "  IsProd: !Equals [!Ref Env, prod]"]
    for index in range(services):
        if local and index % 20 == 0:
            lines.append(f"  Enable{index}: !And [!Condition IsProd, !Equals [!Ref Team, team{index % 5}]]")
        else:
            lines.append(f"  Enable{index}: !Or [!Condition IsProd, !Equals [!Ref Team, team{index % 5}]]")
    lines.append("Resources:")
    for index in range(services):
        tier = f"t{index % 10}"
        bucket_part = "archive" if local and index % 10 == 0 else "bucket"
        group = f"service {index} database clients" + (" (PostgreSQL)" if local and index % 25 == 0 else "")
        subnets = f"subnets-{index}" + ("-b" if local and index % 50 == 0 else "")
        alarm = f"CpuAlarm{index}" if local and index % 33 == 0 else f"Alarm{index}"
        lines += [
            f"  Key{index}:", "    Type: AWS::KMS::Key", "    Properties:",
            f"      Description: !Sub 'service {index} in ${{AWS::Region}}'",
            "      EnableKeyRotation: true", "      KeyPolicy:", "        Version: '2012-10-17'", "        Statement:",
            "          - Effect: Allow", "            Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'}",
            "            Action: 'kms:*'", "            Resource: '*'",
            f"  Group{index}:", "    Type: AWS::EC2::SecurityGroup", "    Properties:",
            f"      GroupDescription: {group}", "      VpcId: !Ref VpcId", "      SecurityGroupIngress:",
            f"        - {{IpProtocol: tcp, FromPort: !FindInMap [Tiers, {tier}, Port], ToPort: !FindInMap [Tiers, {tier}, Port], CidrIp: 10.0.0.0/16}}",
            f"  Subnets{index}:", "    Type: AWS::RDS::DBSubnetGroup", "    Properties:",
            f"      DBSubnetGroupDescription: subnets of service {index}",
            f"      DBSubnetGroupName: !Sub '{subnets}-${{Env}}'", "      SubnetIds: !Ref SubnetIds",
            f"  Database{index}:", "    Type: AWS::RDS::DBInstance", "    DeletionPolicy: Snapshot", "    UpdateReplacePolicy: Snapshot",
            "    Properties:",
            f"      DBInstanceIdentifier: !Join ['-', [db, '{index}', !Ref Env]]",
            f"      DBInstanceClass: !FindInMap [Tiers, {tier}, Class]",
            "      Engine: postgres", "      AllocatedStorage: '100'",
            "      MultiAZ: !If [IsProd, true, false]",
            f"      BackupRetentionPeriod: !If [IsProd, !FindInMap [Tiers, {tier}, Retention], 1]",
            "      StorageEncrypted: true", f"      KmsKeyId: !GetAtt Key{index}.Arn",
            f"      DBSubnetGroupName: !Ref Subnets{index}", f"      VPCSecurityGroups: [!GetAtt Group{index}.GroupId]",
            "      Tags: [{Key: Environment, Value: !Ref Env}, {Key: Team, Value: !Ref Team}]",
            f"  Bucket{index}:", "    Type: AWS::S3::Bucket", "    DeletionPolicy: Retain", "    Properties:",
            f"      BucketName: !Join ['-', [!Ref 'AWS::StackName', {bucket_part}, '{index}', !Select [0, !Split [',', !Join [',', [!Ref Env, x]]]]]]",
            "      BucketEncryption:", "        ServerSideEncryptionConfiguration:",
            f"          - ServerSideEncryptionByDefault: {{SSEAlgorithm: 'aws:kms', KMSMasterKeyID: !GetAtt Key{index}.Arn}}",
            "      Tags: [{Key: Team, Value: !Ref Team}]",
            f"  BucketPolicy{index}:", "    Type: AWS::S3::BucketPolicy", "    Properties:",
            f"      Bucket: !Ref Bucket{index}", "      PolicyDocument:", "        Statement:",
            "          - Effect: Deny", "            Principal: '*'", "            Action: 's3:*'",
            f"            Resource: [!Sub '${{Bucket{index}.Arn}}', !Sub '${{Bucket{index}.Arn}}/*']",
            "            Condition: {Bool: {'aws:SecureTransport': 'false'}}",
            f"  Queue{index}:", "    Type: AWS::SQS::Queue", "    Properties:",
            f"      QueueName: !Sub '${{AWS::StackName}}-jobs-{index}-${{Env}}'", f"      KmsMasterKeyId: !Ref Key{index}",
            "      MessageRetentionPeriod: !If [IsProd, 1209600, 345600]",
            f"  Role{index}:", "    Type: AWS::IAM::Role", "    Properties:",
            "      AssumeRolePolicyDocument:", "        Statement:",
            "          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}",
            "      Policies:", f"        - PolicyName: service-{index}", "          PolicyDocument:", "            Statement:",
            f"              - {{Effect: Allow, Action: ['sqs:SendMessage', 'sqs:ReceiveMessage'], Resource: !GetAtt Queue{index}.Arn}}",
            f"              - {{Effect: Allow, Action: 's3:GetObject', Resource: !Sub '${{Bucket{index}.Arn}}/*'}}",
            f"  Function{index}:", "    Type: AWS::Lambda::Function", "    Properties:",
            f"      FunctionName: !Sub '${{AWS::StackName}}-worker-{index}'", "      Runtime: python3.12", "      Handler: index.handler",
            f"      Role: !GetAtt Role{index}.Arn", f"      MemorySize: !FindInMap [Tiers, {tier}, Memory]",
            "      Code: {ZipFile: 'def handler(event, context): return event'}",
            f"      Environment: {{Variables: {{QUEUE: !Ref Queue{index}, BUCKET: !Ref Bucket{index}, DB: !GetAtt Database{index}.Endpoint.Address}}}}",
            f"  {alarm}:", "    Type: AWS::CloudWatch::Alarm", f"    Condition: Enable{index}", "    Properties:",
            f"      AlarmName: !Sub 'cpu-{index}-${{Env}}'", "      MetricName: CPUUtilization", "      Namespace: AWS/RDS",
            "      Statistic: Average", "      Period: 300", "      EvaluationPeriods: 2", "      ComparisonOperator: GreaterThanThreshold",
            "      Threshold: !If [IsProd, 80, 95]",
            f"      Dimensions: [{{Name: DBInstanceIdentifier, Value: !Ref Database{index}}}]",
        ]
    lines.append("Outputs:")
    for index in range(services):
        export = f"${{AWS::StackName}}-database-{index}" + ("-endpoint" if local and index == 42 else "")
        lines += [f"  Database{index}Endpoint:", f"    Value: !GetAtt Database{index}.Endpoint.Address",
                  f"    Export: {{Name: !Sub '{export}'}}"]
    return "\n".join(lines) + "\n"


def chain_template(resources, queue_name):
    """A queue and `resources - 1` topics, each named after the one before."""
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Resources:",
             "  R0:", "    Type: AWS::SQS::Queue", f"    Properties: {{QueueName: {queue_name}}}"]
    for index in range(1, resources):
        previous, attribute = f"R{index - 1}", "QueueName" if index == 1 else "TopicName"
        name = [f"!GetAtt [{previous}, {attribute}]", f"!Sub '${{{previous}.{attribute}}}-{index}'",
                f"!Join ['-', [!GetAtt {previous}.{attribute}, '{index}']]"][index % 3]
        lines += [f"  R{index}:", "    Type: AWS::SNS::Topic", f"    Properties: {{TopicName: {name}}}"]
    last = resources - 1
    lines += ["Outputs:", "  Last:", f"    Value: !GetAtt R{last}.TopicName", "    Export: {Name: chain-last}"]
    return "\n".join(lines) + "\n"


def resource_ids(template_text):
    """(logical id, type) of each resource, read from the generated text's fixed layout."""
    found, inside, current = [], False, None
    for line in template_text.splitlines():
        if line == "Resources:":
            inside = True
        elif inside and not line.startswith(" "):
            break
        elif inside and line.startswith("  ") and not line.startswith("   ") and line.endswith(":"):
            current = line.strip()[:-1]
        elif inside and current and line.startswith("    Type: "):
            found.append((current, line.split(": ", 1)[1]))
            current = None
    return found


def write_stack(folder, deployed_text, parameters, outputs):
    """The deployed side as the AWS CLI exports it: get-template, describe-stacks, list-stack-resources."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "get-template.json"), "w") as handle:
        json.dump({"TemplateBody": deployed_text, "StagesAvailable": ["Original", "Processed"]}, handle, indent=4)
    description = {"Stacks": [{
        "StackId": STACK_ID, "StackName": STACK, "CreationTime": "2026-11-02T09:14:03.512Z",
        "Parameters": [{"ParameterKey": key, "ParameterValue": value} for key, value in parameters],
        "StackStatus": "UPDATE_COMPLETE", "DisableRollback": False, "NotificationARNs": [], "Capabilities": ["CAPABILITY_IAM"],
        "Outputs": [{"OutputKey": key, "OutputValue": value, "ExportName": export} for key, value, export in outputs],
        "Tags": [], "EnableTerminationProtection": False, "DriftInformation": {"StackDriftStatus": "NOT_CHECKED"}}]}
    with open(os.path.join(folder, "describe-stacks.json"), "w") as handle:
        json.dump(description, handle, indent=4)
    summaries = [{"LogicalResourceId": logical, "PhysicalResourceId": f"{logical.lower()}-{abs(hash_text(logical)):08x}",
                  "ResourceType": kind, "LastUpdatedTimestamp": "2026-11-02T09:20:41.108Z", "ResourceStatus": "UPDATE_COMPLETE",
                  "DriftInformation": {"StackResourceDriftStatus": "NOT_CHECKED"}}
                 for logical, kind in resource_ids(deployed_text)]
    with open(os.path.join(folder, "list-stack-resources.json"), "w") as handle:
        json.dump({"StackResourceSummaries": summaries}, handle, indent=4)


def hash_text(text):
    """A stable hash (Python's own is salted per process): FNV-1a, 32 bits."""
    value = 0x811C9DC5
    for byte in text.encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def write(folder, resources=1000, chain=5000):
    """Writes both workloads under `folder`; returns their `formwork diff` arguments (after the binary)."""
    services = resources // 10
    resolved = os.path.join(folder, "resolved")
    os.makedirs(resolved, exist_ok=True)
    with open(os.path.join(resolved, "local.yaml"), "w") as handle:
        handle.write(resolved_template(services, True))
    deployed_text = resolved_template(services, False)
    write_stack(resolved, deployed_text, [("Env", "prod"), ("Team", "data"), ("VpcId", "vpc-0c3f4a"), ("SubnetIds", "subnet-0a1,subnet-0b2")],
                [(f"Database{index}Endpoint", f"db-{index}-prod.c9akciq32.eu-west-1.rds.amazonaws.com", f"{STACK}-database-{index}")
                 for index in range(services)])
    chained = os.path.join(folder, "chain")
    os.makedirs(chained, exist_ok=True)
    with open(os.path.join(chained, "local.yaml"), "w") as handle:
        handle.write(chain_template(chain, "jobs-b"))
    write_stack(chained, chain_template(chain, "jobs-a"), [], [("Last", "arn:aws:sns:eu-west-1:123456789012:jobs-a", "chain-last")])

    def arguments(where):
        return ["diff", "--format", "json", "--fail-on", "data-loss", os.path.join(where, "local.yaml"), os.path.join(where, "get-template.json"),
                "--stack-description", os.path.join(where, "describe-stacks.json"), "--resources", os.path.join(where, "list-stack-resources.json")]
    return {"resolved": arguments(resolved), "chain": arguments(chained)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--resources", type=int, default=1000)
    parser.add_argument("--chain", type=int, default=5000)
    args = parser.parse_args()
    for name, arguments in write(args.folder, args.resources, args.chain).items():
        print(f"{name}: formwork " + " ".join(arguments))


if __name__ == "__main__":
    main()
