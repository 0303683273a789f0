#!/usr/bin/env python3
"""Compare `formwork fmt --format json` with cfn-lint's own decoder on every corpus template.

Usage: decode_agreement.py FORMWORK_BINARY TEMPLATE_ROOT_OR_FILE...

For each template cfn-lint decodes without error, Formwork's canonical JSON must hold the
same data, apart from these documented normalisations:
  * YAML timestamps (`2010-09-09`) are kept as their text; PyYAML makes dates of them.
  * `.inf` / `.nan` have no JSON form and are written as their YAML text.
  * `Fn::GetAtt: "A.B"` (long form, one string) is split at the first dot, as `!GetAtt A.B`
    is by both readers.
  * Mapping keys are compared as text (PyYAML turns a key `1:` into the integer 1).
  * An empty file is refused (PS-10), where cfn-lint reads it as {}.
Templates that cfn-lint cannot decode must get a located Formwork diagnostic instead.
Runs as a unittest case: it fails when any template disagrees, and without cfn-lint it is
reported as skipped (with the reason) by the test runner, not as a pass.
"""
import datetime
import json
import math
import os
import subprocess
import sys
import unittest

try:
    import cfnlint.decode
    import cfnlint.version
except ImportError:
    cfnlint = None


def normalise(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)  # cfn-lint's str_node carries marks; compare the text
    if isinstance(value, int):
        return int(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, float):
        if math.isinf(value) or math.isnan(value):
            return "float:" + ("nan" if math.isnan(value) else ("inf" if value > 0 else "-inf"))
        if value == int(value):
            return int(value)
        return value
    if isinstance(value, dict):
        if len(value) == 1 and "Fn::GetAtt" in value and isinstance(value["Fn::GetAtt"], str) and "." in value["Fn::GetAtt"]:
            return {"Fn::GetAtt": value["Fn::GetAtt"].split(".", 1)}
        return {normal_key(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def normal_key(key):
    if isinstance(key, bool):
        return "bool:" + str(key).lower()
    return str(key)


def normalise_ours(value):
    """Formwork keeps keys as their text; map YAML 1.1 boolean words to the same token."""
    if isinstance(value, str) and value.lower() in (".inf", "+.inf", "-.inf", ".nan"):
        return "float:" + value.lower().lstrip(".+").replace("-.", "-")
    if isinstance(value, float):
        return int(value) if value == int(value) else value
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            low = k
            if k in ("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"):
                low = "bool:true"
            elif k in ("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"):
                low = "bool:false"
            out[low] = normalise_ours(v)
        return out
    if isinstance(value, list):
        return [normalise_ours(v) for v in value]
    return value


def first_difference(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a:
            if k not in b:
                return f"{path}/{k} (only in cfn-lint)"
            d = first_difference(a[k], b[k], f"{path}/{k}")
            if d:
                return d
        for k in b:
            if k not in a:
                return f"{path}/{k} (only in Formwork)"
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path} (lengths {len(a)} vs {len(b)})"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}/{i}")
            if d:
                return d
        return None
    if a != b or type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        return f"{path}: cfn-lint {a!r} vs Formwork {b!r}"
    return None


def agreement(binary, roots):
    """(agree, located, disagree, total, lines): the comparison over every template under roots."""
    files = []
    for root in roots:
        if os.path.isfile(root):
            files.append(root)
            continue
        for folder, _, names in os.walk(root):
            for name in names:
                if name.endswith((".yaml", ".yml", ".json", ".template")):
                    files.append(os.path.join(folder, name))
    files.sort()
    agree = located = disagree = 0
    lines = []
    for path in files:
        try:
            decoded, matches = cfnlint.decode.decode(path)
        except Exception as exc:  # cfn-lint itself crashed on the file
            decoded, matches = None, [exc]
        run = subprocess.run([binary, "fmt", "--format", "json", path], capture_output=True, timeout=60)
        if decoded is None or matches:
            # cfn-lint could not decode it: Formwork must refuse it with file:line:col.
            if run.returncode == 2 and run.stderr.decode().startswith(f"{path}:"):
                located += 1
            elif run.returncode == 0 and isinstance(decoded, dict):
                agree += 1  # cfn-lint reported non-fatal matches only
            else:
                disagree += 1
                lines.append(f"DISAGREE {path}: cfn-lint refused it, Formwork exit {run.returncode}: {run.stderr.decode()[:200]}")
            continue
        if decoded == {} and run.returncode == 2 and "[PS-10]" in run.stderr.decode():
            located += 1  # documented: an empty file is refused, where cfn-lint reads {}
            continue
        if not isinstance(decoded, dict):
            if run.returncode == 2:
                located += 1
                continue
        if run.returncode != 0:
            disagree += 1
            lines.append(f"DISAGREE {path}: Formwork exit {run.returncode}: {run.stderr.decode()[:300]}")
            continue
        ours = normalise_ours(json.loads(run.stdout))
        theirs = normalise(decoded)
        difference = first_difference(theirs, ours)
        if difference:
            disagree += 1
            lines.append(f"DISAGREE {path}: {difference}")
        else:
            agree += 1
    return agree, located, disagree, len(files), lines


class DecodeAgreement(unittest.TestCase):
    binary = None
    roots = []

    @unittest.skipIf(cfnlint is None, "cfn-lint is not installed (make python-deps)")
    def test_same_data_as_cfn_lint(self):
        missing = [root for root in self.roots if not os.path.exists(root)]
        if missing:
            self.skipTest(f"{', '.join(missing)} is not there (../shared beside the repository, see the README)")
        agree, located, disagree, total, lines = agreement(self.binary, self.roots)
        for line in lines:
            print(line)
        print(f"decode agreement (cfn-lint {cfnlint.version.__version__}): {agree} same data, "
              f"{located} refused by both with a located diagnostic, {disagree} disagree, of {total} templates")
        self.assertEqual(disagree, 0, "\n".join(lines))


if __name__ == "__main__":
    DecodeAgreement.binary, DecodeAgreement.roots = sys.argv[1], sys.argv[2:]
    unittest.main(argv=[sys.argv[0]], verbosity=2)
