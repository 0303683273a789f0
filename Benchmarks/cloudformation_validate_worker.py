"""AWS's cloudformation-validate in-process, for `make bench` (bench.py runs this file with the
Python of its virtualenv, .build/oracles/cloudformation-validate): the engine is built once,
then each request on standard input is timed inside this process, so that what is measured
is the validation alone, as a service or an editor that keeps the engine loaded meets it.

Requests, one JSON list a line; one JSON answer a line:
    ["validate", PATH, RUNS]    -> {"seconds": [each validation's wall time], "diagnostics": N}
    ["corpus", [PATH, ...]]     -> {"seconds": total wall time, "files": N, "diagnostics": N}
The first answer, before any request, is {"version": V, "engine": NAME, "build_seconds": S}.
"""
import json
import sys
import time

import cloudformation_validate as validate

started = time.perf_counter()
# CompositeEngine: the package's default selector and its README's quick start.
engine = validate.CompositeEngine()
built = time.perf_counter() - started
config = validate.ValidateConfig(detail_level=validate.DetailLevel.STANDARD)
print(json.dumps({"version": validate.version(), "engine": "CompositeEngine", "build_seconds": built}), flush=True)

for line in sys.stdin:
    request = json.loads(line)
    if request[0] == "validate":
        seconds, count = [], 0
        for _ in range(request[2]):
            begin = time.perf_counter()
            count = len(engine.validate_template(request[1], config).diagnostics)
            seconds.append(time.perf_counter() - begin)
        print(json.dumps({"seconds": seconds, "diagnostics": count}), flush=True)
    elif request[0] == "corpus":
        count = 0
        begin = time.perf_counter()
        for path in request[1]:
            try:
                count += len(engine.validate_template(path, config).diagnostics)
            except Exception:  # a template it cannot read is reported, not a stop
                count += 1
        print(json.dumps({"seconds": time.perf_counter() - begin, "files": len(request[1]), "diagnostics": count}), flush=True)
