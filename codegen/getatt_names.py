#!/usr/bin/env python3
"""Prints, as JSON, the Fn::GetAtt names the installed cfn-lint accepts for every resource type
of a region: {"AWS::SQS::Queue": ["Arn", "QueueName", ...], ...}. A name may be a pattern
(`Outputs\\..*` for nested stacks). formwork-codegen embeds the result in the registry summary,
so that ST-10 accepts exactly what CloudFormation documents and cfn-lint accepts (documented
return values that are not read-only properties included). Data only: no cfn-lint code is
copied; the pinned cfn-lint is asked through its schema manager."""
import json
import sys

from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as manager

region = sys.argv[1] if len(sys.argv) > 1 else "us-east-1"
names = {}
for type_name in sorted(manager.get_resource_types(region)):
    try:
        names[type_name] = sorted(manager.get_type_getatts(type_name, region).keys())
    except Exception as error:  # a type cfn-lint cannot load: no names rather than a guess
        print(f"{type_name}: {error}", file=sys.stderr)
json.dump(names, sys.stdout, indent=0, sort_keys=True)
