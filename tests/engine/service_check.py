#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The systemd unit: verified by systemd, and its system call filter checked
against what netprint really calls.

  service_check.py NETPRINT UNIT DB TLS_DB CAPTURE

- `systemd-analyze verify` on UNIT (ExecStart pointed at NETPRINT, since the
  installed path need not exist here) exits 0 and prints nothing.
- The unit sandboxes what it says: NoNewPrivileges, ProtectSystem=strict,
  the capability bounding set, RestrictAddressFamilies, @system-service.
- Where strace runs: netprint as the unit runs it (-u, reload, rotation,
  a query) under strace; every system call it makes is in the unit's
  SystemCallFilter group, or fails harmlessly with the unit's
  SystemCallErrorNumber (EAL's iopl). systemd itself cannot run in a
  container without it as PID 1, so this stands in for `systemd-run`.
Each part says "# SKIP" when its tool is missing. TAP output.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402

# Called by EAL at start, outside @system-service: with SystemCallErrorNumber=EPERM
# they fail and EAL goes on (iopl: only legacy virtio ports need it).
HARMLESS = {"iopl"}


def unit_keys(text):
    keys = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith("#"):
            k, _, v = line.partition("=")
            keys.setdefault(k.strip(), []).append(v.strip())
    return keys


def syscall_groups():
    out = subprocess.run(["systemd-analyze", "syscall-filter"], capture_output=True, text=True).stdout
    groups, cur = {}, None
    for line in out.splitlines():
        if line.startswith("@"):
            cur = line.split()[0]
            groups[cur] = []
        elif cur and line.strip() and not line.strip().startswith("#"):
            groups[cur].append(line.split()[0])

    def expand(g, seen=()):
        names = set()
        for x in groups.get(g, []):
            names |= expand(x, seen + (g,)) if x.startswith("@") and x not in seen else {x}
        return names
    return expand


def traced_run(np, db, tls_db, cap, tmp):
    """netprint as the unit runs it, under strace -f: the calls it made."""
    for d in ("logs", "run", "db"):
        os.mkdir(os.path.join(tmp, d), 0o755)
    shutil.chown(os.path.join(tmp, "logs"), "nobody")
    fp, tls_fp = os.path.join(tmp, "db", "p0f.fp"), os.path.join(tmp, "db", "tls.fp")
    shutil.copy(db, fp)
    shutil.copy(tls_db, tls_fp)
    for f in (fp, tls_fp):
        os.chmod(f, 0o644)
    log, sock, err, trace = (os.path.join(tmp, "logs", "np.log"), os.path.join(tmp, "run", "np.sock"),
                             os.path.join(tmp, "err"), os.path.join(tmp, "trace"))
    errf = open(err, "w")
    env = dict(os.environ)
    if env.get("ASAN_OPTIONS"):
        env["ASAN_OPTIONS"] += ":detect_leaks=0"	# LeakSanitizer cannot run under ptrace
    # -o: one file per thread, named trace.TID; the first is netprint's own
    proc = subprocess.Popen(
        ["strace", "-f", "-qq", "-ff", "-o", trace, np, "--no-huge", "-m", "512", "--no-pci",
         "--no-shconf", "--log-level=*:error", "-l", "0-1", "--file-prefix", "npunit%d" % os.getpid(),
         "--vdev=net_pcap0,rx_pcap=%s,infinite_rx=1" % cap, "--", "-f", fp, "-f", tls_fp,
         "-u", "nobody", "-o", log, "-s", sock],
        stdout=subprocess.DEVNULL, stderr=errf, env=env)
    pid = None
    try:
        deadline = time.time() + 60
        while time.time() < deadline and "running as nobody" not in open(err).read():
            time.sleep(0.05)
        traces = sorted((int(f.rsplit(".", 1)[1]), f) for f in os.listdir(tmp) if f.startswith("trace."))
        pid = traces[0][0] if traces else None
        if pid is None or "running as nobody" not in open(err).read():
            return None, "netprint did not start under strace"
        os.kill(pid, signal.SIGHUP)
        time.sleep(0.5)
        os.rename(log, log + ".1")
        os.kill(pid, signal.SIGUSR1)
        time.sleep(0.5)
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(10)
            s.connect(sock)
            s.sendall(b'{"addr":"127.0.0.1"}\n')
            s.recv(4096)
        os.kill(pid, signal.SIGTERM)
        rc = proc.wait(timeout=60)
    except Exception as e:  # noqa: BLE001
        if pid:
            os.kill(pid, signal.SIGKILL)
        proc.wait()
        return None, "traced run failed: %s" % e
    text = open(err).read()
    if rc != 0 or "database generation 2 loaded" not in text or "np.log: reopened" not in text:
        return None, "traced run: exit %d, reload and reopen %s" % (rc, "seen" if rc == 0 else "?")
    calls = {}
    for f in os.listdir(tmp):
        if not f.startswith("trace."):
            continue
        for line in open(os.path.join(tmp, f), errors="replace"):
            m = re.match(r"([a-z_0-9]+)\(.*\)\s+=\s+(-?\d+|\?)", line)
            if m:
                calls.setdefault(m.group(1), set()).add(m.group(2) == "-1")
    return calls, None


def main():
    np, unit, db, tls_db, cap = sys.argv[1:6]
    text = open(unit).read()
    keys = unit_keys(text)
    check(keys.get("NoNewPrivileges") == ["yes"] and keys.get("ProtectSystem") == ["strict"] and
          keys.get("ProtectHome") == ["yes"] and keys.get("PrivateTmp") == ["yes"],
          "unit: NoNewPrivileges, ProtectSystem=strict, ProtectHome, PrivateTmp")
    caps = set(" ".join(keys.get("CapabilityBoundingSet", [])).split())
    check(caps == {"CAP_NET_RAW", "CAP_NET_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP",
                   "CAP_DAC_OVERRIDE", "CAP_CHOWN"},
          "unit: the bounding set is start-up's only: %s" % " ".join(sorted(caps)))
    check(set(" ".join(keys.get("RestrictAddressFamilies", [])).split()) == {"AF_UNIX", "AF_PACKET", "AF_INET"},
          "unit: RestrictAddressFamilies=AF_UNIX AF_PACKET AF_INET")
    check(keys.get("SystemCallFilter") == ["@system-service"] and
          keys.get("SystemCallErrorNumber") == ["EPERM"],
          "unit: SystemCallFilter=@system-service, other calls fail with EPERM")
    check(re.search(r"^ExecStart=\S+/netprint \$NETPRINT_EAL -u netprint .* \$NETPRINT_DB "
                    r"\$NETPRINT_OPTS$", text, re.M) and
          keys.get("EnvironmentFile") == ["-/etc/default/netprint"] and
          keys.get("ExecReload") == ["/bin/kill -HUP $MAINPID"],
          "unit: EAL arguments first, -u netprint, options from /etc/default/netprint, "
          "reload by SIGHUP")

    analyze = shutil.which("systemd-analyze")
    tmp = tempfile.mkdtemp(prefix="np-unit-")
    os.chmod(tmp, 0o755)
    try:
        if not analyze:
            check(True, "systemd-analyze verify # SKIP systemd-analyze is not installed")
        else:
            local = os.path.join(tmp, "netprint.service")
            with open(local, "w") as f:
                f.write(re.sub(r"^ExecStart=\S+", "ExecStart=" + os.path.abspath(np), text, flags=re.M))
            r = subprocess.run([analyze, "verify", "--man=no", local], capture_output=True, text=True)
            out = (r.stdout + r.stderr).strip()
            check(r.returncode == 0 and not out,
                  "systemd-analyze verify: clean (exit %d%s)" % (r.returncode, ": " + out if out else ""))
        if not analyze or not shutil.which("strace") or os.geteuid() != 0:
            check(True, "system calls within the filter # SKIP needs systemd-analyze, strace and root")
        else:
            calls, why = traced_run(np, db, tls_db, cap, tmp)
            if calls is None:
                check(False, why)
            else:
                allowed = syscall_groups()(keys["SystemCallFilter"][0])
                outside = sorted(c for c in calls if c not in allowed)
                bad = [c for c in outside if c not in HARMLESS]
                check(not bad, "all %d system calls netprint made are in %s%s" % (
                    len(calls), keys["SystemCallFilter"][0],
                    "" if not outside else " but %s (%s)" % (
                        " ".join(outside), "fail harmlessly with EPERM" if not bad else "NOT ALLOWED")))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
