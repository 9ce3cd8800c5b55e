#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""--json output: one valid JSON object per log line, with the same facts.

  json_check.py NETPRINT DB CAPTURE...

For each capture, netprint writes the p0f log (-o) and JSON lines (--json)
in one run; every JSON line must parse, carry the typed fields documented
in the README, and agree with the log line of the same index. A database
whose flavor text holds quotes, backslashes, control characters and bytes
that are not UTF-8 shows that strings are escaped whatever they carry.
TAP output.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402

LOG_RE = re.compile(r"^\[(\d{4})/(\d\d)/(\d\d) (\d\d):(\d\d):(\d\d)\] mod=([^|]*)\|cli=([^|]*)/(\d+)\|srv=([^|]*)/(\d+)\|subj=(cli|srv)\|(.*)$")


def run(np, db, cap, tmp):
    log, js = os.path.join(tmp, "log"), os.path.join(tmp, "json")
    for f in (log, js):
        if os.path.exists(f):
            os.unlink(f)
    env = dict(os.environ, TZ="UTC")
    p = subprocess.run([np, "-r", cap, "-f", db, "-o", log, "--json", js], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode:
        return None, p.stderr.decode(errors="replace")
    lines = open(log, "rb").read().decode("latin-1").splitlines() if os.path.exists(log) else []
    jlines = open(js, "rb").read().splitlines() if os.path.exists(js) else []
    return (lines, jlines), None


def esc(text):
    """A wire string as the log writes it: bytes outside printable ASCII,
    and the separators | , \\, as \\xNN."""
    out = []
    for c in text.encode("utf-8"):
        out.append(chr(c) if 0x20 <= c < 0x7f and chr(c) not in "|,\\" else "\\x%02x" % c)
    return "".join(out)


def agree_tls(mod, kv, o):
    t = o.get("tls")
    if not isinstance(t, dict):
        return "no tls object"
    label = kv.get("os", kv.get("app"))
    who = o.get("os") if "os" in kv else o.get("app")
    if label == "???":
        if who is not None:
            return "unmatched but %r" % who
    elif who is None or who["name"] + (" " + who["flavor"] if who["flavor"] else "") != label:
        return "label %r != %r" % (who, label)
    if (" ".join(o["params"]) or "none") != kv["params"]:
        return "params %r != %r" % (o["params"], kv["params"])
    if t["transport"] != kv["transport"] or t["version"] != kv["version"]:
        return "transport/version"
    if mod == "tls client":
        keys = ("sni", "alpn", "ja4", "ja4_r", "ja4_o", "ja4_ro", "ja3", "ja3_raw")
        vals = ("none" if t["sni"] is None else esc(t["sni"]),
                ",".join(esc(a) for a in t["client_alpns"]) or "none",
                t["ja4"], t["ja4_r"], t["ja4_o"], t["ja4_ro"], t["ja3"]["hash"], t["ja3"]["string"])
    else:
        keys = ("cipher", "alpn", "ja3s", "ja3s_raw")
        vals = (t["cipher"], "none" if t["server_alpn"] is None else esc(t["server_alpn"]),
                t["ja3s"]["hash"], t["ja3s"]["string"])
    for k, v in zip(keys, vals):
        if "\ufffd" in v:
            continue    # bytes that were not UTF-8: only the log keeps them
        if kv.get(k) != v:
            return "%s: log %r, JSON %r" % (k, kv.get(k), v)
    return None


def agree(line, raw):
    """The JSON object for this log line, or why not."""
    try:
        o = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        return "not valid JSON/UTF-8: %s" % e
    m = LOG_RE.match(line)
    if not m:
        return "log line not understood: " + line
    y, mo, d, hh, mi, ss, mod, cli, cport, srv, sport, subj, fields = m.groups()
    want = {
        "mod": mod, "subject": "client" if subj == "cli" else "server",
        "client": {"ip": cli, "port": int(cport)}, "server": {"ip": srv, "port": int(sport)},
    }
    for k, v in want.items():
        if o.get(k) != v:
            return "%s: %r != %r" % (k, o.get(k), v)
    if not o["time"].startswith("%s-%s-%sT%s:%s:%s." % (y, mo, d, hh, mi, ss)):
        return "time %s" % o["time"]
    if o["epoch"] != o["epoch_us"] // 1000000:
        return "epoch and epoch_us disagree"
    kv = dict(f.split("=", 1) for f in fields.split("|"))
    if "raw_sig" in kv and o.get("raw_sig") != kv["raw_sig"]:
        return "raw_sig %r != %r" % (o.get("raw_sig"), kv["raw_sig"])
    if mod in ("syn", "syn+ack"):
        who = o.get("os") if "os" in kv else o.get("app")
        label = kv.get("os", kv.get("app"))
        if label == "???":
            if who is not None:
                return "unmatched but %r" % who
        else:
            name = who["name"] + (" " + who["flavor"] if who["flavor"] else "")
            if name != label:
                return "label %r != %r" % (name, label)
        dist = kv["dist"]
        if o["distance"] != int(dist.replace("<= ", "")) or o["distance_is_max"] != dist.startswith("<="):
            return "distance"
        if not isinstance(o["params"], list):
            return "params not a list"
    if mod == "mtu" and (o["mtu"] != int(kv["raw_mtu"]) or o["link"] != (None if kv["link"] == "???" else kv["link"])):
        return "mtu/link"
    if mod == "uptime" and "%.2f Hz" % o["frequency_hz"] != kv["raw_freq"]:
        return "frequency %r vs %r" % (o["frequency_hz"], kv["raw_freq"])
    if mod in ("tls client", "tls server"):
        problem = agree_tls(mod, kv, o)
        if problem:
            return problem
    if mod in ("host change", "ip sharing"):
        hits = ",".join(str(x) for x in o["raw_hits"])
        reasons = " ".join(o["reasons"]) or "???"
        if hits != kv["raw_hits"] or reasons != kv["reason"]:
            return "reasons/raw_hits"
    return None


def main():
    np, db, caps = sys.argv[1], sys.argv[2], sys.argv[3:]
    with tempfile.TemporaryDirectory() as tmp:
        for cap in caps:
            res, err = run(np, db, cap, tmp)
            if res is None:
                check(False, "%s: netprint failed: %s" % (os.path.basename(cap), err))
                continue
            lines, jlines = res
            problem = None if len(lines) == len(jlines) else "%d log lines, %d JSON lines" % (len(lines), len(jlines))
            for line, raw in zip(lines, jlines):
                problem = problem or agree(line, raw)
            check(problem is None, "%s: %d JSON lines agree with the log%s" % (
                os.path.basename(cap), len(jlines), "" if problem is None else ": " + problem))

        # Strings the database carries: quotes, backslash, control bytes, not UTF-8.
        odd = b'odd "flavor" \\ \x01\x1f\x0b\x7f \xff\xfe caf\xc3\xa9'
        text = open(db, "rb").read()
        text = text.replace(b"label = s:unix:MacOS X:10.9 or newer (sometimes iPhone or iPad)", b"label = s:unix:MacOS X:" + odd, 1)
        odd_db = os.path.join(tmp, "odd.fp")
        open(odd_db, "wb").write(text)
        cap = next((c for c in caps if "http-301" in c), caps[0])
        res, err = run(np, odd_db, cap, tmp)
        ok = res is not None and len(res[1]) > 0
        if ok:
            for raw in res[1]:
                try:
                    json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, ValueError):
                    ok = False
        check(ok, "JSON stays valid with quotes, control and non-UTF-8 bytes in a label")
        found = ok and any(b"\\u0001" in r and b'\\"flavor\\"' in r and "\ufffd".encode() in r for r in res[1])
        check(found, "those bytes are escaped or replaced, not dropped")
        # exactly as jansson wrote them before: \uXXXX in upper case, 0x7f as is,
        # each byte that is not UTF-8 a U+FFFD
        want = (b'"flavor":"odd \\"flavor\\" \\\\ \\u0001\\u001F\\u000B\x7f '
                b'\xef\xbf\xbd\xef\xbf\xbd caf\xc3\xa9"')
        check(ok and any(want in r for r in res[1]),
              "the flavor is written byte for byte as %r" % want)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
