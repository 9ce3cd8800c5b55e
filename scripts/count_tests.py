#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Sum meson test results into one line "N passed, N failed".

A TAP test (one that prints a plan) counts each of its "ok" / "not ok" lines; any other test counts
once. A test that did not pass but reported no failing TAP line counts as
one failure, so a crash can never hide.
"""
import json
import re
import sys

passed = failed = 0
for path in sys.argv[1:]:
    try:
        lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    except OSError as e:
        print(f"count_tests: {path}: {e}", file=sys.stderr)
        failed += 1
        continue
    for line in lines:
        t = json.loads(line)
        ok = t["result"] in ("OK", "EXPECTEDFAIL", "SKIP")
        out = t.get("stdout") or ""
        if re.search(r"^1\.\.\d+", out, re.M):  # a TAP plan
            p = len(re.findall(r"^ok ", out, re.M))
            f = len(re.findall(r"^not ok ", out, re.M))
            if not ok and f == 0:
                f = 1
            passed += p
            failed += f
        elif ok:
            passed += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
