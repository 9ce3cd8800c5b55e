#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Differential test: generate a random, seed-deterministic capture of TCP
# handshakes (gen_syn_pcap.py), run p0f 3.09b and netprint on it with the same
# p0f.fp, and compare the syn / syn+ack / mtu log lines as multisets.
# Exit 0 when they are identical and p0f logged at least one such line,
# 77 (skip) when p0f is not installed, 1 otherwise.
#
# Usage: random_vs_p0f.sh NETPRINT_BIN DB_PATH SEED FLOWS WORKDIR
# Environment: P0F (p0f binary, default: p0f in PATH or /usr/sbin/p0f),
#              PYTHON (default: python3).

set -u

if [ $# -ne 5 ]; then
    echo "usage: $0 NETPRINT_BIN DB_PATH SEED FLOWS WORKDIR" >&2
    exit 1
fi

np_bin=$1 db=$2 seed=$3 flows=$4 wd=$5
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}

p0f_bin=${P0F:-}
if [ -z "$p0f_bin" ]; then
    p0f_bin=$(command -v p0f 2>/dev/null || true)
    [ -z "$p0f_bin" ] && [ -x /usr/sbin/p0f ] && p0f_bin=/usr/sbin/p0f
fi
if [ -z "$p0f_bin" ] || [ ! -x "$p0f_bin" ]; then
    echo "random seed $seed: p0f is not installed, skipping"
    exit 77
fi

fail() { echo "random seed $seed: FAIL: $*"; exit 1; }

[ -r "$db" ] || fail "cannot read $db"
[ -x "$np_bin" ] || fail "netprint binary $np_bin is not executable"
mkdir -p "$wd" || fail "cannot create $wd"

cap=$wd/random-$seed.pcap
p0f_log=$wd/p0f.log
np_log=$wd/np.log
p0f_lines=$wd/p0f.lines
np_lines=$wd/np.lines
diff_out=$wd/diff.txt

"$python" "$here/gen_syn_pcap.py" --seed "$seed" --flows "$flows" --db "$db" -o "$cap" \
    || fail "capture generator failed"

# Both programs append to an existing log, so start from nothing.
rm -f "$p0f_log" "$np_log"

TZ=UTC "$p0f_bin" -r "$cap" -f "$db" -o "$p0f_log" >/dev/null 2>"$wd/p0f.err" \
    || fail "p0f exited with status $? (see $wd/p0f.err)"
TZ=UTC "$np_bin" -r "$cap" -f "$db" -o "$np_log" >/dev/null 2>"$wd/np.err" \
    || fail "netprint exited with status $? (see $wd/np.err)"

[ -f "$p0f_log" ] || fail "p0f wrote no log"
[ -f "$np_log" ] || : >"$np_log"

extract() {
    grep -aE '^\[[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\] mod=(syn|syn\+ack|mtu)\|' "$1" \
        | LC_ALL=C sort >"$2"
}
extract "$p0f_log" "$p0f_lines"
extract "$np_log" "$np_lines"

n_p0f=$(wc -l <"$p0f_lines")
n_np=$(wc -l <"$np_lines")

# comm on sorted input pairs up repeated lines one by one: a multiset diff.
LC_ALL=C comm -3 "$p0f_lines" "$np_lines" \
    | sed -e 's/^\t/netprint only: /' -e 't' -e 's/^/p0f only:      /' >"$diff_out"
n_diff=$(wc -l <"$diff_out")

echo "random seed $seed: $n_p0f p0f lines, $n_np netprint lines, $n_diff differ"

if [ "$n_diff" -ne 0 ]; then
    head -n 20 "$diff_out"
    [ "$n_diff" -gt 20 ] && echo "... ($((n_diff - 20)) more in $diff_out)"
    exit 1
fi
if [ "$n_p0f" -eq 0 ]; then
    echo "random seed $seed: FAIL: p0f logged no syn/syn+ack/mtu lines, nothing was compared"
    exit 1
fi
exit 0
