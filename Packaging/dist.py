#!/usr/bin/env python3
"""Release artefacts from a built release binary: an archive and a Debian package.

    dist.py BINARY --version V --man docs/formwork.1 --out dist/

writes, for the host's architecture (the binary's own; the toolchain here does not
cross-build):

- `formwork-V-linux-ARCH.tar.gz`: `formwork-V-linux-ARCH/` holding `bin/formwork`,
  `share/man/man1/formwork.1`, the bash, zsh and fish completions under `share/` (from the
  binary's `--generate-completion-script`), README.md, LICENSE, CHANGELOG.md and
  `SHA256SUMS` over every other file; beside it `formwork-V-linux-ARCH.tar.gz.sha256`;
- `formwork_V_DEBARCH.deb` (`dpkg-deb --root-owner-group`): the same files under `/usr`,
  with a Depends line naming the packages of the shared libraries the binary still loads.

The archive is reproducible: files sorted, owner root, mtimes SOURCE_DATE_EPOCH (else the
last commit's time).
"""
import argparse
import gzip
import hashlib
import io
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEBIAN_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}
# Where each shell looks for completions below a prefix.
COMPLETIONS = {
    "bash": "share/bash-completion/completions/formwork",
    "zsh": "share/zsh/site-functions/_formwork",
    "fish": "share/fish/vendor_completions.d/formwork.fish",
}


def completion(binary, shell):
    """The binary's own completion script for a shell."""
    return subprocess.run([binary, "--generate-completion-script", shell], check=True,
                          stdout=subprocess.PIPE).stdout


def install_tree(binary, man, prefix):
    """Lays out bin/, share/man and the completions under prefix (what `make install` does)."""
    os.makedirs(os.path.join(prefix, "bin"), exist_ok=True)
    shutil.copyfile(binary, os.path.join(prefix, "bin/formwork"))
    os.chmod(os.path.join(prefix, "bin/formwork"), 0o755)
    os.makedirs(os.path.join(prefix, "share/man/man1"), exist_ok=True)
    shutil.copyfile(man, os.path.join(prefix, "share/man/man1/formwork.1"))
    for shell, path in COMPLETIONS.items():
        target = os.path.join(prefix, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(completion(binary, shell))


def files_under(folder):
    """Every file below folder, relative, sorted."""
    found = []
    for base, folders, names in os.walk(folder):
        folders.sort()
        found += [os.path.relpath(os.path.join(base, name), folder) for name in names]
    return sorted(found)


def sha256(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def epoch():
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    result = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%ct"], stdout=subprocess.PIPE, text=True)
    return int(result.stdout.strip() or 0)


def archive(stage, name, out, mtime):
    """A gzip'd tar of stage/ as name/, reproducible."""
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w", format=tarfile.PAX_FORMAT) as tar:
        folders = {os.path.relpath(base, stage) for base, _, _ in os.walk(stage)} - {"."}
        entries = [""] + sorted(folders | set(files_under(stage)))
        for relative in entries:
            full = os.path.join(stage, relative) if relative else stage
            info = tar.gettarinfo(full, arcname=os.path.join(name, relative) if relative else name)
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mtime = mtime
            if info.isfile():
                with open(full, "rb") as handle:
                    tar.addfile(info, handle)
            else:
                tar.addfile(info)
    path = os.path.join(out, name + ".tar.gz")
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=mtime) as compressed:
            compressed.write(data.getvalue())
    with open(path + ".sha256", "w") as handle:
        handle.write(f"{sha256(path)}  {os.path.basename(path)}\n")
    return path


def dependencies(binary):
    """The Debian packages of the shared libraries the binary loads (none when `make release`
    found libyaml.a and linked it whole; libc and libyaml without it), as a Depends value."""
    result = subprocess.run(["ldd", binary], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    packages = set()
    for line in result.stdout.splitlines():
        match = re.search(r"=>\s*(/\S+)", line) or re.match(r"\s*(/\S+)", line)
        if not match:
            continue
        owner = subprocess.run(["dpkg", "-S", os.path.realpath(match.group(1))], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
        if owner.returncode == 0:
            packages.add(owner.stdout.split(":")[0].strip())
    return ", ".join(sorted(packages))


def debian(binary, man, version, arch, out):
    """formwork_V_ARCH.deb with the files under /usr."""
    folder = tempfile.mkdtemp(prefix="formwork-deb-")
    try:
        install_tree(binary, man, os.path.join(folder, "usr"))
        documentation = os.path.join(folder, "usr/share/doc/formwork")
        os.makedirs(documentation)
        shutil.copyfile(os.path.join(ROOT, "LICENSE"), os.path.join(documentation, "copyright"))
        os.makedirs(os.path.join(folder, "DEBIAN"))
        size = sum(os.path.getsize(os.path.join(folder, path)) for path in files_under(folder)) // 1024
        depends = dependencies(binary)
        control = [f"Package: formwork", f"Version: {version}", f"Architecture: {arch}",
                   "Maintainer: Formwork <formwork@users.noreply.github.com>", f"Installed-Size: {size}",
                   "Section: devel", "Priority: optional", "Homepage: https://github.com/formwork/formwork"]
        if depends:
            control.append(f"Depends: {depends}")
        control += ["Description: typed CloudFormation: lint, check, diff and format templates",
                    " Formwork lints CloudFormation templates with structural and house rules, checks a",
                    " repository's templates in CI, says what an update to a deployed stack replaces,",
                    " writes a canonical form and serves the Language Server Protocol."]
        with open(os.path.join(folder, "DEBIAN/control"), "w") as handle:
            handle.write("\n".join(control) + "\n")
        for base, folders, names in os.walk(folder):
            os.chmod(base, 0o755)
        path = os.path.join(out, f"formwork_{version}_{arch}.deb")
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", folder, path], check=True,
                       stdout=subprocess.DEVNULL)
        return path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--version", required=True)
    parser.add_argument("--man", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--install", metavar="PREFIX", help="only lay out PREFIX/bin, share/man and completions")
    options = parser.parse_args()
    if options.install:
        install_tree(options.binary, options.man, options.install)
        return 0
    machine = platform.machine()
    os.makedirs(options.out, exist_ok=True)
    name = f"formwork-{options.version}-linux-{machine}"
    stage = tempfile.mkdtemp(prefix="formwork-dist-")
    try:
        install_tree(options.binary, options.man, stage)
        for document in ["README.md", "LICENSE", "CHANGELOG.md"]:
            shutil.copyfile(os.path.join(ROOT, document), os.path.join(stage, document))
        sums = [f"{sha256(os.path.join(stage, path))}  {path}" for path in files_under(stage)]
        with open(os.path.join(stage, "SHA256SUMS"), "w") as handle:
            handle.write("\n".join(sums) + "\n")
        mtime = epoch()
        for path in files_under(stage):
            os.utime(os.path.join(stage, path), (mtime, mtime))
        print(archive(stage, name, options.out, mtime))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    print(debian(options.binary, options.man, options.version, DEBIAN_ARCH.get(machine, machine), options.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
