#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Re-encapsulate a capture's IP traffic in another link layer.

  relink.py [--lead] [--decoy] LINK IN.pcap OUT.pcap
  relink.py --to DIR LINK,... VARIANT,... IN.pcap...

Reads a classic pcap (Ethernet, NULL, raw IP, Linux cooked) and writes the
same IP packets, timestamps and truncation behind LINK's real header, as a
little-endian microsecond pcap of LINK's link type. ARP frames become the
link's own non-IP frames where it has them; other non-IP frames are
dropped. The second form writes DIR/LINK/VARIANT/<name of IN> for every
link, variant (plain, lead, decoy) and input, skipping a decoy that the
link's header cannot hold.

  --lead   start with frames a reader must skip before it can place the IP
           header: an ARP frame and a UDP datagram (a TCP filter rejects
           them), two TCP segments cut short by the snapshot length and the
           first fragment of a TCP segment over IPv6 (it passes them)
  --decoy  start with a TCP segment whose link header, read two bytes at a
           time, looks like an IPv4 header carrying TCP at the wrong offset
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapfile import read_pcap  # noqa: E402

ETH_IP, ETH_IP6, ETH_ARP = 0x0800, 0x86DD, 0x0806
SNAP = bytes([0xAA, 0xAA, 0x03, 0, 0, 0])


def snap(etype):
    return SNAP + struct.pack("!H", etype)


def station(mac):
    """A one-byte ARCnet station id from a MAC address (0 is broadcast)."""
    return (sum(mac) % 254) + 1 if mac else 0xFF


# Each link: (linktype, header(etype, src, dst, seq) -> bytes or None).
# src / dst are MAC addresses (6 bytes) or b"" when the source had none.
def arcnet(etype, src, dst, seq):
    t = {ETH_IP: 0xD4, ETH_IP6: 0xC4, ETH_ARP: 0xD5}.get(etype)
    if t is None:
        return None
    # RFC 1201: source, destination, protocol id, split flag, sequence.
    return bytes([station(src), station(dst), t, 0]) + struct.pack("!H", seq & 0xFFFF)


def arcnet_linux(etype, src, dst, seq):
    h = arcnet(etype, src, dst, seq)
    # Linux: source, destination, a two-byte offset, then the RFC 1201 part.
    return None if h is None else h[:2] + b"\x00\x00" + h[2:]


def c_hdlc(etype, src, dst, seq):
    if etype == ETH_ARP:
        etype = 0x8035		# SLARP
    addr = 0x8F if dst == b"\xff" * 6 else 0x0F
    return bytes([addr, 0]) + struct.pack("!H", etype)


def frelay(etype, src, dst, seq):
    dlci = b"\x18\x41"		# DLCI 100, EA bit set on the second byte
    if etype == ETH_IP:
        return dlci + b"\x03\xcc"
    if etype == ETH_IP6:
        return dlci + b"\x03\x8e"
    if etype == ETH_ARP:		# SNAP-encapsulated ARP (RFC 2427)
        return dlci + b"\x03\x00\x80\x00\x00\x00\x08\x06"
    return None


def ieee802(etype, src, dst, seq):
    # Token Ring: access control, frame control, addresses, LLC/SNAP.
    return b"\x10\x40" + (dst or b"\xff" * 6) + (src or b"\x00" * 6) + snap(etype)


def fddi(etype, src, dst, seq):
    # Frame control, addresses, LLC/SNAP: the IP header at byte 21.
    return b"\x50" + (dst or b"\xff" * 6) + (src or b"\x00" * 6) + snap(etype)


def netanalyzer(etype, src, dst, seq):
    # Hilscher's 4-byte status word (little-endian), then the Ethernet frame.
    return b"\x00\x00\x00\x00" + (dst or b"\xff" * 6) + (src or b"\x00" * 6) + \
        struct.pack("!H", etype)


def ipnet(etype, src, dst, seq):
    fam = {ETH_IP: 2, ETH_IP6: 26}.get(etype)
    if fam is None:
        return None
    # Solaris ipnet: version, family, hook type, packet length, zone ids...
    return struct.pack("!BBHIIIII", 2, fam, 0, 0, 1, 0, 0, 0)


def sunatm(etype, src, dst, seq):
    # Flags (LLC-multiplexed), VPI, VCI, then LLC/SNAP.
    return b"\x82\x00\x00\x20" + snap(etype)


def atm_rfc1483(etype, src, dst, seq):
    return snap(etype)


def ppp_pppd(etype, src, dst, seq):
    proto = {ETH_IP: 0x0021, ETH_IP6: 0x0057}.get(etype)
    if proto is None:
        return b"\xff\x03\xc0\x21" if etype == ETH_ARP else None	# LCP
    return b"\xff\x03" + struct.pack("!H", proto)


def linux_irda(etype, src, dst, seq):
    return b"\x00\x04" + b"\x00" * 14


def sll2(etype, src, dst, seq):
    mac = (src or b"\x00" * 6) + b"\x00\x00"
    return struct.pack("!HHIHBB", etype, 0, 2, 1, 0, 6) + mac


LINKS = {
    "arcnet": (7, arcnet),
    "arcnet_linux": (129, arcnet_linux),
    "c_hdlc": (104, c_hdlc),
    "frelay": (107, frelay),
    "ieee802": (6, ieee802),
    "fddi": (10, fddi),
    "netanalyzer": (240, netanalyzer),
    "ipnet": (226, ipnet),
    "sunatm": (123, sunatm),
    "atm_rfc1483": (100, atm_rfc1483),
    "ppp_pppd": (166, ppp_pppd),
    "linux_irda": (144, linux_irda),
    "sll2": (276, sll2),
}


def ip_etype(ip):
    v = ip[0] >> 4 if ip else 0
    return ETH_IP if v == 4 else ETH_IP6 if v == 6 else None


def unwrap(linktype, f):
    """(ethertype, src mac, dst mac, payload, header length) or None."""
    if linktype == 1:
        if len(f) < 14:
            return None
        off, etype = 12, struct.unpack("!H", f[12:14])[0]
        while etype in (0x8100, 0x88A8, 0x9100) and len(f) >= off + 6:
            off += 4
            etype = struct.unpack("!H", f[off:off + 2])[0]
        return etype, f[6:12], f[0:6], f[off + 2:], off + 2
    if linktype == 0:
        if len(f) < 4:
            return None
        fam = struct.unpack("<I", f[:4])[0]
        if fam > 0xFFFF:
            fam = struct.unpack(">I", f[:4])[0]
        etype = ETH_IP if fam == 2 else ETH_IP6 if fam in (10, 24, 28, 30) else None
        return (etype, b"", b"", f[4:], 4) if etype else None
    if linktype in (12, 14, 101, 228, 229):
        etype = ip_etype(f)
        return (etype, b"", b"", f, 0) if etype else None
    if linktype == 113:
        if len(f) < 16:
            return None
        return struct.unpack("!H", f[14:16])[0], f[6:12], b"", f[16:], 16
    if linktype == 276:
        if len(f) < 20:
            return None
        return struct.unpack("!H", f[0:2])[0], f[12:18], b"", f[20:], 20
    sys.exit(f"relink.py: link type {linktype} is not read")


def tcp_syn(ip_src, ip_dst, sport, dport, payload_len, ttl=64):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, 1000, 0, 5 << 4, 0x02, 8192, 0, 0)
    tot = 20 + len(tcp) + payload_len
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, tot, 1, 0x4000, ttl, 6, 0, ip_src, ip_dst)
    return ip + tcp + b"\x00" * payload_len


def lead_frames(ts):
    """(sec, usec, wirelen, etype, payload) frames to put first."""
    sec, usec = ts
    a, b = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])
    arp = struct.pack("!HHBBH6s4s6s4s", 1, ETH_IP, 6, 4, 1, b"\x02" * 6, a, b"\x00" * 6, b)
    udp = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 36, 2, 0, 64, 17, 0, a, b) + \
        struct.pack("!HHHH", 5353, 5353, 16, 0) + b"\x00" * 8
    syn = tcp_syn(a, b, 40000, 80, 0)
    cut = syn[:30]				# a TCP filter passes it; too short for p0f
    ip6 = bytes(range(16))
    # IPv6 first fragment (next header 44, then TCP): the TCP filter passes it.
    frag = struct.pack("!IHBB16s16s", 0x60000000, 8 + 20, 44, 64, ip6, ip6[::-1]) + \
        struct.pack("!BBHI", 6, 0, 1, 7) + syn[20:]
    out = [(ETH_ARP, arp, len(arp)), (ETH_IP, udp, len(udp)), (ETH_IP, cut, len(syn)),
           (ETH_IP, cut, len(syn)), (ETH_IP6, frag, len(frag))]
    return [(sec, usec, wl, et, p) for et, p, wl in out]


class NoDecoy(Exception):
    pass


def relink(name, src, dst, lead=False, want_decoy=False):
    linktype, header = LINKS[name]
    r = read_pcap(src)
    if r is None:
        sys.exit(f"relink.py: {src}: not a classic pcap")
    snaplen, src_lt, frames = r
    out, seq = [], 0

    def put(sec, usec, wirelen, etype, s, d, payload, hdr_len):
        nonlocal seq
        h = header(etype, s, d, seq)
        if h is None:
            return
        seq += 1
        frame = h + payload
        out.append(struct.pack("<IIII", sec, usec, len(frame), wirelen - hdr_len + len(h)) + frame)

    first_ts = (frames[0][0], frames[0][1]) if frames else (0, 0)
    if lead:
        for sec, usec, wl, et, p in lead_frames(first_ts):
            put(sec, usec, wl, et, b"\x02" * 6, b"\x04" * 6, p, 0)
    if want_decoy:
        out.append(decoy(header, first_ts))
    for sec, usec, wirelen, f in frames:
        u = unwrap(src_lt, f)
        if u is None:
            continue
        etype, s, d, payload, hdr_len = u
        put(sec, usec, wirelen, etype, s, d, payload, hdr_len)
    hdr = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, max(snaplen, 65535), linktype)
    with open(dst, "wb") as fh:
        fh.write(hdr + b"".join(out))


def main():
    argv = sys.argv[1:]
    if argv[:1] == ["--to"] and len(argv) >= 5:
        top, links, variants, inputs = argv[1], argv[2].split(","), argv[3].split(","), argv[4:]
        if set(links) - set(LINKS) or set(variants) - {"plain", "lead", "decoy"}:
            sys.exit(__doc__)
        for link in links:
            for v in variants:
                d = os.path.join(top, link, v)
                os.makedirs(d, exist_ok=True)
                for src in inputs:
                    dst = os.path.join(d, os.path.basename(src))
                    try:
                        relink(link, src, dst, v == "lead", v == "decoy")
                    except NoDecoy:
                        break
        return
    args = [a for a in argv if not a.startswith("--")]
    opts = {a for a in argv if a.startswith("--")}
    if len(args) != 3 or args[0] not in LINKS or opts - {"--lead", "--decoy"}:
        sys.exit(__doc__)
    try:
        relink(args[0], args[1], args[2], "--lead" in opts, "--decoy" in opts)
    except NoDecoy:
        sys.exit("relink.py: no decoy fits this link header")


def find_offset(frame):
    """Where a reader that guesses the IP header two bytes at a time, as
    p0f 3.09b does, would put it in this frame (None: nowhere)."""
    n = len(frame)
    for i in range(0, 40, 2):
        if n - i < 40:
            break
        if n - i >= 60 and frame[i] >> 4 == 6 and frame[i + 6] == 6:
            return i
        if frame[i] >> 4 == 4 and frame[i + 9] == 6:
            return i
    return None


def decoy(header, ts):
    """A TCP SYN whose link header, read as p0f guesses, holds an IPv4
    header carrying TCP before the real one."""
    a, b = bytes([198, 51, 100, 7]), bytes([198, 51, 100, 9])
    macs = [(bytes([69, 0, 0, 0, 0, 0]), bytes([1, 0, 0, 0, 0, 0])),
            (bytes([0, 0, 0, 6, 0, 0]), bytes([0x45, 0, 0, 0, 0, 0])),
            (bytes([0x45, 0, 0, 0, 0, 0]), bytes([0, 0, 0, 0, 0, 6]))]
    for s, d in macs:
        h = header(ETH_IP, s, d, 0)
        for n in range(256):
            frame = h + tcp_syn(a, b, 41000, 80, n)
            if find_offset(frame) not in (None, len(h)):
                return struct.pack("<IIII", ts[0], ts[1], len(frame), len(frame)) + frame
    raise NoDecoy()


if __name__ == "__main__":
    main()
