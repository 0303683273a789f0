#!/usr/bin/env python3
"""The outside package (Examples/orders-db) as a user meets it: copied out of the repository
beside a copy of Formwork in a folder named `formwork`, built from clean, and driven through
its own `swift run OrdersInfra ...` verbs. Nothing of the repository's build leaks in.

Checks: it builds with only the public products; `synth` writes its templates and a second
run rewrites nothing; `check` is clean, then fails naming the file after a hand edit, and
so does `formwork check` in the package's git repository, which finds the app itself; the
template is cfn-lint clean (skipped, with the reason, without cfn-lint); `diff` against its
own export finds nothing; a Retain on the database stops `synth` with LC-01 at the Swift
line, and nothing is written. Prints the clean build time (BENCHMARKS.md records it).

The SwiftPM plugins: the clean build runs FormworkLintPlugin over the hand-written template
under Sources/OrdersInfra/Templates (clean); `swift package formwork lint` and `check` run
the command plugin; a DeletionPolicy Retain written into the template fails `swift build`
with LC-01 at the template's line.
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


def build(args, cwd, timeout=3600):
    """`swift build`, with its step counter (`[123/456] Compiling ...`) shown as one progress
    line on standard error when that is a terminal (a clean build takes minutes); into a
    pipe or a log nothing is added. Returns what `run` returns."""
    if not sys.stderr.isatty():
        return run(args, cwd, timeout)
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output, started = [], time.monotonic()
    for line in process.stdout:
        output.append(line)
        step = re.match(r"\[(\d+)/(\d+)\] (.*)", line)
        if step:
            sys.stderr.write(f"\r\x1b[Kexample package: step {step.group(1)} of {step.group(2)}, "
                             f"{time.monotonic() - started:.0f} s: {step.group(3)[:60]}")
            sys.stderr.flush()
    status = process.wait(timeout=timeout)
    sys.stderr.write("\r\x1b[K")
    return status, "".join(output), ""


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
        status, out, err = build(["swift", "build"], package)
        seconds = time.monotonic() - started
        check(status == 0, f"clean debug build of the example package ({seconds:.0f} s)", out[-3000:] + err[-3000:])
        print(f"example package clean build: {seconds:.1f} s")
        if status != 0:
            return

        # The command plugin lints the target's hand-written template (the build tool plugin
        # already did: the build passed).
        status, out, err = run(["swift", "package", "formwork", "lint", "--target", "OrdersInfra"], package)
        check(status == 0 and "1 file linted, 0 skipped: 0 errors, 0 warnings, 0 informational" in out + err,
              "swift package formwork lint --target OrdersInfra lints the hand-written template", out[-3000:] + err[-3000:])

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
        check(status == 0 and "app `swift run OrdersInfra check`: clean" in out and re.search(r"^lint +3 +0 +0", out, re.M),
              "formwork check lints the package's templates and runs the app's check", out + err)
        status, out, err = run(["swift", "package", "formwork", "check"], package)
        check(status == 0 and re.search(r"^lint +3 +0 +0", out + err, re.M) and "OrdersInfra' check`: clean" in out + err,
              "swift package formwork check builds the app and runs formwork check with it", out[-3000:] + err[-3000:])

        # A Retain in the hand-written template fails the build at its line.
        template = os.path.join(package, "Sources", "OrdersInfra", "Templates", "alerts.yaml")
        written = open(template).read()
        open(template, "w").write(written.replace("    Type: AWS::SNS::Topic\n", "    Type: AWS::SNS::Topic\n    DeletionPolicy: Retain\n"))
        retain = next(index + 1 for index, content in enumerate(open(template).read().split("\n")) if "DeletionPolicy: Retain" in content)
        status, out, err = run(["swift", "build"], package)
        check(status != 0 and f"{template}:{retain}:21: error: OnCallTopic has DeletionPolicy Retain" in out + err and "[LC-01]" in out + err,
              f"a Retain in Templates/alerts.yaml fails swift build with LC-01 at line {retain}", out[-3000:] + err[-3000:])
        open(template, "w").write(written)
        status, out, err = run(["swift", "build"], package)
        check(status == 0, "the build passes again once the template is fixed", out[-3000:] + err[-3000:])

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
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except subprocess.TimeoutExpired as error:
        failed += 1
        print(f"FAILED: timed out: {error}")
    print(f"example package: {passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed else 0)
