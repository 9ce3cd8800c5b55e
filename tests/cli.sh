#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The command line as a user meets it: bad input gets a clear message and a
# non-zero exit, garbage packets are counted, and the stdout blocks are the
# ones p0f prints. TAP output, one line per check.
#
# Usage: cli.sh NETPRINT DB CAPTURES_DIR
set -u

np=$1 db=$2 caps=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0 failed=0

check() {	# check DESCRIPTION COMMAND...: record one TAP result
    local desc=$1; shift
    n=$((n + 1))
    if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; failed=$((failed + 1)); fi
}

# run_np EXPECTED_STATUS STDERR_PATTERN ARGS...: exit status and message.
run_np() {
    local want=$1 pattern=$2; shift 2
    "$np" "$@" >"$work/out" 2>"$work/err"
    local got=$?
    if [ "$want" = nonzero ] && [ "$got" -eq 0 ]; then echo "# exit 0, wanted failure"; return 1; fi
    if [ "$want" != nonzero ] && [ "$got" -ne "$want" ]; then echo "# exit $got, wanted $want"; return 1; fi
    grep -qE -- "$pattern" "$work/err" || { echo "# stderr lacks /$pattern/:"; sed 's/^/#   /' "$work/err"; return 1; }
}

# pcap_file PATH LINKTYPE [FRAME_HEX...]: a little-endian pcap.
pcap_file() {
    local path=$1 lt=$2; shift 2
    python3 - "$path" "$lt" "$@" <<'PY'
import struct, sys
path, lt, frames = sys.argv[1], int(sys.argv[2]), [bytes.fromhex(h) for h in sys.argv[3:]]
with open(path, 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, lt))
    for i, fr in enumerate(frames):
        f.write(struct.pack('<IIII', 1000 + i, 0, len(fr), len(fr)) + fr)
PY
}

check "missing capture file is refused" \
    run_np nonzero "no-such\.pcap: cannot read capture" -r "$work/no-such.pcap"
echo "this is not a capture" >"$work/text.pcap"
check "a file that is not a pcap is refused" \
    run_np nonzero "text\.pcap: cannot read capture" -r "$work/text.pcap"
pcap_file "$work/usb.pcap" 189
check "an unsupported link type is refused" \
    run_np nonzero "unsupported link type 189" -r "$work/usb.pcap"
printf 'classes = win,unix\n[tcp:request]\nlabel = s:unix:Linux:3.x\nsig = 4:64:0:*:mss*10,7:mss,sok,ts,nop,ws:df,id+:0\nsig = 4:64:0:bogus\n' >"$work/bad.fp"
check "a bad database line is reported with file and line" \
    run_np nonzero "bad\.fp:5: " -r "$caps/arkime__http-301-get.pcap" -f "$work/bad.fp"
check "a missing database is refused" \
    run_np nonzero "nowhere\.fp: cannot open" -r "$caps/arkime__http-301-get.pcap" -f "$work/nowhere.fp"
check "running without -r explains the usage" run_np 2 "nothing to read" -f "$db"
check "an unknown option explains the usage" run_np 2 "usage: netprint" -Z
check "-m out of range is refused" run_np 2 "-m 0,10: expected two numbers" -m 0,10 -r x
check "-t without a host limit is refused" run_np 2 "-t 30: expected two numbers" -t 30 -r x
check "--http-token without --http is refused" \
    run_np 2 "--http-token and --http-trusted-proxy need --http" --http-token x -r x
check "--bench-replay without EAL's lcores is refused" \
    run_np 2 "--bench-replay needs EAL arguments" --bench-replay x
mkdir "$work/ro" && chmod 0500 "$work/ro"
if [ "$(id -u)" -ne 0 ]; then
    check "an unwritable log is refused" \
        run_np nonzero "cannot open log" -r "$caps/arkime__http-301-get.pcap" -o "$work/ro/x.log"
fi
check "a log that is a directory is refused" \
    run_np nonzero "cannot open log" -r "$caps/arkime__http-301-get.pcap" -o "$work"

# Garbage and truncated frames are counted and skipped, never fatal.
syn=000102030405000a0b0c0d0e080045000034000140004006000ac0a80001c0a80002d43101bb0000006400000000800272100000000002040578010303070101040200
pcap_file "$work/junk.pcap" 1 "$syn" 00 ffffffffffffffffffffffffffffffff "${syn:0:60}" \
    000102030405000a0b0c0d0e0806000100080604000100 "$syn"
check "garbage frames are counted and the run succeeds" \
    run_np 0 "skipped: truncated or too short +2" -r "$work/junk.pcap" -f "$db"
check "non-IP frames are counted" grep -qE "skipped: link layer not IPv4/IPv6 +2" "$work/err"
check "every frame is accounted for" grep -qE "junk.pcap: 6 frames read" "$work/err"
check "the SYN among the junk is fingerprinted" grep -q "(syn) ]-" "$work/out"

# stdout blocks equal p0f's, every kind p0f prints (not netprint's TLS ones).
blocks() {	# the ".-[ ... ]-" blocks of a p0f-style stdout, one per line
    awk -v RS= '/^\.-\[ .* \]-/ && !/\((tls client|tls server)\) \]-/ { gsub(/\n/, "\\n"); print }' "$1" |
        LC_ALL=C sort
}
if command -v p0f >/dev/null || [ -x /usr/sbin/p0f ]; then
    p0f=$(command -v p0f || echo /usr/sbin/p0f)
    # As for the reference logs: p0f's Date checks read an unset tm_isdst.
    shim=$caps/p0f-ref/mktime_isdst0.c
    cc -shared -fPIC -o "$work/isdst0.so" "$shim" -ldl || echo "# cannot build $shim"
    export TZ=UTC
    for c in arkime__http-301-get.pcap arkime__smtp-decrypted.pcap arkime__arkime_synthetic.pcap ndpi__log4j-webapp-exploit.pcap ndpi__sites.pcap; do
        [ -r "$caps/$c" ] || continue
        LD_PRELOAD="$work/isdst0.so" "$p0f" -r "$caps/$c" -f "$db" >"$work/p0f.out" 2>/dev/null
        "$np" -r "$caps/$c" -f "$db" >"$work/np.out" 2>/dev/null
        blocks "$work/p0f.out" >"$work/p0f.blocks"
        blocks "$work/np.out" >"$work/np.blocks"
        check "stdout blocks equal p0f's on $c" \
            test -s "$work/p0f.blocks" -a "$(md5sum <"$work/p0f.blocks")" = "$(md5sum <"$work/np.blocks")"
    done
else
    echo "# p0f not installed: stdout comparison skipped"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
