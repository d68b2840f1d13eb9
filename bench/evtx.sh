#!/usr/bin/env bash
# EVTX to XML throughput: rdpdoctor vs evtxexport (libevtx) vs evtx_dump.py (python-evtx), same
# run, same files: ../shared/corpus/evtx/security.evtx and a >= 100 MB log made by repeating its
# chunks. Prints seconds, MB/s, records/s and peak RSS per tool, and the ratios.
#
#   bench/evtx.sh [--big-mb N] [--python-timeout S]
#
# evtx_dump.py is ~1000x slower, so on the big file it runs under a timeout and its records/s
# comes from the records it printed before it was stopped.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
big_mb=110 py_timeout=60
while [ $# -gt 0 ]; do
  case $1 in
    --big-mb) big_mb=$2; shift 2 ;;
    --python-timeout) py_timeout=$2; shift 2 ;;
    *) echo "usage: bench/evtx.sh [--big-mb N] [--python-timeout S]" >&2; exit 2 ;;
  esac
done
corpus=$here/../shared/corpus/evtx
small=$corpus/security.evtx
[ -f "$small" ] || { echo "bench: $small missing (../shared/corpus)" >&2; exit 2; }
timer=/usr/bin/time
[ -x "$timer" ] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
. "$here/scripts/find-jdk.sh"
rdpdoctor_find_jdk || exit 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Build once (the launcher rebuilds when sources changed).
"$here/rdpdoctor" --version >/dev/null
jar=$here/app/target/rdpdoctor.jar
# The launcher's start-up flags (C1 only) suit short commands; a long dump wants the full JIT.
java_cmd=("$JAVA_HOME/bin/java" -XX:+UseParallelGC -jar "$jar")

big=$work/big.evtx
python3 - "$small" "$big" "$big_mb" <<'PY'
import sys
src, dst, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, 'rb').read()
header, chunks = data[:4096], data[4096:]
with open(dst, 'wb') as out:
    out.write(header)
    written = 0
    while written < mb * 1024 * 1024:
        out.write(chunks)
        written += len(chunks)
PY

count_events() { grep -c '<Event ' || true; }

# run LABEL FILE TIMEOUT CMD... -> prints one row; the command's stdout is counted, not stored.
results=()
run() {
  local label=$1 file=$2 limit=$3; shift 3
  local bytes; bytes=$(stat -c %s "$file")
  local t0 t1 secs rss recs status=ok
  # Timed run: output to a pipe counted by grep, which is cheap next to every tool here.
  set +e
  timeout "$limit" "$timer" -f '%e %M' -o "$work/time" "$@" "$file" 2>/dev/null | count_events >"$work/count"
  local rc=${PIPESTATUS[0]}
  set -e
  [ "$rc" = 124 ] && status="stopped after ${limit}s"
  recs=$(cat "$work/count")
  if [ -s "$work/time" ]; then
    read -r secs rss < <(tail -1 "$work/time")
  else
    secs=$limit rss=0
  fi
  python3 - "$label" "$(basename "$file")" "$bytes" "$secs" "$recs" "$rss" "$status" <<'PY'
import sys
label, name, size, secs, recs, rss, status = sys.argv[1:]
size, secs, recs, rss = int(size), float(secs), int(recs), int(rss)
secs = max(secs, 0.001)
mbps = size / 1e6 / secs if status == 'ok' else float('nan')
print(f"{name:14.14} {label:28} {secs:8.2f} s {mbps:9.1f} MB/s {recs/secs:11.0f} rec/s {recs:8d} recs {rss/1024:7.0f} MB RSS  {status}")
PY
}

echo "file           tool                          seconds      MB/s      records/s    records   peak RSS"
for f in "$small" "$big"; do
  # The launcher's first run of a command records its class-data archive (about 1.5 s, once);
  # that is set-up, not reading speed, so it happens before the timed run.
  "$here/rdpdoctor" evtx dump "$f" >/dev/null 2>&1 || true
  run "rdpdoctor evtx dump"         "$f" 600 "${java_cmd[@]}" evtx dump
  run "rdpdoctor --threads 1"       "$f" 600 "${java_cmd[@]}" evtx dump --threads 1
  run "rdpdoctor -Xmx256m"          "$f" 600 "$JAVA_HOME/bin/java" -Xmx256m -jar "$jar" evtx dump
  run "rdpdoctor via ./rdpdoctor"   "$f" 600 "$here/rdpdoctor" evtx dump
  run "evtxexport -f xml"           "$f" 900 evtxexport -f xml
  if [ "$f" = "$small" ]; then
    run "evtx_dump.py"              "$f" 600 evtx_dump.py
  else
    run "evtx_dump.py (capped)"     "$f" "$py_timeout" evtx_dump.py
  fi
done
