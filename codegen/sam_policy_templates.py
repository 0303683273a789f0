#!/usr/bin/env python3
"""The SAM policy templates (`Policies: [{DynamoDBCrudPolicy: {TableName: ...}}]` of an
AWS::Serverless::Function) as the SAM transform expands them: each template's statements,
from aws-sam-translator's policy_templates.json (installed with cfn-lint). Prints JSON:
{"source": ..., "count": N, "definitions": "<minified {name: [statement, ...]}>"}."""
import json
import os
import sys


def main():
    try:
        import samtranslator
    except ImportError:
        return 1
    path = os.path.join(os.path.dirname(samtranslator.__file__), "policy_templates_data", "policy_templates.json")
    with open(path) as handle:
        templates = json.load(handle)["Templates"]
    definitions = {name: body["Definition"]["Statement"] for name, body in sorted(templates.items())}
    json.dump({"source": f"aws-sam-translator {samtranslator.__version__} policy_templates_data/policy_templates.json",
               "count": len(definitions), "definitions": json.dumps(definitions, separators=(",", ":"), sort_keys=True)}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
