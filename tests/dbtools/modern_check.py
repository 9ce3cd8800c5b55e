#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""db/modern.fp: p0f.fp's lines, unchanged and in order, plus additions that
each name their source; p0f 3.09b loads all of it; on every bundled capture
it changes p0f's log and netprint's log alike (the lines it adds and takes
away, as multisets, are the same for both programs); it names no host
against its own User-Agent where p0f.fp does not; and it is what
scripts/modern-db measures it to be.

  modern_check.py NETPRINT SOURCE_ROOT [--no-rebuild]

p0f's part is skipped (and said) when p0f is not installed.
"""
import collections
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from tap import check, finish  # noqa: E402

KINDS = re.compile(r"\] mod=(syn|syn\+ack|mtu|http request|http response)\|")


def p0f_binary():
    return shutil.which("p0f") or ("/usr/sbin/p0f" if os.path.exists("/usr/sbin/p0f") else None)


def norm(line):
    return re.sub(r"\s*=\s*", " = ", line.strip(), count=1)


def read_lines(path):
    """(section, line, comment of its additions block or None) of every
    label / sys / sig line, in order. An additions block starts at its
    marker and ends at the first comment that names no source."""
    out, section, inside, source = [], None, False, None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            s = raw.strip()
            if s.startswith("["):
                section, inside = s, False
            elif s.startswith("; ---- additions"):
                inside, source = True, None
            elif s.startswith(";"):
                if inside and s.startswith("; from "):
                    source = s
                elif inside:
                    inside = False
            elif s and not s.startswith("classes"):
                out.append((section, norm(s), source if inside else None))
    return out


def log_lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return collections.Counter(ln for ln in f if KINDS.search(ln))


def run_both(netprint, p0f, shim, db, cap, out):
    env = dict(os.environ, TZ="UTC")
    np_log, p0f_log = out + ".np", out + ".p0f"
    a = subprocess.run([netprint, "-r", cap, "-f", db, "-o", np_log], env=env,
                       capture_output=True, timeout=300)
    b = None
    if p0f:
        penv = dict(env, LD_PRELOAD=shim) if shim else env
        b = subprocess.run([p0f, "-r", cap, "-f", db, "-o", p0f_log], env=penv,
                           capture_output=True, timeout=300)
    return a.returncode, (b.returncode if b else None), np_log, p0f_log


def main():
    netprint, root = sys.argv[1:3]
    rebuild = "--no-rebuild" not in sys.argv
    fp, modern, tls = (os.path.join(root, "db", n) for n in ("p0f.fp", "modern.fp", "tls.fp"))
    captures_dir = os.path.join(root, "tests", "captures")
    captures = sorted(os.path.join(captures_dir, n) for n in os.listdir(captures_dir)
                      if n.endswith((".pcap", ".pcapng")))
    tmp = tempfile.mkdtemp(prefix="np-modern-")

    # The grammar: p0f's lines, then additions with their sources.
    base = [(sec, ln) for sec, ln, _ in read_lines(fp)]
    mod = read_lines(modern)
    kept = [(sec, ln) for sec, ln, src in mod if src is None]
    added = [(sec, ln, src) for sec, ln, src in mod if src is not None]
    check(kept == base, "modern.fp holds every line of p0f.fp, unchanged and in order "
          "(%d lines), and %d added lines after a source" % (len(base), len(added)))
    check(any(ln.startswith("sig ") for _, ln, _ in added), "modern.fp adds signatures")
    with open(os.path.join(root, "db", "forks", "README.md"), encoding="utf-8") as f:
        readme = f.read()

    def sourced(c):
        """forks@commit of db/forks/README.md, or netprint learn and the
        bundled captures it learned from."""
        m = re.match(r"; from netprint learn on the bundled captures \((.*?)\);", c)
        if m:
            caps = [x.split()[0] for x in m.group(1).split(", ")]
            return len(caps) >= 2 and all(os.path.exists(os.path.join(captures_dir, x))
                                          for x in caps)
        forks = re.findall(r"([\w.-]+/[\w.-]+)@([0-9a-f]{12})", c)
        return bool(forks) and all(re.search(re.escape(r) + r".*" + h, readme) for r, h in forks)
    sources = sorted({src for _, _, src in added})
    unsourced = [c for c in sources if not sourced(c)]
    check(not unsourced, "every addition names its source: forks and commits of "
          "db/forks/README.md, or the captures it was learned from %s" % unsourced[:2])
    check(any("netprint learn" in c for c in sources) and any("@" in c for c in sources),
          "modern.fp has lines from the forks and from netprint learn")

    # Loaded by p0f 3.09b (its sections) and netprint.
    p0f = p0f_binary()
    shim = None
    if p0f:
        src = os.path.join(captures_dir, "p0f-ref", "mktime_isdst0.c")
        shim = os.path.join(tmp, "mktime_isdst0.so")
        if subprocess.run(["cc", "-shared", "-fPIC", "-o", shim, src, "-ldl"]).returncode:
            shim = None
        p = subprocess.run([p0f, "-r", captures[0], "-f", modern, "-o", os.path.join(tmp, "l")],
                           capture_output=True, text=True, timeout=120)
        m = re.search(r"Loaded (\d+) signatures", p.stdout + p.stderr)
        n_sigs = sum(1 for _, ln, _ in mod if ln.startswith("sig "))
        check(p.returncode == 0 and m and int(m.group(1)) == n_sigs,
              "p0f 3.09b loads modern.fp: %s of %d signatures" % (m and m.group(1), n_sigs))
    else:
        print("# p0f is not installed: its checks are skipped")

    # Every capture: what modern.fp changes, p0f and netprint change alike.
    jobs = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        for i, cap in enumerate(captures):
            for tag, db in (("p0f", fp), ("modern", modern)):
                jobs.append((cap, tag, ex.submit(run_both, netprint, p0f, shim, db, cap,
                                                 os.path.join(tmp, "%d.%s" % (i, tag)))))
    results = collections.defaultdict(dict)
    bad_runs = []
    for cap, tag, fut in jobs:
        rc_np, rc_p0f, np_log, p0f_log = fut.result()
        if rc_np not in (0, 3) or (rc_p0f not in (None, 0)):
            bad_runs.append((os.path.basename(cap), tag, rc_np, rc_p0f))
        results[cap][tag] = (log_lines(np_log) if os.path.exists(np_log) else None,
                             log_lines(p0f_log) if p0f and os.path.exists(p0f_log) else None)
    check(not bad_runs, "netprint and p0f read every capture with both databases %s"
          % bad_runs[:3])
    differ, changed_np, changed_lines = [], 0, 0
    for cap, r in results.items():
        (np_a, p0f_a), (np_b, p0f_b) = r["p0f"], r["modern"]
        if np_a is None or np_b is None:
            continue
        d_np = (np_b - np_a, np_a - np_b)
        changed_np += bool(d_np[0] or d_np[1])
        changed_lines += sum(d_np[0].values())
        if p0f and p0f_a is not None and p0f_b is not None:
            d_p0f = (p0f_b - p0f_a, p0f_a - p0f_b)
            if d_p0f != d_np:
                differ.append(os.path.basename(cap))
    check(changed_np > 0, "modern.fp changes netprint's log on %d captures (%d lines)"
          % (changed_np, changed_lines))
    if p0f:
        check(not differ, "on every capture, modern.fp changes p0f's log as it changes "
              "netprint's %s" % differ[:5])

    # No wrong answer p0f.fp does not give.
    p = subprocess.run([netprint, "report", "--json", "--db", fp + "," + tls,
                        "--db", modern + "," + tls] + captures, capture_output=True, text=True,
                       timeout=600)
    rep = json.loads(p.stdout) if p.returncode == 0 else None
    check(rep is not None, "netprint report reads the captures with both")
    if rep:
        def wrong(col):
            return {(a["capture"], a["host"], a["kind"], a["label"]) for a in col["answers"]
                    if a["verdict"] == "wrong"}
        old, new = rep["databases"]
        check(not (wrong(new) - wrong(old)), "modern.fp names no host against its User-Agent "
              "where p0f.fp does not %s" % sorted(wrong(new) - wrong(old))[:3])
        un_old, un_new = old["kinds"]["syn+ack"]["unnamed"], new["kinds"]["syn+ack"]["unnamed"]
        check(un_new < un_old, "modern.fp names SYN+ACKs p0f.fp leaves unnamed (%d -> %d)"
              % (un_old, un_new))

    if rebuild:
        p = subprocess.run([os.path.join(root, "scripts", "modern-db"), "--netprint", netprint,
                            "--check"], capture_output=True, text=True, timeout=1800)
        check(p.returncode == 0, "modern.fp is what scripts/modern-db measures: %s"
              % (p.stdout + p.stderr).strip().splitlines()[-1:])
    shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
