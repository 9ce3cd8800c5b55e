#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# One worker or two. The whole capture read by one thread (-r --workers 1:
# libnetprint, no ring) and shared by a reader among two workers
# (--workers 2: records cross rings in their compact form and get their
# names on the logger) must give the same log and JSON, byte for byte:
# p0f's expiry and the records' order are kept across workers
# (engine/dispatch.h). And the capture split in two by the
# symmetric RSS hash (split_by_rss.py), as two NIC queues would see it,
# must give the same multiset of log lines read by two workers under EAL
# (one net_pcap queue and worker lcore per half) and by two worker threads
# reading the halves directly, as the whole capture: there no worker sees
# the other's frames, and WORKER_DEVIATIONS.tsv names the captures where
# that is allowed to differ, and why.
# TAP output.
#
# Usage: workers_check.sh NETPRINT DB DEVIATIONS CAPTURE...
set -u

np=$1 db=$2 dev=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# EAL without hugepages or PCI: the main lcore (logger) and two workers on 2 CPUs
eal=(--no-huge -m 256 --no-pci --no-shconf --no-telemetry --log-level='*:error'
     --lcores='0@0,1@1,2@1')

# check_one N CAPTURE: the TAP line (and diagnostics) of one capture, in $work/N.tap
check_one() {
    local n=$1 cap=$2 name w=$work/$1
    name=$(basename "$cap")
    mkdir -p "$w"
    exec >"$work/$n.tap"
    if [ "${cap#gen:}" != "$cap" ]; then	# gen:SEED:FLOWS, a random HTTP capture
        IFS=: read -r _ seed flows <<<"$cap"
        name="random HTTP seed $seed"
        python3 "$here/../random/gen_http_pcap.py" --seed "$seed" --flows "$flows" -o "$w/gen.pcap"
        cap=$w/gen.pcap
    fi
    split=$(python3 "$here/split_by_rss.py" "$cap" 2 "$w/q")
    TZ=UTC "$np" -r "$cap" --workers 1 -f "$db" -o "$w/one.log" --json "$w/one.json" \
        >/dev/null 2>"$w/one.err"
    r1=$?
    TZ=UTC "$np" -r "$cap" --workers 2 -f "$db" -o "$w/shared.log" --json "$w/shared.json" \
        >/dev/null 2>"$w/shared.err"
    r0=$?
    TZ=UTC "$np" -r "$w/q0.pcap" -r "$w/q1.pcap" -f "$db" -o "$w/two.log" \
        >/dev/null 2>"$w/two.err"
    r2=$?
    TZ=UTC "$np" "${eal[@]}" --file-prefix="npw$$-$n" -- -r "$w/q0.pcap" -r "$w/q1.pcap" \
        -f "$db" -o "$w/eal.log" >/dev/null 2>"$w/eal.err"
    r3=$?
    touch "$w/one.log" "$w/one.json" "$w/shared.log" "$w/shared.json" "$w/two.log" "$w/eal.log"
    LC_ALL=C sort "$w/one.log" >"$w/one.sorted"
    LC_ALL=C sort "$w/two.log" >"$w/two.sorted"
    LC_ALL=C sort "$w/eal.log" >"$w/eal.sorted"
    lines=$(wc -l <"$w/one.sorted")
    why=$(awk -F'\t' -v f="$name" 'NR > 1 && $1 == f { print $2 }' "$dev")
    if [ $r0 -ne 0 ] || [ $r1 -ne 0 ] || [ $r2 -ne 0 ] || [ $r3 -ne 0 ]; then
        echo "not ok $n - $name: netprint failed ($r0, $r1, $r2, $r3)"
        sed 's/^/# /' "$w/shared.err" "$w/two.err" "$w/eal.err" | tail -5
    elif ! grep -q '^netprint: 2 workers$' "$w/shared.err"; then
        echo "not ok $n - $name: --workers 2 did not run two workers"
        sed 's/^/# /' "$w/shared.err" | tail -5
    elif ! cmp -s "$w/one.log" "$w/shared.log"; then
        echo "not ok $n - $name: one thread and the file shared by 2 workers differ"
        diff "$w/one.log" "$w/shared.log" | head -10 | sed 's/^/# /'
    elif ! cmp -s "$w/one.json" "$w/shared.json"; then
        echo "not ok $n - $name: one thread's JSON and the 2 workers' differ"
        diff "$w/one.json" "$w/shared.json" | head -4 | cut -c1-300 | sed 's/^/# /'
    elif ! grep -q '^netprint: 1 worker$' "$w/one.err"; then
        echo "not ok $n - $name: --workers 1 did not run one worker"
    elif ! cmp -s "$w/two.sorted" "$w/eal.sorted"; then
        echo "not ok $n - $name: 2 worker threads and 2 worker lcores (net_pcap) differ"
        diff "$w/two.sorted" "$w/eal.sorted" | head -10 | sed 's/^/# /'
    elif cmp -s "$w/one.sorted" "$w/two.sorted"; then
        echo "ok $n - $name: $lines lines, the same with 2 workers: shared file, byte for byte; split threads and lcores (frames split $split)"
    elif [ -n "$why" ]; then
        echo "ok $n - $name: the same with 2 workers sharing the file, byte for byte; split in two, differs, documented: $why"
    else
        echo "not ok $n - $name: 1 worker and 2 workers differ"
        diff "$w/one.sorted" "$w/two.sorted" | head -10 | sed 's/^/# /'
    fi
    rm -rf "$w"
}

# Two captures at a time (each its own files and EAL prefix); TAP in order.
n=0
for cap in "$@"; do
    n=$((n + 1))
    [ "$(jobs -rp | wc -l)" -ge 2 ] && wait -n
    check_one "$n" "$cap" &
done
wait
failed=0
for i in $(seq "$n"); do
    cat "$work/$i.tap" 2>/dev/null || echo "not ok $i - no result"
    grep -q "^ok " "$work/$i.tap" 2>/dev/null || failed=$((failed + 1))
done
echo "1..$n"
[ "$failed" -eq 0 ]
