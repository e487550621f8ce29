# Sourced by scripts/python-mirror.sh and scripts/conda-channel.sh: serves <out>/www over HTTP on
# 127.0.0.1:<port> (python3 -m http.server), once. The server on the port must serve this checkout's
# folder (tests write files there): www/<owner file> holds the folder's path, so a server of this
# checkout is kept, one of another checkout (a second clone on the same machine) is stopped through
# its pidfile or its command line, and anything else on the port is an error. The caller defines
# log and fail.
#
# serve_dir OUT PORT OWNER_FILE PROBE_PATH PORT_VARIABLE
serve_dir() {
  local out=$1 port=$2 owner_file=$3 probe=$4 port_variable=$5
  local pidfile="$out.pid" owner
  up() { curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$port/$probe" 2>/dev/null; }
  served() { curl -fsS -m 2 "http://127.0.0.1:$port/$owner_file" 2>/dev/null || true; }
  echo "$out" >"$out/www/$owner_file"
  if up; then
    owner=$(served)
    [ "$owner" = "$out" ] && return 0
    log "port $port serves ${owner:-another folder}, not $out: stopping that server"
    if { [ -n "$owner" ] && [ -f "$owner.pid" ] && kill "$(cat "$owner.pid")" 2>/dev/null; } ||
      pkill -f "http.server --bind 127.0.0.1 --directory .*/$(basename "$out")/www $port\$"; then
      local j
      for j in $(seq 1 40); do up || break; sleep 0.25; done
    else
      fail "something else answers on 127.0.0.1:$port; stop it or set $port_variable"
    fi
  fi
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")" || true
    sleep 0.5
  fi
  setsid nohup python3 -m http.server --bind 127.0.0.1 --directory "$out/www" "$port" \
    >>"$out/server.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  local i
  for i in $(seq 1 40); do
    [ "$(served)" = "$out" ] && return 0
    sleep 0.25
  done
  fail "nothing answered on http://127.0.0.1:$port within 10s; see $out/server.log"
}
