#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""DPDK telemetry: what dpdk-telemetry.py reads from a running netprint.

  telemetry_check.py NETPRINT DB CAPTURE P0F_LOG

netprint reads CAPTURE through net_pcap (EAL arguments before "--", its
own file prefix) and stays up for its API socket. dpdk-telemetry.py must
then read /netprint/stats and /netprint/worker,0 with: every frame of the
capture (counted here from the file), and as many SYN, SYN+ACK and HTTP
fingerprints as p0f logged for it. TAP output.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapfile import read_pcap  # noqa: E402
from tap import check, finish  # noqa: E402


def telemetry(prefix, cmds):
    """One dpdk-telemetry.py session; a dict per command, None on failure."""
    out = subprocess.run(["dpdk-telemetry.py", "-f", prefix], input="\n".join(cmds) + "\n",
                         capture_output=True, text=True, timeout=20).stdout
    answers = {}
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{"):
            answers.update(json.loads(line))
    return answers


def main():
    np, db, cap, ref = sys.argv[1:5]
    frames = len(read_pcap(cap)[2])
    log = open(ref).read()
    want = {"syn": log.count("mod=syn|"), "synack": log.count("mod=syn+ack|"),
            "http": log.count("mod=http request|") + log.count("mod=http response|")}
    prefix = "np_telemetry_%d" % os.getpid()
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen(
            [np, "--no-huge", "-m", "512", "--no-pci", "--no-shconf", "--log-level=*:error",
             "--file-prefix", prefix, "-l", "0-1", "--vdev=net_pcap0,rx_pcap=%s" % cap,
             "--", "-f", db, "-s", os.path.join(tmp, "api.sock"), "-o", os.devnull],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            stats = {}
            deadline = time.time() + 30
            while time.time() < deadline and stats.get("rx_pkts") != frames:
                time.sleep(0.2)
                stats = telemetry(prefix, ["/netprint/stats"]).get("/netprint/stats") or {}
            check(stats.get("rx_pkts") == frames,
                  "/netprint/stats: rx_pkts %s, the capture has %d frames" % (stats.get("rx_pkts"), frames))
            for k, v in want.items():
                check(stats.get(k) == v, "/netprint/stats: %s %s, p0f logged %d" % (k, stats.get(k), v))
            check(stats.get("workers") == 1 and stats.get("db_generation") == 1,
                  "/netprint/stats: 1 worker, database generation 1")
            answers = telemetry(prefix, ["/netprint/worker,0", "/ethdev/stats,0"])
            w0 = answers.get("/netprint/worker") or {}
            bad = telemetry(prefix, ["/netprint/worker,1"])
            check(bad.get("/netprint/worker") is None, "/netprint/worker,1 (no such worker): refused")
            check(all(w0.get(k) == stats.get(k) for k in ("rx_pkts", "parsed", "syn", "records"))
                  and w0.get("lcore") == 1,
                  "/netprint/worker,0: worker on lcore 1 with the totals")
            eth = answers.get("/ethdev/stats") or {}
            check(eth.get("ipackets") == frames, "/ethdev/stats,0: ipackets %s" % eth.get("ipackets"))
        finally:
            proc.terminate()
            err = proc.communicate(timeout=30)[1]
        check(proc.returncode == 0, "netprint exits 0 on SIGTERM (%s)" % proc.returncode)
        if proc.returncode:
            sys.stdout.write("".join("# " + l + "\n" for l in err.splitlines()[-5:]))
    return finish()


if __name__ == "__main__":
    sys.exit(main())
