#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a random, seed-deterministic Ethernet pcap of TCP handshakes that
stresses every p0f 3.09b TCP rule (parsing, quirks, option layouts, signature
matching, fuzzy/generic/unknown outcomes, flow pairing, expiry and the
1000-flow limit).  Standard library only; the same seed always gives the same
bytes.

About 60% of SYN / SYN+ACK headers are instances of signatures from the
[tcp:request] / [tcp:response] sections of the given p0f.fp (sometimes bent a
little so that they match fuzzily or not at all), about 30% are random, about
10% carry malformed TCP options.  A few frames are malformed at the IP / TCP
header level, truncated, padded past the IP length, fragmented or carry silly
flag combinations.

Usage: gen_syn_pcap.py --seed N --flows N --db PATH/p0f.fp -o OUT.pcap
"""

import argparse
import heapq
import struct
import sys
import random

# ---------------------------------------------------------------------------
# p0f.fp reading
# ---------------------------------------------------------------------------

KNOWN_QUIRKS = ("df", "id+", "id-", "ecn", "0+", "flow", "seq-", "ack+", "ack-",
                "uptr+", "urgf+", "pushf+", "ts1-", "ts2+", "opt+", "exws",
                "bad")

OPT_EOL, OPT_NOP, OPT_MSS, OPT_WS, OPT_SOK, OPT_SACK, OPT_TS = 0, 1, 2, 3, 4, 5, 8
OPT_NAMES = {"nop": OPT_NOP, "mss": OPT_MSS, "ws": OPT_WS, "sok": OPT_SOK,
             "sack": OPT_SACK, "ts": OPT_TS}

# TCP flags
F_FIN, F_SYN, F_RST, F_PSH, F_ACK, F_URG, F_ECE, F_CWR = (
    0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80)


class Sig:
    """One parsed `sig = ...` line of a TCP section."""

    def __init__(self, text, label):
        f = text.split(":")
        if len(f) != 8:
            raise ValueError("field count")
        self.text, self.label = text, label or ""
        self.generic = self.label.startswith("g:")
        self.tool = self.label[2:4] == "!:"
        if f[0] not in ("4", "6", "*"):
            raise ValueError("ver")
        self.ver = None if f[0] == "*" else int(f[0])
        t = f[1]
        self.bad_ttl = t.endswith("-")
        if self.bad_ttl:
            t = t[:-1]
        if "+" in t:
            a, b = t.split("+", 1)
            self.ittl = int(a) + int(b)
        else:
            self.ittl = int(t)
        self.olen = int(f[2])
        self.mss = None if f[3] == "*" else int(f[3])
        w, s = f[4].split(",", 1)
        if w == "*":
            self.wtype, self.wval = "*", 0
        elif w.startswith("%"):
            self.wtype, self.wval = "%", int(w[1:])
        elif w.startswith("mss*"):
            self.wtype, self.wval = "mss", int(w[4:])
        elif w.startswith("mtu*"):
            self.wtype, self.wval = "mtu", int(w[4:])
        else:
            self.wtype, self.wval = "n", int(w)
        self.scale = None if s == "*" else int(s)
        self.layout = []                       # list of (kind, eol_pad)
        if f[5]:
            for o in f[5].split(","):
                if o.startswith("eol+"):
                    self.layout.append((OPT_EOL, int(o[4:])))
                elif o.startswith("?"):
                    self.layout.append((int(o[1:]), 0))
                elif o in OPT_NAMES:
                    self.layout.append((OPT_NAMES[o], 0))
                else:
                    raise ValueError("option " + o)
        self.quirks = set(q for q in f[6].split(",") if q)
        if not self.quirks <= set(KNOWN_QUIRKS):
            raise ValueError("quirk")
        if f[7] not in ("0", "+", "*"):
            raise ValueError("pclass")
        self.pclass = f[7]
        # p0f-sendsyn probes get special treatment in p0f; keep away from them.
        self.sendsyn = self.wtype == "n" and self.wval == 1337 and self.mss == 1331


def read_db(path):
    req, resp, mtus = [], [], []
    sect, label = None, None
    with open(path, encoding="latin-1") as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith(";"):
                continue
            if line.startswith("["):
                sect = line[1:line.find("]")] if "]" in line else None
                label = None
                continue
            if "=" not in line:
                continue
            key, val = (x.strip() for x in line.split("=", 1))
            if sect in ("tcp:request", "tcp:response"):
                if key == "label":
                    label = val
                elif key == "sig":
                    try:
                        s = Sig(val, label)
                    except (ValueError, IndexError):
                        continue
                    if s.sendsyn:
                        continue
                    (req if sect == "tcp:request" else resp).append(s)
            elif sect == "mtu" and key == "sig":
                try:
                    mtus.append(int(val))
                except ValueError:
                    pass
    return req, resp, mtus


# ---------------------------------------------------------------------------
# Header model and serialisation
# ---------------------------------------------------------------------------

class Seg:
    """Everything needed to serialise one Ethernet/IP/TCP frame."""

    def __init__(self, ver):
        self.ver = ver
        self.ttl = 64
        self.dscp = 0
        self.ip_ecn = 0
        self.df = True
        self.mbz = False
        self.frag = 0               # extra IPv4 flags_off bits (MF / offset)
        self.ip_id = 0
        self.ip_opts = b""
        self.ihl_override = None
        self.flow = 0
        self.seq = 1
        self.ack = 0
        self.flags = F_SYN
        self.rsvd = 0               # low nibble of doff byte (0x01 = NS)
        self.win = 65535
        self.urg = 0
        self.opts = b""
        self.doff_override = None
        self.payload = b""
        self.mss = 0                # value in the MSS option (for bookkeeping)
        self.wscale = 0
        self.peer_tsval = 0
        self.tsval = 0
        # frame-level damage
        self.ether_pad = b""
        self.trunc = 0              # bytes chopped off the captured frame
        self.iplen_delta = 0        # added to IPv4 tot_len / IPv6 pay_len

    def tcp_bytes(self, sport, dport):
        opts = self.opts
        if len(opts) % 4:
            opts = opts + b"\0" * (4 - len(opts) % 4)
        doff = 5 + len(opts) // 4
        if self.doff_override is not None:
            doff = self.doff_override
        hdr = struct.pack("!HHIIBBHHH", sport, dport, self.seq & 0xFFFFFFFF,
                          self.ack & 0xFFFFFFFF, ((doff & 15) << 4) | (self.rsvd & 15),
                          self.flags & 0xFF, self.win & 0xFFFF, 0, self.urg & 0xFFFF)
        return hdr + opts + self.payload

    def frame(self, src, dst, sport, dport, smac, dmac):
        tcp = self.tcp_bytes(sport, dport)
        if self.ver == 4:
            ipo = self.ip_opts
            if len(ipo) % 4:
                ipo = ipo + b"\0" * (4 - len(ipo) % 4)
            ihl = 5 + len(ipo) // 4
            if self.ihl_override is not None:
                ihl = self.ihl_override
            tot = 20 + len(ipo) + len(tcp) + self.iplen_delta
            fo = (0x4000 if self.df else 0) | (0x8000 if self.mbz else 0) | self.frag
            ip = struct.pack("!BBHHHBBH4s4s", 0x40 | (ihl & 15),
                             ((self.dscp & 63) << 2) | (self.ip_ecn & 3),
                             tot & 0xFFFF, self.ip_id & 0xFFFF, fo & 0xFFFF,
                             self.ttl & 0xFF, 6, 0, src, dst) + ipo
            etype = 0x0800
        else:
            vtf = (6 << 28) | ((((self.dscp & 63) << 2) | (self.ip_ecn & 3)) << 20) \
                | (self.flow & 0xFFFFF)
            ip = struct.pack("!IHBB16s16s", vtf, (len(tcp) + self.iplen_delta) & 0xFFFF,
                             6, self.ttl & 0xFF, src, dst)
            etype = 0x86DD
        pkt = dmac + smac + struct.pack("!H", etype) + ip + tcp + self.ether_pad
        orig = len(pkt)
        if self.trunc:
            pkt = pkt[:max(14, len(pkt) - self.trunc)]
        return pkt, orig


# ---------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------

COMMON_MSS = [1460, 1460, 1460, 1440, 1452, 1448, 1380, 1400, 1360, 1412, 1420,
              1436, 1430, 536, 1220, 1432, 1350, 1300, 8960, 16344, 16396,
              16376, 65495, 3884, 1024, 265, 640, 1240, 1200, 512]
SERVER_PORTS = [80, 443, 22, 25, 53, 110, 143, 993, 995, 3306, 5432, 8080, 8443,
                21, 23, 445, 3389, 6379, 9200, 27017]


class Gen:
    def __init__(self, rng, req, resp, mtus):
        self.r = rng
        self.req, self.resp, self.mtus = req, resp, mtus or [1500]
        self.tuples = set()
        self.cli4, self.cli6, self.srv4, self.srv6 = [], [], [], []
        self.n_flows = 0

    # -- small helpers ------------------------------------------------------

    def nz32(self):
        return self.r.randint(1, 0xFFFFFFFF)

    def pick_mss(self, ver, limit=65535):
        r = self.r
        for _ in range(8):
            x = r.random()
            if x < 0.45:
                m = r.choice(self.mtus) - (40 if ver == 4 else 60)
            elif x < 0.93:
                m = r.choice(COMMON_MSS)
            elif x < 0.97:
                m = r.randint(100, 65535)
            else:
                m = r.randint(0, 120)
            if 0 <= m <= limit:
                return m
        return r.randint(min(100, limit), limit) if limit >= 1 else 0

    def addr(self, ver, server):
        r = self.r
        if ver == 4:
            x = r.random()
            if x < 0.35:
                a = bytes([10, r.randint(0, 255), r.randint(0, 255), r.randint(1, 254)])
            elif x < 0.55:
                a = bytes([192, 168, r.randint(0, 255), r.randint(1, 254)])
            elif x < 0.65:
                a = bytes([172, r.randint(16, 31), r.randint(0, 255), r.randint(0, 255)])
            else:
                a = bytes([r.randint(1, 223), r.randint(0, 255), r.randint(0, 255),
                           r.randint(0, 255)])
            return a
        x = r.random()
        if x < 0.5:
            pre = bytes([0x20, 0x01, 0x0d, 0xb8]) + struct.pack("!H", r.randint(0, 0xFFFF))
        elif x < 0.8:
            pre = struct.pack("!HHH", r.choice([0x2a00, 0x2606, 0x2400, 0x2001, 0x2c0f]),
                              r.randint(0, 0xFFFF), r.randint(0, 0xFFFF))
        else:
            pre = bytes([0xfe, 0x80, 0, 0, 0, 0])
        y = r.random()
        if y < 0.3:
            iid = bytes(8)[:6] + struct.pack("!H", r.randint(1, 0xFFFF))
        elif y < 0.5:
            iid = struct.pack("!HHHH", r.randint(0, 0xFFFF), 0, 0, r.randint(1, 0xFFFF))
        else:
            iid = bytes(r.getrandbits(8) for _ in range(8))
        return pre + struct.pack("!H", r.randint(0, 0xFFFF) if r.random() < 0.5 else 0) + iid

    def host(self, ver, server):
        pool = {(4, False): self.cli4, (6, False): self.cli6,
                (4, True): self.srv4, (6, True): self.srv6}[(ver, server)]
        cap = {(4, False): 40 + self.n_flows // 4, (6, False): 15 + self.n_flows // 10,
               (4, True): 40, (6, True): 20}[(ver, server)]
        if len(pool) < cap and (not pool or self.r.random() < 0.5):
            pool.append(self.addr(ver, server))
            return pool[-1]
        return self.r.choice(pool)

    def endpoints(self, ver):
        r = self.r
        for _ in range(1000):
            cli = self.host(ver, False)
            srv = self.host(ver, True)
            if cli == srv:
                continue
            cport = r.randint(1024, 65535) if r.random() < 0.97 else r.randint(1, 1023)
            sport = r.choice(SERVER_PORTS) if r.random() < 0.85 else r.randint(1, 65535)
            key = (cli, cport, srv, sport) if (cli, cport) < (srv, sport) else (srv, sport, cli, cport)
            if key in self.tuples:
                continue
            self.tuples.add(key)
            return cli, cport, srv, sport
        raise RuntimeError("cannot find a free 4-tuple")

    def mac(self):
        return bytes([self.r.choice([0x00, 0x02, 0x52, 0xf4, 0x3c])] +
                     [self.r.getrandbits(8) for _ in range(5)])

    # -- option building ----------------------------------------------------

    def unk_kind(self):
        r = self.r
        if r.random() < 0.5:
            return r.choice([19, 28, 29, 30, 34, 253, 254, 6, 7, 76, 78])
        while True:
            k = r.randint(6, 255)
            if k not in (OPT_TS,):
                return k

    def opt_bytes(self, kind, s, is_syn, want_q, unk_len=None):
        """Serialise one well-formed option of the given kind for Seg s."""
        r = self.r
        if kind == OPT_NOP:
            return b"\x01"
        if kind == OPT_MSS:
            return struct.pack("!BBH", 2, 4, s.mss & 0xFFFF)
        if kind == OPT_WS:
            return struct.pack("!BBB", 3, 3, s.wscale & 0xFF)
        if kind == OPT_SOK:
            return b"\x04\x02"
        if kind == OPT_SACK:
            n = unk_len if unk_len else r.choice([10, 18, 26, 34, r.randint(10, 34)])
            return bytes([5, n]) + bytes(r.getrandbits(8) for _ in range(n - 2))
        if kind == OPT_TS:
            if "ts1-" in want_q:
                tsval = 0
            else:
                tsval = s.tsval or self.nz32()
            s.tsval = tsval
            if is_syn:
                tsecr = self.nz32() if "ts2+" in want_q else 0
            else:
                tsecr = s.peer_tsval or self.nz32()
                if r.random() < 0.05:
                    tsecr = 0
            return struct.pack("!BBII", 8, 10, tsval, tsecr)
        n = unk_len if unk_len else r.choice([2, 2, 3, 4, 6, 8, 10, r.randint(2, 18)])
        return bytes([kind & 0xFF, n]) + bytes(r.getrandbits(8) for _ in range(n - 2))

    def layout_bytes(self, layout, s, is_syn, q):
        """Options following a signature layout exactly; returns bytes or None
        when the layout cannot be expressed at a 4-byte aligned length."""
        r = self.r
        parts = []
        eol = None
        for kind, pad in layout:
            if kind == OPT_EOL:
                eol = pad
                break
            parts.append([kind, self.opt_bytes(kind, s, is_syn, q)])
        body = b"".join(p[1] for p in parts)
        if eol is not None:
            padb = bytearray(eol)
            if "opt+" in q and eol:
                for _ in range(r.randint(1, eol)):
                    padb[r.randrange(eol)] = r.randint(1, 255)
            out = body + b"\0" + bytes(padb)
            return out
        if len(body) % 4:
            # Stretch a variable-length option to reach alignment.
            need = 4 - len(body) % 4
            for p in parts:
                if p[0] not in (OPT_NOP, OPT_MSS, OPT_WS, OPT_SOK, OPT_TS):
                    ln = p[1][1] + need
                    lim = 34 if p[0] == OPT_SACK else 40
                    if ln <= lim:
                        p[1] = self.opt_bytes(p[0], s, is_syn, q, ln)
                        break
            body = b"".join(p[1] for p in parts)
        return body

    def make_bad(self, s, layout):
        """Make the 'bad' quirk appear without changing the option layout."""
        r = self.r
        o = bytearray(s.opts)
        pos, i = [], 0
        while i < len(o):
            k = o[i]
            if k == OPT_EOL:
                break
            if k == OPT_NOP:
                i += 1
                continue
            if i + 1 >= len(o):
                break
            if k in (OPT_MSS, OPT_WS, OPT_SOK, OPT_TS):
                pos.append(i)
            i += max(2, o[i + 1])
        if pos:
            p = r.choice(pos)
            right = {OPT_MSS: 4, OPT_WS: 3, OPT_SOK: 2, OPT_TS: 10}[o[p]]
            o[p + 1] = r.choice([v for v in (0, 1, 2, 3, 4, 5, 10, 11, 40, 255) if v != right])
            s.opts = bytes(o)
            return
        # Otherwise cut the last option short: p0f records its kind, sees it
        # cannot fit, and gives up -- the layout stays the same.
        kinds = [k for k, _ in layout]
        if not kinds or kinds[-1] in (OPT_EOL, OPT_NOP):
            return
        last = kinds[-1]
        i, start = 0, 0
        while i < len(o):
            start = i
            i += 1 if o[i] == OPT_NOP else (max(2, o[i + 1]) if i + 1 < len(o) else 1)
        head = bytes(o[:start])
        h = len(head) % 4
        need = {OPT_MSS: 4, OPT_WS: 3, OPT_SOK: 2, OPT_TS: 10}.get(last)
        if need is None:
            # SACK / unknown: an impossible length byte aborts parsing
            bad_len = r.choice([0, 1, 41, 200]) if last != OPT_SACK else r.choice([0, 9, 35])
            stub = bytes([last, bad_len])
        else:
            ln = [n for n in range(1, need) if (h + n) % 4 == 0]
            if not ln:
                return
            stub = bytes([last]) + bytes(r.getrandbits(8) for _ in range(ln[0] - 1))
        s.opts = head + stub

    # -- header variants ----------------------------------------------------

    def apply_quirks_ip(self, s, q):
        r = self.r
        if s.ver == 4:
            s.df = "df" in q or "id+" in q
            if s.df:
                s.ip_id = r.randint(1, 0xFFFF) if "id+" in q else 0
            else:
                s.ip_id = 0 if "id-" in q else r.randint(1, 0xFFFF)
            s.mbz = "0+" in q
        else:
            s.flow = r.randint(1, 0xFFFFF) if "flow" in q else 0
        if "ecn" in q:
            x = r.random()
            if x < 0.4:
                s.ip_ecn = r.randint(1, 3)
            elif x < 0.75:
                s.flags |= r.choice([F_ECE, F_CWR, F_ECE | F_CWR, F_ECE | F_CWR])
            elif x < 0.9:
                s.rsvd |= 0x01
            else:
                s.ip_ecn = r.randint(1, 3)
                s.flags |= F_ECE | F_CWR
        if r.random() < 0.05:
            s.rsvd |= r.choice([2, 4, 8, 0xE])      # reserved bits p0f ignores
        if r.random() < 0.1:
            s.dscp = r.choice([0x04, 0x08, 0x0a, 0x10, 0x12, 0x20, 0x28, 0x2e, 0x30,
                               r.randint(1, 63)])

    def apply_quirks_tcp(self, s, q, is_syn, syn_seq):
        r = self.r
        s.seq = 0 if "seq-" in q else self.nz32()
        if is_syn:
            if "ack+" in q:
                s.ack = (r.randrange(1, 256, 2) << 24) | r.getrandbits(24)
            else:
                x = r.random()
                if x < 0.9:
                    s.ack = 0
                else:
                    # non-zero but bit 24 clear: p0f 3.09b's ack+ test misses it
                    s.ack = (r.randrange(0, 256, 2) << 24) | r.randint(1, 0xFFFFFF)
        else:
            s.ack = 0 if "ack-" in q else (syn_seq + 1) & 0xFFFFFFFF
        if "urgf+" in q:
            s.flags |= F_URG
            s.urg = r.randint(0, 0xFFFF)
        elif "uptr+" in q:
            s.urg = r.randint(1, 0xFFFF)
        if "pushf+" in q:
            s.flags |= F_PSH

    def ttl_from(self, ittl, bad_ttl):
        r = self.r
        x = r.random()
        if x < 0.78:
            d = int(r.triangular(0, 30, 0) + 0.5)
        elif x < 0.86:
            d = r.randint(31, 36)
        elif x < 0.93:
            d = r.randint(36, 90)
        else:
            d = -r.randint(1, 40)
        t = ittl - d
        if t < 1 or t > 255:
            t = max(1, min(255, ittl - r.randint(0, 20)))
        return t

    def from_sig(self, sig, ver, is_syn, syn_seg=None):
        """Instantiate a signature, sometimes bent to miss or match fuzzily."""
        r = self.r
        s = Seg(ver)
        s.flags = F_SYN if is_syn else F_SYN | F_ACK
        q = set(sig.quirks)
        if ver == 6:
            q -= {"df", "id+", "id-", "0+"}
        else:
            q -= {"flow"}
        # bend quirks now and then
        x = r.random()
        if x < 0.06:
            q -= {"df", "id+"}                     # fuzzy: df / id+ disappear
            if r.random() < 0.5:
                q.discard("id+")
        elif x < 0.10:
            q.add("ecn")                           # fuzzy: ecn appears
        elif x < 0.13 and ver == 4:
            q -= {"df", "id+"}
            q.add("id-")                           # fuzzy: id- appears
        elif x < 0.16:
            q.add(r.choice(["seq-", "pushf+", "urgf+", "uptr+", "0+" if ver == 4 else "flow",
                            "ts1-", "ts2+", "exws", "bad", "opt+", "ack+"]))
        elif x < 0.18:
            if q:
                q.discard(r.choice(sorted(q)))
        if ver == 6:
            q -= {"df", "id+", "id-", "0+"}
        s.ttl = self.ttl_from(sig.ittl, sig.bad_ttl)
        if ver == 4 and sig.olen:
            s.ip_opts = b"\x01" * sig.olen
        if ver == 4 and r.random() < 0.01:
            s.ip_opts = b"\x01" * r.choice([4, 8, 12])
        self.apply_quirks_ip(s, q)
        self.apply_quirks_tcp(s, q, is_syn, syn_seg.seq if syn_seg else 0)
        # MSS and window
        kinds = [k for k, _ in sig.layout]
        limit = 65535
        if sig.wtype == "mss":
            limit = 65535 // max(1, sig.wval)
        elif sig.wtype == "mtu":
            limit = 65535 // max(1, sig.wval) - 40
        if sig.mss is not None:
            s.mss = sig.mss
        else:
            s.mss = self.pick_mss(ver, max(limit, 0))
            if r.random() < 0.02:
                s.mss = self.pick_mss(ver)
        if sig.scale is not None:
            s.wscale = sig.scale
        elif "exws" in q:
            s.wscale = r.randint(15, 255)
        else:
            s.wscale = r.choice([0, 1, 2, 3, 4, 5, 6, 7, 7, 7, 8, 9, 10, 14])
        if r.random() < 0.02:
            s.wscale = r.randint(0, 20)
        if r.random() < 0.02 and sig.mss is not None:
            s.mss = self.pick_mss(ver)
        if not is_syn and syn_seg is not None:
            s.peer_tsval = syn_seg.tsval
        s.opts = self.layout_bytes(sig.layout, s, is_syn, q)
        if "bad" in q:
            self.make_bad(s, sig.layout)
        if len(s.opts) > 40:
            s.opts = s.opts[:40]
        syn_mss = syn_seg.mss if syn_seg else 0
        if sig.wtype == "n":
            s.win = sig.wval
        elif sig.wtype == "*":
            s.win = r.choice([r.randint(0, 65535), 65535, 5840, 14600, 29200, 8192, 16384,
                              s.mss * r.randint(1, 45)]) & 0xFFFF
        elif sig.wtype == "%":
            s.win = sig.wval * r.randint(0, 65535 // sig.wval)
        elif sig.wtype == "mss":
            base = s.mss
            y = r.random()
            if not is_syn and syn_mss and y < 0.2:
                base = syn_mss                     # peer-MSS fallback path
            elif OPT_TS in kinds and y < 0.3:
                base = s.mss - 12                  # MSS-12 path
            elif y < 0.36:
                base = r.choice([1460, 1448] + ([1440, 1428] if ver == 6 else []))
            s.win = base * sig.wval
        else:  # mtu
            y = r.random()
            if y < 0.6:
                base = s.mss + 40
            elif y < 0.8:
                base = s.mss + (20 + len(s.ip_opts) if ver == 4 else 40) + 20 + 4 * ((len(s.opts) + 3) // 4)
            elif y < 0.9 and ver == 6:
                base = s.mss + 60
            else:
                base = 1500
            s.win = base * sig.wval
        if s.win > 0xFFFF or s.win < 0:
            s.win = r.randint(0, 65535)
        if r.random() < 0.04:
            s.win = r.randint(0, 65535)            # knock off the window rule
        # payload class
        if sig.pclass == "+" or (sig.pclass == "*" and r.random() < 0.3) or r.random() < 0.02:
            s.payload = bytes(r.getrandbits(8) for _ in range(r.randint(1, 24)))
        return s

    def random_seg(self, ver, is_syn, syn_seg=None):
        r = self.r
        s = Seg(ver)
        s.flags = F_SYN if is_syn else F_SYN | F_ACK
        q = set()
        for name, p in (("df", 0.7), ("id+", 0.4), ("id-", 0.15), ("ecn", 0.08),
                        ("0+", 0.02), ("flow", 0.3), ("seq-", 0.03), ("ack+", 0.05),
                        ("ack-", 0.03), ("uptr+", 0.03), ("urgf+", 0.03),
                        ("pushf+", 0.04), ("ts1-", 0.05), ("ts2+", 0.05), ("opt+", 0.1),
                        ("exws", 0.03)):
            if r.random() < p:
                q.add(name)
        s.ttl = r.choice([r.randint(1, 255), r.randint(30, 64), r.randint(100, 128),
                          r.randint(230, 255), 64, 128, 255, 32, 60, 200])
        if ver == 4 and r.random() < 0.06:
            n = r.choice([4, 8, 12, 20, 40])
            s.ip_opts = bytes(r.choice([1, 0, 7, 68, 148]) for _ in range(n))
        self.apply_quirks_ip(s, q)
        if r.random() < 0.3:
            s.dscp = r.randint(0, 63)
            s.ip_ecn = r.randint(0, 3) if r.random() < 0.3 else s.ip_ecn
        self.apply_quirks_tcp(s, q, is_syn, syn_seg.seq if syn_seg else 0)
        s.mss = self.pick_mss(ver)
        y = r.random()
        if y < 0.3:
            s.win = r.randint(0, 65535)
        elif y < 0.6:
            s.win = (s.mss * r.randint(1, 50)) & 0xFFFF
        elif y < 0.7:
            s.win = ((s.mss + r.choice([40, 60, 52])) * r.randint(1, 40)) & 0xFFFF
        elif y < 0.8:
            s.win = r.choice([1460, 1448, 1440, 1428, 1500]) * r.randint(1, 44)
        else:
            s.win = r.choice([65535, 8192, 16384, 32768, 5840, 14600, 29200, 64240,
                              65160, 512, 1024, 0, 1, 4, 3993, 61440, 32850])
        s.win &= 0xFFFF
        s.wscale = r.randint(15, 255) if "exws" in q else r.randint(0, 14)
        if not is_syn and syn_seg is not None:
            s.peer_tsval = syn_seg.tsval
        # random layout
        layout = []
        for _ in range(r.choice([0, 1, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8])):
            layout.append(r.choice([OPT_MSS, OPT_MSS, OPT_NOP, OPT_NOP, OPT_NOP, OPT_WS,
                                    OPT_WS, OPT_SOK, OPT_SOK, OPT_SACK, OPT_TS, OPT_TS,
                                    self.unk_kind()]))
        parts = [self.opt_bytes(k, s, is_syn, q) for k in layout]
        body = b"".join(parts)
        if len(body) > 40:
            body = body[:40]
        z = r.random()
        if z < 0.45 or "opt+" in q:
            # terminate with EOL and pad to alignment (sometimes with extra words)
            padn = (4 - (len(body) + 1) % 4) % 4
            if r.random() < 0.2:
                padn += 4 * r.randint(0, 2)
            padn = min(padn, max(0, 39 - len(body)))
            padb = bytearray(padn)
            if "opt+" in q and padn:
                padb[r.randrange(padn)] = r.randint(1, 255)
            body = body + b"\0" + bytes(padb)
        else:
            while len(body) % 4:
                body += b"\x01"
        s.opts = body[:40]
        if r.random() < 0.06:
            s.payload = bytes(r.getrandbits(8) for _ in range(r.randint(1, 40)))
        return s

    def malformed_seg(self, ver, is_syn, syn_seg=None):
        r = self.r
        if r.random() < 0.5 and (self.req if is_syn else self.resp):
            sig = r.choice(self.req if is_syn else self.resp)
            if sig.ver and sig.ver != ver:
                s = self.random_seg(ver, is_syn, syn_seg)
            else:
                s = self.from_sig(sig, ver, is_syn, syn_seg)
        else:
            s = self.random_seg(ver, is_syn, syn_seg)
        q = set()
        mss = struct.pack("!BBH", 2, 4, s.mss & 0xFFFF)
        ws = struct.pack("!BBB", 3, 3, r.randint(0, 14))
        ts = struct.pack("!BBII", 8, 10, self.nz32(), 0)
        sok = b"\x04\x02"
        pre = r.choice([b"", mss, mss + b"\x01", mss + sok, mss + b"\x01" + ws,
                        b"\x01\x01", mss + sok + ts])
        kind = r.randint(0, 12)
        if kind == 0:          # wrong length byte on a fixed-size option
            k = r.choice([OPT_MSS, OPT_WS, OPT_SOK, OPT_TS])
            good = {OPT_MSS: mss, OPT_WS: ws, OPT_SOK: sok, OPT_TS: ts}[k]
            right = good[1]
            bad = r.choice([v for v in (0, 1, 2, 3, 4, 5, 8, 10, 12, 40, 41, 255) if v != right])
            body = pre + bytes([k, bad]) + good[2:] + r.choice([b"", b"\x01\x01\x01" + ws, sok])
        elif kind == 1:        # SACK length out of range
            n = r.choice([0, 1, 2, 8, 9, 35, 36, 40, 255])
            body = pre + bytes([5, n]) + bytes(r.getrandbits(8) for _ in range(8))
        elif kind == 2:        # SACK running past the header
            n = r.randint(10, 34)
            body = pre + bytes([5, n]) + bytes(r.getrandbits(8) for _ in range(r.randint(0, n - 3)))
        elif kind == 3:        # unknown option with length 0 / 1 / > 40
            body = pre + bytes([self.unk_kind(), r.choice([0, 1, 41, 42, 100, 255])]) + b"\0\0\0\0"
        elif kind == 4:        # unknown option running past the header
            n = r.randint(4, 40)
            body = pre + bytes([self.unk_kind(), n]) + bytes(r.getrandbits(8) for _ in range(r.randint(0, n - 3)))
        elif kind == 5:        # fixed-size option cut by the end of the header
            k = r.choice([OPT_MSS, OPT_WS, OPT_SOK, OPT_TS, OPT_SACK, self.unk_kind()])
            base = pre
            while (len(base) + 1) % 4:
                base = b"\x01" + base
            body = base + bytes([k])
            if k == OPT_TS and r.random() < 0.5:
                body = pre + b"\x08\x0a\x00\x00"
                while len(body) % 4:
                    body = b"\x01" + body
        elif kind == 6:        # more than 24 options
            n = r.randint(25, 40)
            body = (mss if r.random() < 0.5 else b"") + b"\x01" * n
            body = body[:40]
        elif kind == 7:        # exactly 24 options, fully parsed
            body = r.choice([b"\x01" * 24, mss + sok + b"\x01" * 22,
                             mss + b"\x01" * 22 + sok, b"\x01" * 23 + b"\x00"])
        elif kind == 8:        # 24 options then an EOL that is never reached
            body = b"\x01" * 24 + b"\x00\x00\x00\x00"
        elif kind == 9:        # EOL followed by non-zero bytes
            body = pre + b"\x00" + bytes(r.randint(0, 255) for _ in range(r.randint(1, 12)))
            q.add("opt+")
        elif kind == 10:       # random garbage
            body = bytes(r.getrandbits(8) for _ in range(4 * r.randint(1, 10)))
        elif kind == 11:       # duplicate options, odd values
            body = mss + struct.pack("!BBH", 2, 4, r.randint(0, 65535)) + \
                struct.pack("!BBB", 3, 3, r.randint(0, 255)) + b"\x01" + ts + ts
        else:                  # TS with zero TSval and non-zero TSecr
            body = pre + struct.pack("!BBII", 8, 10, 0, self.nz32()) + b"\x01\x01"
        if len(body) > 40:
            body = body[:40]
        while len(body) % 4:
            body += bytes([r.choice([0, 1, r.randint(0, 255)])])
        s.opts = body
        if r.random() < 0.2 and not s.payload:
            s.payload = bytes(r.getrandbits(8) for _ in range(r.randint(1, 12)))
        return s

    def pick_sig(self, is_syn, ver=None):
        pool = self.req if is_syn else self.resp
        if ver is not None:
            pool = [s for s in pool if s.ver is None or s.ver == ver]
        return self.r.choice(pool) if pool else None

    def segment(self, is_syn, ver=None, syn_seg=None):
        """Returns (ver, Seg).  ver None means: choose it."""
        r = self.r
        x = r.random()
        if x < 0.6:
            sig = self.pick_sig(is_syn, ver)
            if sig is not None:
                if ver is None:
                    ver = sig.ver or (6 if r.random() < 0.25 else 4)
                return ver, self.from_sig(sig, ver, is_syn, syn_seg)
        if ver is None:
            ver = 6 if r.random() < 0.25 else 4
        if x < 0.9:
            return ver, self.random_seg(ver, is_syn, syn_seg)
        return ver, self.malformed_seg(ver, is_syn, syn_seg)

    def damage(self, s, is_handshake):
        """Occasional header- or frame-level damage."""
        r = self.r
        x = r.random()
        if x < 0.04:
            s.ether_pad = bytes(r.getrandbits(8) if r.random() < 0.5 else 0
                                for _ in range(r.randint(1, 24)))
            if s.payload and r.random() < 0.5:
                # declare the payload away: it becomes link-layer padding
                s.iplen_delta = -len(s.payload)
        elif x < 0.045:
            s.trunc = r.randint(1, 30)               # snapped frame
        elif x < 0.050 and is_handshake:
            # IP length claims more than there is
            s.iplen_delta = r.randint(1, 40)
        elif x < 0.052 and s.ver == 4:
            s.ihl_override = r.randint(0, 4)
        elif x < 0.054:
            s.doff_override = r.randint(0, 4)
        elif x < 0.056:
            s.doff_override = 15
        elif x < 0.059 and s.ver == 4:
            s.frag = r.choice([0x2000, 0x0001, 0x2000 | r.randint(1, 0x1FFF), 0x00B9])
        elif x < 0.065 and is_handshake:
            s.flags = r.choice([s.flags | F_FIN, s.flags | F_RST, F_PSH, F_URG | F_PSH,
                                s.flags | F_PSH | F_URG, F_FIN | F_RST, 0])

    # -- flows ----------------------------------------------------------------

    def fix_sendsyn(self, s):
        if (s.flags & (F_SYN | F_ACK | F_FIN | F_RST)) == F_SYN and s.win == 1337:
            s.win = 1338

    def plan_flow(self, burst=False):
        """Return (list of (delay_us, frame, orig_len)) for one new flow."""
        r = self.r
        self.n_flows += 1
        ver, syn = self.segment(True)
        cli, cport, srv, sport = self.endpoints(ver)
        cmac, smac = self.mac(), self.mac()
        out = []

        def emit(delay, seg, from_cli, damage=True, hs=False):
            self.fix_sendsyn(seg)
            if damage:
                self.damage(seg, hs)
            if from_cli:
                fr, orig = seg.frame(cli, srv, cport, sport, cmac, smac)
            else:
                fr, orig = seg.frame(srv, cli, sport, cport, smac, cmac)
            out.append((delay, fr, orig))

        def plain(flags, from_cli, seq, ack):
            s = Seg(ver)
            s.flags = flags
            s.seq, s.ack = seq, ack
            s.ttl = syn.ttl if from_cli else r.randint(30, 255)
            s.df = r.random() < 0.7
            s.ip_id = r.randint(0, 0xFFFF)
            s.win = r.randint(0, 65535)
            if r.random() < 0.3:
                s.opts = b"\x01\x01" + struct.pack("!BBII", 8, 10, self.nz32(), self.nz32())
            return s

        emit(0, syn, True, hs=True)
        t = 0
        cur_syn = syn
        # retransmissions / new SYNs for the same tuple
        x = r.random()
        if x < 0.05:
            dup = self.segment(True, ver)[1] if r.random() < 0.3 else None
            if dup is None:
                dup = syn
                # identical bytes except maybe TTL
            else:
                dup.seq = syn.seq
            t += r.randint(200_000, 3_000_000)
            emit(t, dup, True, damage=False)
        elif x < 0.08:
            _, cur_syn = self.segment(True, ver)
            t += r.randint(100_000, 3_000_000)
            emit(t, cur_syn, True, hs=True)
        elif x < 0.085:
            # a pure ACK before the SYN+ACK kills p0f's flow
            t += r.randint(1_000, 200_000)
            emit(t, plain(F_ACK, True, cur_syn.seq + 1, self.nz32()), True, damage=False)
        elif x < 0.09:
            # SYN from the other side on the same tuple: reverses the flow
            _, rs = self.segment(True, ver)
            t += r.randint(1_000, 200_000)
            emit(t, rs, False, hs=True)

        # SYN+ACK
        y = r.random()
        if burst:
            sa_delay = r.randint(8_000_000, 25_000_000)
        elif y < 0.02:
            sa_delay = r.randint(31_000_000, 40_000_000)
        elif y < 0.03:
            sa_delay = r.randint(29_000_000, 31_500_000)
        elif y < 0.8:
            sa_delay = int(r.expovariate(1 / 60_000)) + 200
        else:
            sa_delay = r.randint(100_000, 3_000_000)
        mode = r.random()
        if mode < 0.86:
            _, sa = self.segment(False, ver, cur_syn)
            t += sa_delay
            emit(t, sa, False, hs=True)
            z = r.random()
            if z < 0.04:
                # duplicate SYN+ACK: identical, or a different one
                if r.random() < 0.5:
                    sa2 = sa
                else:
                    _, sa2 = self.segment(False, ver, cur_syn)
                t += r.randint(1_000, 1_500_000)
                emit(t, sa2, False, damage=False)
            elif z < 0.05:
                # SYN+ACK going the wrong way (from the client)
                _, sa2 = self.segment(False, ver, cur_syn)
                t += r.randint(1_000, 500_000)
                emit(t, sa2, True, damage=False)
            # client ACK
            if r.random() < 0.6:
                t += r.randint(200, 100_000)
                a = plain(F_ACK, True, cur_syn.seq + 1, sa.seq + 1)
                if r.random() < 0.2:
                    a.payload = bytes(r.randint(0x80, 0xFF) for _ in range(r.randint(1, 60)))
                    a.flags |= F_PSH
                emit(t, a, True, damage=False)
            srv_seq = sa.seq
        elif mode < 0.91:
            # closed port: RST+ACK instead of SYN+ACK
            t += sa_delay
            emit(t, plain(F_RST | F_ACK, False, 0, cur_syn.seq + 1), False, damage=False)
            return out
        elif mode < 0.93:
            # SYN+ACK from the client side only (never a proper one)
            _, sa = self.segment(False, ver, cur_syn)
            t += sa_delay
            emit(t, sa, True, hs=True)
            srv_seq = sa.seq
        else:
            srv_seq = self.nz32()           # never answered

        # close (about 90% of flows)
        if r.random() < 0.9:
            t += r.randint(5_000, 8_000_000) if r.random() < 0.9 else r.randint(8_000_000, 25_000_000)
            from_cli = r.random() < 0.5
            kind = r.choice([F_FIN | F_ACK, F_FIN | F_ACK, F_RST, F_RST | F_ACK])
            if from_cli:
                emit(t, plain(kind, True, cur_syn.seq + 1, srv_seq + 1), True, damage=False)
            else:
                emit(t, plain(kind, False, srv_seq + 1, cur_syn.seq + 1), False, damage=False)
        return out

    def stray(self):
        """A SYN+ACK (or SYN) with no prior state at all."""
        r = self.r
        ver = 6 if r.random() < 0.25 else 4
        cli, cport, srv, sport = self.endpoints(ver)
        _, s = self.segment(False, ver)
        self.fix_sendsyn(s)
        fr, orig = s.frame(srv, cli, sport, cport, self.mac(), self.mac())
        return [(0, fr, orig)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--flows", type=int, required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("-o", dest="out", required=True)
    a = ap.parse_args()

    req, resp, mtus = read_db(a.db)
    if not req or not resp:
        sys.exit("gen_syn_pcap: no usable [tcp:request]/[tcp:response] signatures in " + a.db)
    rng = random.Random(a.seed)
    g = Gen(rng, req, resp, mtus)

    # A burst of SYNs opened faster than they close drives p0f over its
    # 1000-connection limit (it then drops the oldest 10%).
    burst_at, burst_n = -1, 0
    if a.flows >= 2000:
        burst_n = rng.randint(1200, 1400)
        burst_at = rng.randint(a.flows // 5, max(a.flows // 5, a.flows - burst_n - 1))

    now = (1_500_000_000 + rng.randrange(0, 200_000_000)) * 1_000_000 + rng.randrange(1_000_000)
    heap, order = [], 0
    started = 0
    recs = []

    def write(ts, fr, orig):
        recs.append(struct.pack("<IIII", ts // 1_000_000, ts % 1_000_000, len(fr), orig) + fr)

    while started < a.flows or heap:
        in_burst = burst_at <= started < burst_at + burst_n
        now += rng.randint(3_000, 8_000) if in_burst else rng.randint(5_000, 20_000)
        if heap and heap[0][0] <= now and not in_burst:
            _, _, fr, orig = heapq.heappop(heap)
            write(now, fr, orig)
            continue
        if started < a.flows:
            if rng.random() < 0.01:
                pkts = g.stray()
            else:
                pkts = g.plan_flow(burst=in_burst)
                started += 1
            for d, fr, orig in pkts:
                if d == 0:
                    write(now, fr, orig)
                else:
                    order += 1
                    heapq.heappush(heap, (now + d, order, fr, orig))
            continue
        now = max(now, heap[0][0])
        _, _, fr, orig = heapq.heappop(heap)
        write(now, fr, orig)

    with open(a.out, "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        fh.write(b"".join(recs))


if __name__ == "__main__":
    main()
