#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write a random, seed-deterministic Ethernet pcap of TLS, QUIC and DTLS
conversations (IPv4 and IPv6 mixed), and the tls records netprint must
report for it, one JSON line each, built from what the generator put in:
the field lists it chose for every hello, fingerprinted by the independent
implementation in tests/tls/ja4_spec.py.

Usage: gen_tls_pcap.py SEED COUNT OUT.pcap EXPECTED.jsonl
                       [--kinds K,...] [--hellos HELLOS.jsonl] [--stats]

COUNT conversations of the chosen kinds, several open at once:

  tls       TLS over TCP: three-way handshake, the client's first flight
            (ClientHello, sometimes ChangeCipherSpec and early data) cut
            into 1..N TLS records at any byte (inside the 4-byte handshake
            header too) and into 1..M TCP segments at any byte, segments
            reordered within a window of 3, duplicated and resent
            overlapping; then the server's flight (ServerHello alone in
            TLS 1.3, followed by Certificate... in the same records in TLS
            1.2), cut the same way; TLS 1.2 second flights, application
            data, FIN or RST. Server ports 443 and others.
  starttls  the same after an SMTP, IMAP, POP3, FTP, XMPP, LDAP or
            PostgreSQL plaintext exchange (each side's hello starts a
            segment that is sent after its plaintext and before the rest
            of its hello).
  hrr       ClientHello, HelloRetryRequest (+ CCS), a second ClientHello
            (cookie added, key_share changed, early_data dropped), a second
            ServerHello: only the first ClientHello and the first
            ServerHello (the HRR) are reported.
  tls-gap   one direction's hello loses a segment for good (never sent, or
            captured cut short): nothing reported for that direction, the
            other one as usual.
  tls-bad   one direction sends garbage after a valid-looking record
            header, or a hello with a length pointing past its message,
            and the other an alert: nothing reported for it.
  quic      QUIC v1, v2 and draft-29: the client's Initial datagrams
            (>= 1200 bytes, padded) carrying the ClientHello in CRYPTO
            frames split and shuffled within packets and across packets
            and datagrams, with PING / PADDING, sometimes coalesced with a
            0-RTT packet, sometimes retransmitted; the server's Initial
            (server keys of the client's first DCID, DCID = client's SCID)
            with ACK + CRYPTO(ServerHello), coalesced with a Handshake
            packet; then Initial ACKs, Handshake and 1-RTT packets.
  dtls      DTLS 1.0 / 1.2 / 1.3 (0xfeff / 0xfefd; 1.3 by supported_versions
            0xfefc): ClientHello sometimes cut into handshake fragments over
            records and datagrams (reordered, resent), HelloVerifyRequest
            (1.0 / 1.2) or HelloRetryRequest (1.3) and a second ClientHello
            sometimes (only the first is reported, and the first
            ServerHello), the server flight, encrypted records; sometimes
            STUN before, the first STUN message from either side.
  noise     TCP and UDP that is not TLS, TLS-looking records that are not
            hellos, QUIC packets of unknown versions or that fail to
            decrypt, malformed QUIC / DTLS hellos, truncated frames: no
            record.

--kinds takes these names and "tcp" (the five TCP ones) or "all".

Records (EXPECTED.jsonl, the keys netprint's JSON has for them):
  {"mod": "tls client", "client": {"ip", "port"}, "server": {...},
   "tls": {"transport", "version", "sni", "client_alpns", "ja4", "ja4_r",
           "ja4_o", "ja4_ro", "ja3": {"hash", "string"}}}
  {"mod": "tls server", "client": ..., "server": ...,
   "tls": {"transport", "version", "cipher", "server_alpn",
           "ja3s": {"hash", "string"}}}
"client" is the endpoint that sent the ClientHello (the SYN sender in TCP).
One tls client record per conversation (its first ClientHello) and one tls
server record (its first ServerHello), unless a kind above says otherwise.

--hellos writes one line for every hello the capture carries (reported or
not, malformed ones too) with the generator's own JA3 / JA3S string, for
the check against tshark.

Uses Debian's python3-cryptography (AES for QUIC); the same seed always
gives the same bytes.
"""

import argparse
import hashlib
import hmac
import json
import os
import random
import struct
import sys
import zlib

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tls"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ja4_spec  # noqa: E402
from pcapfile import inet_checksum as csum16  # noqa: E402

# ---------------------------------------------------------------------------
# Bytes
# ---------------------------------------------------------------------------


def u8(v):
    return bytes((v,))


def u16(v):
    return struct.pack("!H", v)


def u24(v):
    return struct.pack("!I", v)[1:]


def u32(v):
    return struct.pack("!I", v)


def v8(b):
    assert len(b) < 0x100
    return u8(len(b)) + b


def v16(b):
    assert len(b) < 0x10000
    return u16(len(b)) + b


def qint(v, n=0):
    """QUIC variable-length integer, minimal unless n bytes are asked for."""
    if not n:
        n = 1 if v < 0x40 else 2 if v < 0x4000 else 4 if v < 0x40000000 else 8
    if n == 1:
        return u8(v)
    if n == 2:
        return u16(0x4000 | v)
    if n == 4:
        return u32(0x80000000 | v)
    return struct.pack("!Q", 0xC000000000000000 | v)


GREASE = tuple(0x0A0A + 0x1010 * i for i in range(16))


def is_grease(v):
    return (v & 0x0F0F) == 0x0A0A and (v >> 8) == (v & 0xFF)


def rbytes(r, n):
    return bytes(r.getrandbits(8) for _ in range(n)) if n < 64 else r.getrandbits(8 * n).to_bytes(n, "big")


def text(b):
    """The JSON text of SNI / ALPN bytes: UTF-8, invalid bytes as U+FFFD."""
    return b.decode("utf-8", "replace")


# ---------------------------------------------------------------------------
# Ethernet, IPv4, IPv6, TCP, UDP
# ---------------------------------------------------------------------------


class Host:
    __slots__ = ("ver", "addr", "mac", "ttl", "ipid", "ipid_step")

    def __init__(self, ver, addr, mac, ttl, ipid, ipid_step):
        self.ver, self.addr, self.mac, self.ttl = ver, addr, mac, ttl
        self.ipid, self.ipid_step = ipid, ipid_step

    def ip(self):
        """The address as netprint prints it (p0f: IPv6 as eight groups)."""
        if self.ver == 4:
            return ".".join(str(b) for b in self.addr)
        return ":".join("%x" % w for w in struct.unpack("!8H", self.addr))


def pseudo(src, dst, proto, length):
    if src.ver == 4:
        return src.addr + dst.addr + struct.pack("!BBH", 0, proto, length)
    return src.addr + dst.addr + struct.pack("!I3xB", length, proto)


def ip_frame(src, dst, proto, l4, flow=0):
    if src.ver == 4:
        src.ipid = (src.ipid + src.ipid_step) & 0xFFFF
        h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), src.ipid, 0x4000, src.ttl, proto, 0,
                        src.addr, dst.addr)
        h = h[:10] + u16(csum16(h)) + h[12:]
        et = 0x0800
    else:
        h = struct.pack("!IHBB16s16s", 0x60000000 | flow, len(l4), proto, src.ttl, src.addr, dst.addr)
        et = 0x86DD
    fr = dst.mac + src.mac + u16(et) + h + l4
    if len(fr) < 60:
        fr += bytes(60 - len(fr))  # Ethernet padding: beyond the IP length
    return fr


F_FIN, F_SYN, F_RST, F_PSH, F_ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def tcp_frame(src, dst, sport, dport, seq, ack, flags, win, opts, payload, flow=0):
    hl = 20 + len(opts)
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, (hl // 4) << 4,
                      flags, win, 0, 0) + opts + payload
    c = csum16(pseudo(src, dst, 6, len(seg)) + seg)
    return ip_frame(src, dst, 6, seg[:16] + u16(c) + seg[18:], flow)


def udp_frame(src, dst, sport, dport, payload, flow=0):
    n = 8 + len(payload)
    seg = struct.pack("!HHHH", sport, dport, n, 0) + payload
    c = csum16(pseudo(src, dst, 17, n) + seg) or 0xFFFF
    return ip_frame(src, dst, 17, seg[:6] + u16(c) + seg[8:], flow)


def l4_offset(host):
    return 14 + (20 if host.ver == 4 else 40)


# ---------------------------------------------------------------------------
# QUIC Initial protection (RFC 9001 5, RFC 9369 3.3)
# ---------------------------------------------------------------------------

QUIC_V1, QUIC_V2, QUIC_D29 = 0x00000001, 0x6B3343CF, 0xFF00001D
QUIC_SALT = {
    QUIC_V1: bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"),
    QUIC_V2: bytes.fromhex("0dede3def700a6db819381be6e269dcbf9bd2ed9"),
    QUIC_D29: bytes.fromhex("afbfec289993d24c9e9786f19c6111e04390a899"),
}
# long header packet type bits: Initial, 0-RTT, Handshake, Retry
QUIC_TYPES = {
    QUIC_V1: {"initial": 0, "0rtt": 1, "handshake": 2, "retry": 3},
    QUIC_V2: {"initial": 1, "0rtt": 2, "handshake": 3, "retry": 0},
    QUIC_D29: {"initial": 0, "0rtt": 1, "handshake": 2, "retry": 3},
}


def hkdf_expand_label(secret, label, length):
    info = u16(length) + v8(b"tls13 " + label) + v8(b"")
    out, t, i = b"", b"", 1
    while len(out) < length:
        t = hmac.new(secret, t + info + u8(i), hashlib.sha256).digest()
        out += t
        i += 1
    return out[:length]


def quic_keys(version, dcid, server):
    """(key, iv, hp) of the client's or the server's Initial packets."""
    initial = hmac.new(QUIC_SALT[version], dcid, hashlib.sha256).digest()
    secret = hkdf_expand_label(initial, b"server in" if server else b"client in", 32)
    p = b"quicv2 " if version == QUIC_V2 else b"quic "
    return (hkdf_expand_label(secret, p + b"key", 16), hkdf_expand_label(secret, p + b"iv", 12),
            hkdf_expand_label(secret, p + b"hp", 16))


def quic_selftest():
    """RFC 9001 A.1 and RFC 9369 A.1 key derivation."""
    dcid = bytes.fromhex("8394c8f03e515708")
    want = {
        (QUIC_V1, False): ("1f369613dd76d5467730efcbe3b1a22d", "fa044b2f42a3fd3b46fb255c",
                           "9f50449e04a0e810283a1e9933adedd2"),
        (QUIC_V1, True): ("cf3a5331653c364c88f0f379b6067e37", "0ac1493ca1905853b0bba03e",
                          "c206b8d9b9f0f37644430b490eeaa314"),
        (QUIC_V2, False): ("8b1a0bc121284290a29e0971b5cd045d", "91f73e2351d8fa91660e909f",
                           "45b95e15235d6f45a6b19cbcb0294ba9"),
        (QUIC_V2, True): ("82db637861d55e1d011f19ea71d5d2a7", "dd13c276499c0249d3310652",
                          "edf6d05c83121201b436e16877593c3a"),
    }
    for (ver, server), keys in want.items():
        got = tuple(k.hex() for k in quic_keys(ver, dcid, server))
        if got != keys:
            raise SystemExit("gen_tls_pcap: QUIC key derivation is wrong for %#x" % ver)


def quic_long(version, ptype, dcid, scid, pn, pn_len, payload, keys=None, token=b""):
    """A long header packet. With keys: an Initial, encrypted and header
    protected; without: payload is taken as already encrypted bytes."""
    first = 0xC0 | (QUIC_TYPES[version][ptype] << 4) | (pn_len - 1)
    hdr = u8(first) + u32(version) + v8(dcid) + v8(scid)
    if ptype == "initial":
        hdr += qint(len(token)) + token
    length = pn_len + len(payload) + (16 if keys else 0)
    hdr += qint(length, 2 if length < 0x4000 else 4)
    pn_off = len(hdr)
    pnb = (pn & ((1 << (8 * pn_len)) - 1)).to_bytes(pn_len, "big")
    if not keys:
        return hdr + pnb + payload
    key, iv, hp = keys
    nonce = (int.from_bytes(iv, "big") ^ pn).to_bytes(12, "big")
    ct = AESGCM(key).encrypt(nonce, payload, hdr + pnb)
    sample = ct[4 - pn_len:20 - pn_len]
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    first ^= mask[0] & 0x0F
    pnb = bytes(b ^ m for b, m in zip(pnb, mask[1:1 + pn_len]))
    return u8(first) + hdr[1:pn_off] + pnb + ct


def quic_initial_overhead(dcid, scid, token, pn_len):
    """Bytes of an Initial packet that are not frames (2-byte length)."""
    return 1 + 4 + 1 + len(dcid) + 1 + len(scid) + len(qint(len(token))) + len(token) + 2 + pn_len + 16


def crypto_frame(off, data):
    return b"\x06" + qint(off) + qint(len(data)) + data


def ack_frame(largest, first_range=0, delay=0):
    return b"\x02" + qint(largest) + qint(delay) + qint(0) + qint(min(first_range, largest))


# ---------------------------------------------------------------------------
# TLS values
# ---------------------------------------------------------------------------

TLS13_CIPHERS = (0x1301, 0x1302, 0x1303)
# every cipher suite value a random list draws from (IANA registry ranges)
CIPHER_POOL = (list(range(0x0001, 0x001C)) + list(range(0x001E, 0x0040)) + list(range(0x0041, 0x0047))
               + list(range(0x0060, 0x006E)) + list(range(0x0080, 0x00C7)) + [0x00FF, 0x5600]
               + list(range(0xC001, 0xC0B0)) + list(range(0xCCA8, 0xCCAF)) + list(range(0x1301, 0x1306))
               + [0xD001, 0xD002, 0xD003, 0xD005, 0xFF85, 0xFEFE, 0xFEFF])
CHROME_CIPHERS = (0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013,
                  0xC014, 0x009C, 0x009D, 0x002F, 0x0035)
FIREFOX_CIPHERS = (0x1301, 0x1303, 0x1302, 0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC02C, 0xC030, 0xC00A,
                   0xC009, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035)
SAFARI_CIPHERS = (0x1301, 0x1302, 0x1303, 0xC02C, 0xC02B, 0xCCA9, 0xC030, 0xC02F, 0xCCA8, 0xC00A,
                  0xC009, 0xC014, 0xC013, 0x009D, 0x009C, 0x0035, 0x002F, 0xC008, 0xC012, 0x000A)
OPENSSL3_CIPHERS = (0x1302, 0x1303, 0x1301, 0xC02C, 0xC030, 0x009F, 0xCCA9, 0xCCA8, 0xCCAA, 0xC02B,
                    0xC02F, 0x009E, 0xC024, 0xC028, 0x006B, 0xC023, 0xC027, 0x0067, 0xC00A, 0xC014,
                    0x0039, 0xC009, 0xC013, 0x0033, 0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F,
                    0x00FF)
OPENSSL10_CIPHERS = (0xC030, 0xC02C, 0xC028, 0xC024, 0xC014, 0xC00A, 0x00A5, 0x00A3, 0x00A1, 0x009F,
                     0x006B, 0x006A, 0x0069, 0x0068, 0x0039, 0x0038, 0x0037, 0x0036, 0x0088, 0x0087,
                     0x0086, 0x0085, 0xC032, 0xC02E, 0xC02A, 0xC026, 0xC00F, 0xC005, 0x009D, 0x003D,
                     0x0035, 0x0084, 0xC02F, 0xC02B, 0xC027, 0xC023, 0xC013, 0xC009, 0x00A4, 0x00A2,
                     0x00A0, 0x009E, 0x0067, 0x0040, 0x003F, 0x003E, 0x0033, 0x0032, 0x0031, 0x0030,
                     0x009A, 0x0099, 0x0098, 0x0097, 0x0045, 0x0044, 0x0043, 0x0042, 0xC031, 0xC02D,
                     0xC029, 0xC025, 0xC00E, 0xC004, 0x009C, 0x003C, 0x002F, 0x0096, 0x0041, 0x0007,
                     0xC011, 0xC007, 0xC00C, 0xC002, 0x0005, 0x0004, 0xC012, 0xC008, 0x0016, 0x0013,
                     0x0010, 0x000D, 0xC00D, 0xC003, 0x000A, 0x00FF)
GO_CIPHERS = (0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC009, 0xC013, 0xC00A, 0xC014, 0x009C,
              0x009D, 0x002F, 0x0035, 0xC012, 0x000A, 0x1301, 0x1302, 0x1303)
JAVA_CIPHERS = (0x1302, 0x1301, 0x1303, 0xC02C, 0xC02B, 0xCCA9, 0xC030, 0xCCA8, 0xC02F, 0x009F,
                0xCCAA, 0x00A3, 0x009E, 0x00A2, 0xC024, 0xC028, 0xC023, 0xC027, 0x006B, 0x006A,
                0x0067, 0x0040, 0xC02E, 0xC032, 0xC02D, 0xC031, 0xC026, 0xC02A, 0xC025, 0xC029,
                0xC00A, 0xC014, 0xC009, 0xC013, 0x0039, 0x0038, 0x0033, 0x0032, 0xC005, 0xC00F,
                0xC004, 0xC00E, 0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F, 0x00FF)
SCHANNEL_CIPHERS = (0xC02C, 0xC02B, 0xC030, 0xC02F, 0x009F, 0x009E, 0xC024, 0xC023, 0xC028, 0xC027,
                    0xC00A, 0xC009, 0xC014, 0xC013, 0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F,
                    0x000A)
OKHTTP_CIPHERS = (0x1301, 0x1302, 0x1303, 0xC02B, 0xC02C, 0xCCA9, 0xC02F, 0xC030, 0xCCA8, 0xC013,
                  0xC014, 0x009C, 0x009D, 0x002F, 0x0035)
IE6_CIPHERS = (0x0004, 0x0005, 0x000A, 0x0009, 0x0064, 0x0062, 0x0003, 0x0006, 0x0013, 0x0012, 0x0063)
OLD_CIPHERS = (0xC014, 0xC00A, 0x0039, 0x0038, 0xC00F, 0xC005, 0x0035, 0xC012, 0xC008, 0x0016,
               0x0013, 0xC00D, 0xC003, 0x000A, 0xC013, 0xC009, 0x0033, 0x0032, 0xC00E, 0xC004,
               0x002F, 0xC011, 0xC007, 0xC00C, 0xC002, 0x0005, 0x0004, 0x00FF)
DTLS_WEBRTC_CIPHERS = (0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC009, 0xC013, 0xC00A, 0xC014)
DTLS_OPENSSL_CIPHERS = (0xC02C, 0xC030, 0x009F, 0xCCA9, 0xCCA8, 0xCCAA, 0xC02B, 0xC02F, 0x009E,
                        0xC024, 0xC028, 0x006B, 0xC023, 0xC027, 0x0067, 0xC00A, 0xC014, 0x0039,
                        0xC009, 0xC013, 0x0033, 0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F,
                        0x00FF)
NSS_DTLS_CIPHERS = (0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC02C, 0xC030, 0xC00A, 0xC009, 0xC013, 0xC014,
                    0x009C, 0x009D, 0x002F, 0x0035, 0x000A)

# supported groups, and the key_share sizes of a client and of a server
GROUP_POOL = (list(range(0x0001, 0x001F)) + [0x0100, 0x0101, 0x0102, 0x0103, 0x0104, 0x6399, 0x11EB,
                                              0x11EC, 0x11ED, 0x0200, 0x0201, 0x0202, 0x0029])
SHARE_SIZE = {0x001D: (32, 32), 0x0017: (65, 65), 0x0018: (97, 97), 0x0019: (133, 133),
              0x001E: (56, 56), 0x0100: (256, 256), 0x0101: (384, 384), 0x0102: (512, 512),
              0x6399: (1216, 1120), 0x11EC: (1216, 1120), 0x11EB: (1249, 1153),
              0x11ED: (1665, 1665), 0x0200: (800, 768), 0x0201: (1184, 1088), 0x0202: (1568, 1568)}
PQ_GROUPS = (0x11EC, 0x6399, 0x11EB, 0x11ED, 0x0201, 0x0202)

SIG_POOL = (0x0201, 0x0203, 0x0301, 0x0302, 0x0303, 0x0401, 0x0402, 0x0403, 0x0420, 0x0501, 0x0502,
            0x0503, 0x0520, 0x0601, 0x0602, 0x0603, 0x0620, 0x0704, 0x0705, 0x0706, 0x0707, 0x0708,
            0x0709, 0x070A, 0x070B, 0x0804, 0x0805, 0x0806, 0x0807, 0x0808, 0x0809, 0x080A, 0x080B,
            0x081A, 0x081B, 0x081C, 0x0904, 0x0905, 0x0906, 0x0101, 0x0202)
CHROME_SIGS = (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601)
FIREFOX_SIGS = (0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201)
SAFARI_SIGS = (0x0403, 0x0804, 0x0401, 0x0503, 0x0203, 0x0805, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201)
OPENSSL_SIGS = (0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x081A, 0x081B, 0x081C, 0x0809, 0x080A,
                0x080B, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302,
                0x0402, 0x0502, 0x0602)
GO_SIGS = (0x0804, 0x0403, 0x0807, 0x0805, 0x0503, 0x0806, 0x0603, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201)
JAVA_SIGS = (0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080A, 0x080B,
             0x0401, 0x0501, 0x0601, 0x0402, 0x0203, 0x0201, 0x0202)
SCHANNEL_SIGS = (0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0201, 0x0403, 0x0503, 0x0203, 0x0202,
                 0x0601, 0x0603)

# extensions: the ones every profile may add, unassigned values for random ones
EXT_SNI, EXT_GROUPS, EXT_POINTS, EXT_SIGS, EXT_ALPN, EXT_PAD, EXT_PSK = 0, 10, 11, 13, 16, 21, 41
EXT_EARLY, EXT_VERSIONS, EXT_COOKIE, EXT_KEYSHARE = 42, 43, 44, 51
EXT_QUIC_TP, EXT_QUIC_TP_DRAFT = 57, 0xFFA5
KNOWN_EXTS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
              25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46,
              47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 0x3374, 0x3377,
              0x4469, 0x44CD, 0x7550, 0xFD00, 0xFE0D, 0xFF01, 0xFFA5, 0xFFCE)

ALPN_COMMON = ([b"h2", b"http/1.1"], [b"h2", b"http/1.1"], [b"h2", b"http/1.1"], [b"http/1.1"],
               [b"h2"], [b"spdy/3.1", b"http/1.1"], [b"acme-tls/1"], [b"dot"], [b"imap"], [b"pop3"],
               [b"smtp"], [b"xmpp-client"], [b"ftp"], [b"mqtt"], [b"stun.turn"], [b"h2c"],
               [b"http/1.0", b"http/1.1"], [b"grpc-exp", b"h2"], [b"managesieve"], [b"postgresql"],
               [b"h2", b"http/1.1", b"http/1.0"], [b"coap"], [b"sunrpc"], [b"ldap"])
ALPN_ODD = ([b"x"], [b"\xab"], [b"2"], [b"\xba\xad"], [b"h2 "], [b" a"], [b"a "], [b"-x-"],
            [b"0\xab\xcd1"], [b"\x00\x01"], [b"caf\xc3\xa9"], [b"\xff\xfe"], [b"\xab\xcd"],
            [b"\xc3\xa9t\xc3\xa9"], [b"h2", b"\xba\xad"], [b"Z" * 255], [b"quote\"back\\slash"],
            [b"tab\tnew\nline"], [b"\x7f"], [b"a"], [b"\x80h2"])

DOMAINS = ("www.example.com", "example.org", "cdn.example.net", "api.example.io", "static.shop.test",
           "news.example.co.uk", "blog.example.de", "img.example.jp", "www.test-site.fr",
           "mail.example.com", "intranet.corp.local", "downloads.example.pl", "login.example.com",
           "accounts.example.org", "www.example.com.br", "video.example.tv", "update.example.net",
           "telemetry.example.com", "s3.example-cloud.test", "push.example.app")

VERSION_NAMES = {0x0304: "1.3", 0x0303: "1.2", 0x0302: "1.1", 0x0301: "1.0", 0x0300: "SSL 3.0",
                 0xFEFF: "DTLS 1.0", 0xFEFD: "DTLS 1.2", 0xFEFC: "DTLS 1.3"}
HRR_RANDOM = bytes.fromhex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")


def version_name(v):
    return VERSION_NAMES.get(v, "0x%04x" % v)


def grease(r, avoid=()):
    while True:
        g = r.choice(GREASE)
        if g not in avoid:
            return g


def odd_bytes(r, most=12):
    """A name with odd bytes: UTF-8, control characters, and invalid bytes
    that are each an invalid sequence alone (lone continuation bytes, 0xc0,
    0xc1, 0xf5-0xff), so every UTF-8 decoder replaces each with one
    U+FFFD."""
    parts = []
    for _ in range(r.randint(1, most)):
        x = r.random()
        if x < 0.45:
            parts.append(r.choice(("a", "b", "x", "www", ".", "-", "example", "z9", "Q", "_")).encode())
        elif x < 0.65:
            parts.append(r.choice(("\u00e9", "\u00fc", "\u4e2d", "\u0436", "\U0001f600", "\u00df")).encode())
        elif x < 0.85:
            parts.append(bytes((r.choice(list(range(0x80, 0xC0)) + [0xC0, 0xC1] + list(range(0xF5, 0x100))),)))
        else:
            parts.append(bytes((r.choice((0x00, 0x01, 0x09, 0x0A, 0x1F, 0x7F, 0x22, 0x5C, 0x20)),)))
    return b"".join(parts)


def pick_sni(r):
    """server_name bytes for a client (None: no extension)."""
    x = r.random()
    if x < 0.70:
        d = r.choice(DOMAINS)
        if r.random() < 0.3:
            d = "%s%d.%s" % (r.choice(("a", "srv", "edge-", "node")), r.randint(0, 999), d)
        return d.encode()
    if x < 0.80:
        return None
    return r.choice((
        lambda: b"WWW.Example.COM", lambda: b"trailing.dot.example.",
        lambda: b"192.0.2.%d" % r.randint(1, 254), lambda: "b\u00fccher.example".encode(),
        lambda: b"xn--bcher-kva.example", lambda: b"", lambda: b"x",
        lambda: b"nul\x00byte.example", lambda: b'we"ird\\name.test', lambda: b"has space.example",
        lambda: b".".join(b"l%d" % i + b"a" * r.randint(1, 60) for i in range(r.randint(3, 5))),
        lambda: odd_bytes(r), lambda: odd_bytes(r), lambda: odd_bytes(r),
    ))()


def pick_alpns(r, common=None):
    """ALPN protocol list (None: no extension; []: present but empty)."""
    x = r.random()
    if x < 0.55:
        return list(common or r.choice(ALPN_COMMON))
    if x < 0.70:
        return None
    if x < 0.74:
        return []
    if x < 0.76:
        return [b""] + ([b"h2"] if r.random() < 0.5 else [])
    if x < 0.90:
        return list(r.choice(ALPN_ODD))
    # several, a GREASE name (RFC 8701) among them but never first
    out = [r.choice((b"h2", b"http/1.1", b"h3", b"x", b"\xba\xad", b"spdy/2"))]
    for _ in range(r.randint(1, 7)):
        y = r.random()
        if y < 0.3:
            g = r.choice(GREASE)
            out.append(u16(g))
        elif y < 0.6:
            out.append(r.choice((b"h2", b"http/1.1", b"h3-29", b"dot", b"webrtc")))
        else:
            out.append(odd_bytes(r, 6))  # never cut: a cut character decodes differently
    return out


def transport_params(r, scid, grease_tp):
    """quic_transport_parameters: initial_max_data & co, the client's
    initial_source_connection_id, sometimes a GREASE parameter."""
    ps = [(0x04, qint(r.choice((15728640, 10485760, 1048576, 16777216)))),
          (0x05, qint(r.choice((6291456, 1048576, 12582912)))),
          (0x06, qint(r.choice((6291456, 1048576)))),
          (0x07, qint(r.choice((6291456, 1048576)))),
          (0x08, qint(r.choice((100, 16, 128)))),
          (0x09, qint(r.choice((103, 100, 16)))),
          (0x01, qint(r.choice((30000, 60000, 120000)))),
          (0x03, qint(r.choice((1472, 1500, 65527, 1452)))),
          (0x0F, scid)]
    if r.random() < 0.5:
        ps.append((0x0E, qint(r.choice((2, 4, 8)))))
    if r.random() < 0.4:
        ps.append((0x20, qint(65536)))
    if r.random() < 0.3:
        ps.append((0x2AB2, b""))
    if grease_tp:
        ps.append((31 * r.randint(0, 1000) + 27, rbytes(r, r.randint(0, 16))))
    r.shuffle(ps)
    return b"".join(qint(i) + qint(len(v)) + v for i, v in ps)


# ---------------------------------------------------------------------------
# Hellos
# ---------------------------------------------------------------------------


class Hello:
    """A ClientHello or ServerHello: the wire fields, and the values of the
    extensions fingerprints read, from which both the message bytes and
    the ja4_spec input are made."""

    def __init__(self, client, transport):
        self.client = client
        self.transport = transport      # 't', 'q', 'd' (ja4_spec's letters)
        self.legacy_version = 0x0303
        self.random = bytes(32)
        self.session_id = b""
        self.cookie = b""               # DTLS ClientHello
        self.ciphers = []               # ClientHello
        self.cipher = 0                 # ServerHello
        self.comp = [0]
        self.order = []                 # extension types in wire order; None: no extensions block
        self.data = {}                  # type -> data, for the ones not made from the fields below
        self.sni_names = None           # [bytes]: host_names of server_name (first one counts)
        self.alpns = None
        self.sig_algs = None
        self.groups = None
        self.point_formats = None
        self.versions = None            # client: the list; server: [selected]
        self.key_shares = None          # client: [(group, key)]; server: (group, key or None: HRR)
        self.pad_len = None             # padding data length; None: BoringSSL's rule
        self.msg = None
        self.profile = ""

    # what fingerprints see
    def sni(self):
        if not self.client or self.order is None or EXT_SNI not in self.order:
            return None
        return self.sni_names[0]

    def version(self):
        if self.versions is not None and self.order is not None and EXT_VERSIONS in self.order:
            return ja4_spec.hello_version({"supported_versions": self.versions,
                                           "legacy_version": self.legacy_version})
        return self.legacy_version

    def has(self, t):
        return self.order is not None and t in self.order

    def spec(self):
        """The hello as tests/tls/ja4_spec.py takes it."""
        d = {"type": "client" if self.client else "server", "transport": self.transport,
             "legacy_version": self.legacy_version,
             "supported_versions": list(self.versions) if self.has(EXT_VERSIONS) else None,
             "extensions": list(self.order or []),
             "sni": self.sni(),
             "alpns": list(self.alpns) if self.has(EXT_ALPN) else None,
             "sig_algs": list(self.sig_algs) if self.has(EXT_SIGS) else None,
             "groups": list(self.groups) if self.has(EXT_GROUPS) else None,
             "point_formats": list(self.point_formats) if self.has(EXT_POINTS) else None}
        if self.client:
            d["ciphers"] = list(self.ciphers)
        else:
            d["cipher"] = self.cipher
        return d

    def ja3(self):
        """The JA3 / JA3S string, the generator's own (checked against tshark)."""
        exts = self.order or []
        if not self.client:
            return "%d,%d,%s" % (self.legacy_version, self.cipher, "-".join(str(t) for t in exts))
        return "%d,%s,%s,%s,%s" % (
            self.legacy_version,
            "-".join(str(c) for c in self.ciphers if not is_grease(c)),
            "-".join(str(t) for t in exts if not is_grease(t)),
            "-".join(str(g) for g in (self.groups if self.has(EXT_GROUPS) else []) if not is_grease(g)),
            "-".join(str(p) for p in (self.point_formats if self.has(EXT_POINTS) else [])))

    # bytes
    def ext_data(self, t):
        if t in self.data:
            return self.data[t]
        if t == EXT_SNI:
            if not self.client:
                return b""
            return v16(b"".join(u8(0) + v16(n) for n in self.sni_names))
        if t == EXT_GROUPS:
            return v16(b"".join(u16(g) for g in self.groups))
        if t == EXT_POINTS:
            return v8(bytes(self.point_formats))
        if t == EXT_SIGS:
            return v16(b"".join(u16(s) for s in self.sig_algs))
        if t == EXT_ALPN:
            return v16(b"".join(v8(a) for a in self.alpns))
        if t == EXT_VERSIONS:
            if self.client:
                return v8(b"".join(u16(v) for v in self.versions))
            return u16(self.versions[0])
        if t == EXT_KEYSHARE:
            if self.client:
                return v16(b"".join(u16(g) + v16(k) for g, k in self.key_shares))
            g, k = self.key_shares
            return u16(g) if k is None else u16(g) + v16(k)
        if t == EXT_PAD:
            return bytes(self.pad_len or 0)
        if t == 0xFF01:
            return b"\x00"
        if t == 5:
            return b"\x01\x00\x00\x00\x00" if self.client else b""
        if t == 45:
            return b"\x01\x01"
        if t == 27:
            return b"\x02\x00\x02"
        if t == 28:
            return b"\x40\x01"
        if t == 15:
            return b"\x01"
        if t == 14:
            return b"\x00\x04\x00\x07\x00\x01\x00" if self.client else b"\x00\x02\x00\x07\x00"
        if t in (0x4469, 0x44CD):
            return v16(v8(b"h2"))
        if t == 34:
            return v16(b"".join(u16(s) for s in (0x0403, 0x0503, 0x0603, 0x0203)))
        if t == 50:
            return v16(b"".join(u16(s) for s in (self.sig_algs or CHROME_SIGS)))
        return b""

    def body(self):
        b = u16(self.legacy_version) + self.random + v8(self.session_id)
        if self.client:
            if self.transport == "d":
                b += v8(self.cookie)
            b += v16(b"".join(u16(c) for c in self.ciphers)) + v8(bytes(self.comp))
        else:
            b += u16(self.cipher) + u8(self.comp[0])
        if self.order is not None:
            b += v16(b"".join(u16(t) + v16(self.ext_data(t)) for t in self.order))
        return b

    def finish(self):
        """Settle padding and pre_shared_key's place; the message bytes."""
        if self.order is not None:
            if EXT_PSK in self.order:
                self.order.remove(EXT_PSK)
                self.order.append(EXT_PSK)
            if EXT_PAD in self.order and self.pad_len is None:
                n = 4 + len(self.body())
                if 0xFF < n < 0x200:
                    self.pad_len = 0x200 - n
                else:
                    self.order.remove(EXT_PAD)
        body = self.body()
        self.msg = u8(1 if self.client else 2) + u24(len(body)) + body
        return self

    def copy(self):
        h = Hello(self.client, self.transport)
        h.__dict__.update({k: (list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v)
                           for k, v in self.__dict__.items()})
        h.msg = None
        return h


def unknown_ext(r, avoid):
    while True:
        t = r.randint(0x0100, 0xFDFF) if r.random() < 0.8 else r.randint(66, 0x00FF)
        if t not in KNOWN_EXTS and not is_grease(t) and t not in avoid:
            return t


class Profiles:
    """ClientHellos drawn from browser and library-like sets and from random
    ones, and the ServerHellos that answer them."""

    def __init__(self, r):
        self.r = r

    # pieces
    def shares(self, groups, grease_share=None):
        r = self.r
        out = []
        if grease_share is not None:
            out.append((grease_share, b"\x00"))
        for g in groups:
            n = SHARE_SIZE.get(g, (r.choice((32, 48, 64, 97)),))[0]
            out.append((g, rbytes(r, n)))
        return out

    def ech(self):
        r = self.r
        return (b"\x00" + u16(1) + u16(r.choice((1, 3))) + u8(r.getrandbits(8)) + v16(rbytes(r, 32))
                + v16(rbytes(r, r.choice((144, 176, 208, 240)))))

    def psk(self):
        r = self.r
        ident = rbytes(r, r.randint(32, 200))
        return v16(v16(ident) + u32(r.getrandbits(32))) + v16(v8(rbytes(r, r.choice((32, 48)))))

    def sni_alpn(self, h, alpns, odd=0.2):
        r = self.r
        if r.random() < odd:
            s = pick_sni(r)
        else:
            s = r.choice(DOMAINS).encode()
        if s is None:
            if EXT_SNI in h.order:
                h.order.remove(EXT_SNI)
            h.sni_names = None
        else:
            h.sni_names = [s] + ([b"second.example"] if r.random() < 0.03 else [])
        if r.random() < odd:
            a = pick_alpns(r, alpns)
        else:
            a = list(alpns) if alpns is not None else None
        if a is None:
            if EXT_ALPN in h.order:
                h.order.remove(EXT_ALPN)
        else:
            if EXT_ALPN not in h.order:
                h.order.insert(r.randint(0, len(h.order)), EXT_ALPN)
            h.alpns = a

    def base(self, transport, name, legacy=0x0303):
        h = Hello(True, transport)
        h.profile = name
        h.legacy_version = legacy
        h.random = rbytes(self.r, 32)
        return h

    # ClientHellos over TCP (and QUIC for the ones that speak it)
    def chrome(self, transport="t", quic_tp=EXT_QUIC_TP, alpn=(b"h3",)):
        r = self.r
        q = transport == "q"
        h = self.base(transport, "chrome")
        g = [grease(r)]
        for _ in range(3):
            g.append(grease(r, g))
        pq = r.choice((0x11EC, 0x11EC, 0x6399, None))
        h.ciphers = list(TLS13_CIPHERS) if q else [g[0]] + list(CHROME_CIPHERS)
        h.groups = [g[1]] + ([pq] if pq else []) + [0x001D, 0x0017, 0x0018]
        h.key_shares = self.shares(([pq] if pq else []) + [0x001D], grease_share=g[1])
        h.sig_algs = list(CHROME_SIGS)
        h.versions = [g[2], 0x0304] + ([] if q else [0x0303])
        h.point_formats = [0]
        alps = r.choice((0x44CD, 0x4469))
        if q:
            mid = [EXT_SNI, EXT_GROUPS, EXT_SIGS, EXT_ALPN, 27, EXT_VERSIONS, 45, EXT_KEYSHARE, quic_tp, alps]
            if r.random() < 0.6:
                mid.append(0xFE0D)
        else:
            h.session_id = rbytes(r, 32)
            mid = [EXT_SNI, 23, 0xFF01, EXT_GROUPS, EXT_POINTS, 35, EXT_ALPN, 5, EXT_SIGS, 18,
                   EXT_KEYSHARE, 45, EXT_VERSIONS, 27, alps]
            if r.random() < 0.7:
                mid.append(0xFE0D)
        h.data[0xFE0D] = self.ech()
        if r.random() < 0.15:
            mid.append(EXT_PSK)
            h.data[EXT_PSK] = self.psk()
            if r.random() < 0.5:
                mid.append(EXT_EARLY)
        if r.random() < 0.85:
            r.shuffle(mid)  # Chrome permutes its extensions since 110
        h.order = ([g[0]] + mid + [g[3]]) if (not q or r.random() < 0.5) else mid
        h.data[g[0]] = b""
        h.data[g[3]] = b"\x00"
        if not q:
            h.order.append(EXT_PAD)
        self.sni_alpn(h, list(alpn) if q else [b"h2", b"http/1.1"])
        return h

    def firefox(self, transport="t", quic_tp=EXT_QUIC_TP, alpn=(b"h3",)):
        r = self.r
        q = transport == "q"
        h = self.base(transport, "firefox")
        pq = 0x11EC if r.random() < 0.5 else None
        h.ciphers = [0x1301, 0x1303, 0x1302] if q else list(FIREFOX_CIPHERS)
        h.groups = ([pq] if pq else []) + [0x001D, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101]
        h.key_shares = self.shares(([pq] if pq else []) + [0x001D, 0x0017])
        h.sig_algs = list(FIREFOX_SIGS)
        h.versions = [0x0304] if q else [0x0304, 0x0303]
        h.point_formats = [0]
        if q:
            h.order = [EXT_SNI, EXT_GROUPS, EXT_ALPN, EXT_KEYSHARE, EXT_VERSIONS, EXT_SIGS, 45, 28, quic_tp,
                       0xFE0D, 34]
        else:
            h.session_id = rbytes(r, 32)
            h.order = [EXT_SNI, 23, 0xFF01, EXT_GROUPS, EXT_POINTS, 35, EXT_ALPN, 5, 34, EXT_KEYSHARE,
                       EXT_VERSIONS, EXT_SIGS, 45, 28, 27, 0xFE0D]
            if r.random() < 0.3:
                h.order.append(EXT_PAD)
                h.pad_len = r.randint(0, 300)
        h.data[0xFE0D] = self.ech()
        if r.random() < 0.1:
            h.order += [EXT_EARLY, EXT_PSK]
            h.data[EXT_PSK] = self.psk()
        self.sni_alpn(h, list(alpn) if q else [b"h2", b"http/1.1"])
        return h

    def safari(self, transport="t", quic_tp=EXT_QUIC_TP, alpn=(b"h3",)):
        r = self.r
        q = transport == "q"
        h = self.base(transport, "safari")
        g = [grease(r)]
        for _ in range(3):
            g.append(grease(r, g))
        h.ciphers = list(TLS13_CIPHERS) if q else [g[0]] + list(SAFARI_CIPHERS)
        h.groups = [g[1], 0x001D, 0x0017, 0x0018, 0x0019]
        h.key_shares = self.shares([0x001D], grease_share=g[1])
        h.sig_algs = list(SAFARI_SIGS)
        h.versions = [g[2], 0x0304] if q else [g[2], 0x0304, 0x0303, 0x0302, 0x0301]
        h.point_formats = [0]
        if q:
            h.order = [g[0], EXT_SNI, EXT_GROUPS, EXT_ALPN, EXT_SIGS, EXT_KEYSHARE, 45, EXT_VERSIONS, 27,
                       quic_tp, g[3]]
        else:
            h.session_id = rbytes(r, 32)
            h.order = [g[0], EXT_SNI, 23, 0xFF01, EXT_GROUPS, EXT_POINTS, EXT_ALPN, 5, EXT_SIGS, 18,
                       EXT_KEYSHARE, 45, EXT_VERSIONS, 27, g[3], EXT_PAD]
        h.data[g[0]] = b""
        h.data[g[3]] = b"\x00"
        self.sni_alpn(h, list(alpn) if q else [b"h2", b"http/1.1"])
        return h

    def openssl(self, transport="t", quic_tp=EXT_QUIC_TP, alpn=(b"h3",)):
        """OpenSSL 3 (curl, wget, Python, ngtcp2 over QUIC)."""
        r = self.r
        q = transport == "q"
        h = self.base(transport, "openssl")
        pq = 0x11EC if r.random() < 0.3 else None
        h.ciphers = [0x1302, 0x1303, 0x1301] + ([0x1304] if r.random() < 0.2 else []) if q \
            else list(OPENSSL3_CIPHERS)
        h.groups = ([pq] if pq else []) + [0x001D, 0x0017, 0x001E, 0x0019, 0x0018, 0x0100, 0x0101, 0x0102,
                                           0x0103, 0x0104]
        h.key_shares = self.shares(([pq] if pq else []) + [0x001D])
        h.sig_algs = list(OPENSSL_SIGS)
        h.versions = [0x0304] if q else [0x0304, 0x0303]
        h.point_formats = [0, 1, 2]
        if q:
            h.order = [EXT_SNI, EXT_GROUPS, EXT_ALPN, EXT_SIGS, EXT_VERSIONS, 45, EXT_KEYSHARE, quic_tp]
        else:
            h.session_id = rbytes(r, 32)
            h.order = [EXT_SNI, EXT_POINTS, EXT_GROUPS, 35, EXT_ALPN, 22, 23, EXT_SIGS, EXT_VERSIONS, 45,
                       EXT_KEYSHARE]
            if r.random() < 0.3:
                h.order.append(49)
            if r.random() < 0.4:
                h.order.append(EXT_PAD)
                h.pad_len = r.randint(0, 200)
        self.sni_alpn(h, list(alpn) if q else r.choice(([b"h2", b"http/1.1"], [b"http/1.1"], None)))
        return h

    def openssl10(self):
        r = self.r
        h = self.base("t", "openssl10")
        h.ciphers = list(OPENSSL10_CIPHERS)
        h.groups = [0x0017, 0x0019, 0x001C, 0x001B, 0x0018, 0x001A, 0x0016, 0x000E, 0x000D, 0x000B,
                    0x000C, 0x0009, 0x000A]
        h.sig_algs = [0x0601, 0x0602, 0x0603, 0x0501, 0x0502, 0x0503, 0x0401, 0x0402, 0x0403, 0x0301,
                      0x0302, 0x0303, 0x0201, 0x0202, 0x0203]
        h.point_formats = [0, 1, 2]
        h.order = [EXT_SNI, EXT_POINTS, EXT_GROUPS, 35, EXT_SIGS, 15]
        if r.random() < 0.3:
            h.order.append(0x3374)
        self.sni_alpn(h, None)
        return h

    def golang(self):
        r = self.r
        h = self.base("t", "go")
        pq = 0x11EC if r.random() < 0.4 else None
        h.ciphers = list(GO_CIPHERS)
        h.groups = ([pq] if pq else []) + [0x001D, 0x0017, 0x0018, 0x0019]
        h.key_shares = self.shares(([pq] if pq else []) + [0x001D])
        h.sig_algs = list(GO_SIGS)
        h.versions = r.choice(([0x0304, 0x0303], [0x0304, 0x0303, 0x0302, 0x0301]))
        h.point_formats = [0]
        h.session_id = rbytes(r, 32)
        h.order = [EXT_SNI, 5, EXT_GROUPS, EXT_POINTS, EXT_SIGS, 0xFF01, 18, EXT_ALPN, EXT_VERSIONS,
                   EXT_KEYSHARE, 23, 45]
        if r.random() < 0.5:
            r.shuffle(h.order)  # crypto/tls shuffles since 1.21... some of them
        self.sni_alpn(h, r.choice(([b"h2", b"http/1.1"], None, [b"http/1.1"])))
        return h

    def java(self):
        r = self.r
        h = self.base("t", "java")
        h.ciphers = list(JAVA_CIPHERS)
        h.groups = [0x001D, 0x0017, 0x0018, 0x0019, 0x001E, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104]
        h.key_shares = self.shares([0x001D, 0x0017])
        h.sig_algs = list(JAVA_SIGS)
        h.versions = r.choice(([0x0304, 0x0303], [0x0304, 0x0303, 0x0302, 0x0301]))
        h.point_formats = [0]
        h.session_id = rbytes(r, 32)
        h.order = [EXT_SNI, 5, EXT_GROUPS, EXT_POINTS, EXT_SIGS, 50, EXT_ALPN, 0xFF01, 23, EXT_VERSIONS, 45,
                   49, EXT_KEYSHARE]
        self.sni_alpn(h, r.choice(([b"h2", b"http/1.1"], None)))
        return h

    def schannel(self):
        r = self.r
        h = self.base("t", "schannel")
        h.ciphers = list(SCHANNEL_CIPHERS)
        h.groups = [0x001D, 0x0017, 0x0018]
        h.sig_algs = list(SCHANNEL_SIGS)
        h.point_formats = [0]
        h.session_id = rbytes(r, 32) if r.random() < 0.5 else b""
        h.order = [EXT_SNI, 5, EXT_GROUPS, EXT_POINTS, EXT_SIGS, 35, EXT_ALPN, 23, 0xFF01]
        if r.random() < 0.3:
            h.order.insert(8, 24)
            h.data[24] = u16(0x000D) + v8(b"\x02")
        self.sni_alpn(h, [b"h2", b"http/1.1"])
        return h

    def okhttp(self):
        r = self.r
        h = self.base("t", "okhttp")
        h.ciphers = list(OKHTTP_CIPHERS)
        h.groups = [0x001D, 0x0017, 0x0018]
        h.key_shares = self.shares([0x001D])
        h.sig_algs = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201]
        h.versions = [0x0304, 0x0303, 0x0302, 0x0301]
        h.point_formats = [0]
        h.session_id = rbytes(r, 32)
        h.order = [EXT_SNI, 23, 0xFF01, EXT_GROUPS, EXT_POINTS, 35, EXT_ALPN, 5, EXT_SIGS, EXT_KEYSHARE, 45,
                   EXT_VERSIONS, EXT_PAD]
        self.sni_alpn(h, [b"h2", b"http/1.1"])
        return h

    def legacy(self):
        """SSL 3.0 / TLS 1.0 clients, often without an extensions block."""
        r = self.r
        x = r.random()
        if x < 0.4:
            h = self.base("t", "ie6", r.choice((0x0300, 0x0301)))
            h.ciphers = list(IE6_CIPHERS) + ([0x00FF] if r.random() < 0.3 else [])
            h.order = None
            if r.random() < 0.2:
                h.comp = [1, 0]
            return h
        h = self.base("t", "tls10", r.choice((0x0301, 0x0301, 0x0302, 0x0300)))
        h.ciphers = list(OLD_CIPHERS) + ([0x5600] if r.random() < 0.2 else [])
        if r.random() < 0.5:
            h.order = None
            return h
        h.groups = [0x000E, 0x000D, 0x0019, 0x000B, 0x000C, 0x0018, 0x0009, 0x000A, 0x0016, 0x0017, 0x0008,
                    0x0006, 0x0007, 0x0014, 0x0015, 0x0004, 0x0005, 0x0012, 0x0013, 0x0001, 0x0002, 0x0003,
                    0x000F, 0x0010, 0x0011]
        h.point_formats = [0, 1, 2]
        h.order = [EXT_SNI, EXT_GROUPS, EXT_POINTS, 35]
        if r.random() < 0.2:
            h.order = []  # an empty extensions block
        self.sni_alpn(h, None)
        return h

    def random_hello(self, transport="t", quic_tp=None, alpn=None, dtls=None):
        """Random field lists: any cipher or group or signature values, up to
        160 ciphers, unknown extensions (sometimes more than 99), GREASE
        anywhere, odd names, big post-quantum key shares, padding."""
        r = self.r
        q, d = transport == "q", transport == "d"
        if d:
            legacy = dtls["legacy"]
        elif q:
            legacy = 0x0303
        else:
            legacy = r.choice((0x0303,) * 6 + (0x0301, 0x0302, 0x0300, 0x0305, 0x0304, 0x7F1C))
        h = self.base(transport, "random", legacy)
        n = r.choice((r.randint(1, 10), r.randint(10, 40), r.randint(40, 99), r.randint(100, 160),
                      r.randint(1, 20)))
        h.ciphers = r.sample(CIPHER_POOL, n)
        if q or (dtls and dtls.get("v13")):
            h.ciphers = [c for c in h.ciphers if c not in TLS13_CIPHERS]
            h.ciphers[r.randint(0, len(h.ciphers)):0] = r.sample(TLS13_CIPHERS, r.randint(1, 3))
        if r.random() < 0.5:
            h.ciphers.sort()
        for _ in range(r.choice((0, 1, 1, 2, 3))):
            h.ciphers.insert(r.randint(0, len(h.ciphers)), grease(r))
        if not q and not d and legacy <= 0x0301 and r.random() < 0.3:
            h.order = None
            return h
        h.session_id = b"" if q or r.random() < 0.3 else rbytes(r, r.choice((8, 16, 32)))
        h.groups = r.sample(GROUP_POOL, r.randint(1, 12))
        for _ in range(r.choice((0, 1, 1, 2))):
            h.groups.insert(r.randint(0, len(h.groups)), grease(r))
        real = [g for g in h.groups if not is_grease(g)]
        ks = real[:r.randint(1, min(3, len(real)))]
        if r.random() < 0.3:
            ks = [g for g in real if g in PQ_GROUPS][:1] + ks[:1]
        gs = next((g for g in h.groups if is_grease(g)), None)
        h.key_shares = self.shares(ks, gs if r.random() < 0.7 else None)
        h.sig_algs = r.sample(SIG_POOL, r.randint(1, 25))
        if r.random() < 0.4:
            h.sig_algs.insert(r.randint(0, len(h.sig_algs)), grease(r))
        if r.random() < 0.1:
            h.sig_algs.append(h.sig_algs[0])
        h.point_formats = r.choice(([0], [0], [0, 1, 2], [1, 0], [2], [0, 1, 2, 3]))
        if d:
            h.versions = dtls.get("versions")
        else:
            top = (0x0304, 0x0303, 0x0302, 0x0301, 0x0300)
            h.versions = sorted(r.sample(top, r.randint(1, 4)), reverse=True)
            if q:
                h.versions = [0x0304] + ([0x0303] if r.random() < 0.2 else [])
            elif r.random() < 0.05:
                h.versions.insert(0, r.choice((0x7F1C, 0x7F17, 0x7E02)))  # drafts: "00" / 0x%04x
            if r.random() < 0.6:
                h.versions.insert(r.randint(0, len(h.versions)), grease(r))
            if r.random() < 0.1:
                r.shuffle(h.versions)
        optional = [5, 18, 22, 23, 27, 28, 34, 35, 45, 49, 50, 0xFF01, 0xFE0D, 0x44CD, 0x4469, 0x3374, 24,
                    15, EXT_PAD, EXT_PSK, EXT_EARLY]
        if d:
            optional.append(14)
        order = [t for t in optional if r.random() < 0.35]
        for t in (EXT_SNI, EXT_GROUPS, EXT_POINTS, EXT_SIGS, EXT_KEYSHARE):
            if r.random() < 0.7:
                order.append(t)
        if q or (d and h.versions is not None) or (not d and r.random() < 0.7):
            order.append(EXT_VERSIONS)
        if q:
            order.append(quic_tp)
            h.data[quic_tp] = transport_params(r, rbytes(r, r.choice((0, 8))), r.random() < 0.3)
            order.append(EXT_ALPN)
        n_unknown = r.choice((0, 0, 1, 2, 4)) if r.random() > 0.02 else r.randint(95, 110)
        for _ in range(n_unknown):
            t = unknown_ext(r, order)
            order.append(t)
            h.data[t] = rbytes(r, r.choice((0, 0, 1, 4, 12)))
        for _ in range(r.choice((0, 0, 1, 2, 3))):
            t = grease(r, order)
            order.insert(r.randint(0, len(order)), t)
            h.data[t] = rbytes(r, r.choice((0, 1)))
        r.shuffle(order)
        h.order = order
        h.data[0xFE0D] = self.ech()
        h.data[EXT_PSK] = self.psk()
        h.data[35] = rbytes(r, r.choice((0, 0, 160, 192)))
        h.data[24] = u16(0x000D) + v8(b"\x02")
        h.pad_len = r.randint(0, 600)
        if EXT_SNI not in order:
            order.append(EXT_SNI)  # sni_alpn decides
        s = pick_sni(r) if r.random() < 0.8 else r.choice(DOMAINS).encode()
        if s is None:
            order.remove(EXT_SNI)
        else:
            h.sni_names = [s]
        a = pick_alpns(r, alpn)
        if q and a is None:
            a = list(alpn)
        if a is not None:
            if EXT_ALPN not in order:
                order.insert(r.randint(0, len(order)), EXT_ALPN)
            h.alpns = a
        return h

    # DTLS
    def dtls_client(self, ver):
        """ver: 0xfeff, 0xfefd or 0xfefc (by supported_versions)."""
        r = self.r
        legacy = 0xFEFD if ver == 0xFEFC else ver
        g = grease(r)
        if ver == 0xFEFC:
            # only 0xfefc: for DTLS "the highest value" and "the newest
            # version" differ when 0xfefd is listed too (0xfefd > 0xfefc)
            versions = [0xFEFC] if r.random() < 0.7 else [g, 0xFEFC]
        else:
            versions = None
        x = r.random()
        if x < 0.25:
            h = self.random_hello("d", dtls={"legacy": legacy, "versions": versions, "v13": ver == 0xFEFC})
            if ver == 0xFEFC and EXT_VERSIONS not in h.order:
                h.order.append(EXT_VERSIONS)
            if ver != 0xFEFC and EXT_VERSIONS in h.order:
                h.order.remove(EXT_VERSIONS)
            h.versions = versions
            return h
        h = self.base("d", "dtls", legacy)
        if ver == 0xFEFC:
            h.profile = "dtls13"
            pq = 0x11EC if r.random() < 0.4 else None
            h.ciphers = [0x1301, 0x1302, 0x1303] + list(DTLS_WEBRTC_CIPHERS if r.random() < 0.5 else ())
            h.groups = ([pq] if pq else []) + [0x001D, 0x0017, 0x0018]
            h.key_shares = self.shares(([pq] if pq else []) + [0x001D])
            h.versions = versions
            h.sig_algs = list(FIREFOX_SIGS)
            h.point_formats = [0]
            h.order = [23, 0xFF01, EXT_GROUPS, EXT_POINTS, EXT_ALPN, 14, EXT_KEYSHARE, EXT_VERSIONS, EXT_SIGS,
                       28, 45]
            self.sni_alpn(h, [b"webrtc", b"c-webrtc"])
            if r.random() < 0.7 and EXT_SNI in h.order:
                h.order.remove(EXT_SNI)
            return h
        if x < 0.55:
            h.profile = "webrtc"
            h.ciphers = ([grease(r)] if r.random() < 0.3 else []) + list(DTLS_WEBRTC_CIPHERS)
            h.groups = [0x001D, 0x0017, 0x0018]
            h.sig_algs = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201]
            h.point_formats = [0]
            h.order = [23, 0xFF01, EXT_GROUPS, EXT_POINTS, EXT_SIGS, 14]
            if r.random() < 0.3:
                h.order.insert(0, grease(r))
            for t in h.order:
                if is_grease(t):
                    h.data[t] = b""
        elif x < 0.8:
            h.profile = "openssl-dtls"
            h.ciphers = list(DTLS_OPENSSL_CIPHERS)
            h.groups = [0x001D, 0x0017, 0x001E, 0x0019, 0x0018]
            h.sig_algs = list(OPENSSL_SIGS)
            h.point_formats = [0, 1, 2]
            h.order = [EXT_SNI, EXT_POINTS, EXT_GROUPS, 35, 22, 23, EXT_SIGS]
            if r.random() < 0.4:
                h.order.append(14)
        else:
            h.profile = "nss-dtls"
            h.ciphers = list(NSS_DTLS_CIPHERS)
            h.groups = [0x001D, 0x0017, 0x0018, 0x0019]
            h.sig_algs = list(FIREFOX_SIGS)
            h.point_formats = [0]
            h.order = [23, 0xFF01, EXT_GROUPS, EXT_POINTS, EXT_ALPN, 14, EXT_SIGS, 28]
        if legacy == 0xFEFF and r.random() < 0.3:
            h.order = None
            return h
        self.sni_alpn(h, [b"webrtc", b"c-webrtc"] if EXT_ALPN in h.order else None)
        if h.profile != "openssl-dtls" and EXT_SNI in h.order and r.random() < 0.7:
            h.order.remove(EXT_SNI)
        return h

    # what a conversation asks for
    def client(self, transport="t", need13=False, quic_version=QUIC_V1, scid=b"", dtls_ver=None):
        r = self.r
        if transport == "d":
            return self.dtls_client(dtls_ver).finish()
        if transport == "q":
            tp = EXT_QUIC_TP_DRAFT if quic_version == QUIC_D29 else EXT_QUIC_TP
            alpn = (b"h3-29",) if quic_version == QUIC_D29 else (b"h3",)
            f = r.choice((self.chrome, self.chrome, self.chrome, self.firefox, self.safari, self.openssl,
                          self.random_hello, self.random_hello))
            h = f("q", quic_tp=tp, alpn=alpn)
            if tp not in h.data:
                h.data[tp] = transport_params(r, scid, h.profile == "chrome")
            return h.finish()
        while True:
            f = r.choice((self.chrome,) * 6 + (self.firefox,) * 3 + (self.safari,) * 2 + (self.openssl,) * 3
                         + (self.openssl10, self.golang, self.golang, self.java, self.schannel,
                            self.schannel, self.okhttp, self.legacy) + (self.random_hello,) * 5)
            h = f()
            if not need13 or (h.has(EXT_VERSIONS) and 0x0304 in h.versions and h.has(EXT_GROUPS)
                              and h.has(EXT_KEYSHARE) and h.version() == 0x0304):
                return h.finish()

    def server(self, ch, hrr=False, version13=None):
        """The ServerHello answering ch (a HelloRetryRequest with hrr)."""
        r = self.r
        sh = Hello(False, ch.transport)
        sh.random = HRR_RANDOM if hrr else rbytes(r, 32)
        sh.session_id = ch.session_id
        offered = [v for v in (ch.versions or []) if not is_grease(v)] if ch.has(EXT_VERSIONS) else []
        v13 = 0xFEFC if ch.transport == "d" else 0x0304
        if version13 is None:
            version13 = v13 in offered and (hrr or ch.transport == "q" or r.random() < 0.85)
        real = [c for c in ch.ciphers if not is_grease(c) and c not in (0x00FF, 0x5600)] or [0x002F]
        if version13:
            sh.legacy_version = 0xFEFD if ch.transport == "d" else 0x0303
            sh.versions = [v13]
            sh.cipher = next((c for c in real if c in TLS13_CIPHERS), 0x1301)
            groups = [g for g in (ch.groups or []) if not is_grease(g)] or [0x001D]
            shared = [g for g, _ in (ch.key_shares or []) if not is_grease(g)]
            if hrr:
                grp = next((g for g in groups if g not in shared), groups[-1])
                sh.key_shares = (grp, None)
                sh.order = r.choice(([EXT_VERSIONS, EXT_KEYSHARE], [EXT_KEYSHARE, EXT_VERSIONS]))
                if ch.transport == "d" or r.random() < 0.4:
                    sh.order.append(EXT_COOKIE)
                    sh.data[EXT_COOKIE] = v16(rbytes(r, r.randint(16, 120)))
                sh.order = list(sh.order)
            else:
                grp = shared[0] if shared else groups[0]
                sh.key_shares = (grp, rbytes(r, SHARE_SIZE.get(grp, (32, 32))[1]))
                sh.order = list(r.choice(([EXT_KEYSHARE, EXT_VERSIONS], [EXT_VERSIONS, EXT_KEYSHARE])))
                if ch.has(EXT_PSK) and r.random() < 0.6:
                    sh.order.insert(r.randint(0, 2), EXT_PSK)
                    sh.data[EXT_PSK] = u16(0)
            return sh.finish()
        # TLS 1.2 and older, DTLS 1.0 / 1.2
        if ch.transport == "d":
            sh.legacy_version = ch.legacy_version
        else:
            sh.legacy_version = min(ch.legacy_version, 0x0303) if ch.legacy_version >= 0x0300 else 0x0303
            if sh.legacy_version > 0x0301 and r.random() < 0.1:
                sh.legacy_version = 0x0301
        old = [c for c in real if c not in TLS13_CIPHERS] or real
        sh.cipher = old[0] if r.random() < 0.6 else r.choice(old)
        if ch.order is None:
            sh.order = None if r.random() < 0.8 else [0xFF01]
            return sh.finish()
        order = []
        if 0xFF01 in ch.order or 0x00FF in ch.ciphers:
            order.append(0xFF01)
        if ch.has(EXT_SNI) and r.random() < 0.5:
            order.append(EXT_SNI)
        if ch.has(EXT_POINTS) and r.random() < 0.7:
            order.append(EXT_POINTS)
            sh.point_formats = r.choice(([0], [0, 1, 2]))
        if ch.has(35) and r.random() < 0.5:
            order.append(35)
        names = [a for a in (ch.alpns or []) if a and not (len(a) == 2 and is_grease(struct.unpack("!H", a)[0]))]
        if ch.has(EXT_ALPN) and names and r.random() < 0.85:
            order.append(EXT_ALPN)
            sh.alpns = [names[0] if r.random() < 0.7 else r.choice(names)]
        for t, p in ((23, 0.8), (5, 0.3), (22, 0.3), (14, 1.0), (18, 0.2)):
            if ch.has(t) and r.random() < p:
                order.append(t)
        if r.random() < 0.3:
            r.shuffle(order)
        sh.order = order
        return sh.finish()


# ---------------------------------------------------------------------------
# Cutting streams
# ---------------------------------------------------------------------------


def cut(r, n, maxlen, extra=0, early=()):
    """[(a, b)] pieces of [0, n), none longer than maxlen: the fewest needed
    plus about `extra` more, cut at random bytes and at the offsets in
    `early` (e.g. inside a record or handshake header)."""
    if n <= 0:
        return [(0, 0)]
    pts = {p for p in early if 0 < p < n}
    need = (n + maxlen - 1) // maxlen
    for _ in range(need - 1 + extra):
        if n > 1:
            pts.add(r.randint(1, n - 1))
    bounds = [0] + sorted(pts) + [n]
    out = []
    for a, b in zip(bounds, bounds[1:]):
        while b - a > maxlen:
            c = a + r.randint(max(1, maxlen // 2), maxlen)
            out.append((a, c))
            a = c
        out.append((a, b))
    return out


def records(r, ctype, ver, data, split):
    """data in TLS records; split: at random bytes, sometimes inside the
    handshake header. Returns (bytes, pieces)."""
    if split:
        early = (r.randint(1, 3),) if r.random() < 0.4 else (r.randint(1, 8),) if r.random() < 0.3 else ()
        pieces = cut(r, len(data), 16384, r.choice((1, 1, 2, 3, 5, 8)), early)
    else:
        pieces = cut(r, len(data), 16384)
    return b"".join(u8(ctype) + u16(ver) + u16(b - a) + data[a:b] for a, b in pieces), pieces


def stream_offset(pieces, k):
    """Where byte k of the records' payload is in their bytes."""
    for i, (a, b) in enumerate(pieces):
        if a <= k < b:
            return 5 * (i + 1) + k
    raise ValueError(k)


def hs_msg(t, body):
    return u8(t) + u24(len(body)) + body


def fake_certificate(r):
    certs = b"".join(v24_(b"\x30\x82" + u16(n) + rbytes(r, n)) for n in
                     (r.randint(600, 1800) for _ in range(r.randint(1, 3))))
    return hs_msg(11, v24_(certs))


def v24_(b):
    return u24(len(b)) + b


def alert(ver, desc=40):
    return b"\x15" + u16(ver) + u16(2) + bytes((2, desc))


# ---------------------------------------------------------------------------
# The capture
# ---------------------------------------------------------------------------


class Conv:
    """One conversation's frames: (delay in us after the previous one,
    frame, length on the wire when the frame is cut short)."""

    def __init__(self, kind):
        self.kind = kind
        self.steps = []

    def emit(self, delay, frame, wirelen=None):
        self.steps.append((max(1, delay), frame, wirelen))


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.prof = Profiles(self.r)
        self.records = []
        self.hellos = []
        self.hosts = {(4, False): [], (4, True): [], (6, False): [], (6, True): []}
        self.ports = set()
        self.placeholder = False
        self.stats = {}

    # endpoints
    def new_host(self, ver, server):
        r = self.r
        if ver == 4:
            x = r.random()
            if x < 0.3:
                a = bytes((10, r.randint(0, 255), r.randint(0, 255), r.randint(1, 254)))
            elif x < 0.45:
                a = bytes((192, 168, r.randint(0, 255), r.randint(1, 254)))
            elif x < 0.55:
                a = bytes((172, r.randint(16, 31), r.randint(0, 255), r.randint(1, 254)))
            else:
                a = bytes((r.choice((23, 31, 45, 62, 81, 93, 104, 142, 151, 172, 185, 198, 203, 212)),
                           r.randint(0, 255), r.randint(0, 255), r.randint(1, 254)))
        else:
            x = r.random()
            if x < 0.5:
                a = bytes.fromhex("20010db8") + (rbytes(r, 2) + bytes(2) if r.random() < 0.5 else rbytes(r, 4)) \
                    + (bytes(6) + u16(r.randint(1, 0xFFFF)) if r.random() < 0.6 else rbytes(r, 8))
            elif x < 0.7:
                a = b"\xfd" + rbytes(r, 15)
            else:
                a = u16(r.choice((0x2A00, 0x2606, 0x2400, 0x2001, 0x2C0F, 0x2A02))) + rbytes(r, 6) \
                    + (bytes(6) + u16(r.randint(1, 0xFFFF)) if r.random() < 0.5 else rbytes(r, 8))
        mac = bytes((r.getrandbits(8) & 0xFC | 0x02,)) + rbytes(r, 5)
        ttl = (64 if ver == 6 or r.random() < 0.6 else 128) if not server else r.choice((64, 64, 128, 255))
        return Host(ver, a, mac, ttl, r.getrandbits(16), r.choice((1, 1, 256)))

    def host(self, ver, server):
        pool = self.hosts[(ver, server)]
        if pool and self.r.random() < 0.5:
            return self.r.choice(pool)
        h = self.new_host(ver, server)
        if any(h.addr == o.addr for p in self.hosts.values() for o in p):
            return self.host(ver, server)
        pool.append(h)
        return h

    def pair(self):
        ver = 4 if self.r.random() < 0.65 else 6
        return self.host(ver, False), self.host(ver, True)

    def port(self, h, lo=1024, hi=65535):
        """A port of h that no other conversation used."""
        while True:
            p = self.r.randint(lo, hi)
            if (h.addr, p) not in self.ports:
                self.ports.add((h.addr, p))
                return p

    def server_port(self, srv, usual, others):
        r = self.r
        for _ in range(50):
            p = usual if r.random() < 0.7 else r.choice(others + (r.randint(1, 65535),))
            if (srv.addr, p) not in self.ports:
                # several clients may talk to one server port; the 4-tuple stays unique
                return p
        return self.port(srv)

    # what netprint must say, and what the capture holds
    def ep(self, h, port):
        return {"ip": h.ip(), "port": port}

    def hello_line(self, kind, transport, src, sport, dst, dport, h, reported, valid=True, note=""):
        self.hellos.append({
            "kind": kind, "transport": transport, "role": "client" if (h is None or h.client) else "server",
            "src": [src.ip(), sport], "dst": [dst.ip(), dport],
            "ja3_string": h.ja3() if (h is not None and valid) else None,
            "sni": text(h.sni()) if (h is not None and valid and h.sni() is not None) else None,
            "reported": reported, "valid": valid, "note": note, "profile": h.profile if h is not None else ""})

    def fingerprints(self, h):
        try:
            if h.client:
                return ja4_spec.client_fingerprints(h.spec())
            return ja4_spec.server_fingerprints(h.spec())
        except NotImplementedError:
            self.placeholder = True
            s = h.ja3()
            md5 = hashlib.md5(s.encode()).hexdigest()
            if h.client:
                return {"ja4": None, "ja4_r": None, "ja4_o": None, "ja4_ro": None, "ja3": md5, "ja3_string": s}
            return {"ja3s": md5, "ja3s_string": s}

    def expect(self, kind, transport, cli, cport, srv, sport, h, reported=True, note=""):
        """h, sent by the client (ClientHello) or the server (ServerHello)."""
        tname = {"t": "tcp", "q": "quic", "d": "dtls"}[transport]
        if h.client:
            self.hello_line(kind, tname, cli, cport, srv, sport, h, reported, note=note)
        else:
            self.hello_line(kind, tname, srv, sport, cli, cport, h, reported, note=note)
        if not reported:
            return
        fp = self.fingerprints(h)
        if h.client:
            tls = {"transport": tname, "version": version_name(h.version()),
                   "sni": text(h.sni()) if h.sni() is not None else None,
                   "client_alpns": [text(a) for a in (h.alpns if h.has(EXT_ALPN) else [])],
                   "ja4": fp["ja4"], "ja4_r": fp["ja4_r"], "ja4_o": fp["ja4_o"], "ja4_ro": fp["ja4_ro"],
                   "ja3": {"hash": fp["ja3"], "string": fp["ja3_string"]}}
            mod = "tls client"
        else:
            tls = {"transport": tname, "version": version_name(h.version()), "cipher": "0x%04x" % h.cipher,
                   "server_alpn": text(h.alpns[0]) if h.has(EXT_ALPN) else None,
                   "ja3s": {"hash": fp["ja3s"], "string": fp["ja3s_string"]}}
            mod = "tls server"
        self.records.append({"mod": mod, "client": self.ep(cli, cport), "server": self.ep(srv, sport),
                             "tls": tls})

    def invalid(self, kind, transport, src, sport, dst, dport, client, note):
        """A hello-like message that is not a hello netprint may report."""
        self.hellos.append({"kind": kind, "transport": transport, "role": "client" if client else "server",
                            "src": [src.ip(), sport], "dst": [dst.ip(), dport], "ja3_string": None,
                            "sni": None, "reported": False, "valid": False, "note": note})

    def count(self, what):
        self.stats[what] = self.stats.get(what, 0) + 1


# ---------------------------------------------------------------------------
# TCP
# ---------------------------------------------------------------------------


class Tcp:
    """One TCP connection's frames, with consistent sequence numbers. The
    client (True) sent the SYN."""

    def __init__(self, g, conv, cli, srv, cport, sport):
        r = self.r = g.r
        self.g, self.conv = g, conv
        self.host = {True: cli, False: srv}
        self.port = {True: cport, False: sport}
        self.isn = {True: r.getrandbits(32), False: r.getrandbits(32)}
        self.sent = {True: 0, False: 0}
        self.flow = {True: r.getrandbits(20) if r.random() < 0.7 else 0, False: 0}
        self.win = {True: r.choice((64240, 65535, 29200, 8192, 16384, 42340)),
                    False: r.choice((65160, 65535, 28960, 8192, 14480))}
        self.ts = r.random() < 0.7
        self.tsval = {True: r.getrandbits(31), False: r.getrandbits(31)}
        base = 1460 if cli.ver == 4 else 1440
        self.mss = {True: r.choice((base,) * 5 + (1400, 1380, 1360, 1220)),
                    False: r.choice((base,) * 5 + (1400, 1452, 1420))}
        self.seg_max = min(self.mss.values()) - (12 if self.ts else 0)

    def opts(self, fc, syn=False):
        self.tsval[fc] += self.r.randint(1, 20)
        ts = struct.pack("!BBII", 8, 10, self.tsval[fc] & 0xFFFFFFFF,
                         self.tsval[not fc] & 0xFFFFFFFF if not (syn and fc) else 0)
        if syn:
            o = struct.pack("!BBH", 2, 4, self.mss[fc]) + (b"\x04\x02" + ts if self.ts else b"\x01\x01\x04\x02") \
                + b"\x01\x03\x03\x07"
            return o
        return (b"\x01\x01" + ts) if self.ts else b""

    def pkt(self, fc, flags, off, payload=b"", delay=100, cut=None):
        """A segment from the client (fc) or the server; off: where payload
        starts in that side's stream. cut: payload bytes captured."""
        src, dst = self.host[fc], self.host[not fc]
        syn = bool(flags & F_SYN)
        seq = self.isn[fc] + (0 if syn else 1 + off)
        ack = self.isn[not fc] + 1 + self.sent[not fc] if flags & F_ACK else 0
        opts = self.opts(fc, syn)
        fr = tcp_frame(src, dst, self.port[fc], self.port[not fc], seq, ack, flags, self.win[fc], opts,
                       payload, self.flow[fc] if src.ver == 6 else 0)
        if cut is None:
            self.conv.emit(delay, fr)
        else:
            keep = l4_offset(src) + 20 + len(opts) + cut
            self.conv.emit(delay, fr[:keep], len(fr))

    def handshake(self):
        r = self.r
        self.pkt(True, F_SYN, 0, delay=r.randint(1, 500))
        self.pkt(False, F_SYN | F_ACK, 0, delay=self.rtt())
        self.pkt(True, F_ACK, 0, delay=self.rtt())

    def rtt(self):
        return self.r.choice((self.r.randint(200, 3000), self.r.randint(3000, 40000)))

    def ack(self, fc):
        self.pkt(fc, F_ACK, self.sent[fc], delay=self.r.randint(20, 2000))

    def plain(self, fc, data, first_delay=None):
        """In order, maybe in two segments."""
        base = self.sent[fc]
        self.sent[fc] += len(data)
        pieces = cut(self.r, len(data), self.seg_max, 1 if self.r.random() < 0.2 else 0)
        for i, (a, b) in enumerate(pieces):
            d = (first_delay if first_delay is not None else self.rtt()) if i == 0 else self.r.randint(5, 300)
            self.pkt(fc, F_ACK | F_PSH, base + a, data[a:b], delay=d)

    def flight(self, fc, data, reorder=True, resend=True, keep_first=0, lose=None, lose_cut=False,
               extra=None):
        """data from one side, cut into segments at random bytes, reordered
        within a window of 3, duplicated and resent overlapping.
        keep_first: the first segment holds at least this many bytes and
        goes first. lose: (lo, hi), a range of data that one segment which
        overlaps it loses for good: never sent, or with lose_cut captured
        cut short before hi."""
        r = self.r
        base = self.sent[fc]
        self.sent[fc] += len(data)
        n = len(data)
        if extra is None:
            extra = r.choice((0, 0, 1, 2, 3, 5, 8, 12))
        early = ()
        if r.random() < 0.4:
            early = (r.randint(1, 9),)
        if keep_first:
            early = (r.randint(keep_first, min(n, keep_first + 40)),) if n > keep_first else ()
        segs = cut(r, n, self.seg_max, extra, early)
        if keep_first and segs[0][1] < min(n, keep_first):
            segs = cut_fix(segs, min(n, keep_first))
        lost = None
        if lose is not None:
            cand = [i for i, (a, b) in enumerate(segs) if a < lose[1] and b > lose[0]]
            lost = r.choice(cand)
        w = r.choice((0, 0, 1.5, 2.5, 3.5)) if reorder else 0
        keys = [i + r.uniform(0, w) for i in range(len(segs))]
        if keep_first:
            keys[0] = -1
        order = [i for _, i in sorted(zip(keys, range(len(segs))))]
        events = [("seg", i) for i in order]
        if resend and r.random() < 0.5:
            for _ in range(r.randint(1, 3)):
                if r.random() < 0.5:
                    i = r.randrange(len(segs))
                    if i == lost:
                        continue
                    a, b = segs[i]
                else:
                    a = r.randrange(n)
                    b = min(n, a + r.randint(1, self.seg_max))
                if lost is not None and a < segs[lost][1] and b > segs[lost][0]:
                    continue
                events.insert(r.randint(1, len(events)), ("range", a, b))
        for j, ev in enumerate(events):
            a, b = segs[ev[1]] if ev[0] == "seg" else ev[1:]
            d = self.rtt() if j == 0 else r.randint(2, 400)
            flags = F_ACK | (F_PSH if b == n or r.random() < 0.3 else 0)
            if ev[0] == "seg" and ev[1] == lost:
                if not lose_cut:
                    continue
                c = r.randint(0, max(0, min(b, lose[1]) - a - 1))
                self.pkt(fc, flags, base + a, data[a:b], delay=d, cut=c)
                continue
            self.pkt(fc, flags, base + a, data[a:b], delay=d)

    def close(self):
        r = self.r
        x = r.random()
        if x < 0.75:
            fc = r.random() < 0.6
            self.pkt(fc, F_FIN | F_ACK, self.sent[fc], delay=self.rtt())
            self.pkt(not fc, F_FIN | F_ACK, self.sent[not fc], delay=self.rtt())
            self.pkt(fc, F_ACK, self.sent[fc] + 1, delay=self.rtt())
        elif x < 0.9:
            fc = r.random() < 0.5
            self.pkt(fc, F_RST | F_ACK, self.sent[fc], delay=self.rtt())
        # else: left open


def cut_fix(segs, first):
    """Segments with [0, first) as the first one."""
    out = [(0, first)]
    for a, b in segs:
        if b <= first:
            continue
        out.append((max(a, first), b))
    return out


STARTTLS = {
    "smtp": ((25, 587), [
        (False, b"220 mx.example.com ESMTP Postfix (Debian/GNU)\r\n"),
        (True, b"EHLO client.example.org\r\n"),
        (False, b"250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-ETRN\r\n"
                b"250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"),
        (True, b"STARTTLS\r\n"),
        (False, b"220 2.0.0 Ready to start TLS\r\n")]),
    "imap": ((143,), [
        (False, b"* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS "
                b"LOGINDISABLED] Dovecot ready.\r\n"),
        (True, b"a001 STARTTLS\r\n"),
        (False, b"a001 OK Begin TLS negotiation now.\r\n")]),
    "pop3": ((110,), [
        (False, b"+OK Dovecot ready.\r\n"),
        (True, b"CAPA\r\n"),
        (False, b"+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nSTLS\r\n"
                b"SASL PLAIN\r\n.\r\n"),
        (True, b"STLS\r\n"),
        (False, b"+OK Begin TLS negotiation now.\r\n")]),
    "ftp": ((21,), [
        (False, b"220 (vsFTPd 3.0.3)\r\n"),
        (True, b"AUTH TLS\r\n"),
        (False, b"234 Proceed with negotiation.\r\n")]),
    "xmpp": ((5222,), [
        (True, b"<?xml version='1.0'?><stream:stream to='example.com' xmlns='jabber:client' "
               b"xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"),
        (False, b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                b"xmlns:stream='http://etherx.jabber.org/streams' id='4a1c2d3e' from='example.com' "
                b"version='1.0' xml:lang='en'><stream:features><starttls "
                b"xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>"),
        (True, b"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"),
        (False, b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")]),
    "ldap": ((389,), [
        (True, b"\x30\x1d\x02\x01\x01\x77\x18\x80\x16" + b"1.3.6.1.4.1.1466.20037"),
        (False, b"\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00")]),
    "postgres": ((5432,), [
        (True, b"\x00\x00\x00\x08\x04\xd2\x16\x2f"),
        (False, b"S")]),
}


def app_records(r, n, ver=0x0303, lo=30, hi=1400):
    return b"".join(u8(23) + u16(ver) + v16(rbytes(r, r.randint(lo, hi))) for _ in range(n))


def client_first_flight(r, ch, rec_ver):
    """The ClientHello's records, then sometimes CCS and early data.
    Returns (bytes, length of the hello's records)."""
    recs, _ = records(r, 22, rec_ver, ch.msg, r.random() < 0.5)
    out = recs
    if ch.version() == 0x0304 and ch.session_id and r.random() < 0.2:
        out += b"\x14\x03\x03\x00\x01\x01" + (app_records(r, r.randint(1, 2)) if ch.has(EXT_EARLY) else b"")
    return out, len(recs)


def server_first_flight(r, sh, sh_split):
    """The ServerHello's records and what follows them. Returns (bytes,
    how many leading bytes hold the whole ServerHello)."""
    if sh.version() in (0x0304, 0xFEFC):
        recs, pieces = records(r, 22, 0x0303, sh.msg, sh_split)
        end = len(recs)
        if sh.session_id:
            recs += b"\x14\x03\x03\x00\x01\x01"
        if sh.random != HRR_RANDOM:
            recs += app_records(r, r.randint(1, 4), lo=50, hi=3000)
        return recs, end
    hs = sh.msg + fake_certificate(r)
    if r.random() < 0.7:
        hs += hs_msg(12, rbytes(r, r.randint(300, 600)))
    hs += hs_msg(14, b"")
    rv = sh.legacy_version if sh.legacy_version <= 0x0303 else 0x0303
    if r.random() < 0.5:
        recs, pieces = records(r, 22, rv, hs, sh_split)
        return recs, stream_offset(pieces, len(sh.msg) - 1) + 1
    # one record per message, as some servers do
    recs, pieces = records(r, 22, rv, sh.msg, sh_split)
    end = len(recs)
    return recs + records(r, 22, rv, hs[len(sh.msg):], False)[0], end


def rec_version(r, ch):
    if ch.legacy_version == 0x0300:
        return 0x0300
    return r.choice((0x0301, 0x0301, 0x0301, 0x0303, 0x0303, 0x0302)) if ch.legacy_version >= 0x0301 else 0x0301


def tls_after(r, tcp, ch, sh):
    """Second flights, application data, close."""
    rv = sh.legacy_version if 0x0300 <= sh.legacy_version <= 0x0303 else 0x0303
    if sh.version() == 0x0304:
        tcp.flight(True, (b"\x14\x03\x03\x00\x01\x01" if ch.session_id else b"") + app_records(r, 1, lo=40, hi=90)
                   + app_records(r, r.randint(0, 2)), resend=False, extra=r.choice((0, 1)))
    else:
        tcp.flight(True, records(r, 22, rv, hs_msg(16, v8(rbytes(r, r.choice((32, 65))))), False)[0]
                   + b"\x14" + u16(rv) + b"\x00\x01\x01" + u8(22) + u16(rv) + v16(rbytes(r, 40)),
                   resend=False, extra=0)
        tcp.flight(False, b"\x14" + u16(rv) + b"\x00\x01\x01" + u8(22) + u16(rv) + v16(rbytes(r, 40)),
                   resend=False, extra=0)
    for _ in range(r.randint(0, 3)):
        tcp.flight(True, app_records(r, r.randint(1, 2), rv), resend=False, extra=0)
        tcp.flight(False, app_records(r, r.randint(1, 4), rv), resend=False, extra=r.choice((0, 1)))
    tcp.close()


def conv_tls(g, kind):
    """tls, starttls, hrr, tls-gap, tls-bad."""
    r = g.r
    conv = Conv(kind)
    cli, srv = g.pair()
    proto = None
    if kind == "starttls":
        proto = r.choice(sorted(STARTTLS))
        ports, script = STARTTLS[proto]
        sport = g.server_port(srv, r.choice(ports), (2525, 1143, 10110, 2121, 15222, 3890, 5433))
    else:
        sport = g.server_port(srv, 443, (8443, 4433, 10443, 993, 995, 465, 853, 5061, 636, 990, 8883,
                                         3269, 5986, 9443, 44300, 1443))
    cport = g.port(cli, 1024 if r.random() < 0.9 else 1, 65535)
    tcp = Tcp(g, conv, cli, srv, cport, sport)
    ch = g.prof.client("t", need13=(kind == "hrr"))
    sh = g.prof.server(ch, hrr=(kind == "hrr"))
    tcp.handshake()
    if proto:
        for fc, data in script:
            tcp.plain(fc, data)
        g.count("starttls " + proto)
    rv = rec_version(r, ch)
    keep = r.randint(6, 12) if proto else 0   # STARTTLS: the hello starts a segment that comes first

    if kind == "tls-bad":
        bad_client = r.random() < 0.65
        if bad_client:
            data, note = bad_hello(r, ch, rv)
            tcp.flight(True, data, keep_first=keep, resend=False)
            g.invalid(kind, "tcp", cli, cport, srv, sport, True, note)
            tcp.flight(False, alert(0x0303, r.choice((10, 40, 50, 70))), resend=False, extra=0)
        else:
            data, n = client_first_flight(r, ch, rv)
            tcp.flight(True, data, keep_first=keep)
            g.expect(kind, "t", cli, cport, srv, sport, ch)
            data, note = bad_hello(r, sh, 0x0303)
            tcp.flight(False, data, keep_first=keep, resend=False)
            g.invalid(kind, "tcp", srv, sport, cli, cport, False, note)
            tcp.flight(True, alert(0x0303, 50), resend=False, extra=0)
        g.count("tls-bad " + ("client " if bad_client else "server ") + note.split(":")[0])
        tcp.close()
        return conv

    lose_client = kind == "tls-gap" and r.random() < 0.6
    lose_server = kind == "tls-gap" and not lose_client
    lose_cut = r.random() < 0.4
    data, n = client_first_flight(r, ch, rv)
    tcp.flight(True, data, keep_first=keep, lose=(0, n) if lose_client else None, lose_cut=lose_cut)
    g.expect(kind, "t", cli, cport, srv, sport, ch, reported=not lose_client,
             note="lost segment" if lose_client else "")
    if r.random() < 0.5:
        tcp.ack(False)
    data, n = server_first_flight(r, sh, r.random() < 0.3)
    tcp.flight(False, data, keep_first=keep, lose=(0, n) if lose_server else None, lose_cut=lose_cut)
    g.expect(kind, "t", cli, cport, srv, sport, sh, reported=not lose_server,
             note="lost segment" if lose_server else "HRR" if kind == "hrr" else "")
    if kind == "tls-gap":
        g.count("tls-gap " + ("client" if lose_client else "server") + (" cut" if lose_cut else " dropped"))
    if kind == "hrr":
        ch2 = second_hello(r, ch, sh)
        sh2 = g.prof.server(ch2, version13=True)
        tcp.flight(True, (b"\x14\x03\x03\x00\x01\x01" if ch.session_id else b"")
                   + records(r, 22, 0x0303, ch2.msg, r.random() < 0.3)[0])
        g.expect(kind, "t", cli, cport, srv, sport, ch2, reported=False, note="second ClientHello")
        data, n = server_first_flight(r, sh2, False)
        tcp.flight(False, data)
        g.expect(kind, "t", cli, cport, srv, sport, sh2, reported=False, note="second ServerHello")
        sh = sh2
    tls_after(r, tcp, ch, sh)
    return conv


def second_hello(r, ch, hrr):
    """The ClientHello after a HelloRetryRequest: a key share of the group
    asked for, the cookie echoed, no early_data, padding recomputed."""
    ch2 = ch.copy()
    ch2.random = rbytes(r, 32)
    grp = hrr.key_shares[0]
    ch2.key_shares = [(g, k) for g, k in (ch.key_shares or []) if is_grease(g)] + \
        [(grp, rbytes(r, SHARE_SIZE.get(grp, (32, 32))[0]))]
    if EXT_EARLY in ch2.order:
        ch2.order.remove(EXT_EARLY)
    if hrr.has(EXT_COOKIE):
        ch2.data[EXT_COOKIE] = hrr.data[EXT_COOKIE]
        ch2.order.insert(r.randint(0, len(ch2.order)), EXT_COOKIE)
    if ch2.profile == "random" and r.random() < 0.5:
        ch2.order.insert(r.randint(0, len(ch2.order)), unknown_ext(r, ch2.order))
    if EXT_PAD in ch2.order and ch.profile != "random":
        ch2.pad_len = None
    return ch2.finish()


def bad_msg(r, h):
    """A message that starts like h and is not a hello: garbage, or h with a
    length that points past its message. Returns (bytes, note); for
    "hslen" the message is cut short (its length runs past what is sent)."""
    body = h.body()
    x = r.choice(("junk", "sid", "ciphers", "exts", "ext", "hslen") if h.client else
                 ("junk", "sid", "exts", "ext", "hslen"))
    if x == "junk":
        first = r.choice([b for b in range(256) if b not in (1, 2)])
        return u8(first) + rbytes(r, r.randint(40, 600)), "junk: garbage after the header"
    if x == "hslen":
        return u8(1 if h.client else 2) + u24(len(body) + r.randint(1, 3000)) + body, \
            "hslen: handshake length past what is sent"
    if x == "sid":
        body = body[:34] + u8(32) + rbytes(r, r.randint(0, 31))
        note = "sid: session_id length past the message"
    elif x == "ciphers":
        o = 35 + len(h.session_id) + (1 + len(h.cookie) if h.transport == "d" else 0)
        rest = len(body) - o - 2
        body = body[:o] + u16(rest + 2 * r.randint(1, 20)) + body[o + 2:]
        note = "ciphers: cipher_suites length past the message"
    elif x == "exts" or not h.order:
        if h.order is None:
            body += u16(r.randint(1, 200))
        else:
            o = len(body) - 2 - sum(4 + len(h.ext_data(t)) for t in h.order)
            rest = len(body) - o - 2
            body = body[:o] + u16(rest + r.randint(1, 300)) + body[o + 2:]
        note = "exts: extensions length past the message"
    else:
        start = len(body) - sum(4 + len(h.ext_data(t)) for t in h.order)
        i = r.randrange(len(h.order))
        o = start + sum(4 + len(h.ext_data(t)) for t in h.order[:i])
        rest = len(body) - o - 4
        body = body[:o + 2] + u16(rest + r.randint(1, 300)) + body[o + 4:]
        note = "ext: an extension's length past the block"
    return u8(1 if h.client else 2) + u24(len(body)) + body, note


def bad_hello(r, h, rec_ver):
    """bad_msg in TLS records (garbage: in one record after a valid-looking
    header). Returns (bytes, note)."""
    msg, note = bad_msg(r, h)
    if note.startswith("junk"):
        return u8(22) + u16(rec_ver) + v16(msg) + app_records(r, 1), note
    if note.startswith("hslen"):
        return u8(22) + u16(rec_ver) + v16(msg) + alert(rec_ver, 10), note
    return records(r, 22, rec_ver, msg, r.random() < 0.3)[0], note


# ---------------------------------------------------------------------------
# QUIC
# ---------------------------------------------------------------------------


def initial_packet(version, keys, dcid, scid, token, pn, pn_len, frames, size=0):
    """An Initial packet whose frames are padded (PADDING) to size bytes."""
    over = quic_initial_overhead(dcid, scid, token, pn_len)
    payload = frames + bytes(max(0, size - over - len(frames), 4 - pn_len - len(frames)))
    return quic_long(version, "initial", dcid, scid, pn, pn_len, payload, keys, token)


def quic_flight(r, version, keys, dcid, scid, token, crypto, pn, dsize, pad_to, first=b"", chaos=False,
                coalesce=lambda i: b"", off0=0):
    """The datagrams of Initial packets that carry crypto (from stream
    offset off0) in CRYPTO frames: cut, with chaos shuffled across and
    within packets and mixed with PING and PADDING frames; first (an ACK
    frame) leads the first packet; coalesce(i) is put after packet i in its
    datagram. Every datagram is at least pad_to bytes. Returns
    (datagrams, next packet number)."""
    n = len(crypto)
    if chaos:
        pieces = cut(r, n, r.choice((200, 300, 500)), r.randint(2, 9), (r.randint(1, 5),))
    else:
        pieces = cut(r, n, 1100, r.choice((0, 0, 0, 1, 2)))
    if chaos and r.random() < 0.8:
        r.shuffle(pieces)
    queue = [(a + off0, crypto[a:b]) for a, b in pieces if b > a]
    out = []
    i = 0
    while queue or i == 0:
        pn_len = r.choice((1, 1, 2, 2, 3, 4))
        tail = coalesce(i)
        cap = dsize - len(tail) - quic_initial_overhead(dcid, scid, token, pn_len)
        frames = []
        used = 0
        if i == 0 and first:
            frames.append(first)
            used += len(first)
        while queue:
            off, data = queue[0]
            hdr = 1 + len(qint(off)) + len(qint(len(data)))
            room = cap - used - hdr - (4 if chaos else 0)
            if room >= len(data):
                frames.append(crypto_frame(off, data))
                used += hdr + len(data)
                queue.pop(0)
                if chaos and r.random() < 0.3 and used + 1 < cap:
                    frames.append(b"\x01")
                    used += 1
                if chaos and r.random() < 0.2 and used + 8 < cap:
                    k = r.randint(1, 8)
                    frames.append(bytes(k))
                    used += k
            elif room >= 16:
                frames.append(crypto_frame(off, data[:room]))
                used += hdr + room
                queue[0] = (off + room, data[room:])
                break
            else:
                break
        if chaos and len(frames) > 1 and r.random() < 0.7:
            head = frames[:1] if (i == 0 and first) else []
            rest = frames[len(head):]
            r.shuffle(rest)
            frames = head + rest
        size = max(0, pad_to - len(tail))
        if pad_to == 0 and r.random() < 0.3:
            size = dsize - len(tail)
        out.append(initial_packet(version, keys, dcid, scid, token, pn, pn_len, b"".join(frames), size) + tail)
        pn += 1
        i += 1
    return out, pn


def quic_other(r, version, ptype, dcid, scid, size):
    """A 0-RTT or Handshake packet: random bytes that pass for encrypted."""
    pn_len = r.choice((1, 2, 4))
    return quic_long(version, ptype, dcid, scid, r.randint(0, 5), pn_len, rbytes(r, max(20, size)))


def short_packet(r, dcid, size):
    return u8(0x40 | r.getrandbits(6)) + dcid + rbytes(r, max(20, size))


def conv_quic(g):
    r = g.r
    conv = Conv("quic")
    version = r.choice((QUIC_V1,) * 6 + (QUIC_V2,) * 3 + (QUIC_D29,) * 2)
    cli, srv = g.pair()
    sport = g.server_port(srv, 443, (8443, 4433, 784, 853, 10443, 4443, 50443))
    cport = g.port(cli)
    dcid = rbytes(r, r.randint(8, 20))
    scid = rbytes(r, r.choice((0, 0, 8, 8, 16, 20, r.randint(1, 20))))
    ch = g.prof.client("q", quic_version=version, scid=scid)
    sh = g.prof.server(ch)
    ck, sk = quic_keys(version, dcid, False), quic_keys(version, dcid, True)
    scid_s = rbytes(r, r.choice((8, 8, 16, 20, 0, 5)))
    dsize = r.choice((1200, 1250, 1252, 1280, 1350, 1357, 1452, 1472))
    token = rbytes(r, r.randint(16, 80)) if r.random() < 0.1 else b""
    chaos = r.random() < (0.8 if ch.profile == "chrome" else 0.3)
    z = r.random()
    zero_rtt = (lambda i: quic_other(r, version, "0rtt", dcid, scid, r.randint(30, 300))
                if (z < 0.2 and i == 0) or (z < 0.3 and r.random() < 0.5) else b"")
    g.count("quic %s" % {QUIC_V1: "v1", QUIC_V2: "v2", QUIC_D29: "draft-29"}[version])

    def send(fc, dgram, delay):
        src, dst = (cli, srv) if fc else (srv, cli)
        conv.emit(delay, udp_frame(src, dst, cport if fc else sport, sport if fc else cport, dgram))

    pn0 = r.choice((0, 0, 1))
    dgrams, pn = quic_flight(r, version, ck, dcid, scid, token, ch.msg, pn0, dsize, max(1200, dsize - 50),
                             chaos=chaos, coalesce=zero_rtt)
    if len(dgrams) > 1 and r.random() < 0.25:
        i = r.randrange(len(dgrams) - 1)
        dgrams[i], dgrams[i + 1] = dgrams[i + 1], dgrams[i]
    if len(dgrams) > 1:
        g.count("quic hello over %d datagrams" % len(dgrams))
    for j, d in enumerate(dgrams):
        send(True, d, r.randint(1, 500) if j else r.randint(1, 2000))
    g.expect("quic", "q", cli, cport, srv, sport, ch)
    x = r.random()
    if x < 0.15:
        # resent: the same CRYPTO data in new packets, cut another way
        more, pn = quic_flight(r, version, ck, dcid, scid, token, ch.msg, pn, dsize, max(1200, dsize - 50),
                               chaos=chaos)
        for d in more:
            send(True, d, r.randint(1000, 20000))
        g.count("quic resent Initials")
    elif x < 0.25:
        send(True, r.choice(dgrams), r.randint(1000, 20000))
        g.count("quic duplicated datagram")
    # the server: ACK + CRYPTO(ServerHello), then Handshake packets
    sdsize = r.choice((1200, 1252, 1350, 1472))
    hs_tail = (lambda i: quic_other(r, version, "handshake", scid, scid_s, r.randint(100, 900))
               if i == 0 and r.random() < 0.8 else b"")
    sdg, spn = quic_flight(r, version, sk, scid, scid_s, b"", sh.msg, 0, sdsize, 0,
                           first=ack_frame(pn - 1, r.randint(0, pn - 1)), chaos=r.random() < 0.3, coalesce=hs_tail)
    for j, d in enumerate(sdg):
        send(False, d, r.randint(2000, 30000) if j == 0 else r.randint(1, 300))
    g.expect("quic", "q", cli, cport, srv, sport, sh)
    if r.random() < 0.15:
        send(False, sdg[0], r.randint(1000, 20000))
    for _ in range(r.randint(0, 3)):
        send(False, quic_other(r, version, "handshake", scid, scid_s, r.randint(200, 1150)), r.randint(1, 300))
    # the client's Initial ACK (to the server's CID now, same keys) with Handshake
    tail = quic_other(r, version, "handshake", scid_s, scid, r.randint(40, 200))
    ackp = initial_packet(version, ck, scid_s, scid, token, pn, 1, ack_frame(spn - 1), max(0, 1200 - len(tail)))
    send(True, ackp + tail, r.randint(2000, 30000))
    for _ in range(r.randint(1, 5)):
        send(True, short_packet(r, scid_s, r.randint(20, 400)), r.randint(100, 5000))
        send(False, short_packet(r, scid, r.randint(20, 1200)), r.randint(100, 5000))
    return conv


# ---------------------------------------------------------------------------
# DTLS
# ---------------------------------------------------------------------------


def stun(r, request, peer=None):
    """A STUN binding request or success response (RFC 5389), as WebRTC
    sends before DTLS on the same ports."""
    def attr(t, v):
        return u16(t) + u16(len(v)) + v + bytes(-len(v) % 4)
    txid = rbytes(r, 12)
    if request:
        attrs = attr(0x0006, b"%08x:%08x" % (r.getrandbits(32), r.getrandbits(32))) + attr(0x0024, u32(r.getrandbits(32))) \
            + attr(r.choice((0x802A, 0x8029)), rbytes(r, 8))
        mtype = 0x0001
    else:
        host, port = peer
        xport = port ^ 0x2112
        xaddr = bytes(a ^ b for a, b in zip(host.addr, (u32(0x2112A442) + txid)[:len(host.addr)]))
        attrs = attr(0x0020, b"\x00" + (b"\x01" if host.ver == 4 else b"\x02") + u16(xport) + xaddr)
        mtype = 0x0101
    attrs += attr(0x0008, rbytes(r, 20))
    hdr = u16(mtype) + u16(len(attrs) + 8) + u32(0x2112A442) + txid
    fp = (zlib.crc32(hdr + attrs) ^ 0x5354554E) & 0xFFFFFFFF
    return hdr + attrs + attr(0x8028, u32(fp))


class Dtls:
    """One DTLS association's datagrams; the client (True) sent the first
    ClientHello."""

    def __init__(self, g, conv, cli, srv, cport, sport):
        r = self.r = g.r
        self.conv = conv
        self.host = {True: cli, False: srv}
        self.port = {True: cport, False: sport}
        self.seq = {(True, 0): 0, (False, 0): 0, (True, 1): 0, (False, 1): 0}
        self.pmtu = r.choice((1200, 1250, 1350, 1400, 1472))

    def send(self, fc, payload, delay):
        src, dst = self.host[fc], self.host[not fc]
        self.conv.emit(delay, udp_frame(src, dst, self.port[fc], self.port[not fc], payload))

    def rtt(self):
        return self.r.choice((self.r.randint(200, 3000), self.r.randint(3000, 40000)))

    def record(self, fc, ctype, ver, frag, epoch=0):
        s = self.seq[(fc, epoch)]
        self.seq[(fc, epoch)] = s + 1
        return u8(ctype) + u16(ver) + u16(epoch) + s.to_bytes(6, "big") + v16(frag)

    def flight(self, fc, msgs, ver, tail=(), frag=None, resend=True):
        """Handshake messages [(type, message_seq, body)], cut into
        fragments (always when one does not fit a datagram; with frag at
        random bytes, fragments shuffled and sometimes sent twice,
        overlapping), in records, in datagrams; tail: records after them."""
        r = self.r
        if frag is None:
            frag = r.random() < 0.35
        room = self.pmtu - 13 - 12
        frags = []
        for t, mseq, body in msgs:
            if frag:
                pieces = cut(r, len(body), min(room, r.choice((60, 150, 300, 600))), r.randint(0, 3))
            else:
                pieces = cut(r, len(body), room)
            frags += [(t, mseq, len(body), a, body[a:b]) for a, b in pieces]
        if frag and r.random() < 0.5:
            r.shuffle(frags)
        if frag and r.random() < 0.3:
            t, mseq, body = r.choice(msgs)
            if body:
                a = r.randrange(len(body))
                b = min(len(body), a + r.randint(1, room))
                frags.insert(r.randint(0, len(frags)), (t, mseq, len(body), a, body[a:b]))
        recs = []
        i = 0
        while i < len(frags):
            one = [frags[i]]
            i += 1
            while frag and i < len(frags) and r.random() < 0.3 and \
                    sum(12 + len(f[4]) for f in one) + 12 + len(frags[i][4]) <= room + 12:
                one.append(frags[i])
                i += 1
            payload = b"".join(u8(t) + u24(n) + u16(mseq) + u24(a) + u24(len(d)) + d for t, mseq, n, a, d in one)
            recs.append(self.record(fc, 22, ver, payload))
        recs += [t() if callable(t) else t for t in tail]
        dgrams = []
        cur = b""
        alone = frag and r.random() < 0.4
        for rec in recs:
            if cur and (alone or len(cur) + len(rec) > self.pmtu):
                dgrams.append(cur)
                cur = b""
            cur += rec
        dgrams.append(cur)
        if len(dgrams) > 1 and r.random() < 0.3:
            j = r.randrange(len(dgrams) - 1)
            dgrams[j], dgrams[j + 1] = dgrams[j + 1], dgrams[j]
        for j, d in enumerate(dgrams):
            self.send(fc, d, self.rtt() if j == 0 else r.randint(1, 300))
        if resend and r.random() < 0.15:
            # the retransmission timer fired: the flight again, in new records
            self.flight(fc, msgs, ver, (), r.random() < 0.5, resend=False)
            return True
        return False


def conv_dtls(g):
    r = g.r
    conv = Conv("dtls")
    ver = r.choice((0xFEFF,) * 2 + (0xFEFD,) * 6 + (0xFEFC,) * 3)
    cli, srv = g.pair()
    sport = g.server_port(srv, r.choice((443, 4433, 5684, 3478, 5349, 4740, 8443)), (r.randint(1024, 65535),))
    cport = g.port(cli)
    ch = g.prof.client("d", dtls_ver=ver)
    d = Dtls(g, conv, cli, srv, cport, sport)
    g.count("dtls %s" % version_name(ver))
    if r.random() < 0.25:
        # ICE first, and its first request may come from the DTLS server
        fc = r.random() < 0.5
        for _ in range(r.randint(1, 2)):
            d.send(fc, stun(r, True), d.rtt())
            d.send(not fc, stun(r, False, (d.host[fc], d.port[fc])), d.rtt())
            fc = not fc
        g.count("dtls after STUN")
    crv = 0xFEFF if ver == 0xFEFF or r.random() < 0.4 else 0xFEFD
    if d.flight(True, [(1, 0, ch.body())], crv):
        g.count("dtls resent ClientHello")
    g.expect("dtls", "d", cli, cport, srv, sport, ch)
    sseq, cseq, first = 0, 1, None
    last = ch
    if ver != 0xFEFC and r.random() < 0.4:
        cookie = rbytes(r, r.randint(16, 32))
        d.flight(False, [(3, 0, u16(0xFEFF) + v8(cookie))], 0xFEFF, resend=False)
        ch2 = ch.copy()
        ch2.cookie = cookie
        if ch2.order is not None and r.random() < 0.5:
            ch2.order.insert(r.randint(0, len(ch2.order)), unknown_ext(r, ch2.order))
        ch2.finish()
        d.flight(True, [(1, 1, ch2.body())], crv)
        g.expect("dtls", "d", cli, cport, srv, sport, ch2, reported=False, note="ClientHello with cookie")
        sseq, cseq, last = 1, 2, ch2
        g.count("dtls HelloVerifyRequest")
    elif ver == 0xFEFC and r.random() < 0.3:
        first = g.prof.server(ch, hrr=True)
        d.flight(False, [(2, 0, first.body())], 0xFEFD, resend=False)
        g.expect("dtls", "d", cli, cport, srv, sport, first, note="HRR")
        ch2 = second_hello(r, ch, first)
        d.flight(True, [(1, 1, ch2.body())], 0xFEFD)
        g.expect("dtls", "d", cli, cport, srv, sport, ch2, reported=False, note="second ClientHello")
        sseq, cseq, last = 1, 2, ch2
        g.count("dtls HelloRetryRequest")
    sh = g.prof.server(last, version13=(ver == 0xFEFC))
    srv_ver = 0xFEFD if sh.legacy_version == 0xFEFD else 0xFEFF
    if ver == 0xFEFC:
        enc = [lambda: b"\x2e" + u16(r.getrandbits(16)) + v16(rbytes(r, r.randint(40, 1000)))
               for _ in range(r.randint(1, 3))]
        if r.random() < 0.5:
            d.flight(False, [(2, sseq, sh.body())], 0xFEFD, tail=enc)
        else:
            d.flight(False, [(2, sseq, sh.body())], 0xFEFD)
            for e in enc:
                d.send(False, e(), r.randint(1, 300))
    else:
        msgs = [(2, sseq, sh.body()), (11, sseq + 1, fake_certificate(r)[4:])]
        if r.random() < 0.7:
            msgs.append((12, sseq + 2, rbytes(r, r.randint(100, 300))))
        msgs.append((14, sseq + len(msgs), b""))
        d.flight(False, msgs, srv_ver)
    g.expect("dtls", "d", cli, cport, srv, sport, sh, reported=first is None,
             note="second ServerHello" if first else "")
    if ver == 0xFEFC:
        for _ in range(r.randint(1, 3)):
            d.send(True, b"\x2e" + u16(r.getrandbits(16)) + v16(rbytes(r, r.randint(40, 600))), d.rtt())
            d.send(False, b"\x2f" + u16(r.getrandbits(16)) + v16(rbytes(r, r.randint(40, 1000))), d.rtt())
        return conv
    d.flight(True, [(16, cseq, v8(rbytes(r, 65)) if r.random() < 0.5 else v16(rbytes(r, 128)))], crv,
             tail=[lambda: d.record(True, 20, crv, b"\x01"), lambda: d.record(True, 22, crv, rbytes(r, 40), epoch=1)])
    d.send(False, d.record(False, 20, srv_ver, b"\x01") + d.record(False, 22, srv_ver, rbytes(r, 40), epoch=1),
           d.rtt())
    for _ in range(r.randint(0, 3)):
        d.send(True, d.record(True, 23, crv, rbytes(r, r.randint(40, 900)), epoch=1), d.rtt())
        d.send(False, d.record(False, 23, srv_ver, rbytes(r, r.randint(40, 1200)), epoch=1), d.rtt())
    return conv


# ---------------------------------------------------------------------------
# Noise: nothing here may be reported
# ---------------------------------------------------------------------------


def noise_tcp(g, conv, what):
    r = g.r
    cli, srv = g.pair()
    sport = g.server_port(srv, r.choice((80, 22, 443, 8080, 25, 3306)), (r.randint(1, 65535),))
    cport = g.port(cli)
    tcp = Tcp(g, conv, cli, srv, cport, sport)
    tcp.handshake()
    if what == "http":
        tcp.plain(True, b"GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: curl/8.5.0\r\n"
                        b"Accept: */*\r\n\r\n")
        tcp.plain(False, b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 5\r\n\r\nhello")
    elif what == "ssh":
        tcp.plain(False, b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")
        tcp.plain(True, b"SSH-2.0-OpenSSH_9.6\r\n")
        tcp.flight(True, u32(1000) + rbytes(r, 1000), resend=False)
        tcp.flight(False, u32(1200) + rbytes(r, 1200), resend=False)
    elif what == "binary":
        tcp.flight(True, rbytes(r, r.randint(1, 3000)))
        tcp.flight(False, rbytes(r, r.randint(1, 3000)))
    elif what == "not-a-hello":
        # TLS records, but the first one holds no hello
        for fc in (True, False):
            x = r.randint(0, 4)
            if x == 0:
                data = alert(0x0303, 40)
            elif x == 1:
                data = app_records(r, 2)
            elif x == 2:
                data = b"\x14\x03\x03\x00\x01\x01" + app_records(r, 1)
            elif x == 3:
                data = u8(22) + u16(0x0303) + v16(fake_certificate(r))
            else:
                data = u8(22) + u16(0x0303) + v16(hs_msg(4, rbytes(r, 200)))
            tcp.flight(fc, data)
    elif what == "sslv2":
        specs = b"".join(u24(c) for c in (0x010080, 0x020080, 0x030080, 0x040080, 0x050080, 0x060040,
                                          0x0700C0, 0x000039, 0x000038, 0x000035))
        body = b"\x01\x03\x01" + u16(len(specs)) + u16(0) + u16(16) + specs + rbytes(r, 16)
        tcp.flight(True, u16(0x8000 | len(body)) + body, resend=False)
        g.invalid("noise", "tcp", cli, cport, srv, sport, True, "SSLv2 ClientHello")
        tcp.flight(False, alert(0x0301, 40), resend=False)
    tcp.close()


def noise_udp(g, conv, what):
    r = g.r
    cli, srv = g.pair()
    cport = g.port(cli)

    def send(fc, sport, payload, delay=None):
        src, dst = (cli, srv) if fc else (srv, cli)
        conv.emit(delay or r.randint(100, 20000),
                  udp_frame(src, dst, cport if fc else sport, sport if fc else cport, payload))

    if what == "dns":
        q = rbytes(r, 2) + b"\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03www\x07example\x03com\x00\x00\x01\x00\x01"
        send(True, 53, q)
        send(False, 53, q[:2] + b"\x81\x80" + q[4:7] + b"\x01" + q[8:] + b"\xc0\x0c\x00\x01\x00\x01"
             + u32(300) + u16(4) + bytes((192, 0, 2, 1)))
    elif what == "ntp":
        send(True, 123, b"\x23" + bytes(47))
        send(False, 123, b"\x24\x02\x00\xe7" + rbytes(r, 44))
    elif what == "short":
        for _ in range(r.randint(1, 4)):
            send(r.random() < 0.5, 443, short_packet(r, rbytes(r, 8), r.randint(20, 1200)))
    elif what == "quic-unknown":
        v = r.choice((0x0A1A2A3A, 0xFACEB002, 0x709A50C4, 0xFF000020, 0x51303530))
        pk = u8(0xC0 | r.getrandbits(4)) + u32(v) + v8(rbytes(r, 8)) + v8(rbytes(r, 8)) + rbytes(r, 1200)
        send(True, 443, pk)
        send(False, 443, u8(0x80 | r.getrandbits(7)) + u32(0) + v8(rbytes(r, 8)) + v8(rbytes(r, 8))
             + u32(QUIC_V1) + u32(QUIC_V2))
    elif what in ("quic-badtag", "quic-malformed"):
        version = r.choice((QUIC_V1, QUIC_V2, QUIC_D29))
        dcid = rbytes(r, r.randint(8, 20))
        scid = rbytes(r, 8)
        ch = g.prof.client("q", quic_version=version, scid=scid)
        if what == "quic-badtag":
            keys = quic_keys(version, rbytes(r, len(dcid)), False)  # keys of another DCID
            msg, note = ch.msg, "QUIC Initial that does not decrypt"
        else:
            keys = quic_keys(version, dcid, False)
            msg, note = bad_msg(r, ch)
            note = "QUIC " + note
        dgrams, _ = quic_flight(r, version, keys, dcid, scid, b"", msg, 0, 1252, 1200, chaos=r.random() < 0.5)
        for d in dgrams:
            send(True, 443, d)
        g.invalid("noise", "quic", cli, cport, srv, 443, True, note)
    elif what == "dtls-malformed":
        ch = g.prof.client("d", dtls_ver=r.choice((0xFEFF, 0xFEFD)))
        body = ch.body()
        x = r.randint(0, 2)
        if x == 0:
            msg, note = bad_msg(r, ch)
            frag = msg[:4] + u16(0) + u24(0) + msg[1:4] + msg[4:]
            note = "DTLS " + note
        elif x == 1:
            n = len(body)
            frag = u8(1) + u24(n) + u16(0) + u24(n - 10) + u24(20) + body[n - 10:] + bytes(10)
            note = "DTLS fragment past the message"
        else:
            frag = u8(1) + u24(len(body)) + u16(0) + u24(0) + u24(len(body) + 50) + body
            note = "DTLS fragment length past the record"
        send(True, 4433, u8(22) + u16(0xFEFD) + u16(0) + bytes(6) + v16(frag))
        g.invalid("noise", "dtls", cli, cport, srv, 4433, True, note)
    elif what == "stun":
        send(True, 3478, stun(r, True))
        send(False, 3478, stun(r, False, (cli, cport)))
    elif what == "empty":
        send(True, 443, b"")
        send(True, 4433, b"\x16")


def noise_cut(g, conv):
    """Frames cut short: in the Ethernet, IP, TCP or UDP header or the
    payload (caplen < wirelen), or whole but shorter than their IP length."""
    r = g.r
    cli, srv = g.pair()
    cport = g.port(cli)
    for _ in range(r.randint(1, 4)):
        if r.random() < 0.5:
            pay = rbytes(r, r.randint(0, 1400)) if r.random() < 0.5 else u8(22) + u16(0x0301) + rbytes(r, 200)
            fr = tcp_frame(cli, srv, cport, 443, r.getrandbits(32), r.getrandbits(32),
                           r.choice((F_SYN, F_ACK | F_PSH, F_ACK)), 65535, b"", pay)
        else:
            fr = udp_frame(cli, srv, cport, r.choice((443, 4433)), rbytes(r, r.randint(0, 1300)))
        k = r.choice((r.randint(0, 13), r.randint(14, 14 + (20 if cli.ver == 4 else 40)),
                      r.randint(0, len(fr) - 1)))
        if r.random() < 0.7:
            conv.emit(r.randint(100, 20000), fr[:k], len(fr))
        else:
            conv.emit(r.randint(100, 20000), fr[:max(k, 1)])


NOISE = ("http", "ssh", "binary", "not-a-hello", "sslv2", "dns", "ntp", "short", "quic-unknown",
         "quic-badtag", "quic-malformed", "dtls-malformed", "stun", "empty", "cut")


def conv_noise(g):
    conv = Conv("noise")
    what = g.r.choice(NOISE)
    g.count("noise " + what)
    if what in ("http", "ssh", "binary", "not-a-hello", "sslv2"):
        noise_tcp(g, conv, what)
    elif what == "cut":
        noise_cut(g, conv)
    else:
        noise_udp(g, conv, what)
    return conv


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

KINDS = ("tls", "starttls", "hrr", "tls-gap", "tls-bad", "quic", "dtls", "noise")
WEIGHTS = {"tls": 40, "starttls": 8, "hrr": 7, "tls-gap": 6, "tls-bad": 6, "quic": 20, "dtls": 13, "noise": 10}
ALIASES = {"tcp": ("tls", "starttls", "hrr", "tls-gap", "tls-bad"), "all": KINDS}
T0 = 1735732800  # 2025-01-01 12:00:00 UTC


def parse_kinds(s):
    out = []
    for k in s.split(","):
        k = k.strip()
        for x in ALIASES.get(k, (k,)):
            if x not in KINDS:
                raise SystemExit("gen_tls_pcap: unknown kind %r (known: %s, tcp, all)" % (k, ", ".join(KINDS)))
            if x not in out:
                out.append(x)
    return out


def main():
    ap = argparse.ArgumentParser(description="Random TLS / QUIC / DTLS capture and the tls records it gives.")
    ap.add_argument("seed", type=int)
    ap.add_argument("count", type=int)
    ap.add_argument("pcap")
    ap.add_argument("expected")
    ap.add_argument("--kinds", default="all")
    ap.add_argument("--hellos", help="write every hello the capture carries here (JSON lines)")
    ap.add_argument("--stats", action="store_true", help="print what was generated on stderr")
    a = ap.parse_args()
    kinds = parse_kinds(a.kinds)
    quic_selftest()
    g = Gen(a.seed)
    r = g.r
    weights = [WEIGHTS[k] for k in kinds]
    frames = []
    start = 0
    for i in range(a.count):
        kind = r.choices(kinds, weights)[0]
        g.count("kind " + kind)
        if kind == "quic":
            conv = conv_quic(g)
        elif kind == "dtls":
            conv = conv_dtls(g)
        elif kind == "noise":
            conv = conv_noise(g)
        else:
            conv = conv_tls(g, kind)
        start += int(r.expovariate(1 / 3000.0)) + 1
        t = start
        for j, (delay, fr, wirelen) in enumerate(conv.steps):
            t += delay
            frames.append((t, i, j, fr, wirelen))
    frames.sort(key=lambda f: f[:3])
    with open(a.pcap, "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for t, _, _, fr, wirelen in frames:
            fh.write(struct.pack("<IIII", T0 + t // 1000000, t % 1000000, len(fr), wirelen or len(fr)) + fr)
    with open(a.expected, "w") as fh:
        for rec in g.records:
            fh.write(json.dumps(rec, sort_keys=True) + "\n")
    if a.hellos:
        with open(a.hellos, "w") as fh:
            for h in g.hellos:
                fh.write(json.dumps(h, sort_keys=True) + "\n")
    if g.placeholder:
        print("gen_tls_pcap: tests/tls/ja4_spec.py is a placeholder: JA4 values written as null, "
              "JA3 / JA3S from the generator's own strings", file=sys.stderr)
    if a.stats:
        g.stats["frames"] = len(frames)
        g.stats["records tls client"] = sum(1 for x in g.records if x["mod"] == "tls client")
        g.stats["records tls server"] = sum(1 for x in g.records if x["mod"] == "tls server")
        for k in sorted(g.stats):
            print("%7d  %s" % (g.stats[k], k), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
