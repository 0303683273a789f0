#!/usr/bin/env python3
"""The constraints cfn-lint keeps as JSON schemas beside the registry (its "extension"
schemas: an S3 bucket with an ACL needs OwnershipControls, an HTTPS listener needs
certificates, a DB instance's engine and version combinations, ...), with the cfn-lint rule
that applies each and where: printed as JSON for formwork-codegen, which embeds them.

Only schemas Formwork's evaluator reads are kept: the standard keywords below (`$ref` to
the schema's own definitions; `format` is not judged), no
cfn-lint-specific ones that look into other resources (cfnGather, $data, ...), and none of
the instance-type tables larger than 40 KB (kept out of the binary: RDS-12 and the registry's
own enums cover the classes Formwork's templates use).
"""
import importlib
import inspect
import json
import os
import pkgutil
import re
import sys

import cfnlint
import cfnlint.rules
from cfnlint.rules.jsonschema.CfnLintJsonSchema import CfnLintJsonSchema

SUPPORTED = {"properties", "enum", "required", "type", "if", "then", "else", "const", "pattern", "description", "items", "allOf",
             "anyOf", "oneOf", "not", "maximum", "minimum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "additionalProperties",
             "minItems", "maxItems", "contains", "propertyNames", "dependentExcluded", "dependentRequired", "default", "minLength", "maxLength",
             "$ref", "definitions", "format"}
MAXIMUM_BYTES = 40_000
# Schemas whose constraints rest on what the evaluator does not judge: the record patterns of
# Route 53 use regular expressions outside Formwork's bounded matcher, and `format: ipv4/ipv6`.
EXCLUDED = {"aws_route53_recordset/recordset_pattern.json"}


def keywords_of(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in ("properties", "dependentExcluded", "dependentRequired", "definitions"):
                if isinstance(value, dict):
                    for sub in value.values():
                        keywords_of(sub, found)
            else:
                keywords_of(value, found)
    elif isinstance(node, list):
        for item in node:
            keywords_of(item, found)


def extension_rules():
    """(rule class, extension folder, file name) for every cfn-lint rule that applies one of
    the extension schemas (the rules name them in their source)."""
    base = os.path.dirname(cfnlint.rules.__file__)
    for module in pkgutil.walk_packages([base], "cfnlint.rules."):
        try:
            loaded = importlib.import_module(module.name)
        except Exception:
            continue
        for _, cls in inspect.getmembers(loaded, inspect.isclass):
            if not issubclass(cls, CfnLintJsonSchema) or cls is CfnLintJsonSchema or cls.__module__ != loaded.__name__:
                continue
            match = re.search(r"module=cfnlint\.data\.schemas\.extensions\.(\w+),\s*filename=\"([^\"]+)\"", inspect.getsource(cls))
            if match:
                yield cls, match.group(1), match.group(2)


def main():
    data = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas", "extensions")
    rules = []
    for cls, folder, filename in extension_rules():
        path = os.path.join(data, folder, filename)
        if folder + "/" + filename in EXCLUDED or os.path.getsize(path) > MAXIMUM_BYTES:
            continue
        with open(path) as handle:
            schema = json.load(handle)
        found = set()
        keywords_of(schema, found)
        if not found <= SUPPORTED:
            continue
        rule = cls()
        for keyword in rule.keywords:
            parts = keyword.split("/")
            if len(parts) < 3 or parts[0] != "Resources" or parts[2] != "Properties":
                continue
            rules.append({"id": rule.id, "type": parts[1], "path": parts[3:], "file": folder + "/" + filename, "schema": schema})
    rules.sort(key=lambda r: (r["type"], r["id"], r["path"], r["file"]))
    json.dump({"cfnLint": cfnlint.version.__version__, "rules": rules}, sys.stdout, sort_keys=True, separators=(",", ":"))


if __name__ == "__main__":
    main()
