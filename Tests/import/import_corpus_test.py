"""What `make import-corpus` (import_corpus.py) reads from a failed synth of the imported app:
the templates to set aside, by the Swift file of an error or by the stack label the app puts
on a stack's errors (docs/import.md, "A stack that does not compile").

    python3 -m unittest Tests/import/import_corpus_test.py
"""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import import_corpus  # noqa: E402


class SynthFailuresTests(unittest.TestCase):
    sources = {"SubNeededCustomExcludes.swift": "good/functions/sub_needed_custom_excludes.yaml"}
    stacks = {"sub_needed_custom_excludes": "good/functions/sub_needed_custom_excludes.yaml",
              "vpc-2azs": "real/vpc-2azs.yaml", "alert": "real/alert.yaml"}

    def test_an_error_at_an_imported_swift_line_names_its_template(self):
        output = ("/tmp/w/package/Sources/Corpus/SubNeededCustomExcludes.swift:12:9: error: TestRole.RoleName 'TestRole-${Stage}' "
                  "does not match ^[\\w+=,.@-]+$ [system corpus, stack sub_needed_custom_excludes] [CP-03]\n"
                  "synth: 1 error; nothing written\n")
        self.assertEqual(import_corpus.synth_failures(output, self.sources, self.stacks),
                         {"good/functions/sub_needed_custom_excludes.yaml": "TestRole.RoleName 'TestRole-${Stage}' does not match ^[\\w+=,.@-]+$ [CP-03]"})

    def test_an_error_without_a_swift_place_is_named_by_its_stacks(self):
        output = "<input>: error: 501 resources: CloudFormation allows at most 500 [system corpus, stacks vpc-2azs, alert] [CP-09]\n"
        self.assertEqual(import_corpus.synth_failures(output, self.sources, self.stacks),
                         {"real/vpc-2azs.yaml": "501 resources: CloudFormation allows at most 500 [CP-09]",
                          "real/alert.yaml": "501 resources: CloudFormation allows at most 500 [CP-09]"})

    def test_warnings_and_unknown_stacks_are_not_failures(self):
        output = ("/tmp/w/Sources/Corpus/SubNeededCustomExcludes.swift:3:1: warning: a finding [system corpus, stack sub_needed_custom_excludes] [ST-20]\n"
                  "<input>: error: something [system corpus, stack elsewhere] [CP-01]\n")
        self.assertEqual(import_corpus.synth_failures(output, self.sources, self.stacks), {})

    def test_app_stacks_reads_the_stack_files_in_order(self):
        with tempfile.TemporaryDirectory() as package:
            os.makedirs(os.path.join(package, "Sources", "Corpus"))
            with open(os.path.join(package, "Sources", "Corpus", "App.swift"), "w") as handle:
                handle.write('                AppStack(file: "vpc-2azs", stack: vpc2azs()),\n'
                             '                AppStack(file: "a \\"quoted\\" name", stack: quoted()),\n')
            self.assertEqual(import_corpus.app_stacks(package), ["vpc-2azs", 'a \\"quoted\\" name'])

    def test_unlist_takes_stacks_out_of_the_app_and_keeps_the_rest(self):
        with tempfile.TemporaryDirectory() as package:
            os.makedirs(os.path.join(package, "Sources", "Corpus"))
            app = os.path.join(package, "Sources", "Corpus", "App.swift")
            with open(app, "w") as handle:
                handle.write('            [\n                AppStack(file: "vpc-2azs", stack: vpc2azs()),\n'
                             '                AppStack(file: "alert", stack: alert()),\n            ]\n')
            import_corpus.unlist(package, {"vpc-2azs"})
            self.assertEqual(import_corpus.app_stacks(package), ["alert"])
            with open(app) as handle:
                self.assertTrue(handle.read().startswith("            [\n                AppStack(file: \"alert\""))


if __name__ == "__main__":
    unittest.main()
