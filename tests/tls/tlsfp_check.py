#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The bundled TLS labels stay true to the flows that prove them.

  tlsfp_check.py NETPRINT -- CAPTURES_DIR

Reads db/tls.fp. Every "sig =" line of [tls:client] and [tls:server] must
have, in the comment block right above it, at least one line

  ; seen: CAPTURE, TRANSPORT CLIENT/PORT -> SERVER/PORT (SNI)

and a "; proof:" line. For every seen flow, netprint reads the capture with
its default databases (`NETPRINT -r CAPTURE --json -`: db/p0f.fp, then
db/tls.fp) and the flow's first "tls client" record (or "tls server", for a
[tls:server] line) must carry exactly that line's label (class, name,
flavor), with the match quality the line gives ("exact" when it names every
part, else "generic"); its fingerprint must be one the line covers, and its
transport and SNI the ones the comment says. The file's own rules (most
parts given, then the earliest line) must pick that line too, so no other
line takes a cited flow, not even one with the same label text.
netprint must exit 0 on every capture (the file loads).
"""
import ipaddress
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from tap import check, finish  # noqa: E402

TLS_FP = os.path.join(HERE, "..", "..", "db", "tls.fp")
SEEN = re.compile(r"^;\s*seen:\s*(?P<cap>[^,\s]+)\s*,\s*(?P<tr>tcp|quic|dtls)\s+(?P<cli>\S+)/(?P<cport>\d+)"
                  r"\s*->\s*(?P<srv>\S+)/(?P<sport>\d+)(?:\s+\((?P<sni>[^)]*)\))?\s*$")
PROOF = re.compile(r"^;\s*proof:\s*\S")
JA4_PARTS = ((0, 10), (11, 12), (24, 12))


class Sig:
    def __init__(self, line, section, label, text, comments):
        self.line = line
        self.section = section        # "client" or "server"
        self.label = label            # (class or None, name, flavor or None)
        self.label_text = text
        self.comments = comments      # (line number, text) of the block above


def parse_label(text):
    """'s:!:name:flavor' or 's:class:name:flavor' -> (class, name, flavor)."""
    f = text.split(":", 3)
    if len(f) != 4:
        return None
    return (None if f[1] == "!" else f[1], f[2], f[3] or None)


def read_db(path):
    sigs, errors = [], []
    section, label, text, block = None, None, None, []
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.strip()
            if line.startswith(";"):
                block.append((n, line))
                continue
            comments, block = block, []
            if not line:
                continue
            m = re.match(r"^\[(.*)\]$", line)
            if m:
                section = {"tls:client": "client", "tls:server": "server"}.get(m.group(1))
                label = text = None
                continue
            key, _, val = line.partition("=")
            key, val = key.strip(), val.strip()
            if key == "label":
                label, text = parse_label(val), val
                if label is None:
                    errors.append("line %d: label %r is not s:class:name:flavor" % (n, val))
            elif key == "sig":
                if section is None:
                    errors.append("line %d: sig outside [tls:client] / [tls:server]" % n)
                elif label is not None:
                    sigs.append((Sig(n, section, label, text, comments), val))
    return sigs, errors


def covers(sig, fp, client):
    """Does the signature text cover the fingerprint (JA4, JA3S hash)?"""
    if not isinstance(fp, str):
        return False
    if not client:
        return sig.lower() == fp.lower()
    parts = sig.split("_")
    if len(parts) != 3 or len(fp) != 36:
        return False
    for p, (off, ln) in zip(parts, JA4_PARTS):
        if p != "*" and p.lower() != fp[off:off + ln].lower():
            return False
    return True


def same_ip(a, b):
    try:
        return ipaddress.ip_address(a) == ipaddress.ip_address(b)
    except ValueError:
        return a == b


def run_netprint(np, cap, cache):
    if cap not in cache:
        p = subprocess.run([np, "-r", cap, "--json", "-"], env=dict(os.environ, TZ="UTC"),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        recs = []
        for raw in p.stdout.splitlines():
            try:
                recs.append(json.loads(raw.decode("utf-8")))
            except ValueError:
                pass
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        cache[cap] = (p.returncode, recs, err[-1] if err else "")
        check(p.returncode == 0, "netprint reads %s with the default databases (status %d%s)"
              % (os.path.basename(cap), p.returncode, ": " + err[-1] if p.returncode and err else ""))
    return cache[cap]


def first_record(recs, mod, m):
    for r in recs:
        c, s = r.get("client") or {}, r.get("server") or {}
        if (r.get("mod") == mod and same_ip(c.get("ip", ""), m.group("cli"))
                and c.get("port") == int(m.group("cport")) and same_ip(s.get("ip", ""), m.group("srv"))
                and s.get("port") == int(m.group("sport"))):
            return r
    return None


def parts(val, client):
    return sum(p != "*" for p in val.split("_")) if client else 1


def winner(sigs, section, fp):
    """The line the file's rules pick for fp: the most parts given, then
    the earliest line (netprint's label must agree, so a line with the
    same label text cannot take a cited flow unnoticed either)."""
    client = section == "client"
    best = None
    for sig, val in sigs:
        if sig.section == section and covers(val, fp, client):
            key = (-parts(val, client), sig.line)
            if best is None or key < best[0]:
                best = (key, sig, val)
    return best and best[1:]


def flow_problems(np, capdir, sigs, sig, val, m, cache):
    """What is wrong with one seen flow (an empty list: nothing)."""
    cap = os.path.join(capdir, m.group("cap"))
    if not os.path.isfile(cap):
        return ["no such capture in %s" % capdir]
    rc, recs, _ = run_netprint(np, cap, cache)
    if rc:
        return ["netprint failed on the capture"]
    client = sig.section == "client"
    rec = first_record(recs, "tls client" if client else "tls server", m)
    if rec is None:
        return ["netprint reports no tls %s record for the flow" % sig.section]
    cls, name, flavor = sig.label
    got = rec.get("os" if cls is not None else "app")
    want_q = "exact" if (not client or "*" not in val.split("_")) else "generic"
    tls = rec.get("tls") or {}
    fp = tls.get("ja4") if client else (tls.get("ja3s") or {}).get("hash")
    problems = []
    if not isinstance(got, dict):
        problems.append("no such label (app %s, os %s)" % (json.dumps(rec.get("app")), json.dumps(rec.get("os"))))
    else:
        if (got.get("class"), got.get("name"), got.get("flavor")) != (cls, name, flavor):
            problems.append("labeled s:%s:%s:%s" % (got.get("class") or "!", got.get("name"), got.get("flavor") or ""))
        if got.get("match") != want_q:
            problems.append("match %s, not %s" % (got.get("match"), want_q))
    if not covers(val, fp, client):
        problems.append("fingerprint %s is not covered by the sig" % fp)
    else:
        w = winner(sigs, sig.section, fp)
        if w and w[0] is not sig:
            problems.append("line %d (%s) takes %s first" % (w[0].line, w[1], fp))
    if tls.get("transport") != m.group("tr"):
        problems.append("transport %s, not %s" % (tls.get("transport"), m.group("tr")))
    if m.group("sni") is not None:
        hello = rec if client else first_record(recs, "tls client", m)
        sni = (hello or {}).get("tls", {}).get("sni")
        if sni != m.group("sni"):
            problems.append("SNI %s, not %s" % (json.dumps(sni), m.group("sni")))
    return problems


def main(argv):
    if len(argv) != 3 or argv[1] != "--":
        sys.stderr.write(__doc__)
        return 2
    np, capdir = argv[0], argv[2]
    sigs, errors = read_db(TLS_FP)
    for e in errors:
        check(False, "db/tls.fp " + e)
    cache = {}
    for sig, val in sigs:
        what = "line %d (%s = %s)" % (sig.line, sig.label_text, val)
        seen = [(n, SEEN.match(t)) for n, t in sig.comments if re.match(r"^;\s*seen:", t)]
        check(seen and any(PROOF.match(t) for _, t in sig.comments),
              "%s: seen and proof comments right above it" % what)
        for n, m in seen:
            if not m:
                check(False, "line %d: a seen comment reads 'CAPTURE, tcp|quic|dtls CLIENT/PORT -> "
                      "SERVER/PORT (SNI)'" % n)
                continue
            problems = flow_problems(np, capdir, sigs, sig, val, m, cache)
            check(not problems, "%s: %s, %s %s/%s -> %s/%s carries the label%s"
                  % (what, m.group("cap"), m.group("tr"), m.group("cli"), m.group("cport"), m.group("srv"),
                     m.group("sport"), "".join("\n# " + p for p in problems)))
    if not cache:       # no flow cited: the file must still load
        caps = sorted(f for f in os.listdir(capdir) if f.endswith(".pcap"))
        if check(bool(caps), "a capture to load the databases with"):
            run_netprint(np, os.path.join(capdir, caps[0]), cache)
    print("# %d signatures, %d captures read" % (len(sigs), len(cache)))
    return finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
