#!/usr/bin/env bash
# The timeline of a folder of logs, end to end, against `evtx dump` of the same files (issue 14:
# within 1.5x, and -Xmx256m must work). The folder is made from corpus logs by repeating their
# chunks: RdpCoreTS (an RDP scan, every record an RDP event) and Security, to --total-mb in all.
#
#   bench/timeline.sh [--total-mb N]        (default 1024)
#
# Prints seconds and peak RSS per run, and timeline / dump.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
total_mb=1024
while [ $# -gt 0 ]; do
  case $1 in
    --total-mb) total_mb=$2; shift 2 ;;
    *) echo "usage: bench/timeline.sh [--total-mb N]" >&2; exit 2 ;;
  esac
done
corpus=$here/../shared/corpus/evtx
core=$corpus/2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx
sec=$corpus/security.evtx
for f in "$core" "$sec"; do [ -f "$f" ] || { echo "bench: $f missing (../shared/corpus)" >&2; exit 2; }; done
timer=/usr/bin/time
[ -x "$timer" ] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
. "$here/scripts/find-jdk.sh"
rdpdoctor_find_jdk || exit 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/rdpdoctor" --version >/dev/null
jar=$here/app/target/rdpdoctor.jar

# Half RdpCoreTS, half Security, in files of at most 64 MB (Windows' default log size is 20 MB).
mkdir "$work/logs"
python3 - "$core" "$sec" "$work/logs" "$total_mb" <<'PY'
import sys, os
core, sec, out, total = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
per_file = 64 * 1024 * 1024
for name, src, share in (("core", core, total // 2), ("security", sec, total - total // 2)):
    data = open(src, 'rb').read()
    header, chunks = data[:4096], data[4096:]
    left, n = share * 1024 * 1024, 0
    while left > 0:
        with open(os.path.join(out, f"{name}-{n:03d}.evtx"), 'wb') as f:
            f.write(header)
            w = 0
            while w < min(per_file, left):
                f.write(chunks)
                w += len(chunks)
            left -= w
        n += 1
PY
echo "logs: $(ls "$work/logs" | wc -l) files, $(du -sm "$work/logs" | cut -f1) MB"

run() {
  local label=$1; shift
  set +e
  "$timer" -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err"
  local rc=$?
  set -e
  read -r secs rss < <(tail -1 "$work/time")
  printf '%-36s %8.2f s %7.0f MB RSS  exit %s\n' "$label" "$secs" "$((rss / 1024))" "$rc"
  [ "$rc" = 0 ] || tail -3 "$work/err" >&2
  echo "$secs" >"$work/last"
}
java=("$JAVA_HOME/bin/java" -XX:+UseParallelGC)
# Warm the page cache once, so neither tool pays for the first read.
cat "$work"/logs/*.evtx >/dev/null
run "evtx dump (each file)" bash -c 'for f in "${@:2}"; do $1 evtx dump "$f" || exit 1; done' dump "${java[*]} -jar $jar" "$work"/logs/*.evtx
dump=$(cat "$work/last")
run "timeline (the folder)" "${java[@]}" -jar "$jar" timeline "$work/logs"
timeline=$(cat "$work/last")
run "timeline -Xmx256m" "${java[@]}" -Xmx256m -jar "$jar" timeline "$work/logs"
python3 -c "import sys; d, t = float(sys.argv[1]), float(sys.argv[2]); print(f'timeline / dump: {t / max(d, 0.001):.2f}x (goal: <= 1.5x)')" "$dump" "$timeline"
