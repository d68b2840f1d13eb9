#!/usr/bin/env bash
# `rdpdoctor serve` under load, on a store of HOSTS endpoints x SCANS finished scans (default
# 10,000 x 30, the issue's size), everything on 127.0.0.1:
#   /metrics            wrk, 10 connections each waiting 100 ms between requests (~100 requests/s),
#                       then flat out; latency percentiles (goal: p99 < 50 ms at 100 requests/s)
#   /host?target=...    the same, for one host's page (its 30 results and timeline)
#   /probe?module=quick of a local xrdp: curl, median and max of 20 (goal: < 100 ms)
# The store is written straight into the schema that `rdpdoctor scan` creates (python3's sqlite3),
# which is much faster than probing 300,000 endpoints.
#
#   bench/serve.sh [HOSTS] [SCANS] [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
hosts=${1:-10000}
scans=${2:-30}
secs=${3:-20}
cd "$here"
for tool in wrk xrdp python3 curl; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "bench: $tool is not installed (apt-get install $tool)" >&2; exit 2; }
done

work=$(mktemp -d)
xrdp_pid=""
serve_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill -- "-$serve_pid" 2>/dev/null || true
  [ -n "$xrdp_pid" ] && kill -- "-$xrdp_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
. "$here/bench/lib.sh"
free_port() { bench_free_port; }
wait_port() { bench_wait_port "$1"; }

# The schema, made by the real command (a refused connection to port 1 is one result of scan 1).
db="$work/estate.db"
./rdpdoctor scan 127.0.0.1:1 --db "jdbc:sqlite:$db" >/dev/null 2>&1 || true
python3 - "$db" "$hosts" "$scans" <<'PY'
import sqlite3, sys, datetime
db, hosts, scans = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
c = sqlite3.connect(db)
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
for s in range(scans):
    sid = s + 2
    at = now - datetime.timedelta(days=scans - s)
    c.execute("INSERT INTO scan (id, tag, mode, targets, started_at, finished_at) VALUES (?, 'estate', 'full', '10.0.0.0/14', ?, ?)",
              (sid, iso(at), iso(at + datetime.timedelta(minutes=5))))
    rows = []
    for h in range(hosts):
        ip = "10.%d.%d.%d" % (h >> 16 & 255, h >> 8 & 255, h & 255)
        if h % 100 == 99:
            rows.append((sid, ip + "|3389", ip, 3389, iso(at), 0, "CONNECT_TIMEOUT: no answer", None, None, None, None, None, None, None, "no answer", 10000))
        else:
            off = h % 10 == 9
            rows.append((sid, ip + "|3389", ip, 3389, iso(at), 1, None, "unavailable" if off else "required", 1 if off else 0,
                         "TLS 1.2,TLS 1.3", "%040X" % (h * 7919 + s // 10), iso(now + datetime.timedelta(days=h % 400)), 6, "10.0.20348",
                         "NLA is not offered" if off else "", 40 + h % 50))
    c.executemany("INSERT INTO host_result VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
c.commit()
print("bench: store with %d hosts x %d scans (%d results)" % (hosts, scans, hosts * scans), file=sys.stderr)
PY

xport=$(free_port)
bench_start_xrdp "$xport"

sport=$(free_port)
printf 'allow: [127.0.0.0/8]\n' >"$work/serve.yaml"
setsid ./rdpdoctor serve --listen "127.0.0.1:$sport" --db "jdbc:sqlite:$db" --config "$work/serve.yaml" >"$work/serve.out" 2>&1 &
serve_pid=$!
wait_port "$sport"
base="http://127.0.0.1:$sport"
curl -sf "$base/metrics" | grep -c '^rdpdoctor_up{' | sed 's/^/bench: \/metrics has rdpdoctor_up for /; s/$/ endpoints/' >&2

cat >"$work/paced.lua" <<'LUA'
-- each connection waits 100 ms between requests: 10 connections make ~100 requests/s
function delay() return 100 end
LUA
run() { # $1 = label, $2 = path
  echo "== $1 at ~100 requests/s (10 connections, 100 ms apart), ${secs}s"
  wrk -t2 -c10 -d"${secs}s" --latency -s "$work/paced.lua" "$base$2" | sed -n '/Latency Distribution/,/Transfer/p'
  echo "== $1 flat out (2 threads, 10 connections), ${secs}s"
  wrk -t2 -c10 -d"${secs}s" --latency "$base$2" | sed -n '/Latency Distribution/,/Transfer/p'
}
curl -sf "$base/metrics" >/dev/null; curl -sf "$base/host?target=10.0.0.5:3389" >/dev/null # warm up
run "/metrics ($(curl -sf "$base/metrics" | wc -c) bytes)" /metrics
run "/host?target=10.0.0.5:3389" "/host?target=10.0.0.5:3389"

echo "== /probe?module=quick of xrdp on 127.0.0.1:$xport, 20 runs (curl time_total)"
: >"$work/probe"
for _ in $(seq 20); do
  curl -s -o /dev/null -w '%{time_total}\n' "$base/probe?target=127.0.0.1:$xport&module=quick" >>"$work/probe"
done
sort -n "$work/probe" | awk '{a[NR]=$1} END {printf "median %.1f ms, max %.1f ms\n", a[int((NR+1)/2)] * 1000, a[NR] * 1000}'
curl -s "$base/probe?target=127.0.0.1:$xport&module=quick" | grep -E '^(probe_success|rdpdoctor_nla_required) '
