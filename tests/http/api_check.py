#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The web console's JSON API (--http), with a plain HTTP client.

  api_check.py NETPRINT DB CAPTURE|gen:SEED:FLOWS

(gen:SEED:FLOWS builds the capture with tests/random/gen_http_pcap.py.)
netprint reads CAPTURE with --http 127.0.0.1:0 (any port; it says which),
-s SOCK and -o LOG, and keeps serving once the capture is done. Then:
/api/stats must give the counters netprint prints at exit and as many
records as the log holds; /api/host/ADDR must give, for every address of
the log, the same JSON the query socket gives; /api/hosts?q= finds hosts
by address prefix and by label, the most recent first, 100 at most, each
as /api/host gives it; unknown hosts are 404, bad
addresses 400, other paths 404, other methods 405, a path too long 414, a
request larger than the bound is refused; every answer carries the
Content-Security-Policy (no 'unsafe-inline'), nosniff and JSON's type;
clients at once under the bound per address (16) all get their answers,
more are refused and the server serves on. POST /api/db/reload needs the
--http-token: 401 without it or with another, 202 and a new database
generation with it, 413 with a body, 403 from a netprint started without
a token; /api/db then says generation 2, one reload, the file and its
signatures. /api/me describes the socket's peer, or, from a proxy given with
--http-trusted-proxy, the last address its X-Forwarded-For or Forwarded
header names. TAP output.
"""
import concurrent.futures
import http.client
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
from records import is_json, sock_json, wait_for  # noqa: E402


CONSOLE_KEYS = ("signatures", "os_history", "changes", "clock")


def without_console(host):
    """A host as the query socket answers it: what the console adds taken off."""
    return {k: v for k, v in host.items() if k not in CONSOLE_KEYS}


def get(port, path, method="GET", headers=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), body


def main():
    np, db, cap = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as tmp:
        cap = capture_path(cap, tmp)
        sock, log, err = (os.path.join(tmp, x) for x in ("api.sock", "log", "err"))
        errf = open(err, "w")
        token = "t0k3n-" + os.urandom(12).hex()
        tokfile = os.path.join(tmp, "token")
        open(tokfile, "w").write(token + "\n")
        proc = subprocess.Popen([np, "-r", cap, "-f", db, "-o", log, "-s", sock,
                                 "--http", "127.0.0.1:0", "--http-token", tokfile],
                                stdout=subprocess.DEVNULL, stderr=errf, env=dict(os.environ, TZ="UTC"))
        try:
            m = wait_for(err, r"web console API on 127\.0\.0\.1:0 \(port (\d+)\)")
            check(m is not None, "netprint says where the API listens")
            if not m:
                return finish()
            port = int(m.group(1))
            check(wait_for(err, r"capture done; answering queries") is not None,
                  "the capture is read and netprint keeps serving")
            lines = open(log).read().splitlines()

            status, hdr, body = get(port, "/api/stats")
            stats = json.loads(body)
            check(status == 200 and hdr.get("content-type", "").startswith("application/json"),
                  "/api/stats answers JSON")
            csp = hdr.get("content-security-policy", "")
            check("default-src 'self'" in csp and "unsafe-inline" not in csp and
                  hdr.get("x-content-type-options") == "nosniff",
                  "with a Content-Security-Policy without 'unsafe-inline', and nosniff")
            text = open(err).read()
            printed = int(re.search(r"records written +(\d+)", text).group(1))
            check(stats["records_written"] == printed == len(lines),
                  "records written: %s by the API, %d printed, %d in the log"
                  % (stats["records_written"], printed, len(lines)))
            read = int(re.search(r"packets read +(\d+)", text).group(1))
            check(stats["totals"]["rx_pkts"] == read and len(stats["workers"]) == 1 and
                  stats["db_generation"] == 1 and stats["hosts"] > 0,
                  "counters as printed (%d packets), one worker, generation 1, %d hosts"
                  % (read, stats["hosts"]))

            addrs = sorted({a for ln in lines for a in re.findall(r"\|(?:cli|srv)=([^|/]+)/", ln)})
            last = {}	# (addr, kind): (raw_sig, label) of its last such record in the log
            os_hist, changes, clock = {}, {}, {}	# what the console must have kept, by address
            for ln in lines:
                f = dict(kv.split("=", 1) for kv in ln.split("] ", 1)[1].split("|") if "=" in kv)
                who = f["cli" if f["subj"] == "cli" else "srv"].rsplit("/", 1)[0]
                label = f.get("os", f.get("app"))
                if f["mod"] in ("syn", "syn+ack", "http request", "http response", "tls client",
                                "tls server"):
                    sig = f.get("raw_sig") or f.get("ja4") or f.get("ja3s")
                    last[(who, f["mod"])] = (sig, None if label == "???" else label)
                if f["mod"] == "syn" and label != "???":
                    h = os_hist.setdefault(who, [])
                    if not h or h[-1] != label:
                        h.append(label)
                if f["mod"] in ("host change", "ip sharing"):
                    changes.setdefault(who, {})[f["mod"]] = sorted(f["reason"].split())
                if f["mod"] == "uptime":
                    m = re.search(r"\(modulo (\d+) days\)", f["uptime"])
                    clock[who] = (int(m.group(1)), f["raw_freq"])
            same = sigs_same = facts_same = 0
            for a in addrs:
                status, _, body = get(port, "/api/host/" + a)
                got = json.loads(body) if status == 200 else {}
                sigs = got.pop("signatures", None)
                hist = [e["label"] for e in got.pop("os_history", [])]
                chg = {k: sorted(v["reasons"]) for k, v in got.pop("changes", {}).items()}
                clk = got.pop("clock", None)
                if got == sock_json(sock, a):
                    same += 1
                want = {k: v for (who, k), v in last.items() if who == a}
                if sigs is not None and {k: (v["sig"], v["label"]) for k, v in sigs.items()} == want:
                    sigs_same += 1
                if (hist == os_hist.get(a, [])[-8:] and chg == changes.get(a, {}) and
                        (clk and (clk["modulo_days"], "%.2f Hz" % clk["frequency_hz"])) ==
                        clock.get(a)):
                    facts_same += 1
            check(addrs and same == len(addrs),
                  "/api/host/ADDR equals the query socket's JSON for all %d hosts of the log (%d)"
                  % (len(addrs), same))
            check(sigs_same == len(addrs),
                  "and its signatures are each kind's last raw signature and label in the log "
                  "(%d of %d hosts)" % (sigs_same, len(addrs)))
            check(facts_same == len(addrs) and any(changes.values()) and clock,
                  "and its OS history (the SYN labels as they changed, the last 8), last host "
                  "change and ip sharing reasons and clock are the log's (%d of %d hosts)"
                  % (facts_same, len(addrs)))

            status, _, body = get(port, "/api/hosts")
            found = json.loads(body) if status == 200 else {"hosts": []}
            hosts = found["hosts"]
            seen = [h["last_seen"] for h in hosts]
            check(status == 200 and len(hosts) == min(100, len(addrs)) and
                  found["more"] == (len(addrs) > 100) and seen == sorted(seen, reverse=True) and
                  all(h == without_console(json.loads(get(port, "/api/host/" + h["addr"])[2]))
                      for h in hosts[:20]),
                  "/api/hosts: %d of %d hosts, the most recent first, each as /api/host gives it"
                  % (len(hosts), len(addrs)))
            prefixes = {}
            for a in addrs:	# the most common first two parts of an address
                p = ".".join(a.split(".")[:2]) + "." if "." in a else a.split(":")[0] + ":"
                prefixes[p] = prefixes.get(p, 0) + 1
            prefix = max(prefixes, key=prefixes.get)
            status, _, body = get(port, "/api/hosts?q=" + prefix)
            got = {h["addr"] for h in json.loads(body)["hosts"]} if status == 200 else set()
            want = {a for a in addrs if a.startswith(prefix)}
            check(got == set(list(want)[:100]) if len(want) <= 100 else len(got) == 100 and got <= want,
                  "?q=%s: the %d hosts of that prefix (%d found)" % (prefix, len(want), len(got)))
            labelled = [h for h in hosts if h.get("os")]
            if labelled:
                word = labelled[0]["os"]["name"].split()[0].lower()
                status, _, body = get(port, "/api/hosts?q=" + word.upper())
                got = json.loads(body)["hosts"] if status == 200 else []
                names = lambda h: " ".join(filter(None, [m and (m.get("name") or "") + " " + (m.get("flavor") or "")
                                                         for m in (h.get("os"), h.get("http"), (h.get("tls") or {}).get("app") or (h.get("tls") or {}).get("os"))]))
                check(got and all(word in names(h).lower() or h["addr"].startswith(word.upper()) for h in got),
                      "?q=%s (any case): %d hosts, each with it in a label" % (word.upper(), len(got)))
            else:
                check(False, "some host has an OS label to search by")
            status, _, _ = get(port, "/api/hosts?q=" + "x" * 100)
            check(status == 400, "a search of 100 characters is refused (%d)" % status)

            auth = {"Authorization": "Bearer " + token}
            status, hdr, _ = get(port, "/api/db/reload", "POST")
            check(status == 401 and hdr.get("www-authenticate") == "Bearer",
                  "POST /api/db/reload without the token: 401 (%d)" % status)
            status, _, _ = get(port, "/api/db/reload", "POST", {"Authorization": "Bearer " + token[:-1] + "x"})
            check(status == 401, "with another token: 401 (%d)" % status)
            status, _, _ = get(port, "/api/db/reload", "POST", dict(auth, **{"Content-Type": "text/plain"}),
                               body=b"x" * 100)
            check(status == 413, "with the token and a body: 413 (%d)" % status)
            check(not re.search(r"database generation 2 loaded", open(err).read()),
                  "none of these reloaded anything")
            status, _, body = get(port, "/api/db/reload", "POST", auth)
            check(status == 202 and json.loads(body) == {"reload": "requested"} and
                  wait_for(err, r"database generation 2 loaded") is not None and
                  json.loads(get(port, "/api/stats")[2])["db_generation"] == 2,
                  "with the token: 202, and generation 2 is loaded (%d)" % status)
            status, _, _ = get(port, "/api/db/reload")
            check(status == 405, "GET /api/db/reload: 405 (%d)" % status)
            status, _, body = get(port, "/api/db")
            d = json.loads(body) if status == 200 else {}
            sigs = sum(1 for ln in open(db, errors="replace") if re.match(r"\s*sig\s*=", ln))
            check(d.get("generation") == 2 and d.get("reloads") == 1 and d.get("files") == [db] and
                  d.get("sig_lines") == sigs and d["signatures"]["tcp_request"] > 0 and
                  d["signatures"]["http_response"] > 0,
                  "/api/db: generation 2 after one reload, the file, its %d signatures" % sigs)
            status, _, _ = get(port, "/api/stats", "POST", auth)
            check(status == 405, "POST /api/stats: 405 (%d)" % status)

            status, _, body = get(port, "/api/me", headers={"X-Forwarded-For": addrs[0]})
            me = json.loads(body)
            check(status == 404 and me.get("addr") == "127.0.0.1" and me.get("via_proxy") is None,
                  "/api/me: the socket's peer, 127.0.0.1, unknown here; a forwarded-for header "
                  "from a proxy not trusted is ignored (%d %s)" % (status, me.get("addr")))

            cases = [("/api/host/192.0.2.254", "GET", 404, "an unknown host"),
                     ("/api/host/not-an-address", "GET", 400, "a bad address"),
                     ("/api/nothing", "GET", 404, "an unknown API"),
                     ("/no-such-page.html", "GET", 404, "an unknown page"),
                     ("/api/stats", "PUT", 405, "another method"),
                     ("/api/host/" + "1" * 600, "GET", 414, "a path too long")]
            for path, method, want, what in cases:
                status, hdr, body = get(port, path, method)
                check(status == want and is_json(body),
                      "%s: %d with a JSON body (got %d)" % (what, want, status))
            status, _, _ = get(port, "/api/stats", headers={"X-Big": "x" * 40000})
            check(400 <= status < 500, "a request over the size bound is refused (%d)" % status)
            status, _, _ = get(port, "/api/stats")
            check(status == 200, "and the server still answers")

            def try_get(i):
                try:
                    return get(port, "/api/stats" if i % 2 else "/api/host/" + addrs[i % len(addrs)])[0]
                except OSError:
                    return 0	# refused: over the bound of connections per client

            # half the bound: a closed connection's thread may still count a moment
            with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
                got = list(pool.map(try_get, range(64)))
            check(all(s == 200 for s in got), "8 clients at once (under the bound of 16 per "
                  "address): %d of 64 requests answered 200" % sum(s == 200 for s in got))
            with concurrent.futures.ThreadPoolExecutor(max_workers=60) as pool:
                got = list(pool.map(try_get, range(240)))
            check(all(s in (0, 200, 503) for s in got) and sum(s == 200 for s in got) >= 16,
                  "60 at once: the excess refused, never a wrong answer (%d answered, %d refused)"
                  % (sum(s == 200 for s in got), sum(s != 200 for s in got)))
            deadline, status = time.time() + 10, 0
            while status != 200 and time.time() < deadline:	# once the flood's connections are gone
                status = try_get(1)
                time.sleep(0.05)
            check(status == 200, "and it serves again afterwards")
        finally:
            rc = stop(proc)
        check(rc == 0, "SIGTERM stops netprint and its server cleanly (exit %s)" % rc)
        # behind a trusted proxy, /api/me describes the client it forwards for
        err3 = os.path.join(tmp, "err3")
        proc = subprocess.Popen([np, "-r", cap, "-f", db, "-o", os.devnull, "--http", "127.0.0.1:0",
                                 "--http-trusted-proxy", "127.0.0.0/8",
                                 "--http-trusted-proxy", "2001:db8::/32"],
                                stdout=subprocess.DEVNULL, stderr=open(err3, "w"))
        try:
            m = wait_for(err3, r"\(port (\d+)\)")
            p3 = int(m.group(1)) if m else 0
            wait_for(err3, r"capture done")
            known = addrs[len(addrs) // 3]
            want = json.loads(get(p3, "/api/host/" + known)[2]) if m else None
            for hdr in ({"X-Forwarded-For": "198.51.100.7, " + known},
                        {"Forwarded": 'for=198.51.100.7, for="%s:4711"' % known}):
                status, _, body = get(p3, "/api/me", headers=hdr) if m else (0, {}, b"{}")
                got = json.loads(body)
                proxy = got.pop("via_proxy", None)
                check(status == 200 and got == want and proxy == "127.0.0.1",
                      "through a trusted proxy (%s): /api/me is %s's host, via 127.0.0.1 (%d)"
                      % (list(hdr)[0], known, status))
            status, _, body = get(p3, "/api/me", headers={"X-Forwarded-For": "not-an-address"}) \
                if m else (0, {}, b"{}")
            check(json.loads(body).get("addr") == "127.0.0.1",
                  "a forwarded value that is no address leaves the peer's")
        finally:
            stop(proc)

        # without --http-token, nothing may change
        err2 = os.path.join(tmp, "err2")
        proc = subprocess.Popen([np, "-r", cap, "-f", db, "-o", os.devnull, "--http", "127.0.0.1:0"],
                                stdout=subprocess.DEVNULL, stderr=open(err2, "w"))
        try:
            m = wait_for(err2, r"\(port (\d+)\)")
            status = get(int(m.group(1)), "/api/db/reload", "POST", {"Authorization": "Bearer " + token})[0] \
                if m else 0
            check(status == 403, "without --http-token, POST /api/db/reload is 403 (%d)" % status)
        finally:
            stop(proc)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
