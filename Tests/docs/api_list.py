#!/usr/bin/env python3
"""The public surface of `import Formwork`, from the symbol graph, against docs/api/Formwork.txt.

Usage: api_list.py [--build-dir .build/debug] [--write]     (the test: python3 -m unittest Tests/docs/api_list.py)

Extracts the symbol graph of the Formwork module (with the modules and types it re-exports)
from the built .swiftmodule files, and writes one line per public symbol: its kind, its path
and its declaration. The list is checked in: a change to the public API shows up as a change
to the file, reviewed like code. The test also holds the surface to its budget (at most 70
top-level types, the generated models aside: 60 until this round added the typed policy
documents and the public rule API) and requires a doc comment on every symbol.
The IAM action constants (generated, like the models) are counted in one line; the other
public products (`PRODUCTS`: FormworkConstructs) follow, each under its own heading.
Run as a unittest, it is reported as skipped, with the reason, where `swift
symbolgraph-extract` or the built module is missing.
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIST = os.path.join(ROOT, "docs", "api", "Formwork.txt")
MAX_TYPES = 70
# The modules whose symbols `import Formwork` re-exports, wholly or by declaration.
REEXPORTED = ["FormworkCore", "FormworkIAMActions", "FormworkRuleKit", "FormworkRules"]
# Other public products listed after Formwork's, each under its own heading.
PRODUCTS = ["FormworkConstructs"]
TYPE_KINDS = {"swift.struct", "swift.class", "swift.enum", "swift.protocol", "swift.typealias"}


def declaration(symbol):
    return "".join(fragment["spelling"] for fragment in symbol.get("declarationFragments", [])).replace("\n", " ")


def generated(path, decl):
    """The IAM action constants (`IAMActions.S3.getObject`, `IAMAction.s3`), generated from
    the action table like the models: counted in one line, not listed."""
    return path.startswith("IAMActions.") or (path.startswith("IAMAction.") and "IAMActions." in decl)


def surface(build_dir, module="Formwork", reexported=REEXPORTED):
    swift = shutil.which("swift")
    if swift is None:
        return None, "swift is not on PATH"
    modules = os.path.join(build_dir, "Modules")
    if not os.path.exists(os.path.join(modules, f"{module}.swiftmodule")):
        return None, f"{modules}/{module}.swiftmodule is missing: build first (make build)"
    target = f"{platform.machine()}-unknown-linux-gnu" if sys.platform.startswith("linux") else None
    with tempfile.TemporaryDirectory() as out:
        command = [swift, "symbolgraph-extract", "-module-name", module, "-I", modules,
                   "-I", os.path.join(ROOT, "Sources", "CYAML"), "-minimum-access-level", "public",
                   "-output-dir", out, "-skip-synthesized-members"]
        if reexported:
            command.append("-experimental-allowed-reexported-modules=" + ",".join(reexported))
        if target:
            command += ["-target", target]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            return None, "swift symbolgraph-extract failed: " + result.stderr.strip()[:500]
        symbols = []
        for name in sorted(os.listdir(out)):
            with open(os.path.join(out, name)) as handle:
                graph = json.load(handle)
            extended = name.split("@", 1)[1].rsplit(".symbols.json", 1)[0] if "@" in name else None
            for symbol in graph["symbols"]:
                path = ".".join(symbol["pathComponents"])
                if extended:
                    path = f"{extended}.{path}"
                symbols.append((symbol["kind"]["identifier"], path, declaration(symbol),
                                bool(symbol.get("docComment", {}).get("lines")), extended))
    return symbols, None


def check(build_dir, write=False):
    """(problems, summary), or (None, reason) when the surface cannot be extracted here."""
    symbols, reason = surface(build_dir)
    if symbols is None:
        return None, reason
    products = []
    for product in PRODUCTS:
        listed, reason = surface(build_dir, module=product, reexported=[])
        if listed is None:
            return None, reason
        products.append((product, listed))
    actions = sum(1 for kind, path, _, _, _ in symbols if path.startswith("IAMActions.") and kind == "swift.property")
    symbols = [symbol for symbol in symbols if not generated(symbol[1], symbol[2])]
    lines = sorted({f"{kind.removeprefix('swift.')} {path}: {decl}" for kind, path, decl, _, _ in symbols})
    lines.append(f"generated IAMActions: {actions} action constants (Sources/FormworkIAMActions/IAMActions.swift)")
    text = "".join(line + "\n" for line in lines)
    # The budget is Formwork's own; a product's types are listed under its heading.
    types = sorted({path for kind, path, _, _, extended in symbols if kind in TYPE_KINDS and "." not in path and not extended})
    everything = list(symbols)
    for product, listed in products:
        product_lines = sorted({f"{kind.removeprefix('swift.')} {path}: {decl}" for kind, path, decl, _, _ in listed})
        text += f"\n# {product}\n" + "".join(line + "\n" for line in product_lines)
        lines += ["", f"# {product}"] + product_lines
        everything += listed
    undocumented = sorted({f"{path}: {decl}" for kind, path, decl, documented, extended in everything
                           if not documented and not extended and kind not in {"swift.associatedtype"}})
    problems = []
    if len(types) > MAX_TYPES:
        problems.append(f"`import Formwork` exposes {len(types)} types, more than {MAX_TYPES}: {', '.join(types)}")
    if undocumented:
        problems.append(f"{len(undocumented)} public symbols have no doc comment:\n  " + "\n  ".join(undocumented))
    if write:
        os.makedirs(os.path.dirname(LIST), exist_ok=True)
        open(LIST, "w").write(text)
    else:
        recorded = open(LIST).read() if os.path.exists(LIST) else ""
        if recorded != text:
            old, new = set(recorded.splitlines()), set(text.splitlines())
            diff = [f"- {line}" for line in sorted(old - new)] + [f"+ {line}" for line in sorted(new - old)]
            problems.append("the public API differs from docs/api/Formwork.txt (review, then `python3 Tests/docs/api_list.py --write`):\n  "
                            + "\n  ".join(diff[:80]))
    return problems, f"{len(lines)} symbols, {len(types)} types ({MAX_TYPES} at most), {len(undocumented)} undocumented"


class APIListTests(unittest.TestCase):
    def test_public_surface_is_the_recorded_one(self):
        problems, summary = check(os.environ.get("FORMWORK_BUILD_DIR", os.path.join(ROOT, ".build", "debug")))
        if problems is None:
            self.skipTest(summary)
        self.assertEqual(problems, [], "\n".join(problems))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", default=os.path.join(ROOT, ".build", "debug"))
    parser.add_argument("--write", action="store_true", help="record the current surface")
    args = parser.parse_args()
    problems, summary = check(args.build_dir, write=args.write)
    if problems is None:
        print(f"api list: cannot run here: {summary}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    print(f"api list: {summary}: {'FAILED' if problems else 'ok'}{' (written)' if args.write else ''}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
