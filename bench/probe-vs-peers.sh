#!/usr/bin/env bash
# `rdpdoctor probe` (full) against the peers people run for the same question, in one run against
# the same local xrdp on 127.0.0.1 (an ephemeral port, its own xrdp.ini in a temporary folder):
#   nmap -p PORT --script rdp-enum-encryption,rdp-ntlm-info 127.0.0.1   (negotiation, RDP security)
#   sslscan --rdp 127.0.0.1:PORT                                        (TLS versions, suites, cert)
# nmap runs its rdp scripts only on a port it believes is ms-wbt-server: a copy of nmap-services
# that maps the ephemeral port to it is passed with --datadir (so no -sV service scan is timed).
# Prints the median wall time of each over N runs (default 5), the ratio rdpdoctor / (nmap +
# sslscan) (target <= 0.2), and the median network time of `--quick` (first TCP connect to last
# answer, from its own JSON; target < 50 ms).
#
#   bench/probe-vs-peers.sh [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=${1:-5}
cd "$here"
for tool in xrdp nmap sslscan python3; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "bench: $tool is not installed" >&2; exit 2; }
done

work=$(mktemp -d)
xrdp_pid=""
cleanup() {
  # xrdp forks a child per connection; it runs in its own session, so stop that whole group.
  [ -n "$xrdp_pid" ] && kill -- "-$xrdp_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

. "$here/bench/lib.sh"
port=$(bench_free_port)
bench_start_xrdp "$port"

mkdir -p "$work/nmap"
grep -v '^ms-wbt-server' /usr/share/nmap/nmap-services >"$work/nmap/nmap-services"
printf 'ms-wbt-server\t%s/tcp\t0.5\n' "$port" >>"$work/nmap/nmap-services"

# Build (if needed) and let the JVM write its class-data archive before measuring.
./rdpdoctor probe --quick "127.0.0.1:$port" >/dev/null || true
./rdpdoctor probe "127.0.0.1:$port" >/dev/null || true

median() { # reads numbers (ns), prints the median in seconds
  sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f\n", m / 1e9}'
}
wall() { # $@ = command; prints its wall time in ns
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  t1=$(date +%s%N)
  echo $((t1 - t0))
}

: >"$work/rd" ; : >"$work/nm" ; : >"$work/ss" ; : >"$work/quick"
for ((i = 0; i < runs; i++)); do
  # interleaved, so load changes hit all three alike
  wall ./rdpdoctor probe "127.0.0.1:$port" >>"$work/rd"
  wall nmap --datadir "$work/nmap" -p "$port" --script rdp-enum-encryption,rdp-ntlm-info 127.0.0.1 >>"$work/nm"
  wall sslscan --no-colour --rdp "127.0.0.1:$port" >>"$work/ss"
  (./rdpdoctor probe --quick --json "127.0.0.1:$port" 2>/dev/null || true) | python3 -c '
import json, sys
d = json.load(sys.stdin)
tcp = [p for p in d["phases"] if p["phase"] != "NAME_RESOLUTION"]
print(int((max(p["startMs"] + p["ms"] for p in tcp) - min(p["startMs"] for p in tcp)) * 1e6))' >>"$work/quick" || true
done

rd=$(median <"$work/rd"); nm=$(median <"$work/nm"); ss=$(median <"$work/ss"); quick=$(median <"$work/quick")
ratio=$(awk -v a="$rd" -v b="$nm" -v c="$ss" 'BEGIN { printf "%.2f", a / (b + c) }')
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
conns=$( (./rdpdoctor probe --json "127.0.0.1:$port" 2>/dev/null || true) \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["connections"])' 2>/dev/null || echo "?")
echo "xrdp on 127.0.0.1:$port, runs: $runs, load average at the end: $load"
echo "rdpdoctor probe (full, $conns connections): median ${rd} s"
echo "nmap rdp-enum-encryption,rdp-ntlm-info:      median ${nm} s"
echo "sslscan --rdp:                               median ${ss} s"
echo "ratio rdpdoctor / (nmap + sslscan): ${ratio}"
awk -v r="$ratio" 'BEGIN { exit !(r <= 0.2) }' && echo "target (<= 0.2): met" || echo "target (<= 0.2): NOT met"
echo "rdpdoctor probe --quick network time: median $(awk -v q="$quick" 'BEGIN { printf "%.1f", q * 1000 }') ms"
awk -v q="$quick" 'BEGIN { exit !(q < 0.05) }' && echo "target (< 50 ms): met" || echo "target (< 50 ms): NOT met"
