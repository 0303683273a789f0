#!/usr/bin/env python3
"""Every public declaration of `Formwork` and `FormworkCore` has a doc comment.

Usage: doc_comments.py            (the test: python3 -m unittest Tests/docs/doc_comments.py)

Reads the sources (no build needed): a line that declares something `public` or `open` must
follow a `///` comment (attributes such as `@discardableResult` may stand between). The API
list test (api_list.py) checks the same on the symbol graph of what `import Formwork` gives;
this one also covers what the graph folds away (a protocol requirement's implementation, a
literal initializer), which is what editors show on hover.
"""
import glob
import os
import re
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = ["Sources/Formwork", "Sources/FormworkCore"]
DECLARATION = re.compile(r"^\s*(@[A-Za-z_]+(\([^)]*\))?\s+)*(public|open)\s+(?!import\b)")


def undocumented():
    """(declarations, [file:line: text]) for every public declaration without a doc comment."""
    count, missing = 0, []
    for module in MODULES:
        for path in sorted(glob.glob(os.path.join(ROOT, module, "**", "*.swift"), recursive=True)):
            lines = open(path, encoding="utf-8").read().split("\n")
            for index, line in enumerate(lines):
                if not DECLARATION.match(line):
                    continue
                count += 1
                previous = index - 1
                while previous >= 0 and lines[previous].strip().startswith("@"):
                    previous -= 1
                above = lines[previous].strip() if previous >= 0 else ""
                if not (above.startswith("///") or above.endswith("*/")):
                    missing.append(f"{os.path.relpath(path, ROOT)}:{index + 1}: {line.strip()[:120]}")
    return count, missing


class DocCommentTests(unittest.TestCase):
    def test_every_public_declaration_is_documented(self):
        count, missing = undocumented()
        self.assertGreater(count, 150, "the scan found too few declarations: has the layout moved?")
        self.assertEqual(missing, [], f"{len(missing)} of {count} public declarations have no doc comment:\n" + "\n".join(missing))


if __name__ == "__main__":
    count, missing = undocumented()
    for line in missing:
        print(line)
    print(f"doc comments: {count - len(missing)} of {count} public declarations documented")
    sys.exit(1 if missing else 0)
