#!/usr/bin/env bash
# `rdpdoctor scan --quick` of thousands of loopback endpoints beside nmap's rdp-enum-encryption on
# the same list, in one run, and a 100,000-target list under -Xmx256m.
#
# The estate is bench/ScanResponders.java: COUNT X.224 listeners on one port, each on its own
# 127.1.x.y address, one selector thread (80% NLA required, 10% Standard RDP Security only, 5%
# silent, 5% resetting). The big list is those endpoints and, after them, closed ones (127.2.x.y
# on the same port: refused) up to BIG targets. Prints for each run: wall time, hosts/s, peak RSS
# and CPU (/usr/bin/time -v), and rdpdoctor's summary, which must find every planted kind.
#
#   bench/scan.sh [COUNT=5000] [BIG=100000]
#
# nmap runs its rdp scripts only on a port it believes is ms-wbt-server: a copy of nmap-services
# that maps the bench port to it is passed with --datadir (so no -sV service scan is timed).
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
count=${1:-5000}
big=${2:-100000}
cd "$here"
for tool in nmap python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is not installed (apt-get install time)" >&2; exit 2; }
# shellcheck source=../scripts/find-jdk.sh
. scripts/find-jdk.sh
rdpdoctor_find_jdk || exit 2
java=$JAVA_HOME/bin/java
./rdpdoctor --version >/dev/null # builds the jar (and protocol/target/classes) when sources changed
jar=$here/app/target/rdpdoctor.jar

work=$(mktemp -d)
responders=""
cleanup() {
  [ -n "$responders" ] && kill "$responders" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$java" -cp protocol/target/classes bench/ScanResponders.java "$port" "$count" "$work/hosts.txt" >"$work/responders.out" 2>&1 &
responders=$!
for _ in $(seq 600); do
  grep -q '^ready' "$work/responders.out" 2>/dev/null && break
  kill -0 "$responders" 2>/dev/null || { cat "$work/responders.out" >&2; exit 1; }
  sleep 0.1
done
grep -q '^ready' "$work/responders.out" || { echo "bench: the responders did not start" >&2; exit 1; }
sed "s/\$/:$port/" "$work/hosts.txt" >"$work/targets.txt"
echo "estate: $count endpoints on port $port ($(sed -n 's/^ready //p' "$work/responders.out"))"

# hosts/s and peak RSS of one timed command: NAME HOSTS COMMAND...
timed() {
  local name=$1 hosts=$2
  shift 2
  /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/$name.out" 2>"$work/$name.err" || true
  python3 - "$work/time.txt" "$name" "$hosts" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
secs = (int(wall.group(1) or 0) * 3600) + int(wall.group(2)) * 60 + float(wall.group(3))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1)) + float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
hosts = int(sys.argv[3])
print(f"{sys.argv[2]:<34} {hosts:>7} hosts  {secs:8.1f} s  {hosts / secs:8.0f} hosts/s  peak RSS {rss / 1024:7.0f} MB  CPU {cpu:6.1f} s")
PY
}

echo
echo "run                                  targets      wall        rate            memory       cpu"
timed "rdpdoctor-quick" "$count" "$java" -jar "$jar" scan -iL "$work/targets.txt" --quick --rate 100000 \
  --parallel 512 --timeout 3s --db "jdbc:sqlite:$work/quick.db" --tag bench
timed "rdpdoctor-quick-Xmx256m" "$count" "$java" -Xmx256m -jar "$jar" scan -iL "$work/targets.txt" --quick \
  --rate 100000 --parallel 512 --timeout 3s --db "jdbc:sqlite:$work/quick256.db" --tag bench

mkdir -p "$work/nmap"
grep -v '^ms-wbt-server' /usr/share/nmap/nmap-services >"$work/nmap/nmap-services"
printf 'ms-wbt-server\t%s/tcp\t0.5\n' "$port" >>"$work/nmap/nmap-services"
timed "nmap-rdp-enum-encryption" "$count" nmap --datadir "$work/nmap" -n -Pn -T4 -p "$port" \
  --script rdp-enum-encryption -iL "$work/hosts.txt" -oX "$work/nmap.xml"

python3 - "$work/targets.txt" "$port" "$big" >"$work/big.txt" <<'PY'
import sys
print(open(sys.argv[1]).read(), end="")
have = sum(1 for _ in open(sys.argv[1]))
port, big = sys.argv[2], int(sys.argv[3])
for n in range(1, big - have + 1):  # 127.2.0.1 on: nothing listens there
    print(f"127.{2 + n // 65536}.{n // 256 % 256}.{n % 256}:{port}")
PY
bigcount=$(wc -l <"$work/big.txt")
timed "rdpdoctor-quick-$((bigcount / 1000))k-Xmx256m" "$bigcount" "$java" -Xmx256m -jar "$jar" scan -iL "$work/big.txt" \
  --quick --yes --rate 100000 --parallel 512 --timeout 3s --db "jdbc:sqlite:$work/big.db" --tag big

echo
for run in rdpdoctor-quick rdpdoctor-quick-Xmx256m "rdpdoctor-quick-$((bigcount / 1000))k-Xmx256m"; do
  echo "$run: $(head -1 "$work/$run.out")"
  sed -n '2,$p' "$work/$run.out" | sed 's/^/  /'
  grep -h -i "error\|OutOfMemory" "$work/$run.err" | head -3 || true
done
# what nmap found: hosts whose script answered, by what it says of CredSSP
python3 - "$work/nmap.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
answered = nla = rdp = 0
for h in root.iter("host"):
    for s in h.iter("script"):
        if s.get("id") == "rdp-enum-encryption":
            answered += 1
            out = s.get("output", "")
            nla += "CredSSP (NLA): SUCCESS" in out
            rdp += "Native RDP: SUCCESS" in out
print(f"nmap: rdp-enum-encryption answered on {answered} hosts; CredSSP SUCCESS on {nla}, Native RDP SUCCESS on {rdp}")
PY
