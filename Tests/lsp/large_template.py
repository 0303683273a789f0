#!/usr/bin/env python3
"""An 800-resource CloudFormation template of 16,000 lines (issue 31's large document): a
parameter, then 200 groups of a bucket, a queue, a role and a database instance that refer to
each other (Ref, GetAtt, Sub, DependsOn), with findings on every database (so that
diagnostics reach the last line). Deterministic.

    large_template.py [RESOURCES] > template.yaml
"""
import sys


def template(resources=800):
    out = ["AWSTemplateFormatVersion: '2010-09-09'", "Description: 800 resources", "Parameters:",
           "  EnvironmentSuffix:", "    Type: String", "    Default: dev", "Resources:"]
    for group in range(resources // 4):
        n = f"{group:03d}"
        out += [
            f"  Bucket{n}:",
            "    Type: AWS::S3::Bucket",
            "    DeletionPolicy: Delete",
            "    UpdateReplacePolicy: Delete",
            "    Properties:",
            f"      BucketName: !Sub 'data-{n}-${{EnvironmentSuffix}}'",
            "      VersioningConfiguration:",
            "        Status: Enabled",
            "      BucketEncryption:",
            "        ServerSideEncryptionConfiguration:",
            "          - ServerSideEncryptionByDefault:",
            "              SSEAlgorithm: AES256",
            "      PublicAccessBlockConfiguration:",
            "        BlockPublicAcls: true",
            "        BlockPublicPolicy: true",
            "        IgnorePublicAcls: true",
            "        RestrictPublicBuckets: true",
            "      Tags:",
            "        - Key: Group",
            f"          Value: '{n}'",
            f"  Queue{n}:",
            "    Type: AWS::SQS::Queue",
            "    DeletionPolicy: Delete",
            "    UpdateReplacePolicy: Delete",
            "    Properties:",
            f"      QueueName: !Sub 'jobs-{n}-${{EnvironmentSuffix}}'",
            "      MessageRetentionPeriod: 345600",
            "      VisibilityTimeout: 60",
            "      SqsManagedSseEnabled: true",
            "      Tags:",
            "        - Key: Bucket",
            f"          Value: !Ref Bucket{n}",
            "        - Key: BucketArn",
            f"          Value: !GetAtt Bucket{n}.Arn",
            "        - Key: Group",
            f"          Value: '{n}'",
            "        - Key: Owner",
            "          Value: platform",
            "        - Key: Tier",
            "          Value: queue",
            f"  Role{n}:",
            "    Type: AWS::IAM::Role",
            f"    DependsOn: Queue{n}",
            "    Properties:",
            f"      RoleName: !Sub 'worker-{n}-${{EnvironmentSuffix}}'",
            "      AssumeRolePolicyDocument:",
            "        Version: '2012-10-17'",
            "        Statement:",
            "          - Effect: Allow",
            "            Principal: {Service: lambda.amazonaws.com}",
            "            Action: sts:AssumeRole",
            "      Policies:",
            "        - PolicyName: read",
            "          PolicyDocument:",
            "            Version: '2012-10-17'",
            "            Statement:",
            "              - Effect: Allow",
            "                Action: s3:GetObject",
            f"                Resource: !Sub '${{Bucket{n}.Arn}}/*'",
            "      Path: /",
            f"  Database{n}:",
            "    Type: AWS::RDS::DBInstance",
            "    DeletionPolicy: Snapshot",
            "    Properties:",
            "      Engine: postgres",
            "      EngineVersion: '16.3'",
            "      DBInstanceClass: db.t4g.micro",
            "      AllocatedStorage: '20'",
            "      MasterUsername: admin_user",
            "      ManageMasterUserPassword: true",
            "      StorageEncrypted: true",
            "      MultiAZ: false",
            "      BackupRetentionPeriod: 7",
            "      PubliclyAccessible: false",
            "      CopyTagsToSnapshot: true",
            "      DeletionProtection: false",
            f"      DBInstanceIdentifier: !Sub 'db-{n}-${{EnvironmentSuffix}}'",
            "      Tags:",
            "        - Key: Group",
            f"          Value: '{n}'",
        ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(template(int(sys.argv[1]) if len(sys.argv) > 1 else 800))
