#!/usr/bin/env python3
"""Closed value sets cfn-lint keeps in its extension schemas where the registry schema has
none (a DB cluster's Engine, an instance's StorageType, ...): printed as JSON for
formwork-codegen, which types those properties as Swift enums.

Kept: an `enum` on a top-level property that holds whenever the property is there, i.e. at
the schema's top, or in an `if`/`then` (alone or inside `allOf`) whose `if` tests only that
property's presence or type. The `*_enum.json` schemas (instance classes and node types,
by region and engine) give the union of their branches' sets in us-east-1, the region the
registry is read for. Other sets conditioned on other properties (an engine's versions)
are not closed sets of the property and are left to the linter.
"""
import json
import os
import sys

import cfnlint

ROOT = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas", "extensions")


def property_enums(schema):
    """(property, values) pairs the schema imposes whenever the property is given."""
    found = []
    if not isinstance(schema, dict):
        return found
    for name, shape in (schema.get("properties") or {}).items():
        if isinstance(shape, dict) and isinstance(shape.get("enum"), list):
            found.append((name, shape["enum"]))
    branches = [schema] + [item for item in schema.get("allOf", []) if isinstance(item, dict)]
    for branch in branches:
        test, then = branch.get("if"), branch.get("then")
        if not isinstance(test, dict) or not isinstance(then, dict) or "else" in branch:
            continue
        tested = set((test.get("properties") or {}).keys()) | set(test.get("required") or [])
        if set(test.keys()) - {"properties", "required"} or len(tested) != 1:
            continue
        (name,) = tested
        condition = (test.get("properties") or {}).get(name, {})
        if set(condition.keys()) - {"type"}:
            continue
        shape = (then.get("properties") or {}).get(name)
        if isinstance(shape, dict) and isinstance(shape.get("enum"), list) and set(then.keys()) == {"properties"}:
            found.append((name, shape["enum"]))
    return found


def union_enums(schema):
    """The union of every branch's enum per property (`*_enum.json`)."""
    if isinstance(schema, dict) and "us-east-1" in schema:
        schema = schema["us-east-1"]
    found = {}
    def walk(node):
        if isinstance(node, dict):
            then = node.get("then")
            if isinstance(then, dict):
                for name, shape in (then.get("properties") or {}).items():
                    if isinstance(shape, dict) and isinstance(shape.get("enum"), list):
                        found.setdefault(name, set()).update(shape["enum"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(schema)
    for name, values in property_enums(schema):
        found.setdefault(name, set()).update(values)
    return [(name, sorted(values)) for name, values in sorted(found.items())]


def rule_targets():
    """extension file -> {(resource type, property path)} from the cfn-lint rules that apply it."""
    from extension_schemas import extension_rules

    targets = {}
    for cls, folder, filename in extension_rules():
        for keyword in cls().keywords:
            parts = keyword.split("/")
            if len(parts) >= 3 and parts[0] == "Resources" and parts[2] == "Properties":
                targets.setdefault(folder + "/" + filename, set()).add((parts[1], tuple(parts[3:])))
    return targets


def main():
    targets = rule_targets()
    # Files no rule names by property (the rule sits on Properties): the folder is the type.
    types = {}
    providers = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas", "providers", "us_east_1.py")
    with open(providers) as handle:
        for line in handle:
            parts = line.split('"')
            if len(parts) >= 4 and parts[1].count("::") == 2:
                types["_".join(parts[1].lower().split("::"))] = parts[1]
    for folder in sorted(os.listdir(ROOT)):
        if folder in types and os.path.isdir(os.path.join(ROOT, folder)):
            for file in sorted(os.listdir(os.path.join(ROOT, folder))):
                if file.endswith(".json") and folder + "/" + file not in targets:
                    targets[folder + "/" + file] = {(types[folder], ())}
    result = {}
    for file, places in sorted(targets.items()):
        with open(os.path.join(ROOT, file)) as handle:
            schema = json.load(handle)
        for type_name, path in sorted(places):
            if len(path) == 0:
                sets = union_enums(schema) if file.endswith("_enum.json") else property_enums(schema)
            elif len(path) == 1 and file.endswith("_enum.json"):
                region = schema.get("us-east-1", schema) if isinstance(schema, dict) else {}
                sets = [(path[0], region["enum"])] if isinstance(region, dict) and isinstance(region.get("enum"), list) else []
            else:
                continue
            for name, values in sets:
                if not values or not all(isinstance(value, str) for value in values):
                    continue
                entry = result.setdefault(type_name, {})
                if name not in entry:
                    entry[name] = {"values": sorted(set(values)), "file": file}
    json.dump({"cfnLint": cfnlint.version.__version__, "types": result}, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
