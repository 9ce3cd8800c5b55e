#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Build synthetic throughput captures for the replay bench.

  make_traffic_pcap.py syn  OUT.pcap FRAMES
  make_traffic_pcap.py bulk OUT.pcap FLOWS SEGMENTS
  make_traffic_pcap.py tls  OUT.pcap FRAMES CAPTURE...

syn:  a SYN flood, every frame a SYN (Linux-like options, 74 bytes) from a
      distinct source address and port, to 16 servers: every packet is
      parsed, matched and opens a tracked connection.
bulk: FLOWS connections (SYN, SYN+ACK, ACK), then SEGMENTS full-size data
      segments each (1514-byte frames, in order, both ways), interleaved:
      after its first 8 KB p0f stops following a connection, so most
      frames are the plain case: one parse, one flow lookup.
tls:  every frame a ClientHello, each on a connection of its own (distinct
      source address and port): the real ClientHellos that fill one TCP
      segment in the CAPTUREs (Ethernet, IPv4 or IPv6), taken in turn, so
      clients come in the mix the captures have. Frames up to 2000 bytes.
Classic microsecond pcap, Ethernet, timestamps 1 us apart.
"""
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from pcapfile import inet_checksum as csum, read_pcap  # noqa: E402

ETH = bytes.fromhex("00163e000002" "00163e000001" "0800")
SYN_OPTS = bytes.fromhex("020405b4" "0402080a" "00000001" "00000000" "01030307")


def frame(src, dst, sport, dport, seq, ack, flags, opts=b"", payload=b"", ipid=1):
    tcp_len = 20 + len(opts)
    ip = struct.pack("!BBHHHBBHII", 0x45, 0, 20 + tcp_len + len(payload), ipid & 0xffff,
                     0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                      tcp_len // 4 << 4, flags, 64240, 0, 0) + opts
    return ETH + ip + tcp + payload


class Writer:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        self.t = 1700000000 * 1000000
        self.n = 0

    def put(self, data):
        self.t += 1
        self.n += 1
        self.f.write(struct.pack("<IIII", self.t // 1000000, self.t % 1000000, len(data),
                                 len(data)) + data)


def syn_flood(out, frames):
    rnd = random.Random(1)
    w = Writer(out)
    for i in range(frames):
        src = 0x0a000000 | (i * 2654435761 % 0xffffff)  # distinct in 10/8
        w.put(frame(src, 0xc0000201 + i % 16, 1024 + rnd.randrange(60000), 80,
                    rnd.getrandbits(32), 0, 0x02, SYN_OPTS, ipid=i))
    return w.n


def bulk(out, flows, segments):
    w = Writer(out)
    data = bytes(1460)
    conns = []
    for c in range(flows):
        cli, srv = 0x0a010000 + c, 0xc0000201 + c % 16
        cp, sp = 20000 + c, 443
        w.put(frame(cli, srv, cp, sp, 1000, 0, 0x02, SYN_OPTS))
        w.put(frame(srv, cli, sp, cp, 5000, 1001, 0x12, SYN_OPTS))
        w.put(frame(cli, srv, cp, sp, 1001, 5001, 0x10))
        conns.append([cli, srv, cp, sp, 1001, 5001])
    for s in range(segments):
        for c in conns:
            cli, srv, cp, sp, cseq, sseq = c
            if s % 2:   # server to client
                w.put(frame(srv, cli, sp, cp, sseq, cseq, 0x10, payload=data))
                c[5] += len(data)
            else:
                w.put(frame(cli, srv, cp, sp, cseq, sseq, 0x10, payload=data))
                c[4] += len(data)
    return w.n


def tcp_payload(f):
    """The TCP payload of an Ethernet frame (IPv4 or IPv6, no extension
    headers), or None."""
    if len(f) < 14:
        return None
    et, o = struct.unpack("!H", f[12:14])[0], 14
    if et == 0x0800 and len(f) >= o + 20 and f[o + 9] == 6:
        ihl, tot = (f[o] & 15) * 4, struct.unpack("!H", f[o + 2:o + 4])[0]
        end = min(len(f), o + tot)
        t = o + ihl
    elif et == 0x86dd and len(f) >= o + 40 and f[o + 6] == 6:
        end = min(len(f), o + 40 + struct.unpack("!H", f[o + 4:o + 6])[0])
        t = o + 40
    else:
        return None
    if end < t + 20:
        return None
    return f[t + (f[t + 12] >> 4) * 4:end]


def client_hellos(paths):
    """Whole ClientHellos at the start of a TCP segment: one record, the
    handshake message entirely inside it."""
    out = []
    for path in paths:
        pcap = read_pcap(path)
        if not pcap or pcap[1] != 1:
            continue
        for _, _, _, f in pcap[2]:
            p = tcp_payload(f)
            if not p or len(p) < 9 or p[0] != 22 or p[1] != 3 or p[5] != 1:
                continue
            rec = struct.unpack("!H", p[3:5])[0]
            msg = int.from_bytes(p[6:9], "big")
            if 4 + msg <= rec and 5 + rec <= len(p) and len(p) <= 1400:
                out.append(bytes(p[:5 + rec]))
    return out


def tls_hellos(out, frames, paths):
    hellos = client_hellos(paths)
    if not hellos:
        sys.exit("make_traffic_pcap: no whole ClientHello in the captures")
    w = Writer(out)
    for i in range(frames):
        src = 0x0a000000 | (i * 2654435761 % 0xffffff)
        w.put(frame(src, 0xc0000201 + i % 16, 1024 + i % 60000, 443, 1000 + i, 1, 0x18,
                    payload=hellos[i % len(hellos)], ipid=i))
    return w.n


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "syn":
        n = syn_flood(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 5 and sys.argv[1] == "bulk":
        n = bulk(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) >= 5 and sys.argv[1] == "tls":
        n = tls_hellos(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    else:
        sys.exit(__doc__)
    print(n)


if __name__ == "__main__":
    main()
