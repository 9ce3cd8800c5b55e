#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Live capture on a kernel interface: netprint -i over a veth pair.

  iface_check.py NETPRINT DB CAPTURE REFERENCE_LOG

Creates a veth pair (needs root and iproute2; skips with 77 otherwise),
starts `netprint -i` on one end, sends CAPTURE's Ethernet frames into the
other with a raw socket, stops netprint with SIGTERM, and compares its log
lines, timestamps aside, with p0f's reference log of the same capture
(syn, syn+ack and mtu: the records that do not depend on packet timing).
TAP output.
"""
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402

KINDS = re.compile(r"^\[[^]]*\] (mod=(syn|syn\+ack|mtu)\|.*)$")


def frames(path):
    d = open(path, "rb").read()
    o = 24
    while o + 16 <= len(d):
        n = struct.unpack("<I", d[o + 8:o + 12])[0]
        yield d[o + 16:o + 16 + n]
        o += 16 + n


def lines(path):
    out = []
    for line in open(path, encoding="latin-1"):
        m = KINDS.match(line.rstrip("\n"))
        if m:
            out.append(m.group(1))
    return sorted(out)


def main():
    np, db, cap, ref = sys.argv[1:5]
    a, b = "npv%d" % (os.getpid() % 10000), "npw%d" % (os.getpid() % 10000)
    if os.geteuid() != 0 or subprocess.run(["ip", "link", "add", a, "type", "veth", "peer", "name", b],
                                           stderr=subprocess.DEVNULL).returncode:
        print("1..0 # SKIP needs root and veth")
        return 77
    try:
        for dev in (a, b):
            subprocess.run(["ip", "link", "set", dev, "up"], check=True)
            subprocess.run(["sysctl", "-q", "-w", "net.ipv6.conf.%s.disable_ipv6=1" % dev],
                           stderr=subprocess.DEVNULL)
        with tempfile.TemporaryDirectory() as tmp:
            log, err = os.path.join(tmp, "log"), os.path.join(tmp, "err")
            started = time.time()
            proc = subprocess.Popen([np, "-i", a, "-f", db, "-o", log], stdout=subprocess.DEVNULL,
                                    stderr=open(err, "w"), env=dict(os.environ, TZ="UTC"))
            deadline = time.time() + 30
            while time.time() < deadline and "link" not in open(err).read():
                time.sleep(0.05)
            check("net_af_packet0" in open(err).read(), "netprint -i starts on %s" % a)
            time.sleep(0.5)
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind((b, 0))
            sent = 0
            for f in frames(cap):
                if len(f) <= 1514:
                    s.send(f)
                    sent += 1
                    time.sleep(0.001)
            time.sleep(1)
            out = subprocess.run(["dpdk-telemetry.py", "-f", "netprint-" + a],
                                 input="/netprint/stats\n", capture_output=True, text=True,
                                 timeout=20).stdout
            stats = {}
            for line in out.splitlines():
                if line.strip().startswith("{"):
                    stats = json.loads(line).get("/netprint/stats") or {}
            check(stats.get("rx_pkts", 0) >= sent,
                  "dpdk-telemetry.py -f netprint-%s: rx_pkts %s of %d sent" % (a, stats.get("rx_pkts"), sent))
            proc.send_signal(signal.SIGTERM)
            rc = proc.wait(timeout=30)
            text = open(err).read()
            check(rc == 0, "SIGTERM stops it cleanly (exit %d)" % rc)
            m = re.search(r"packets read +(\d+)", text)
            got = int(m.group(1)) if m else 0
            check(got >= sent, "all %d frames sent were read (%d read)" % (sent, got))
            stamps = [time.mktime(time.strptime(m, "%Y/%m/%d %H:%M:%S")) - time.timezone
                      for m in re.findall(r"^\[([^]]+)\]", open(log).read() if os.path.exists(log)
                                          else "", re.M)]
            ended = time.time()
            check(stamps and all(started - 2 <= t <= ended + 2 for t in stamps),
                  "live records carry the wall-clock time of their packets (%d lines, %s .. %s)"
                  % (len(stamps), time.strftime("%H:%M:%S", time.gmtime(min(stamps or [0]))),
                     time.strftime("%H:%M:%S", time.gmtime(max(stamps or [0])))))
            want, have = lines(ref), lines(log) if os.path.exists(log) else []
            check(want and want == have, "the %d syn, syn+ack and mtu lines equal p0f's" % len(want))
            if want != have:
                for line in sorted(set(want) ^ set(have))[:10]:
                    print("# " + line)
    finally:
        subprocess.run(["ip", "link", "del", a], stderr=subprocess.DEVNULL)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
