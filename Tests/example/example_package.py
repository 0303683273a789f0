#!/usr/bin/env python3
"""The outside package (Examples/orders-db) as a user meets it: copied out of the repository
beside a copy of Formwork in a folder named `formwork`, built from clean, and driven through
its own `swift run OrdersInfra ...` verbs. Nothing of the repository's build leaks in.

Checks: it builds with only the public products; `synth` writes its templates and a second
run rewrites nothing; `check` is clean, then fails naming the file after a hand edit, and
so does `formwork check` in the package's git repository, which finds the app itself; the
template is cfn-lint clean (skipped, with the reason, without cfn-lint); `diff` against its
own export finds nothing; a Retain on the database stops `synth` with LC-01 at the Swift
line, and nothing is written; then the built package in sourcekit-lsp
(Tests/editor/sourcekit_lsp.py: completion, hover, a compile error). Prints the clean build
time (BENCHMARKS.md records it).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
passed, failed, skipped = 0, 0, 0


def check(condition, what, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok: {what}")
    else:
        failed += 1
        print(f"FAILED: {what}\n{detail}")


def run(args, cwd, timeout=1200):
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return result.returncode, result.stdout, result.stderr


def copy_repository(destination):
    """The files git tracks, plus untracked ones it does not ignore (a working tree's state)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for path in filter(None, listed.decode().split("\0")):
        if path.startswith("Examples/"):
            continue
        source = os.path.join(ROOT, path)
        if not os.path.isfile(source):
            continue
        target = os.path.join(destination, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(source, target)


def main():
    work = tempfile.mkdtemp(prefix="formwork-example-")
    try:
        formwork = os.path.join(work, "formwork")
        package = os.path.join(work, "orders-db")
        copy_repository(formwork)
        shutil.copytree(os.path.join(ROOT, "Examples", "orders-db"), package,
                        ignore=shutil.ignore_patterns(".build", "templates", "Package.resolved"))
        manifest = open(os.path.join(package, "Package.swift")).read()
        check('.package(path: "../formwork")' in manifest and "FormworkTemplate" not in manifest and "FormworkCore" not in manifest,
              "the example depends on the Formwork products only")

        started = time.monotonic()
        status, out, err = run(["swift", "build"], package)
        seconds = time.monotonic() - started
        check(status == 0, f"clean debug build of the example package ({seconds:.0f} s)", out[-3000:] + err[-3000:])
        print(f"example package clean build: {seconds:.1f} s")
        if status != 0:
            return

        app = ["swift", "run", "--skip-build", "OrdersInfra"]
        status, out, err = run(app + ["synth"], package)
        yml = os.path.join(package, "templates", "orders", "OrdersDB.yml")
        check(status == 0 and os.path.isfile(yml) and os.path.isfile(yml[:-4] + ".json"), "synth writes templates/orders/OrdersDB.yml and .json", out + err)
        status, out, err = run(app + ["synth"], package)
        check(status == 0 and "0 written" in out, "a second synth rewrites nothing (deterministic)", out + err)

        status, out, err = run(app + ["check"], package)
        check(status == 0 and "clean" in out, "check is clean", out + err)

        if shutil.which("cfn-lint"):
            status, out, err = run(["cfn-lint", "--", yml], package)
            check(status == 0 and not out.strip(), "cfn-lint finds nothing in the example's template", out + err)
        else:
            global skipped
            skipped += 1
            print("skipped: cfn-lint of the example's template (cfn-lint is not installed; make python-deps)")

        status, out, err = run(app + ["diff", "orders", yml[:-4] + ".json"], package)
        check(status == 0, "diff against its own compiled template finds no difference", out + err)

        status, out, err = run(app + ["list"], package)
        check(status == 0 and out.startswith("orders "), "list names the system and its profile", out + err)

        # `formwork check` in the package's own git repository finds the app by itself.
        formwork_binary = os.path.join(ROOT, ".build", "debug", "formwork")
        run(["git", "init", "-q"], package)
        status, out, err = run([formwork_binary, "check"], package)
        check(status == 0 and "app `swift run OrdersInfra check`: clean" in out and re.search(r"^lint +2 +0 +0", out, re.M),
              "formwork check lints the package's templates and runs the app's check", out + err)

        original = open(yml, "rb").read()
        with open(yml, "ab") as handle:
            handle.write(b"# a hand edit\n")
        status, out, err = run(app + ["check"], package)
        check(status == 1 and "templates/orders/OrdersDB.yml: error: differs from what synth writes" in err and "[CK-01]" in err,
              "check fails naming the hand-edited file (CK-01)", out + err)
        status, out, err = run([formwork_binary, "check"], package)
        check(status == 2 and "templates/orders/OrdersDB.yml: error: differs from what synth writes" in out + err and "[CK-03]" in out,
              "formwork check fails on the hand edit through the app (CK-01, CK-03)", out + err)
        open(yml, "wb").write(original)

        source = os.path.join(package, "Sources", "OrdersInfra", "OrdersDatabase.swift")
        text = open(source).read()
        marker = "dependsOn: logs, deletionPolicy: .delete"
        check(marker in text, "the example's database has an explicit Delete policy to turn into Retain")
        line = next(index + 1 for index, content in enumerate(text.split("\n")) if 'stack.add("Database", RDS.DBInstance {' in content)
        open(source, "w").write(text.replace(marker, "dependsOn: logs, deletionPolicy: .retain"))
        status, out, err = run(["swift", "run", "OrdersInfra", "synth"], package)
        expected = f"Sources/OrdersInfra/OrdersDatabase.swift:{line}:"
        check(status == 2 and expected in err and "error: Database has DeletionPolicy Retain" in err and "[LC-01]" in err and "nothing written" in err,
              f"a Retain on the database stops synth with LC-01 at OrdersDatabase.swift:{line}", out + err)
        check(open(yml, "rb").read() == original, "nothing is written when synth fails")
        open(source, "w").write(text)

        # The same built package in a real Swift editor (sourcekit-lsp): it needs the built
        # modules, so it runs here rather than building the package a second time.
        editor_test(package)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def editor_test(package):
    """Tests/editor/sourcekit_lsp.py on the built package: its checks counted with these."""
    global passed, failed, skipped
    try:
        status, out, err = run([sys.executable, os.path.join(ROOT, "Tests", "editor", "sourcekit_lsp.py"), package], ROOT, timeout=900)
    except subprocess.TimeoutExpired:
        check(False, "the sourcekit-lsp editor test finished within 900 s")
        return
    print(out + err, end="")
    counts = re.search(r"(\d+) passed, (\d+) failed, (\d+) skipped", out)
    if counts is None:
        check(False, "the sourcekit-lsp editor test reported its counts", out + err)
        return
    passed += int(counts.group(1))
    failed += int(counts.group(2))
    skipped += int(counts.group(3))


if __name__ == "__main__":
    try:
        main()
    except subprocess.TimeoutExpired as error:
        failed += 1
        print(f"FAILED: timed out: {error}")
    print(f"example package: {passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed else 0)
