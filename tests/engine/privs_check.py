#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Running as a service: privileges dropped, reload and log rotation after it.

  privs_check.py NETPRINT DB TLS_DB CAPTURE

Needs root (to have something to drop) and the user "nobody"; skipped
otherwise. Checks, in TAP:

- EAL with net_pcap replaying CAPTURE endlessly (infinite_rx), -u nobody
  -c EMPTY_DIR -s SOCK -o LOG --json JSON: /proc shows every thread with
  nobody's uid and gid, no supplementary group, no capability (effective,
  permitted, inheritable, ambient, bounding), NoNewPrivs, its root in the
  empty directory. While dropped it writes its outputs, answers JSON
  queries, reloads the databases (SIGHUP and the API's reload command:
  new generations; a file nobody may not read refused with the old
  generation kept; a file replaced by rename is read anew).
- Log rotation under that traffic: the outputs renamed, SIGUSR1, new files
  fill; once with the directory closed to nobody (the reopen fails, writing
  goes on to the renamed files). After SIGTERM, the lines of all the files
  together equal the "records written" counter, for the log and for JSON:
  nothing lost, nothing twice, no line cut.
- A capture read directly (-r, one worker thread created after the drop)
  gives the same log as without -u, stays up answering queries, and
  reopens its log on SIGUSR1 there too.
- Without -u, started as root: no capability in the main thread; -u needs
  root; -c needs -u; -u root and unknown users refused; a set-uid or
  set-gid copy of netprint run by nobody refuses to start.
"""
import grp
import json
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from np_run import until  # noqa: E402
from tap import check, finish  # noqa: E402

def chroot_env():
    """LeakSanitizer lists threads in /proc, which a chroot hides: off there."""
    env = dict(os.environ)
    if env.get("ASAN_OPTIONS"):
        env["ASAN_OPTIONS"] += ":detect_leaks=0"
    return env


EAL = ["--no-huge", "-m", "512", "--no-pci", "--no-shconf", "--log-level=*:error", "-l", "0-1",
       "--file-prefix", "npprivs%d" % os.getpid()]


def wait_for(fn, timeout=20.0):
    return until(fn, timeout, step=0.01)


def count(path, pattern):
    try:
        return len(re.findall(pattern, open(path, errors="replace").read()))
    except FileNotFoundError:
        return 0


def status(pid, task=None):
    path = "/proc/%d/status" % pid if task is None else "/proc/%d/task/%s/status" % (pid, task)
    out = {}
    for line in open(path):
        k, _, v = line.partition(":")
        out[k] = v.split()
    return out


def lines(path):
    with open(path, "rb") as f:
        data = f.read()
    return data.count(b"\n"), (not data or data.endswith(b"\n"))


def counter(text, name):
    m = re.search(r"netprint:   %s +(\d+)" % re.escape(name), text)
    return int(m.group(1)) if m else -1


def api_ask(sock_path, obj):
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(10)
        s.connect(sock_path)
        f = s.makefile("rwb")
        f.write(json.dumps(obj).encode() + b"\n")
        f.flush()
        return json.loads(f.readline())


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return -1


def check_dropped(pid, nobody, nogroup, root_dir, what):
    st = status(pid)
    check(st["Uid"] == [str(nobody)] * 4 and st["Gid"] == [str(nogroup)] * 4,
          "%s: Uid and Gid are nobody's, real, effective, saved and fs (%s / %s)"
          % (what, " ".join(st["Uid"]), " ".join(st["Gid"])))
    check(st.get("Groups", []) == [], "%s: no supplementary group (%s)" % (what, st.get("Groups")))
    caps = {k: st[k][0] for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")}
    check(all(int(v, 16) == 0 for v in caps.values()),
          "%s: no capability: %s" % (what, " ".join("%s=%s" % kv for kv in caps.items())))
    check(st["NoNewPrivs"] == ["1"], "%s: NoNewPrivs: 1" % what)
    bad = []
    tasks = os.listdir("/proc/%d/task" % pid)
    for t in tasks:
        ts = status(pid, t)
        if (ts["Uid"] != [str(nobody)] * 4 or int(ts["CapPrm"][0], 16) or int(ts["CapEff"][0], 16)
                or int(ts["CapBnd"][0], 16) or ts["NoNewPrivs"] != ["1"]):
            bad.append("%s(%s)" % (t, " ".join(ts["Name"])))
    check(not bad, "%s: each of its %d threads too (%s)" % (what, len(tasks), " ".join(bad) or "all"))
    if root_dir:
        root = os.readlink("/proc/%d/root" % pid)
        check(os.path.realpath(root) == os.path.realpath(root_dir),
              "%s: its root is the -c directory (%s)" % (what, root))


def eal_run(np, db, tls_db, cap, tmp, nobody, nogroup):
    empty = os.path.join(tmp, "empty")
    dbdir = os.path.join(tmp, "db")
    logs = os.path.join(tmp, "logs")
    run = os.path.join(tmp, "run")
    for d in (empty, dbdir, logs, run):
        os.mkdir(d, 0o755)
    os.chown(logs, nobody, nogroup)	# the service's log directory is its user's
    fp, tls_fp = os.path.join(dbdir, "p0f.fp"), os.path.join(dbdir, "tls.fp")
    shutil.copy(db, fp)
    shutil.copy(tls_db, tls_fp)
    os.chmod(fp, 0o644)
    os.chmod(tls_fp, 0o644)
    sock, log, js, err = (os.path.join(run, "np.sock"), os.path.join(logs, "np.log"),
                          os.path.join(logs, "np.json"), os.path.join(tmp, "eal.err"))
    errf = open(err, "w")
    proc = subprocess.Popen(
        [np] + EAL + ["--vdev=net_pcap0,rx_pcap=%s,infinite_rx=1" % cap, "--",
                      "-f", fp, "-f", tls_fp, "-s", sock, "-o", log, "--json", js,
                      "-u", "nobody", "-c", empty],
        stdout=subprocess.DEVNULL, stderr=errf, env=chroot_env())
    rc = None
    rotated = []
    try:
        if not check(wait_for(lambda: count(err, r"running as nobody")) and
                     wait_for(lambda: os.path.exists(log) and os.path.getsize(log) > 0),
                     "EAL, -u nobody -c EMPTY: netprint starts and writes its log"):
            return
        check_dropped(proc.pid, nobody, nogroup, empty, "EAL run")
        size = os.path.getsize(log)
        check(wait_for(lambda: os.path.getsize(log) > size, 5), "still writing its log once dropped")

        # the query API, as JSON lines
        m = re.search(r"\|cli=([^|/]+)/", open(log, errors="replace").read(4096))
        ans = api_ask(sock, {"addr": m.group(1)}) if m else {}
        check(ans.get("status") == "ok" and ans.get("addr") == m.group(1),
              "answers a JSON query once dropped (%s: %s)" % (m and m.group(1), ans.get("status")))

        # reloads, as nobody in the chroot
        proc.send_signal(signal.SIGHUP)
        check(wait_for(lambda: count(err, r"database generation 2 loaded")),
              "SIGHUP: database generation 2 loaded")
        ans = api_ask(sock, {"cmd": "reload"})
        check(ans.get("reload") == "requested" and
              wait_for(lambda: count(err, r"database generation 3 loaded")),
              "the API's reload command: database generation 3 loaded")
        os.chmod(fp, 0o600)
        proc.send_signal(signal.SIGHUP)
        check(wait_for(lambda: count(err, r"reload failed, keeping database generation 3: "
                                          r"[^\n]*p0f\.fp: cannot open: Permission denied")),
              "a database nobody may not read: reload failed, generation 3 kept")
        # replaced by rename, as editors and packages do: the new file is read
        text = open(db, "rb").read()
        extra = b"\n[tcp:request]\nlabel = s:unix:Privcheck:1\nsig = *:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\n"
        with open(fp + ".new", "wb") as f:
            f.write(text + extra)
        os.chmod(fp + ".new", 0o644)
        os.rename(fp + ".new", fp)
        proc.send_signal(signal.SIGHUP)
        loaded = r"database generation (\d+) loaded from [^\n]*\((\d+) signatures\)"
        wait_for(lambda: len(re.findall(loaded, open(err).read())) >= 3)
        m2 = re.findall(loaded, open(err).read())
        sigs = [int(s) for _, s in m2]
        check(len(m2) == 3 and m2[-1][0] == "4" and sigs[-1] == sigs[0] + 1,
              "a database replaced by rename is read anew: generation 4, %s signatures" % sigs)

        # rotation under traffic
        for n in range(1, 4):
            if n == 2:
                os.chown(logs, 0, 0)	# nobody may not create the new files
            log_n, js_n = "%s.%d" % (log, n), "%s.%d" % (js, n)
            os.rename(log, log_n)
            os.rename(js, js_n)
            rotated += [log_n, js_n]
            before = count(err, r"reopened|cannot reopen")
            proc.send_signal(signal.SIGUSR1)
            ok = wait_for(lambda: count(err, r"reopened|cannot reopen") >= before + 2)
            if n == 2:
                check(ok and count(err, r"np\.log: cannot reopen, still writing to the file opened before") == 1
                      and not os.path.exists(log),
                      "rotation 2, directory closed to nobody: reopen refused, writing goes on")
                size = os.path.getsize(log_n)
                check(wait_for(lambda: os.path.getsize(log_n) > size, 5),
                      "rotation 2: records keep arriving in the renamed file")
                os.chown(logs, nobody, nogroup)
                proc.send_signal(signal.SIGUSR1)	# the directory fixed: asked again
                check(wait_for(lambda: count(err, r"reopened") >= 4 and os.path.exists(log) and
                               os.path.getsize(log) > 0),
                      "rotation 2, directory open again, SIGUSR1: records arrive in new files")
            else:
                check(ok and wait_for(lambda: os.path.exists(log) and os.path.getsize(log) > 0 and
                                      os.path.exists(js) and os.path.getsize(js) > 0, 5),
                      "rotation %d: SIGUSR1, records arrive in new files" % n)
                st = os.stat(log)
                check(st.st_uid == nobody and stat.S_IMODE(st.st_mode) == 0o600,
                      "rotation %d: the new log is nobody's, 0600" % n)
    finally:
        rc = stop(proc)
    text = open(err, errors="replace").read()
    check(rc == 0, "EAL run: SIGTERM stops it cleanly (exit %s)" % rc)
    written = counter(text, "records written")
    log_lines = json_lines = 0
    whole = True
    for path in rotated + [log, js]:
        if not os.path.exists(path):
            continue
        n, ends = lines(path)
        whole &= ends
        if ".json" in path:
            json_lines += n
        else:
            log_lines += n
    check(whole, "no file ends inside a line")
    check(written > 0 and log_lines == written,
          "log: %d lines in %d files = %d records written: none lost or twice"
          % (log_lines, len(rotated) // 2 + 1, written))
    check(written > 0 and json_lines == written,
          "JSON: %d lines = %d records written" % (json_lines, written))
    for path in rotated:
        if ".log" in path:
            check(lines(path)[0] > 0, "%s holds records" % os.path.basename(path))


def direct_run(np, db, cap, tmp, nobody, nogroup):
    ref, log = os.path.join(tmp, "ref.log"), os.path.join(tmp, "logs", "direct.log")
    subprocess.run([np, "-r", cap, "-f", db, "-o", ref], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    empty, sock, err = (os.path.join(tmp, "empty"), os.path.join(tmp, "run", "direct.sock"),
                        os.path.join(tmp, "direct.err"))
    errf = open(err, "w")
    proc = subprocess.Popen([np, "-r", cap, "-f", db, "-o", log, "-s", sock, "-u", "nobody",
                             "-c", empty], stdout=subprocess.DEVNULL, stderr=errf,
                            env=chroot_env())
    try:
        up = wait_for(lambda: count(err, r"answering queries"))
        check(up, "-r, -u nobody -c EMPTY: the capture is read, netprint stays up answering")
        if up:
            check_dropped(proc.pid, nobody, nogroup, empty, "-r run")
            check(open(log, "rb").read() == open(ref, "rb").read(),
                  "-r run: the log equals the one of a run without -u")
            m = re.search(r"\|cli=([^|/]+)/", open(log).read(4096))
            ans = api_ask(sock, {"addr": m.group(1)}) if m else {}
            check(ans.get("status") == "ok", "-r run: answers queries after the capture")
            os.rename(log, log + ".1")
            proc.send_signal(signal.SIGUSR1)
            check(wait_for(lambda: count(err, r"direct\.log: reopened")) and os.path.exists(log),
                  "-r run: SIGUSR1 after the capture reopens the log")
            proc.send_signal(signal.SIGHUP)
            check(wait_for(lambda: count(err, r"database generation 2 loaded")),
                  "-r run: SIGHUP after the capture: generation 2")
    finally:
        rc = stop(proc)
    check(rc == 0, "-r run: exit 0 (%s)" % rc)
    # without a chroot, a sanitizer build checks for leaks at exit, as nobody
    r = subprocess.run([np, "-r", cap, "-f", db, "-o", log + ".nochroot", "-u", "nobody"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
    check(r.returncode == 0 and open(log + ".nochroot", "rb").read() == open(ref, "rb").read(),
          "-r, -u nobody without -c: exit 0, the same log (%d)" % r.returncode)


def refusals(np, db, cap, tmp, nobody, nogroup):
    def run(args, **kw):
        return subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              timeout=60, **kw)

    # without -u, as root: the capabilities go all the same
    err = os.path.join(tmp, "root.err")
    with open(err, "w") as errf:
        proc = subprocess.Popen([np, "-r", cap, "-f", db, "-s", os.path.join(tmp, "run", "root.sock")],
                                stdout=subprocess.DEVNULL, stderr=errf)
    try:
        if wait_for(lambda: count(err, r"answering queries")):
            st = status(proc.pid)
            check(st["Uid"][1] == "0" and int(st["CapEff"][0], 16) == 0 and
                  int(st["CapPrm"][0], 16) == 0 and int(st["CapBnd"][0], 16) == 0 and
                  st["NoNewPrivs"] == ["1"],
                  "without -u, as root: no capability left, NoNewPrivs (CapEff %s CapBnd %s)"
                  % (st["CapEff"][0], st["CapBnd"][0]))
        else:
            check(False, "without -u, as root: netprint starts")
    finally:
        stop(proc)

    def as_nobody():
        os.setgroups([])
        os.setgid(nogroup)
        os.setuid(nobody)

    r = run([np, "-r", cap, "-f", db, "-u", "nobody"], preexec_fn=as_nobody)
    check(r.returncode != 0 and b"switching users needs root" in r.stderr,
          "-u started by nobody: needs root")
    r = run([np, "-r", cap, "-f", db, "-c", os.path.join(tmp, "empty")])
    check(r.returncode == 2 and b"-c needs -u" in r.stderr, "-c without -u refused")
    r = run([np, "-r", cap, "-f", db, "-u", "root"])
    check(r.returncode != 0 and b"must not have uid 0" in r.stderr, "-u root refused")
    r = run([np, "-r", cap, "-f", db, "-u", "no-such-user-np"])
    check(r.returncode != 0 and b"no such user" in r.stderr, "-u of an unknown user refused")
    r = run([np, "-r", cap, "-f", db, "-u", "nobody", "-c", "/"])
    check(r.returncode != 0 and b"shows /proc or /sys" in r.stderr, "-c / refused (it shows /proc)")

    # set-uid and set-gid copies, run by nobody (a set-uid root program run by
    # root changes no id: the kernel would not call it secure)
    sdir = os.path.join(tmp, "setid")
    os.mkdir(sdir, 0o755)
    if os.statvfs(sdir).f_flag & os.ST_NOSUID:
        print("# SKIP set-id copies: %s is mounted nosuid" % sdir)
        return
    shutil.copy(cap, os.path.join(sdir, "c.pcap"))
    shutil.copy(db, os.path.join(sdir, "p0f.fp"))
    for mode, what in ((0o4755, "set-uid"), (0o2755, "set-gid")):
        copy = os.path.join(sdir, "netprint-" + what)
        shutil.copy(np, copy)
        os.chown(copy, 0, 0)
        os.chmod(copy, mode)
        r = run([copy, "-r", os.path.join(sdir, "c.pcap"), "-f", os.path.join(sdir, "p0f.fp")],
                preexec_fn=as_nobody)
        check(r.returncode == 1 and b"refusing to run set-user-ID, set-group-ID" in r.stderr,
              "a %s root copy run by nobody refuses to start (exit %d)" % (what, r.returncode))


def main():
    np, db, tls_db, cap = sys.argv[1:5]
    try:
        pw = pwd.getpwnam("nobody")
    except KeyError:
        pw = None
    if os.geteuid() != 0 or pw is None:
        print("1..0 # SKIP needs root and the user nobody")
        return 0
    nobody, nogroup = pw.pw_uid, pw.pw_gid
    print("# nobody: uid %d, gid %d (%s)" % (nobody, nogroup, grp.getgrgid(nogroup).gr_name))
    tmp = tempfile.mkdtemp(prefix="np-privs-")
    os.chmod(tmp, 0o755)	# nobody walks into it to reopen files by name
    try:
        eal_run(np, db, tls_db, cap, tmp, nobody, nogroup)
        direct_run(np, db, cap, tmp, nobody, nogroup)
        refusals(np, db, cap, tmp, nobody, nogroup)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
