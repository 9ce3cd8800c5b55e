#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The web console's pages and its record-derived API, against netprint's
own --json output of the same run (the records are the evidence: every
expected figure below is counted from them by this script).

  console_check.py NETPRINT P0F_FP TLS_FP CONSOLE_DIR

netprint reads a generated capture (tests/random/gen_http_pcap.py) with
two workers, -f P0F_FP -f TLS_FP, --json and --http, and keeps serving.
Checked:
- the pages: / is index.html, every file of CONSOLE_DIR it loads is served
  byte for byte with its type and the Content-Security-Policy; the page
  has no inline script, style or handler (the policy would block them);
- /api/stats: records per kind, per second over the last 300 s of packet
  time, and the distributions over the last 15 minutes (SYN and SYN+ACK
  OS, HTTP clients and servers, TLS clients, link types, distances), each
  as counted from the records;
- /api/unknown: every raw signature the database does not name (TCP's
  with the initial TTL, as a database line has it; HTTP's without the
  software it names), with its count and
  example hosts; its ready-to-edit database lines, added to the
  database, make netprint name those records;
- /api/db: hit counts per signature as counted from the records; the .fp
  files beside the ones in use;
- /api/events: from Last-Event-ID 0, every record as --json wrote it, in
  order, with its sequence number; without one, the last 256; on a capture
  with more records than the ring keeps, a "lost" event with the number;
- POST /api/db/compare: an edited copy of the database (a SYN label, then
  an HTTP one renamed) renames exactly the recent records of the edited
  label; the unedited one changes nothing;
  bad files and requests get 4xx;
- under load: 1000 requests at once (from 63 loopback addresses, 16 each:
  the per-address bound) and 50 event readers while netprint reads the
  capture: every request answered, every reader gets every record, no ring
  drop, the same records as a run without the console. TAP output.
"""
import asyncio
import collections
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from np_run import capture_path, stop  # noqa: E402
from tap import check, finish  # noqa: E402
from records import is_json, label_of, sig_of, subject_ip, wait_for  # noqa: E402

HTTP_KINDS = ("syn", "syn+ack", "http request", "http response", "tls client", "tls server")
SECTION = {"syn": "tcp:request", "syn+ack": "tcp:response", "http request": "http:request",
           "http response": "http:response", "tls client": "tls:client",
           "tls server": "tls:server"}
TOKEN = "console-check-token-0123456789"


def request(port, path, method="GET", headers=None, src="127.0.0.1", timeout=30):
    """(status, headers, body) of one HTTP/1.1 request, Connection: close."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(src, 0))
    hdr = "".join("%s: %s\r\n" % kv for kv in (headers or {}).items())
    s.sendall(("%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s\r\n"
               % (method, path, hdr)).encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    hdrs = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    if hdrs.get("transfer-encoding") == "chunked":
        out, rest = b"", body
        while rest:
            size, _, rest = rest.partition(b"\r\n")
            n = int(size, 16)
            if not n:
                break
            out, rest = out + rest[:n], rest[n + 2:]
        body = out
    return int(lines[0].split()[1]), hdrs, body


def api(port, path, **kw):
    status, _, body = request(port, path, **kw)
    return status, json.loads(body) if body else None


class SSE:
    """An /api/events reader's text, parsed as it comes: HTTP chunked
    transfer undone, then "event:", "id:" and "data:" lines into
    (event, id, data) tuples."""

    def __init__(self):
        self.raw, self.body, self.head_done, self.events, self.text = b"", b"", False, [], ""

    def feed(self, data):
        self.raw += data
        if not self.head_done:
            if b"\r\n\r\n" not in self.raw:
                return
            self.raw = self.raw.split(b"\r\n\r\n", 1)[1]
            self.head_done = True
        while True:	# whole chunks only
            size, sep, rest = self.raw.partition(b"\r\n")
            if not sep:
                break
            n = int(size, 16)
            if len(rest) < n + 2:
                break
            self.body += rest[:n]
            self.raw = rest[n + 2:]
        cut = self.body.rfind(b"\n\n")
        if cut < 0:
            return
        blocks, self.body = self.body[:cut].decode("utf-8", "replace"), self.body[cut + 2:]
        for block in blocks.split("\n\n"):
            ev, eid, data = "message", None, None
            for ln in block.split("\n"):
                if ln.startswith("event: "):
                    ev = ln[7:]
                elif ln.startswith("id: "):
                    eid = int(ln[4:])
                elif ln.startswith("data: "):
                    data = ln[6:]
            if data is not None:
                self.events.append((ev, eid, data))

    def messages(self):
        return sum(1 for e in self.events if e[0] == "message")


def events(port, last_id, want, timeout=60):
    """Read /api/events until `want` records came (or timeout): [(event, id, data)]."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    hdr = "Last-Event-ID: %s\r\n" % last_id if last_id is not None else ""
    s.sendall(("GET /api/events HTTP/1.1\r\nHost: x\r\n%s\r\n" % hdr).encode())
    sse, deadline = SSE(), time.time() + timeout
    while sse.messages() < want and time.time() < deadline:
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        sse.feed(chunk)
    s.close()
    return sse.events


def start(np, args, tmp, name):
    err = os.path.join(tmp, name + ".err")
    proc = subprocess.Popen([np] + args, stdout=subprocess.DEVNULL, stderr=open(err, "w"),
                            env=dict(os.environ, TZ="UTC"))
    return proc, err


def check_pages(port, console_dir):
    status, hdr, body = request(port, "/")
    html = body.decode()
    check(status == 200 and hdr.get("content-type", "").startswith("text/html") and
          "unsafe-inline" not in hdr.get("content-security-policy", "-unsafe-inline") and
          html == open(os.path.join(console_dir, "index.html")).read(),
          "/ is index.html, as text/html, with the Content-Security-Policy")
    refs = re.findall(r'(?:src|href)="(/[^"]+)"', html)
    ok = bool(refs)
    for ref in refs:
        status, hdr, body = request(port, ref)
        want = {"js": "text/javascript", "css": "text/css"}.get(ref.rsplit(".", 1)[-1], "")
        ok &= (status == 200 and hdr.get("content-type", "").startswith(want) and
               body == open(os.path.join(console_dir, ref.lstrip("/")), "rb").read())
    check(ok, "each file the page loads is served byte for byte with its type: %s" % " ".join(refs))
    check(not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and
          not re.search(r"\son[a-z]+\s*=", html, re.I) and " style=" not in html and
          "<style" not in html,
          "the page has no inline script, style or event handler")
    check(request(port, "/nothing.js")[0] == 404 and request(port, "/", "POST")[0] == 405,
          "an unknown file is 404, a POST of a page 405")


def expected_top(recs, newest):
    """The distributions over the last 15 minutes of packet time, as counted here."""
    last_min = newest // 60
    dist = collections.defaultdict(collections.Counter)
    for r in recs:
        if r["epoch"] // 60 <= last_min - 15:
            continue
        k = r["mod"]
        if k in ("syn", "syn+ack"):
            dist["syn_os" if k == "syn" else "synack_os"][label_of(r) or "(unknown)"] += 1
            dist["distance"][str(r["distance"])] += 1
        elif k in ("http request", "http response"):
            dist["http_client" if k == "http request" else "http_server"][label_of(r) or "(unknown)"] += 1
        elif k == "tls client":
            dist["tls_client"][label_of(r) or "(unknown)"] += 1
        elif k == "mtu":
            dist["link"][r["link"] or "MTU %d" % r["mtu"]] += 1
    out = {}
    for name in ("syn_os", "synack_os", "http_client", "http_server", "tls_client", "link", "distance"):
        c = dist[name]
        items = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
        top = [{"label": k, "count": n} for k, n in items[:10]]
        rest = sum(n for _, n in items[10:])
        if rest:
            top.append({"label": "(other)", "count": rest})
        out[name] = top
    return out


def check_stats(port, recs):
    status, st = api(port, "/api/stats")
    kinds = collections.Counter(r["mod"] for r in recs)
    check(status == 200 and all(st["kinds"][k] == kinds.get(k, 0) for k in st["kinds"]) and
          set(kinds) <= set(st["kinds"]),
          "/api/stats: records per kind as written (%s)" % dict(kinds))
    newest = max(r["epoch"] for r in recs)
    per = collections.Counter(r["mod"] for r in recs if r["epoch"] > newest - 300)
    rate = st["rate"]
    check(rate["end"] == newest and rate["step_s"] == 1 and
          all(len(v) == 300 for v in rate["series"].values()) and
          all(sum(rate["series"][k]) == per.get(k, 0) for k in rate["series"]),
          "per second over the last 300 s of packet time: %d records" % sum(per.values()))
    syn_sec = collections.Counter(r["epoch"] for r in recs if r["mod"] == "syn")
    check(rate["series"]["syn"] == [syn_sec.get(s, 0) for s in range(newest - 299, newest + 1)],
          "SYNs second by second")
    want = expected_top(recs, newest)
    top = st["top"]
    for name, lst in want.items():
        check(top.get(name) == lst, "top %s over %d s: %s" % (name, top.get("window_s", 0),
                                                               lst[:3]))


def check_unknown(port, recs):
    status, un = api(port, "/api/unknown")
    unk = collections.Counter()
    hosts = collections.defaultdict(set)
    for r in recs:
        if r["mod"] in HTTP_KINDS and not label_of(r):
            unk[(r["mod"], sig_of(r))] += 1
            hosts[(r["mod"], sig_of(r))].add(subject_ip(r))
    entries = un["entries"] if status == 200 else []
    counts = [e["count"] for e in entries]
    check(status == 200 and un["distinct"] == len(unk) and un["overflow"] == 0 and
          len(entries) == min(200, len(unk)) and counts == sorted(counts, reverse=True) and
          all(unk[(e["kind"], e["sig"])] == e["count"] for e in entries) and
          (len(unk) <= 200 or counts[-1] >= sorted(unk.values(), reverse=True)[199]),
          "/api/unknown: the %d signatures no label names, the most frequent first, counted "
          "as written" % len(unk))
    check(entries and all(e["hosts"] and set(e["hosts"]) <= hosts[(e["kind"], e["sig"])] and
                          len(e["hosts"]) == min(3, len(hosts[(e["kind"], e["sig"])]))
                          for e in entries),
          "each with up to 3 of the hosts that showed it")
    return entries


def check_db_lines(np, p0f, tls, cap, tmp, entries):
    """The entries' database lines, added, name what was unnamed. One that
    netprint refuses as covered by another added line (an HTTP signature
    with an optional header more, say) is left out: the other names its
    records."""
    extra = os.path.join(tmp, "extra.fp")
    chosen = [e for e in entries if e["kind"] != "http response"][:40]
    added = list(range(len(chosen)))
    out = os.path.join(tmp, "learned.json")
    for _ in range(len(chosen)):
        text, lines_at = "", {}
        for i in added:
            lines_at[i] = text.count("\n")	# the entry's lines follow this one
            text += chosen[i]["db_line"].replace("NAME:FLAVOR", "Learned%d:x" % i) + "\n\n"
        open(extra, "w").write(text)
        rc = subprocess.run([np, "-r", cap, "-f", p0f, "-f", tls, "-f", extra, "--json", out],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        m = re.search(re.escape(extra) + r":(\d+): signature already covered", rc.stderr)
        if rc.returncode == 0 or not m:
            break
        at = int(m.group(1))	# drop the entry whose sig line that is
        added = [i for i in added if not (lines_at[i] < at <= lines_at[i] + 6)]
    keys = {(e["kind"], e["sig"]) for e in chosen}
    named, wrong = collections.Counter(), 0
    for ln in open(out) if rc.returncode == 0 else []:
        r = json.loads(ln)
        k = (r["mod"], sig_of(r)) if r["mod"] in HTTP_KINDS else None
        if k in keys:
            if re.fullmatch(r"Learned\d+ x", label_of(r) or ""):
                named[k] += 1
            else:
                wrong += 1
    check(rc.returncode == 0 and not wrong and len(added) >= len(chosen) // 2 and
          all(named[(e["kind"], e["sig"])] == e["count"] for e in chosen),
          "the database lines of %d unknown signatures (%s; %d covered by another), added, "
          "name all their records (%d named, %d not; %s)"
          % (len(chosen), ", ".join(sorted({e["kind"] for e in chosen})),
             len(chosen) - len(added), sum(named.values()), wrong,
             rc.stderr.strip()[-200:] if rc.returncode else "read"))


def check_hits(port, recs, files):
    status, d = api(port, "/api/db")
    hits = collections.Counter()
    for r in recs:
        m = r.get("os") or r.get("app")
        if r["mod"] in HTTP_KINDS and m:
            hits[(SECTION[r["mod"]], "%s:%s:%s" % (m["class"] or "!", m["name"],
                                                   m["flavor"] or ""))] += 1
    got = collections.Counter()
    for h in d.get("hits", []):
        got[(h["section"], h["label"])] += h["count"]
    counts = [h["count"] for h in d.get("hits", [])]
    check(status == 200 and got == hits and counts == sorted(counts, reverse=True) and
          all(h["line"] > 0 for h in d["hits"]),
          "/api/db: hits per signature (%d labels, %d matches) as the records show, most first"
          % (len(hits), sum(hits.values())))
    check(set(files) <= set(d.get("candidates", [])) and
          all(c.endswith(".fp") for c in d["candidates"]),
          "the .fp files beside those in use are offered to compare: %s" % d.get("candidates"))


def check_events(port, lines):
    n = len(lines)
    got = events(port, 0, n)
    msgs = [e for e in got if e[0] == "message"]
    check(len(msgs) == n and [e[1] for e in msgs] == list(range(1, n + 1)) and
          [e[2] for e in msgs] == lines and not [e for e in got if e[0] == "lost"],
          "/api/events from Last-Event-ID 0: all %d records as --json wrote them, ids 1..%d "
          "(%d came)" % (n, n, len(msgs)))
    got = events(port, None, 256, timeout=20)
    msgs = [e for e in got if e[0] == "message"]
    check([e[1] for e in msgs[:256]] == list(range(n - 255, n + 1)) and
          [e[2] for e in msgs[:256]] == lines[-256:],
          "without Last-Event-ID: the last 256")
    got = events(port, n - 10, 10, timeout=20)
    check([e[1] for e in got if e[0] == "message"][:10] == list(range(n - 9, n + 1)),
          "from Last-Event-ID %d: the 10 after it" % (n - 10))


def compare_edited(port, recent, p0f, tmp, kinds, auth):
    """The most common label of recent records of these kinds renamed in a
    copy of P0F_FP: exactly the recent records (but TLS ones, whose labels
    are in the other file) of that label change, old vs new."""
    labels = collections.Counter(label_of(r) for r in recent if r["mod"] in kinds and label_of(r))
    target = labels.most_common(1)[0][0]
    name, _, flavor = target.partition(" ")
    pat = re.compile(r"(?m)^(label\s*=\s*[sg]:[^:\n]*:%s:)%s\s*$" % (re.escape(name), re.escape(flavor)))
    edited, n_sub = pat.subn(lambda m: m.group(1) + flavor + " EDITED", open(p0f).read())
    path = os.path.join(tmp, "edited-%s.fp" % kinds[0].split()[0])
    open(path, "w").write(edited)
    want = sum(1 for r in recent if label_of(r) == target and not r["mod"].startswith("tls"))
    status, c = api(port, "/api/db/compare?q=" + path, method="POST", headers=auth)
    changes = c.get("changes", []) if status == 200 else []
    check(status == 200 and n_sub > 0 and c["observations"] == len(recent) and
          c["changed"] == want == sum(x["count"] for x in changes) and c["unreadable"] == 0 and
          all(x["old"] == target and x["new"] == target + " EDITED" for x in changes) and
          {x["kind"] for x in changes} <= set(kinds),
          "/api/db/compare with %s's label edited (%d lines): %d of the %d recent observations "
          "(%s) change, old vs new label (%s)"
          % (target, n_sub, want, len(recent), " ".join(sorted({x["kind"] for x in changes})),
             status))


def check_compare(port, recs, p0f, tmp):
    auth = {"Authorization": "Bearer " + TOKEN}
    recent = [r for r in recs if r["mod"] in HTTP_KINDS][-4096:]
    compare_edited(port, recent, p0f, tmp, ("syn", "syn+ack"), auth)
    compare_edited(port, recent, p0f, tmp, ("http request", "http response"), auth)
    text = open(p0f).read()
    same = os.path.join(tmp, "same.fp")
    open(same, "w").write(text)
    status, c = api(port, "/api/db/compare?q=" + same, method="POST", headers=auth)
    check(status == 200 and c["changed"] == 0 and c["changes"] == [],
          "an unedited copy changes nothing")
    bad = os.path.join(tmp, "bad.fp")
    open(bad, "w").write(text.replace("[tcp:request]", "[tcp:request]\nlabel = nonsense", 1))
    status, c = api(port, "/api/db/compare?q=" + bad, method="POST", headers=auth)
    check(status == 422 and re.search(re.escape(bad) + r":\d+:", c.get("error", "")),
          "a database with a bad line: 422, naming its file and line (%s)" % c.get("error"))
    cases = [("/api/db/compare?q=" + os.path.join(tmp, "none.fp"), "POST", auth, 404, "a missing file"),
             ("/api/db/compare?q=/etc/passwd", "POST", auth, 400, "a file not ending in .fp"),
             ("/api/db/compare", "POST", auth, 400, "no file"),
             ("/api/db/compare?q=" + same, "POST", {}, 401, "no token"),
             ("/api/db/compare?q=" + same, "GET", auth, 405, "a GET")]
    for path_, method, hdr, want_status, what in cases:
        status, _, body = request(port, path_, method, hdr)
        check(status == want_status and is_json(body),
              "compare, %s: %d with a JSON body (%d)" % (what, want_status, status))


async def load(port, n_requests, n_readers, deadline):
    """n_requests at once from 127.0.1.x (16 each) and n_readers event readers,
    all retrying until the server listens. Returns (statuses, readers' events)."""
    async def connect(src):
        while time.time() < deadline:
            try:
                return await asyncio.open_connection("127.0.0.1", port, local_addr=(src, 0))
            except OSError:
                await asyncio.sleep(0.005)
        raise TimeoutError("no server")

    async def one(i):
        src = "127.0.1.%d" % (2 + i // 16)
        try:
            r, w = await connect(src)
            w.write(b"GET /api/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = await asyncio.wait_for(r.read(), 60)
            w.close()
            return int(data.split(b" ", 2)[1])
        except (OSError, TimeoutError, asyncio.TimeoutError, ValueError, IndexError):
            return 0

    async def reader(i, stop_at):
        src = "127.0.2.%d" % (2 + i // 16)
        r, w = await connect(src)
        w.write(b"GET /api/events HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 0\r\n\r\n")
        sse = SSE()
        while time.time() < stop_at[0] and sse.messages() < stop_at[1]:
            try:
                chunk = await asyncio.wait_for(r.read(1 << 20), 1)
            except asyncio.TimeoutError:
                continue
            if not chunk:
                break
            sse.feed(chunk)
        w.close()
        return sse.events

    stop_at = [deadline, 1 << 62]	# until then, or until that many records came
    readers = [asyncio.ensure_future(reader(i, stop_at)) for i in range(n_readers)]
    statuses = await asyncio.gather(*(one(i) for i in range(n_requests)))
    return statuses, readers, stop_at


def check_load(np, p0f, tls, cap, tmp):
    base = os.path.join(tmp, "base.json")
    base_err = subprocess.run([np, "-r", cap, "-f", p0f, "-f", tls, "--workers", "2", "--json",
                               base], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, check=True).stderr
    base_lines = open(base).read().splitlines()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = os.path.join(tmp, "load.json")
    loop = asyncio.new_event_loop()
    deadline = time.time() + 120

    async def run():
        task = asyncio.ensure_future(load(port, 1000, 50, deadline))
        await asyncio.sleep(0.5)	# the clients knock before netprint listens
        proc, err = start(np, ["-r", cap, "-f", p0f, "-f", tls, "--workers", "2", "--json", out,
                               "--http", "127.0.0.1:%d" % port], tmp, "load")
        try:
            statuses, readers, stop_at = await task
            await loop.run_in_executor(None, wait_for, err, r"capture done")
            stop_at[1] = len(open(out).read().splitlines())
            stop_at[0] = time.time() + 60	# every reader has every record by then
            got = await asyncio.gather(*readers)
            stats = json.loads(request(port, "/api/stats")[2])
            return statuses, got, stats, err
        finally:
            stop(proc)

    statuses, got, stats, err = loop.run_until_complete(run())
    lines = open(out).read().splitlines()
    check(all(s == 200 for s in statuses),
          "1000 requests at once (63 addresses, 16 each): %d answered 200, others: %s"
          % (sum(s == 200 for s in statuses),
             dict(collections.Counter(s for s in statuses if s != 200))))
    full = [g for g in got if [e[2] for e in g if e[0] == "message"] == lines]
    check(len(full) == 50, "50 event readers: %d got every one of the %d records, in order"
          % (len(full), len(lines)))
    check(stats["totals"]["ring_drop"] == 0 and stats["records_written"] == len(lines) and
          sorted(lines) == sorted(base_lines),
          "no ring drop, and the same %d records as without the console (%d)"
          % (len(lines), len(base_lines)))
    # the workers' cost with and without the console: figures, not checks (a shared machine)
    for what, text in (("without the console", base_err), ("with it, under load", open(err).read())):
        for ln in text.splitlines():
            if "cycles/packet" in ln or "records" in ln:
                print("# %s: %s" % (what, ln.strip()))


def main():
    np, p0f, tls, console_dir = sys.argv[1:5]
    with tempfile.TemporaryDirectory() as tmp:
        cap = capture_path("gen:9:1500", tmp)
        big = capture_path("gen:9:3000", tmp)
        tokfile = os.path.join(tmp, "token")
        open(tokfile, "w").write(TOKEN + "\n")
        out = os.path.join(tmp, "out.json")
        proc, err = start(np, ["-r", cap, "-f", p0f, "-f", tls, "--workers", "2", "--json", out,
                               "--http", "127.0.0.1:0", "--http-token", tokfile], tmp, "main")
        try:
            m = wait_for(err, r"\(port (\d+)\)")
            check(m is not None and wait_for(err, r"capture done") is not None,
                  "netprint reads the capture and serves the console")
            if not m:
                return finish()
            port = int(m.group(1))
            lines = open(out).read().splitlines()
            recs = [json.loads(ln) for ln in lines]
            check_pages(port, console_dir)
            check_stats(port, recs)
            entries = check_unknown(port, recs)
            check_hits(port, recs, [p0f, tls])
            check_events(port, lines)
            check_compare(port, recs, p0f, tmp)
        finally:
            rc = stop(proc)
        check(rc == 0, "SIGTERM stops it cleanly (%s)" % rc)
        check_db_lines(np, p0f, tls, cap, tmp, entries)

        # more records than the ring keeps: a reader from 0 is told what it lost
        out2 = os.path.join(tmp, "big.json")
        proc, err = start(np, ["-r", big, "-f", p0f, "-f", tls, "--json", out2,
                               "--http", "127.0.0.1:0"], tmp, "big")
        try:
            m = wait_for(err, r"\(port (\d+)\)")
            wait_for(err, r"capture done")
            big_lines = open(out2).read().splitlines()
            keep = 16384
            got = events(int(m.group(1)), 0, keep) if m else []
            lost = [json.loads(e[2])["lost"] for e in got if e[0] == "lost"]
            msgs = [e for e in got if e[0] == "message"]
            check(len(big_lines) > keep and lost == [len(big_lines) - keep] and
                  [e[2] for e in msgs] == big_lines[-keep:] and
                  msgs[0][1] == len(big_lines) - keep + 1,
                  "%d records, the ring keeps %d: a reader from 0 is told it lost %s, then "
                  "gets the rest" % (len(big_lines), keep, lost))
        finally:
            stop(proc)

        check_load(np, p0f, tls, cap, tmp)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
