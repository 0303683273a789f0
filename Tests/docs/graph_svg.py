#!/usr/bin/env python3
"""`formwork graph` through Graphviz: the DOT of every reference template renders to an SVG
that parses, with a node for every resource. Skipped without `dot` (`make graphs` installs it).

    graph_svg.py [BINARY]
"""
import glob
import os
import shutil
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ElementTree

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.abspath(os.environ.get("FORMWORK_BIN", os.path.join(ROOT, ".build/debug/formwork")))


@unittest.skipUnless(shutil.which("dot"), "Graphviz (dot) is not installed (make graphs installs it)")
class GraphSVGTests(unittest.TestCase):
    def test_reference_templates_render(self):
        templates = sorted(glob.glob(os.path.join(ROOT, "templates/*/TapStack*.yml")))
        self.assertGreaterEqual(len(templates), 7)
        for template in templates:
            with self.subTest(template=os.path.relpath(template, ROOT)):
                graph = subprocess.run([BINARY, "graph", template], capture_output=True, check=True, timeout=60).stdout
                svg = subprocess.run(["dot", "-Tsvg"], input=graph, capture_output=True, check=True, timeout=120).stdout
                root = ElementTree.fromstring(svg)
                self.assertEqual(root.tag, "{http://www.w3.org/2000/svg}svg")
                titles = [node.text for node in root.iter("{http://www.w3.org/2000/svg}title")]
                with open(template, encoding="utf-8") as handle:
                    resources = handle.read().split("\nResources:\n", 1)[1].split("\nOutputs:\n", 1)[0]
                count = sum(1 for line in resources.split("\n") if line.startswith("  ") and not line.startswith("   ") and line.endswith(":"))
                self.assertGreaterEqual(len([t for t in titles if t and t.startswith("n") and "->" not in t]), count)


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        BINARY = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
