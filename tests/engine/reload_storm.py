#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hot reload under traffic: hundreds of reloads, good and bad databases.

  reload_storm.py NETPRINT DB TLS_DB CAPTURE [RELOADS]

netprint replays CAPTURE endlessly (net_pcap infinite_rx, EAL arguments
before "--"), while this script rewrites its two -f databases (p0f's and
the TLS one: a reload reads them all), alternately valid and broken (the
one or the other), and sends SIGHUP (every tenth time it asks through the
API socket instead); last, the database is replaced by a FIFO (refused at
once) and restored. Each reload must be reported (a new generation, or
"reload failed" with FILE:LINE of the broken file and the old generation
kept); at the end,
after SIGTERM, netprint must exit 0 with every packet accounted for in its
counters and the generation equal to 1 + the good reloads. Every other
good database renames its labels (a "~" after each): records travel with
database ids and the logger writes them with the names of their own
generation, so the log must hold names of both kinds and nothing else. Run under
ASan/UBSan by the test command, this also shows no crash and no leak.
TAP output.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402
import time



def wait_for(path, pattern, count, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if len(re.findall(pattern, open(path, errors="replace").read())) >= count:
            return True
        time.sleep(0.002)
    return False


def main():
    np, db, tls_db, cap = sys.argv[1:5]
    reloads = int(sys.argv[5]) if len(sys.argv) > 5 else 200
    good = open(db, "rb").read()
    renamed_label = re.compile(rb"^(label\s*=\s*[sg]:[^:\n]*:[^:\n]*:)(.*)$", re.M)
    bad = good + b"\n[tcp:request]\nlabel = s:unix:Broken:1\nsig = 4:64:0:*:mss*20,7:mss:df:\n"
    tls_good = open(tls_db, "rb").read()
    labels = set()
    for text in (good, tls_good):
        for m in renamed_label.finditer(text):
            name, flavor = m.group(1).split(b":")[2], m.group(2).strip()
            labels.add((name + (b" " + flavor if flavor else b"")).decode())
    # ... and moves every label's index by one: a record written with the
    # wrong generation's names would show another label for its signature
    renamed = renamed_label.sub(rb"\1\2~", good).replace(
        b"[tcp:request]\n", b"[tcp:request]\n\nlabel = s:unix:Never:matched\nsig = 4:1:0:1:1,0:mss::0\n\n", 1)
    tls_renamed = renamed_label.sub(rb"\1\2~", tls_good)
    tls_bad = tls_good.replace(b"[tls:server]", b"[tls:server]\nlabel = s:!:X:\nsys = @unix\nsig = nope\n")
    with tempfile.TemporaryDirectory() as tmp:
        fp, tls_fp, sock, err, log = (os.path.join(tmp, x)
                                      for x in ("p0f.fp", "tls.fp", "api.sock", "err", "log"))
        open(fp, "wb").write(good)
        open(tls_fp, "wb").write(tls_good)
        errf = open(err, "w")
        proc = subprocess.Popen(
            [np, "--no-huge", "-m", "512", "--no-pci", "--no-shconf", "--log-level=*:error",
             "--file-prefix", "npstorm%d" % os.getpid(), "-l", "0-1", "--vdev=net_pcap0,rx_pcap=%s,infinite_rx=1" % cap,
             "--", "-f", fp, "-f", tls_fp, "-s", sock, "-o", log],
            stdout=subprocess.DEVNULL, stderr=errf)
        try:
            check(wait_for(err, r"link up", 1, 30), "netprint starts and replays")
            api = None
            events = r"database generation \d+ loaded|reload failed"
            ok_msgs = fail_msgs = 0
            bad_files = {"p0f.fp": 0, "tls.fp": 0}
            for i in range(reloads):
                # odd reloads break one file: p0f's, or every fourth the TLS one
                broken = "tls.fp" if i % 4 == 3 else "p0f.fp" if i % 2 else None
                rename = i % 4 == 2   # every other good reload
                for path, ok_text, bad_text, name in (
                        (fp, renamed if rename else good, bad, "p0f.fp"),
                        (tls_fp, tls_renamed if rename else tls_good, tls_bad, "tls.fp")):
                    tmp_fp = path + ".new"
                    open(tmp_fp, "wb").write(bad_text if broken == name else ok_text)
                    os.rename(tmp_fp, path)
                if broken:
                    bad_files[broken] += 1
                if i % 10 == 9:
                    if api is None:
                        api = socket.socket(socket.AF_UNIX)
                        api.connect(sock)
                        apif = api.makefile("rwb")
                    apif.write(b'{"cmd":"reload"}\n')
                    apif.flush()
                    if json.loads(apif.readline()).get("reload") != "requested":
                        check(False, "the API accepts a reload command")
                        break
                else:
                    proc.send_signal(signal.SIGHUP)
                if not wait_for(err, events, i + 1):
                    check(False, "reload %d was reported" % (i + 1))
                    break
                if i % 2:
                    fail_msgs += 1
                else:
                    ok_msgs += 1
            # The database replaced by a FIFO: refused at once, not waited on.
            os.unlink(fp)
            os.mkfifo(fp)
            proc.send_signal(signal.SIGHUP)
            n_events = ok_msgs + fail_msgs
            check(wait_for(err, events, n_events + 1) and
                  re.search(r"reload failed, keeping database generation \d+: .*p0f.fp: not a "
                            r"regular file", open(err, errors="replace").read()),
                  "a FIFO in the database's place is refused, not waited on")
            fail_msgs += 1
            os.unlink(fp)
            open(fp, "wb").write(good)
            open(tls_fp, "wb").write(tls_good)
            proc.send_signal(signal.SIGHUP)
            check(wait_for(err, events, n_events + 2), "the next reload is served")
            ok_msgs += 1
            text = open(err, errors="replace").read()
            for name, n in bad_files.items():
                check(len(re.findall(r"reload failed, keeping database generation \d+: .*%s:\d+: "
                                     % re.escape(name), text)) == n,
                      "%d broken %s refused with FILE:LINE, the old database kept" % (n, name))
            check(len(re.findall(r"database generation \d+ loaded", text)) == ok_msgs,
                  "%d good databases loaded" % ok_msgs)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                rc = proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = -1
        text = open(err, errors="replace").read()
        check(rc == 0, "SIGTERM stops netprint cleanly (exit %s)" % rc)
        m = re.search(r"database generation +(\d+) \(reloads (\d+), failed (\d+)\)", text)
        check(m and int(m.group(2)) == ok_msgs and int(m.group(3)) == fail_msgs and
              int(m.group(1)) == 1 + ok_msgs,
              "final counters: generation 1 + %d, %d reloads, %d failed" % (ok_msgs, ok_msgs, fail_msgs))

        check("records of a released database" not in text,
              "every record found the database of its generation")
        seen = {"plain": 0, "renamed": 0, "foreign": []}
        names_of_sig = {}
        for m in re.finditer(r"\bmod=syn\|.*?\|os=([^|]*)\|.*?\|raw_sig=([^|\n]*)",
                             open(log, errors="replace").read()):
            names_of_sig.setdefault(m.group(2), set()).add(m.group(1).rstrip("~").rstrip())
        mixed = [(sig, sorted(n)) for sig, n in names_of_sig.items() if len(n) > 1]
        check(names_of_sig and not mixed,
              "each SYN signature keeps its label across generations (%d signatures; mixed: %s)"
              % (len(names_of_sig), mixed[:3]))
        for m in re.finditer(r"\|(?:os|app)=([^|]*)\|", open(log, errors="replace").read()):
            name = m.group(1)
            if name == "???":
                continue
            if name in labels:
                seen["plain"] += 1
            elif name.endswith("~") and name[:-1].rstrip() in labels:
                seen["renamed"] += 1
            elif len(seen["foreign"]) < 5:
                seen["foreign"].append(name)
        print("# labels written: %d as loaded first, %d renamed" % (seen["plain"], seen["renamed"]))
        check(seen["plain"] > 0 and seen["renamed"] > 0 and not seen["foreign"],
              "records are written with their own generation's names (both seen, no other: %s)"
              % seen["foreign"])

        def counter(name):
            m = re.search(r"netprint:   %s +(\d+)" % re.escape(name), text)
            return int(m.group(1)) if m else 0
        read = counter("packets read")
        skipped = sum(int(x) for x in re.findall(r"netprint:   skipped: [^\n]*?(\d+)\n", text))
        parsed = counter("TCP packets parsed") + counter("UDP datagrams parsed")
        print("# %d packets read during %d reloads (%d parsed, %d skipped)" % (read, reloads, parsed, skipped))
        check(read > 0 and read == parsed + skipped, "every packet is counted: parsed or skipped by reason")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
