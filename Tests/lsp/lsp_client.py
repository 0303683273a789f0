#!/usr/bin/env python3
"""`formwork lsp` driven by a real LSP client library (pygls's LanguageClient): initialize,
didOpen, didChange (incremental), diagnostics equal to `formwork lint --format json` of the
same text, hover, completion, definition, references, symbols, a code action, formatting, a
syntax error that leaves the server serving, shutdown and exit. Skipped without pygls.

    lsp_client.py [BINARY]   (default .build/debug/formwork)
"""
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.abspath(os.environ.get("FORMWORK_BIN", os.path.join(ROOT, ".build/debug/formwork")))
SEED = os.path.join(ROOT, "fixtures/seed-004/TapStack.yml")

try:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient
    HAVE_PYGLS = True
except ImportError:
    HAVE_PYGLS = False


def lint_json(path):
    run = subprocess.run([BINARY, "lint", "--format", "json", path], capture_output=True, timeout=120)
    return sorted((d["rule"], d["line"], d["column"], d["message"]) for d in json.loads(run.stdout))


def as_tuples(diagnostics):
    return sorted((d.code, d.range.start.line + 1, d.range.start.character + 1, d.message.split("\nhint: ")[0]) for d in diagnostics)


@unittest.skipUnless(HAVE_PYGLS, "pygls is not installed (pip install pygls)")
class LanguageServerTests(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.folder = tempfile.mkdtemp(prefix="formwork-lsp-")
        self.path = os.path.join(self.folder, "TapStack.yml")
        shutil.copy(SEED, self.path)
        with open(self.path, encoding="utf-8") as handle:
            self.text = handle.read()
        self.uri = "file://" + self.path
        self.client = LanguageClient("formwork-test", "1")
        self.diagnostics = {}
        self.arrived = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params):
            self.diagnostics[params.uri] = params
            self.arrived.set()

        await self.client.start_io(BINARY, "lsp")
        result = await self.client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri="file://" + self.folder))
        self.capabilities = result.capabilities
        self.client.initialized(types.InitializedParams())

    async def asyncTearDown(self):
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await asyncio.sleep(0.05)
        await self.client.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    async def diagnostics_after(self, action, version):
        self.arrived.clear()
        started = time.perf_counter()
        action()
        while True:
            await asyncio.wait_for(self.arrived.wait(), timeout=30)
            self.arrived.clear()
            published = self.diagnostics.get(self.uri)
            if published and published.version == version:
                return published.diagnostics, time.perf_counter() - started

    def open(self, text, version=1):
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=self.uri, language_id="yaml", version=version, text=text)))

    def change(self, version, start, end, text):
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=self.uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(range=types.Range(start=types.Position(*start), end=types.Position(*end)), text=text)]))

    def line_of(self, needle, text=None):
        return next(i for i, line in enumerate((text or self.text).split("\n")) if needle in line)

    async def test_diagnostics_follow_the_text_and_equal_lint(self):
        self.assertEqual(self.capabilities.text_document_sync.change, types.TextDocumentSyncKind.Incremental)
        diagnostics, _ = await self.diagnostics_after(lambda: self.open(self.text), 1)
        self.assertEqual(as_tuples(diagnostics), lint_json(self.path))
        # An incremental edit: MultiAZ true -> false on the primary.
        line = self.line_of("      MultiAZ: true")
        diagnostics, _ = await self.diagnostics_after(lambda: self.change(2, (line, 15), (line, 19), "false"), 2)
        edited = self.text.split("\n")
        edited[line] = edited[line].replace("MultiAZ: true", "MultiAZ: false")
        with open(self.path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(edited))
        self.assertEqual(as_tuples(diagnostics), lint_json(self.path))
        self.assertTrue(any(d.code == "RDS-03" for d in diagnostics))

    async def test_hover_completion_definition_and_the_rest(self):
        await self.diagnostics_after(lambda: self.open(self.text), 1)
        line = self.line_of("Type: AWS::RDS::DBInstance")
        hover = await self.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri), position=types.Position(line, 16)))
        self.assertIn("AWS::RDS::DBInstance", hover.contents.value)
        self.assertIn("MultiAZ: boolean", hover.contents.value)
        # Completion on a new line inside the primary's Properties.
        properties = self.line_of("    Properties:", "\n".join(self.text.split("\n")[line:])) + line
        await self.diagnostics_after(lambda: self.change(2, (properties + 1, 0), (properties + 1, 0), "      Mu\n"), 2)
        completion = await self.client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri), position=types.Position(properties + 1, 8)))
        self.assertIn("MultiAZ", [item.label for item in completion.items])
        await self.diagnostics_after(lambda: self.change(3, (properties + 1, 0), (properties + 2, 0), ""), 3)
        # Definition of `!Ref DBSubnetGroup`: the resource's line.
        ref = self.line_of("DBSubnetGroupName: !Ref DBSubnetGroup")
        column = self.text.split("\n")[ref].index("DBSubnetGroup", self.text.split("\n")[ref].index("!Ref")) + 2
        found = await self.client.text_document_definition_async(types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri), position=types.Position(ref, column)))
        target = found[0] if isinstance(found, list) else found
        self.assertEqual(target.range.start.line, self.line_of("  DBSubnetGroup:"))
        references = await self.client.text_document_references_async(types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri), position=types.Position(ref, column),
            context=types.ReferenceContext(include_declaration=True)))
        self.assertGreaterEqual(len(references), 2)
        symbols = await self.client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=self.uri)))
        self.assertIn("Resources", [symbol.name for symbol in symbols])
        formatting = await self.client.text_document_formatting_async(types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri), options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
        self.assertEqual(len(formatting), 1)
        self.assertTrue(formatting[0].new_text.startswith("AWSTemplateFormatVersion"))
        # The seed's comments (12 section banners) are kept, in order, as `fmt` keeps them.
        comments = [line.strip() for line in self.text.split("\n") if line.strip().startswith("# ")]
        self.assertEqual(len(comments), 12)
        self.assertEqual([line.strip() for line in formatting[0].new_text.split("\n") if line.strip().startswith("# ")], comments)

    async def test_a_code_action_fixes_retain(self):
        text = "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    DeletionPolicy: Retain\n"
        diagnostics, _ = await self.diagnostics_after(lambda: self.open(text), 1)
        retain = [d for d in diagnostics if d.code == "LC-01"]
        self.assertEqual(len(retain), 1)
        actions = await self.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri), range=retain[0].range, context=types.CodeActionContext(diagnostics=retain)))
        edits = [a.edit.changes[self.uri][0] for a in actions if a.title.startswith("Use Delete")]
        self.assertEqual([e.new_text for e in edits], ["Delete"])
        self.assertEqual(edits[0].range.start.line, 3)

    async def test_a_syntax_error_is_one_located_diagnostic_and_the_server_goes_on(self):
        diagnostics, _ = await self.diagnostics_after(lambda: self.open("Resources:\n  Topic:\n    Type: [AWS::SNS::Topic\n"), 1)
        self.assertEqual([d.code for d in diagnostics], ["PS-01"])
        self.assertGreaterEqual(diagnostics[0].range.start.line, 2)
        hover = await self.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri), position=types.Position(0, 2)))
        # The server still answers: the section's hover, with its User Guide page.
        self.assertIn("resources-section-structure.html", hover.contents.value)
        diagnostics, _ = await self.diagnostics_after(lambda: self.change(2, (2, 10), (2, 11), ""), 2)
        self.assertNotIn("PS-01", [d.code for d in diagnostics])

    async def test_latency_of_did_change_on_seed_004(self):
        await self.diagnostics_after(lambda: self.open(self.text), 1)
        line = self.line_of("      MultiAZ: true")
        times = []
        for version in range(2, 12):
            value = "false" if version % 2 == 0 else "true "
            _, seconds = await self.diagnostics_after(lambda: self.change(version, (line, 15), (line, 20 if version > 2 else 19), value), version)
            times.append(seconds)
        median = statistics.median(times) * 1000
        print(f"\ndidChange -> publishDiagnostics on seed 004: median {median:.1f} ms over {len(times)} edits (debug build)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        BINARY = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
