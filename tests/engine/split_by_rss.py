#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Split a capture into N captures as symmetric RSS would spread it.

  split_by_rss.py IN.pcap N OUT_PREFIX

Frame k goes to OUT_PREFIX<q>.pcap with q = toeplitz(4-tuple) % N, the
Toeplitz hash with netprint's symmetric key (0x6d5a repeated): both
directions of a connection land in the same file, as on a NIC with
netprint's RSS setup. Frames without an IPv4/IPv6 TCP/UDP header go to
file 0. Reads classic pcap (either byte order, us or ns); writes the same
header. Ethernet (with VLAN tags), raw IP, NULL and Linux SLL link types.
"""
import struct
import sys

KEY = bytes([0x6d, 0x5a] * 26)


def toeplitz(data):
    key = int.from_bytes(KEY, "big")
    klen = len(KEY) * 8
    h = 0
    for i, byte in enumerate(data):
        for b in range(8):
            if byte & (0x80 >> b):
                bit = i * 8 + b
                h ^= (key >> (klen - 32 - bit)) & 0xffffffff
    return h


def l3_offset(dlt, f):
    if dlt == 1:
        off = 12
        while off + 2 <= len(f) and f[off:off + 2] in (b"\x81\x00", b"\x88\xa8", b"\x91\x00"):
            off += 4
        return off + 2 if f[off:off + 2] in (b"\x08\x00", b"\x86\xdd") else None
    return {0: 4, 108: 4, 12: 0, 14: 0, 101: 0, 228: 0, 229: 0, 113: 16, 276: 20}.get(dlt)


def tuple_of(dlt, f):
    off = l3_offset(dlt, f)
    if off is None or off >= len(f):
        return None
    ver = f[off] >> 4
    if ver == 4 and len(f) >= off + 20:
        ihl = (f[off] & 15) * 4
        if f[off + 9] not in (6, 17) or len(f) < off + ihl + 4:
            return None
        src, dst = f[off + 12:off + 16], f[off + 16:off + 20]
        ports = f[off + ihl:off + ihl + 4]
    elif ver == 6 and len(f) >= off + 44:
        if f[off + 6] not in (6, 17):
            return None
        src, dst = f[off + 8:off + 24], f[off + 24:off + 40]
        ports = f[off + 40:off + 44]
    else:
        return None
    sp, dp = struct.unpack("!HH", ports)
    return src, dst, sp, dp


def main():
    src, n, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    data = open(src, "rb").read()
    magic = data[:4]
    order = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    dlt = struct.unpack(order + "I", data[20:24])[0] & 0x0fffffff
    outs = [open("%s%d.pcap" % (prefix, q), "wb") for q in range(n)]
    for o in outs:
        o.write(data[:24])
    off, counts = 24, [0] * n
    while off + 16 <= len(data):
        incl = struct.unpack(order + "I", data[off + 8:off + 12])[0]
        rec = data[off:off + 16 + incl]
        t = tuple_of(dlt, rec[16:])
        q = 0
        if t:
            a, b, sp, dp = t
            # RSS input as the NIC sees it; symmetric thanks to the key
            q = toeplitz(a + b + struct.pack("!HH", sp, dp)) % n
        outs[q].write(rec)
        counts[q] += 1
        off += 16 + incl
    for o in outs:
        o.close()
    print(" ".join(str(c) for c in counts))


if __name__ == "__main__":
    main()
