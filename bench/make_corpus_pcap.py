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
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from pcapfile import read_pcap  # noqa: E402


def frames(path):
    """The Ethernet frames of a capture, up to 2000 bytes each."""
    pcap = read_pcap(path)
    if pcap and pcap[1] & 0x0fffffff == 1:
        for _, _, _, f in pcap[2]:
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
