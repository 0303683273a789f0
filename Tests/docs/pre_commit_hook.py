#!/usr/bin/env python3
"""The hooks of .pre-commit-hooks.yaml run by pre-commit itself (`pre-commit try-repo`) in
a scratch git repository, with the built formwork first on PATH. Skipped without
pre-commit or git.

    pre_commit_hook.py [BINARY]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.abspath(os.environ.get("FORMWORK_BIN", os.path.join(ROOT, ".build/debug/formwork")))
try:
    import pre_commit  # noqa: F401
    HAVE_PRE_COMMIT = True
except ImportError:
    HAVE_PRE_COMMIT = False

CLEAN = "Metadata:\n  formwork: {profile: structural}\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n"
BROKEN = "Metadata:\n  formwork: {profile: structural}\nResources:\n  Topic:\n    Type: AWS::SNS::Topics\n"


@unittest.skipUnless(HAVE_PRE_COMMIT, "pre-commit is not installed (make python-deps)")
@unittest.skipUnless(shutil.which("git"), "git is not installed")
class PreCommitHookTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp()
        self.environment = dict(os.environ, PATH=os.path.dirname(BINARY) + os.pathsep + os.environ["PATH"],
                                PRE_COMMIT_HOME=os.path.join(self.folder, ".cache"), GIT_CONFIG_NOSYSTEM="1",
                                GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
        self.repository = os.path.join(self.folder, "repo")
        os.makedirs(os.path.join(self.repository, "infra"))
        self.git("init", "-q")
        self.write("infra/topic.yaml", CLEAN)
        self.write("settings.yml", "not: a template\n")
        self.git("add", ".")

    def tearDown(self):
        shutil.rmtree(self.folder)

    def git(self, *arguments):
        subprocess.run(["git", *arguments], cwd=self.repository, env=self.environment, check=True, capture_output=True)

    def write(self, path, text):
        with open(os.path.join(self.repository, path), "w", encoding="utf-8") as handle:
            handle.write(text)

    def try_repo(self, hook):
        return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", ROOT, hook, "--all-files"], cwd=self.repository,
                              env=self.environment, capture_output=True, text=True, timeout=300)

    def test_lint_hook_passes_clean_templates_and_fails_a_broken_one(self):
        clean = self.try_repo("formwork-lint")
        self.assertEqual(clean.returncode, 0, clean.stdout + clean.stderr)
        self.write("infra/topic.yaml", BROKEN)
        self.git("add", ".")
        broken = self.try_repo("formwork-lint")
        self.assertNotEqual(broken.returncode, 0)
        self.assertIn("infra/topic.yaml:5:11: error:", broken.stdout)

    def test_check_hook(self):
        run = self.try_repo("formwork-check")
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        BINARY = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
