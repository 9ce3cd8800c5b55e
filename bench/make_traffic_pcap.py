#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Build synthetic throughput captures for the replay bench.

  make_traffic_pcap.py syn  OUT.pcap FRAMES
  make_traffic_pcap.py bulk OUT.pcap FLOWS SEGMENTS

syn:  a SYN flood, every frame a SYN (Linux-like options, 74 bytes) from a
      distinct source address and port, to 16 servers: every packet is
      parsed, matched and opens a tracked connection.
bulk: FLOWS connections (SYN, SYN+ACK, ACK), then SEGMENTS full-size data
      segments each (1514-byte frames, in order, both ways), interleaved:
      after its first 8 KB p0f stops following a connection, so most
      frames are the plain case: one parse, one flow lookup.
Classic microsecond pcap, Ethernet, timestamps 1 us apart.
"""
import random
import struct
import sys

ETH = bytes.fromhex("00163e000002" "00163e000001" "0800")
SYN_OPTS = bytes.fromhex("020405b4" "0402080a" "00000001" "00000000" "01030307")


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


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


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "syn":
        n = syn_flood(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 5 and sys.argv[1] == "bulk":
        n = bulk(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)
    print(n)


if __name__ == "__main__":
    main()
