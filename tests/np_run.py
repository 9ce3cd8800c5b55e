# SPDX-License-Identifier: MIT
"""Helpers for the Python tests that run netprint: the capture they are
given, waiting for what it does, and stopping it as a service manager
would."""
import os
import signal
import subprocess
import sys
import time


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


def until(cond, timeout=60, step=0.1):
    """Call cond() every step seconds until it returns something true: that
    value, or, when timeout seconds have gone, what one more call returns."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = cond()
        if got:
            return got
        time.sleep(step)
    return cond()


def stop(proc, timeout=30):
    """SIGTERM, then its exit status (-1 when it had to be killed)."""
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return -1
