#!/usr/bin/env bash
# Wall time of `rdpdoctor explain` on the acceptance input, the way a user runs it (the launcher,
# a fresh JVM each time, class-data sharing on). Prints the median of N runs (default 21) and,
# as the floor to compare with, the median of `rdpdoctor --version` (JVM start-up + picocli,
# no catalog). Target: explain median < 0.4 s on the 2-core project machine.
#
#   bench/explain.sh [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=${1:-21}
input="Error code: 0x904, Extended error code: 0x7"
cd "$here"

# Build (if needed) and let the JVM write its class-data archive before measuring.
./rdpdoctor explain "$input" >/dev/null
./rdpdoctor explain "$input" >/dev/null

median() { # reads numbers (ns), prints the median in seconds
  sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f\n", m / 1e9}'
}

measure() { # $@ = command; prints one wall time in ns per run
  local i t0 t1
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N)
    "$@" >/dev/null
    t1=$(date +%s%N)
    echo $((t1 - t0))
  done
}

explain=$(measure ./rdpdoctor explain "$input" | median)
floor=$(measure ./rdpdoctor --version | median)
ratio=$(awk -v a="$explain" -v b="$floor" 'BEGIN { printf "%.2f", a / b }')
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
echo "runs: $runs   load average at the end: $load"
echo "rdpdoctor explain \"$input\": median ${explain} s"
echo "rdpdoctor --version (JVM start-up floor):       median ${floor} s"
echo "ratio explain / floor: ${ratio}"
awk -v a="$explain" 'BEGIN { exit !(a < 0.4) }' && echo "target (< 0.4 s): met" || echo "target (< 0.4 s): NOT met"
