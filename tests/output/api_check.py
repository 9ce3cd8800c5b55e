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
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from np_run import capture_path  # noqa: E402
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


def read_exactly(sock, n, timeout):
    """n bytes, or fewer if the server closes or stays silent for timeout seconds."""
    sock.settimeout(timeout)
    buf = b""
    try:
        while len(buf) < n:
            chunk = sock.recv(n - len(buf))
            if not chunk:
                break
            buf += chunk
    except socket.timeout:
        pass
    sock.settimeout(None)
    return buf


def binary_query(addr):
    return struct.pack("=IB16s", QUERY_MAGIC, 4, socket.inet_aton(addr))


def hostile_clients(sock_path, addr, want):
    """Pipelining, floods, long lines and idle connections, as in the wild."""
    deadline = time.time() + 5
    c = connect(sock_path, deadline)
    c.sendall(binary_query(addr) * 15)
    got = read_exactly(c, 15 * RESP.size, 5)
    check(len(got) == 15 * RESP.size and
          all(agrees(RESP.unpack_from(got, i * RESP.size), want) is None for i in range(15)),
          "15 pipelined binary queries in one write: 15 answers (%d bytes)" % len(got))
    c.close()

    # 3,000 queries (63 KB) written before reading a byte: every one answered.
    c = connect(sock_path, deadline)
    n = 3000
    writer = threading.Thread(target=c.sendall, args=(binary_query(addr) * n,))
    writer.start()
    time.sleep(0.5)	# the server's output fills while this client is not reading
    got = read_exactly(c, n * RESP.size, 10)
    writer.join()
    ok = sum(RESP.unpack_from(got, i * RESP.size)[1] == OK for i in range(len(got) // RESP.size))
    check(ok == n, "%d queries written before reading: %d answered" % (n, ok))
    c.close()

    # Queries, then the client shuts its side: all answered, then the close.
    c = connect(sock_path, deadline)
    c.sendall(binary_query(addr) * 3)
    c.shutdown(socket.SHUT_WR)
    got = read_exactly(c, 4 * RESP.size, 5)
    check(len(got) == 3 * RESP.size, "a client that shuts its side after 3 queries gets 3 answers "
          "and the close (%d bytes)" % len(got))
    c.close()

    # A JSON line too long: said, skipped, and the connection keeps serving.
    c = connect(sock_path, deadline)
    f = c.makefile("rwb")
    for size in (1024, 1025, 6000):	# bytes, the newline included
        head = b'{"addr": "' + addr.encode() + b'", "pad": "'
        line = head + b"x" * (size - len(head) - 3) + b'"}\n'
        f.write(line + json.dumps({"addr": addr}).encode() + b"\n")
        f.flush()
        first, second = json.loads(f.readline()), json.loads(f.readline())
        want_first = "ok" if size <= 1024 else "line too long"
        got_first = first.get("error", first["status"])
        check(got_first == want_first and second["status"] == "ok",
              "a JSON line of %d bytes: %s, and the next line is answered" % (size, got_first))
    c.close()

    # Every slot held by idle clients: a newcomer is still answered.
    idle = [connect(sock_path, deadline) for _ in range(20)]
    time.sleep(1.5)
    c = connect(sock_path, deadline)
    c.sendall(binary_query(addr))
    got = read_exactly(c, RESP.size, 5)
    check(len(got) == RESP.size and agrees(RESP.unpack(got), want) is None,
          "20 idle connections do not lock a newcomer out")
    c.close()
    gone = 0
    for i in idle:
        i.settimeout(0.2)
        try:
            gone += i.recv(1) == b""
        except socket.timeout:
            pass
        i.close()
    check(gone >= 1, "the longest idle connection was closed to make room (%d closed)" % gone)


def main():
    np, db, cap = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as tmp:
        cap = capture_path(cap, tmp)
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
            hostile_clients(sock_path, a, hosts[a])
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
