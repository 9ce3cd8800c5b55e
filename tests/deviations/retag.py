#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Rewrite an Ethernet pcap into frames p0f 3.09b cannot read.

  retag.py MODE IN.pcap OUT.pcap

MODE is one of:
  vlan      one 802.1Q tag on every frame
  qinq      an 802.1ad tag and an 802.1Q tag on every frame
  ipv6-ext  a hop-by-hop and a destination-options header in every IPv6
            frame (IPv4 frames are copied unchanged)
Timestamps, addresses and everything above the IP header stay the same.
"""
import struct
import sys


def ipv6_with_ext(ip):
    nh = ip[6]
    # Hop-by-hop (8 bytes, PadN) -> destination options (8 bytes) -> original.
    hbh = bytes([60, 0, 1, 4, 0, 0, 0, 0])
    dst = bytes([nh, 0, 1, 4, 0, 0, 0, 0])
    plen = struct.unpack("!H", ip[4:6])[0] + len(hbh) + len(dst)
    return ip[:4] + struct.pack("!H", plen) + bytes([0]) + ip[7:40] + hbh + dst + ip[40:]


def rewrite(mode, frame):
    if len(frame) < 14:
        return frame
    dst_src, etype, rest = frame[:12], frame[12:14], frame[14:]
    if mode == "vlan":
        return dst_src + b"\x81\x00\x00\x64" + etype + rest
    if mode == "qinq":
        return dst_src + b"\x88\xa8\x00\x0a\x81\x00\x00\x64" + etype + rest
    if mode == "ipv6-ext" and etype == b"\x86\xdd" and len(rest) >= 40:
        return dst_src + etype + ipv6_with_ext(rest)
    return frame


def main():
    mode, src, dst = sys.argv[1:4]
    data = open(src, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic != 0xA1B2C3D4 or struct.unpack("<I", data[20:24])[0] != 1:
        sys.exit("retag.py: need a little-endian microsecond Ethernet pcap")
    out = [data[:24]]
    off = 24
    while off + 16 <= len(data):
        sec, usec, incl, orig = struct.unpack("<IIII", data[off:off + 16])
        frame = rewrite(mode, data[off + 16:off + 16 + incl])
        grow = len(frame) - incl
        out.append(struct.pack("<IIII", sec, usec, len(frame), orig + grow) + frame)
        off += 16 + incl
    open(dst, "wb").write(b"".join(out))


if __name__ == "__main__":
    main()
