# SPDX-License-Identifier: MIT
"""Helpers for the Python tests that run netprint: the capture they are
given, and stopping netprint as a service manager would."""
import os
import signal
import subprocess
import sys


def capture_path(arg, tmp):
    """A capture file as given, or, for gen:SEED:FLOWS, a random HTTP
    capture made in tmp by tests/random/gen_http_pcap.py."""
    if not arg.startswith("gen:"):
        return arg
    _, seed, flows = arg.split(":")
    gen = os.path.join(os.path.dirname(os.path.abspath(__file__)), "random", "gen_http_pcap.py")
    path = os.path.join(tmp, "gen-%s-%s.pcap" % (seed, flows))
    subprocess.run([sys.executable, gen, "--seed", seed, "--flows", flows, "-o", path],
                   check=True, stdout=subprocess.DEVNULL)
    return path


def stop(proc, timeout=30):
    """SIGTERM, then its exit status (-1 when it had to be killed)."""
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return -1
