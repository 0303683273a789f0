#!/usr/bin/env python3
"""Parity of `formwork lint --profile structural` with cfn-lint on cfn-lint's own corpus.

For every cfn-lint rule id that a Formwork rule declares it overlaps (`formwork rules
--format json`, key cfnLint), counts the findings both report at the same place (same file,
same path from the template root), the ones only cfn-lint reports and the ones only
Formwork reports; parse errors (Formwork's PS-* diagnostics) overlap cfn-lint's E0000.
cfn-lint is run when it is installed; otherwise the committed findings
(cfn-lint-1.51.0-findings-{good,bad}.json) are read. Writes PARITY.md.

Acceptance (issue 6): on bad/, at least 90 % of cfn-lint's error-level findings of the
overlapping ids are found by Formwork at the same path; on good/, every error-level
Formwork finding that cfn-lint does not report is listed with its reason in
Tests/oracle/parity-exceptions.json. Exit 1 when either fails.
"""
import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXCEPTIONS = os.path.join(HERE, "parity-exceptions.json")
EMPTY_FILE = "PS-10"


def template_files(corpus, part):
    found = []
    for folder, _, names in os.walk(os.path.join(corpus, "templates", part)):
        for name in names:
            if name.endswith((".yaml", ".yml", ".json", ".template")):
                found.append(os.path.relpath(os.path.join(folder, name), corpus))
    return sorted(found)


def cfn_lint_findings(corpus, part, live):
    if live:
        files = template_files(corpus, part)
        run = subprocess.run(["cfn-lint", "--format", "json", "--"] + files, cwd=corpus, capture_output=True, text=True, timeout=600)
        return json.loads(run.stdout or "[]"), "%s, run now" % subprocess.run(["cfn-lint", "--version"], capture_output=True, text=True).stdout.strip()
    with open(os.path.join(corpus, "cfn-lint-1.51.0-findings-%s.json" % part)) as handle:
        return json.load(handle), "cfn-lint-1.51.0-findings-%s.json (committed)" % part


def formwork_findings(binary, corpus, part):
    # Every file by name, as cfn-lint is given them (a folder search skips files that are
    # not templates, which cfn-lint's corpus lints on purpose).
    run = subprocess.run([binary, "lint", "--profile", "structural", "--format", "json"] + template_files(corpus, part),
                         cwd=corpus, capture_output=True, text=True, timeout=600)
    if run.returncode not in (0, 2, 4, 6, 8, 10, 12, 14):
        sys.exit("formwork lint failed (exit %d): %s" % (run.returncode, run.stderr))
    return json.loads(run.stdout)


def key(path):
    return tuple(str(component) for component in (path or []))


def compare(cfn, formwork, overlaps):
    """Per cfn-lint id: (both, only cfn-lint, only Formwork), and the unmatched findings."""
    by_place = collections.defaultdict(set)  # (file, path) -> Formwork rule ids there
    for finding in formwork:
        by_place[(finding["file"], key(finding["path"]))].add(finding["rule"])
    for finding in formwork:
        if finding["rule"].startswith("PS-"):
            by_place[(finding["file"], "parse")].add(finding["rule"])
        # An empty file is cfn-lint's "'Resources' is a required property" at the root.
        if finding["rule"] == EMPTY_FILE:
            by_place[(finding["file"], ())].add(EMPTY_FILE)
    counts = collections.defaultdict(lambda: [0, 0, 0])
    matched_formwork = set()
    missed = []
    for finding in cfn:
        rule = finding["Rule"]["Id"]
        declaring = overlaps.get(rule)
        if not declaring:
            continue
        file = finding["Filename"]
        place = (file, "parse") if rule == "E0000" else (file, key(finding["Location"]["Path"]))
        hit = by_place.get(place, set()) & declaring
        if hit:
            counts[rule][0] += 1
            matched_formwork.update((place, r) for r in hit)
        else:
            counts[rule][1] += 1
            missed.append(finding)
    cfn_places = collections.defaultdict(set)
    for finding in cfn:
        rule = finding["Rule"]["Id"]
        place = (finding["Filename"], "parse") if rule == "E0000" else (finding["Filename"], key(finding["Location"]["Path"]))
        cfn_places[place].add(rule)
    extra = []
    rule_ids = {}
    for rule, declaring in overlaps.items():
        for formwork_rule in declaring:
            rule_ids.setdefault(formwork_rule, set()).add(rule)
    for finding in formwork:
        place = (finding["file"], "parse") if finding["rule"].startswith("PS-") else (finding["file"], key(finding["path"]))
        if (place, finding["rule"]) in matched_formwork:
            continue
        if cfn_places.get(place, set()) & rule_ids.get(finding["rule"], set()):
            continue
        extra.append(finding)
        for rule in sorted(rule_ids.get(finding["rule"], [])):
            counts[rule][2] += 1
            break
    return counts, missed, extra


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--write", default="PARITY.md")
    parser.add_argument("--committed", action="store_true", help="read the committed cfn-lint findings even when cfn-lint is installed")
    arguments = parser.parse_args()
    corpus = os.path.join(arguments.shared, "corpus", "cfn-lint")
    if not os.path.isdir(corpus):
        print(f"parity with cfn-lint: skipped ({corpus} is missing: ../shared beside the repository, see the README)", file=sys.stderr)
        return 0
    binary = os.path.abspath(arguments.binary)
    live = shutil.which("cfn-lint") is not None and not arguments.committed

    rules = json.loads(subprocess.run([binary, "rules", "--format", "json"], capture_output=True, text=True, check=True).stdout)
    overlaps = collections.defaultdict(set)
    for rule in rules:
        if rule["id"].startswith("ST-"):
            for cfn_id in rule["cfnLint"]:
                overlaps[cfn_id].add(rule["id"])
    # ST-00 documents the reader's parse diagnostics, which carry their PS ids.
    overlaps.pop("E0000", None)
    overlaps["E0000"] = {"PS-%02d" % n for n in range(0, 20)} - {EMPTY_FILE}
    overlaps["E1001"].add(EMPTY_FILE)
    with open(EXCEPTIONS) as handle:
        reasons = {(entry["file"], entry["rule"], tuple(str(p) for p in entry["path"])): entry["why"] for entry in json.load(handle)}

    lines = ["# Parity with cfn-lint", "",
             "Written by `make parity` (`Tests/oracle/parity.py`): `formwork lint --profile structural` against cfn-lint on",
             "cfn-lint's own test corpus (`../shared/corpus/cfn-lint/templates`). A finding is shared when both report it in the",
             "same file at the same path from the template root, from a Formwork rule that declares the cfn-lint id",
             "(`formwork rules --format json`, `cfnLint`); Formwork's parse diagnostics (PS-*) overlap E0000.", ""]
    failed = False
    for part in ("bad", "good"):
        cfn, source = cfn_lint_findings(corpus, part, live)
        formwork = formwork_findings(binary, corpus, part)
        counts, missed, extra = compare(cfn, formwork, overlaps)
        errors = [f for f in cfn if f["Level"] == "Error" and f["Rule"]["Id"] in overlaps]
        error_hits = len(errors) - len([f for f in missed if f["Level"] == "Error"])
        lines += ["## %s/ (%d templates; cfn-lint findings from %s)" % (part, len(template_files(corpus, part)), source), "",
                  "| cfn-lint rule | Formwork rules | both | only cfn-lint | only Formwork |", "|---|---|---|---|---|"]
        totals = [0, 0, 0]
        for rule in sorted(counts):
            both, only_cfn, only_formwork = counts[rule]
            totals = [totals[0] + both, totals[1] + only_cfn, totals[2] + only_formwork]
            declared = sorted(overlaps[rule])
            shown = "ST-00 (the reader's PS-* diagnostics)" if rule == "E0000" else ", ".join(r for r in declared if not r.startswith("PS-")) + (" (PS-10: empty file)" if EMPTY_FILE in declared else "")
            lines.append("| %s | %s | %d | %d | %d |" % (rule, shown, both, only_cfn, only_formwork))
        lines.append("| **total** | | **%d** | **%d** | **%d** |" % tuple(totals))
        lines.append("")
        if part == "bad":
            share = 100.0 * error_hits / max(1, len(errors))
            ok = share >= 90.0
            failed |= not ok
            lines += ["Error-level cfn-lint findings of the overlapping ids found by Formwork at the same path: **%d of %d (%.1f %%)**, %s the 90 %% target." % (error_hits, len(errors), share, "meeting" if ok else "BELOW"), ""]
            if missed:
                lines += ["cfn-lint findings Formwork does not report at the same path:", ""]
                for finding in sorted(missed, key=lambda f: (f["Filename"], f["Location"]["Start"]["LineNumber"])):
                    lines.append("- `%s` %s %s `%s`: %s" % (finding["Filename"].replace("templates/", ""), finding["Rule"]["Id"], finding["Level"].lower(),
                                                           "/".join(str(p) for p in finding["Location"]["Path"] or []), finding["Message"][:140].replace("|", "\\|")))
                lines.append("")
        else:
            unexplained = []
            explained = []
            for finding in extra:
                if finding["severity"] != "error":
                    continue
                entry = (os.path.relpath(finding["file"], "."), finding["rule"], key(finding["path"]))
                if entry in reasons:
                    explained.append((entry, reasons[entry]))
                else:
                    unexplained.append(finding)
            failed |= bool(unexplained)
            lines += ["Error-level Formwork findings where cfn-lint reports none of the overlapping ids: %d, each with why Formwork is right:" % (len(explained) + len(unexplained)), ""]
            for (file, rule, path), why in explained:
                lines.append("- `%s` %s `%s`: %s" % (file.replace("templates/", ""), rule, "/".join(path), why))
            for finding in unexplained:
                lines.append("- **UNEXPLAINED** `%s` %s `%s`: %s" % (finding["file"], finding["rule"], "/".join(str(p) for p in finding["path"]), finding["message"]))
            lines.append("")
    # This script owns the file's opening sections only: from the first section another
    # script writes (its `<!-- NAME:begin -->` marker) on, the file is kept as it is, with
    # the hand-written paragraphs between.
    rest = ""
    if os.path.exists(arguments.write):
        with open(arguments.write) as handle:
            existing = handle.read()
        marker = re.search(r"^<!-- [a-z-]+:begin -->$", existing, flags=re.M)
        if marker:
            rest = existing[marker.start():]
    with open(arguments.write + ".new", "w") as handle:
        handle.write("\n".join(lines) + ("\n" + rest if rest else ""))
    os.replace(arguments.write + ".new", arguments.write)
    print("\n".join(lines))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
