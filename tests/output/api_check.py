#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The query API (-s), spoken by a client written to p0f 3.09b's api.h.

  api_check.py NETPRINT DB CAPTURE|gen:SEED:FLOWS

(gen:SEED:FLOWS builds the capture with tests/random/gen_http_pcap.py.)

netprint reads CAPTURE with -s SOCK -o LOG. While it runs, a client queries
the hosts it has seen so far (binary p0f protocol: 21-byte query, 232-byte
answer) and checks every answer is well formed; once the capture is done
(netprint keeps answering until stopped), every host of the log is queried
again, in the binary protocol and as JSON lines, and the answers must agree
with what the log records say about the host. Malformed queries get p0f's
"bad query" status and the server keeps serving. TAP output.
"""
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402
import time
from calendar import timegm

QUERY_MAGIC, RESP_MAGIC = 0x50304601, 0x50304602
BAD, OK, NOMATCH = 0x00, 0x10, 0x20
RESP = struct.Struct("=IIIIIIIIIhBB32s32s32s32s32s32s")
assert RESP.size == 232
LOG_RE = re.compile(r"^\[(.{19})\] mod=([^|]*)\|cli=([^|]*)/(\d+)\|srv=([^|]*)/(\d+)\|subj=(cli|srv)\|(.*)$")



def query(sock, addr):
    if ":" in addr:
        q = struct.pack("=IB16s", QUERY_MAGIC, 6, socket.inet_pton(socket.AF_INET6, addr))
    else:
        q = struct.pack("=IB16s", QUERY_MAGIC, 4, socket.inet_aton(addr))
    sock.sendall(q)
    return read_answer(sock)


def read_answer(sock):
    buf = b""
    while len(buf) < RESP.size:
        chunk = sock.recv(RESP.size - len(buf))
        if not chunk:
            raise EOFError("server closed the connection")
        buf += chunk
    return RESP.unpack(buf)


def cstr(b):
    return b.split(b"\0", 1)[0].decode("latin-1")


def expected_hosts(log_path):
    """What the log records say about each host, in p0f's order of updates."""
    hosts = {}

    def host(a):
        return hosts.setdefault(a, {"conn": 0, "first": None, "last": None, "os": None,
                                    "dist": None, "link": None, "up": None, "http": None,
                                    "lang": None, "chg": 0, "nat": 0})

    for line in open(log_path, encoding="latin-1"):
        m = LOG_RE.match(line.rstrip("\n"))
        if not m:
            continue
        when, mod, cli, _, srv, _, subj, fields = m.groups()
        t = timegm(time.strptime(when, "%Y/%m/%d %H:%M:%S"))
        kv = dict(f.split("=", 1) for f in fields.split("|"))
        h = host(cli if subj == "cli" else srv)
        if mod == "syn":
            for a in (cli, srv):
                x = host(a)
                x["conn"] += 1
                x["first"] = x["first"] or t
                x["last"] = t
        if mod in ("syn", "syn+ack"):
            if not kv["dist"].startswith("<="):
                h["dist"] = int(kv["dist"])
            if kv.get("os", "???") != "???":
                h["os"] = kv["os"]
        elif mod == "mtu" and kv["link"] != "???":
            h["link"] = kv["link"]
        elif mod == "uptime":
            d, hr, mi = map(int, re.match(r"(\d+) days (\d+) hrs (\d+) min", kv["uptime"]).groups())
            h["up"] = (d * 24 + hr) * 60 + mi
        elif mod in ("http request", "http response"):
            if kv.get("os", "???") != "???":
                h["os"] = kv["os"]
            if kv.get("app", "???") != "???":
                h["http"] = kv["app"]
            if kv["lang"] not in ("none", "???"):
                h["lang"] = kv["lang"]
        elif mod == "host change":
            h["chg"] = t
        elif mod == "ip sharing":
            h["nat"] = t
    return hosts


def agrees(r, want):
    (magic, status, first, last, conn, up, up_mod, nat, chg, dist, bad_sw, q,
     os_name, os_flavor, http_name, http_flavor, link, lang) = r
    got_os = (cstr(os_name) + (" " + cstr(os_flavor) if cstr(os_flavor) else "")) or None
    got_http = (cstr(http_name) + (" " + cstr(http_flavor) if cstr(http_flavor) else "")) or None
    checks = [
        ("magic", magic, RESP_MAGIC), ("status", status, OK),
        ("first_seen", first, want["first"]), ("last_seen", last, want["last"]),
        ("total_conn", conn, want["conn"]),
        ("distance", dist, 255 if want["dist"] is None else want["dist"]),
        ("uptime_min", up, want["up"] or 0), ("last_chg", chg, want["chg"]),
        ("last_nat", nat, want["nat"]), ("link_type", cstr(link) or None, want["link"]),
        ("language", cstr(lang) or None, want["lang"]),
    ]
    # 31-character API strings: compare what fits
    if want["os"] and len(cstr(os_name)) < 31 and len(cstr(os_flavor)) < 31:
        checks.append(("os", got_os, want["os"]))
    if want["http"] and len(cstr(http_name)) < 31 and len(cstr(http_flavor)) < 31:
        checks.append(("http", got_http, want["http"]))
    for name, got, exp in checks:
        if got != exp:
            return "%s: got %r, want %r" % (name, got, exp)
    return None


def connect(path, deadline):
    while True:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.time() > deadline:
                raise
            time.sleep(0.01)


def main():
    np, db, cap = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as tmp:
        if cap.startswith("gen:"):
            _, seed, flows = cap.split(":")
            gen = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "random",
                               "gen_http_pcap.py")
            cap = os.path.join(tmp, "api.pcap")
            subprocess.run([sys.executable, gen, "--seed", seed, "--flows", flows, "-o", cap],
                           check=True)
        sock_path, log = os.path.join(tmp, "api.sock"), os.path.join(tmp, "log")
        err = open(os.path.join(tmp, "err"), "w+")
        proc = subprocess.Popen([np, "-r", cap, "-f", db, "-o", log, "-s", sock_path],
                                env=dict(os.environ, TZ="UTC"), stdout=subprocess.DEVNULL,
                                stderr=err)
        try:
            s = connect(sock_path, time.time() + 60)
            # During the capture: whatever the log names so far, well-formed answers.
            during = good = 0
            while proc.poll() is None:
                err.seek(0)
                if "answering queries" in err.read():
                    break
                addrs = set(re.findall(r"cli=([^|/]+)/", open(log, encoding="latin-1").read())) if os.path.exists(log) else set()
                for a in list(addrs)[:50] or ["192.0.2.1"]:
                    r = query(s, a)
                    during += 1
                    good += r[0] == RESP_MAGIC and r[1] in (OK, NOMATCH)
            print("# %d queries answered while the capture was being read" % during)
            check(during == good, "every answer during the capture is well formed (%d)" % during)

            while proc.poll() is None:
                err.seek(0)
                if "answering queries" in err.read():
                    break
                time.sleep(0.05)
            check(proc.poll() is None, "netprint keeps answering after the capture")

            hosts = expected_hosts(log)
            check(len(hosts) > 10, "the log names %d hosts" % len(hosts))
            bad = [(a, agrees(query(s, a), w)) for a, w in sorted(hosts.items())]
            bad = [(a, why) for a, why in bad if why]
            for a, why in bad[:10]:
                print("# %s: %s" % (a, why))
            check(not bad, "binary answers agree with the log for all %d hosts" % len(hosts))

            r = query(s, "192.0.2.254")
            check(r[0] == RESP_MAGIC and r[1] == NOMATCH, "an unknown host: no match")
            s.sendall(struct.pack("=IB16s", 0xdeadbeef, 4, b"\0" * 16))
            check(read_answer(s)[1] == BAD, "a bad magic: bad query")
            s.sendall(struct.pack("=IB16s", QUERY_MAGIC, 5, b"\0" * 16))
            check(read_answer(s)[1] == BAD, "a bad address type: bad query")
            a = next(iter(sorted(hosts)))
            check(agrees(query(s, a), hosts[a]) is None, "the same connection keeps serving")

            j = connect(sock_path, time.time() + 5)
            f = j.makefile("rwb")
            ok = True
            for a, w in sorted(hosts.items())[:200]:
                f.write(json.dumps({"addr": a}).encode() + b"\n")
                f.flush()
                o = json.loads(f.readline())
                ok &= (o["status"] == "ok" and o["total_conn"] == w["conn"] and
                       o["first_seen"] == w["first"] and o["link"] == w["link"] and
                       o["language"] == w["lang"] and
                       o["distance"] == w["dist"] and o["uptime_min"] == w["up"])
            check(ok, "JSON answers agree with the log")
            f.write(b"this is not json\n")
            f.flush()
            check(json.loads(f.readline())["status"] == "bad query", "a JSON line that is not JSON: bad query")
            f.write(b'{"addr": "not-an-ip"}\n')
            f.flush()
            check(json.loads(f.readline())["status"] == "bad query", "a bad address in JSON: bad query")

            half = connect(sock_path, time.time() + 5)
            half.sendall(b"\x01\x46\x30")	# a client that stops mid-query
            half.close()
            check(agrees(query(s, a), hosts[a]) is None, "a client leaving mid-query harms no one")
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                rc = proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = -1
        check(rc == 0, "SIGTERM stops netprint cleanly (exit %s)" % rc)
        check(not os.path.exists(sock_path), "the socket file is removed")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
