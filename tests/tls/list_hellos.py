#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The ClientHellos of captures, with what else the capture says about the
client: evidence for labelling TLS fingerprints.

  list_hellos.py CAPTURE...

One tab-separated line per connection's first ClientHello (tshark reads
each capture once, over TCP, QUIC and DTLS): capture, transport, client,
server, JA4 (ja4_spec.py, from the specification), JA3 (tshark's), SNI,
ALPN list, and the User-Agent headers of the plaintext HTTP requests the
same client address sent in the same capture (tshark's http.user_agent;
several joined with " | ", "-" when there is none).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ja4_spec  # noqa: E402
import tshark_hellos  # noqa: E402
from tshark_hellos import find_all, get, is_obj  # noqa: E402

TRANSPORTS = {"t": "tcp", "q": "quic", "d": "dtls"}


def text(b):
    return b.decode("utf-8", errors="backslashreplace")


def user_agents(packets):
    """client address (netprint's text) -> User-Agents in first-seen order."""
    uas = {}
    for layers in packets:
        src = None
        for name, layer in layers:
            if name in ("ip", "ipv6") and is_obj(layer):
                src = get(layer, name + ".src")
            elif name == "http" and is_obj(layer) and src:
                for ua in find_all(layer, "http.user_agent"):
                    lst = uas.setdefault(tshark_hellos.np_ip(src), [])
                    if ua not in lst:
                        lst.append(ua)
    return uas


def main(captures):
    if not captures:
        sys.stderr.write(__doc__)
        return 2
    print("\t".join(["capture", "transport", "client", "server", "ja4", "ja3", "sni", "alpns",
                     "user_agents"]))
    for cap in captures:
        hellos, packets = tshark_hellos.tshark_hellos(cap, extra_filter="http.user_agent")
        uas = user_agents(packets)
        seen = set()
        for h in hellos:
            if h["type"] != "client":
                continue
            key = (h["transport"], h["src"], h["sport"], h["dst"], h["dport"], h["stream"])
            if key in seen:
                continue        # a later ClientHello of the connection (HelloRetryRequest)
            seen.add(key)
            x = h["hello"]
            ja4 = ja4_spec.client_fingerprints(x)["ja4"] if x else "?"
            print("\t".join([
                os.path.basename(cap), TRANSPORTS[h["transport"]] + ("/" + h["carrier"] if h["carrier"] else ""),
                "%s/%d" % (h["src"], h["sport"]), "%s/%d" % (h["dst"], h["dport"]),
                ja4, h["ja3"] or "?",
                text(x["sni"]) if x and x["sni"] is not None else "-",
                ",".join(text(a) for a in x["alpns"]) if x and x["alpns"] else "-",
                " | ".join(uas.get(h["src"], [])) or "-",
            ]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
