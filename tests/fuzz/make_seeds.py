#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed corpora of the libFuzzer targets (tests/fuzz), the same
bytes on every run: OUT/fuzz_pipeline (the bundled captures and seeded
random TLS / QUIC / DTLS / HTTP / SYN captures in the pipeline's framing,
and Ethernet frames rewritten for every other link type netprint reads),
OUT/fuzz_db (the bundled p0f.fp and tls.fp, each section alone, slices of
them, a [tls:server] section, broken lines), OUT/fuzz_api (binary queries
and JSON lines for the hosts the target knows and for others),
OUT/fuzz_collect (steps over the records a sensor publishes: in order,
twice, backwards, edited) and OUT/fuzz_capture (small pcap files in every
shape the reader takes: either byte order, nanoseconds, short snapshot
length, pcapng, cut short, damaged).

  make_seeds.py OUT [--stamp FILE]
"""
import argparse
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
ROOT = os.path.dirname(TESTS)
sys.path.insert(0, TESTS)
from pcapfile import read_pcap  # noqa: E402

CAPTURES = os.path.join(TESTS, "captures")
MAX_PIPELINE_SEED = 16384       # well under fuzz_pipeline.options' max_len
MAX_CAPTURE_SEED = 6144

# fuzz_pipeline.c's input header: u16 DLT, u8 limits, u8 ages, u32 time.
LIMITS_ROOMY = 0x3f              # 64 connections, 1000 hosts, 32 buffers
AGES_P0F = 29 | 3 << 6           # 30 s connections, 4 min hosts


LEN_MASK = 0x3fff                # a frame's length; the top two bits seal QUIC
SEAL_OWN, SEAL_CLIENT, SEAL_SERVER = 0xc000, 0x8000, 0x4000


def pipeline_input(dlt, frames, limits=LIMITS_ROOMY, ages=AGES_P0F, cap=MAX_PIPELINE_SEED):
    """frames: [(ts_us, bytes[, seal])]; as many as fit in cap bytes."""
    t0 = frames[0][0] if frames else 0
    out = bytearray(struct.pack(">HBBI", dlt, limits, ages, (t0 // 1000000) & 0xffffffff))
    prev = (t0 // 1000000) * 1000000
    for ts, data, *seal in frames:
        data = data[:LEN_MASK]
        if len(out) + 3 + len(data) > cap:
            break
        d = ts - prev
        if d < 0:
            step, prev = 0xff, prev - 10000000
        elif d < 128000:
            step, prev = d // 1000, prev + d // 1000 * 1000
        else:
            s = min(d // 1000000, 126)
            step, prev = 0x80 | s, prev + s * 1000000
        out += struct.pack(">BH", step, len(data) | (seal[0] if seal else 0)) + data
    return bytes(out)


def frames_of(pcap):
    _, linktype, recs = pcap
    return linktype, [(sec * 1000000 + usec, data) for sec, usec, _, data in recs]


def is_hello(data):
    """A TLS handshake record holding a ClientHello or ServerHello, roughly."""
    i = data.find(b"\x16\x03")
    while i >= 0:
        if i + 5 < len(data) and data[i + 5] in (1, 2):
            return True
        i = data.find(b"\x16\x03", i + 1)
    return False


def chunks(frames, n_max=2):
    """The start of the capture and, if later, the run from its first TLS hello."""
    starts = [0]
    for i, (_, d) in enumerate(frames):
        if is_hello(d):
            if i > 12:
                starts.append(i - 3)
            break
    return [frames[s:] for s in starts[:n_max]]


# ---- link-layer rewrites of Ethernet frames ---------------------------------

def strip_ethernet(frame):
    """(ethertype, IP packet) of an Ethernet frame, tags skipped, or None."""
    off = 12
    while off + 2 <= len(frame) and frame[off:off + 2] in (b"\x81\x00", b"\x88\xa8", b"\x91\x00"):
        off += 4
    if off + 2 > len(frame):
        return None
    et = struct.unpack(">H", frame[off:off + 2])[0]
    if et not in (0x0800, 0x86dd):
        return None
    return et, frame[off + 2:]


def relink(dlt, frame):
    s = strip_ethernet(frame)
    if s is None:
        return frame
    et, ip = s
    v6 = et == 0x86dd
    if dlt in (12, 14, 101, 228, 229):
        return ip
    if dlt == 0:                # BSD loopback, host order AF
        return struct.pack("<I", 30 if v6 else 2) + ip
    if dlt == 108:              # OpenBSD loop, network order AF
        return struct.pack(">I", 24 if v6 else 2) + ip
    if dlt == 9:
        return b"\xff\x03" + (b"\x00\x57" if v6 else b"\x00\x21") + ip
    if dlt in (50, 51):
        return b"\xff\x03\x00\x00\x00\x00" + (b"\x00\x57" if v6 else b"\x00\x21") + ip
    if dlt == 113:              # SLL: packet type, ARPHRD, addr len, addr, protocol
        return struct.pack(">HHH8sH", 0, 1, 6, b"\x02\0\0\0\0\1\0\0", et) + ip
    if dlt == 276:              # SLL2: protocol first
        return struct.pack(">HHIHBB8s", et, 0, 2, 1, 0, 6, b"\x02\0\0\0\0\1\0\0") + ip
    if dlt == 117:              # PFLOG: 28-byte header as p0f reads it
        return bytes([28, 2 if not v6 else 24]) + b"\0" * 26 + ip
    if dlt == 105:              # 802.11 as p0f reads it: 32 bytes before IP
        return b"\x08\x02" + b"\0" * 22 + b"\xaa\xaa\x03\0\0\0" + struct.pack(">H", et) + ip
    return frame


def vlan(frame, tags):
    tag = b"".join(struct.pack(">HH", 0x88a8 if i < tags - 1 else 0x8100, 100 + i)
                   for i in range(tags))
    return frame[:12] + tag + frame[12:]


# ---- fuzz_pipeline -----------------------------------------------------------

def run_generator(args, out):
    try:
        subprocess.run([sys.executable] + args, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=300)
    except (subprocess.SubprocessError, OSError) as e:
        print(f"make_seeds: {os.path.basename(args[0])}: {e}; its seeds are left out",
              file=sys.stderr)
        return None
    return read_pcap(out)


def pipeline_seeds(outdir):
    seeds = {}
    ethernet = []
    for name in sorted(os.listdir(CAPTURES)):
        if not name.endswith(".pcap"):
            continue
        pcap = read_pcap(os.path.join(CAPTURES, name))
        if not pcap or not pcap[2]:
            continue
        dlt, frames = frames_of(pcap)
        for i, part in enumerate(chunks(frames)):
            seeds[f"{name[:-5]}.{i}"] = pipeline_input(dlt, part)
        if dlt == 1:
            ethernet.append((name[:-5], frames))

    # every other link type, and tags, from a few Ethernet captures
    dlts = (0, 9, 12, 14, 50, 51, 101, 105, 108, 113, 117, 228, 229, 276)
    picks = [e for e in ethernet if e[0] in (
        "arkime__http-301-get", "arkime__tls-client-sessionid", "arkime__v6-http",
        "arkime__tls-split-client-hello", "csanders__http_ip4and6")]
    for k, dlt in enumerate(dlts):
        name, frames = picks[k % len(picks)]
        seeds[f"link{dlt}-{name}"] = pipeline_input(dlt, [(t, relink(dlt, f)) for t, f in frames])
    for tags in (1, 2, 4):
        name, frames = picks[tags % len(picks)]
        seeds[f"vlan{tags}-{name}"] = pipeline_input(1, [(t, vlan(f, tags)) for t, f in frames])

    # seeded random conversations: QUIC, DTLS, split TLS, STARTTLS, HTTP, SYNs
    with tempfile.TemporaryDirectory() as tmp:
        gen = os.path.join(TESTS, "random")
        jobs = [
            (f"tls-{k}", [os.path.join(gen, "gen_tls_pcap.py"), str(100 + i), "8",
                          os.path.join(tmp, f"tls-{k}.pcap"), os.path.join(tmp, f"tls-{k}.jsonl"),
                          "--kinds", k])
            for i, k in enumerate(("tls", "starttls", "hrr", "tls-gap", "tls-bad", "quic", "dtls",
                                   "noise"))
        ]
        # one conversation a seed, so that mutations stay on one QUIC or DTLS handshake
        for kind in ("quic", "dtls"):
            for i in range(10):
                jobs.append((f"{kind}1-{i}", [
                    os.path.join(gen, "gen_tls_pcap.py"), str(200 + i), "1",
                    os.path.join(tmp, f"{kind}1-{i}.pcap"), os.path.join(tmp, f"{kind}1-{i}.jsonl"),
                    "--kinds", kind]))
        jobs.append(("http", [os.path.join(gen, "gen_http_pcap.py"), "--seed", "7", "--flows",
                              "40", "-o", os.path.join(tmp, "http.pcap")]))
        jobs.append(("syn", [os.path.join(gen, "gen_syn_pcap.py"), "--seed", "7", "--flows",
                             "60", "--db", os.path.join(ROOT, "db", "p0f.fp"), "-o",
                             os.path.join(tmp, "syn.pcap")]))
        for name, args in jobs:
            out = next(a for a in args if a.endswith(".pcap"))
            pcap = run_generator(args, out)
            if not pcap or not pcap[2]:
                continue
            dlt, frames = frames_of(pcap)
            if name == "tls-quic" or name.startswith("quic1-"):
                frames = unseal_quic(frames)
            # consecutive slices, each a seed; tiny tables on every other one
            i = n = 0
            while i < len(frames) and n < 6:
                data = pipeline_input(dlt, frames[i:],
                                      limits=LIMITS_ROOMY if n % 2 == 0 else 0x80 | n,
                                      ages=AGES_P0F if n % 2 == 0 else 2)
                seeds[f"gen-{name}.{n}"] = data
                i += max(1, count_frames(data))
                n += 1
    write_dir(os.path.join(outdir, "fuzz_pipeline"), seeds)


def count_frames(data):
    off, n = 8, 0
    while off + 3 <= len(data):
        off += 3 + (struct.unpack(">H", data[off + 1:off + 3])[0] & LEN_MASK)
        n += 1
    return n


# ---- QUIC Initials opened, for fuzz_pipeline to seal again ---------------------

def qvarint(b, o):
    n = 1 << (b[o] >> 6)
    v = b[o] & 0x3f
    for i in range(1, n):
        v = v << 8 | b[o + i]
    return v, o + n


def udp_payload(frame):
    """Offset and length of an Ethernet frame's UDP payload, or None."""
    s = strip_ethernet(frame)
    if not s:
        return None
    et, ip = s
    base = len(frame) - len(ip)
    if et == 0x0800 and len(ip) >= 20 and ip[9] == 17:
        off = (ip[0] & 15) * 4
        addrs = (ip[12:16], ip[16:20])
    elif et == 0x86dd and len(ip) >= 40 and ip[6] == 17:
        off, addrs = 40, (ip[8:24], ip[24:40])
    else:
        return None
    if len(ip) < off + 8:
        return None
    ports = struct.unpack(">HH", ip[off:off + 4])
    flow = frozenset(((addrs[0], ports[0]), (addrs[1], ports[1])))
    return base + off + 8, len(ip) - off - 8, flow


def open_initial(pkt, pn_off, keys):
    """The packet with its protection removed and its payload in clear
    (tag bytes zeroed), or None when these keys do not open it."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    key, iv, hp = keys
    if len(pkt) < pn_off + 20:
        return None
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(pkt[pn_off + 4:pn_off + 20]) + enc.finalize()
    first = pkt[0] ^ (mask[0] & 0x0f)
    pn_len = (first & 3) + 1
    pnb = bytes(b ^ m for b, m in zip(pkt[pn_off:pn_off + pn_len], mask[1:1 + pn_len]))
    hdr = bytes([first]) + pkt[1:pn_off] + pnb
    nonce = (int.from_bytes(iv, "big") ^ int.from_bytes(pnb, "big")).to_bytes(12, "big")
    try:
        clear = AESGCM(key).decrypt(nonce, pkt[pn_off + pn_len:], hdr)
    except (InvalidTag, ValueError):
        return None
    return hdr + clear + bytes(16)


def unseal_quic(frames):
    """Frames with their QUIC Initials opened and the seal flag each needs."""
    sys.path.insert(0, os.path.join(TESTS, "random"))
    import gen_tls_pcap as g
    remembered, out = {}, []
    for ts, frame in frames:
        u = udp_payload(frame)
        if not u:
            out.append((ts, frame))
            continue
        off, left, flow = u
        buf, seal = bytearray(frame), 0
        while left >= 7 and buf[off] & 0x80:
            p = bytes(buf[off:off + left])
            version = struct.unpack(">I", p[1:5])[0]
            if version not in g.QUIC_SALT or 6 + p[5] >= len(p):
                break
            dcid = p[6:6 + p[5]]
            o = 6 + p[5]
            o += 1 + p[o]
            ptype = (p[0] >> 4) & 3
            initial = ptype == (1 if version == g.QUIC_V2 else 0)
            try:
                if initial:
                    tlen, o = qvarint(p, o)
                    o += tlen
                length, pn_off = qvarint(p, o)
            except IndexError:
                break
            pkt_len = pn_off + length
            if pkt_len > len(p):
                break
            if initial:
                tries = []
                if flow in remembered:
                    v, d = remembered[flow]
                    tries += [(SEAL_CLIENT, v, d, False), (SEAL_SERVER, v, d, True)]
                tries.append((SEAL_OWN, version, dcid, False))
                for how, v, d, server in tries:
                    clear = open_initial(p[:pkt_len], pn_off, g.quic_keys(v, d, server))
                    if clear:
                        buf[off:off + pkt_len] = clear
                        if how == SEAL_OWN:
                            remembered[flow] = (version, dcid)
                        seal = seal or how
                        break
            off += pkt_len
            left -= pkt_len
        out.append((ts, bytes(buf), seal) if seal else (ts, frame))
    return out


# ---- fuzz_db -----------------------------------------------------------------

def db_seeds(outdir):
    p0f = open(os.path.join(ROOT, "db", "p0f.fp"), encoding="latin-1").read()
    tls = open(os.path.join(ROOT, "db", "tls.fp"), encoding="latin-1").read()
    seeds = {"p0f.fp": p0f, "tls.fp": tls}
    lines = p0f.splitlines(keepends=True)
    classes = next(line for line in lines if line.startswith("classes"))
    heads = [i for i, line in enumerate(lines) if line.startswith("[")] + [len(lines)]
    for a, b in zip(heads, heads[1:]):
        sec = lines[a].strip()[1:-1].replace(":", "-")
        body = lines[a:b]
        seeds[f"p0f-{sec}"] = classes + "".join(body)
        # windows of whole entries: from a label line, about 40 lines
        starts = [i for i, line in enumerate(body) if line.startswith("label")]
        for k, s in enumerate(starts[::max(1, len(starts) // 4)][:4]):
            seeds[f"p0f-{sec}.{k}"] = classes + lines[a] + "".join(body[s:s + 40])
    tl = tls.splitlines(keepends=True)
    seeds["tls-client.0"] = "".join(tl[:60])
    seeds["tls-server"] = (
        "classes = win,unix,other\n[tls:server]\n"
        "label = s:!:nginx:1.x\nsys = @unix\nsig = 15af977ce25de452b96affa2addb1036\n"
        "label = g:unix:Linux:\nsig = 00000000000000000000000000000000\n"
        "[tls:client]\nlabel = s:!:curl:8\nsys = Linux,@unix\nsig = t13d1516h2_*_*\n"
        "label = s:!:x:y\nsys = @win\nsig = *_8daaf6152771_e5627efa2ab1\n"
        "label = s:!:z:\nsys = Windows\nsig = q13d0311h3_55b375c5d22e_*\n")
    seeds["p0f+tls"] = p0f + tls
    broken = [
        "classes = win\n[tcp:request]\nlabel = s:win:Windows:XP\nsig = 4:128+0:0:1460:65535,0:mss,nop,nop,sok:df,id+:0\nsig = *:128:0:*:%8192,8:mss,nop,ws:df:*\n",
        "classes = win\n[tcp:request]\nlabel = s:win:Windows:XP\nsig = 4:128+0:0:1460:65535,0:mss,nop,nop,sok:df,id+:0\nsig = 4:128+0:0:1460:65535,0:mss,nop,nop,sok:df,id+:0\n",
        "[mtu]\nlabel = Ethernet\nsig = 1500\nsig = 70000\n",
        "classes = unix\n[http:request]\nua_os = Linux,Windows=Windows NT\nlabel = s:!:curl:\nsys = @unix\nsig = *:Host,User-Agent,Accept=[*/*]:?Accept-Language:curl/\n",
        "classes = unix\n[http:response]\nlabel = s:!:Apache:2.x\nsys = @unix\nsig = 1:Date,Server,?Last-Modified,Content-Type:Keep-Alive:Apache\n",
        "[tls:client]\nlabel = s:!:a:b\nsig = t13d1516h2_8daaf6152771\n",
        "[tls:client]\nlabel = s:!:a:b\nsys = @nope\nsig = z99q1516h2_8daaf6152771_e5627efa2ab1\n",
        "label = s:!:a:b\n", "[tcp:sideways]\n", "classes = \n", "sig = \n",
        "[tcp:request]\nlabel = s:unix:L:1\nsig = 6:64-:0:*:mss*44,10:mss,sok,ts,nop,ws,eol+9:flow:++\n",
    ]
    for i, b in enumerate(broken):
        seeds[f"small.{i}"] = b
    write_dir(os.path.join(outdir, "fuzz_db"), {k: v.encode("latin-1") for k, v in seeds.items()})


# ---- fuzz_api ----------------------------------------------------------------

API_MAGIC = struct.pack("=I", 0x50304601)


def api_query(addr, ver=None, magic=API_MAGIC):
    import ipaddress
    a = ipaddress.ip_address(addr)
    ver = ver if ver is not None else a.version
    return magic + bytes([ver]) + a.packed.ljust(16, b"\0")


def trace_hosts(path, n=12):
    """Addresses of the first SYNs' senders and receivers in an Ethernet pcap."""
    import ipaddress
    seen = []
    for _, _, _, f in read_pcap(path)[2]:
        s = strip_ethernet(f)
        if not s:
            continue
        et, ip = s
        if et == 0x0800 and len(ip) >= 20:
            addrs = (ip[12:16], ip[16:20])
        elif et == 0x86dd and len(ip) >= 40:
            addrs = (ip[8:24], ip[24:40])
        else:
            continue
        for a in addrs:
            t = str(ipaddress.ip_address(a))
            if t not in seen:
                seen.append(t)
        if len(seen) >= n:
            break
    return seen


def api_seeds(outdir):
    known = trace_hosts(os.path.join(CAPTURES, "arkime__arkime_synthetic.pcap"))
    known += ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.9", "2001:db8::7", "2001:db8::9"]
    others = ["203.0.113.5", "::", "0.0.0.0", "255.255.255.255", "::ffff:192.0.2.1"]
    seeds = {}
    seeds["binary-known"] = b"".join(api_query(a) for a in known)
    seeds["binary-others"] = b"".join(api_query(a) for a in others)
    seeds["binary-bad"] = (api_query("192.0.2.1", ver=5) + api_query("192.0.2.1", ver=6)
                           + api_query("192.0.2.1", magic=struct.pack("=I", 0x50304602)))
    for i, a in enumerate(known):
        seeds[f"json-{i}"] = ('{"addr":"%s"}\n' % a).encode()
    seeds["json-many"] = "".join('{"addr": "%s"}\n' % a for a in known + others).encode()
    seeds["json-odd"] = b"\n".join([
        b'{"cmd":"reload"}', b'{"cmd":"reload"}', b'{"addr":42}', b'{"addr":"1.2.3"}',
        b'[1,2]', b'not json', b'{"addr":"192.0.2.1","addr":"192.0.2.2"}',
        b'{"addr":"192.0.2.1\\u0000x"}', b'{"addr":"\xff\xfe"}', b'{}', b'',
        b'{"addr":"2001:db8:0:0:0:0:0:7"}', b'{"cmd":"stop"}', b'{"addr":null,"cmd":"reload"}'])
    seeds["mixed"] = seeds["binary-known"][:42] + b"\n" + seeds["json-many"]
    write_dir(os.path.join(outdir, "fuzz_api"), seeds)


# ---- fuzz_capture ------------------------------------------------------------

def pcap_bytes(linktype, recs, endian="<", nsec=False, snaplen=65535, cut=None):
    magic = 0xa1b23c4d if nsec else 0xa1b2c3d4
    out = bytearray(struct.pack(endian + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype))
    for sec, usec, wire, data in recs:
        frac = usec * 1000 if nsec else usec
        out += struct.pack(endian + "IIII", sec, frac, len(data), wire) + data
    return bytes(out[:cut] if cut else out)


def ng_block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def pcapng_bytes(linktype, recs, tsresol=None, simple=False):
    out = ng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    opts = b""
    if tsresol is not None:
        opts = struct.pack("<HHB", 9, 1, tsresol) + b"\0\0\0" + struct.pack("<HH", 0, 0)
    out += ng_block(1, struct.pack("<HHI", linktype, 0, 65535) + opts)
    for sec, usec, wire, data in recs:
        if simple:
            out += ng_block(3, struct.pack("<I", wire) + data)
            continue
        ts = sec * 1000000 + usec
        if tsresol == 9:
            ts *= 1000
        out += ng_block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xffffffff, len(data), wire)
                        + data)
    return out


def capture_seeds(outdir):
    seeds = {}
    for name in ("arkime__http-301-get", "arkime__tls-alpn-h2", "ndpi__bets",
                 "ndpi__log4j-webapp-exploit", "ndpi__ossfuzz_seed_fake_traces_1",
                 "ndpi__fuzz-2006-09-29-28586", "zeek__tcp__options"):
        path = os.path.join(CAPTURES, name + ".pcap")
        if not os.path.exists(path):
            continue
        raw = open(path, "rb").read()
        _, linktype, recs = read_pcap(path)
        small = []
        for r in recs:
            if sum(len(x[3]) + 16 for x in small) + len(r[3]) + 16 > MAX_CAPTURE_SEED - 24:
                break
            small.append(r)
        seeds[f"{name}.pcap"] = pcap_bytes(linktype, small)
        seeds[f"{name}.head"] = raw[:24 + 16 + 60]
    _, lt, recs = read_pcap(os.path.join(CAPTURES, "arkime__http-301-get.pcap"))
    seeds["be-nsec.pcap"] = pcap_bytes(lt, recs, endian=">", nsec=True)
    seeds["le-nsec.pcap"] = pcap_bytes(lt, recs, nsec=True)
    seeds["snaplen-60.pcap"] = pcap_bytes(lt, recs, snaplen=60)
    seeds["snaplen-0.pcap"] = pcap_bytes(lt, recs, snaplen=0)
    seeds["cut-record-header.pcap"] = pcap_bytes(lt, recs, cut=24 + 16 + len(recs[0][3]) + 7)
    seeds["cut-frame.pcap"] = pcap_bytes(lt, recs, cut=24 + 16 + 30)
    seeds["header-only.pcap"] = pcap_bytes(lt, [])
    seeds["linktype-odd.pcap"] = pcap_bytes(147, recs[:2])
    seeds["caplen-huge.pcap"] = pcap_bytes(lt, recs[:1]) + struct.pack("<IIII", 1, 0, 300000, 300000)
    seeds["ng.pcapng"] = pcapng_bytes(lt, recs)
    seeds["ng-nsec.pcapng"] = pcapng_bytes(lt, recs, tsresol=9)
    seeds["ng-simple.pcapng"] = pcapng_bytes(lt, recs, simple=True)
    seeds["ng-cut.pcapng"] = pcapng_bytes(lt, recs)[:150]
    seeds["not-a-capture"] = b"GET / HTTP/1.1\r\n\r\n"
    write_dir(os.path.join(outdir, "fuzz_capture"), seeds)


def write_dir(path, seeds):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    for name, data in sorted(seeds.items()):
        with open(os.path.join(path, name), "wb") as f:
            f.write(data)


# ---- fuzz_collect ------------------------------------------------------------

def collect_step(index, off=0, patch=b"", cut=False):
    """fuzz_collect.c's step: op (cut bit, patch length), u16 index, u16 off."""
    return struct.pack("<BHH", (len(patch) << 1) | (1 if cut else 0), index, off) + patch


def collect_seeds(outdir):
    seeds = {}
    seeds["in-order"] = b"".join(collect_step(i) for i in range(200))
    seeds["in-order-2"] = b"".join(collect_step(i) for i in range(200, 400))
    seeds["twice"] = b"".join(collect_step(i) for i in list(range(60)) * 2)
    seeds["backwards"] = b"".join(collect_step(i) for i in range(120, 0, -1))
    seeds["kinds"] = b"".join(collect_step(i, 3, b"\x00") for i in range(40))
    seeds["ip-version"] = b"".join(collect_step(i, 17, b"\x02") for i in range(40))
    seeds["labels"] = b"".join(collect_step(i, 16 + 80, b"\xff\x01") for i in range(60))
    seeds["cut"] = b"".join(collect_step(i, 16 + 40, b"", cut=True) for i in range(40))
    seeds["tails"] = b"".join(collect_step(i, 300, b"\x16\x03\x01\x00\x05", cut=True)
                              for i in range(80))
    write_dir(os.path.join(outdir, "fuzz_collect"), seeds)


def main():
    ap = argparse.ArgumentParser(description="Seed corpora of the libFuzzer targets.")
    ap.add_argument("out")
    ap.add_argument("--stamp", help="touch this file when done (the build's output)")
    a = ap.parse_args()
    pipeline_seeds(a.out)
    db_seeds(a.out)
    api_seeds(a.out)
    capture_seeds(a.out)
    collect_seeds(a.out)
    if a.stamp:
        digest = hashlib.sha256()
        for d, _, files in sorted(os.walk(a.out)):
            for f in sorted(files):
                digest.update(f.encode() + open(os.path.join(d, f), "rb").read())
        with open(a.stamp, "w") as f:
            f.write(digest.hexdigest() + "\n")


if __name__ == "__main__":
    main()
