# Shell helpers the bench scripts share (sourced, not run): loopback ports and a bench xrdp.
# Every address is 127.0.0.1; callers own $work (a temporary folder) and stop "-$xrdp_pid".

# A free TCP port on 127.0.0.1 (the kernel's choice of an ephemeral one).
bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits up to 20 s for something to listen on 127.0.0.1:PORT; fails naming the port.
bench_wait_port() {
  for _ in $(seq 400); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 0.2).close()" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "bench: nothing listens on 127.0.0.1:$1" >&2
  return 1
}

# Starts xrdp on 127.0.0.1:PORT with its default security (negotiate, TLS 1.2/1.3, its own
# certificate) and its ini and logs in $work, in a session of its own (xrdp forks a child per
# connection: stop the whole group with kill -- "-$xrdp_pid"); sets xrdp_pid, waits for the port.
bench_start_xrdp() {
  local port=$1
  cat >"$work/xrdp.ini" <<INI
[Globals]
ini_version=1
fork=true
port=tcp://127.0.0.1:$port
security_layer=negotiate
crypt_level=high
certificate=
key_file=
ssl_protocols=TLSv1.2, TLSv1.3
[Logging]
LogFile=$work/xrdp.log
LogLevel=WARNING
EnableSyslog=false
[Xvnc]
name=Xvnc
lib=libvnc.so
username=ask
password=ask
ip=127.0.0.1
port=-1
INI
  setsid xrdp --nodaemon --config "$work/xrdp.ini" >"$work/xrdp.out" 2>&1 &
  xrdp_pid=$!
  bench_wait_port "$port"
}
