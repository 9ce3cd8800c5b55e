#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Differential test: generate a random, seed-deterministic capture of full TCP
# conversations, mostly HTTP, with many flows open at once (gen_http_pcap.py),
# run p0f 3.09b and netprint on it with the same p0f.fp and the same -m limits,
# and compare the log lines of the chosen kinds as multisets.
#
# What p0f does with the data (HTTP or not, complete or not, in order or not)
# decides how long it tracks each connection, and so which connections its
# table limit prunes, which retransmitted SYNs are dupes and which SYN+ACKs
# still find their flow: the syn / syn+ack / mtu lines show all of that.
#
# Exit 0 when the lines are identical and p0f logged at least one of them,
# 77 (skip) when p0f is not installed, 1 otherwise.
#
# Usage: http_vs_p0f.sh NETPRINT_BIN DB_PATH SEED FLOWS WORKDIR [P0F_LIMITS]
#   P0F_LIMITS  passed to both programs as -m, e.g. 50,1000 (default: none,
#               i.e. p0f's 1000,10000)
# Environment: KINDS (mod= values to compare, '|'-separated; default
#              'syn|syn+ack|mtu'), P0F (p0f binary, default: p0f in PATH or
#              /usr/sbin/p0f), PYTHON (default: python3), GEN_OPTS (extra
#              gen_http_pcap.py options, e.g. '--hosts 500').

set -u

if [ $# -ne 5 ] && [ $# -ne 6 ]; then
    echo "usage: $0 NETPRINT_BIN DB_PATH SEED FLOWS WORKDIR [P0F_LIMITS]" >&2
    exit 1
fi

seed=$3 flows=$4 wd=$5 limits=${6:-}
kinds=${KINDS:-syn|syn+ack|mtu}
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}
tag="http seed $seed${limits:+ -m $limits}"

fail() { echo "$tag: FAIL: $*"; exit 1; }

# Absolute paths first: everything below runs inside WORKDIR.
abspath() {
    case $1 in
        /*) printf '%s\n' "$1" ;;
        */*) printf '%s/%s\n' "$(cd "$(dirname "$1")" 2>/dev/null && pwd)" "$(basename "$1")" ;;
        *) if [ -e "$1" ]; then printf '%s/%s\n' "$(pwd)" "$1"; else command -v "$1" || printf '%s\n' "$1"; fi ;;
    esac
}
np_bin=$(abspath "$1")
db=$(abspath "$2")

p0f_bin=${P0F:-}
if [ -z "$p0f_bin" ]; then
    p0f_bin=$(command -v p0f 2>/dev/null || true)
    [ -z "$p0f_bin" ] && [ -x /usr/sbin/p0f ] && p0f_bin=/usr/sbin/p0f
fi
if [ -z "$p0f_bin" ] || [ ! -x "$p0f_bin" ]; then
    echo "$tag: p0f is not installed, skipping"
    exit 77
fi
p0f_bin=$(abspath "$p0f_bin")

case $limits in
    ''|[0-9]*,[0-9]*) ;;
    *) fail "P0F_LIMITS must look like CONNS,HOSTS, not '$limits'" ;;
esac
[ -r "$db" ] || fail "cannot read $db"
[ -x "$np_bin" ] || fail "netprint binary $np_bin is not executable"
mkdir -p "$wd" || fail "cannot create $wd"
cd "$wd" || fail "cannot enter $wd"

cap=http-$seed.pcap
mopt=()
[ -n "$limits" ] && mopt=(-m "$limits")

# shellcheck disable=SC2086
"$python" "$here/gen_http_pcap.py" --seed "$seed" --flows "$flows" ${GEN_OPTS:-} -o "$cap" \
    || fail "capture generator failed"

# Both programs append to an existing log, so start from nothing.
rm -f p0f.log np.log

# p0f's HTTP Date check reads an unset tm_isdst; fix it to 0 as the
# reference logs do (tests/captures/p0f-ref/mktime_isdst0.c).
shim_src=$here/../captures/p0f-ref/mktime_isdst0.c
preload=
if [ -r "$shim_src" ] && cc -shared -fPIC -o isdst0.so "$shim_src" -ldl 2>/dev/null; then
    preload=$PWD/isdst0.so
fi

LD_PRELOAD=$preload TZ=UTC "$p0f_bin" -r "$cap" -f "$db" -o p0f.log "${mopt[@]}" >/dev/null 2>p0f.err \
    || fail "p0f exited with status $? (see $wd/p0f.err)"
TZ=UTC "$np_bin" -r "$cap" -f "$db" -o np.log "${mopt[@]}" >/dev/null 2>np.err \
    || fail "netprint exited with status $? (see $wd/np.err)"

[ -f p0f.log ] || fail "p0f wrote no log"
[ -f np.log ] || : >np.log

# Lines whose mod= is one of $kinds, exactly (no regex: "syn+ack" has a '+').
extract() {
    LC_ALL=C awk -v kinds="$kinds" '
        BEGIN { n = split(kinds, k, "|"); for (i = 1; i <= n; i++) want[k[i]] = 1 }
        /^\[[0-9][0-9][0-9][0-9]\/[0-9][0-9]\/[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]\] mod=/ {
            m = substr($0, 27); sub(/\|.*/, "", m)
            if (m in want) print
        }' "$1" | LC_ALL=C sort >"$2"
}
extract p0f.log p0f.lines
extract np.log np.lines

# Per-kind counts, in the order given in $kinds.
counts() {
    LC_ALL=C awk -v kinds="$kinds" '
        { m = substr($0, 27); sub(/\|.*/, "", m); c[m]++ }
        END { n = split(kinds, k, "|"); s = ""
              for (i = 1; i <= n; i++) s = s (i > 1 ? " " : "") k[i] "=" (c[k[i]] + 0)
              print s }' "$1"
}

n_p0f=$(wc -l <p0f.lines)
n_np=$(wc -l <np.lines)

# comm on sorted input pairs up repeated lines one by one: a multiset diff.
LC_ALL=C comm -3 p0f.lines np.lines \
    | sed -e 's/^\t/netprint only: /' -e 't' -e 's/^/p0f only:      /' >diff.txt
n_diff=$(wc -l <diff.txt)

# (p0f 3.09b says nothing when it prunes connections or hosts while reading
# a file: its "Too many ..." warnings are only printed in live mode.)
echo "$tag: p0f $n_p0f lines ($(counts p0f.lines)), netprint $n_np ($(counts np.lines)), $n_diff differ"

if [ "$n_diff" -ne 0 ]; then
    head -n 20 diff.txt
    [ "$n_diff" -gt 20 ] && echo "... ($((n_diff - 20)) more in $wd/diff.txt)"
    exit 1
fi
if [ "$n_p0f" -eq 0 ]; then
    echo "$tag: FAIL: p0f logged no $kinds lines, nothing was compared"
    exit 1
fi
exit 0
