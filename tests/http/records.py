# SPDX-License-Identifier: MIT
"""What the web console's tests read from netprint's --json records and
its stderr: a record's label, its subject's address, the signature
/api/unknown counts it by, and waiting for a line of stderr."""
import json
import re
import socket
import time


def label_of(r):
    """"name flavor" as p0f prints a label, or None when unmatched."""
    m = r.get("os") or r.get("app")
    if not m:
        return None
    return m["name"] + (" " + m["flavor"] if m.get("flavor") else "")


def subject_ip(r):
    return r["client" if r["subject"] == "client" else "server"]["ip"]


def sig_of(r):
    """The signature a record is counted by as unknown: TCP's in the
    database's form (the initial TTL: the TTL seen plus the distance),
    HTTP's without its software field, a TLS client's JA4, a server's JA3S."""
    if r["mod"] in ("syn", "syn+ack"):
        ver, ttl, rest = r["raw_sig"].split(":", 2)
        seen, _, dist = ttl.partition("+")
        return ":".join((ver, str(int(seen) + int(dist)) if dist.isdigit() else seen, rest))
    if r["mod"].startswith("http"):	# up to the third ':' outside [values]
        depth, colons = 0, 0
        for i, ch in enumerate(r["raw_sig"]):
            depth += ch == "["
            depth -= ch == "]" and depth > 0
            if ch == ":" and not depth:
                colons += 1
                if colons == 3:
                    return r["raw_sig"][:i]
        return r["raw_sig"]
    if r["mod"] == "tls client":
        return r["tls"]["ja4"]
    return r["tls"]["ja3s"]["hash"]


def is_json(body):
    """Does the body parse as JSON (an error answer's too)?"""
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


def wait_for(path, pattern, timeout=60.0):
    """The first match of pattern in the file at path, once it appears (or None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = re.search(pattern, open(path, errors="replace").read())
        if m:
            return m
        time.sleep(0.02)
    return None


def sock_json(sock_path, addr):
    """The query socket's JSON answer for addr (-s, one line each way)."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(20)
        s.connect(sock_path)
        s.sendall(json.dumps({"addr": addr}).encode() + b"\n")
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
    return json.loads(buf)
