#!/usr/bin/env python3
"""What `make dist` makes installs and runs away from the repository.

    dist_package.py DIST_FOLDER VERSION

- the archive's checksum file and its SHA256SUMS hold; it unpacks into one folder with
  bin/formwork, the man page and the three completion scripts;
- the Debian package installs with dpkg into a scratch root (its own admin folder, so the
  machine's package database is not touched) and lists the same files under /usr;
- `make install PREFIX=<scratch>` (the release binary is built already) lays out the same;
- each installed binary, run from a folder outside the repository with a cleared PATH,
  prints the version and lints a template there; the release binary loads neither the Swift
  runtime nor libyaml as shared libraries.
"""
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIST, VERSION = (sys.argv[1:3] + [None, None])[:2] if __name__ == "__main__" else (None, None)
INSTALLED = ["bin/formwork", "share/man/man1/formwork.1", "share/bash-completion/completions/formwork",
             "share/zsh/site-functions/_formwork", "share/fish/vendor_completions.d/formwork.fish"]
TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Queue:
    Type: AWS::SQS::Queues
"""


def sha256(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


class Installed:
    """Checks shared by the three ways of installing."""

    def assert_runs(self, test, binary):
        folder = tempfile.mkdtemp(prefix="formwork-dist-run-")
        try:
            with open(os.path.join(folder, "queue.yaml"), "w") as handle:
                handle.write(TEMPLATE)
            environment = {"PATH": "/usr/bin:/bin", "HOME": folder, "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}
            version = subprocess.run([binary, "--version"], cwd=folder, env=environment, stdout=subprocess.PIPE, text=True)
            test.assertEqual(version.stdout.strip(), VERSION)
            lint = subprocess.run([binary, "lint", "--profile", "structural", "queue.yaml"], cwd=folder, env=environment,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            test.assertEqual(lint.returncode, 2, lint.stdout)
            test.assertIn("queue.yaml:4:11: error: AWS::SQS::Queues is not a resource type", lint.stdout)
            libraries = subprocess.run(["ldd", binary], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
            test.assertNotIn("libswiftCore", libraries)
            test.assertNotIn("libFoundation", libraries)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def assert_layout(self, test, prefix):
        for path in INSTALLED:
            full = os.path.join(prefix, path)
            test.assertTrue(os.path.isfile(full), f"{path} missing under {prefix}")
            test.assertGreater(os.path.getsize(full), 0, path)
        test.assertTrue(os.access(os.path.join(prefix, "bin/formwork"), os.X_OK))
        with open(os.path.join(prefix, "share/bash-completion/completions/formwork")) as handle:
            test.assertRegex(handle.read(), r"(?m)^complete .*-F _formwork formwork$")
        with open(os.path.join(prefix, "share/zsh/site-functions/_formwork")) as handle:
            test.assertTrue(handle.read().startswith("#compdef formwork"))


class DistTests(unittest.TestCase, Installed):
    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="formwork-dist-")
        self.machine = platform.machine()

    def tearDown(self):
        shutil.rmtree(self.scratch, ignore_errors=True)

    def test_archive(self):
        name = f"formwork-{VERSION}-linux-{self.machine}"
        path = os.path.join(DIST, name + ".tar.gz")
        with open(path + ".sha256") as handle:
            digest, file = handle.read().split()
        self.assertEqual((digest, file), (sha256(path), name + ".tar.gz"))
        with tarfile.open(path) as tar:
            self.assertEqual({member.name.split("/")[0] for member in tar.getmembers()}, {name})
            tar.extractall(self.scratch, filter="data")
        unpacked = os.path.join(self.scratch, name)
        sums = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=unpacked, stdout=subprocess.PIPE, text=True)
        self.assertEqual(sums.returncode, 0, sums.stdout)
        self.assertEqual(sums.stdout.count(": OK"), len(INSTALLED) + 3)  # README, LICENSE, CHANGELOG
        self.assert_layout(self, unpacked)
        self.assert_runs(self, os.path.join(unpacked, "bin/formwork"))

    @unittest.skipUnless(shutil.which("dpkg-deb") and shutil.which("dpkg"), "dpkg-deb is not installed")
    def test_debian_package(self):
        arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(self.machine, self.machine)
        package = os.path.join(DIST, f"formwork_{VERSION}_{arch}.deb")
        info = subprocess.run(["dpkg-deb", "--field", package, "Package", "Version", "Architecture"], stdout=subprocess.PIPE, text=True)
        self.assertEqual(info.stdout.split("\n")[:3], ["Package: formwork", f"Version: {VERSION}", f"Architecture: {arch}"])
        root = os.path.join(self.scratch, "root")
        admin = os.path.join(root, "var/lib/dpkg")
        for folder in ["info", "updates", "triggers"]:
            os.makedirs(os.path.join(admin, folder))
        open(os.path.join(admin, "status"), "w").close()
        install = subprocess.run(["dpkg", f"--root={root}", f"--admindir={admin}", "--force-not-root", "--force-depends",
                                  "--force-script-chrootless", "--log=/dev/null", "--install", package],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertEqual(install.returncode, 0, install.stdout)
        status = subprocess.run(["dpkg-query", f"--admindir={admin}", "--show", "--showformat=${Status} ${Version}", "formwork"],
                                stdout=subprocess.PIPE, text=True)
        self.assertEqual(status.stdout, f"install ok installed {VERSION}")
        self.assert_layout(self, os.path.join(root, "usr"))
        self.assert_runs(self, os.path.join(root, "usr/bin/formwork"))

    def test_make_install(self):
        prefix = os.path.join(self.scratch, "prefix")
        result = subprocess.run(["make", "--no-print-directory", "install", f"PREFIX={prefix}"], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertEqual(result.returncode, 0, result.stdout[-3000:])
        self.assert_layout(self, prefix)
        self.assert_runs(self, os.path.join(prefix, "bin/formwork"))


if __name__ == "__main__":
    if not DIST or not VERSION:
        sys.exit("usage: dist_package.py DIST_FOLDER VERSION")
    if not shutil.which("dpkg-deb"):
        print("dpkg-deb is missing: the Debian package is not tested")
    sys.argv[1:] = ["-v"]
    unittest.main()
