#!/usr/bin/env python3
"""Progress on standard error when it is a terminal, and nothing when it is not.

    progress_pty.py BINARY [--shared ../shared]

`formwork lint` over the 395 real-world templates of ../shared (seconds of work) runs twice:
with standard error on a pseudo-terminal (python's pty), where a progress line counts the
files done of the total, names the slowest file, and ends with a line giving the total and
the time; and with standard error on a pipe, where none of that appears. The report itself
goes to a file both times and must be the same. Skipped, with the reason, without ../shared.
"""
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = None
SHARED = os.path.join(ROOT, "..", "shared")


def corpus():
    return os.path.join(SHARED, "corpus", "real-world", "templates")


class ProgressTests(unittest.TestCase):
    def setUp(self):
        if not os.path.isdir(corpus()):
            self.skipTest(f"{os.path.normpath(corpus())} is not there (../shared beside the repository)")
        self.scratch = tempfile.mkdtemp(prefix="formwork-progress-")

    def tearDown(self):
        shutil.rmtree(self.scratch, ignore_errors=True)

    def lint(self, terminal):
        report = os.path.join(self.scratch, "terminal.txt" if terminal else "pipe.txt")
        command = [BINARY, "lint", "--profile", "structural", "--fail-on", "none", "--output-file", report, corpus()]
        environment = dict(os.environ, TERM="xterm", LC_ALL="C.UTF-8")
        environment.pop("NO_COLOR", None)
        if terminal:
            main, secondary = pty.openpty()
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=secondary, env=environment)
            os.close(secondary)
            chunks = []
            while True:
                try:
                    chunk = os.read(main, 65536)
                except OSError:  # EIO: the child closed its end
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            os.close(main)
            status = process.wait(timeout=600)
            error = b"".join(chunks).decode("utf-8", "replace")
        else:
            result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment, timeout=600)
            status, error = result.returncode, result.stderr.decode("utf-8", "replace")
        with open(report, encoding="utf-8") as handle:
            return status, error, handle.read()

    def test_terminal_shows_progress_and_a_pipe_does_not(self):
        status, shown, report = self.lint(terminal=True)
        self.assertEqual(status, 0, shown)
        total = int(re.search(r"(\d+) files? linted", report).group(1))
        counts = re.findall(r"linting: (\d+) of (\d+) files; slowest (.+?) \((\d+\.\d) s\)", shown)
        self.assertTrue(counts, f"no progress line on the terminal: {shown!r}")
        self.assertTrue(all(int(done) <= int(of) for done, of, _, _ in counts))
        self.assertGreaterEqual(int(counts[0][1]), total)
        self.assertIn("\r\x1b[K", shown)
        final = re.search(r"linting: (\d+) files in \d+\.\d s; slowest (.+?) \((\d+\.\d) s\)\r?\n", shown)
        self.assertTrue(final, f"no closing line: {shown[-500:]!r}")
        self.assertEqual(int(final.group(1)), int(counts[0][1]))

        status, piped, piped_report = self.lint(terminal=False)
        self.assertEqual(status, 0, piped)
        self.assertNotIn("linting:", piped)
        self.assertNotIn("\x1b", piped)
        self.assertEqual(piped_report, report)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    BINARY = os.path.abspath(sys.argv[1])
    if "--shared" in sys.argv:
        SHARED = sys.argv[sys.argv.index("--shared") + 1]
    sys.argv[1:] = ["-v"]
    unittest.main()
