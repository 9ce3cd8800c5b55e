#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Differential test on one capture: netprint's log lines, of every kind p0f
# writes, must equal p0f 3.09b's reference lines as multisets (netprint's own
# "tls client" / "tls server" lines are left out: p0f has no such kind). A
# line may differ only if DEVIATIONS.tsv lists it for this capture with an
# accepted reason.
#
# Usage: diff_capture.sh NETPRINT CAPTURE REFERENCE_LOG DEVIATIONS_TSV
set -u

np=$1 cap=$2 ref=$3 dev=$4
name=$(basename "$cap")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

kinds='\] mod=[a-z +]+\|'
netprint_kinds='\] mod=tls (client|server)\|'

# Two workers share the file (dispatch.h): p0f's answers hold across them,
# and engine/workers_check.sh holds the one-thread reading equal to this.
if ! TZ=UTC "$np" -r "$cap" --workers 2 -o "$work/np.log" >/dev/null 2>"$work/err"; then
    echo "FAIL $name: netprint exited with an error:"
    cat "$work/err"
    exit 1
fi
grep -E "$kinds" "$ref" | LC_ALL=C sort >"$work/ref"
grep -E "$kinds" "$work/np.log" | grep -vE "$netprint_kinds" | LC_ALL=C sort >"$work/np"

# Documented deviations for this capture: "file<TAB>line<TAB>reason".
awk -F'\t' -v f="$name" 'NR > 1 && $1 == f && ($3 == "vlan" || $3 == "ipv6-ext") { print $2 }' \
    "$dev" | LC_ALL=C sort >"$work/allowed"

LC_ALL=C comm -23 "$work/ref" "$work/np" >"$work/missing"
LC_ALL=C comm -13 "$work/ref" "$work/np" >"$work/extra"
LC_ALL=C comm -23 "$work/missing" "$work/allowed" >"$work/bad_missing"
LC_ALL=C comm -23 "$work/extra" "$work/allowed" >"$work/bad_extra"

n_ref=$(wc -l <"$work/ref")
n_np=$(wc -l <"$work/np")
if [ -s "$work/bad_missing" ] || [ -s "$work/bad_extra" ]; then
    echo "FAIL $name: p0f $n_ref lines, netprint $n_np lines"
    sed 's/^/  p0f only:      /' "$work/bad_missing" | head -20
    sed 's/^/  netprint only: /' "$work/bad_extra" | head -20
    exit 1
fi
echo "ok $name: $n_ref p0f lines, $n_np netprint lines, $(wc -l <"$work/allowed") documented deviations"
