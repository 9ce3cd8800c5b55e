#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Capture file shapes netprint -r reads: pcapng and big-endian nanosecond
# files must give p0f's reference log of the original capture; a file
# whose records outgrow its snapshot length (read by libpcap from the first
# such record on) and a file cut in the middle of a frame must give what
# p0f 3.09b itself logs on them; a damaged capture (cut short, impossible
# record length) ends with exit status 3. TAP output.
#
# Usage: formats_check.sh NETPRINT DB CAPTURE REFERENCE_LOG
set -u

np=$1 db=$2 cap=$3 ref=$4
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0 failed=0

check() {	# check DESCRIPTION COMMAND...
    local desc=$1; shift
    n=$((n + 1))
    if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; failed=$((failed + 1)); fi
}

np_log() {	# np_log CAPTURE LOG: netprint's log of a capture, p0f's record kinds;
    # its exit status in LOG.rc, and the status of the call: 0 if it was 0
    rm -f "$2" "$2.all"
    TZ=UTC "$np" -r "$1" -f "$db" -o "$2.all" >/dev/null 2>"$2.err"
    local rc=$?
    echo $rc >"$2.rc"
    touch "$2.all"
    { grep -v '\] mod=tls \(client\|server\)|' "$2.all" >"$2" || true; }
    return $rc
}

same() {	# same A B: identical files, else the first differences
    cmp -s "$1" "$2" && [ -s "$1" ] && return 0
    diff "$1" "$2" | head -6 | sed 's/^/# /'
    return 1
}

for mode in pcapng be-nsec; do
    python3 "$here/rewrite_pcap.py" "$mode" "$cap" "$work/$mode.cap"
    check "$mode: netprint's log equals p0f's reference log of the original" \
        sh -c "$(declare -f np_log same); np=$np db=$db; np_log $work/$mode.cap $work/$mode.log && same $work/$mode.log $ref"
done

p0f_bin=$(command -v p0f || echo /usr/sbin/p0f)
if [ ! -x "$p0f_bin" ]; then
    echo "1..$n # p0f not installed: the live comparisons are skipped"
    [ "$failed" -eq 0 ]; exit
fi
# p0f's HTTP Date check reads an unset tm_isdst; 0, as for the reference logs
cc -shared -fPIC -o "$work/isdst0.so" "$here/../captures/p0f-ref/mktime_isdst0.c" -ldl
p0f_log() {
    rm -f "$2"
    TZ=UTC LD_PRELOAD="$work/isdst0.so" "$p0f_bin" -r "$1" -f "$db" -o "$2" >/dev/null 2>&1
    touch "$2"
}

python3 "$here/rewrite_pcap.py" snaplen 600 "$cap" "$work/snap.pcap"
np_log "$work/snap.pcap" "$work/snap.np"
p0f_log "$work/snap.pcap" "$work/snap.p0f"
check "records longer than the snapshot length: netprint's log equals p0f's" \
    same "$work/snap.np" "$work/snap.p0f"

size=$(stat -c %s "$cap")
head -c $((size - 100)) "$cap" >"$work/cut.pcap"
np_log "$work/cut.pcap" "$work/cut.np"
p0f_log "$work/cut.pcap" "$work/cut.p0f"
check "a file cut inside a frame: netprint's log equals p0f's" same "$work/cut.np" "$work/cut.p0f"
check "a file cut inside a frame: netprint says it is truncated" \
    grep -q "truncated capture after" "$work/cut.np.err"
check "a file cut inside a frame: exit status 3 (damaged capture)" \
    test "$(cat "$work/cut.np.rc")" = 3

# A record claiming an impossible length half-way through: the frames before
# it are read, the damage is said, and the exit status is 3.
python3 "$here/rewrite_pcap.py" badlen "$cap" "$work/badlen.pcap"
np_log "$work/badlen.pcap" "$work/badlen.np"
check "an impossible record length: exit status 3 after the frames before it" \
    sh -c "test \"\$(cat $work/badlen.np.rc)\" = 3 && grep -q 'truncated capture after [1-9]' $work/badlen.np.err"
python3 "$here/rewrite_pcap.py" pcapng-cut "$cap" "$work/ngcut.cap"
np_log "$work/ngcut.cap" "$work/ngcut.np"
check "a pcapng file cut inside a block: exit status 3" test "$(cat "$work/ngcut.np.rc")" = 3
check "an intact capture: exit status 0" test "$(cat "$work/snap.np.rc")" = 0

echo "1..$n"
[ "$failed" -eq 0 ]
