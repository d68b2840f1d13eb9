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

cpu_log=$(mktemp)
trap 'rm -f "$cpu_log"' EXIT

measure() { # $@ = command; prints one wall time in ns per run; appends CPU seconds to $cpu_log
  local i t0 t1
  : >"$cpu_log"
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N)
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -a -o "$cpu_log" -f "%U %S" "$@" >/dev/null
    else
      "$@" >/dev/null
    fi
    t1=$(date +%s%N)
    echo $((t1 - t0))
  done
}

cpu_median() { # median user+system CPU seconds of the last measure()
  awk '{printf "%d\n", ($1 + $2) * 1e9}' "$cpu_log" | median
}

explain=$(measure ./rdpdoctor explain "$input" | median)
explain_cpu=$(cpu_median)
floor=$(measure ./rdpdoctor --version | median)
floor_cpu=$(cpu_median)
ratio=$(awk -v a="$explain" -v b="$floor" 'BEGIN { printf "%.2f", a / b }')
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
echo "runs: $runs   load average at the end: $load"
echo "rdpdoctor explain \"$input\": median ${explain} s"
echo "rdpdoctor --version (JVM start-up floor):       median ${floor} s"
echo "ratio explain / floor: ${ratio}"
if [ -x /usr/bin/time ]; then
  # On a busy machine wall time mostly measures waiting for a core; CPU time shows the work.
  echo "CPU time (user+system) medians: explain ${explain_cpu} s, --version ${floor_cpu} s"
fi
awk -v a="$explain" 'BEGIN { exit !(a < 0.4) }' && echo "target (< 0.4 s): met" || echo "target (< 0.4 s): NOT met"
