#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""netprint report on a capture built to order: hosts whose SYNs p0f.fp
names rightly, wrongly (an Android phone named Linux, a host reaching
Windows Update named Linux), generically, or not at all; hosts with no
evidence, split evidence, or a User-Agent naming no OS; one host seen
twice. The counts are those of the construction, per database: p0f.fp
alone, and p0f.fp with a file that names two more of the stacks (one of
them wrongly).

  report_check.py NETPRINT P0F.FP TLS.FP
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "tls"))
import ja4_spec  # noqa: E402
import traffic as T  # noqa: E402
from tap import check, finish  # noqa: E402

EXTRA = """\
; names two stacks p0f.fp does not: one rightly, one wrongly
[tcp:request]
label = s:win:Windows:10 or 11 (test)
sig   = *:128:0:*:64240,8:mss,nop,ws,nop,nop,sok:df,id+:0
label = s:unix:Linux:odd (test)
sig   = *:64:0:*:5555,3:mss,nop,nop,ws,sok,ts,eol+2:df,id+:0
"""


def update_hello():
    h = ja4_spec.spec_example_hello()
    h["sni"] = b"fe2.update.microsoft.com"
    return h


def build(path):
    t = T.Traffic()
    t.conv("10.0.0.1", T.WIN_7, ua=T.UA["windows"])        # right
    t.conv("10.0.0.2", T.LINUX_311, ua=T.UA["android"])    # wrong: Android named Linux
    t.conv("10.0.0.3", T.LINUX_311)                        # unknown: no evidence
    t.conv("10.0.0.4", T.ODD, ua=T.UA["windows"])          # unnamed (p0f.fp)
    t.conv("10.0.0.5", T.WIN_10, ua=T.UA["windows"])       # generic, right
    t.conv("10.0.0.6", T.LINUX_26, ua=T.UA["linux"])       # split: unknown
    t.conv("10.0.0.6", T.LINUX_26, ua=T.UA["ios"])
    t.conv("10.0.0.7", T.LINUX_26, ua=T.UA["curl"])        # a UA naming no OS: unknown
    t.conv("10.0.0.8", T.WIN_7, ua=T.UA["windows"])        # twice, counted once: right
    t.conv("10.0.0.8", T.WIN_7, ua=T.UA["windows"])
    t.conv("10.0.0.9", T.LINUX_311, hello=update_hello())  # wrong: Windows Update named Linux
    t.write(path)


def run(netprint, *args):
    p = subprocess.run([netprint, "report"] + list(args), capture_output=True, text=True,
                       timeout=120)
    return p.returncode, p.stdout, p.stderr


def main():
    netprint, fp, tls_fp = sys.argv[1:4]
    tmp = tempfile.mkdtemp(prefix="np-report-")
    cap = os.path.join(tmp, "built.pcap")
    extra = os.path.join(tmp, "extra.fp")
    build(cap)
    with open(extra, "w") as f:
        f.write(EXTRA)
    p0f_db, more_db = "%s,%s" % (fp, tls_fp), "%s,%s,%s" % (fp, extra, tls_fp)

    rc, out, err = run(netprint, "--json", "--db", p0f_db, "--db", more_db, cap)
    check(rc == 0, "report --json exits 0 (%d: %s)" % (rc, err.strip()[:200]))
    try:
        rep = json.loads(out)
    except ValueError:
        rep = None
    check(rep is not None, "the output is one JSON object")
    if rep is None:
        return finish()
    check(rep["captures"]["read"] == 1 and rep["captures"]["skipped"] == 0, "one capture read")
    one, two = rep["databases"]
    check(one["files"] == [fp, tls_fp] and two["files"] == [fp, extra, tls_fp],
          "each column names its files")

    syn = one["kinds"]["syn"]
    check(syn["records"] == 11, "p0f.fp: 11 SYN records (%d)" % syn["records"])
    check(syn["unnamed"] == 1, "p0f.fp: the odd stack unnamed (%d)" % syn["unnamed"])
    check(syn["generic"] == 1 and syn["fuzzy"] == 0,
          "p0f.fp: Windows 10 named generically only (%d, %d)" % (syn["generic"], syn["fuzzy"]))
    a = one["agreement"]["syn"]
    check((a["right"], a["wrong"], a["unknown"]) == (3, 2, 3),
          "p0f.fp: right 3 (Windows 7 twice counted once, NT kernel), wrong 2, unknown 3 "
          "(none, split, curl): %s" % a)
    check(one["agreement"]["all"] == {"right": 3, "wrong": 2, "unknown": 3},
          "p0f.fp: all kinds together the same (%s)" % one["agreement"]["all"])
    wrong = sorted((x["host"], x["declared"], x["label"], x["evidence"])
                   for x in one["answers"] if x["verdict"] == "wrong")
    check(wrong == [("10.0.0.2", "Android", "Linux 3.11 and newer", T.UA["android"]),
                    ("10.0.0.9", "Windows", "Linux 3.11 and newer", "fe2.update.microsoft.com")],
          "p0f.fp: the wrong answers, with their evidence: %s" % wrong)
    right = sorted((x["host"], x["label"]) for x in one["answers"] if x["verdict"] == "right")
    check(right == [("10.0.0.1", "Windows 7 or 8"), ("10.0.0.5", "Windows NT kernel"),
                    ("10.0.0.8", "Windows 7 or 8")], "p0f.fp: the right answers: %s" % right)
    check(all(x["capture"] == cap for x in one["answers"]), "answers name their capture")
    check(one["labels"]["syn"].get("Windows 7 or 8") == 3 and
          one["labels"]["mtu"].get("Ethernet or modem") == 22,
          "records are counted per label (%s)" % one["labels"]["syn"])

    syn = two["kinds"]["syn"]
    check(syn["unnamed"] == 0 and syn["generic"] == 0,
          "with the extra file nothing is unnamed or generic (%s)" % syn)
    a = two["agreement"]["syn"]
    check((a["right"], a["wrong"], a["unknown"]) == (3, 3, 3),
          "with the extra file: Windows 10 still right, the odd stack wrong (%s)" % a)
    pairs = {(p["declared"], p["label"]): p["count"] for p in rep["wrong_pairs"]}
    check(pairs == {("Android", "Linux 3.11 and newer"): [1, 1],
                    ("Windows", "Linux 3.11 and newer"): [1, 1],
                    ("Windows", "Linux odd (test)"): [0, 1]},
          "wrong pairs, counted per database: %s" % pairs)
    tls = one["kinds"]["tls client"]
    check(tls["records"] == 1, "the ClientHello is a TLS record (%s)" % tls)

    rc, out, err = run(netprint, "--db", p0f_db, "--db", more_db, cap)
    check(rc == 0, "the text report exits 0")
    lines = out.splitlines()
    check(any(line.split()[:7] == ["Android", "named", "Linux", "3.11", "and", "newer", "1"]
              and line.split()[-2:] == ["1", "1"] for line in lines),
          "the text lists 'Android named Linux 3.11 and newer' in both columns")
    check(any(line.split() == ["syn", "right", "3", "3"] for line in lines),
          "the text puts the columns side by side")

    rc, out, err = run(netprint, cap)
    check(rc == 0 and fp.split("/")[-1] in out, "without --db: netprint's own databases")

    latin1 = os.path.join(os.fsencode(tmp), b"caf\xe9.pcap")   # not UTF-8
    shutil.copy(cap, latin1)
    p = subprocess.run([os.fsencode(netprint), b"report", b"--json", latin1],
                       capture_output=True, timeout=120)
    check(p.returncode == 1 and b"not UTF-8" in p.stderr and not p.stdout,
          "a capture name JSON cannot hold: --json says so and exits 1, writes nothing")
    p = subprocess.run([os.fsencode(netprint), b"report", latin1], capture_output=True,
                       timeout=120)
    check(p.returncode == 0 and b"Android" in p.stdout, "... the text report reads it")

    # Many records of few hosts (past the point where answers are merged
    # as they come): each host still counted once.
    big = os.path.join(tmp, "big.pcap")
    t = T.Traffic()
    for i in range(1, 11):
        t.conv("10.9.0.%d" % i, T.WIN_7, ua=T.UA["windows"])
        t.syns("10.9.0.%d" % i, T.WIN_7, 7000)
    t.write(big)
    rc, out, err = run(netprint, "--json", big)
    rep = json.loads(out) if rc == 0 else None
    check(rep and rep["databases"][0]["kinds"]["syn"]["records"] == 70010
          and rep["databases"][0]["agreement"]["syn"] == {"right": 10, "wrong": 0, "unknown": 0},
          "70,010 SYNs of 10 Windows hosts: 10 right answers (%s)"
          % ((rep and (rep["databases"][0]["kinds"]["syn"],
                       rep["databases"][0]["agreement"]["syn"])),))

    empty = os.path.join(tmp, "empty.pcap")
    T.Traffic().write(empty)
    rc, out, err = run(netprint, "--json", empty, cap)
    rep = json.loads(out) if rc == 0 else None
    check(rep and rep["captures"]["read"] == 2 and
          rep["databases"][0]["agreement"]["syn"]["right"] == 3,
          "a capture with nothing to answer, then one: read, the other's answers as before")

    rc, out, err = run(netprint, os.path.join(tmp, "missing.pcap"))
    check(rc == 1 and "missing.pcap" in err, "a capture that cannot be read: exit 1, named")
    bad = os.path.join(tmp, "bad.fp")
    with open(bad, "w") as f:
        f.write("[tcp:request]\nlabel = s:unix:Linux:x\nsig = nonsense\n")
    rc, out, err = run(netprint, "--db", "%s,%s" % (fp, bad), cap)
    check(rc == 1 and "bad.fp:3:" in err, "a bad database line: exit 1, FILE:LINE (%s)"
          % err.strip()[:200])
    rc, out, err = run(netprint)
    check(rc == 2 and "usage" in err, "no capture: usage, exit 2")
    rc, out, err = run(netprint, "--bogus", cap)
    check(rc == 2, "an unknown option: exit 2")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
