#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""libnetprint as its users get it: installed, then built against.

  install_check.py BUILD_DIR SOURCE_DIR CAPTURE...

(the static build runs on the first three captures, host_query on the first
three, live_os_tls on the first)

Installs the build into a staging DESTDIR, checks that everything is there
(program, shared and static library, header, netprint.pc, databases, man
page), builds every program of examples/ against the staged copy only
(pkg-config pointed at it; no include path into the source or build tree),
one of them statically, and runs them:

- pcap_to_json on each CAPTURE writes what `netprint -r CAPTURE --json -`
  writes, byte for byte (both with the staged databases);
- host_query on the hosts of each CAPTURE answers what netprint's query
  API answers for them (`netprint -r CAPTURE -s SOCK`, JSON lines);
- live_os_tls on one end of a veth pair (root only) prints, for the frames
  sent into the other end, the OS of every SYN and the TLS client of every
  ClientHello that `netprint -r` finds in the same frames.

TAP output.
"""
import json
import os
import re
import shlex
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402
import pcapfile  # noqa: E402

EXAMPLES = ["pcap_to_json", "host_query", "live_os_tls"]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def find(root, name):
    """The file name under root (the program: the one in a bin/ directory)."""
    for dirpath, _, names in os.walk(root):
        if name in names and (name != "netprint" or os.path.basename(dirpath) == "bin"):
            return os.path.join(dirpath, name)
    return None


def staged(build, stage):
    r = run(["meson", "install", "-C", build, "--no-rebuild", "--quiet", "--destdir", stage])
    check(r.returncode == 0, "meson install --destdir into a staging directory" +
          ("" if r.returncode == 0 else ": " + r.stderr.strip()[-300:]))
    files = {n: find(stage, n) for n in ["netprint", "libnetprint.so.0", "libnetprint.so",
                                         "libnetprint.a", "netprint.h", "netprint.pc",
                                         "p0f.fp", "modern.fp", "tls.fp", "netprint.1"]}
    missing = [n for n, p in files.items() if not p]
    check(not missing, "installed: program, libnetprint.so.0 and .a, netprint.h, netprint.pc,"
          " the databases, netprint(1)" + (": missing " + " ".join(missing) if missing else ""))
    so = files["libnetprint.so"]
    check(so and os.path.islink(so) and os.readlink(so) == "libnetprint.so.0",
          "libnetprint.so -> libnetprint.so.0 (the SONAME)")
    inc = os.path.dirname(files["netprint.h"] or "")
    check(sorted(os.listdir(inc)) == ["netprint.h"] if inc else False,
          "netprint.h is the only header installed")
    return files


def pkg_flags(files, stage, source, build):
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(files["netprint.pc"]),
               PKG_CONFIG_SYSROOT_DIR=stage)
    flags = {}
    for what in ["--cflags", "--libs", "--print-requires-private"]:
        r = run(["pkg-config"] + what.split() + ["netprint"], env=env)
        flags[what] = shlex.split(r.stdout) if r.returncode == 0 else None
    ok = all(v is not None for v in flags.values())
    check(ok, "pkg-config --cflags --libs netprint, from the staging prefix")
    if not ok:
        return None
    trees = (os.path.realpath(source), os.path.realpath(build))
    into_tree = [f for f in flags["--cflags"] + flags["--libs"] if f[:2] in ("-I", "-L")
                 and os.path.realpath(f[2:]).startswith(trees)]
    # the libraries libnetprint.a needs beside it, linked as shared ones
    r = run(["pkg-config", "--libs"] + flags["--print-requires-private"], env=env)
    flags["private"] = shlex.split(r.stdout) + ["-lm"]
    check(not into_tree and "-lnetprint" in flags["--libs"],
          "its flags name the staged copy only%s" % (": " + " ".join(into_tree) if into_tree else ""))
    return flags


def readme_example(source):
    """The C program of README's "Use it as a library"."""
    text = open(os.path.join(source, "README.md")).read()
    start = text.index("```c\n", text.index("## Use it as a library")) + 5
    return text[start:text.index("```", start)]


def build_examples(source, files, flags, work):
    libdir = os.path.dirname(files["libnetprint.so.0"])
    progs = {}
    for name in EXAMPLES + ["readme"]:
        out = os.path.join(work, name)
        # the source file alone, copied out of the tree: no quoted include can reach it
        src = os.path.join(work, name + ".c")
        with open(src, "w") as g:
            if name == "readme":
                g.write(readme_example(source))
            else:
                with open(os.path.join(source, "examples", name + ".c")) as f:
                    g.write(f.read())
        cmd = ["cc", "-Wall", "-Wextra", "-Werror", src, "-o", out] + flags["--cflags"] + \
              flags["--libs"] + ["-Wl,-rpath," + libdir]
        r = run(cmd, cwd=work)
        check(r.returncode == 0, "%s builds with cc $(pkg-config --cflags --libs netprint)%s"
              % ("README's example" if name == "readme" else "examples/%s.c" % name,
                 "" if r.returncode == 0 else ": " + r.stderr.strip()[-400:]))
        if r.returncode == 0:
            progs[name] = out
    # one with the archive, and the libraries netprint.pc says it needs
    out = os.path.join(work, "pcap_to_json_static")
    r = run(["cc", os.path.join(work, "pcap_to_json.c"), "-o", out] + flags["--cflags"] +
            [files["libnetprint.a"]] + flags["private"], cwd=work)
    ldd = run(["ldd", out]).stdout if r.returncode == 0 else ""
    check(r.returncode == 0 and "libnetprint" not in ldd,
          "pcap_to_json links libnetprint.a, with netprint.pc's Requires.private%s"
          % ("" if r.returncode == 0 else ": " + r.stderr.strip()[-400:]))
    if r.returncode == 0:
        progs["pcap_to_json_static"] = out
    return progs


def compare_json(progs, netprint, db, captures):
    for i, cap in enumerate(captures):
        want = run([netprint, "-r", cap] + db["-f"] + ["--json", "-"])
        name = os.path.basename(cap)
        for prog in ["pcap_to_json", "pcap_to_json_static"]:
            if prog not in progs or (prog.endswith("static") and i >= 3):
                continue
            got = run([progs[prog], cap] + db["paths"])
            # a damaged capture: netprint exits 3, the example 1, after the same records
            same = (got.returncode == 0) == (want.returncode == 0) and got.stdout == want.stdout
            check(same, "%s %s: the %d JSON lines of netprint -r --json -" %
                  (prog, name, want.stdout.count("\n")))
            if not same:
                print("# exit %d: %s" % (got.returncode, got.stderr.strip()[:300]))


def api_answers(netprint, db, cap, addrs, work):
    sock = os.path.join(work, "api.sock")
    err = open(os.path.join(work, "api.err"), "w")
    proc = subprocess.Popen([netprint, "-r", cap] + db["-f"] + ["-s", sock],
                            stdout=subprocess.DEVNULL, stderr=err)
    answers = {}
    try:
        deadline = time.time() + 60
        while time.time() < deadline and "answering queries" not in open(err.name).read():
            time.sleep(0.05)
        s = socket.socket(socket.AF_UNIX)
        s.connect(sock)
        f = s.makefile("rw")
        for a in addrs:
            f.write(json.dumps({"addr": a}) + "\n")
            f.flush()
            answers[a] = json.loads(f.readline())
        s.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    return answers


def host_lines(text):
    facts = {}
    for line in text.splitlines():
        k, _, v = line.partition(" = ")
        facts[k] = v
    return facts


def label_text(m):
    return m["name"] + (" " + m["flavor"] if m.get("flavor") else "")


def expected_host(a):
    """host_query's lines for a JSON API answer."""
    if a["status"] != "ok":
        return {"not seen": True}
    e = {"first_seen": str(a["first_seen"]), "last_seen": str(a["last_seen"]),
         "total_conn": str(a["total_conn"]),
         "os": "none" if a["os"] is None else "%s (%s)" % (label_text(a["os"]), a["os"]["match"]),
         "http": "none" if a["http"] is None else "%s (exact)" % label_text(a["http"]),
         "link": a["link"] or "unknown", "language": a["language"] or "unknown"}
    if a["uptime_min"] is not None:
        e["uptime"] = "%d min (modulo %d days)" % (a["uptime_min"], a["uptime_modulo_days"])
    if a["distance"] is not None:
        e["distance"] = str(a["distance"])
    if a["tls"] is not None:
        t = a["tls"]
        e["tls"] = "%s over %s" % (t["ja4"], t["transport"])
        m = t.get("os") or t.get("app")
        e["tls label"] = "none" if m is None else "%s (%s)" % (label_text(m), m["match"])
    return e


def compare_hosts(progs, netprint, db, captures, work):
    if "host_query" not in progs:
        return
    for cap in captures:
        records = [json.loads(x) for x in run([netprint, "-r", cap] + db["-f"] +
                                              ["--json", "-"]).stdout.splitlines()]
        addrs = []
        for r in records:
            for side in ("client", "server"):
                if r[side]["ip"] not in addrs:
                    addrs.append(r[side]["ip"])
        addrs = addrs[:12] + ["192.0.2.99"]		# and one never seen
        answers = api_answers(netprint, db, cap, addrs, work)
        bad = []
        for a in addrs:
            out = run([progs["host_query"], cap, a] + db["paths"])
            got = host_lines(out.stdout)
            if got.pop("records", None) != str(len(records)):
                bad.append("%s: records" % a)
            want = expected_host(answers[a])
            if "not seen" in want:
                if got != {a: "not seen"}:
                    bad.append("%s: %s, the API: no match" % (a, got))
            elif got != want:
                bad.append("%s: %s, the API: %s" % (a, got, want))
        check(not bad and len(addrs) > 1, "host_query %s: %d hosts as netprint's query API answers"
              " them" % (os.path.basename(cap), len(addrs)))
        for b in bad[:5]:
            print("# " + b[:400])


def live_expected(netprint, db, sent_pcap):
    want = []
    for line in run([netprint, "-r", sent_pcap] + db["-f"] + ["--json", "-"]).stdout.splitlines():
        r = json.loads(line)
        ends = "%s/%d -> %s/%d" % (r["client"]["ip"], r["client"]["port"], r["server"]["ip"],
                                   r["server"]["port"])
        m = r.get("os") or r.get("app")
        label = label_text(m) if m else "unknown"
        if r["mod"] == "syn":
            want.append("%s os %s, %d hops" % (ends, label, r["distance"]))
        elif r["mod"] == "tls client":
            want.append("%s tls %s, %s, sni %s" % (ends, label, r["tls"]["ja4"],
                                                    r["tls"]["sni"] or "none"))
    return sorted(want)


def compare_live(progs, netprint, db, cap, work):
    if "live_os_tls" not in progs:
        return
    a, b = "npl%d" % (os.getpid() % 10000), "npm%d" % (os.getpid() % 10000)
    if os.geteuid() != 0 or run(["ip", "link", "add", a, "type", "veth", "peer", "name", b]).returncode:
        check(True, "live_os_tls # SKIP needs root and veth")
        return
    try:
        for dev in (a, b):
            run(["ip", "link", "set", dev, "up"])
            run(["sysctl", "-q", "-w", "net.ipv6.conf.%s.disable_ipv6=1" % dev])
        _, linktype, frames = pcapfile.read_pcap(cap)
        frames = [f for f in frames if len(f[3]) <= 1514]	# what a veth carries
        sent_pcap = os.path.join(work, "sent.pcap")
        pcapfile.write_pcap(sent_pcap, linktype, frames)
        out = open(os.path.join(work, "live.out"), "w")
        err = open(os.path.join(work, "live.err"), "w")
        proc = subprocess.Popen([progs["live_os_tls"], a] + db["paths"], stdout=out, stderr=err)
        time.sleep(1.0)		# libpcap is activated well before
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind((b, 0))
        for f in frames:
            s.send(f[3])
            time.sleep(0.001)
        time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
        rc = proc.wait(timeout=30)
        check(rc == 0, "live_os_tls stops on SIGINT (np_capture_stop from a signal handler): exit %d%s"
              % (rc, "" if rc == 0 else ", " + open(err.name).read().strip()[:200]))
        # As sets: the frames go out 1 ms apart, so a SYN retransmitted for
        # a minute in the capture (reported again once its flow expired) is
        # one flow live; what is said of each connection is the same.
        got = sorted(set(open(out.name).read().splitlines()))
        want = sorted(set(live_expected(netprint, db, sent_pcap)))
        check(want and got == want, "live_os_tls on %s: the %d SYN and TLS client lines netprint -r"
              " finds in the %d frames sent" % (a, len(want), len(frames)))
        if got != want:
            print("# %d lines printed, %d expected" % (len(got), len(want)))
            from collections import Counter
            for line, n in ((Counter(want) - Counter(got)) + (Counter(got) - Counter(want))).items():
                print("# %s %s" % ("+" if Counter(got)[line] > Counter(want)[line] else "-", line))
    finally:
        run(["ip", "link", "del", a])


def main():
    build, source = sys.argv[1:3]
    captures = sys.argv[3:]
    with tempfile.TemporaryDirectory() as work:
        stage = os.path.join(work, "stage")
        files = staged(build, stage)
        if not all(files.values()):
            return finish()
        flags = pkg_flags(files, stage, source, build)
        if flags is None:
            return finish()
        progs = build_examples(source, files, flags, work)
        netprint = files["netprint"]
        paths = [files["p0f.fp"], files["tls.fp"]]
        db = {"paths": paths, "-f": ["-f", paths[0], "-f", paths[1]]}
        compare_json(progs, netprint, db, captures)
        compare_hosts(progs, netprint, db, captures[:3], work)
        compare_live(progs, netprint, db, captures[0], work)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
