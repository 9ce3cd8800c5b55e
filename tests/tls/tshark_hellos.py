#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every ClientHello and ServerHello tshark finds in a capture (TLS over
TCP, QUIC Initials, DTLS), from one `tshark -T json -x` pass, as the plain
values ja4_spec.py reads, with tshark's own JA3 / JA3S.

The JSON tree keeps each extension in its own node, so the values of
signature_algorithms (13) are told from those of signature_algorithms_cert
(50), and the extension types come in wire order; -x gives the raw bytes of
ALPN and SNI values (tshark's text form of a string is lossy).

  tshark_hellos(capture, extra_filter=None) -> ([Hello, ...], [packet, ...])

A Hello is a dict: frame, time_us, transport ('t', 'q', 'd'), carrier (the
protocol between the transport layer and TLS when there is one, e.g.
'openvpn'), ip_ver, src, sport, dst, dport (netprint's text forms), stream
(tshark's tcp.stream / udp.stream), type ('client' / 'server'), hello (the
ja4_spec dict, or None when tshark did not dissect it whole), malformed
(tshark flagged the message), ja3 / ja3_full (ClientHello) or ja3s /
ja3s_full (ServerHello) as tshark printed them (None when it printed none).
The packets matched by extra_filter but holding no hello are returned as
their layers (pair lists), for callers that want other fields.
"""
import ipaddress
import json
import subprocess

# Out-of-order TCP segments are reassembled (tshark 4.0 does not by default
# and then misses hellos whose segments arrived out of order); heuristic
# dissectors run before port-based ones, so TLS on port 80 or 8080 is TLS.
TSHARK_OPTS = ["-o", "tcp.reassemble_out_of_order:TRUE", "-o", "tcp.try_heuristic_first:TRUE"]

HELLO_FILTER = ("tls.handshake.type == 1 or tls.handshake.type == 2 or "
                "dtls.handshake.type == 1 or dtls.handshake.type == 2")


def run_tshark(capture, display_filter, raw=True):
    """tshark's JSON for the frames display_filter keeps, every object as a
    list of (key, value) pairs (keys repeat)."""
    cmd = ["tshark", "-r", capture, "-n", "-T", "json", "-Y", display_filter] + TSHARK_OPTS
    if raw:
        cmd.insert(4, "-x")
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError("tshark failed on %s: %s" % (capture, p.stderr.decode(errors="replace")))
    text = p.stdout.decode("utf-8", errors="replace").strip()
    return json.loads(text, object_pairs_hook=lambda pairs: pairs) if text else []


def is_obj(v):
    """A JSON object (a list of pairs), not an array (-x's raw values)."""
    return isinstance(v, list) and (not v or isinstance(v[0], tuple))


def get(node, key, default=None):
    for k, v in node:
        if k == key:
            return v
    return default


def get_all(node, key):
    return [v for k, v in node if k == key]


def find_all(node, key, out=None):
    """Every value of key anywhere under node, in tree order."""
    if out is None:
        out = []
    for k, v in node:
        if k == key:
            out.append(v)
        if is_obj(v):
            find_all(v, key, out)
    return out


def _norm(node):
    """DTLS field names as TLS ones (dtls.handshake.x -> tls.handshake.x)."""
    res = []
    for k, v in node:
        if k.startswith("dtls."):
            k = k[1:]
        res.append((k, _norm(v) if is_obj(v) else v))
    return res


def _raw_bytes(node, key):
    """The bytes of each occurrence of key under node (its key_raw twin:
    [hex, offset, length, bitmask, type])."""
    out = []
    for raw in find_all(node, key + "_raw"):
        if raw and isinstance(raw[0], list):    # several raws in one value
            out.extend(bytes.fromhex(r[0]) for r in raw)
        else:
            out.append(bytes.fromhex(raw[0]))
    return out


def _ints(values, base):
    return [int(v, base) for v in values]


def np_ip(text):
    """tshark's address text in netprint's form (IPv6: eight groups, lowercase
    hex without leading zeros, no '::')."""
    a = ipaddress.ip_address(text)
    if a.version == 4:
        return str(a)
    return ":".join("%x" % int(g, 16) for g in a.exploded.split(":"))


def hello_from_node(hs, transport):
    """The ja4_spec dict of one handshake node (fields already normalised
    to tls.*), or raise KeyError/ValueError when a part is missing."""
    mtype = int(get(hs, "tls.handshake.type"))
    client = mtype == 1
    h = {"type": "client" if client else "server", "transport": transport,
         "legacy_version": int(get(hs, "tls.handshake.version"), 16),
         "supported_versions": None, "extensions": [], "sni": None, "alpns": None,
         "sig_algs": None, "groups": None, "point_formats": None}
    if client:
        suites = get(hs, "tls.handshake.ciphersuites")
        h["ciphers"] = _ints(get_all(suites, "tls.handshake.ciphersuite"), 16) if suites else []
    else:
        h["cipher"] = int(get(hs, "tls.handshake.ciphersuite"), 16)
    for k, ext in hs:
        if not is_obj(ext):
            continue
        t = get(ext, "tls.handshake.extension.type")
        if t is None:
            continue
        t = int(t)
        h["extensions"].append(t)
        if t == 0 and client and h["sni"] is None:
            names = _raw_bytes(ext, "tls.handshake.extensions_server_name")
            h["sni"] = names[0] if names else b""
        elif t == 16 and h["alpns"] is None:
            h["alpns"] = _raw_bytes(ext, "tls.handshake.extensions_alpn_str")
        elif t == 13 and client and h["sig_algs"] is None:
            h["sig_algs"] = _ints(find_all(ext, "tls.handshake.sig_hash_alg"), 16)
        elif t == 10 and client and h["groups"] is None:
            h["groups"] = _ints(find_all(ext, "tls.handshake.extensions_supported_group"), 16)
        elif t == 11 and client and h["point_formats"] is None:
            h["point_formats"] = _ints(find_all(ext, "tls.handshake.extensions_ec_point_format"), 10)
        elif t == 43 and h["supported_versions"] is None:
            h["supported_versions"] = _ints(find_all(ext, "tls.handshake.extensions.supported_version"), 16)
    return h


def _walk_handshakes(node, out):
    """Handshake nodes of type 1 or 2 under node, in tree order."""
    for k, v in node:
        if not is_obj(v):
            continue
        if k in ("tls.handshake", "dtls.handshake") and get(v, k + ".type") in ("1", "2"):
            out.append(v)
        else:
            _walk_handshakes(v, out)
    return out


def _has_malformed(node):
    return any(k == "_ws.malformed" or (is_obj(v) and _has_malformed(v)) for k, v in node)


def hellos_of_packet(pkt):
    layers = get(get(pkt, "_source"), "layers")
    frame = get(layers, "frame")
    fno = int(get(frame, "frame.number"))
    sec, _, frac = get(frame, "frame.time_epoch").partition(".")
    time_us = int(sec) * 1000000 + int((frac + "000000")[:6])
    out = []
    ip = l4 = l4name = None
    carrier = None
    for name, layer in layers:
        if not is_obj(layer):
            continue
        if name in ("ip", "ipv6"):
            ip, l4, l4name, carrier = (name, layer), None, None, None
        elif name in ("tcp", "udp"):
            l4, l4name, carrier = layer, name, None
        elif name in ("tls", "dtls", "quic"):
            if name == "quic":
                transport = "q"
            elif name == "dtls":
                transport = "d"
            else:
                transport = "t"
            for hs in _walk_handshakes(layer, []):
                out.append(_record(fno, time_us, ip, l4, l4name, carrier, transport, hs))
        elif l4 is not None and name not in ("_ws.malformed", "data", "x509sat", "x509ce",
                                             "pkix1explicit", "pkix1implicit", "ocsp", "pkcs-1", "tcp.segments",
                                             "x509af", "ns_cert_exts", "logotypecertextn"):
            carrier = name
    return out


def _record(fno, time_us, ip, l4, l4name, carrier, transport, hs):
    ipname, iplayer = ip
    if ipname == "ip":
        src, dst = get(iplayer, "ip.src"), get(iplayer, "ip.dst")
    else:
        src, dst = get(iplayer, "ipv6.src"), get(iplayer, "ipv6.dst")
    pre = l4name + "."
    norm = _norm(hs)
    rec = {"frame": fno, "time_us": time_us, "transport": transport, "carrier": carrier,
           "ip_ver": 4 if ipname == "ip" else 6, "src": np_ip(src), "dst": np_ip(dst),
           "sport": int(get(l4, pre + "srcport")), "dport": int(get(l4, pre + "dstport")),
           "stream": int(get(l4, pre + "stream", "-1")),
           "type": "client" if get(norm, "tls.handshake.type") == "1" else "server",
           "malformed": _has_malformed(hs)}
    if rec["type"] == "client":
        rec["ja3"], rec["ja3_full"] = get(norm, "tls.handshake.ja3"), get(norm, "tls.handshake.ja3_full")
    else:
        rec["ja3s"], rec["ja3s_full"] = get(norm, "tls.handshake.ja3s"), get(norm, "tls.handshake.ja3s_full")
    try:
        rec["hello"] = hello_from_node(norm, transport)
    except (TypeError, ValueError, KeyError, IndexError):
        rec["hello"] = None
    return rec


def tshark_hellos(capture, extra_filter=None):
    flt = HELLO_FILTER if not extra_filter else "(%s) or (%s)" % (HELLO_FILTER, extra_filter)
    hellos, others = [], []
    for pkt in run_tshark(capture, flt):
        found = hellos_of_packet(pkt)
        if found:
            hellos.extend(found)
        if not found or extra_filter:
            others.append(get(get(pkt, "_source"), "layers"))
    return hellos, others
