# SPDX-License-Identifier: MIT
"""Captures written to order for the database tools' tests: IPv4 TCP
conversations whose SYN is a chosen stack (TTL, window, options, quirks),
answered by a fixed server, then an HTTP request with a chosen User-Agent
or a TLS ClientHello built from ja4_spec.py's plain values. Standard
library only; the same calls always give the same bytes.

    t = Traffic()
    t.conv("10.0.0.1", LINUX_311, ua="Mozilla/5.0 (Linux; Android 14) ...")
    t.conv("10.0.0.2", WIN_7, hello=ja4_spec.spec_example_hello())
    t.write("out.pcap")
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapfile import inet_checksum, write_pcap  # noqa: E402


class Stack:
    """A SYN as a TCP stack sends it. window: an int, or ("mss", k) for
    k * mss; layout: option names (mss, nop, ws, sok, ts, eol)."""

    def __init__(self, ttl, window, scale, layout, mss=1460, df=True):
        self.ttl, self.window, self.scale, self.layout = ttl, window, scale, layout
        self.mss, self.df = mss, df

    def with_(self, **kw):
        s = Stack(self.ttl, self.window, self.scale, self.layout, self.mss, self.df)
        for k, v in kw.items():
            setattr(s, k, v)
        return s

    def win(self):
        return self.window[1] * self.mss if isinstance(self.window, tuple) else self.window


# Stacks whose SYNs p0f.fp names (its lines quoted).
LINUX_311 = Stack(64, ("mss", 20), 10, ("mss", "sok", "ts", "nop", "ws"))
#   Linux 3.11 and newer:   *:64:0:*:mss*20,10:mss,sok,ts,nop,ws:df,id+:0
LINUX_26 = Stack(64, ("mss", 4), 7, ("mss", "sok", "ts", "nop", "ws"))
#   Linux 2.6.x:            *:64:0:*:mss*4,7:mss,sok,ts,nop,ws:df,id+:0
WIN_7 = Stack(128, 8192, 8, ("mss", "nop", "ws", "nop", "nop", "sok"))
#   Windows 7 or 8:         *:128:0:*:8192,8:mss,nop,ws,nop,nop,sok:df,id+:0
# One no line of p0f.fp has: Windows 10's 64240 window with Windows' layout,
# and one made up (an odd layout no OS sends).
WIN_10 = Stack(128, 64240, 8, ("mss", "nop", "ws", "nop", "nop", "sok"))
ODD = Stack(64, 5555, 3, ("mss", "nop", "nop", "ws", "sok", "ts"))

SERVER = Stack(64, 65160, 7, ("mss", "sok", "ts", "nop", "ws"))

UA = {
    "windows": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/120.0.0.0 Safari/537.36",
    "android": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/120.0.0.0 Mobile Safari/537.36",
    "linux": "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
    "macos": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
             "Gecko) Version/17.1 Safari/605.1.15",
    "ios": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
           "like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "curl": "curl/8.4.0",
}

F_FIN, F_SYN, F_PSH, F_ACK = 0x01, 0x02, 0x08, 0x10


def _addr(text):
    return bytes(int(x) for x in text.split("."))


def _options(stack, tsval):
    out = bytearray()
    for o in stack.layout:
        if o == "mss":
            out += struct.pack("!BBH", 2, 4, stack.mss)
        elif o == "nop":
            out.append(1)
        elif o == "ws":
            out += bytes((3, 3, stack.scale))
        elif o == "sok":
            out += b"\x04\x02"
        elif o == "ts":
            out += struct.pack("!BBII", 8, 10, tsval, 0)
        elif o == "eol":
            out.append(0)
    while len(out) % 4:
        out.append(0)
    return bytes(out)


def _u16(v):
    return struct.pack("!H", v)


def _v8(b):
    return bytes((len(b),)) + b


def _v16(b):
    return _u16(len(b)) + b


def client_hello(h):
    """A TLS record holding the ClientHello that ja4_spec.py's plain values
    describe (extensions without a value of their own are empty)."""
    ext = b""
    for t in h["extensions"]:
        if t == 0x0000 and h.get("sni") is not None:
            body = _v16(b"\0" + _v16(h["sni"]))
        elif t == 0x0010 and h.get("alpns") is not None:
            body = _v16(b"".join(_v8(a) for a in h["alpns"]))
        elif t == 0x000d and h.get("sig_algs") is not None:
            body = _v16(b"".join(_u16(v) for v in h["sig_algs"]))
        elif t == 0x000a and h.get("groups") is not None:
            body = _v16(b"".join(_u16(v) for v in h["groups"]))
        elif t == 0x000b and h.get("point_formats") is not None:
            body = _v8(bytes(h["point_formats"]))
        elif t == 0x002b and h.get("supported_versions") is not None:
            body = _v8(b"".join(_u16(v) for v in h["supported_versions"]))
        else:
            body = b""
        ext += _u16(t) + _v16(body)
    ciphers = b"".join(_u16(c) for c in h["ciphers"])
    body = (_u16(h["legacy_version"]) + bytes(32) + _v8(bytes(32)) + _v16(ciphers) + b"\x01\x00"
            + _v16(ext))
    msg = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + _v16(msg)


class Traffic:
    """Conversations, one after another, 10 ms apart."""

    def __init__(self, server="192.0.2.80", start=1700000000):
        self.server = server
        self.t = start * 1000000
        self.frames = []
        self.port = 40000
        self.ipid = 1000

    def _frame(self, src, dst, ttl, df, sport, dport, seq, ack, flags, win, opts=b"", data=b""):
        self.ipid = (self.ipid + 7) & 0xFFFF or 7   # never 0: p0f reads "id+" from it
        hl = 20 + len(opts)
        seg = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                          (hl // 4) << 4, flags, win, 0, 0) + opts + data
        pseudo = _addr(src) + _addr(dst) + struct.pack("!BBH", 0, 6, len(seg))
        seg = seg[:16] + _u16(inet_checksum(pseudo + seg)) + seg[18:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), self.ipid,
                         0x4000 if df else 0, ttl, 6, 0, _addr(src), _addr(dst))
        ip = ip[:10] + _u16(inet_checksum(ip)) + ip[12:]
        fr = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + ip + seg
        fr += bytes(max(0, 60 - len(fr)))
        self.frames.append((self.t // 1000000, self.t % 1000000, len(fr), fr))
        self.t += 1000

    def syns(self, client, stack, count, hops=3):
        """count SYNs alone (no answer) from client: a flood of one stack."""
        for _ in range(count):
            self.port = self.port + 1 if self.port < 65000 else 1025
            self._frame(client, self.server, stack.ttl - hops, stack.df, self.port, 80,
                        self.port * 7919, 0, F_SYN, stack.win(), _options(stack, 100000 + self.port))

    def conv(self, client, stack, ua=None, hello=None, hops=3, port=None):
        """SYN, SYN+ACK, ACK from client (stack's SYN, hops away), then an
        HTTP GET with ua (port 80), or hello's ClientHello (port 443)."""
        self.port = self.port + 1 if self.port < 65000 else 1025   # ports come round
        sport, dport = self.port, port or (443 if hello else 80)
        cseq, sseq = 1000 + self.port * 7919, 5000
        ts = 100000 + self.port
        self._frame(client, self.server, stack.ttl - hops, stack.df, sport, dport, cseq, 0, F_SYN,
                    stack.win(), _options(stack, ts))
        self._frame(self.server, client, SERVER.ttl, True, dport, sport, sseq, cseq + 1,
                    F_SYN | F_ACK, SERVER.win(), _options(SERVER, 777))
        self._frame(client, self.server, stack.ttl - hops, stack.df, sport, dport, cseq + 1,
                    sseq + 1, F_ACK, 1024)
        if ua is not None:
            data = ("GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: %s\r\n"
                    "Accept: */*\r\n\r\n" % ua).encode("utf-8", "surrogateescape")
        elif hello is not None:
            data = client_hello(hello)
        else:
            data = b""
        if data:
            self._frame(client, self.server, stack.ttl - hops, stack.df, sport, dport, cseq + 1,
                        sseq + 1, F_PSH | F_ACK, 1024, data=data)
        self.t += 10000

    def write(self, path):
        write_pcap(path, 1, self.frames)
