#!/usr/bin/env python3
"""`formwork import` on templates nobody here wrote: every template of
../shared/corpus/real-world/templates and ../shared/corpus/cfn-lint/templates/good (and any
--extra folder) imported into ONE package (so each service module compiles once), built,
synthesized, and each synthesized template compared with its input (`formwork import
--compare-with`, the same comparison as `--round-trip`). A template that stops the build or
the synth is set aside with the compiler's or synth's first message, and the rest are
imported again, until the package builds and synthesizes. Writes the figures and every
failure with its reason to a section of PARITY.md with --write. Target: at least 98 % of the
imported templates round-trip to the same content.

A whole run builds Formwork, every service module the corpora use and a module of about 500
files: most of an hour of a quiet machine, several of a shared one. So the run can stop and
go on: the package and its build folder stay in --work (the files the import writes the same
are left alone, so a second run recompiles only what changed), every step says what it does
on standard output, swift's output goes to --work/build-N.log as it builds, and
--work/status.json holds each template's state after every step (read, imported, set aside
at import, build or synth with the reason, same content or differs). --resume sets aside at
once the templates an earlier run set aside at the build or the synth (their reasons kept),
so that a stopped run does not rebuild to find them again, and takes the earlier run's
verdict on which files are templates.

    import_corpus.py BINARY [--shared ../shared] [--work .build/import-corpus] [--extra DIR]... [--resume] [--write PARITY.md]
"""
import argparse
import collections
import filecmp
import shutil
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BEGIN, END = "<!-- import-corpus:begin -->", "<!-- import-corpus:end -->"
EXTENSIONS = (".yaml", ".yml", ".json", ".template")


def run(args, cwd=None, timeout=7200, env=None):
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    return result.returncode, result.stdout, result.stderr


def say(message):
    """A step of the run, with the time, at once (the run is long; its log is read while it goes)."""
    print(time.strftime("%H:%M:%S ") + message, flush=True)


def build(package, log, env):
    """`swift build` of the package, its output written to `log` as it comes (a build of the
    whole corpora takes hours on a shared machine). Every file is compiled even after one
    fails (`-continue-building-after-errors`), so that one build finds every template whose
    Swift does not compile. Returns (status, output)."""
    with open(log, "w") as handle:
        status = subprocess.run(["swift", "build", "--product", "Corpus", "-Xswiftc", "-continue-building-after-errors"],
                                cwd=package, stdout=handle, stderr=subprocess.STDOUT, env=env).returncode
    with open(log) as handle:
        return status, handle.read()


def app_stacks(package):
    """The stacks' file names in App.swift, in the order of the templates imported."""
    with open(os.path.join(package, "Sources", "Corpus", "App.swift")) as handle:
        return re.findall(r'AppStack\(file: "((?:[^"\\]|\\.)*)"', handle.read())


def synth_failures(output, sources, stacks):
    """The templates a failed synth names: by the Swift file of a diagnostic, or by the
    `[system corpus, stack A]` / `stacks A, B` label the app adds to a stack's diagnostics.
    Returns {template path: first reason}."""
    bad = {}
    for line in output.splitlines():
        if ": error: " not in line:
            continue
        label = re.search(r" \[system [^,\]]+, stacks? ([^\]]*)\]", line)
        reason = line.split(": error: ", 1)[1]
        if label:
            reason = reason.replace(label.group(0), "")
        match = re.search(r"Sources/Corpus/([^/:]+\.swift):\d+:\d+: error: ", line)
        if match and match.group(1) in sources:
            bad.setdefault(sources[match.group(1)], reason)
        elif label:
            for name in label.group(1).split(", "):
                if name in stacks:
                    bad.setdefault(stacks[name], reason)
    return bad


def templates_in(folder):
    return sorted(os.path.join(base, name) for base, _, names in os.walk(folder) for name in names if name.endswith(EXTENSIONS))


def is_template(binary, path):
    """What `formwork lint` reads as a template in a folder: it parses, and its root has
    Resources or AWSTemplateFormatVersion. Returns (template?, why not)."""
    status, out, err = run([binary, "fmt", "--format", "json", path], timeout=120)
    if status != 0:
        first = next((line for line in err.splitlines() if ": error: " in line), err.strip()[:200])
        return False, first.split(": error: ", 1)[-1]
    try:
        root = json.loads(out)
    except ValueError:
        return False, "not JSON after fmt"
    if not isinstance(root, dict) or not ("Resources" in root or "AWSTemplateFormatVersion" in root):
        return False, "not a template (no Resources or AWSTemplateFormatVersion)"
    return True, ""


def sync(staging, package):
    """Copies what the import wrote into the package, only the files that changed, and removes
    the Swift files it no longer writes: the files left alone keep their times, so that the
    build after setting a template aside recompiles what changed, not the whole module (about
    500 files: 40 minutes of a shared machine)."""
    written = set()
    for base, _, names in os.walk(staging):
        for name in names:
            source = os.path.join(base, name)
            relative = os.path.relpath(source, staging)
            written.add(relative)
            target = os.path.join(package, relative)
            if not os.path.exists(target) or not filecmp.cmp(source, target, shallow=False):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(source, target)
    sources = os.path.join(package, "Sources")
    for base, _, names in os.walk(sources):
        for name in names:
            path = os.path.join(base, name)
            if os.path.relpath(path, package) not in written:
                os.remove(path)


def unlist(package, names):
    """Takes the stacks `names` out of App.swift's list (their Swift files stay)."""
    path = os.path.join(package, "Sources", "Corpus", "App.swift")
    with open(path) as handle:
        lines = handle.read().split("\n")
    kept = [line for line in lines if not any(line.strip().startswith(f"AppStack(file: {json.dumps(name)},") for name in names)]
    with open(path, "w") as handle:
        handle.write("\n".join(kept))


def stack_sources(package):
    """Swift file name -> the template it was imported from (its `/// Imported from` line)."""
    folder = os.path.join(package, "Sources", "Corpus")
    found = {}
    for name in os.listdir(folder):
        with open(os.path.join(folder, name)) as handle:
            match = re.search(r"^/// Imported from (.*)\.$", handle.read(), re.M)
        if match:
            found[name] = match.group(1)
    return found


def escape_kind(line):
    """An IM-01 line's escape: the text after its last colon (`Value(raw:)`, `RawResource`, ...)."""
    message = line.split(": info: ", 1)[-1].rsplit(" [IM-01]", 1)[0]
    return message.rsplit(": ", 1)[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--work", default=os.path.join(ROOT, ".build", "import-corpus"))
    parser.add_argument("--extra", action="append", default=[], help="another folder of templates (reported apart)")
    parser.add_argument("--resume", action="store_true", help="set aside what an earlier run set aside at the build or synth")
    parser.add_argument("--write")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    corpora = [os.path.join(args.shared, "corpus", "real-world", "templates"), os.path.join(args.shared, "corpus", "cfn-lint", "templates", "good")]
    if not all(os.path.isdir(folder) for folder in corpora):
        print(f"import corpus: skipped ({corpora} missing)")
        return 0
    groups = collections.OrderedDict()
    for folder in corpora + args.extra:
        groups[folder] = templates_in(folder)

    os.makedirs(args.work, exist_ok=True)
    status_file = os.path.join(args.work, "status.json")
    earlier, earlier_unread = {}, {}
    if args.resume and os.path.exists(status_file):
        with open(status_file) as handle:
            saved = json.load(handle)
        earlier, earlier_unread = saved.get("templates", {}), saved.get("unread", {})
    # The compiler's warnings by Swift file, from the last build that compiled each file.
    file_warnings = {}
    if os.path.exists(status_file):
        with open(status_file) as handle:
            file_warnings = json.load(handle).get("warnings", {})

    unread = {}
    candidates = []
    for folder, paths in groups.items():
        for path in paths:
            # --resume: what an earlier run found a template (or not) is not asked again
            # (one `fmt` per file: minutes on a loaded machine).
            if path in earlier or path in earlier_unread:
                ok, why = path in earlier, earlier_unread.get(path, "")
            else:
                ok, why = is_template(binary, path)
            if ok:
                candidates.append(path)
            else:
                unread[path] = why
    say(f"{len(candidates)} templates to import, {len(unread)} files not read as templates")

    package = os.path.join(args.work, "package")
    staging = os.path.join(args.work, "staging")  # beside the package: the same relative path to Formwork
    synthesized = os.path.join(args.work, "synth")
    failed = collections.OrderedDict()  # path -> (stage, reason)
    for path in candidates:
        state = earlier.get(path, {})
        if state.get("stage") in ("build", "synth"):
            failed[path] = (state["stage"], state["reason"])
    if failed:
        say(f"--resume: {len(failed)} templates set aside at the build or synth of an earlier run")
    environment = {key: value for key, value in os.environ.items() if key != "FORMWORK_MODELS"}
    # A template set aside at the synth stays imported and compiled, only out of the app's
    # list of stacks: its Swift and the manifest stay as they were, so the next build compiles
    # App.swift alone (a module whose files or dependencies change is compiled whole again).
    importing = [path for path in candidates if failed.get(path, ("",))[0] not in ("import", "build")]
    timings = {}
    builds = 0
    # Whether the first build starts from nothing: the figures say which it was.
    clean = not os.path.isdir(os.path.join(package, ".build"))

    def save(same=None):
        """Each template's state, after every step (--work/status.json)."""
        states = {}
        for path in candidates:
            if path in failed:
                states[path] = {"stage": failed[path][0], "reason": failed[path][1]}
            elif same is not None:
                states[path] = {"stage": "same content"}
            else:
                states[path] = {"stage": "imported"}
        with open(status_file + ".new", "w") as handle:
            json.dump({"templates": states, "unread": unread, "timings": timings, "warnings": file_warnings}, handle, indent=1, sort_keys=True)
        os.replace(status_file + ".new", status_file)

    while True:
        started = time.monotonic()
        if os.path.isdir(staging):
            shutil.rmtree(staging)
        say(f"importing {len(importing)} templates")
        status, out, err = run([binary, "import", *importing, "--out", staging, "--package", "corpus", "--system", "corpus"], timeout=1200)
        timings["import"] = time.monotonic() - started
        if status == 2:
            bad = {}
            for line in err.splitlines():
                match = re.match(r"^(.*?):\d+:\d+: error: (.*) \[(PS-\d+)\]$", line)
                if match and match.group(1) in importing:
                    bad.setdefault(match.group(1), match.group(2))
            if not bad:
                print(err[-3000:])
                return 1
            for path, why in bad.items():
                failed[path] = ("import", why)
            say(f"{len(bad)} templates set aside at import")
            importing = [path for path in importing if path not in bad]
            save()
            continue
        if status != 0:
            print(err[-3000:])
            return 1
        escapes = collections.Counter(escape_kind(line) for line in err.splitlines() if line.endswith("[IM-01]"))
        stack_paths = dict(zip(app_stacks(staging), importing))
        unlist(staging, {name for name, path in stack_paths.items() if failed.get(path, ("",))[0] == "synth"})
        sync(staging, package)
        save()
        started = time.monotonic()
        builds += 1
        log = os.path.join(args.work, f"build-{builds}.log")
        say(f"building the package (swift's output: {log})")
        status, output = build(package, log, environment)
        timings["build"] = time.monotonic() - started
        timings["builds"] = timings.get("builds", 0) + timings["build"]
        say(f"build: exit {status} after {timings['build']:.0f} s")
        sources = stack_sources(package)
        if status != 0:
            bad = {}
            for line in output.splitlines():
                match = re.search(r"/Sources/Corpus/([^/:]+\.swift):\d+:\d+: error: (.*)$", line)
                if match and match.group(1) in sources:
                    bad.setdefault(sources[match.group(1)], match.group(2))
            if not bad:
                print(output[-5000:])
                return 1
            for path, why in bad.items():
                failed[path] = ("build", why)
            say(f"{len(bad)} templates set aside at the build")
            importing = [path for path in importing if path not in bad]
            save()
            continue
        # An incremental build prints the warnings of the files it compiled only: each file's
        # warnings are those of the last build that compiled it (kept in status.json).
        compiled = set(re.findall(r"Compiling Corpus ([^ /]+\.swift)", output))
        for name in compiled:
            file_warnings.pop(name, None)
        for line in output.splitlines():
            match = re.search(r"/Sources/Corpus/([^/:]+\.swift):\d+:\d+: warning: ", line)
            if match and match.group(1) in compiled:
                file_warnings.setdefault(match.group(1), []).append(line.split("/Sources/Corpus/")[-1])
        warnings = sorted({line for name, lines in file_warnings.items() if name in sources for line in lines})
        save()
        if os.path.isdir(synthesized):
            subprocess.run(["rm", "-rf", synthesized])
        started = time.monotonic()
        say("synthesizing")
        status, out, err = run(["swift", "run", "--skip-build", "Corpus", "synth", "--out", synthesized, "--format", "yaml"], cwd=package, env=environment)
        timings["synth"] = time.monotonic() - started
        if status != 0:
            bad = synth_failures(out + err, sources, stack_paths)
            if not bad:
                print((out + err)[-5000:])
                return 1
            for path, why in bad.items():
                failed[path] = ("synth", why)
            say(f"{len(bad)} templates set aside at the synth (out of App.swift's list)")
            save()
            continue
        break

    say("comparing")
    status, out, err = run([binary, "import", *importing, "--out", package, "--package", "corpus", "--system", "corpus", "--compare-with", synthesized], timeout=1200)
    for line in err.splitlines():
        match = re.match(r"^(.*?): error: the synthesized template differs at (.*) \[IM-03\]$", line)
        if match and match.group(1) in importing and match.group(1) not in failed:
            failed[match.group(1)] = ("round trip", match.group(2))
        match = re.match(r"^(.*?):\d+:\d+: error: (.*) \[PS-\d+\]$", line)
        if match and match.group(1) in importing and match.group(1) not in failed:
            failed[match.group(1)] = ("round trip", "the synthesized file cannot be read: " + match.group(2))
    save(same=True)

    lines = [BEGIN, "## `formwork import`: the corpora round trip", ""]
    lines.append("Every template of the corpora that `formwork lint` reads as a template, imported into one package "
                 "(`make import-corpus`: `Tests/import/import_corpus.py`), built once, synthesized, and compared with its "
                 "input as `formwork import --round-trip` compares (docs/import.md).")
    lines.append("")
    lines.append("| corpus | templates | imported | built and synthesized | same content | round-trip rate |")
    lines.append("|---|---|---|---|---|---|")
    total = collections.Counter()
    for folder, paths in groups.items():
        read = [path for path in paths if path not in unread]
        imported = [path for path in read if failed.get(path, ("",))[0] != "import"]
        synthesized_ok = [path for path in imported if failed.get(path, ("",))[0] not in ("build", "synth")]
        same = [path for path in read if path not in failed]
        name = os.path.relpath(folder, args.shared) if folder.startswith(args.shared) else os.path.basename(folder.rstrip("/"))
        rate = 100.0 * len(same) / len(imported) if imported else 0.0
        lines.append(f"| {name} | {len(read)} | {len(imported)} | {len(synthesized_ok)} | {len(same)} | {rate:.1f} % |")
        if folder in corpora:
            total.update(read=len(read), imported=len(imported), synthesized=len(synthesized_ok), same=len(same))
    rate = 100.0 * total["same"] / total["imported"] if total["imported"] else 0.0
    import_rate = 100.0 * total["imported"] / total["read"] if total["read"] else 0.0
    lines.append(f"| **the two corpora** | {total['read']} | {total['imported']} ({import_rate:.1f} %) | {total['synthesized']} | {total['same']} | **{rate:.1f} %** |")
    lines.append("")
    lines.append(f"Target: at least 98 % round-trip: {'met' if rate >= 98 else 'NOT met'}. Compiler warnings in the imported Swift: {len(warnings)}. "
                 f"Import of all {len(importing)} templates in one run: {timings.get('import', 0):.1f} s; the package's build: "
                 f"{timings.get('build', 0):.0f} s, {builds} build{'s' if builds != 1 else ''} in this run {timings.get('builds', 0):.0f} s "
                 + ("(a clean build: Formwork and every service module the corpora use)" if clean else f"(incremental over earlier runs in {os.path.relpath(args.work, ROOT)})")
                 + f"; synth {timings.get('synth', 0):.1f} s.")
    lines.append("")
    lines.append("Values written through an escape (IM-01, each reported at its line with the reason): "
                 + ", ".join(f"{kind} {count}" for kind, count in sorted(escapes.items(), key=lambda item: (-item[1], item[0]))) + ".")
    lines.append("")
    if failed:
        stages = collections.Counter(stage for stage, _ in failed.values())
        checks = collections.Counter(re.search(r"\[(CP-\d+)\]$", why).group(1) for stage, why in failed.values()
                                     if stage == "synth" and re.search(r"\[(CP-\d+)\]$", why))
        refusals = ("; the synth's are the compile's checks, which refuse the input itself: "
                    + ", ".join(f"{check} {count}" for check, count in sorted(checks.items()))) if checks else ""
        lines.append("What did not round-trip, and why (" + ", ".join(f"{stage} {count}" for stage, count in sorted(stages.items()))
                     + refusals + "):")
        lines.append("")
        for path, (stage, why) in failed.items():
            lines.append(f"- `{os.path.relpath(path, args.shared) if path.startswith(args.shared) else path}` ({stage}): {why}")
        lines.append("")
    if warnings:
        lines.append("Warnings:")
        lines.append("")
        lines += [f"- `{line}`" for line in warnings[:20]]
        lines.append("")
    lines.append(f"Files the corpora hold that are not templates to `formwork lint` ({len(unread)}): "
                 + ", ".join(f"`{os.path.relpath(path, args.shared) if path.startswith(args.shared) else path}` ({why})" for path, why in sorted(unread.items())))
    lines.append(END)
    section = "\n".join(lines) + "\n"
    print(section)
    if args.write:
        text = open(args.write).read() if os.path.exists(args.write) else ""
        if BEGIN in text and END in text:
            text = text[:text.index(BEGIN)] + section.rstrip("\n") + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n" + section
        with open(args.write, "w") as handle:
            handle.write(text)
    return 0 if rate >= 98 and not warnings else 1


if __name__ == "__main__":
    sys.exit(main())
