#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""libnetprint exports netprint.h and nothing else.

  symbols_check.py LIBNETPRINT.so LIBNETPRINT.a NETPRINT.h

Lists the shared library's exported symbols (nm -D) and fails on any that
the public header does not declare, and on any function the header
declares that the shared or the static library does not define. TAP output.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402


def header_functions(path):
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)		# comments
    text = re.sub(r"^\s*#.*$", " ", text, flags=re.M)		# preprocessor lines
    # a declaration: a name followed by "(" at file scope, not a pointer to one
    return set(re.findall(r"\b(np_[a-z0-9_]+)\s*\(", text)) - \
        set(re.findall(r"\(\s*\*\s*(np_[a-z0-9_]+)\s*\)", text))


def defined(path, dynamic):
    out = subprocess.run(["nm", "-D" if dynamic else "-g", "--defined-only", path],
                         capture_output=True, text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2].split("@")[0]] = parts[1]
    return syms


def main():
    so, ar, header = sys.argv[1:4]
    public = header_functions(header)
    check(len(public) >= 20, "netprint.h declares %d functions" % len(public))
    exported = defined(so, True)
    extra = sorted(s for s, kind in exported.items() if s not in public and kind != "A")
    check(not extra, "the shared library exports only netprint.h's functions%s" %
          (": not in the header: " + " ".join(extra[:20]) if extra else ""))
    missing = sorted(s for s in public if exported.get(s) != "T")
    check(not missing, "every function of netprint.h is in the shared library%s" %
          (": missing " + " ".join(missing) if missing else ""))
    versions = [s for s, kind in exported.items() if kind == "A"]
    check(versions == ["NETPRINT_0"], "one symbol version, NETPRINT_0 (%s)" % " ".join(versions))
    static = defined(ar, False)
    missing = sorted(s for s in public if static.get(s) != "T")
    check(not missing, "every function of netprint.h is in the static library%s" %
          (": missing " + " ".join(missing) if missing else ""))
    soname = subprocess.run(["readelf", "-d", so], capture_output=True, text=True).stdout
    check("Library soname: [libnetprint.so.0]" in soname, "SONAME libnetprint.so.0")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
