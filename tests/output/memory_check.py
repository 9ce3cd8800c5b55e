#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Memory stays bounded whatever the number of hosts.

  memory_check.py NETPRINT DB

Generates captures of SYNs from 100 000 and from 1 000 000 distinct source
addresses, runs netprint on each with p0f's default limits (1000
connections, 10000 hosts), and prints the peak resident size of both. The
second may not exceed the first by more than 64 MiB: the tables do not grow
with the traffic. TAP output.
"""
import os
import random
import re
import resource
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402



def write_syns(path, count, seed):
    rnd = random.Random(seed)
    eth = bytes.fromhex("00163e000001" "00163e000002" "0800")
    opts = bytes.fromhex("020405b4" "0402080a") + b"\0\0\0\1\0\0\0\0" + bytes.fromhex("01030307")
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i in range(count):
            src = 0x0a000000 + i * 7 % 0x00ffffff + 1	# distinct in 10.0.0.0/8
            ip = struct.pack("!BBHHHBBHII", 0x45, 0, 40 + len(opts), i & 0xffff, 0x4000, 64, 6, 0,
                             src, 0xc0000201)
            tcp = struct.pack("!HHIIBBHHH", 1024 + i % 60000, 80, rnd.getrandbits(32), 0,
                              (20 + len(opts)) // 4 << 4, 0x02, 29200, 0, 0) + opts
            frame = eth + ip + tcp
            t = 1700000000 * 1000000 + i * 50	# 20 000 SYNs a second
            f.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(frame), len(frame)) + frame)


def peak_rss_kib(np, db, cap):
    p = subprocess.Popen([np, "-r", cap, "-f", db], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    err = p.stderr.read().decode(errors="replace")
    return (ru.ru_maxrss if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else None), err


def main():
    np, db = sys.argv[1:3]
    peaks = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in (100000, 1000000):
            cap = os.path.join(tmp, "syn-%d.pcap" % count)
            write_syns(cap, count, count)
            peak, err = peak_rss_kib(np, db, cap)
            os.unlink(cap)
            syns = re.search(r"SYN fingerprinted +(\d+)", err)
            check(peak is not None and syns and int(syns.group(1)) == count,
                  "netprint fingerprints %d SYNs from distinct sources" % count)
            if peak is None:
                print("# " + err.replace("\n", "\n# "))
                continue
            peaks[count] = peak
            print("# %7d distinct sources: peak resident size %.1f MiB" % (count, peak / 1024))
    if len(peaks) == 2:
        grow = (peaks[1000000] - peaks[100000]) / 1024
        check(grow < 64, "ten times the hosts grow the peak by %.1f MiB (< 64 MiB)" % grow)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
