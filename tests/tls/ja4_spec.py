#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""JA4 (FoxIO's specification, technical_details/JA4.md), JA3 and JA3S
(Salesforce), written from the specifications as a reference for the C
engine and its tests. Standard library only.

A hello is given as plain values (16-bit wire values; lists in wire order,
GREASE included):

  {"type": "client" | "server", "transport": "t" | "q" | "d",
   "legacy_version": int,
   "supported_versions": [int] or None   (None: no extension 43;
                                          a ServerHello: [selected]),
   "ciphers": [int]                      (ClientHello),
   "cipher": int                         (ServerHello),
   "extensions": [int],                  (every type, wire order)
   "sni": bytes or None,                 (None: extension 0 absent)
   "alpns": [bytes] or None,             (None: extension 16 absent)
   "sig_algs": [int] or None, "groups": [int] or None,
   "point_formats": [int] or None}

client_fingerprints(hello) -> {"ja4", "ja4_r", "ja4_o", "ja4_ro", "ja3",
"ja3_string"}; server_fingerprints(hello) -> {"ja3s", "ja3s_string"}.

JA3S drops GREASE extension types, as tshark 4.0 does (the JA3S oracle of
the tests; Salesforce's text filters nothing there).

Where FoxIO's code and its specification disagree, the specification is
followed: a first ALPN value whose first or last byte is not an ASCII
letter or digit gives the first and last character of its hex form; a
one-byte value gives that byte twice; GREASE is dropped from the signature
algorithms too. Choices the text leaves open:

- supported_versions present but holding only GREASE: the legacy version
  (as if the extension were absent);
- "highest" supported version: the newest; DTLS numbers count down
  (0xfeff 1.0, 0xfefd 1.2, 0xfefc 1.3), so among DTLS values the smallest
  is the highest version;
- GREASE ALPN identifiers (RFC 8701: 0x0A0A, 0x1A1A, ...) are passed over
  when the first ALPN value is chosen, GREASE being ignored "anywhere";
- the raw forms (ja4_r, ja4_ro) carry exactly the strings that are hashed,
  so a hello without signature algorithms has no second '_' in its c part,
  and an empty list stays empty (the 000000000000 rule is for hashes);
- each form applies the "empty list: 000000000000" rule to its own string
  (ja4_o keeps SNI and ALPN, so a hello whose only extension is SNI has an
  empty c in ja4 and a hashed one in ja4_o).

  ja4_spec.py --self-test     checks the specification's own examples (TAP)
"""
import hashlib
import sys

VERSIONS = {
    0x0304: "13", 0x0303: "12", 0x0302: "11", 0x0301: "10", 0x0300: "s3",
    0x0002: "s2", 0xfeff: "d1", 0xfefd: "d2", 0xfefc: "d3",
}


def is_grease(v):
    """RFC 8701: 0x0a0a, 0x1a1a, ... 0xfafa."""
    return (v & 0x0f0f) == 0x0a0a and (v >> 8) == (v & 0xff)


def _no_grease(values):
    return [v for v in (values or []) if not is_grease(v)]


def hello_version(hello):
    """The version a hello speaks: for a ClientHello the highest non-GREASE
    supported_versions value, for a ServerHello the selected one; the legacy
    field when the extension is absent (or holds only GREASE)."""
    sv = _no_grease(hello.get("supported_versions"))
    return max(sv, key=_version_rank) if sv else hello["legacy_version"]


def _version_rank(v):
    """Newer is higher; DTLS versions (0xfeNN) count down."""
    return 0x10000 + (0xff - (v & 0xff)) if v >> 8 == 0xfe else v


def ja4_version(v):
    return VERSIONS.get(v, "00")


def _alnum(b):
    return 0x30 <= b <= 0x39 or 0x41 <= b <= 0x5a or 0x61 <= b <= 0x7a


def alpn_chars(alpns):
    """JA4's two ALPN characters, from the first ALPN value."""
    alpns = [a for a in (alpns or []) if not (len(a) == 2 and is_grease(a[0] << 8 | a[1]))]
    if not alpns or not alpns[0]:
        return "00"
    first = alpns[0]
    a, z = first[0], first[-1]
    if _alnum(a) and _alnum(z):
        return chr(a) + chr(z)
    h = first.hex()
    return h[0] + h[-1]


def _hex4(values):
    return ",".join("%04x" % v for v in values)


def _trunc_sha256(s):
    if not s:
        return "000000000000"
    return hashlib.sha256(s.encode("ascii")).hexdigest()[:12]


def _count(n):
    return "%02d" % min(n, 99)


def ja4_a(hello):
    exts = _no_grease(hello["extensions"])
    return "%s%s%s%s%s%s" % (
        hello["transport"],
        ja4_version(hello_version(hello)),
        "d" if 0 in exts else "i",
        _count(len(_no_grease(hello["ciphers"]))),
        _count(len(exts)),
        alpn_chars(hello.get("alpns")),
    )


def ja4_parts(hello, original_order):
    """(a, cipher string, extension+signature string) of ja4 (sorted, SNI
    and ALPN removed) or ja4_o (wire order, SNI and ALPN kept)."""
    ciphers = _no_grease(hello["ciphers"])
    exts = _no_grease(hello["extensions"])
    if original_order:
        b = _hex4(ciphers)
    else:
        b = _hex4(sorted(ciphers))
        exts = sorted(e for e in exts if e not in (0x0000, 0x0010))
    c = _hex4(exts)
    sigs = _no_grease(hello.get("sig_algs"))
    if sigs:
        c += "_" + _hex4(sigs)
    return ja4_a(hello), b, c


def _ja3_list(values):
    return "-".join(str(v) for v in values)


def ja3_string(hello):
    return ",".join([
        str(hello["legacy_version"]),
        _ja3_list(_no_grease(hello["ciphers"])),
        _ja3_list(_no_grease(hello["extensions"])),
        _ja3_list(_no_grease(hello.get("groups"))),
        _ja3_list(hello.get("point_formats") or []),
    ])


def ja3s_string(hello):
    # GREASE extensions are dropped, as tshark 4.0 (the JA3S oracle) drops
    # them; the selected cipher is written as it is. Servers do not send
    # GREASE (RFC 8701), so this only matters for odd or made-up traffic.
    return ",".join([
        str(hello["legacy_version"]),
        str(hello["cipher"]),
        _ja3_list(_no_grease(hello["extensions"])),
    ])


def _md5(s):
    return hashlib.md5(s.encode("ascii")).hexdigest()


def client_fingerprints(hello):
    out = {}
    for hashed, raw, original in (("ja4", "ja4_r", False), ("ja4_o", "ja4_ro", True)):
        a, b, c = ja4_parts(hello, original)
        out[hashed] = "%s_%s_%s" % (a, _trunc_sha256(b), _trunc_sha256(c))
        out[raw] = "%s_%s_%s" % (a, b, c)
    s = ja3_string(hello)
    out["ja3_string"] = s
    out["ja3"] = _md5(s)
    return {k: out[k] for k in ("ja4", "ja4_r", "ja4_o", "ja4_ro", "ja3", "ja3_string")}


def server_fingerprints(hello):
    s = ja3s_string(hello)
    return {"ja3s": _md5(s), "ja3s_string": s}


# ---------------------------------------------------------------------------
# Self-test: the examples of the specifications.

def spec_example_hello():
    """The ClientHello behind JA4.md's example (t13d1516h2_...): its ciphers
    and extensions in the wire order of the JA4_ro example, with the GREASE
    values a Chrome of that time adds (first cipher, first and last
    extension, first supported version and group), which must change
    nothing."""
    return {
        "type": "client", "transport": "t", "legacy_version": 0x0303,
        "supported_versions": [0x7a7a, 0x0304, 0x0303],
        "ciphers": [0x4a4a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
                    0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035],
        "extensions": [0x2a2a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d,
                       0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a,
                       0x0015, 0x3a3a],
        "sni": b"www.example.com",
        "alpns": [b"h2", b"http/1.1"],
        "sig_algs": [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601],
        "groups": [0x8a8a, 0x001d, 0x0017, 0x0018],
        "point_formats": [0],
    }


def self_test():
    n = [0]
    failed = [0]

    def check(ok, desc):
        n[0] += 1
        failed[0] += not ok
        print(("ok %d - %s" if ok else "not ok %d - %s") % (n[0], desc))

    def eq(got, want, desc):
        check(got == want, desc + ("" if got == want else ": got %r, want %r" % (got, want)))

    # The two readings the specification leaves open (see the docstring).
    eq(ja4_version(hello_version({"supported_versions": [0x5a5a, 0xfefd, 0xfefc],
                                  "legacy_version": 0xfefd})), "d3",
       "DTLS: 0xfefc (1.3) is higher than 0xfefd (1.2)")
    eq(alpn_chars([bytes([0x7a, 0x7a]), b"h2"]), "h2", "a GREASE ALPN value is passed over")

    h = spec_example_hello()
    fp = client_fingerprints(h)
    eq(fp["ja4"], "t13d1516h2_8daaf6152771_e5627efa2ab1", "spec example ja4")
    eq(fp["ja4_r"], "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,"
       "c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_"
       "0403,0804,0401,0503,0805,0501,0806,0601", "spec example ja4_r")
    eq(fp["ja4_o"], "t13d1516h2_acb858a92679_18f69afefd3d", "spec example ja4_o")
    eq(fp["ja4_ro"], "t13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,"
       "009d,002f,0035_001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,"
       "000a,0015_0403,0804,0401,0503,0805,0501,0806,0601", "spec example ja4_ro")
    # The pieces JA4.md hashes one by one.
    eq(_trunc_sha256("002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9"),
       "8daaf6152771", "spec cipher hash")
    eq(hashlib.sha256(b"0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_"
                      b"0403,0804,0401,0503,0805,0501,0806,0601").hexdigest(),
       "e5627efa2ab19723084c1033a96c694a45826ab5a460d2d3fd5ffcfe97161c95", "spec extension hash, whole")
    no_sigs = dict(h, sig_algs=None, extensions=[e for e in h["extensions"] if e != 0x000d])
    eq(ja4_parts(no_sigs, False)[2], "0005,000a,000b,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01",
       "no signature algorithms: no '_' in c")
    eq(_trunc_sha256("0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01"),
       "6d807ffa2a79", "spec extension hash without signature algorithms")

    # GREASE in the signature algorithms is dropped (the specification).
    g = dict(h, sig_algs=[0x0a0a] + h["sig_algs"] + [0xfafa])
    eq(client_fingerprints(g)["ja4"], fp["ja4"], "GREASE signature algorithms ignored")

    # Version: supported_versions, else legacy; GREASE-only list: legacy.
    eq(ja4_a(dict(h, supported_versions=None))[1:3], "12", "no supported_versions: legacy version")
    eq(ja4_a(dict(h, supported_versions=[0x2a2a]))[1:3], "12", "GREASE-only supported_versions")
    for v, s in ((0x0300, "s3"), (0x0002, "s2"), (0xfeff, "d1"), (0xfefd, "d2"), (0xfefc, "d3"),
                 (0x0305, "00"), (0x0100, "00")):
        eq(ja4_a(dict(h, supported_versions=None, legacy_version=v))[1:3], s, "version 0x%04x" % v)
    eq(ja4_a(dict(h, extensions=[0x0a0a, 0x0010], sni=None))[3], "i", "no SNI extension: i")

    # Counts: GREASE excluded, capped at 99.
    many = dict(h, ciphers=[0x0a0a] + list(range(1, 150)), extensions=list(range(1, 120)) + [0x1a1a])
    eq(ja4_a(many)[4:8], "9999", "counts capped at 99")

    # ALPN (JA4.md's examples, and the ones the reference notes add).
    for alpns, want in (([b"h2"], "h2"), ([b"http/1.1"], "h1"), ([b"h"], "hh"),
                        (None, "00"), ([], "00"), ([b""], "00"), ([b"", b"h2"], "00"),
                        ([b"\xab"], "ab"), ([b"\xab\xcd"], "ad"), ([b"\x30\xab"], "3b"),
                        ([b"\x30\x31\xab\xcd"], "3d"), ([b"\x30\xab\xcd\x31"], "01"),
                        ([b"\x20\x61"], "21"), ([b"\x61\x20"], "60"), ([b"\xba\xad"], "bd"),
                        ([b"h3", b"h2"], "h3")):
        eq(alpn_chars(alpns), want, "ALPN %r" % (alpns,))

    # Empty lists.
    bare = {"type": "client", "transport": "d", "legacy_version": 0xfefd, "supported_versions": None,
            "ciphers": [0x0a0a], "extensions": [], "sni": None, "alpns": None, "sig_algs": None,
            "groups": None, "point_formats": None}
    e = client_fingerprints(bare)
    eq(e["ja4"], "dd2i000000_000000000000_000000000000", "empty lists: zeros")
    eq(e["ja4_r"], "dd2i000000__", "empty lists: raw form")
    eq(e["ja3_string"], "65277,,,,", "empty lists: JA3")
    sni_only = dict(bare, extensions=[0x0000], sni=b"a")
    eq(client_fingerprints(sni_only)["ja4"][-12:], "000000000000", "only SNI: ja4 c is zeros")
    eq(client_fingerprints(sni_only)["ja4_o"][-12:], _trunc_sha256("0000"), "only SNI: ja4_o c hashed")

    # JA3 (Salesforce's README example, and a hello without extensions).
    j = {"type": "client", "transport": "t", "legacy_version": 769, "supported_versions": None,
         "ciphers": [47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4],
         "extensions": [0, 10, 11], "sni": b"x", "alpns": None, "sig_algs": None,
         "groups": [23, 24, 25], "point_formats": [0]}
    eq(ja3_string(j), "769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0", "JA3 string")
    eq(client_fingerprints(j)["ja3"], "ada70206e40642a3e4461f35503241d5", "JA3 hash")
    jg = dict(j, ciphers=[0x0a0a] + j["ciphers"], extensions=[0x1a1a] + j["extensions"],
              groups=[0x2a2a] + j["groups"])
    eq(client_fingerprints(jg)["ja3"], "ada70206e40642a3e4461f35503241d5", "JA3 drops GREASE")
    eq(ja3_string(dict(j, ciphers=[4, 5, 10, 9, 100, 98, 3, 6, 19, 18, 99], extensions=[],
                       groups=None, point_formats=None)),
       "769,4-5-10-9-100-98-3-6-19-18-99,,,", "JA3 with no extensions")

    s = {"type": "server", "transport": "t", "legacy_version": 0x0303, "supported_versions": [0x0304],
         "cipher": 0x1301, "extensions": [43, 51], "sni": None, "alpns": None, "sig_algs": None,
         "groups": None, "point_formats": None}
    eq(server_fingerprints(s), {"ja3s_string": "771,4865,43-51",
                                "ja3s": hashlib.md5(b"771,4865,43-51").hexdigest()}, "JA3S")
    eq(server_fingerprints(dict(s, extensions=[0x2a2a, 43, 51], cipher=0x0a0a))["ja3s_string"],
       "771,2570,43-51", "JA3S drops GREASE extensions, keeps the cipher (as tshark 4.0)")

    print("1..%d" % n[0])
    return 1 if failed[0] else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        sys.exit(self_test())
    sys.stderr.write("usage: ja4_spec.py --self-test\n")
    sys.exit(2)
