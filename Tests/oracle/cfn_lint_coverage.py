#!/usr/bin/env python3
"""Every cfn-lint 1.51.0 rule of level E and W, and the Formwork rule that covers it (the rules
that name it among their cfn-lint peers, `formwork rules --format json`), or why none does
(Tests/oracle/cfn-lint-coverage.json). Writes its section of PARITY.md with --write; fails when
a cfn-lint rule has neither, or when a reason is kept for a rule a Formwork rule now covers.

cfn-lint's rules (id and short description) are committed in Tests/oracle/cfn-lint-1.51.0-rules.json,
so the table is the same without cfn-lint; `--refresh` rewrites that list from the installed
cfnlint package's rule classes (it must be 1.51.0).

    cfn_lint_coverage.py BINARY [--write PARITY.md] [--refresh]
"""
import argparse
import importlib
import inspect
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = os.path.join(HERE, "cfn-lint-1.51.0-rules.json")
REASONS = os.path.join(HERE, "cfn-lint-coverage.json")
BEGIN, END = "<!-- cfn-lint-coverage:begin -->", "<!-- cfn-lint-coverage:end -->"


def installed_rules():
    import cfnlint.rules
    import cfnlint.version
    if cfnlint.version.__version__ != "1.51.0":
        raise SystemExit("cfn-lint %s is installed, not 1.51.0" % cfnlint.version.__version__)
    base = os.path.dirname(cfnlint.rules.__file__)
    top = os.path.dirname(os.path.dirname(base))
    found = {}
    for folder, _, names in sorted(os.walk(base)):
        for name in sorted(names):
            if not name.endswith(".py") or name.startswith("_"):
                continue
            module = importlib.import_module(os.path.relpath(os.path.join(folder, name[:-3]), top).replace(os.sep, "."))
            for _, cls in inspect.getmembers(module, inspect.isclass):
                rule = getattr(cls, "id", "")
                if cls.__module__ == module.__name__ and isinstance(rule, str) and len(rule) == 5 and rule[0] in "EW":
                    found[rule] = cls.shortdesc
    return dict(sorted(found.items()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--write")
    parser.add_argument("--refresh", action="store_true")
    args = parser.parse_args()
    if args.refresh:
        with open(RULES, "w") as handle:
            json.dump(installed_rules(), handle, indent=1)
            handle.write("\n")
    with open(RULES) as handle:
        rules = json.load(handle)
    with open(REASONS) as handle:
        reasons = json.load(handle)
    described = json.loads(subprocess.run([os.path.abspath(args.binary), "rules", "--format", "json"], capture_output=True, text=True, check=True).stdout)
    covered = {}
    for rule in described:
        for peer in rule.get("cfnLint", []):
            covered.setdefault(peer, []).append(rule["id"])
    why = {}
    for group in reasons["groups"]:
        for rule in group["rules"]:
            why[rule] = group["why"]
    problems = []
    counts = {"E": [0, 0], "W": [0, 0]}
    rows = []
    for rule, summary in rules.items():
        if rule in covered:
            counts[rule[0]][0] += 1
            if rule in why:
                problems.append("%s is covered by %s but still has a reason" % (rule, ", ".join(covered[rule])))
            rows.append("| %s | %s | %s |" % (rule, summary.replace("|", "/"), ", ".join(sorted(covered[rule]))))
        elif rule in why:
            counts[rule[0]][1] += 1
            rows.append("| %s | %s | none: %s |" % (rule, summary.replace("|", "/"), why[rule]))
        else:
            problems.append("%s (%s) has no Formwork rule and no reason" % (rule, summary))
    for rule in sorted(set(why) - set(rules)):
        problems.append("%s has a reason but is no cfn-lint 1.51.0 rule of level E or W" % rule)
    lines = [BEGIN, "## Coverage of cfn-lint 1.51.0's rules", "",
             "Every cfn-lint 1.51.0 rule of level E (%d) and W (%d), from its installed rule classes, and the Formwork rules that declare it "
             "as a peer, or why none does (`Tests/oracle/cfn_lint_coverage.py`, reasons in `Tests/oracle/cfn-lint-coverage.json`). "
             "E: %d covered, %d not; W: %d covered, %d not." % (sum(counts["E"]), sum(counts["W"]), counts["E"][0], counts["E"][1], counts["W"][0], counts["W"][1]),
             "", "| cfn-lint | what it checks | Formwork |", "|---|---|---|"] + rows + [END]
    if args.write:
        text = open(args.write).read() if os.path.exists(args.write) else ""
        section = "\n".join(lines)
        if BEGIN in text and END in text:
            text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        with open(args.write, "w") as handle:
            handle.write(text)
    for problem in problems:
        print("  " + problem)
    print("cfn-lint coverage: E %d covered, %d with a reason; W %d covered, %d with a reason; %d problems" % (
        counts["E"][0], counts["E"][1], counts["W"][0], counts["W"][1], len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
