#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""netprint learn on a capture built to order, whose hosts' stacks and
User-Agents are chosen: the lines it must propose (with the
generalisations p0f's own lines use), the split it must show, the line it
must not propose; then its lines added to a database make netprint (and
p0f 3.09b, for the TCP ones) name those hosts.

  learn_check.py NETPRINT P0F.FP TLS.FP
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import json

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "tls"))
import ja4_spec  # noqa: E402
import traffic as T  # noqa: E402
from tap import check, finish  # noqa: E402

UA_WIN10 = T.UA["windows"]
UA_ANDROID = T.UA["android"]
UA_FIREFOX_LINUX = T.UA["linux"]

# Android phones: a Linux stack p0f.fp names only generically, two windows.
ANDROID = T.Stack(64, 65535, 9, ("mss", "sok", "ts", "nop", "ws"))
ANDROID_B = ANDROID.with_(window=60000)
# A Mac-like stack p0f.fp names only generically ("Mac OS X").
MACISH = T.Stack(64, 65535, 5, ("mss", "nop", "ws", "nop", "nop", "ts", "sok", "eol"))
# Stacks nobody's evidence agrees on, or nobody speaks for.
SPLIT = T.ODD
SILENT = T.Stack(64, 4444, 2, ("mss", "nop", "nop", "ws", "sok", "ts"))
# One shape two families share, split by window: the Windows side seen at
# two MSSs, which its line leaves open ("*"), once.
SHARED = T.Stack(128, 5000, 4, ("mss", "nop", "ws", "nop", "nop", "sok"))


def hello(ciphers, sni):
    h = ja4_spec.spec_example_hello()
    h["ciphers"] = ciphers
    h["sni"] = sni
    return h


FIREFOX_HELLO = hello([0x1301, 0x1303, 0x1302, 0xc02b, 0xc02f, 0xcca9], b"www.example.org")
UPDATE_HELLO = hello([0x1302, 0x1301, 0xc02c], b"fe2.update.microsoft.com")


def build(path):
    t = T.Traffic()
    for i in range(1, 4):        # Windows 10 at MSS 1460: a window of mss*44
        t.conv("10.1.0.%d" % i, T.WIN_10, ua=UA_WIN10)
    # the same 64240 bytes at MSS 1400: still "mss*44" to p0f, whose divisors
    # include 1460 (an Ethernet MTU's) whatever the MSS
    t.conv("10.1.0.4", T.WIN_10.with_(mss=1400), ua=UA_WIN10)
    t.conv("10.2.0.1", ANDROID, ua=UA_ANDROID)
    t.conv("10.2.0.1", ANDROID, ua=UA_ANDROID)    # a host's second flow
    t.conv("10.2.0.2", ANDROID, ua=UA_ANDROID)
    t.conv("10.2.0.3", ANDROID_B, ua=UA_ANDROID)
    t.conv("10.3.0.1", SPLIT, ua=UA_WIN10)
    t.conv("10.3.0.2", SPLIT, ua=T.UA["linux"])
    for i in range(1, 4):
        t.conv("10.4.0.%d" % i, MACISH, ua=T.UA["macos"])
    t.conv("10.4.0.4", MACISH, ua=T.UA["ios"])
    t.conv("10.5.0.1", SILENT)
    t.conv("10.8.0.1", SHARED, ua=UA_WIN10)
    t.conv("10.8.0.2", SHARED.with_(mss=1400), ua=UA_WIN10)
    t.conv("10.8.0.3", SHARED.with_(window=7000), ua=T.UA["linux"])
    for i in (1, 2):             # Firefox on Linux: its TLS, and its User-Agent
        t.conv("10.6.0.%d" % i, T.LINUX_311, hello=FIREFOX_HELLO)
        t.conv("10.6.0.%d" % i, T.LINUX_311, ua=UA_FIREFOX_LINUX)
    t.conv("10.7.0.1", T.LINUX_311, hello=UPDATE_HELLO)
    t.write(path)


def blocks(text):
    """The proposals: [(section, comments, {label, sys, sig})]; a block
    without a label is a split shown without a line."""
    out, section = [], None
    for chunk in re.split(r"\n\s*\n", text):
        lines = chunk.strip().splitlines()
        for ln in lines:
            if ln.startswith("["):
                section = ln.strip()
        fields = {}
        for ln in lines:
            m = re.match(r"(label|sys|sig)\s*=\s*(.*)$", ln)
            if m:
                fields[m.group(1)] = m.group(2).strip()
        comments = [ln for ln in lines if ln.startswith(";")]
        if fields or any("no line" in c for c in comments):
            out.append((section, comments, fields))
    return out


def find(props, sig):
    return [p for p in props if p[2].get("sig") == sig or any(c == "; sig   = " + sig
                                                              for c in p[1])]


def learned_part(text, sections):
    """The output's lines of the given sections, as a database fragment."""
    keep, out = False, []
    for ln in text.splitlines():
        if ln.startswith("["):
            keep = ln.strip() in sections
        if keep:
            out.append(ln)
    return "\n".join(out) + "\n"


def main():
    netprint, fp, tls_fp = sys.argv[1:4]
    tmp = tempfile.mkdtemp(prefix="np-learn-")
    cap = os.path.join(tmp, "built.pcap")
    build(cap)

    p = subprocess.run([netprint, "learn", "-r", cap], capture_output=True, text=True,
                       timeout=120)
    check(p.returncode == 0, "learn exits 0 (%s)" % p.stderr.strip()[:200])
    out = p.stdout
    props = blocks(out)

    win = find(props, "4:128:0:*:mss*44,8:mss,nop,ws,nop,nop,sok:df,id+:0")
    check(len(win) == 1 and win[0][0] == "[tcp:request]"
          and win[0][2].get("label") == "s:win:Windows:10 or 11",
          "Windows 10: one line for the four, IPv4 only, any MSS: %s"
          % (win[0][2] if win else None))
    check(win and any("4 hosts, 4 flows; Windows 4 of 4 (100%)" in c for c in win[0][1]),
          "its comment counts 4 hosts, all Windows")
    check(win and any('generic "Windows NT kernel" 4' in c for c in win[0][1]),
          "its comment says what the database says now")
    check(win and any(c.startswith("; e.g. %s: 10.1.0." % cap) and UA_WIN10[:40] in c
                      for c in win[0][1]), "its comment shows example flows with User-Agents")

    android = find(props, "4:64:0:*:*,9:mss,sok,ts,nop,ws:df,id+:0")
    check(len(android) == 1 and android[0][2].get("label") == "s:unix:Linux:(Android 14)",
          "Android: one line, '*' for the windows that vary, the version its User-Agents "
          "give: %s" % (android[0][2] if android else None))
    check(android and any(c.startswith("; 3 hosts, 4 flows; Android 3 of 3 (100%)")
                          for c in android[0][1])
          and any(c == '; the database now: generic "Linux 2.2.x-3.x" 4' for c in android[0][1]),
          "a host's two flows: one host, two flows")

    split = find(props, "4:64:0:*:5555,3:mss,nop,nop,ws,sok,ts,eol+2:df,id+:0")
    check(not split or "label" not in split[0][2],
          "hosts that disagree (Windows, Linux) get no line")
    split = [p for p in props if any("5555,3" in c for c in p[1])]
    check(split and any("no line" in c for c in split[0][1])
          and any("Windows 1 of 2 (50%), Linux 1" in c for c in split[0][1]),
          "... and their split is shown")

    mac = find(props, "4:64:0:*:65535,5:mss,nop,ws,nop,nop,ts,sok,eol+1:df,id+:0")
    check(len(mac) == 1 and mac[0][2].get("label") == "s:unix:Mac OS X:10.15 or newer"
          and any("macOS 3 of 4 (75%), iOS 1" in c for c in mac[0][1]),
          "three Macs and an iPhone: a Mac OS X line, with its split: %s"
          % ((mac[0],) if mac else None))

    check("4444" not in "".join(p[2].get("sig", "") for p in props),
          "a stack only a silent host showed gets no line")

    shared = [p for p in props if "5000,4" in p[2].get("sig", "")]
    check(len(shared) == 1 and shared[0][2]["sig"] ==
          "4:128:0:*:5000,4:mss,nop,ws,nop,nop,sok:df,id+:0" and
          shared[0][2]["label"] == "s:win:Windows:10 or 11",
          "a shape Windows and Linux share: split by window, the Windows side one line "
          "whatever its MSS (%s)" % [p[2] for p in shared])
    other = [p for p in props if "7000,4" in p[2].get("sig", "")]
    check(len(other) == 1 and other[0][2]["label"] == "s:unix:Linux:",
          "... and the Linux side its own (%s)" % [p[2] for p in other])

    ja4_ff = ja4_spec.client_fingerprints(FIREFOX_HELLO)["ja4"]
    ja4_up = ja4_spec.client_fingerprints(UPDATE_HELLO)["ja4"]
    ff = find(props, ja4_ff)
    check(len(ff) == 1 and ff[0][0] == "[tls:client]" and ff[0][2].get("label") ==
          "s:!:Firefox:" and ff[0][2].get("sys") == "Linux",
          "a JA4 two Firefox-on-Linux hosts showed: a Firefox line for Linux (%s)"
          % (ff[0][2] if ff else None))
    up = find(props, ja4_up)
    check(len(up) == 1 and up[0][2].get("label") == "s:win:Windows:update client",
          "a JA4 that reached Windows Update: Windows' own client (%s)"
          % (up[0][2] if up else None))
    m = re.search(r"; (\d+) lines? proposed", out)
    check(m and int(m.group(1)) == 7, "7 lines proposed in all (%s)" % (m and m.group(1)))

    p = subprocess.run([netprint, "learn", "--min-hosts", "2", "-r", cap], capture_output=True,
                       text=True, timeout=120)
    props2 = blocks(p.stdout)
    check(p.returncode == 0 and find(props2, ja4_ff) and not find(props2, ja4_up),
          "--min-hosts 2: the one-host line goes, the two-host ones stay")

    # The TCP lines, added to p0f.fp, name the hosts: in netprint and in p0f.
    learned_fp = os.path.join(tmp, "learned.fp")
    with open(fp) as f, open(learned_fp, "w") as g:
        g.write(f.read() + "\n" + learned_part(out, ("[tcp:request]", "[tcp:response]")))
    learned_tls = os.path.join(tmp, "learned_tls.fp")
    with open(tls_fp) as f, open(learned_tls, "w") as g:
        g.write(f.read() + "\n" + learned_part(out, ("[tls:client]",)))
    p = subprocess.run([netprint, "-r", cap, "-f", learned_fp, "-f", learned_tls, "--json", "-"],
                       capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, "netprint loads the database with all the learned lines%s"
          % ("" if p.returncode == 0 else ": " + p.stderr.strip()[-200:]))
    named = {}

    def label(o):
        return o and (o["name"] + (" " + o["flavor"] if o.get("flavor") else ""), o["match"])
    for ln in p.stdout.splitlines():
        r = json.loads(ln)
        if r.get("mod") == "syn":
            named[r["client"]["ip"]] = label(r.get("os")) or (None,)
        if r.get("mod") == "tls client":
            named["tls " + r["client"]["ip"]] = label(r.get("app") or r.get("os")) or (None,)
    check(all(named.get("10.1.0.%d" % i) == ("Windows 10 or 11", "exact") for i in range(1, 5)),
          "netprint now names the Windows 10 hosts 'Windows 10 or 11' %s"
          % [named.get("10.1.0.%d" % i) for i in range(1, 5)])
    check(all(named.get("10.2.0.%d" % i) == ("Linux (Android 14)", "exact") for i in (1, 2, 3)),
          "... the Android phones 'Linux (Android 14)'")
    check(named.get("10.5.0.1", (None,))[0] is None, "... and the silent host still nothing")
    check(named.get("tls 10.6.0.1", (None,))[0] == "Firefox",
          "its TLS lines, added to tls.fp, name the Firefox hellos (%s)"
          % (named.get("tls 10.6.0.1"),))

    p0f = shutil.which("p0f") or ("/usr/sbin/p0f" if os.path.exists("/usr/sbin/p0f") else None)
    if p0f:
        log = os.path.join(tmp, "p0f.log")
        p = subprocess.run([p0f, "-r", cap, "-f", learned_fp, "-o", log], capture_output=True,
                           text=True, timeout=120)
        text = open(log).read() if os.path.exists(log) else ""
        check(p.returncode == 0 and re.search(r"cli=10\.1\.0\.1/\d+\|.*os=Windows 10 or 11\|",
                                              text) is not None,
              "p0f 3.09b loads the learned lines too, and names the Windows 10 hosts by them")
    else:
        print("# p0f is not installed: its check is skipped")

    # Many flows of few hosts (past the point where alike entries are merged
    # as they come): counted whole, each host once.
    big = os.path.join(tmp, "big.pcap")
    t = T.Traffic()
    for i in range(1, 11):
        t.conv("10.9.0.%d" % i, SILENT, ua=UA_WIN10)
        t.syns("10.9.0.%d" % i, SILENT, 7000)
    t.write(big)
    p = subprocess.run([netprint, "learn", "-r", big], capture_output=True, text=True, timeout=300)
    flood = [b for b in blocks(p.stdout) if "4444,2" in b[2].get("sig", "")]
    check(p.returncode == 0 and len(flood) == 1 and any(
        c.startswith("; 10 hosts, 70010 flows; Windows 10 of 10 (100%)") for c in flood[0][1]),
        "70,010 SYNs of 10 hosts: one line, 10 hosts, every flow counted (%s)"
        % (flood[0][1][:1] if flood else p.stderr[-200:]))

    empty = os.path.join(tmp, "empty.pcap")
    T.Traffic().write(empty)
    p = subprocess.run([netprint, "learn", "-r", empty], capture_output=True, text=True,
                       timeout=60)
    check(p.returncode == 0 and "; 0 lines proposed" in p.stdout,
          "a capture with nothing: no line, exit 0")

    p = subprocess.run([netprint, "learn"], capture_output=True, text=True, timeout=60)
    check(p.returncode == 2 and "usage" in p.stderr, "no capture: usage, exit 2")
    p = subprocess.run([netprint, "learn", "--min-hosts", "0", "-r", cap], capture_output=True,
                       text=True, timeout=60)
    check(p.returncode == 2, "--min-hosts 0: exit 2")
    shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
