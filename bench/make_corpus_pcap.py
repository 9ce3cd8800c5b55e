#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Build a throughput capture from real captures.

  make_corpus_pcap.py OUT.pcap COPIES CAPTURE...

Concatenates the Ethernet captures given (frames up to 2000 bytes, one
mbuf each, as net_pcap's infinite_rx needs), COPIES
times, each copy with its IPv4 addresses shifted (second octet + copy) so
that its flows are new flows that spread over RSS queues. Timestamps are
made to increase. Classic microsecond pcap, Ethernet.
"""
import struct
import sys


def frames(path):
    data = open(path, "rb").read()
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        order = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        order = ">"
    else:
        return
    if struct.unpack(order + "I", data[20:24])[0] & 0x0fffffff != 1:
        return
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(order + "I", data[off + 8:off + 12])[0]
        f = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(f) <= 2000:
            yield f


def shift(f, copy):
    if copy == 0 or len(f) < 34 or f[12:14] != b"\x08\x00":
        return f
    b = bytearray(f)
    for o in (14 + 13, 14 + 17):	# second octet of source and destination
        b[o] = (b[o] + copy) & 0xff
    return bytes(b)


def main():
    out, copies, caps = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    base = [f for c in caps for f in frames(c)]
    t = 1600000000 * 1000000
    with open(out, "wb") as o:
        o.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for copy in range(copies):
            for f in base:
                f = shift(f, copy)
                o.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(f), len(f)) + f)
                t += 10
    print("%d frames" % (len(base) * copies))


if __name__ == "__main__":
    main()
