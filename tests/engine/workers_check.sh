#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# One worker or two: each capture, split in two by the symmetric RSS hash
# (split_by_rss.py), must give the same multiset of log lines read by two
# workers under EAL (one net_pcap queue and worker lcore per half) and by
# two worker threads reading the halves directly, as the whole capture
# read by one worker (-r).
# WORKER_DEVIATIONS.tsv names the captures allowed to differ, and why.
# TAP output.
#
# Usage: workers_check.sh NETPRINT DB DEVIATIONS CAPTURE...
set -u

np=$1 db=$2 dev=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0 failed=0
# EAL without hugepages or PCI: the main lcore (logger) and two workers on 2 CPUs
eal=(--no-huge -m 256 --no-pci --no-shconf --no-telemetry --log-level='*:error'
     --lcores='0@0,1@1,2@1')

for cap in "$@"; do
    name=$(basename "$cap")
    n=$((n + 1))
    if [ "${cap#gen:}" != "$cap" ]; then	# gen:SEED:FLOWS, a random HTTP capture
        IFS=: read -r _ seed flows <<<"$cap"
        name="random HTTP seed $seed"
        python3 "$here/../random/gen_http_pcap.py" --seed "$seed" --flows "$flows" -o "$work/gen.pcap"
        cap=$work/gen.pcap
    fi
    rm -f "$work/one.log" "$work/two.log" "$work/eal.log"
    split=$(python3 "$here/split_by_rss.py" "$cap" 2 "$work/q")
    TZ=UTC "$np" -r "$cap" -f "$db" -o "$work/one.log" >/dev/null 2>"$work/one.err"
    r1=$?
    TZ=UTC "$np" -r "$work/q0.pcap" -r "$work/q1.pcap" -f "$db" -o "$work/two.log" \
        >/dev/null 2>"$work/two.err"
    r2=$?
    TZ=UTC "$np" "${eal[@]}" -- -r "$work/q0.pcap" -r "$work/q1.pcap" -f "$db" \
        -o "$work/eal.log" >/dev/null 2>"$work/eal.err"
    r3=$?
    touch "$work/one.log" "$work/two.log" "$work/eal.log"
    LC_ALL=C sort "$work/one.log" >"$work/one.sorted"
    LC_ALL=C sort "$work/two.log" >"$work/two.sorted"
    LC_ALL=C sort "$work/eal.log" >"$work/eal.sorted"
    lines=$(wc -l <"$work/one.sorted")
    why=$(awk -F'\t' -v f="$name" 'NR > 1 && $1 == f { print $2 }' "$dev")
    if [ $r1 -ne 0 ] || [ $r2 -ne 0 ] || [ $r3 -ne 0 ]; then
        echo "not ok $n - $name: netprint failed ($r1, $r2, $r3)"
        sed 's/^/# /' "$work/two.err" "$work/eal.err" | tail -5
        failed=$((failed + 1))
    elif ! cmp -s "$work/two.sorted" "$work/eal.sorted"; then
        echo "not ok $n - $name: 2 worker threads and 2 worker lcores (net_pcap) differ"
        diff "$work/two.sorted" "$work/eal.sorted" | head -10 | sed 's/^/# /'
        failed=$((failed + 1))
    elif cmp -s "$work/one.sorted" "$work/two.sorted"; then
        echo "ok $n - $name: $lines lines, the same with 2 workers, threads and lcores (frames split $split)"
    elif [ -n "$why" ]; then
        echo "ok $n - $name: differs with 2 workers, documented: $why"
    else
        echo "not ok $n - $name: 1 worker and 2 workers differ"
        diff "$work/one.sorted" "$work/two.sorted" | head -10 | sed 's/^/# /'
        failed=$((failed + 1))
    fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
