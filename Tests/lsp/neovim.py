#!/usr/bin/env python3
"""`formwork lsp` in Neovim, headless (issue 31): the editing session of neovim_session.lua
(open, diagnostics, a resource type and a GetAtt attribute completed, hover, definition,
rename, a quick fix, format; the buffer checked after each step), with the configuration of
docs/editors/neovim-0.7.lua as the user's init; the Neovim 0.10 snippet must load too.
Skipped, with the reason, where nvim is not installed (`make test-lsp` installs Debian's).

    neovim.py [BINARY]   (default .build/debug/formwork)
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.abspath(os.environ.get("FORMWORK_BIN", os.path.join(ROOT, ".build/debug/formwork")))
NVIM = shutil.which("nvim")
EDITORS = os.path.join(ROOT, "docs", "editors")

TEMPLATE = """\
# Orders database
Resources:
  # the role the monitoring uses
  EnhancedMonitoringRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: monitoring.rds.amazonaws.com}
            Action: sts:AssumeRole
  Database:
    Type: AWS::RDS::DBIn
    DeletionPolicy: Snapshot
    Properties:
      Engine: postgres
      MonitoringInterval: 60
      MonitoringRoleArn: !GetAtt EnhancedMonitoringRole.
"""


@unittest.skipUnless(NVIM, "nvim is not installed (make test-lsp installs Debian's neovim)")
class NeovimTests(unittest.TestCase):
    maxDiff = None

    def run_nvim(self, args, folder, timeout=180):
        env = dict(os.environ)
        env["PATH"] = os.path.dirname(BINARY) + os.pathsep + env.get("PATH", "")
        # A home of its own: no user configuration, plugins or shada.
        env["HOME"] = folder
        env["XDG_CONFIG_HOME"] = os.path.join(folder, "config")
        env["XDG_DATA_HOME"] = os.path.join(folder, "data")
        env["XDG_STATE_HOME"] = os.path.join(folder, "state")
        env["XDG_CACHE_HOME"] = os.path.join(folder, "cache")
        env["FORMWORK_NVIM_REPORT"] = os.path.join(folder, "report")
        return subprocess.run([NVIM, "--headless", "-n", "-i", "NONE"] + args, env=env, capture_output=True, timeout=timeout, cwd=folder, stdin=subprocess.DEVNULL)

    def test_an_editing_session(self):
        folder = tempfile.mkdtemp(prefix="formwork-nvim-")
        try:
            project = os.path.join(folder, "project")
            os.makedirs(project)
            with open(os.path.join(project, ".formwork.yml"), "w", encoding="utf-8") as handle:
                handle.write("profile: ephemeral\n")
            path = os.path.join(project, "orders.yaml")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(TEMPLATE)
            run = self.run_nvim(["-u", os.path.join(EDITORS, "neovim-0.7.lua"), path, "-c", "luafile " + os.path.join(ROOT, "Tests/lsp/neovim_session.lua")], folder)
            report = os.path.join(folder, "report")
            result = f"no report (exit {run.returncode})"
            if os.path.exists(report):
                with open(report, encoding="utf-8") as handle:
                    result = handle.read()
            sys.stdout.write(run.stdout.decode(errors="replace"))
            self.assertEqual(result, "ok", run.stderr.decode(errors="replace")[-2000:])
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def test_the_newer_snippet_loads(self):
        # Neovim 0.10's functions (vim.lsp.start, vim.fs.root) are not called here: the file
        # must be Lua Neovim reads, and the version check happens where it runs.
        folder = tempfile.mkdtemp(prefix="formwork-nvim-")
        try:
            script = f"lua local chunk, problem = loadfile('{os.path.join(EDITORS, 'neovim-0.10.lua')}'); if not chunk then io.stderr:write(problem) vim.cmd('cquit 1') end"
            run = self.run_nvim(["-u", "NONE", "-c", script, "-c", "qall!"], folder, timeout=60)
            self.assertEqual(run.returncode, 0, run.stderr.decode(errors="replace"))
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        BINARY = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
