#!/usr/bin/env python3
"""The README and the documentation are true: in README.md and every docs/*.md, each fenced
block that holds `$ ` command lines is a terminal session run from a copy of fixtures/readme/ (one shell per block, so `cd` and `$?` carry over), and
what it prints must be the block's text byte for byte. A line `...` ends an output early:
only what stands before it is compared. The Markdown itself must parse: every fence closed,
no fence inside a block.

    readme_blocks.py BINARY [--record] [FILE.md...]   # --record rewrites the outputs in place

Without FILE.md arguments, README.md and every docs/*.md are read.

The sessions run with NO_COLOR=1, TERM=dumb, SOURCE_DATE_EPOCH of 2026-12-01 and the
built formwork first on PATH; standard error is shown with standard output, in order.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
README = os.path.join(ROOT, "README.md")
DOCS = os.path.join(ROOT, "docs")
FIXTURES = os.path.join(ROOT, "fixtures/readme")
MARK = "@@formwork-readme-mark@@"
FENCE = re.compile(r"^(```+)([A-Za-z0-9_+-]*)\s*$")


def documents(arguments):
    """The Markdown files to check: those named, else README.md and docs/*.md, in order."""
    named = [os.path.abspath(argument) for argument in arguments if argument.endswith(".md")]
    if named:
        return named
    return [README] + sorted(os.path.join(DOCS, name) for name in os.listdir(DOCS) if name.endswith(".md"))


def blocks(lines, name="README.md"):
    """(start, end, info) of each fenced block: lines[start] is the opening fence, lines[end]
    the closing one. Raises on an unclosed fence or a fence opened inside a block."""
    found, index = [], 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            if lines[index].lstrip().startswith("```") and not lines[index].startswith("```"):
                pass  # an indented fence inside a list item opens no block of its own here
            index += 1
            continue
        fence, info, start = match.group(1), match.group(2), index
        index += 1
        while index < len(lines) and lines[index].rstrip() != fence:
            if FENCE.match(lines[index]) and FENCE.match(lines[index]).group(2):
                raise SystemExit(f"{name}:{index + 1}: a fence ```{FENCE.match(lines[index]).group(2)} inside the block opened at line {start + 1}")
            index += 1
        if index == len(lines):
            raise SystemExit(f"{name}:{start + 1}: the block opened here is never closed")
        found.append((start, index, info))
        index += 1
    return found


def session(body):
    """The commands of a block and the output expected after each: [(command, [lines])]."""
    steps, command = [], None
    lines = iter(body)
    for line in lines:
        if line.startswith("$ "):
            # A line ending in a backslash goes on: the shell reads the two as one command.
            command = line[2:]
            while command.endswith("\\"):
                command += "\n" + next(lines)
            steps.append([command, []])
        elif steps:
            steps[-1][1].append(line)
    return steps


def run(steps, binary, folder):
    script = []
    for command, _ in steps:
        script.append(f"{command}\n__status=$?\necho {MARK}\n(exit $__status)\n")
    environment = dict(os.environ, PATH=os.path.dirname(os.path.abspath(binary)) + os.pathsep + os.environ["PATH"],
                       NO_COLOR="1", TERM="dumb", SOURCE_DATE_EPOCH="1796083200", GITHUB_ACTIONS="false", LC_ALL="C.UTF-8",
                       GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
                       GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    result = subprocess.run(["bash", "--noprofile", "--norc"], input="".join(script), cwd=folder, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    outputs = result.stdout.split(MARK + "\n")
    return [output.split("\n")[:-1] for output in outputs[:len(steps)]]


def compare(expected, actual):
    if "..." in expected:
        cut = expected.index("...")
        return expected[:cut] == actual[:cut]
    while expected and expected[-1] == "":
        expected = expected[:-1]
    return expected == actual


def check(path, binary, record):
    """Runs the sessions of one Markdown file: (sessions, failures); with record, rewrites it."""
    name = os.path.relpath(path, ROOT)
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    failures, sessions, replacements = [], 0, []
    for start, end, _ in blocks(lines, name):
        body = lines[start + 1:end]
        if not any(line.startswith("$ ") for line in body):
            continue
        steps = session(body)
        sessions += 1
        folder = tempfile.mkdtemp(prefix="formwork-readme-")
        try:
            work = os.path.join(folder, "readme")
            shutil.copytree(FIXTURES, work, symlinks=True)
            outputs = run(steps, binary, work)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        new_body = []
        for (command, expected), actual in zip(steps, outputs + [[]] * (len(steps) - len(outputs))):
            gap = []
            while expected and expected[-1] == "":
                gap.append("")
                expected = expected[:-1]
            if not compare(expected, actual):
                failures.append((name, start + 1, command, expected, actual))
            shown = actual
            if "..." in expected:
                shown = actual[:expected.index("...")] + ["..."]
            new_body += ["$ " + command] + shown + gap
        replacements.append((start, end, new_body))
    if record and replacements:
        for start, end, body in reversed(replacements):
            lines[start + 1:end] = body
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines))
    return sessions, failures


def main():
    binary = sys.argv[1]
    record = "--record" in sys.argv
    total, failures = 0, []
    for path in documents(sys.argv[2:]):
        sessions, found = check(path, binary, record)
        total += sessions
        failures += found
        if record and sessions:
            print(f"{os.path.relpath(path, ROOT)}: {sessions} sessions recorded")
    if record:
        return 0
    for name, line, command, expected, actual in failures:
        print(f"{name}:{line}: `$ {command}` printed:")
        print("\n".join("    " + text for text in actual))
        print("  and the document says:")
        print("\n".join("    " + text for text in expected))
    if failures:
        print(f"{len(failures)} of the documented commands print something else: fix the code or the fixtures, or re-record "
              f"with `make test-docs RECORD=1` and review the diff")
        return 1
    print(f"README.md and docs/*.md: {total} sessions, every command prints what the documentation shows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
