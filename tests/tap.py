# SPDX-License-Identifier: MIT
"""TAP output for the Python tests: one "ok N - what" line per check."""

_n = 0
_failed = 0


def check(ok, desc):
    """Record one result; returns ok."""
    global _n, _failed
    _n += 1
    print(("ok %d - %s" if ok else "not ok %d - %s") % (_n, desc), flush=True)
    _failed += not ok
    return ok


def finish():
    """Print the plan; the exit status for the test."""
    print("1..%d" % _n)
    return 1 if _failed else 0
