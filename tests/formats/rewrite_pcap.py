#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Rewrite a classic pcap into the shapes netprint's reader must handle.

  rewrite_pcap.py MODE IN.pcap OUT

MODE:
  pcapng     the same frames as a pcapng file (SHB, IDB, EPBs; microseconds)
  be-nsec    big-endian classic pcap with nanosecond timestamps
  snaplen N  the file header's snapshot length set to N, records unchanged
             (records longer than N then go through libpcap)
  badlen     the record half-way through claims a length of 0xfffffff0 bytes
  pcapng-cut the pcapng file cut in the middle of its last block
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapfile import read_pcap  # noqa: E402


def block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    snap_to = None
    if mode == "snaplen":
        snap_to, args = int(args[0]), args[1:]
    src, out = args
    pcap = read_pcap(src)
    if not pcap:
        sys.exit("not a classic pcap: " + src)
    snaplen, linktype, frames = pcap
    with open(out, "wb") as f:
        if mode in ("pcapng", "pcapng-cut"):
            f.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
            f.write(block(1, struct.pack("<HHI", linktype, 0, snaplen)))
            for sec, usec, wirelen, data in frames:
                ts = sec * 1000000 + usec
                b = block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xffffffff,
                                         len(data), wirelen) + data)
                f.write(b)
            if mode == "pcapng-cut":
                f.truncate(f.tell() - len(b) // 2)
        elif mode in ("be-nsec", "snaplen", "badlen"):
            e = ">" if mode == "be-nsec" else "<"
            magic = 0xa1b23c4d if mode == "be-nsec" else 0xa1b2c3d4
            f.write(struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0,
                                snap_to if snap_to else snaplen, linktype))
            for i, (sec, usec, wirelen, data) in enumerate(frames):
                frac = usec * 1000 if mode == "be-nsec" else usec
                caplen = 0xfffffff0 if mode == "badlen" and i == len(frames) // 2 else len(data)
                f.write(struct.pack(e + "IIII", sec, frac, caplen, wirelen) + data)
        else:
            sys.exit(__doc__)


if __name__ == "__main__":
    main()
