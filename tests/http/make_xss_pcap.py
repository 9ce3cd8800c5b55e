#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a small Ethernet pcap whose fingerprinted strings are HTML and
JavaScript, for the web console's escaping tests. The same bytes every run
(fixed addresses, ports, sequence numbers, timestamps; no randomness).

  make_xss_pcap.py -o OUT.pcap

Two complete TCP connections (SYN, SYN+ACK, ACK, data, FIN both ways):

1. 192.0.2.10:40000 -> 198.51.100.20:80, HTTP/1.1. The request:
     Host: "><img src=x onerror=alert("host")>.example
     User-Agent: Mozilla/5.0 <script>alert("ua")</script>
     Accept-Language: en
   and the response (200, text/html):
     Server: javascript:alert("srv")//<b>bold</b>
   The client's SYN is a distinctive Linux-like stack: TTL 64, DF, a
   nonzero IP ID, window 29200, MSS 1460, options mss,sok,ts,nop,ws with
   wscale 7 (the server answers like a Linux host too: window 65160).
   netprint gives that SYN this raw p0f signature (its "sig" in the
   syn record; checked with engine/netprint -r OUT.pcap --json -):

     4:64+0:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0

   The bundled db/p0f.fp already calls it "Linux 3.11 and newer" (its
   line "*:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0"). A test database
   of its own labels 192.0.2.10 instead (checked; the label's name must be
   alphanumeric, its flavor, after the third colon, may be any text):

     classes = win,unix,other

     [tcp:request]
     label = s:unix:XssTest:<img src=x onerror=alert("os")>
     sig   = 4:64:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0

   given alone or as the first -f; after db/p0f.fp netprint refuses it
   ("signature already covered by line 97").
   The Host header's value is in no record (p0f's HTTP signature names
   Host without its value); the User-Agent ends the request's raw_sig,
   the Server value the response's, the SNI is the tls record's "sni".

2. 192.0.2.11:50000 -> 198.51.100.21:443, a TLS 1.3 ClientHello (record
   version 1.0) with SNI <script>alert("sni")</script>.example (those very
   bytes in the server_name extension) and ALPN h2 only; the server only
   acknowledges it. The client is Windows-like (TTL 128, window 64240,
   mss,nop,ws,nop,nop,sok): not the label above.

The TCP/IP frames are tests/random/gen_tls_pcap.py's, the SYN options
tests/random/gen_http_pcap.py's, the file tests/pcapfile.py's.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "random"))
from pcapfile import write_pcap  # noqa: E402
from gen_http_pcap import L_LINUX, L_WIN, opt_bytes  # noqa: E402
from gen_tls_pcap import (CHROME_SIGS, EXT_ALPN, EXT_GROUPS, EXT_KEYSHARE, EXT_POINTS,  # noqa: E402
                          EXT_SIGS, EXT_SNI, EXT_VERSIONS, F_ACK, F_FIN, F_PSH, F_SYN, Hello,
                          Host, tcp_frame, u8, u16, v16)

UA = 'Mozilla/5.0 <script>alert("ua")</script>'
HOST = '"><img src=x onerror=alert("host")>.example'
SERVER = 'javascript:alert("srv")//<b>bold</b>'
SNI = b'<script>alert("sni")</script>.example'
T0 = 1700000000 * 1000000        # pcap time of the first packet, in microseconds


def host(last, ttl, ipid, mac):
    return Host(4, bytes((192, 0, 2, last)) if last < 100 else bytes((198, 51, 100, last - 100)),
                bytes((2, 0, 0, 0, 0, mac)), ttl, ipid, 1)


class Conn:
    """One TCP connection's frames, client side (c) first; each side with
    the SYN options of its stack and timestamps if it offered them."""

    def __init__(self, out, cli, srv, cport, sport, isn, stacks):
        self.out, self.h, self.port = out, (cli, srv), (cport, sport)
        self.nxt = [isn[0], isn[1]]
        self.stacks = stacks          # per side: (options layout, mss, wscale, SYN window, window)
        self.ts = [1000 + 7 * cport, 5000 + 11 * sport] if "ts" in stacks[0][0] else None

    def pkt(self, side, flags, payload=b"", gap=200):
        layout, mss, ws, synwin, win = self.stacks[side]
        ts = self.ts
        if ts:
            ts[side] += 1
        if flags & F_SYN:
            opts = opt_bytes(layout, mss, ws, ts[side] if ts else 0,
                             ts[1 - side] if ts and side else 0)
            win = synwin
        else:
            opts = b"\x01\x01\x08\x0a" + ts[side].to_bytes(4, "big") + ts[1 - side].to_bytes(4, "big") \
                if ts else b""
        ack = self.nxt[1 - side] if flags & F_ACK else 0
        fr = tcp_frame(self.h[side], self.h[1 - side], self.port[side], self.port[1 - side],
                       self.nxt[side], ack, flags, win, opts, payload)
        self.nxt[side] += len(payload) + (1 if flags & (F_SYN | F_FIN) else 0)
        self.out.append((gap, fr))

    def open(self):
        self.pkt(0, F_SYN)
        self.pkt(1, F_SYN | F_ACK, gap=800)
        self.pkt(0, F_ACK, gap=800)

    def close(self):
        self.pkt(0, F_FIN | F_ACK, gap=1000)
        self.pkt(1, F_FIN | F_ACK, gap=800)
        self.pkt(0, F_ACK, gap=800)


def client_hello():
    h = Hello(True, "t")
    h.random = bytes(range(32))
    h.session_id = bytes(range(32, 64))
    h.ciphers = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030]
    h.order = [EXT_SNI, EXT_GROUPS, EXT_POINTS, EXT_SIGS, EXT_ALPN, EXT_VERSIONS, EXT_KEYSHARE]
    h.sni_names = [SNI]
    h.alpns = [b"h2"]
    h.groups = [0x001D, 0x0017]
    h.point_formats = [0]
    h.sig_algs = list(CHROME_SIGS)
    h.versions = [0x0304, 0x0303]
    h.key_shares = [(0x001D, bytes(range(64, 96)))]
    return u8(22) + u16(0x0301) + v16(h.finish().msg)


def frames():
    out = []
    linux_cli = (L_LINUX, 1460, 7, 29200, 229)
    linux_srv = (L_LINUX, 1460, 7, 65160, 510)
    win_cli = (L_WIN, 1460, 8, 64240, 1026)
    win_srv = (L_WIN, 1460, 8, 65535, 1026)

    c = Conn(out, host(10, 64, 0x3a51, 0x10), host(120, 64, 0, 0x20), 40000, 80,
             (0x1a2b3c4d, 0x5e6f7081), (linux_cli, linux_srv))
    c.open()
    req = ("GET /index.html HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: */*\r\n"
           "Accept-Language: en\r\nConnection: keep-alive\r\n\r\n" % (HOST, UA)).encode()
    c.pkt(0, F_ACK | F_PSH, req, gap=300)
    c.pkt(1, F_ACK, gap=500)
    body = b"<html><body>hello</body></html>\n"
    resp = ("HTTP/1.1 200 OK\r\nDate: Tue, 14 Nov 2023 22:13:20 GMT\r\nServer: %s\r\n"
            "Content-Type: text/html\r\nContent-Length: %d\r\nConnection: keep-alive\r\n\r\n"
            % (SERVER, len(body))).encode() + body
    c.pkt(1, F_ACK | F_PSH, resp, gap=2000)
    c.pkt(0, F_ACK, gap=300)
    c.close()

    c = Conn(out, host(11, 128, 0x0400, 0x11), host(121, 64, 0, 0x21), 50000, 443,
             (0x01020304, 0x0a0b0c0d), (win_cli, win_srv))
    c.open()
    c.pkt(0, F_ACK | F_PSH, client_hello(), gap=300)
    c.pkt(1, F_ACK, gap=500)
    c.close()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", dest="out", required=True, help="the pcap to write")
    a = ap.parse_args()
    t, recs = T0, []
    for gap, fr in frames():
        t += gap
        recs.append((t // 1000000, t % 1000000, len(fr), fr))
    write_pcap(a.out, 1, recs)


if __name__ == "__main__":
    main()
