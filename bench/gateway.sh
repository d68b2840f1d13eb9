#!/usr/bin/env bash
# `rdpdoctor gateway` without credentials against the bench RD Gateway (gw1's, from probe's test
# classes: TLS, RDG_OUT_DATA/RDG_IN_DATA, WebSocket, NTLM) on 127.0.0.1, an ephemeral port: the
# wall time of the whole command as a user runs it, JVM start included (./rdpdoctor, class-data
# archive recorded by a first run that is not timed). Nothing listens on UDP 3391 here, so the
# DTLS check ends at the ICMP port-unreachable at once. Prints each run and the median over N
# runs (default 7); the goal is under 1 s.
#
#   bench/gateway.sh [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=${1:-7}
cd "$here"
./rdpdoctor --version >/dev/null   # builds the jar when sources changed
if [ ! -f probe/target/test-classes/rdpdoctor/probe/gateway/bench/BenchGateway.class ] \
    || [ ! -f evidence/target/test-classes/rdpdoctor/evidence/x509/TestCertificates.class ]; then
  ./test -pl probe -am -DskipTests -q >/dev/null
fi
# the bench gateway is Java 21 code: the first JDK >= 21 of the places the launcher looks in
javabin=
for j in ${RDPDOCTOR_JAVA_HOME:+$RDPDOCTOR_JAVA_HOME/bin/java} ${JAVA_HOME:+$JAVA_HOME/bin/java} \
    "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
  [ -x "$j" ] || continue
  v=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  if [ "${v%%.*}" -ge 21 ] 2>/dev/null; then javabin=$j; break; fi
done
[ -n "$javabin" ] || { echo "bench: no JDK 21 or newer found" >&2; exit 2; }
cp="app/target/rdpdoctor.jar:app/target/lib/rdpdoctor-libraries.jar:probe/target/test-classes:evidence/target/test-classes"

portfile=$(mktemp)
"$javabin" -cp "$cp" bench/GatewayServer.java >"$portfile" </dev/null &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$portfile"; }
trap cleanup EXIT
for _ in $(seq 200); do
  port=$(cat "$portfile" 2>/dev/null || true)
  [ -n "$port" ] && break
  sleep 0.05
done
[ -n "$port" ] || { echo "bench: the bench gateway did not start" >&2; exit 2; }

./rdpdoctor gateway "127.0.0.1:$port" --json >/dev/null || true   # records the class-data archive
times=()
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  ./rdpdoctor gateway "127.0.0.1:$port" --json >/dev/null || true   # exit 1: the bench's self-signed certificate
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run $i: $ms ms"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "rdpdoctor gateway (no credentials, bench gateway, JVM start included): median $median ms over $runs runs (goal < 1000 ms)"
