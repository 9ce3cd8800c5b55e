# SPDX-License-Identifier: MIT
"""Classic pcap files (either byte order, micro- or nanoseconds) for the
test and benchmark scripts, and the Internet checksum their frames need."""
import struct


def inet_checksum(data):
    """RFC 1071's 16-bit one's complement sum of data, complemented."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF

_MAGICS = {
    b"\xd4\xc3\xb2\xa1": ("<", False), b"\x4d\x3c\xb2\xa1": ("<", True),
    b"\xa1\xb2\xc3\xd4": (">", False), b"\xa1\xb2\x3c\x4d": (">", True),
}


def read_pcap(path):
    """(snaplen, linktype, [(sec, usec, wirelen, data), ...]), or None when
    the file is not a classic pcap. A record cut short ends the list."""
    d = open(path, "rb").read()
    if len(d) < 24 or d[:4] not in _MAGICS:
        return None
    e, nsec = _MAGICS[d[:4]]
    snaplen, linktype = struct.unpack(e + "II", d[16:24])
    frames, o = [], 24
    while o + 16 <= len(d):
        sec, frac, caplen, wirelen = struct.unpack(e + "IIII", d[o:o + 16])
        if o + 16 + caplen > len(d):
            break
        frames.append((sec, frac // 1000 if nsec else frac, wirelen, d[o + 16:o + 16 + caplen]))
        o += 16 + caplen
    return snaplen, linktype, frames


def write_pcap(path, linktype, frames, snaplen=65535):
    """A little-endian microsecond pcap of frames [(sec, usec, wirelen, data), ...]."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
        for sec, usec, wirelen, data in frames:
            f.write(struct.pack("<IIII", sec, usec, len(data), max(wirelen, len(data))) + data)
