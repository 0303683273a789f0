#!/usr/bin/env python3
"""Instructions `formwork lsp` spends on one edit of the 800-resource template (issue 31),
counted by callgrind, which a loaded machine does not change: the server is run twice under
`valgrind --tool=callgrind`, once to open the template and once to open it and make EDITS
edits (a value in a database, each published before the next is sent); the difference over
EDITS is one edit's cost (read, lint, publication).

    lsp_edit_instructions.py BINARY [--edits N] [--settled]

With `--settled` each edit waits for its exact publication too (the one the server makes once
the text has been still for 150 ms): the count of an edit is then its quick and its exact
lint, whatever thread runs them. Without it the next edit is sent once the first publication
arrives; a server that writes on another thread may then start the exact lint before the
next edit comes (valgrind runs the threads slowly), so compare binaries with `--settled`.

Needs valgrind. Prints `open Ir N; per edit Ir N`.
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "Tests", "lsp"))
import large_document  # noqa: E402
from large_template import template  # noqa: E402


def instructions(binary, edits, settled=False):
    """Total instructions of one server run: open, `edits` edits, shutdown."""
    out = tempfile.mktemp(prefix="formwork-callgrind-")
    wrapper = os.path.join(tempfile.mkdtemp(prefix="formwork-callgrind-"), "formwork")
    with open(wrapper, "w") as handle:
        handle.write(f"#!/bin/sh\nexec valgrind --tool=callgrind --callgrind-out-file={out} {os.path.abspath(binary)} \"$@\" 2>/dev/null\n")
    os.chmod(wrapper, 0o755)
    text = template(800)
    lines = text.split("\n")
    uri = "file://" + os.path.join(tempfile.mkdtemp(prefix="formwork-large-"), "large.yaml")
    server = large_document.Server(wrapper)
    try:
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        server.wait_version(1, timeout=1800)
        multi = [i for i, line in enumerate(lines) if line == "      MultiAZ: false"]
        for n in range(edits):
            line = multi[(n * 37) % len(multi)]
            server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": n + 2},
                                                     "contentChanges": [{"range": {"start": {"line": line, "character": 15}, "end": {"line": line, "character": 20}},
                                                                         "text": "true " if n % 2 == 0 else "false"}]})
            server.wait_version(n + 2, timeout=1800)
            if settled:
                with server.lock:
                    server.lock.wait_for(lambda: len([v for _, v, _ in server.published if v == n + 2]) >= 2, timeout=1800)
    finally:
        # Slow under valgrind: the profile is written as the server exits.
        server.request("shutdown", None, timeout=600)
        server.notify("exit", None)
        server.process.wait(timeout=600)
    with open(out) as handle:
        totals = [int(match.group(1)) for match in re.finditer(r"^(?:summary|totals): (\d+)", handle.read(), re.M)]
    os.unlink(out)
    return max(totals)


def main():
    args = sys.argv[1:]
    edits = 5
    if "--edits" in args:
        edits = int(args[args.index("--edits") + 1])
        del args[args.index("--edits"):args.index("--edits") + 2]
    settled = "--settled" in args
    args = [a for a in args if a != "--settled"]
    binary = args[0] if args else ".build/release/formwork"
    opened = instructions(binary, 0)
    edited = instructions(binary, edits, settled)
    print(f"open Ir {opened:,}; per edit Ir {(edited - opened) // edits:,} ({edits} edits)")


if __name__ == "__main__":
    main()
