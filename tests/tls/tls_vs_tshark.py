#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""TLS, QUIC and DTLS hellos: netprint against tshark and the specification.

  tls_vs_tshark.py NETPRINT DB_ARGS... -- CAPTURE...

For each capture (one TAP line each):

 1. tshark reads it once (-T json -x; out-of-order TCP segments reassembled,
    heuristic dissectors first, so TLS on a port tshark gives to another
    protocol is still seen): every ClientHello and ServerHello over TCP,
    QUIC and DTLS, with tshark's JA3 / JA3S and the fields JA4 needs. For
    the bundled captures tshark's answer is kept in tshark-ref.jsonl
    (tshark_ref.py; a capture whose bytes changed is read by tshark again).
    ja4_spec.py computes the fingerprints from those fields, and its JA3 /
    JA3S must equal tshark's (both oracles agree).
 2. hello_parse.py reads the same capture (TCP reassembled by sequence
    number, DTLS datagrams) as a second source: for every connection, its
    first hellos must give the same fingerprints, SNI and ALPN as tshark's.
 3. netprint reads it: `TZ=UTC NETPRINT -r CAPTURE DB_ARGS --json -`. Its
    "tls client" / "tls server" records must be, per connection, exactly one
    for the connection's first ClientHello and one for its first
    ServerHello, in the order tshark numbers the frames where those
    messages are complete, with equal transport, version, SNI, ALPN list,
    the four JA4 forms and JA3 (client), cipher, ALPN and JA3S (server).
    A connection is a 5-tuple (client is the ClientHello's sender) and,
    over TCP, one of tshark's tcp.stream numbers (a new SYN on a used
    5-tuple starts another).

tests/tls/TSHARK_DEVIATIONS.tsv lists hellos where tshark is wrong or
outside what netprint reads (capture, flow, hello, reason): such a hello may
be missing from netprint's output; if netprint reports it, it must equal
what tshark or, when tshark has no fingerprint of it, hello_parse.py gives.
A row may name the frame whose TCP payload starts the hello when neither
oracle reaches it in the stream (a capture gap): hello_parse reads it from
that segment, and netprint must report exactly that. A row that matches no
hello fails, so the list stays true.
"""
import concurrent.futures
import json
import os
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import hello_parse  # noqa: E402
import ja4_spec  # noqa: E402
import tshark_ref  # noqa: E402
from tap import check, finish  # noqa: E402

TRANSPORTS = {"t": "tcp", "q": "quic", "d": "dtls"}
DEVIATIONS = os.path.join(HERE, "TSHARK_DEVIATIONS.tsv")
MAX_LINES = 25      # diagnostics per capture


def version_name(v):
    names = {0x0304: "1.3", 0x0303: "1.2", 0x0302: "1.1", 0x0301: "1.0", 0x0300: "SSL 3.0",
             0xfeff: "DTLS 1.0", 0xfefd: "DTLS 1.2", 0xfefc: "DTLS 1.3"}
    return names.get(v, "0x%04x" % v)


def jstr(b):
    """netprint's JSON text of bytes that may not be UTF-8: valid sequences
    kept, every other byte U+FFFD."""
    out, i = [], 0
    while i < len(b):
        c = b[i]
        n = 1 if c < 0x80 else 2 if c & 0xe0 == 0xc0 else 3 if c & 0xf0 == 0xe0 else \
            4 if c & 0xf8 == 0xf0 else 0
        ok = n and i + n <= len(b) and not (n == 2 and c < 0xc2) and not (n == 4 and c > 0xf4)
        ok = ok and all(b[i + k] & 0xc0 == 0x80 for k in range(1, n))
        if ok and n == 3:
            ok = not (c == 0xe0 and b[i + 1] < 0xa0) and not (c == 0xed and b[i + 1] >= 0xa0)
        if ok and n == 4:
            ok = not (c == 0xf0 and b[i + 1] < 0x90) and not (c == 0xf4 and b[i + 1] >= 0x90)
        if ok:
            out.append(b[i:i + n].decode("utf-8"))
            i += n
        else:
            out.append("\ufffd")
            i += 1
    return "".join(out)


def expected_tls(hello):
    """The "tls" object netprint must print for a hello (ja4_spec values)."""
    tr = TRANSPORTS[hello["transport"]]
    v = ja4_spec.hello_version(hello)
    if hello["type"] == "client":
        fp = ja4_spec.client_fingerprints(hello)
        return {"transport": tr, "version": version_name(v),
                "sni": jstr(hello["sni"]) if hello["sni"] is not None else None,
                "client_alpns": [jstr(a) for a in hello["alpns"] or []],
                "ja4": fp["ja4"], "ja4_r": fp["ja4_r"], "ja4_o": fp["ja4_o"], "ja4_ro": fp["ja4_ro"],
                "ja3": {"hash": fp["ja3"], "string": fp["ja3_string"]}}
    fp = ja4_spec.server_fingerprints(hello)
    return {"transport": tr, "version": version_name(v), "cipher": "0x%04x" % hello["cipher"],
            "server_alpn": jstr(hello["alpns"][0]) if hello["alpns"] else None,
            "ja3s": {"hash": fp["ja3s"], "string": fp["ja3s_string"]}}


def tls_diff(got, want):
    """Why netprint's "tls" object is not the expected one, or None."""
    if not isinstance(got, dict):
        return "no \"tls\" object"
    bad = []
    for k, w in want.items():
        g = got.get(k, "<missing>")
        if k == "version" and w == "0x0002" and g == "SSL 2.0":
            continue        # matcher/tls_fp.h names 0x0002; the JSON contract does not
        if k == "sni" and w == "" and g is None:
            continue        # server_name without a host_name: null or ""
        if g != w:
            bad.append("%s %s != %s" % (k, json.dumps(g), json.dumps(w)))
    return "; ".join(bad) or None


def flow_text(transport, client, server):
    return "%s %s/%d %s/%d" % (TRANSPORTS[transport], client[0], client[1], server[0], server[1])


def load_deviations(path):
    """(capture, flow, hello) -> (reason, frame or None)."""
    rows = {}
    if not os.path.exists(path):
        return rows
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#") or line.startswith("capture\t"):
            continue
        f = line.split("\t")
        if (len(f) not in (4, 5) or f[2] not in ("client", "server", "both") or not f[3].strip()
                or (len(f) == 5 and f[4] and (not f[4].isdigit() or f[2] == "both"))):
            raise SystemExit("%s:%d: want capture, flow, hello (client/server/both), reason"
                             " [, frame]" % (path, n))
        rows[(f[0], f[1], f[2])] = (f[3], int(f[4]) if len(f) == 5 and f[4] else None)
    return rows


def frame_hello(capture, frame, kind):
    """The hello that starts the TCP payload of one frame, read by hello_parse
    alone (for hellos neither oracle reaches in the stream: a capture gap)."""
    for n, _, _, src, dst, proto, l4 in hello_parse.packets(capture):
        if n != frame:
            continue
        if proto != 6 or len(l4) < 20:
            return None
        pay = l4[(l4[12] >> 4) * 4:]
        if len(pay) < 9 or pay[0] != 22 or pay[5] != (1 if kind == "client" else 2):
            return None
        n_body = int.from_bytes(pay[6:9], "big")
        return hello_parse.parse_hello(pay[5], pay[9:9 + n_body], transport="t")
    return None


def add_frame_hellos(capture, conns, deviations):
    """A listed hello with a frame: its reading joins the expected ones."""
    name = os.path.basename(capture)
    for (cap, flow, kind), (_, frame) in deviations.items():
        if cap != name or frame is None:
            continue
        for (tr, cli, srv), streams in conns.items():
            if flow_text(tr, cli, srv) != flow:
                continue
            for st in streams:
                if kind not in st:
                    st[kind] = {"frame": frame, "hello": frame_hello(capture, frame, kind),
                                "tshark": False, "parse": None, "syn": None}
                    break


# ---------------------------------------------------------------------------
# The oracles

def oracle(capture):
    """(connections, problems, counts): connections maps (transport, client,
    server) to a list (one per TCP stream) of {"client": hello entry,
    "server": hello entry}, each entry {"frame", "hello", "tshark", "parse",
    "syn"}; problems lists oracle disagreements as (flow, kind, text)."""
    problems = []
    ts, _ = tshark_ref.hellos_of(capture)
    counts = defaultdict(int)
    conns = defaultdict(dict)    # (transport, client, server, stream) -> {kind: entry}
    for h in ts:
        counts[(h["transport"], h["type"])] += 1
        if h["type"] == "client":
            cli, srv = (h["src"], h["sport"]), (h["dst"], h["dport"])
        else:
            cli, srv = (h["dst"], h["dport"]), (h["src"], h["sport"])
        flow = flow_text(h["transport"], cli, srv)
        # Both oracles must agree on every hello tshark fingerprints.
        if h["hello"] is None:
            problems.append((flow, h["type"], "frame %d: tshark's fields are incomplete" % h["frame"]))
        elif h["type"] == "client":
            fp = ja4_spec.client_fingerprints(h["hello"])
            if (fp["ja3"], fp["ja3_string"]) != (h["ja3"], h["ja3_full"]):
                problems.append((flow, "client", "frame %d: tshark JA3 %s %s, ja4_spec %s %s" % (
                    h["frame"], h["ja3"], h["ja3_full"], fp["ja3"], fp["ja3_string"])))
        else:
            fp = ja4_spec.server_fingerprints(h["hello"])
            if (fp["ja3s"], fp["ja3s_string"]) != (h["ja3s"], h["ja3s_full"]):
                problems.append((flow, "server", "frame %d: tshark JA3S %s %s, ja4_spec %s %s" % (
                    h["frame"], h["ja3s"], h["ja3s_full"], fp["ja3s"], fp["ja3s_string"])))
        key = (h["transport"], cli, srv, h["stream"] if h["transport"] == "t" else 0)
        if h["type"] not in conns[key]:
            conns[key][h["type"]] = {"frame": h["frame"], "hello": h["hello"], "tshark": True,
                                     "parse": None, "syn": None}

    # The second source: the first hellos of each TCP connection and DTLS
    # 5-tuple that hello_parse finds.
    firsts = {}
    for r in hello_parse.pcap_hellos(capture):
        if r["type"] == "client":
            cli, srv = (r["src"], r["sport"]), (r["dst"], r["dport"])
        else:
            cli, srv = (r["dst"], r["dport"]), (r["src"], r["sport"])
        firsts.setdefault((r["transport"], cli, srv, r["conn"], r["type"]), r)
    by_flow = defaultdict(list)
    for (tr, cli, srv, conn, kind), r in sorted(firsts.items(), key=lambda kv: kv[1]["frame"]):
        by_flow[(tr, cli, srv, kind)].append(r)
    ts_flow = defaultdict(list)
    for key in sorted(conns, key=lambda k: min(e["frame"] for e in conns[k].values())):
        for kind, e in conns[key].items():
            if key[0] != "q":
                ts_flow[key[:3] + (kind,)].append((key, e))
    for fk in set(by_flow) | set(ts_flow):
        tr, cli, srv, kind = fk
        flow = flow_text(tr, cli, srv)
        ours, theirs = by_flow.get(fk, []), ts_flow.get(fk, [])
        for i in range(max(len(ours), len(theirs))):
            r = ours[i] if i < len(ours) else None
            if i >= len(theirs):
                # Only hello_parse sees it: an entry of its own, so that a
                # listed deviation can still judge netprint's record.
                conns[(tr, cli, srv, "p%d" % i)][kind] = {
                    "frame": r["frame"], "hello": r.get("hello"), "tshark": False, "parse": r,
                    "syn": r["syn"]}
                problems.append((flow, kind, "frame %d: hello_parse finds a %s hello tshark does not%s" % (
                    r["frame"], kind, "" if r.get("hello") else " (" + r["error"] + ")")))
                continue
            key, e = theirs[i]
            if r is None:
                problems.append((flow, kind, "frame %d: tshark finds a %s hello hello_parse does not" % (
                    e["frame"], kind)))
                continue
            e["parse"], e["syn"] = r, r["syn"]
            if r.get("hello") is None:
                problems.append((flow, kind, "frame %d: hello_parse: %s" % (r["frame"], r["error"])))
            elif e["hello"] is not None and expected_tls(r["hello"]) != expected_tls(e["hello"]):
                problems.append((flow, kind, "frame %d: tshark and hello_parse disagree: %s" % (
                    e["frame"], tls_diff(expected_tls(r["hello"]), expected_tls(e["hello"])))))

    out = defaultdict(list)
    for key in sorted(conns, key=lambda k: min(e["frame"] for e in conns[k].values())):
        out[key[:3]].append(conns[key])
    return out, problems, counts


# ---------------------------------------------------------------------------
# netprint

def run_netprint(np, db_args, capture):
    env = dict(os.environ, TZ="UTC")
    try:
        p = subprocess.run([np, "-r", capture] + db_args + ["--json", "-"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        return None, "netprint did not run: %s" % e
    if p.returncode:
        return None, "netprint exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace")[-300:])
    recs, bad = [], []
    for n, line in enumerate(p.stdout.splitlines(), 1):
        if not line.strip():
            continue
        try:
            o = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            bad.append("line %d not JSON: %s" % (n, e))
            continue
        if o.get("mod") in ("tls client", "tls server"):
            recs.append(o)
    return recs, "; ".join(bad[:3]) or None


def record_key(o):
    """(kind, transport letter, client, server) of a netprint record, or a
    text saying why it is not well formed."""
    try:
        kind = "client" if o["mod"] == "tls client" else "server"
        if o["subject"] != kind:
            return "subject %r in a %s record" % (o["subject"], o["mod"])
        tr = {v: k for k, v in TRANSPORTS.items()}[o["tls"]["transport"]]
        cli = (o["client"]["ip"], int(o["client"]["port"]))
        srv = (o["server"]["ip"], int(o["server"]["port"]))
        for f in ("time", "epoch", "epoch_us", "params", "app"):
            if f not in o:
                return "no %r" % f
        return kind, tr, cli, srv
    except (KeyError, TypeError, ValueError) as e:
        return "malformed record (%s): %s" % (e, json.dumps(o)[:200])


def compare(capture, conns, recs, deviations, used):
    """Problems (flow, kind, text) between the expected hellos and netprint."""
    name = os.path.basename(capture)
    problems = []
    got = defaultdict(list)
    for o in sorted(recs, key=lambda o: o.get("epoch_us", 0)):
        k = record_key(o)
        if isinstance(k, str):
            problems.append(("?", "?", k))
            continue
        kind, tr, cli, srv = k
        got[(tr, cli, srv, kind)].append(o)

    def listed(flow, kind):
        """Listed, and so allowed to be missing (a row that names the frame
        holding the hello still requires it)."""
        for h in (kind, "both"):
            if (name, flow, h) in deviations:
                used.add((name, flow, h))
                return deviations[(name, flow, h)][1] is None
        return False

    want = defaultdict(list)
    for (tr, cli, srv), streams in conns.items():
        for st in streams:
            for kind, e in st.items():
                want[(tr, cli, srv, kind)].append(e)
    for fk in sorted(set(want) | set(got), key=str):
        tr, cli, srv, kind = fk
        flow = flow_text(tr, cli, srv)
        ws, gs = want.get(fk, []), got.get(fk, [])
        optional = listed(flow, kind)
        for i, g in enumerate(gs):
            if i >= len(ws):
                problems.append((flow, kind, "netprint reports a %s hello no oracle sees: %s" % (
                    kind, json.dumps(g.get("tls"))[:300])))
                continue
            e = ws[i]
            cands = [h for h in (e["hello"], (e["parse"] or {}).get("hello")) if h is not None]
            if not cands:
                if not optional:
                    problems.append((flow, kind, "frame %d: netprint fingerprints a hello no oracle "
                                     "can read" % e["frame"]))
                continue
            # tshark's reading; for a listed hello, hello_parse's will do too.
            diffs = [tls_diff(g.get("tls"), expected_tls(h)) for h in cands[:2 if optional else 1]]
            if all(diffs):
                problems.append((flow, kind, "frame %d: %s" % (e["frame"], diffs[0])))
        if not optional:
            for e in ws[len(gs):]:
                hint = " (no SYN in the capture)" if e["syn"] is False else ""
                problems.append((flow, kind, "frame %d: netprint does not report this %s hello%s" % (
                    e["frame"], kind, hint)))
    return problems


def main(argv):
    if "--" not in argv or len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    sep = argv.index("--")
    np, db_args, captures = argv[0], argv[1:sep], argv[sep + 1:]
    deviations = load_deviations(DEVIATIONS)
    used = set()
    totals = defaultdict(int)
    oracle_disagree = []
    workers = min(8, os.cpu_count() or 1)
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(oracle, c) for c in captures]
        for cap, fut in zip(captures, futures):
            name = os.path.basename(cap)
            recs, err = run_netprint(np, db_args, cap)
            try:
                conns, problems, counts = fut.result()
            except Exception as e:     # tshark missing or failing
                check(False, "%s: oracle failed: %s" % (name, e))
                continue
            add_frame_hellos(cap, conns, deviations)
            for k, v in counts.items():
                totals[k] += v
            lines = []
            oracle_lines = []
            for flow, kind, text in problems:
                if (name, flow, kind) in deviations or (name, flow, "both") in deviations:
                    used.add((name, flow, kind) if (name, flow, kind) in deviations else (name, flow, "both"))
                    continue
                oracle_lines.append("oracles: %s %s: %s" % (flow, kind, text))
            oracle_disagree.extend(oracle_lines)
            if recs is None:
                lines.append(err)
            else:
                if err:
                    lines.append(err)
                for flow, kind, text in compare(cap, conns, recs, deviations, used):
                    lines.append("%s %s: %s" % (flow, kind, text))
            lines = oracle_lines + lines
            for ln in lines[:MAX_LINES]:
                print("# %s: %s" % (name, ln))
            if len(lines) > MAX_LINES:
                print("# %s: ... %d more" % (name, len(lines) - MAX_LINES))
            n_cli = sum(1 for v in conns.values() for st in v if "client" in st)
            n_srv = sum(1 for v in conns.values() for st in v if "server" in st)
            check(not lines, "%s: %d connections, %d first ClientHellos, %d first ServerHellos" % (
                name, sum(len(v) for v in conns.values()), n_cli, n_srv))
    names = {os.path.basename(c) for c in captures}
    stale = [k for k in deviations if k[0] in names and k not in used]
    check(not stale, "every row of TSHARK_DEVIATIONS.tsv matches a hello" +
          "".join("\n# unused: %s" % "\t".join(k) for k in stale))
    print("# tshark hellos: " + ", ".join("%s %s %d" % (TRANSPORTS[t], k, v)
                                         for (t, k), v in sorted(totals.items())))
    return finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
