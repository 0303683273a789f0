#!/usr/bin/env python3
"""The second outside package (Examples/orders-pipeline), on the constructs, as a user meets it:
copied out of the repository beside a copy of Formwork in a folder named `formwork`, built
from clean, and synthesized through its own `swift run OrdersPipeline ...` verbs.

Checks: it depends on the public products only (Formwork, FormworkConstructs) and is at most
150 lines of Swift (non-blank, non-comment); `synth` writes the dev template and the
production-based templates of two regions with no finding and no suppression; a second run
rewrites nothing; `check` is clean; cfn-lint finds nothing (skipped, with the reason, without
cfn-lint); every check checkov fails is explained in PARITY.md's section on the constructs
(skipped, with the reason, without checkov). Prints the clean build time (BENCHMARKS.md records it).
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from example_package import ROOT, copy_repository, run  # noqa: E402

passed, failed, skipped = 0, 0, 0
NAME = "orders-pipeline"


def check(condition, what, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok: {what}")
    else:
        failed += 1
        print(f"FAILED: {what}\n{detail}")


def swift_lines(folder):
    """Non-blank lines that are not comments, in the package's Swift sources and manifest."""
    count = 0
    for path in sorted(glob.glob(os.path.join(folder, "Sources", "**", "*.swift"), recursive=True)) + [os.path.join(folder, "Package.swift")]:
        for line in open(path):
            stripped = line.strip()
            if stripped and not stripped.startswith("//"):
                count += 1
    return count


def checkov_binary():
    """checkov 3.3.30 as `make python-deps` installs it (its own virtualenv), else on PATH."""
    local = os.path.join(ROOT, ".build", "oracles", "checkov", "bin", "checkov")
    return local if os.access(local, os.X_OK) else shutil.which("checkov")


def parity_explained():
    """The checkov check ids PARITY.md's section on the constructs explains."""
    text = open(os.path.join(ROOT, "PARITY.md")).read()
    begin, end = text.find("<!-- constructs-checkov:begin -->"), text.find("<!-- constructs-checkov:end -->")
    return set(re.findall(r"CKV2?_AWS_\d+", text[begin:end])) if 0 <= begin < end else set()


def checkov_results(output):
    """(passed count, [(check id, resource, file)] failed) from checkov's JSON report."""
    reports = json.loads(output or "[]")
    reports = reports if isinstance(reports, list) else [reports]
    passed, failed = 0, []
    for report in reports:
        results = report.get("results", {})
        passed += len(results.get("passed_checks", []))
        failed += [(c["check_id"], c["resource"], c["file_path"]) for c in results.get("failed_checks", [])]
    return passed, failed


def main():
    global skipped
    source = os.path.join(ROOT, "Examples", NAME)
    lines = swift_lines(source)
    check(lines <= 150, f"the example is {lines} lines of Swift (at most 150)")
    work = tempfile.mkdtemp(prefix="formwork-constructs-example-")
    try:
        formwork = os.path.join(work, "formwork")
        package = os.path.join(work, NAME)
        copy_repository(formwork)
        shutil.copytree(source, package, ignore=shutil.ignore_patterns(".build", "templates", "Package.resolved"))
        manifest = open(os.path.join(package, "Package.swift")).read()
        products = set(re.findall(r'\.product\(name: "([^"]+)"', manifest))
        check(products == {"Formwork", "FormworkConstructs"}, "the example depends on Formwork and FormworkConstructs only", str(products))

        started = time.monotonic()
        status, out, err = run(["swift", "build"], package, timeout=2400)
        seconds = time.monotonic() - started
        check(status == 0, f"clean debug build of the example package ({seconds:.0f} s)", out[-3000:] + err[-3000:])
        print(f"constructs example package clean build: {seconds:.1f} s")
        if status != 0:
            return

        app = ["swift", "run", "--skip-build", "OrdersPipeline"]
        status, out, err = run(app + ["synth"], package)
        templates = sorted(glob.glob(os.path.join(package, "templates", "*", "*.yml")))
        names = [os.path.relpath(path, os.path.join(package, "templates")) for path in templates]
        check(status == 0 and names == ["orders-dev/OrdersPipeline.yml", "orders-prod/OrdersPipeline.eu-west-1.yml",
                                        "orders-prod/OrdersPipeline.us-east-1.yml"],
              "synth writes the dev template and the production templates of two regions", out + err + str(names))
        check("warning:" not in out + err and "error:" not in out + err, "synth reports no error and no warning", out + err)
        texts = [open(path).read() for path in templates]
        check(all("ignore:" not in text for text in texts), "no template carries a suppression")
        check(all("profile: orders-prod" in text for text in texts[1:]), "the production templates are validated under orders-prod (based on production)")
        status, out, err = run(app + ["synth"], package)
        check(status == 0 and "0 written" in out, "a second synth rewrites nothing (deterministic)", out + err)
        status, out, err = run(app + ["check"], package)
        check(status == 0 and "clean" in out, "check is clean", out + err)

        if shutil.which("cfn-lint"):
            status, out, err = run(["cfn-lint", "--"] + templates, package)
            check(status == 0 and not out.strip(), "cfn-lint finds nothing in the example's templates", out + err)
        else:
            skipped += 1
            print("skipped: cfn-lint of the example's templates (cfn-lint is not installed; make python-deps)")

        checkov = checkov_binary()
        if checkov:
            status, out, err = run([checkov, "--framework", "cloudformation", "-o", "json", "--skip-download", "-d", "templates"], package, timeout=900)
            passed_checks, failed_checks = checkov_results(out)
            explained = parity_explained()
            unexplained = sorted(f for f in failed_checks if f[0] not in explained)
            check(passed_checks > 0 and not unexplained,
                  f"checkov: {passed_checks} passed, {len(failed_checks)} failed, each explained in PARITY.md",
                  "\n".join(" ".join(f) for f in unexplained) or err[-2000:])
        else:
            skipped += 1
            print("skipped: checkov of the example's templates (checkov is not installed; make python-deps puts it in .build/oracles/checkov)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except subprocess.TimeoutExpired as error:
        failed += 1
        print(f"FAILED: timed out: {error}")
    print(f"constructs example package: {passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed else 0)
