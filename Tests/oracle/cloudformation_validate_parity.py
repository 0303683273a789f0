#!/usr/bin/env python3
"""AWS's cloudformation-validate (Rust, PyPI 1.14.0) as a second reference linter (issue 29).

Its errors (severities FATAL and ERROR) on the shared corpora (the real-world corpus, cfn-lint's
good/ and bad/ templates) and seed 004 are compared finding by finding with `formwork lint
--profile structural`'s errors, at the same resource (or top-level section; a parse error
anywhere in the file for its parse rules), as real_world_parity.py compares cfn-lint's. Every
oracle error not found, and every Formwork error at a place where the oracle reports nothing,
must be explained in Tests/oracle/cloudformation-validate-exceptions.json (by rule, and file,
place and message patterns where the reason holds only for some of its findings), or the run
fails. Each explanation has a kind (the oracle judging parameter values, a documented
disagreement, found at another place, a check Formwork lacks): the share of the oracle's
errors found is printed whole and over the errors both judge.

The oracle's results are committed (Tests/oracle/cloudformation-validate-1.14.0.json), so
the comparison is the same without it. When `make python-deps` has installed it (in its own
virtualenv, .build/oracles/cloudformation-validate), the oracle runs live as well and the
committed results must equal its output (`--refresh` rewrites them); without it, that part is
skipped with the reason.

    cloudformation_validate_parity.py BINARY [--shared ../shared] [--write PARITY.md] [--refresh]
"""
import argparse
import collections
import fnmatch
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VERSION = "1.14.0"
COMMITTED = os.path.join(HERE, "cloudformation-validate-%s.json" % VERSION)
EXCEPTIONS = os.path.join(HERE, "cloudformation-validate-exceptions.json")
VENV_PYTHON = os.path.join(ROOT, ".build", "oracles", "cloudformation-validate", "bin", "python")
BEGIN, END = "<!-- cloudformation-validate:begin -->", "<!-- cloudformation-validate:end -->"
EXTENSIONS = (".yaml", ".yml", ".json", ".template")
LEVELS = ("FATAL", "ERROR", "WARN")

# Run inside the oracle's virtualenv: one engine, every file; one JSON row per finding.
RUNNER = r"""
import json, sys
from cloudformation_validate import RegoEngine, ValidateConfig, DetailLevel, version
assert version() == sys.argv[1], "cloudformation-validate %s, not %s" % (version(), sys.argv[1])
engine = RegoEngine()
config = ValidateConfig(detail_level=DetailLevel.STANDARD)
rows = []
for line in sys.stdin:
    corpus, folder, name = json.loads(line)
    try:
        report = engine.validate_template(folder + "/" + name, config)
        found = report.diagnostics
    except Exception as error:
        rows.append({"corpus": corpus, "file": name, "rule": "crash", "level": "ERROR", "entity": None, "section": None,
                     "path": None, "line": None, "message": str(error)[:200]})
        continue
    for d in found:
        if d.severity.name not in ("FATAL", "ERROR", "WARN"):
            continue
        entity = d.entity
        rows.append({"corpus": corpus, "file": name, "rule": d.rule_id, "level": d.severity.name,
                     "entity": entity.logical_id if entity else None,
                     "section": entity.entity_type.name if entity else None,
                     "path": d.property_path, "line": d.start_line,
                     "message": d.message[:200] if d.severity.name != "WARN" else ""})
json.dump(rows, sys.stdout)
"""

CFN_LINT_AGREES = ("cfn-lint 1.51.0 reports an error at the same place (its committed findings), for the same defect; "
                   "cloudformation-validate 1.14.0 has not ported that check, or judges it otherwise")
# The oracle's rules for a file it cannot read: JSON or YAML syntax, duplicate keys.
PARSE_RULES = {"F0000", "F1101", "crash"}
SECTIONS = {"RESOURCE": "Resources", "PARAMETER": "Parameters", "OUTPUT": "Outputs", "MAPPING": "Mappings",
            "METADATA": "Metadata", "RULE": "Rules", "CONDITION": "Conditions", "TRANSFORM": "Transform",
            "FORMAT_VERSION": "AWSTemplateFormatVersion", "DESCRIPTION": "Description"}


def corpora(shared):
    """(corpus, folder, relative files) for each corpus the comparison covers."""
    found = []
    real = os.path.join(shared, "corpus", "real-world")
    cfn = os.path.join(shared, "corpus", "cfn-lint")
    for corpus, folder, under in (("real-world", real, "templates"), ("cfn-lint good", cfn, "templates/good"),
                                  ("cfn-lint bad", cfn, "templates/bad")):
        if not os.path.isdir(os.path.join(folder, under)):
            continue
        files = sorted(os.path.relpath(os.path.join(d, n), folder) for d, _, names in os.walk(os.path.join(folder, under))
                       for n in names if n.endswith(EXTENSIONS))
        found.append((corpus, folder, files))
    found.append(("seed 004", ROOT, ["fixtures/seed-004/TapStack.yml"]))
    return found


def run_oracle(groups):
    lines = "".join(json.dumps([corpus, folder, name]) + "\n" for corpus, folder, files in groups for name in files)
    run = subprocess.run([VENV_PYTHON, "-c", RUNNER, VERSION], input=lines, capture_output=True, text=True, timeout=1200)
    if run.returncode != 0:
        raise RuntimeError(run.stderr[-2000:])
    rows = json.loads(run.stdout)
    rows.sort(key=lambda r: (r["corpus"], r["file"], r["line"] or 0, r["rule"], r["entity"] or "", r["path"] or "", r["message"]))
    return rows


def write_results(rows):
    with open(COMMITTED, "w") as handle:
        handle.write('{"cloudformation-validate": "%s", "results": [\n' % VERSION)
        handle.write(",\n".join(json.dumps(row, sort_keys=True) for row in rows))
        handle.write("\n]}\n")


def oracle_place(row):
    """Where a finding stands: (Resources, id), a section, or the file's parse."""
    if row["rule"] in PARSE_RULES:
        return ("parse",)
    if row["section"] == "RESOURCE" and row["entity"]:
        return ("Resources", row["entity"])
    if row["section"] in SECTIONS:
        return (SECTIONS[row["section"]],)
    path = (row["path"] or "").replace(".", "/").split("/")
    return (path[0],) if path and path[0] else ()


def formwork_place(path):
    parts = [str(p) for p in (path or [])]
    return tuple(parts[:2]) if len(parts) >= 2 and parts[0] == "Resources" else tuple(parts[:1])


def formwork_errors(binary, groups):
    found = collections.defaultdict(set)
    for corpus, folder, files in groups:
        run = subprocess.run([os.path.abspath(binary), "lint", "--profile", "structural", "--format", "json"] + files,
                             cwd=folder, capture_output=True, text=True, timeout=900)
        for finding in json.loads(run.stdout):
            if finding["severity"] != "error":
                continue
            found[(corpus, finding["file"], formwork_place(finding["path"]))].add(finding["rule"])
            if finding["rule"].startswith("PS-"):
                found[(corpus, finding["file"], ("parse",))].add(finding["rule"])
    return found


def cfn_lint_errors(shared):
    """cfn-lint 1.51.0's committed errors, by (corpus, file, place), for the classifier below."""
    found = set()
    for corpus, name in (("real-world", "real-world/cfn-lint-1.51.0-findings.json"), ("cfn-lint good", "cfn-lint/cfn-lint-1.51.0-findings-good.json"),
                         ("cfn-lint bad", "cfn-lint/cfn-lint-1.51.0-findings-bad.json")):
        path = os.path.join(shared, "corpus", name)
        if not os.path.exists(path):
            continue
        with open(path) as handle:
            for finding in json.load(handle):
                if finding["Level"] == "Error":
                    found.add((corpus, finding["Filename"], formwork_place(finding["Location"]["Path"])))
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--write")
    parser.add_argument("--refresh", action="store_true", help="rewrite the committed results from a live run")
    args = parser.parse_args()
    groups = corpora(args.shared)
    if len(groups) == 1:
        print("cloudformation-validate parity: skipped (%s has no corpora)" % args.shared)
        return 0
    live_note = ""
    if os.access(VENV_PYTHON, os.X_OK):
        live = run_oracle(groups)
        if args.refresh:
            write_results(live)
        with open(COMMITTED) as handle:
            committed = json.load(handle)["results"]
        if live != committed:
            print("cloudformation-validate parity: the committed results differ from cloudformation-validate %s's live output; "
                  "rerun with --refresh and review the diff" % VERSION)
            return 1
        live_note = "the committed results equal a live run"
    else:
        if args.refresh:
            print("cloudformation-validate parity: --refresh needs the oracle (make python-deps)")
            return 1
        live_note = "live run skipped: cloudformation-validate is not installed (make python-deps installs it in .build/oracles/cloudformation-validate)"
        print("cloudformation-validate parity: " + live_note)
    with open(COMMITTED) as handle:
        oracle = json.load(handle)["results"]
    with open(EXCEPTIONS) as handle:
        exceptions = json.load(handle)
    formwork = formwork_errors(args.binary, groups)
    cfn_lint = cfn_lint_errors(args.shared)

    def explained_miss(row, place):
        for item in exceptions["misses"]:
            if item["rule"] != row["rule"]:
                continue
            if not fnmatch.fnmatch(row["file"], item.get("file", "*")) or item.get("place") not in (None, "/".join(place)):
                continue
            if fnmatch.fnmatch(row["message"], item.get("message", "*")):
                return item
        return None

    def explained_only(corpus, file, place, rules):
        for item in exceptions["formworkOnly"]:
            if item["rule"] in rules and fnmatch.fnmatch(file, item["file"]) and item.get("place") in (None, "/".join(place)):
                return item["why"]
        return None

    lines = [BEGIN, "## cloudformation-validate %s, a second reference" % VERSION, "",
             "`Tests/oracle/cloudformation_validate_parity.py` (run by `make test`): AWS's cloudformation-validate %s (the Rust validator; "
             "FATAL and ERROR findings) against `formwork lint --profile structural`'s errors, at the same resource or section, on the "
             "shared corpora and seed 004 (%s). Every difference is explained in `Tests/oracle/cloudformation-validate-exceptions.json`." % (VERSION, live_note), ""]
    unexplained, total_found, total = 0, 0, 0
    oracle_at = collections.defaultdict(set)
    for row in oracle:
        oracle_at[(row["corpus"], row["file"], oracle_place(row))].add(row["rule"])
        if oracle_place(row) == ("parse",):
            oracle_at[(row["corpus"], row["file"], ())].add(row["rule"])
    reasons = collections.defaultdict(list)
    kinds = collections.Counter()
    for corpus, _, files in groups:
        errors = [r for r in oracle if r["corpus"] == corpus and r["level"] in ("FATAL", "ERROR")]
        found, missed = 0, collections.Counter()
        for row in errors:
            place = oracle_place(row)
            if formwork.get((corpus, row["file"], place)):
                found += 1
                continue
            missed[row["rule"]] += 1
            item = explained_miss(row, place)
            why = item and item["why"]
            kinds[item["kind"] if item else "unexplained"] += 1
            if why is None:
                unexplained += 1
                reasons["**UNEXPLAINED** oracle error not found"].append("%s `%s` `%s`: %s" % (row["rule"], row["file"], "/".join(place), row["message"][:140]))
                print("  unexplained oracle error not found: %s %s %s %s" % (row["rule"], row["file"], "/".join(place), row["message"][:140]))
            else:
                reasons[why].append("%s `%s` `%s`" % (row["rule"], row["file"], "/".join(place)))
        only = 0
        for (c, file, place), rules in sorted(formwork.items(), key=lambda item: (item[0][1], str(item[0][2]))):
            if c != corpus or (c, file, place) in oracle_at or place == ("parse",):
                continue
            only += 1
            # A Formwork error where cfn-lint 1.51.0 reports an error too (its committed
            # findings): the two references disagree there, and the difference is the oracle's.
            why = CFN_LINT_AGREES if (corpus, file, place) in cfn_lint else explained_only(corpus, file, place, rules)
            if why is None:
                unexplained += 1
                reasons["**UNEXPLAINED** Formwork-only error"].append("%s `%s` `%s`" % (", ".join(sorted(rules)), file, "/".join(place)))
                print("  unexplained Formwork-only error: %s %s %s" % (", ".join(sorted(rules)), file, "/".join(place)))
            else:
                reasons[why].append("Formwork only: %s `%s` `%s`" % (", ".join(sorted(rules)), file, "/".join(place)))
        share = 100.0 * found / max(len(errors), 1)
        total_found += found
        total += len(errors)
        summary = "%s: %d of %d errors found at the same resource (%.1f %%); %d Formwork errors where it reports nothing; not found: %s" % (
            corpus, found, len(errors), share, only, ", ".join("%s %d" % item for item in missed.most_common()) or "none")
        print(summary)
        lines.append("- " + summary)
    share = 100.0 * total_found / max(total, 1)
    # The errors both could report: without the oracle's judgments of parameter values and
    # the documented disagreements; found at another place counts as found.
    comparable = total - kinds["parameters"] - kinds["disagreement"]
    comparable_share = 100.0 * (total_found + kinds["place"]) / max(comparable, 1)
    lines += ["", "All together: **%d of %d (%.1f %%)** of its errors found at the same resource. Of the %d not found, %d are its judgments of "
              "parameter values (the deployer's), %d documented disagreements, %d found at another place and %d checks Formwork does not have yet; "
              "of the errors both judge (without the first two kinds), **%.1f %%** are found (%s the 95 %% target)." % (
                  total_found, total, share, total - total_found, kinds["parameters"], kinds["disagreement"], kinds["place"], kinds["gap"],
                  comparable_share, "meeting" if comparable_share >= 95 else "MISSING"),
              "", "The differences, by reason:", ""]
    for why in sorted(reasons, key=lambda w: (not w.startswith("**"), w)):
        items = reasons[why]
        lines.append("- %s (%d): %s" % (why, len(items), "; ".join(items[:6]) + ("; ..." if len(items) > 6 else "")))
    lines.append(END)
    if args.write:
        text = open(args.write).read() if os.path.exists(args.write) else ""
        section = "\n".join(lines)
        if BEGIN in text and END in text:
            text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        with open(args.write, "w") as handle:
            handle.write(text)
    print("cloudformation-validate parity: %d of %d oracle errors found (%.1f %%; %.1f %% of those both judge), %d unexplained" % (
        total_found, total, share, comparable_share, unexplained))
    return 0 if unexplained == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
