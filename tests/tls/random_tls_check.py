#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seeded random TLS / QUIC / DTLS capture: netprint's tls records must be
exactly the ones the generator knows it put in, and tshark must read the
same JA3 / JA3S as the generator on every hello it can read.

  random_tls_check.py NETPRINT DB_ARGS... -- SEED COUNT WORKDIR [--kinds K,...]

tests/random/gen_tls_pcap.py (run with /usr/bin/python3, for Debian's
python3-cryptography) writes WORKDIR/tls-SEED.pcap, expected.jsonl (the
records, fingerprinted by tests/tls/ja4_spec.py) and hellos.jsonl (every
hello in the capture with the generator's own JA3 / JA3S string). Then:

- `TZ=UTC NETPRINT -r tls-SEED.pcap DB_ARGS --json -`: its "tls client" and
  "tls server" records, restricted to the keys the generator writes, must
  equal expected.jsonl as multisets (other records are ignored). The
  differences go to WORKDIR/diff.txt and the first ones to the TAP output,
  with the fields that differ when a record of the same endpoints exists.
  Skipped while ja4_spec.py is the placeholder that raises
  NotImplementedError.
- tshark (4.0 reads JA3 / JA3S, not JA4): every hello it reads must have
  one of the JA3 strings the generator made for that direction of that
  flow, its hash must be the MD5 of its string, its first SNI the one
  generated when printable. Hellos it cannot read (reordered, fragmented,
  odd ports, QUIC v2...) are counted, not failed; hellos it reads where the
  generator made only malformed ones are counted too.
- the JA3 / JA3S strings of expected.jsonl (ja4_spec's) equal the
  generator's own.

TAP output.
"""
import collections
import hashlib
import ipaddress
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from tap import check, finish  # noqa: E402

GEN = os.path.join(HERE, "..", "random", "gen_tls_pcap.py")
PYTHON = "/usr/bin/python3"  # Debian's, with python3-cryptography
KEYS = {"tls client": ("transport", "version", "sni", "client_alpns", "ja4", "ja4_r", "ja4_o", "ja4_ro", "ja3"),
        "tls server": ("transport", "version", "cipher", "server_alpn", "ja3s")}
MISSING = "<missing>"
TSHARK_FIELDS = ("frame.number", "ip.src", "ipv6.src", "tcp.srcport", "udp.srcport", "ip.dst", "ipv6.dst",
                 "tcp.dstport", "udp.dstport",
                 "tls.handshake.ja3_full", "tls.handshake.ja3", "tls.handshake.ja3s_full", "tls.handshake.ja3s",
                 "tls.handshake.extensions_server_name",
                 "dtls.handshake.ja3_full", "dtls.handshake.ja3", "dtls.handshake.ja3s_full",
                 "dtls.handshake.ja3s", "dtls.handshake.extensions_server_name")


def say(line):
    print("# " + line, flush=True)


def ja4_spec_placeholder():
    import ja4_spec
    try:
        ja4_spec.client_fingerprints({
            "type": "client", "transport": "t", "legacy_version": 0x0303, "supported_versions": None,
            "ciphers": [0x002F], "extensions": [], "sni": None, "alpns": None, "sig_algs": None,
            "groups": None, "point_formats": None})
    except NotImplementedError:
        return True
    return False


def endpoint(e):
    if not isinstance(e, dict):
        return MISSING
    return {"ip": e.get("ip", MISSING), "port": e.get("port", MISSING)}


def restrict(o):
    """A netprint tls record with only the keys the generator writes."""
    tls = o.get("tls") if isinstance(o.get("tls"), dict) else {}
    t = {}
    for k in KEYS[o["mod"]]:
        v = tls.get(k, MISSING)
        if k in ("ja3", "ja3s") and isinstance(v, dict):
            v = {"hash": v.get("hash", MISSING), "string": v.get("string", MISSING)}
        t[k] = v
    return {"mod": o["mod"], "client": endpoint(o.get("client")), "server": endpoint(o.get("server")), "tls": t}


def canon(o):
    return json.dumps(o, sort_keys=True)


def explain(missing, extra):
    """Lines that show the differences, pairing records of the same mod
    and endpoints to name the fields that differ."""
    lines = []
    pool = collections.defaultdict(list)
    for s in extra:
        o = json.loads(s)
        pool[(o["mod"], canon(o["client"]), canon(o["server"]))].append(o)
    paired = set()
    for s in missing:
        e = json.loads(s)
        k = (e["mod"], canon(e["client"]), canon(e["server"]))
        if pool.get(k):
            n = pool[k].pop(0)
            paired.add(canon(n))
            diff = ["%s: expected %s, netprint %s" % (f, json.dumps(e["tls"][f]), json.dumps(n["tls"].get(f)))
                    for f in e["tls"] if e["tls"][f] != n["tls"].get(f)]
            lines.append("differs: %s %s -> %s: %s" % (e["mod"], canon(e["client"]), canon(e["server"]),
                                                        "; ".join(diff)))
        else:
            lines.append("expected, not reported: " + s)
    for s in extra:
        if s not in paired:
            lines.append("reported, not expected: " + s)
    return lines


def p0f_ip(s):
    a = ipaddress.ip_address(s)
    if a.version == 4:
        return str(a)
    return ":".join("%x" % int(w, 16) for w in a.exploded.split(":"))


def compare_netprint(np, db_args, pcap, expected, wd):
    env = dict(os.environ, TZ="UTC")
    with open(os.path.join(wd, "netprint.jsonl"), "wb") as out, open(os.path.join(wd, "netprint.err"), "wb") as err:
        p = subprocess.run([np, "-r", pcap] + db_args + ["--json", "-"], env=env, stdout=out, stderr=err)
    if not check(p.returncode == 0, "netprint exits 0 (status %d, see %s/netprint.err)" % (p.returncode, wd)):
        return
    got, bad = [], 0
    for raw in open(os.path.join(wd, "netprint.jsonl"), "rb").read().splitlines():
        try:
            o = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            bad += 1
            continue
        if isinstance(o, dict) and o.get("mod") in KEYS:
            got.append(canon(restrict(o)))
    check(bad == 0, "every line netprint writes is a JSON object in UTF-8 (%d are not)" % bad)
    want = collections.Counter(canon(e) for e in expected)
    have = collections.Counter(got)
    missing = sorted((want - have).elements())
    extra = sorted((have - want).elements())
    lines = explain(missing, extra)
    with open(os.path.join(wd, "diff.txt"), "w") as fh:
        fh.write("".join(x + "\n" for x in lines))
    by_mod = collections.Counter(json.loads(s)["mod"] for s in got)
    ok = check(not lines, "netprint's tls records equal the expected ones: %d expected, %d reported "
               "(%d tls client, %d tls server), %d missing, %d unexpected"
               % (len(expected), len(got), by_mod["tls client"], by_mod["tls server"], len(missing), len(extra)))
    if not ok:
        for x in lines[:25]:
            say(x)
        if len(lines) > 25:
            say("... %d more in %s/diff.txt" % (len(lines) - 25, wd))


def decode_as(hellos):
    """tshark -d options for the servers' ports it would not dissect: TLS
    on TCP ports (but not the STARTTLS ones, whose own dissectors hand
    over to TLS), QUIC or DTLS on a UDP port only one of them uses."""
    tcp, starttls, udp = set(), set(), collections.defaultdict(set)
    for h in hellos:
        port = h["dst"][1] if h["role"] == "client" else h["src"][1]
        if h["transport"] == "tcp":
            (starttls if h["kind"] == "starttls" else tcp).add(port)
        else:
            udp[port].add(h["transport"])
    out = []
    for p in sorted(tcp - starttls - {443}):
        out += ["-d", "tcp.port==%d,tls" % p]
    for p in sorted(udp):
        if len(udp[p]) == 1 and p != 443:
            out += ["-d", "udp.port==%d,%s" % (p, udp[p].pop())]
    return out


def tshark_rows(pcap, hellos, wd):
    cmd = ["tshark", "-r", pcap, "-n", "-o", "tcp.reassemble_out_of_order:TRUE", "-T", "json"] + decode_as(hellos)
    for f in TSHARK_FIELDS:
        cmd += ["-e", f]
    with open(os.path.join(wd, "tshark.err"), "wb") as err:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err)
    if p.returncode != 0:
        return None
    rows = []
    for pkt in json.loads(p.stdout.decode("utf-8", "replace") or "[]"):
        layers = pkt.get("_source", {}).get("layers", {})
        rows.append({f: layers.get(f, []) for f in TSHARK_FIELDS})
    return rows


def compare_tshark(pcap, hellos, expected, wd):
    rows = tshark_rows(pcap, hellos, wd)
    if not check(rows is not None, "tshark reads the capture (see %s/tshark.err)" % wd):
        return
    index = collections.defaultdict(list)
    for i, h in enumerate(hellos):
        index[(h["src"][0], h["src"][1], h["dst"][0], h["dst"][1], h["role"])].append(i)
    read = set()             # hellos tshark read with the same JA3
    lenient = collections.Counter()  # tshark fingerprints where only malformed hellos were made
    stray = []               # tshark hellos on flows with no hello at all
    wrong = []
    for row in rows:
        src = (row["ip.src"] or row["ipv6.src"] or [None])[0]
        dst = (row["ip.dst"] or row["ipv6.dst"] or [None])[0]
        sport = (row["tcp.srcport"] or row["udp.srcport"] or [None])[0]
        dport = (row["tcp.dstport"] or row["udp.dstport"] or [None])[0]
        for p in ("tls", "dtls"):
            for role, full_f, hash_f in (("client", "ja3_full", "ja3"), ("server", "ja3s_full", "ja3s")):
                fulls = row["%s.handshake.%s" % (p, full_f)]
                hashes = row["%s.handshake.%s" % (p, hash_f)]
                snis = row["%s.handshake.extensions_server_name" % p]
                for k, full in enumerate(fulls):
                    where = "frame %s %s/%s -> %s/%s %s" % (row["frame.number"][0], src, sport, dst, dport, role)
                    if k >= len(hashes) or hashlib.md5(full.encode()).hexdigest() != hashes[k]:
                        wrong.append("%s: tshark's hash is not the MD5 of its string %s" % (where, full))
                        continue
                    key = (p0f_ip(src), int(sport), p0f_ip(dst), int(dport), role)
                    cands = index.get(key, [])
                    valid = [i for i in cands if hellos[i]["valid"]]
                    if not cands:
                        stray.append("%s: %s" % (where, full))
                    elif not valid:
                        lenient[hellos[cands[0]]["note"]] += 1
                    else:
                        same = [i for i in valid if hellos[i]["ja3_string"] == full]
                        if not same:
                            wrong.append("%s: tshark %s, generated %s" % (
                                where, full, " or ".join(sorted({hellos[i]["ja3_string"] for i in valid}))))
                            continue
                        read.update(same)
                        sni = hellos[same[0]]["sni"]
                        if role == "client" and sni is not None and sni.isascii() and sni.isprintable() \
                                and "," not in sni and snis and snis[0] != sni:
                            wrong.append("%s: tshark SNI %r, generated %r" % (where, snis[0], sni))
    # per kind: valid hellos made, read by tshark
    made = collections.Counter()
    got = collections.Counter()
    for i, h in enumerate(hellos):
        if h["valid"]:
            k = "%s %s%s" % (h["kind"], h["role"], "" if h["reported"] else " (not reported)")
            made[k] += 1
            got[k] += i in read
    summary = ", ".join("%s %d/%d" % (k, got[k], made[k]) for k in sorted(made))
    say("tshark read and agreed on (read/generated): " + summary)
    if lenient:
        say("tshark fingerprints hellos the generator made malformed: " +
            ", ".join("%s x%d" % kv for kv in sorted(lenient.items())))
    for s in stray[:10]:
        say("tshark reads a hello where none was generated: " + s)
    check(not wrong and not stray, "tshark's JA3 / JA3S agree on every hello it reads (%d of %d)" % (
        len(read), sum(made.values())))
    for w in wrong[:20]:
        say(w)
    check(not made or read, "tshark reads some of the hellos")
    lost = [i for i, h in enumerate(hellos) if h["note"] == "lost segment"]
    check(not (set(lost) & read), "tshark reads none of the %d hellos that lost a segment for good" % len(lost))
    # ja4_spec's JA3 strings against the generator's own
    own = {}
    for h in hellos:
        if h["reported"]:
            own[(h["src"][0], h["src"][1], h["dst"][0], h["dst"][1], h["role"])] = h["ja3_string"]
    bad = []
    for e in expected:
        client = e["mod"] == "tls client"
        a, b = (e["client"], e["server"]) if client else (e["server"], e["client"])
        s = own.get((a["ip"], a["port"], b["ip"], b["port"], "client" if client else "server"))
        j = e["tls"]["ja3" if client else "ja3s"]
        if s != j["string"] or hashlib.md5(j["string"].encode()).hexdigest() != j["hash"]:
            bad.append("%s %s: ja4_spec %s, generator %s" % (e["mod"], canon(e["client"]), j["string"], s))
    check(not bad, "the expected JA3 / JA3S (ja4_spec's) equal the generator's own and hash to their MD5")
    for x in bad[:10]:
        say(x)


def main():
    args = sys.argv[1:]
    if "--" not in args or args.index("--") < 1 or len(args) - args.index("--") - 1 < 3:
        print("usage: random_tls_check.py NETPRINT DB_ARGS... -- SEED COUNT WORKDIR [--kinds K,...]",
              file=sys.stderr)
        return 2
    i = args.index("--")
    np, db_args = os.path.abspath(args[0]) if os.sep in args[0] else args[0], args[1:i]
    seed, count, wd = args[i + 1:i + 4]
    gen_opts = args[i + 4:]
    os.makedirs(wd, exist_ok=True)
    pcap = os.path.join(wd, "tls-%s.pcap" % seed)
    exp_path, hel_path = os.path.join(wd, "expected.jsonl"), os.path.join(wd, "hellos.jsonl")
    p = subprocess.run([PYTHON, GEN, seed, count, pcap, exp_path, "--hellos", hel_path, "--stats"] + gen_opts,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for line in p.stdout.decode(errors="replace").splitlines():
        say(line)
    if not check(p.returncode == 0, "generator, seed %s, %s conversations %s" % (seed, count, " ".join(gen_opts))):
        return finish()
    expected = [json.loads(x) for x in open(exp_path)]
    hellos = [json.loads(x) for x in open(hel_path)]
    if ja4_spec_placeholder():
        check(True, "netprint's tls records equal the expected ones # SKIP tests/tls/ja4_spec.py is a placeholder")
    else:
        compare_netprint(np, db_args, pcap, expected, wd)
    if shutil.which("tshark") is None:
        check(True, "tshark's JA3 / JA3S agree # SKIP tshark is not installed")
    else:
        compare_tshark(pcap, hellos, expected, wd)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
