#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The documented deviations from p0f, shown rather than asserted: frames
# p0f 3.09b cannot read (802.1Q, QinQ, IPv6 extension headers) must give
# netprint exactly the records p0f gives for the same traffic without them.
#
# A random handshake capture R (gen_syn_pcap.py) is rewritten into T by
# retag.py. Passes when netprint(T) == p0f(R) for syn, syn+ack and mtu lines;
# it also prints how many of them p0f itself finds in T (the deviation).
#
# Usage: deviation_vs_p0f.sh NETPRINT DB SEED MODE WORKDIR
set -u

np=$(realpath "$1") db=$(realpath "$2") seed=$3 mode=$4 wd=$5
here=$(cd "$(dirname "$0")" && pwd)
p0f=$(command -v p0f || echo /usr/sbin/p0f)
[ -x "$p0f" ] || { echo "p0f is not installed, skipping"; exit 77; }
mkdir -p "$wd" && cd "$wd" || exit 1
rm -f p0f-r.log p0f-t.log np-t.log

kinds() { grep -E '\] mod=(syn|syn\+ack|mtu)\|' "$1" 2>/dev/null | LC_ALL=C sort; }

python3 "$here/../random/gen_syn_pcap.py" --seed "$seed" --flows 1500 --db "$db" -o r.pcap || exit 1
python3 "$here/retag.py" "$mode" r.pcap t.pcap || exit 1
TZ=UTC "$p0f" -r r.pcap -f "$db" -o p0f-r.log >/dev/null 2>&1
TZ=UTC "$p0f" -r t.pcap -f "$db" -o p0f-t.log >/dev/null 2>&1
TZ=UTC "$np" -r t.pcap -f "$db" -o np-t.log >/dev/null 2>np.err || { cat np.err; exit 1; }

kinds p0f-r.log >want
kinds np-t.log >got
n_want=$(wc -l <want) n_got=$(wc -l <got) n_p0f_t=$(kinds p0f-t.log | wc -l)
echo "$mode seed $seed: p0f on plain frames $n_want lines, netprint on $mode frames $n_got," \
     "p0f on $mode frames $n_p0f_t (deviation: $((n_got - n_p0f_t)) lines)"
if [ "$n_want" -eq 0 ] || ! cmp -s want got; then
    echo "FAIL: netprint on $mode frames differs from p0f on the plain frames"
    diff want got | head -20
    exit 1
fi
