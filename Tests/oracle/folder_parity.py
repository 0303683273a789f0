#!/usr/bin/env python3
"""cfn-lint 1.51.0 and Formwork on a folder of templates nobody here tuned the linter to:
every cfn-lint error is looked for among Formwork's errors at the same resource (or section),
and every Formwork error where cfn-lint reports none at that resource is listed. For the
"outside the shared corpora" figures of PARITY.md (issue 29); not run by `make test`, since
the folders are checkouts of public repositories, not files of this one.

    folder_parity.py BINARY FOLDER... [--cfn-lint-json FILE]

The templates are the folders' .yaml/.yml/.json/.template files that look like templates
(AWSTemplateFormatVersion, or a Resources section). cfn-lint runs once over all of them
(minutes); --cfn-lint-json reuses a saved run (`cfn-lint --format json FILES`).
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

LOOKS_LIKE = re.compile(rb'AWSTemplateFormatVersion|"Resources"\s*:|^Resources:', re.M)
SECTIONS = ("Resources", "Outputs", "Parameters", "Conditions", "Mappings", "Metadata")


def templates(folders):
    found = []
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d not in ("node_modules", ".git", ".github"))
            for name in sorted(files):
                if not name.endswith((".yaml", ".yml", ".json", ".template")):
                    continue
                path = os.path.join(root, name)
                try:
                    with open(path, "rb") as handle:
                        head = handle.read(200_000)
                except OSError:
                    continue
                if LOOKS_LIKE.search(head):
                    found.append(path)
    return found


def place(path):
    parts = [str(p) for p in (path or [])]
    return tuple(parts[:2]) if parts and parts[0] in SECTIONS else tuple(parts[:1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--cfn-lint-json")
    args = parser.parse_args()
    files = templates(args.folders)
    if args.cfn_lint_json:
        with open(args.cfn_lint_json) as handle:
            theirs = json.load(handle)
    else:
        try:
            run = subprocess.run(["cfn-lint", "--format", "json", *files], capture_output=True, timeout=3600)
        except FileNotFoundError:
            # A measurement without its reference is no measurement: refuse, never pass.
            print("folder_parity.py: cfn-lint is not installed (make python-deps), or give --cfn-lint-json", file=sys.stderr)
            return 2
        theirs = json.loads(run.stdout or b"[]")
    ours = json.loads(subprocess.run([args.binary, "lint", "--profile", "structural", "--format", "json", *files],
                                     capture_output=True, timeout=3600).stdout or b"[]")
    norm = os.path.normpath
    their_errors = [(norm(x["Filename"]), x["Rule"]["Id"], place(x["Location"].get("Path")), x["Message"]) for x in theirs if x["Level"] == "Error"]
    our_errors = [(norm(x["file"]), x["rule"], place(x.get("path")), x["message"]) for x in ours if x["severity"] == "error"]
    their_places = collections.defaultdict(set)
    our_places = collections.defaultdict(set)
    for file, _, where, _ in their_errors:
        their_places[file].add(where)
    for file, _, where, _ in our_errors:
        our_places[file].add(where)
    missed = [e for e in their_errors if e[2] not in our_places[e[0]]]
    extra = [e for e in our_errors if e[2] not in their_places[e[0]]]
    found = len(their_errors) - len(missed)
    share = 100.0 * found / len(their_errors) if their_errors else 100.0
    print(f"{len(files)} templates; cfn-lint errors found at the same resource: {found} of {len(their_errors)} ({share:.1f} %); "
          f"Formwork errors where cfn-lint reports none: {len(extra)} of {len(our_errors)}")
    print("not found, by cfn-lint rule:", ", ".join(f"{rule} {count}" for rule, count in collections.Counter(e[1] for e in missed).most_common()))
    for file, rule, where, message in missed:
        print(f"  missed {rule} {file} {'/'.join(where)}: {message[:160]}")
    for file, rule, where, message in extra:
        print(f"  Formwork only {rule} {file} {'/'.join(where)}: {message[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
