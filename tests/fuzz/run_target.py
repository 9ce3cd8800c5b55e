#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""One libFuzzer target as a test of the 'fuzz' suite: every input of its
seed and regression corpora, then RUNS mutations from random seed 1, with
the flags of TARGET.options (dictionary, max_len...). Deterministic: the
same inputs in the same order every time (nothing that depends on addresses
or on the clock steers the mutations), and no timer that a busy machine
could trip (an input may take 60 s before it counts as hung). Fails only on
a finding (crash, sanitizer report, leak, hang, memory blow-up), whose input
is left in WORK/artifacts and named on stderr.

  run_target.py TARGET_EXE SOURCE_DIR SEEDS_DIR WORK_DIR RUNS

libFuzzer writes new inputs to its first corpus directory: that is an
empty directory under WORK_DIR, so nothing in the source tree changes.
"""
import configparser
import os
import re
import shutil
import subprocess
import sys


def options(src, name):
    """libFuzzer flags from NAME.options (its [libfuzzer] section, one flag a
    key, as OSS-Fuzz reads them); the dictionary is named relative to SRC."""
    cp = configparser.ConfigParser()
    cp.read(os.path.join(src, name + ".options"))
    if not cp.has_section("libfuzzer"):
        return []
    return ["-%s=%s" % (k, os.path.join(src, v) if k == "dict" else v)
            for k, v in cp.items("libfuzzer")]


def main():
    exe, src, seeds, work, runs = sys.argv[1:6]
    name = os.path.basename(exe)
    corpus = os.path.join(work, "corpus")
    artifacts = os.path.join(work, "artifacts")
    for d in (corpus, artifacts):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    # -use_cmp=0: comparison operands include pointers, which ASLR changes from
    # run to run; -reload=0: no time-driven rereading of the corpus directory
    cmd = [exe, "-seed=1", "-runs=" + runs, "-use_cmp=0", "-reload=0", "-timeout=60",
           "-rss_limit_mb=2048", "-print_final_stats=1", "-artifact_prefix=" + artifacts + "/"]
    cmd += options(src, name)
    cmd += [corpus, os.path.join(seeds, name), os.path.join(src, "regression", name)]
    env = dict(os.environ, TZ="UTC")
    # findings must stop the run whatever the caller's sanitizer options say
    env["ASAN_OPTIONS"] = "detect_leaks=1:allocator_may_return_null=0"
    env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1"
    print("$ " + " ".join(os.path.relpath(c) if os.path.isabs(c) else c for c in cmd), flush=True)
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, errors="replace")
    log = p.stdout
    found = sorted(os.listdir(artifacts))
    stats = dict(re.findall(r"^stat::(\w+):\s*(\d+)", log, re.M))
    cov = re.findall(r"cov: (\d+) ft: (\d+)", log)
    if p.returncode != 0 or found:
        # the last part of libFuzzer's output says what and where
        sys.stdout.write(log[-20000:])
        print(f"{name}: FINDING (exit {p.returncode}): {', '.join(found) or 'no artifact'} "
              f"in {artifacts}", file=sys.stderr)
        return 1
    shutil.rmtree(corpus, ignore_errors=True)
    print(f"{name}: {stats.get('number_of_executed_units', '?')} runs, "
          f"{stats.get('average_exec_per_sec', '?')} exec/s, "
          f"cov {cov[-1][0] if cov else '?'} ft {cov[-1][1] if cov else '?'}, no finding")
    return 0


if __name__ == "__main__":
    sys.exit(main())
