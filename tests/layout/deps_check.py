#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The dependency rule of netprint's folders (README, "Layout"): each folder
includes only its own headers, those of the folders its row allows, and
system headers of the libraries its row allows. Prints one line per
violation (FILE:LINE: what) and exits 1 if there is any.

  deps_check.py SOURCE_ROOT
  deps_check.py --self-test    (the rule is caught breaking on a made-up tree)
"""
import os
import re
import sys

# folder: (folders whose headers it may include, libraries it may use)
RULES = {
    "include": ([], []),
    "parsers": ([], ["libcrypto"]),
    "db": (["parsers"], []),
    "matcher": (["db", "parsers"], ["libcrypto"]),
    "core": (["include", "matcher", "db", "parsers"], ["libpcap"]),
    "output": (["include", "core", "matcher", "db", "parsers"],
               ["jansson", "libmicrohttpd", "libnats"]),
    "lib": (["include", "output", "core", "matcher", "db", "parsers"], []),
    "collector": (["include", "lib", "output", "core", "matcher", "db", "parsers"],
                  ["jansson", "libnats"]),
    "dbtools": (["include", "lib", "matcher", "db", "parsers"], ["jansson"]),
    "engine": (["include", "lib", "collector", "dbtools", "output", "core", "matcher", "db", "parsers"],
               ["dpdk", "liburcu", "libpcap", "jansson", "libcrypto"]),
    "examples": (["include"], []),
}

# System headers that belong to a library rather than to libc / POSIX.
LIBRARIES = [
    (re.compile(r"^(rte_|generic/rte_)"), "dpdk"),
    (re.compile(r"^urcu"), "liburcu"),
    (re.compile(r"^pcap"), "libpcap"),
    (re.compile(r"^jansson"), "jansson"),
    (re.compile(r"^openssl/"), "libcrypto"),
    (re.compile(r"^microhttpd"), "libmicrohttpd"),
    (re.compile(r"^nats/"), "libnats"),
    (re.compile(r"^criterion/"), "criterion"),
    (re.compile(r"^netprint\.h$"), "libnetprint"),
]

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def sources(root, folder):
    for dirpath, _, names in os.walk(os.path.join(root, folder)):
        for name in sorted(names):
            if name.endswith((".c", ".h")):
                yield os.path.join(dirpath, name)


def check(root):
    home = {}		# header name -> the folder that has it
    for folder in RULES:
        for path in sources(root, folder):
            if path.endswith(".h"):
                home.setdefault(os.path.basename(path), folder)
    bad = 0
    checked = 0
    for folder, (folders, libs) in RULES.items():
        for path in sources(root, folder):
            rel = os.path.relpath(path, root)
            with open(path, encoding="utf-8", errors="replace") as f:
                for no, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    checked += 1
                    quoted, name = m.group(1) == '"', m.group(2)
                    if quoted:
                        owner = home.get(os.path.basename(name))
                        if owner is None:
                            print(f"{rel}:{no}: includes \"{name}\", which no folder of the layout has")
                            bad += 1
                        elif owner != folder and owner not in folders:
                            print(f"{rel}:{no}: {folder}/ may not include {owner}/'s \"{name}\"")
                            bad += 1
                        continue
                    for pattern, lib in LIBRARIES:
                        if pattern.match(name):
                            if lib == "libnetprint" and folder == "examples":
                                break
                            if lib not in libs:
                                print(f"{rel}:{no}: {folder}/ may not use {lib} (<{name}>)")
                                bad += 1
                            break
    print(f"{checked} includes checked in {len(RULES)} folders, {bad} against the rule")
    return bad


def self_test():
    """A tree with one breach of each kind, and one of each kind allowed."""
    import tempfile
    files = {
        "parsers/p.h": "#include <stdint.h>\n",
        "db/d.h": '#include "p.h"\n',
        "core/c.h": '#include "d.h"\n#include <pcap/pcap.h>\n#include "netprint.h"\n',
        "include/netprint.h": "#include <stddef.h>\n",
        "output/o.h": "",
        "output/o.c": '#include "c.h"\n#include <jansson.h>\n',
        "engine/e.c": '#include "o.h"\n#include <rte_ring.h>\n',
        "examples/x.c": "#include <netprint.h>\n",
        # the breaches
        "parsers/bad.c": '#include "d.h"\n',			# a lower folder up
        "core/bad.c": "#include <rte_mbuf.h>\n#include <urcu.h>\n",	# DPDK, liburcu below engine/
        "matcher/bad.c": '#include "c.h"\n',			# the core from the matcher
        "include/bad.h": "#include <pcap.h>\n",			# a library type in the public header
        "examples/bad.c": '#include "c.h"\n',			# an example inside the tree
        "output/bad.c": '#include "nowhere.h"\n',			# a header of no folder
    }
    with tempfile.TemporaryDirectory() as root:
        for rel, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w") as f:
                f.write(text)
        found = check(root)
    want = 7
    print(f"self-test: {found} breaches found, {want} made")
    return found != want


def main():
    if sys.argv[1:] == ["--self-test"]:
        return 1 if self_test() else 0
    return 1 if check(sys.argv[1] if len(sys.argv) > 1 else ".") else 0


if __name__ == "__main__":
    sys.exit(main())
