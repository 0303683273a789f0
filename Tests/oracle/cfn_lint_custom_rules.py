#!/usr/bin/env python3
"""cfn-lint's custom rule files under Formwork: `formwork lint --custom-rules FILE` against
`cfn-lint --custom-rules FILE` (1.51.0) on a template that exercises every operator
(fixtures/custom-rules/): the same rule ids, at the same lines and columns, with the same
messages. Without cfn-lint 1.51.0 the comparison is skipped, with the reason; the file's own
checks (ids, a located problem for a line cfn-lint cannot read) run either way.

Usage: cfn_lint_custom_rules.py path/to/formwork
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "fixtures", "custom-rules")
CUSTOM = re.compile(r"^[EW]9\d{3}$")


def formwork_findings(binary, rules, template):
    result = subprocess.run([binary, "lint", "--custom-rules", rules, "--profile", "structural", "--quiet", template],
                            capture_output=True, text=True, timeout=300)
    found = set()
    for line in result.stdout.splitlines():
        match = re.match(r"^(.*?):(\d+):(\d+): (error|warning|info): (.*) \[([A-Z0-9-]+)\]$", line)
        if match and CUSTOM.match(match.group(6)):
            found.add((match.group(6), int(match.group(2)), int(match.group(3)), match.group(5)))
    return found, result


def cfn_lint_findings(rules, template):
    result = subprocess.run(["cfn-lint", "--custom-rules", rules, "--format", "parseable", "--", template],
                            capture_output=True, text=True, timeout=600)
    found = set()
    for line in result.stdout.splitlines():
        parts = line.split(":", 6)
        if len(parts) == 7 and CUSTOM.match(parts[5]):
            found.add((parts[5], int(parts[1]), int(parts[2]), parts[6]))
    return found


def cfn_lint_version():
    if shutil.which("cfn-lint") is None:
        return None
    result = subprocess.run(["cfn-lint", "--version"], capture_output=True, text=True)
    return result.stdout.strip().split()[-1] if result.returncode == 0 else None


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 64
    binary = sys.argv[1]
    rules = os.path.join(FIXTURES, "cfn-lint-rules.txt")
    template = os.path.join(FIXTURES, "template.yaml")
    failed = 0
    ours, result = formwork_findings(binary, rules, template)
    operators = {line.split(" ", 3)[2] for line in open(rules) if line.strip() and not line.startswith("#")}
    expected_operators = {"EQUALS", "NOT_EQUALS", "==", "!=", "REGEX_MATCH", "IN", "NOT_IN", ">", ">=", "<", "<=", "IS"}
    if not expected_operators <= operators:
        print(f"FAILED: the rules file lacks operators {sorted(expected_operators - operators)}")
        failed += 1
    if not ours:
        print(f"FAILED: formwork reported no custom rule finding\n{result.stdout}{result.stderr}")
        failed += 1
    # A line cfn-lint cannot read (fewer than four parts) is a located error, not a guess.
    with tempfile.TemporaryDirectory() as scratch:
        broken = os.path.join(scratch, "rules.txt")
        open(broken, "w").write("# a comment\nAWS::SQS::Queue DelaySeconds\n")
        bad = subprocess.run([binary, "lint", "--custom-rules", broken, template], capture_output=True, text=True, timeout=300)
        if bad.returncode != 2 or f"{broken}:2:1: error:" not in bad.stderr or "[CF-01]" not in bad.stderr:
            print(f"FAILED: a malformed rule line is not a located CF-01 with exit code 2\n{bad.returncode}\n{bad.stderr}")
            failed += 1
    version = cfn_lint_version()
    if version != "1.51.0":
        print(f"skipped: the comparison with cfn-lint (cfn-lint 1.51.0 is not installed{'' if version is None else ', found ' + version}; make python-deps)")
    else:
        theirs = cfn_lint_findings(rules, template)
        if ours != theirs:
            failed += 1
            print("FAILED: formwork and cfn-lint 1.51.0 differ on the custom rules")
            for finding in sorted(theirs - ours):
                print(f"  cfn-lint only: {finding}")
            for finding in sorted(ours - theirs):
                print(f"  formwork only: {finding}")
        else:
            print(f"ok: {len(ours)} custom rule findings, the same as cfn-lint 1.51.0's ({len({f[0] for f in ours})} rules)")
    print(f"cfn-lint custom rules: {'FAILED' if failed else 'ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
