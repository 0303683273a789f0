#!/usr/bin/env python3
"""The SAM specification's resource types (`AWS::Serverless::*`), from the schema that the
installed aws-sam-translator generates from its own models (samtranslator.internal.schema_source,
the source of the schema.json the SAM project publishes): for each type, its properties, the
required ones, and for each property the transform passes unchanged to a CloudFormation resource
(`Runtime` to AWS::Lambda::Function's Runtime), that resource's type and property, so that the
linter judges the value against the registry's schema of what the transform writes. Printed as
JSON for formwork-codegen, which embeds it.
"""
import json
import re
import sys

import samtranslator
from samtranslator.internal.schema_source import schema as sam

# "This property is passed directly to the [`MemorySize`](...) property of an `AWS::Lambda::Function` resource."
PASSED = re.compile(r"passed directly to the \[`([A-Za-z0-9]+)`\]\([^)]*\) property of an? `(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)` resource")


def target(prop):
    """The CloudFormation (type, property) a SAM property passes through to, if any."""
    through = prop.get("__samPassThrough")
    if through:
        path = through.get("schemaPath", [])
        if len(path) == 6 and path[0] == "definitions" and path[2:5] == ["properties", "Properties", "properties"]:
            return [path[1], path[5]]
    match = PASSED.search(prop.get("markdownDescription", ""))
    if match and any(item.get("$ref") == "#/definitions/PassThroughProp" for item in prop.get("allOf", [])):
        return [match.group(2), match.group(1)]
    return None


def main():
    schema = sam.get_schema(sam.SamModel)
    definitions = schema["definitions"]
    types = {}
    for name, definition in sorted(definitions.items()):
        if not name.endswith("__Resource"):
            continue
        type_name = definition.get("properties", {}).get("Type", {}).get("enum", [None])[0]
        if not type_name or not type_name.startswith("AWS::Serverless::"):
            continue
        ref = definition["properties"].get("Properties", {}).get("$ref", "")
        properties = definitions.get(ref.rsplit("/", 1)[-1], {})
        entry = {"required": sorted(set(properties.get("required", [])) | set(definition.get("required", [])) - {"Type"}),
                 "properties": {}}
        entry["propertiesRequired"] = "Properties" in definition.get("required", [])
        entry["required"] = sorted(properties.get("required", []))
        entry["closed"] = properties.get("additionalProperties") is False
        for prop_name, prop in sorted(properties.get("properties", {}).items()):
            entry["properties"][prop_name] = {"passThrough": target(prop)} if target(prop) else {}
        types[type_name] = entry
    json.dump({"samTranslator": samtranslator.__version__, "types": types}, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
