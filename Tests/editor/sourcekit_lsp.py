#!/usr/bin/env python3
"""The typed models in a real Swift editor: sourcekit-lsp (the toolchain's language server)
driven over stdio on a built copy of the example package (Examples/orders-db).

Usage: sourcekit_lsp.py PACKAGE_DIR [--sourcekit-lsp PATH]

PACKAGE_DIR is the example package, already built (`swift build`: sourcekit-lsp reads the
modules of Formwork and the service products from its .build; background indexing is off, so
it builds nothing itself). Checks, in Sources/OrdersInfra/OrdersDatabase.swift:
- completion after `$0.` inside `RDS.DBInstance { ... }` lists the model's properties, and
  `engine`'s documentation is the registry's (resolved where the server sends it lazily);
- hover on `engine` shows the registry's facts: its values, what an update of it does, its
  User Guide page;
- a deliberate compile error (a misspelt property) is a diagnostic at its line.
Every request is bounded in time; the server is shut down, and killed if it does not exit.
Prints `N passed, N failed, N skipped`; exit 1 on a failure. Without sourcekit-lsp: skipped,
with the reason. FORMWORK_LSP_SHOW=1 also prints the documentation completion and hover gave.
"""
import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time

DEFAULT_SERVER = "/opt/swift/usr/bin/sourcekit-lsp"
SOURCE = os.path.join("Sources", "OrdersInfra", "OrdersDatabase.swift")
passed, failed, skipped = 0, 0, 0


def check(condition, what, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok: {what}")
    else:
        failed += 1
        print(f"FAILED: {what}\n{str(detail)[:3000]}")


class Server:
    """A language server over stdio: Content-Length framing, JSON-RPC ids, a reader thread."""

    def __init__(self, command, cwd):
        self.process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.messages = queue.Queue()
        self.next_id = 0
        self.notifications = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii", "replace").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
            if length is None:
                continue
            body = stream.read(length)
            self.messages.put(json.loads(body))

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout):
        self.next_id += 1
        identifier = self.next_id
        self.send({"jsonrpc": "2.0", "id": identifier, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{method}: no answer in {timeout} s")
            try:
                message = self.messages.get(timeout=remaining)
            except queue.Empty:
                raise TimeoutError(f"{method}: no answer in {timeout} s")
            if message is None:
                raise EOFError(f"{method}: the server exited")
            if "method" in message and "id" in message:
                # A request of the server's (progress, registrations, configuration): accepted.
                result = [None] * len(message.get("params", {}).get("items", [])) if message["method"] == "workspace/configuration" else None
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            elif "method" in message:
                self.notifications.append(message)
            elif message.get("id") == identifier:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result")

    def close(self):
        try:
            self.request("shutdown", None, timeout=30)
            self.notify("exit", None)
            self.process.wait(timeout=30)
        except Exception:
            pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)


def markdown(value):
    """The text of a documentation or hover value (a string, MarkupContent or MarkedStrings)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(markdown(item) for item in value)
    return value.get("value", "")


def position_after(lines, needle, after_line=0):
    """(line, character) just after the first `needle` on a line at or after `after_line`."""
    for index in range(after_line, len(lines)):
        column = lines[index].find(needle)
        if column >= 0:
            return index, column + len(needle)
    raise LookupError(f"{needle!r} is not in the source")


def main():
    global skipped
    parser = argparse.ArgumentParser()
    parser.add_argument("package")
    parser.add_argument("--sourcekit-lsp", default=os.environ.get("SOURCEKIT_LSP", DEFAULT_SERVER))
    parser.add_argument("--source", default=SOURCE, help="the file, relative to the package, that adds the Database")
    args = parser.parse_args()
    server_path = args.sourcekit_lsp if os.path.exists(args.sourcekit_lsp) else shutil.which("sourcekit-lsp")
    if not server_path:
        skipped += 1
        print(f"skipped: the sourcekit-lsp editor test ({args.sourcekit_lsp} is missing and none is on PATH)")
        return
    package = os.path.abspath(args.package)
    if not os.path.isdir(os.path.join(package, ".build", "debug", "Modules")):
        check(False, "the example package is built", f"{package}/.build/debug/Modules is missing: build it first")
        return
    # Background indexing would build the package again in .build/index-build: the built
    # modules are what an editor that ran `swift build` has.
    os.makedirs(os.path.join(package, ".sourcekit-lsp"), exist_ok=True)
    with open(os.path.join(package, ".sourcekit-lsp", "config.json"), "w") as handle:
        json.dump({"backgroundIndexing": False}, handle)

    path = os.path.join(package, args.source)
    uri = "file://" + path
    text = open(path).read()
    lines = text.split("\n")
    started = time.monotonic()
    server = Server([server_path], cwd=package)
    try:
        server.request("initialize", {
            "processId": os.getpid(), "rootUri": "file://" + package,
            "workspaceFolders": [{"uri": "file://" + package, "name": "orders-db"}],
            "initializationOptions": {"backgroundIndexing": False},
            "capabilities": {
                "textDocument": {
                    "completion": {"completionItem": {"documentationFormat": ["markdown", "plaintext"], "snippetSupport": False},
                                   "completionList": {"itemDefaults": []}},
                    "hover": {"contentFormat": ["markdown", "plaintext"]},
                    "publishDiagnostics": {},
                    "diagnostic": {"dynamicRegistration": False},
                },
                "window": {"workDoneProgress": False},
            },
        }, timeout=120)
        server.notify("initialized", {})
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "swift", "version": 1, "text": text}})

        # Hover on `engine` first: until the server has the package's build settings (it
        # loads them in the background) it answers from fallback settings, without the models.
        database = position_after(lines, 'stack.add("Database", RDS.DBInstance {')[0]
        line, end = position_after(lines, "$0.engine", database)
        shown = ""
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and "Values:" not in shown:
            hover = server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": line, "character": end - 2}}, timeout=120)
            shown = markdown((hover or {}).get("contents"))
            if "Values:" not in shown:
                time.sleep(2)
        facts = ["`Engine`", "Values:", "aurora-postgresql", "create-only", "User Guide", "aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-engine"]
        check(all(fact in shown for fact in facts), "hover on `engine` shows the registry's facts (values, update, User Guide page)", shown)

        # Completion after `$0.` inside the database's closure (the line that sets the engine).
        character = lines[line].index("$0.") + 3
        result = server.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
                                timeout=120)
        items = result.get("items", []) if isinstance(result, dict) else (result or [])
        labels = {item.get("filterText") or item["label"].split("(")[0].split(":")[0].strip(): item for item in items}
        wanted = ["engine", "multiAZ", "dbInstanceClass", "storageEncrypted", "backupRetentionPeriod"]
        check(all(name in labels for name in wanted), f"completion after `$0.` lists the model's properties ({len(items)} items)",
              sorted(labels)[:60])
        engine = labels.get("engine")
        documentation = markdown(engine.get("documentation")) if engine else ""
        if engine and not documentation:
            resolved = server.request("completionItem/resolve", engine, timeout=60)
            documentation = markdown((resolved or {}).get("documentation"))
        if os.environ.get("FORMWORK_LSP_SHOW"): print("completion documentation of engine:\n" + documentation + "\nhover:\n" + shown)
        check("`Engine`" in documentation and "aurora-postgresql" in documentation,
              "the completion of `engine` carries the registry's documentation (its values)", documentation or engine)

        # A deliberate compile error: a misspelt property, one line below the engine's.
        broken = lines[:line + 1] + ["        $0.multiAz = true"] + lines[line + 1:]
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                 "contentChanges": [{"text": "\n".join(broken)}]})
        error_line = line + 1
        found = []
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            report = server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}, timeout=180)
            found = (report or {}).get("items", [])
            if any(item["range"]["start"]["line"] == error_line for item in found):
                break
            time.sleep(1)
        at_line = [item for item in found if item["range"]["start"]["line"] == error_line]
        check(any(item.get("severity") == 1 and "multiAz" in item.get("message", "") for item in at_line),
              f"a misspelt property is an error diagnostic at its line ({error_line + 1})", found)
    except (TimeoutError, EOFError, RuntimeError, LookupError) as error:
        check(False, "sourcekit-lsp answered", error)
    finally:
        server.close()
    print(f"sourcekit-lsp session: {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
    print(f"sourcekit-lsp editor test: {passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed else 0)
