#!/usr/bin/env python3
"""`formwork lsp` in Emacs with eglot, in batch (issue 31): with docs/editors/eglot.el
loaded, a resource type after `Type: AWS::RDS::DBIn` and an attribute after
`!GetAtt EnhancedMonitoringRole.` are completed as completion-at-point completes them, and
the buffer holds exactly the right text; no read-only property is offered. Skipped, with
the reason, where Emacs or eglot is not installed (Debian: emacs-nox elpa-eglot).

    eglot.py [BINARY]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BINARY = os.path.abspath(os.environ.get("FORMWORK_BIN", os.path.join(ROOT, ".build/debug/formwork")))
sys.path.insert(0, HERE)
from neovim import TEMPLATE  # noqa: E402  (the same half-typed template)


def has_eglot():
    if not shutil.which("emacs"):
        return False
    run = subprocess.run(["emacs", "--batch", "-q", "--eval", "(require 'eglot)"], capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    return run.returncode == 0


@unittest.skipUnless(has_eglot(), "Emacs with eglot is not installed (Debian: apt-get install emacs-nox elpa-eglot)")
class EglotTests(unittest.TestCase):
    maxDiff = None

    def test_completion_writes_exactly_the_item(self):
        folder = tempfile.mkdtemp(prefix="formwork-eglot-")
        try:
            project = os.path.join(folder, "project")
            os.makedirs(os.path.join(project, ".git"))
            with open(os.path.join(project, ".formwork.yml"), "w", encoding="utf-8") as handle:
                handle.write("profile: ephemeral\n")
            path = os.path.join(project, "orders.yaml")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(TEMPLATE)
            env = dict(os.environ, HOME=folder, FORMWORK_EGLOT_REPORT=os.path.join(folder, "report"))
            env["PATH"] = os.path.dirname(BINARY) + os.pathsep + env.get("PATH", "")
            run = subprocess.run(["emacs", "--batch", "-q", "-l", os.path.join(ROOT, "docs/editors/eglot.el"), "-l", os.path.join(HERE, "eglot_session.el"), path],
                                 env=env, capture_output=True, timeout=180, cwd=project, stdin=subprocess.DEVNULL)
            result = f"no report (exit {run.returncode})"
            if os.path.exists(env["FORMWORK_EGLOT_REPORT"]):
                with open(env["FORMWORK_EGLOT_REPORT"], encoding="utf-8") as handle:
                    result = handle.read()
            self.assertEqual(result, "ok", run.stderr.decode(errors="replace")[-3000:])
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        BINARY = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
