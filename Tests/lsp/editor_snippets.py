#!/usr/bin/env python3
"""docs/editors.md shows each configuration file of docs/editors/ verbatim, in a fence of
its language, and each file parses: TOML and JSON here, Lua by Neovim and Emacs Lisp by
Emacs where they are installed (skipped with the reason elsewhere). The VS Code settings
are the keys of the extension the page names.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EDITORS = os.path.join(ROOT, "docs", "editors")
PAGE = os.path.join(ROOT, "docs", "editors.md")
FENCES = {".lua": "lua", ".el": "elisp", ".toml": "toml", ".json": "json"}


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def fences(text):
    return [(match.group(1), match.group(2)) for match in re.finditer(r"^```(\w*)\n(.*?)^```$", text, re.S | re.M)]


class EditorSnippetTests(unittest.TestCase):
    def test_the_page_shows_every_file_verbatim(self):
        shown = fences(read(PAGE))
        files = sorted(os.listdir(EDITORS))
        self.assertEqual(files, ["eglot.el", "helix-languages.toml", "neovim-0.10.lua", "neovim-0.7.lua", "vscode-settings.json"])
        for name in files:
            language = FENCES[os.path.splitext(name)[1]]
            self.assertIn((language, read(os.path.join(EDITORS, name))), shown, f"docs/editors.md does not show docs/editors/{name} as it is")
            self.assertIn(f"docs/editors/{name}", read(PAGE))

    def test_helix_configures_yaml_and_json(self):
        config = tomllib.loads(read(os.path.join(EDITORS, "helix-languages.toml")))
        self.assertEqual(config["language-server"]["formwork"], {"command": "formwork", "args": ["lsp"]})
        languages = {language["name"]: language["language-servers"] for language in config["language"]}
        self.assertEqual(set(languages), {"yaml", "json"})
        self.assertTrue(all(servers[0] == "formwork" for servers in languages.values()))

    def test_vscode_settings_are_the_extensions_keys(self):
        settings = json.loads(read(os.path.join(EDITORS, "vscode-settings.json")))
        # Generic LSP Client (v2), zsol.vscode-glspc: its Marketplace page documents these keys.
        self.assertIn("`zsol.vscode-glspc`", read(PAGE))
        self.assertEqual(settings, {"glspc.server.command": "formwork", "glspc.server.commandArguments": ["lsp"],
                                    "glspc.server.languageId": ["yaml", "json"]})

    @unittest.skipUnless(shutil.which("nvim"), "nvim is not installed")
    def test_neovim_reads_both_lua_files(self):
        for name in ["neovim-0.7.lua", "neovim-0.10.lua"]:
            script = f"lua local chunk, problem = loadfile('{os.path.join(EDITORS, name)}'); if not chunk then io.stderr:write(problem) vim.cmd('cquit 1') end"
            run = subprocess.run(["nvim", "--headless", "-n", "-i", "NONE", "-u", "NONE", "-c", script, "-c", "qall!"],
                                 capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
            self.assertEqual(run.returncode, 0, f"{name}: {run.stderr.decode(errors='replace')}")

    @unittest.skipUnless(shutil.which("emacs"), "emacs is not installed (apt-get install emacs-nox elpa-eglot)")
    def test_emacs_loads_the_eglot_configuration(self):
        home = tempfile.mkdtemp(prefix="formwork-emacs-")
        try:
            check = "(progn (load-file \"%s\") (unless (assoc '(yaml-mode yaml-ts-mode json-mode json-ts-mode js-json-mode) eglot-server-programs) (kill-emacs 3)))" % os.path.join(EDITORS, "eglot.el")
            run = subprocess.run(["emacs", "--batch", "-q", "--eval", check],
                                 capture_output=True, timeout=120, env=dict(os.environ, HOME=home), stdin=subprocess.DEVNULL)
            output = run.stderr.decode(errors="replace")
            if run.returncode != 0 and "Cannot open load file" in output and "eglot" in output:
                self.skipTest("eglot is not installed for this Emacs (apt-get install elpa-eglot)")
            self.assertEqual(run.returncode, 0, output)
        finally:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
