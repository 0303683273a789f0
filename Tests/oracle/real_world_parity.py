#!/usr/bin/env python3
"""The linter on templates written by others: `formwork lint --profile structural` of
../shared/corpus/real-world against cfn-lint 1.51.0's committed findings for the same files.

A cfn-lint error is found when Formwork reports an error at the same resource (or the same
top-level section; a parse error anywhere in the file for E0000). Every cfn-lint error not
found, and every Formwork error at a place where cfn-lint reports nothing, must be listed
with its reason in Tests/oracle/real-world-exceptions.json. Acceptance (issue 13): at least
95 % found, nothing unexplained. Writes a section of PARITY.md with --write.

    real_world_parity.py BINARY [--shared ../shared] [--write PARITY.md]
"""
import argparse
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BEGIN, END = "<!-- real-world:begin -->", "<!-- real-world:end -->"


def place(path):
    parts = [str(p) for p in (path or [])]
    return tuple(parts[:2]) if len(parts) >= 2 and parts[0] == "Resources" else tuple(parts[:1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--write")
    parser.add_argument("--cfn-lint-corpus", action="store_true",
                        help="measure the same on cfn-lint's own corpus (good/ and bad/), all error ids; prints (and with --write records) the numbers; fails on a Formwork-only error not in cfn-lint-corpus-exceptions.json")
    args = parser.parse_args()
    if args.cfn_lint_corpus:
        return measure_cfn_lint_corpus(args)
    corpus = os.path.join(args.shared, "corpus", "real-world")
    if not os.path.isdir(corpus):
        print(f"real-world parity: skipped ({corpus} is missing)")
        return 0
    with open(os.path.join(corpus, "cfn-lint-1.51.0-findings.json")) as handle:
        cfn = json.load(handle)
    files = sorted({os.path.relpath(os.path.join(folder, name), corpus) for folder, _, names in os.walk(os.path.join(corpus, "templates"))
                    for name in names if name.endswith((".yaml", ".yml", ".json", ".template"))})
    run = subprocess.run([os.path.abspath(args.binary), "lint", "--profile", "structural", "--format", "json"] + files,
                         cwd=corpus, capture_output=True, text=True, timeout=600)
    formwork = json.loads(run.stdout)
    with open(os.path.join(HERE, "real-world-exceptions.json")) as handle:
        exceptions = json.load(handle)

    found_at = collections.defaultdict(set)
    for finding in formwork:
        if finding["severity"] != "error":
            continue
        found_at[(finding["file"], place(finding["path"]))].add(finding["rule"])
        if finding["rule"].startswith("PS-"):
            found_at[(finding["file"], "parse")].add(finding["rule"])
    errors = [f for f in cfn if f["Level"] == "Error"]
    found, missed = 0, []
    for finding in errors:
        where = (finding["Filename"], "parse") if finding["Rule"]["Id"] == "E0000" else (finding["Filename"], place(finding["Location"]["Path"]))
        if found_at.get(where):
            found += 1
        else:
            missed.append(finding)
    cfn_at = {(f["Filename"], place(f["Location"]["Path"])) for f in cfn} | {(f["Filename"], "parse") for f in cfn if f["Rule"]["Id"] == "E0000"}
    only = [f for f in formwork if f["severity"] == "error" and (f["file"], place(f["path"])) not in cfn_at
            and not (f["rule"].startswith("PS-") and (f["file"], "parse") in cfn_at)]

    def explained_miss(finding):
        where = place(finding["Location"]["Path"])
        resource = where[1] if len(where) == 2 else (where[0] if where else None)
        return next((e["why"] for e in exceptions["misses"] if e["rule"] == finding["Rule"]["Id"] and e["file"] == finding["Filename"]
                     and (e["resource"] == resource or e["resource"] is None)), None)

    def explained_only(finding):
        return next((e["why"] for e in exceptions["formworkOnly"] if e["rule"] == finding["rule"] and e["file"] == finding["file"]), None)

    share = 100.0 * found / max(len(errors), 1)
    lines = [BEGIN, "## The real-world corpus", "",
             f"`formwork lint --profile structural` of the {len(files)} templates in `../shared/corpus/real-world/` against cfn-lint 1.51.0's "
             "committed findings (`make test` runs this comparison; `Tests/oracle/real_world_parity.py`). A cfn-lint error is found when "
             "Formwork reports an error at the same resource or section.", "",
             f"cfn-lint's errors found at the same resource: **{found} of {len(errors)} ({share:.1f} %)**, "
             f"{'meeting' if share >= 95 else 'MISSING'} the 95 % target.", "", "Not found, each with its reason:", ""]
    unexplained = 0
    for finding in missed:
        why = explained_miss(finding)
        unexplained += why is None
        lines.append(f"- {finding['Rule']['Id']} `{finding['Filename']}` `{'/'.join(map(str, finding['Location']['Path'] or []))}`: "
                     + (why or "**UNEXPLAINED** " + finding["Message"][:160]))
    lines += ["", f"Formwork errors where cfn-lint reports nothing: {len(only)}", ""]
    for finding in only:
        why = explained_only(finding)
        unexplained += why is None
        lines.append(f"- {finding['rule']} `{finding['file']}` `{'/'.join(map(str, finding['path']))}`: " + (why or "**UNEXPLAINED** " + finding["message"][:160]))
    lines.append(END)
    section = "\n".join(lines) + "\n"
    if args.write:
        text = open(args.write).read() if os.path.exists(args.write) else ""
        if BEGIN in text and END in text:
            text = text[:text.index(BEGIN)] + section.rstrip("\n") + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n" + section
        with open(args.write, "w") as handle:
            handle.write(text)
    print(f"real-world parity: {found} of {len(errors)} cfn-lint errors found ({share:.1f} %), {len(only)} Formwork-only errors, {unexplained} unexplained")
    return 0 if share >= 95 and unexplained == 0 else 1


def measure_cfn_lint_corpus(args):
    corpus = os.path.join(args.shared, "corpus", "cfn-lint")
    if not os.path.isdir(corpus):
        print(f"cfn-lint corpus parity: skipped ({corpus} is missing: ../shared beside the repository, see the README)")
        return 0
    lines = ["<!-- cfn-lint-corpus:begin -->", "## cfn-lint's corpus, counted as the real-world corpus is", "",
             "`real_world_parity.py --cfn-lint-corpus`: every cfn-lint error (all ids, not only the overlapping ones) on cfn-lint's own test templates, "
             "found when Formwork reports an error at the same resource or section (`--profile structural`).", ""]
    with open(os.path.join(HERE, "cfn-lint-corpus-exceptions.json")) as handle:
        explained = {(item["file"], item["place"]): item["why"] for item in json.load(handle)}
    unexplained = []
    for part in ("good", "bad"):
        with open(os.path.join(corpus, "cfn-lint-1.51.0-findings-%s.json" % part)) as handle:
            cfn = json.load(handle)
        files = sorted({os.path.relpath(os.path.join(folder, name), corpus) for folder, _, names in os.walk(os.path.join(corpus, "templates", part))
                        for name in names if name.endswith((".yaml", ".yml", ".json", ".template"))})
        run = subprocess.run([os.path.abspath(args.binary), "lint", "--profile", "structural", "--format", "json"] + files,
                             cwd=corpus, capture_output=True, text=True, timeout=600)
        found_at = collections.defaultdict(set)
        for finding in json.loads(run.stdout):
            if finding["severity"] == "error":
                found_at[(finding["file"], place(finding["path"]))].add(finding["rule"])
                if finding["rule"].startswith("PS-"):
                    found_at[(finding["file"], "parse")].add(finding["rule"])
        errors = [f for f in cfn if f["Level"] == "Error"]
        missed = collections.Counter()
        cfn_at = set()
        for finding in errors:
            where = (finding["Filename"], "parse") if finding["Rule"]["Id"] == "E0000" else (finding["Filename"], place(finding["Location"]["Path"]))
            cfn_at.add(where)
            if not found_at.get(where):
                missed[finding["Rule"]["Id"]] += 1
        found = len(errors) - sum(missed.values())
        # Formwork's errors where cfn-lint reports none: each explained, or the run fails.
        for (file, where), rules in sorted(found_at.items(), key=lambda item: (item[0][0], str(item[0][1]))):
            if where == "parse" or (file, where) in cfn_at or (where == () and (file, "parse") in cfn_at):
                continue
            key = (file, "/".join(where))
            if key in explained:
                lines.append(f"- Formwork only, {', '.join(sorted(rules))} `{part}/{file.split('/', 2)[-1]}` `{key[1]}`: {explained[key]}")
            else:
                unexplained.append(f"{file} {key[1]} {', '.join(sorted(rules))}")
        summary = (f"{part}/: {found} of {len(errors)} cfn-lint errors found at the same resource ({100.0 * found / max(len(errors), 1):.1f} %); "
                   f"not found: {', '.join(f'{rule} {count}' for rule, count in missed.most_common(60)) or 'none'}")
        print(summary)
        lines.append("- " + summary)
    if args.write:
        lines += ["", "What the misses are: E0001 (errors of the SAM transform, which Formwork does not run) and E0002 (cfn-lint's own crashes) cannot be matched; "
                  "in good/, the two E7001 report YAML integers as mapping attribute names (`32:`), which CloudFormation reads as the strings they are, and E6101 a Ref to a "
                  "module's resource (`ModuleResource`), which modules allow: cfn-lint's mistakes. In bad/, E3025 (RDS instance classes by engine), E1029 (`${}` in a state "
                  "machine's Fn::Join), E3026, E3019 (CodeBuild's Name, which is not its registry identifier), E3012, E1011, E3050 and E2529 are rules Formwork does not have yet.", "<!-- cfn-lint-corpus:end -->"]
        text = open(args.write).read() if os.path.exists(args.write) else ""
        begin, end = "<!-- cfn-lint-corpus:begin -->", "<!-- cfn-lint-corpus:end -->"
        if begin in text:
            text = text[:text.index(begin)] + "\n".join(lines) + text[text.index(end) + len(end):]
        else:
            text = text.rstrip() + "\n\n" + "\n".join(lines) + "\n"
        with open(args.write, "w") as handle:
            handle.write(text)
    for item in unexplained:
        print(f"  unexplained Formwork-only error: {item}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
