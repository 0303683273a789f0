#!/usr/bin/env python3
"""Two formwork binaries must write the same lint reports, byte for byte, with the same exit
codes: what a performance change is checked with (BENCHMARKS.md says when it was run).

    same_reports.py BEFORE AFTER [--shared ../shared]

Each corpus of ../shared (the real-world templates, cfn-lint's good and bad templates) is
linted in one process in the text, JSON and SARIF formats, with all rules and with
`--profile structural`, and every file of the corpora, seed 004 and fixtures/ once more on
its own (JSON); `fmt` of seed 004 too, and seed 004's lint with the argument forms the
command parses by hand and some it leaves to ArgumentParser (errors included). With `--fmt`, only `fmt` instead: every file of the
corpora and fixtures/ in its own format, as YAML and as JSON (standard output, standard
error, exit code). Prints the count of comparisons; exit 1 on any difference, naming it.
"""
import argparse
import os
import subprocess
import sys

EXTENSIONS = (".yaml", ".yml", ".json", ".template")


def run(binary, arguments):
    done = subprocess.run([binary, *arguments], capture_output=True, timeout=600)
    return done.returncode, done.stdout, done.stderr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--folders-only", action="store_true", help="only the corpora in one process each (quicker)")
    parser.add_argument("--fmt", action="store_true", help="compare fmt of every file (own format, YAML, JSON) instead")
    args = parser.parse_args()
    folders = [os.path.join(args.shared, "corpus", "real-world", "templates"),
               os.path.join(args.shared, "corpus", "cfn-lint", "templates", "good"),
               os.path.join(args.shared, "corpus", "cfn-lint", "templates", "bad")]
    commands = []
    for folder in folders:
        for options in ([], ["--format", "json"], ["--format", "sarif"], ["--profile", "structural", "--format", "json"]):
            commands.append(["lint", *options, folder])
    files = sorted(os.path.join(folder, name) for root in folders + ["fixtures"] for folder, _, names in os.walk(root)
                   for name in names if name.endswith(EXTENSIONS))
    if args.fmt:
        commands = [["fmt", *options, path] for path in files for options in ([], ["--format", "yaml"], ["--format", "json"])]
    elif not args.folders_only:
        commands += [["lint", "--format", "json", path] for path in files + ["fixtures/seed-004/TapStack.yml"]]
    commands += [["fmt", "fixtures/seed-004/TapStack.yml"], ["fmt", "--format", "json", "fixtures/seed-004/TapStack.yml"]]
    # The forms `formwork lint` parses without ArgumentParser (Sources/formwork/FastPath.swift)
    # and some it leaves to it, errors included: the same output and exit code either way.
    seed = "fixtures/seed-004/TapStack.yml"
    commands += [["lint", seed], ["lint", "--quiet", "--fail-on", "error", seed], ["lint", "--format=sarif", "--profile", "structural", seed],
                 ["lint", "--only-templates", seed, "README.md"], ["lint", seed, "README.md"], ["lint", "--fail-on", "none", "fixtures"],
                 ["lint", "--profile", "nope", seed], ["lint", "--format", "xml", seed], ["lint", "--format"], ["lint"], ["lint", "no-such-*.yml"],
                 ["lint", "missing.yml", seed], ["lint", "--output-file", "/nonexistent-folder/report.txt", seed],
                 ["lint", "--config", "missing.yml", seed], ["lint", "-q", seed], ["lint", "--quiet", "--quiet", seed], ["lint", "--", seed],
                 ["lint", "--ignore-checks", "LC-01,NM", seed], ["lint", "--ignore-checks", "XX-99", seed], ["lint", "--nope", seed]]
    differences = 0
    for arguments in commands:
        if run(args.before, arguments) != run(args.after, arguments):
            differences += 1
            print("differs: formwork " + " ".join(arguments), flush=True)
    print(f"{len(commands)} commands compared" + ("" if args.folders_only else f" ({len(files)} files one by one)") + f", {differences} differ")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
