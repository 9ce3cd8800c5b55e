#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Link types p0f 3.09b reads by guessing the IP header offset, against p0f
# run live. The bundled captures are re-encapsulated (relink.py) in the real
# headers of ARCnet (BSD and Linux), Cisco HDLC, Frame Relay, Token Ring,
# FDDI, netANALYZER, Solaris ipnet, SunATM, RFC 1483 ATM and pppd's PPP, and
# in Linux cooked v2 (in netprint's table, guessed by p0f); each plain, led
# by frames that must be skipped before the offset is known (--lead), and
# led by a segment whose link header fools the guess (--decoy). For every
# file, netprint's lines of p0f's record kinds must equal p0f's, as
# multisets, whatever p0f makes of the file: a decoy's wrong offset, FDDI's
# IP header at an odd byte (never found, or a wrong offset and garbage
# records). A link type libpcap cannot filter TCP on (Linux IrDA) must be
# refused by both. TAP output.
#
# Usage: linktypes_vs_p0f.sh NETPRINT DB CAPTURES_DIR WORKDIR [EVERY [FULL]]
#   EVERY  compare every EVERY-th capture only, except for ARCnet (BSD)
#          and Cisco HDLC, plain and led: every FULL-th there (defaults 6
#          and 1, all of them); Frame Relay, plain (whose TCP filter passes
#          frames of four captures only), all of them always
set -u

if [ $# -lt 4 ] || [ $# -gt 6 ]; then
    echo "usage: $0 NETPRINT DB CAPTURES_DIR WORKDIR [EVERY [FULL]]" >&2
    exit 1
fi
np=$(realpath "$1") db=$(realpath "$2") caps=$(realpath "$3") wd=$4 every=${5:-6} full=${6:-1}
here=$(cd "$(dirname "$0")" && pwd)
p0f=$(command -v p0f || echo /usr/sbin/p0f)
if [ ! -x "$p0f" ]; then
    echo "1..0 # SKIP p0f is not installed"
    exit 0
fi
mkdir -p "$wd" && wd=$(realpath "$wd") && cd "$wd" || exit 1
rm -rf links && mkdir links

# p0f's HTTP Date check reads an unset tm_isdst; 0, as for the reference logs.
cc -shared -fPIC -o isdst0.so "$caps/p0f-ref/mktime_isdst0.c" -ldl || exit 1

n=0 failed=0
check() {	# check DESCRIPTION COMMAND...
    local desc=$1; shift
    n=$((n + 1))
    if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; failed=$((failed + 1)); fi
}

every_pcap=("$caps"/*.pcap)
all=() some=()
for ((i = 0; i < ${#every_pcap[@]}; i += full)); do all+=("${every_pcap[i]}"); done
for ((i = 0; i < ${#every_pcap[@]}; i += every)); do some+=("${every_pcap[i]}"); done
decoy_links=arcnet,c_hdlc,ieee802,frelay,arcnet_linux,fddi,netanalyzer,ipnet,sunatm,atm_rfc1483
decoy_links=$decoy_links,ppp_pppd,sll2
python3 "$here/relink.py" --to links arcnet,c_hdlc plain,lead "${all[@]}" || exit 1
# all of them for Frame Relay: its TCP filter passes frames of four only
python3 "$here/relink.py" --to links frelay plain "${every_pcap[@]}" || exit 1
python3 "$here/relink.py" --to links frelay lead "${some[@]}" || exit 1
python3 "$here/relink.py" --to links \
    ieee802,arcnet_linux,fddi,netanalyzer,ipnet,sunatm,atm_rfc1483,ppp_pppd,sll2 plain,lead \
    "${some[@]}" || exit 1
python3 "$here/relink.py" --to links "$decoy_links" decoy "${some[@]}" || exit 1
python3 "$here/relink.py" linux_irda "${all[0]}" links/irda.pcap || exit 1

# Lines of p0f's record kinds (netprint's TLS lines are its own), sorted.
kinds() {
    LC_ALL=C awk '
        /^\[[0-9][0-9][0-9][0-9]\/[0-9][0-9]\/[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]\] mod=/ {
            m = substr($0, 27); sub(/\|.*/, "", m)
            if (m ~ /^(syn|syn\+ack|mtu|uptime|http request|http response|host change|ip sharing)$/)
                print
        }' "$1" 2>/dev/null | LC_ALL=C sort
}

# compare_one FILE: p0f and netprint on one capture; leaves FILE's base
# name .want / .got (the lines), .warn (p0f's guess failed), .fail (why
# netprint failed).
compare_one() {
    local f=$1 base=${1%.pcap}
    rm -f "$base.p0f" "$base.np" "$base.warn" "$base.fail"
    TZ=UTC LD_PRELOAD="$wd/isdst0.so" "$p0f" -r "$f" -f "$db" -o "$base.p0f" \
        >"$base.p0f.out" 2>&1
    grep -q 'Unable to find link-specific packet offset' "$base.p0f.out" && touch "$base.warn"
    if ! TZ=UTC "$np" -r "$f" -f "$db" -o "$base.np" >/dev/null 2>"$base.np.err"; then
        head -1 "$base.np.err" >"$base.fail"
        return
    fi
    kinds "$base.p0f" >"$base.want"
    kinds "$base.np" >"$base.got"
}

# compare DIR: every capture in DIR (two at a time), p0f against netprint;
# prints a summary and the first differences; fails on any difference.
# NP_LINES / P0F_WARN are left for the caller.
compare() {
    local dir=$1 f base bad=0 files=0
    NP_LINES=0 P0F_WARN=0
    for f in "$dir"/*.pcap; do
        [ -e "$f" ] || continue
        [ "$(jobs -rp | wc -l)" -ge 2 ] && wait -n
        compare_one "$f" &
    done
    wait
    for f in "$dir"/*.pcap; do
        [ -e "$f" ] || continue
        files=$((files + 1))
        base=${f%.pcap}
        [ -e "$base.warn" ] && P0F_WARN=$((P0F_WARN + 1))
        if [ -e "$base.fail" ]; then
            echo "# $f: netprint failed: $(cat "$base.fail")"
            bad=$((bad + 1))
            continue
        fi
        NP_LINES=$((NP_LINES + $(wc -l <"$base.got")))
        if ! cmp -s "$base.want" "$base.got"; then
            bad=$((bad + 1))
            [ "$bad" -le 3 ] && LC_ALL=C comm -3 "$base.want" "$base.got" | head -4 |
                sed -e "s|^\t|# $(basename "$f"): netprint only: |" -e 't' \
                    -e "s|^|# $(basename "$f"): p0f only: |"
        fi
    done
    echo "# $dir: $files captures, $NP_LINES lines, $bad differ"
    [ "$files" -gt 0 ] && [ "$bad" -eq 0 ]
}

# Where each link's IP header really is.
declare -A hlen=([arcnet]=6 [arcnet_linux]=8 [c_hdlc]=4 [ieee802]=22 [frelay]=4 [fddi]=21
                 [netanalyzer]=18 [ipnet]=24 [sunatm]=12 [atm_rfc1483]=8 [ppp_pppd]=4 [sll2]=20)

# misplaced DIR HLEN: netprint said, for every capture in DIR, that it read
# the IP header at a byte other than HLEN (as p0f, fooled, does).
misplaced() {
    local e
    for e in "$1"/*.np.err; do
        grep -q 'IP header guessed at byte' "$e" || return 1
        grep -q "IP header guessed at byte $2 " "$e" && return 1
    done
    return 0
}

for link in arcnet arcnet_linux c_hdlc ieee802 frelay netanalyzer ipnet sunatm atm_rfc1483 \
            ppp_pppd sll2; do
    check "$link: netprint's records equal p0f's" compare "links/$link/plain"
    # (libpcap's "tcp" on Frame Relay reads the protocol at byte 9 of the
    # frame, not of the IP header: p0f sees few frames, netprint the same.)
    check "$link: p0f reads something (not a vacuous comparison)" [ "$NP_LINES" -gt 0 ]
    check "$link, led by frames to skip: netprint's records equal p0f's" \
        compare "links/$link/lead"
    if [ "$link" != frelay ]; then
        check "$link, led by frames to skip: p0f's guess failed on them first" \
            [ "$P0F_WARN" -gt 0 ]
    fi
    if compgen -G "links/$link/decoy/*.pcap" >/dev/null; then
        check "$link, led by a decoy: netprint's records equal p0f's" \
            compare "links/$link/decoy"
        check "$link, led by a decoy: the IP header is misplaced" \
            misplaced "links/$link/decoy" "${hlen[$link]}"
    fi
done

# FDDI's IP header sits at byte 21, where p0f's guess never looks: it finds
# nothing, or a wrong offset that can yield garbage records, which netprint
# must give too.
for v in plain lead decoy; do
    check "fddi, $v: netprint's records equal p0f's" compare "links/fddi/$v"
done
check "fddi, led by a decoy: the IP header is misplaced" misplaced links/fddi/decoy 21
# gave_up: every capture where netprint says no offset was found is one
# where p0f said so too and both logged nothing; there is at least one.
gave_up() {
    local e base k=0
    for e in links/fddi/plain/*.np.err links/fddi/lead/*.np.err; do
        grep -q 'warning: .*no IP header found' "$e" || continue
        base=${e%.np.err}
        grep -q 'Unable to find link-specific packet offset' "$base.p0f.out" || return 1
        [ ! -s "$base.want" ] && [ ! -s "$base.got" ] || return 1
        k=$((k + 1))
    done
    echo "# fddi: $k captures where neither finds an offset"
    [ "$k" -gt 0 ]
}
check "fddi: where no offset is found, netprint warns, p0f too, and neither logs" gave_up

"$p0f" -r links/irda.pcap -f "$db" >irda.p0f.out 2>&1
p0f_rc=$?
"$np" -r links/irda.pcap -f "$db" >/dev/null 2>irda.np.err
np_rc=$?
check "linux irda: p0f stops, its filter does not compile" \
    eval '[ "$p0f_rc" -ne 0 ] && grep -q "pcap_compile" irda.p0f.out'
check "linux irda: netprint refuses it, saying why" \
    eval '[ "$np_rc" -ne 0 ] && grep -q "unsupported link type 144 (LINUX_IRDA): libpcap cannot filter TCP" irda.np.err'

echo "1..$n"
[ "$failed" -eq 0 ]
