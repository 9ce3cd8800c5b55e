#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ClientHello and ServerHello bytes into the plain values ja4_spec.py
reads, and the hellos of a classic pcap file: TLS over TCP (each direction
reassembled by sequence number, records joined) and DTLS datagrams
(handshake fragments joined). QUIC is left to tshark. Written from RFC 8446,
RFC 6347 / RFC 9147 and RFC 6066 / 7301, as a second source beside tshark
for the differential test. Standard library only.

  parse_hello(msg_type, body, dtls=False) -> hello dict (ja4_spec.py)
  pcap_hellos(path) -> [Hello record, ...] in the order they complete

  hello_parse.py CAPTURE...   prints every hello found, one line each
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapfile import read_pcap  # noqa: E402

CLIENT_HELLO = 1
SERVER_HELLO = 2


class Malformed(ValueError):
    """A length runs past its container, or a field is impossible."""


class _Reader:
    def __init__(self, data, what):
        self.d, self.o, self.what = data, 0, what

    def take(self, n):
        if self.o + n > len(self.d):
            raise Malformed("%s: %d bytes wanted at %d of %d" % (self.what, n, self.o, len(self.d)))
        b = self.d[self.o:self.o + n]
        self.o += n
        return b

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return struct.unpack(">H", self.take(2))[0]

    def vec(self, len_bytes):
        n = int.from_bytes(self.take(len_bytes), "big")
        return self.take(n)

    def left(self):
        return len(self.d) - self.o


def _u16s(r, len_bytes, out):
    """Append the 16-bit values of a vector to out; a vector that runs past
    its extension, or an odd byte at its end, ends the list there."""
    n = int.from_bytes(r.take(len_bytes), "big")
    d = r.d[r.o:r.o + n]
    out.extend(int.from_bytes(d[i:i + 2], "big") for i in range(0, len(d) - 1, 2))


def _ext_data(t, data, client, h):
    """Fill h from one extension's data (only those JA4/JA3 and the records
    use; the first occurrence of a type wins). Malformed data inside an
    extension keeps what was read before the fault: the extension still
    counts, as it does for tshark."""
    r = _Reader(data, "extension %d" % t)
    try:
        if t == 0 and client and h["sni"] is None:
            h["sni"] = b""
            names = _Reader(r.vec(2), "server_name list")
            while names.left():
                kind, name = names.u8(), names.vec(2)
                if kind == 0:
                    h["sni"] = name
                    break
        elif t == 16 and h["alpns"] is None:
            h["alpns"] = []
            names = _Reader(r.vec(2), "ALPN list")
            while names.left():
                h["alpns"].append(names.vec(1))
        elif t == 13 and client and h["sig_algs"] is None:
            h["sig_algs"] = []
            _u16s(r, 2, h["sig_algs"])
        elif t == 10 and client and h["groups"] is None:
            h["groups"] = []
            _u16s(r, 2, h["groups"])
        elif t == 11 and client and h["point_formats"] is None:
            h["point_formats"] = []
            h["point_formats"].extend(r.d[1:1 + r.u8()])
        elif t == 43 and h["supported_versions"] is None:
            h["supported_versions"] = []
            if client:
                _u16s(r, 1, h["supported_versions"])
            else:
                h["supported_versions"].append(r.u16())
    except Malformed:
        pass


def parse_hello(msg_type, body, dtls=False, transport=None):
    """A ClientHello (1) or ServerHello (2) body, after the 4-byte handshake
    header (DTLS: after the 12-byte one). dtls: the ClientHello has a cookie
    after the session id. Raises Malformed when the framing is wrong (a
    length past its container, bytes left after the extensions)."""
    client = msg_type == CLIENT_HELLO
    if msg_type not in (CLIENT_HELLO, SERVER_HELLO):
        raise ValueError("not a hello: %d" % msg_type)
    r = _Reader(bytes(body), "ClientHello" if client else "ServerHello")
    h = {"type": "client" if client else "server",
         "transport": transport or ("d" if dtls else "t"),
         "legacy_version": r.u16(), "supported_versions": None,
         "extensions": [], "sni": None, "alpns": None, "sig_algs": None,
         "groups": None, "point_formats": None}
    r.take(32)                      # random
    # TLS 1.3 drafts up to 21 (0x7f00-0x7f15) had no session id echo and no
    # compression method in the ServerHello.
    draft = not client and 0x7f00 <= h["legacy_version"] <= 0x7f15
    if not draft:
        r.vec(1)                    # session id
    if client:
        if dtls:
            r.vec(1)                # cookie
        suites = r.vec(2)
        if len(suites) % 2:
            raise Malformed("cipher_suites: odd length")
        h["ciphers"] = [int.from_bytes(suites[i:i + 2], "big") for i in range(0, len(suites), 2)]
        r.vec(1)                    # compression methods
    else:
        h["cipher"] = r.u16()
        if not draft:
            r.u8()                  # compression method
    if r.left():                    # no extensions block at all is allowed
        exts = _Reader(r.vec(2), "extensions")
        while exts.left():
            t = exts.u16()
            data = exts.vec(2)
            h["extensions"].append(t)
            _ext_data(t, data, client, h)
        if r.left():
            raise Malformed("%d bytes after the extensions" % r.left())
    return h


# ---------------------------------------------------------------------------
# Frames

def format_ip(addr):
    """netprint's (p0f's) text form: dotted quad, or eight groups of
    lowercase hex without leading zeros and without '::'."""
    if len(addr) == 4:
        return ".".join(str(b) for b in addr)
    return ":".join("%x" % v for v in struct.unpack(">8H", addr))


def _ip_packet(d):
    """(ip_ver, src, dst, proto, l4 bytes) or None."""
    if len(d) < 1:
        return None
    v = d[0] >> 4
    if v == 4 and len(d) >= 20:
        ihl = (d[0] & 15) * 4
        total = struct.unpack(">H", d[2:4])[0]
        frag = struct.unpack(">H", d[6:8])[0]
        if ihl < 20 or frag & 0x3fff:       # fragments are not reassembled
            return None
        end = min(len(d), total) if total >= ihl else len(d)
        return 4, d[12:16], d[16:20], d[9], d[ihl:end]
    if v == 6 and len(d) >= 40:
        plen = struct.unpack(">H", d[4:6])[0]
        nxt, o = d[6], 40
        end = min(len(d), 40 + plen)
        while nxt in (0, 43, 60, 44, 51):    # extension headers
            if o + 8 > end:
                return None
            if nxt == 44:                    # fragment
                if struct.unpack(">H", d[o + 2:o + 4])[0] & 0xfff9:
                    return None
                ln = 8
            elif nxt == 51:
                ln = (d[o + 1] + 2) * 4
            else:
                ln = (d[o + 1] + 1) * 8
            nxt, o = d[o], o + ln
        return 6, d[8:24], d[24:40], nxt, d[o:end]
    return None


def _link(linktype, d):
    """The network-layer bytes of a frame, or None."""
    if linktype == 1:                        # Ethernet, 802.1Q / QinQ
        o, et = 12, None
        while o + 2 <= len(d):
            et = struct.unpack(">H", d[o:o + 2])[0]
            if et in (0x8100, 0x88a8, 0x9100):
                o += 4
                continue
            break
        return d[o + 2:] if et in (0x0800, 0x86dd) else None
    if linktype == 0:                        # BSD loopback: family in host order
        return d[4:]
    if linktype in (101, 228, 229, 12, 14):  # raw IP
        return d
    if linktype == 113:                      # Linux SLL
        et = struct.unpack(">H", d[14:16])[0] if len(d) >= 16 else 0
        return d[16:] if et in (0x0800, 0x86dd) else None
    if linktype == 276:                      # Linux SLL2
        et = struct.unpack(">H", d[0:2])[0] if len(d) >= 20 else 0
        return d[20:] if et in (0x0800, 0x86dd) else None
    return None


def packets(path):
    """(frame number from 1, time in µs, ip_ver, src, dst, proto, l4 bytes)
    for every IPv4/IPv6 packet of a classic pcap file."""
    pc = read_pcap(path)
    if pc is None:
        raise ValueError("%s: not a classic pcap file" % path)
    _, linktype, frames = pc
    for i, (sec, usec, _, data) in enumerate(frames, 1):
        net = _link(linktype, data)
        ip = _ip_packet(net) if net else None
        if ip:
            yield (i, sec * 1000000 + usec) + ip


# ---------------------------------------------------------------------------
# TLS over TCP

_MAX_RECORD = 16384 + 2048


def _record_header_ok(b, o):
    """Does a TLS record header of a handshake, alert, CCS or application
    data record start at b[o]?"""
    return (o + 5 <= len(b) and 20 <= b[o] <= 23 and b[o + 1] == 3 and b[o + 2] <= 4
            and struct.unpack(">H", b[o + 3:o + 5])[0] <= _MAX_RECORD)


class _Direction:
    """One direction of one TCP connection: its bytes in sequence order as
    they become contiguous, and where each segment started."""

    def __init__(self, isn_next):
        self.base = isn_next        # sequence number of stream offset 0 (None: first data)
        self.data = bytearray()
        self.pending = {}           # offset -> (bytes, frame)
        self.starts = []            # stream offsets where segments started, in order
        self.scan = 0               # starts[] before this were tried as record starts
        self.frame_at = []          # (stream end offset, frame) as data grew
        self.pos = 0                # record walker: next record offset
        self.hs = bytearray()       # handshake bytes of the current records
        self.hs_from = None         # first record offset of those bytes
        self.done = False           # a ChangeCipherSpec or an unknown record seen
        self.hellos = []

    def add(self, seq, payload, frame):
        if self.base is None:
            self.base = seq
        off = (seq - self.base) & 0xffffffff
        if off >= 0x80000000:       # before the stream start: keep what is new
            cut = 0x100000000 - off
            if cut >= len(payload):
                return
            payload, off = payload[cut:], 0
        if off >= len(self.data) and (not self.starts or off > self.starts[-1]):
            self.starts.append(off)
        if off + len(payload) <= len(self.data):
            return
        if off > len(self.data):
            old = self.pending.get(off)
            if old is None or len(old[0]) < len(payload):
                self.pending[off] = (payload, frame)
            return
        self.data += payload[len(self.data) - off:]
        while True:                 # out-of-order segments that now fit
            nxt = [o for o in self.pending if o <= len(self.data)]
            if not nxt:
                break
            for o in sorted(nxt):
                p, _ = self.pending.pop(o)
                if o + len(p) > len(self.data):
                    self.data += p[len(self.data) - o:]
        self.frame_at.append((len(self.data), frame))


def _tcp_walk(d, on_hello):
    """Read the records now contiguous in direction d."""
    b = d.data
    while not d.done:
        if d.pos + 5 > len(b):
            return
        if not _record_header_ok(b, d.pos):
            if d.hs:
                d.done = True       # a handshake message left unfinished
                return
            # Not at a record: TLS after another protocol (STARTTLS, SOCKS,
            # CONNECT) starts where a segment starts. Try those after pos.
            while d.scan < len(d.starts) and (d.starts[d.scan] <= d.pos or (
                    d.starts[d.scan] + 5 <= len(b) and not (
                        b[d.starts[d.scan]] == 22 and _record_header_ok(b, d.starts[d.scan])))):
                d.scan += 1
            if d.scan == len(d.starts) or d.starts[d.scan] + 5 > len(b):
                return
            d.pos = d.starts[d.scan]
            continue
        rtype = b[d.pos]
        rlen = struct.unpack(">H", b[d.pos + 3:d.pos + 5])[0]
        end = d.pos + 5 + rlen
        if end > len(b):
            return
        payload = bytes(b[d.pos + 5:end])
        d.pos = end
        if rtype != 22:
            if d.hs or rtype in (20, 23):
                d.done = True       # encrypted from here on
            continue
        d.hs += payload
        while len(d.hs) >= 4:
            mlen = int.from_bytes(d.hs[1:4], "big")
            if len(d.hs) < 4 + mlen:
                break
            mtype, body = d.hs[0], bytes(d.hs[4:4 + mlen])
            del d.hs[:4 + mlen]
            if mtype in (CLIENT_HELLO, SERVER_HELLO):
                frame = next(f for e, f in d.frame_at if e >= end)
                on_hello(mtype, body, frame)


# ---------------------------------------------------------------------------
# DTLS

def _dtls_fragments(p):
    """(msg_type, msg_len, msg_seq, frag_off, frag bytes) of a datagram's
    epoch-0 handshake records; stops at the first malformed header."""
    o = 0
    while o + 13 <= len(p):
        ctype, ver, epoch = p[o], struct.unpack(">H", p[o + 1:o + 3])[0], struct.unpack(">H", p[o + 3:o + 5])[0]
        rlen = struct.unpack(">H", p[o + 11:o + 13])[0]
        if ver not in (0xfeff, 0xfefd, 0xfefc) or o + 13 + rlen > len(p):
            return
        rec = p[o + 13:o + 13 + rlen]
        o += 13 + rlen
        if ctype != 22 or epoch != 0:
            continue
        q = 0
        while q + 12 <= len(rec):
            mtype = rec[q]
            mlen = int.from_bytes(rec[q + 1:q + 4], "big")
            mseq = struct.unpack(">H", rec[q + 4:q + 6])[0]
            foff = int.from_bytes(rec[q + 6:q + 9], "big")
            flen = int.from_bytes(rec[q + 9:q + 12], "big")
            if q + 12 + flen > len(rec) or foff + flen > mlen:
                return
            yield mtype, mlen, mseq, foff, rec[q + 12:q + 12 + flen]
            q += 12 + flen


def _looks_dtls(p):
    return len(p) >= 25 and p[0] == 22 and p[1] == 0xfe and p[2] in (0xff, 0xfd, 0xfc)


# ---------------------------------------------------------------------------

def pcap_hellos(path):
    """Every ClientHello and ServerHello of TLS over TCP and of DTLS in a
    capture, as dicts: frame (1-based, the frame that completed it), time_us,
    transport ('t' or 'd'), ip_ver, src, sport, dst, dport (addresses in
    netprint's text form), conn (the TCP connection's number on its 4-tuple,
    counted by new SYNs; 0 for DTLS), syn (TCP: the client's SYN of the
    connection is in the capture; None for DTLS), hello (the dict of
    parse_hello) or error (why it could not be parsed)."""
    out = []
    tcp = {}        # (src, sport, dst, dport) -> [_Direction, conn number]
    client_syn = {} # unordered 4-tuple -> the current connection began with a SYN here
    syn_isn = {}    # 4-tuple of the direction -> last SYN's sequence number
    conn_no = {}    # unordered 4-tuple -> count of connections
    dtls_msgs = {}  # (src, sport, dst, dport, msg_seq, msg_type) -> (length, {off: bytes})
    dtls_done = set()

    def hello_rec(frame, ts, transport, ipv, src, sport, dst, dport, conn, syn, mtype, body, dtls):
        rec = {"frame": frame, "time_us": ts, "transport": transport, "ip_ver": ipv,
               "src": format_ip(src), "sport": sport, "dst": format_ip(dst), "dport": dport,
               "conn": conn, "syn": syn, "type": "client" if mtype == CLIENT_HELLO else "server"}
        try:
            rec["hello"] = parse_hello(mtype, body, dtls=dtls)
        except Malformed as e:
            rec["error"] = str(e)
        out.append(rec)

    times = {}
    for frame, ts, ipv, src, dst, proto, l4 in packets(path):
        times[frame] = ts
        if proto == 6 and len(l4) >= 20:
            sport, dport, seq = struct.unpack(">HHI", l4[:8])
            off = (l4[12] >> 4) * 4
            flags = l4[13]
            if off < 20 or off > len(l4):
                continue
            payload = l4[off:]
            key = (src, sport, dst, dport)
            pair = tuple(sorted([(src, sport), (dst, dport)]))
            if flags & 0x02:                      # SYN or SYN+ACK
                if syn_isn.get(key) != seq or key not in tcp:
                    syn_isn[key] = seq
                    if not flags & 0x10:          # a client's SYN: a new connection
                        conn_no[pair] = conn_no.get(pair, -1) + 1
                        client_syn[pair] = True
                    tcp[key] = [_Direction((seq + 1) & 0xffffffff), conn_no.get(pair, 0)]
                continue
            if not payload or flags & 0x04:
                continue
            st = tcp.get(key)
            if st is None:
                st = tcp[key] = [_Direction(None), conn_no.get(pair, 0)]
            d, conn = st

            def on_hello(mtype, body, hframe, key=key, conn=conn, ipv=ipv, pair=pair):
                hello_rec(hframe, times[hframe], "t", ipv, key[0], key[1], key[2], key[3],
                          conn, client_syn.get(pair, False), mtype, body, False)

            if d.done:
                continue
            d.add(seq, payload, frame)
            _tcp_walk(d, on_hello)
        elif proto == 17 and len(l4) >= 8:
            sport, dport = struct.unpack(">HH", l4[:4])
            p = l4[8:]
            if not _looks_dtls(p):
                continue
            for mtype, mlen, mseq, foff, frag in _dtls_fragments(p):
                if mtype not in (CLIENT_HELLO, SERVER_HELLO):
                    continue
                k = (src, sport, dst, dport, mseq, mtype)
                if k in dtls_done:
                    continue
                total, parts = dtls_msgs.setdefault(k, (mlen, {}))
                if total != mlen:
                    continue
                if len(frag) > len(parts.get(foff, b"")):
                    parts[foff] = bytes(frag)
                body, covered = bytearray(mlen), 0
                for o in sorted(parts):
                    part = parts[o]
                    if o > covered:
                        break
                    body[o:o + len(part)] = part
                    covered = max(covered, o + len(part))
                if covered >= mlen:
                    dtls_done.add(k)
                    del dtls_msgs[k]
                    hello_rec(frame, ts, "d", ipv, src, sport, dst, dport, 0, None,
                              mtype, bytes(body), True)
    return out


def _main(args):
    import ja4_spec
    for path in args:
        for r in pcap_hellos(path):
            h = r.get("hello")
            if h is None:
                fp = "error: " + r["error"]
            elif r["type"] == "client":
                c = ja4_spec.client_fingerprints(h)
                fp = "ja4=%s ja3=%s sni=%r alpn=%r" % (c["ja4"], c["ja3"], h["sni"], h["alpns"])
            else:
                c = ja4_spec.server_fingerprints(h)
                fp = "ja3s=%s %s" % (c["ja3s"], c["ja3s_string"])
            print("%s\t%d\t%s %s/%d -> %s/%d conn %d\t%s %s" % (
                os.path.basename(path), r["frame"], r["transport"], r["src"], r["sport"],
                r["dst"], r["dport"], r["conn"], r["type"], fp))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
