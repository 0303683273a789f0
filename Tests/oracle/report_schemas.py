#!/usr/bin/env python3
"""SARIF and JUnit reports against their schemas: SARIF 2.1.0 (the official constraints, with
format checking) and Jenkins' xunit JUnit schema, on seed 004 and cfn-lint's bad/ corpus.

    report_schemas.py [BINARY]   (default .build/debug/formwork; SHARED=../shared)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.abspath(os.environ.get("FORMWORK_BIN", os.path.join(ROOT, ".build/debug/formwork")))
SHARED = os.path.abspath(os.environ.get("SHARED", os.path.join(ROOT, "../shared")))
BAD = os.path.join(SHARED, "corpus/cfn-lint/templates/bad")
SEED = "fixtures/seed-004/TapStack.yml"

try:
    import jsonschema
    import rfc3987  # noqa: F401  (jsonschema checks uri and uri-reference with it)
    HAVE_JSONSCHEMA = True
except ImportError:
    HAVE_JSONSCHEMA = False
try:
    import xmlschema
    HAVE_XMLSCHEMA = True
except ImportError:
    HAVE_XMLSCHEMA = False


def lint(*arguments, cwd=ROOT):
    run = subprocess.run([BINARY, "lint", *arguments], cwd=cwd, capture_output=True, timeout=300)
    return run.returncode, run.stdout


@unittest.skipUnless(HAVE_JSONSCHEMA, "jsonschema and rfc3987 are not installed (make python-deps)")
class SARIFTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(ROOT, "Tests/oracle/schemas/sarif-2.1.0-subset.json"), encoding="utf-8") as handle:
            schema = json.load(handle)
        checker = jsonschema.FormatChecker()
        # Format checking must really run for the URIs, or the test proves nothing.
        assert "uri-reference" in checker.checkers and "uri" in checker.checkers
        cls.validator = jsonschema.Draft7Validator(schema, format_checker=checker)

    def check(self, output):
        log = json.loads(output)
        errors = sorted(self.validator.iter_errors(log), key=lambda e: list(e.path))
        self.assertEqual([], [f"{list(e.path)}: {e.message}" for e in errors[:5]])
        return log

    def test_seed_004(self):
        code, output = lint("--format", "sarif", SEED)
        log = self.check(output)
        run = log["runs"][0]
        self.assertEqual(run["invocations"][0]["exitCode"], code)
        self.assertIn("%SRCROOT%", run["originalUriBaseIds"])
        for result in run["results"]:
            location = result["locations"][0]["physicalLocation"]
            self.assertEqual(location["artifactLocation"], {"uri": SEED, "uriBaseId": "%SRCROOT%"})
            self.assertGreaterEqual(location["region"]["endColumn"], location["region"]["startColumn"])
            self.assertEqual(run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"], result["ruleId"])
        fingerprints = [r["partialFingerprints"]["formwork/v1"] for r in run["results"]]
        self.assertEqual(len(fingerprints), len(set(fingerprints)))
        for rule in run["tool"]["driver"]["rules"]:
            self.assertTrue(rule["help"]["markdown"] and rule["helpUri"] and rule["fullDescription"]["text"])

    @unittest.skipUnless(os.path.isdir(BAD), f"{BAD} is missing")
    def test_cfn_lint_bad_corpus(self):
        code, output = lint("--format", "sarif", "--profile", "structural", BAD)
        log = self.check(output)
        results = log["runs"][0]["results"]
        self.assertGreater(len(results), 200)
        # Outside the working folder: absolute file URIs, no base.
        self.assertTrue(all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("file:///") for r in results))
        self.assertTrue(any("relatedLocations" in r for r in results))

    def test_a_pack_run_carries_control_ids_as_tags(self):
        code, output = lint("--format", "sarif", "--pack", "nist-800-53-r5", SEED)
        results = self.check(output)["runs"][0]["results"]
        self.assertTrue(results)
        for result in results:
            self.assertTrue(all(tag.startswith("nist-800-53-r5/") for tag in result["properties"]["tags"]), result["ruleId"])
        self.assertIn("nist-800-53-r5/SC-12", {tag for result in results for tag in result["properties"]["tags"]})

    def test_paths_that_need_encoding(self):
        folder = tempfile.mkdtemp()
        try:
            os.makedirs(os.path.join(folder, "dir with space"))
            with open(os.path.join(folder, "dir with space", "a#b%c.yaml"), "w", encoding="utf-8") as handle:
                handle.write("Resources:\n  T:\n    Type: AWS::SNS::Topics\n")
            _, output = lint("--format", "sarif", "--profile", "structural", "./dir with space/a#b%c.yaml", cwd=folder)
            log = self.check(output)
            uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
            self.assertEqual(uris, {"dir%20with%20space/a%23b%25c.yaml"})
        finally:
            shutil.rmtree(folder)


@unittest.skipUnless(HAVE_XMLSCHEMA, "xmlschema is not installed (make python-deps)")
class JUnitTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.schema = xmlschema.XMLSchema(os.path.join(ROOT, "Tests/oracle/schemas/junit-10.xsd"))

    def check(self, *arguments):
        code, output = lint("--format", "junit", *arguments)
        self.schema.validate(output.decode("utf-8"))
        document = self.schema.to_dict(output.decode("utf-8"))
        suites = document.get("testsuite", [])
        failing = sum(int(s["@failures"]) + int(s["@errors"]) for s in suites)
        self.assertEqual(failing > 0, code != 0, f"JUnit says {failing} failing, exit code {code}")
        for suite in suites:
            names = [case["@name"] for case in suite.get("testcase", [])]
            self.assertEqual(len(names), len(set(names)), suite["@name"])
        return code, suites

    def test_seed_004(self):
        self.check(SEED)

    def test_a_pack_run_keeps_the_schema(self):
        code, suites = self.check("--pack", "hipaa", SEED)
        properties = [p for suite in suites for p in (suite.get("properties") or [{}])[0].get("property", [])]
        self.assertTrue(properties and all(p["@value"].startswith("hipaa/") for p in properties))

    def test_warnings_do_not_fail_under_fail_on_error(self):
        folder = tempfile.mkdtemp()
        try:
            path = os.path.join(folder, "warn.yaml")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write("Parameters:\n  Unused: {Type: String}\nResources:\n  T:\n    Type: AWS::SNS::Topic\n")
            code, suites = self.check("--profile", "structural", "--fail-on", "error", path)
            self.assertEqual(code, 0)
            self.assertEqual(suites[0]["@failures"], "0")
            code, suites = self.check("--profile", "structural", path)
            self.assertEqual(code, 4)
            self.assertEqual(suites[0]["@failures"], "1")
        finally:
            shutil.rmtree(folder)

    @unittest.skipUnless(os.path.isdir(BAD), f"{BAD} is missing")
    def test_cfn_lint_bad_corpus(self):
        code, suites = self.check("--profile", "structural", BAD)
        self.assertGreater(len(suites), 50)
        self.assertTrue(any(int(s["@errors"]) > 0 for s in suites), "read errors are JUnit errors")


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        BINARY = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
