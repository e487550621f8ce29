#!/usr/bin/env bash
# The lab's stand-in for a public registry such as ghcr.io (scripts/infra.sh step "public-registry";
# also runnable alone, as root). Idempotent: a run that finds everything up and current changes
# nothing and restarts nothing.
#
#   registry.ml-buildpacks.test   127.0.0.2 in /etc/hosts
#   https://registry.ml-buildpacks.test        docker-registry (Debian), TLS with a certificate from
#                                              a CA made here, `auth: token`, storage.delete off
#                                              (DELETE of a manifest answers 405, as on GHCR)
#   https://registry.ml-buildpacks.test:5001/token/   token endpoint (the realm): token-front,
#                                              scripts/token-server/main.go, which adds anonymous
#                                              and cross-namespace pulls of public repositories
#   https://registry.ml-buildpacks.test:5002/token/   the distribution project's reference token
#                                              server (contrib/token-server, v2.8.3, unchanged):
#                                              htpasswd users, each may do anything in <user>/*
#   http://127.0.0.1:3128                      tinyproxy, an HTTP CONNECT proxy (ports 443, 5001)
#
# Users (passwords generated once, in .infra/public-registry/users/<name>.password, mode 600):
#   ml-buildpacks   the maintainer: pushes the published images to ml-buildpacks/*
#   alice           a user: pushes her apps to alice/*
# Anyone, logged in or not, may pull ml-buildpacks/* (public, like public GHCR packages).
#
# Trust: the CA goes into the system store (update-ca-certificates; build containers get it from
# /etc/ssl/certs/ca-certificates.crt through the CLI's --ca-certs, see scripts/test.sh) and into
# dockerd's /etc/docker/certs.d/registry.ml-buildpacks.test/ca.crt.
#
# State in .infra/public-registry/ (gitignored): pki/ (kept across runs), data/ (registry storage),
# users/, htpasswd, *.pid, logs/. Reset: see docs/lab.md.
set -Eeuo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$REPO/.infra/public-registry"
BIN="$REPO/.infra/bin"
PKI="$DIR/pki"
LOGS="$DIR/logs"

HOST=registry.ml-buildpacks.test
IP=127.0.0.2
REGISTRY_ADDR=$IP:443
FRONT_PORT=5001
REFERENCE_PORT=5002
PROXY_ADDR=127.0.0.1:3128
REALM="https://$HOST:$FRONT_PORT/token/"
SERVICE=$HOST
ISSUER=ml-buildpacks-lab-token-server
PUBLIC_PREFIXES=ml-buildpacks/
USERS=(ml-buildpacks alice)
CA_NAME=ml-buildpacks-lab-ca
case ":$PATH:" in *:/usr/local/go/bin:*) ;; *) export PATH="$PATH:/usr/local/go/bin" ;; esac
export DEBIAN_FRONTEND=noninteractive

STEP=""
STEP_MSG=""

now_us() { local t=${EPOCHREALTIME//[.,]/}; echo "$t"; }
fmt_duration() {
  local us=$1 s
  s=$((us / 1000000))
  if [ "$s" -ge 60 ]; then printf '%dm%02ds' $((s / 60)) $((s % 60))
  else printf '%d.%ds' "$s" $(((us % 1000000) / 100000)); fi
}
log() { echo "public-registry: $*"; }
fail() { echo "public-registry: ERROR: $*" >&2; exit 1; }
run_step() {
  local started
  STEP=$1; shift
  STEP_MSG=""
  started=$(now_us)
  "$@"
  log "${STEP_MSG:-$STEP done} ($(fmt_duration $(($(now_us) - started))))"
  STEP=""
}
on_error() {
  local rc=$? line=$1
  # shellcheck disable=SC2016 # the quotes are text around the expanded step name
  echo "public-registry: FAILED${STEP:+ in step '$STEP'} (exit $rc, scripts/public-registry.sh line $line)" >&2
  exit "$rc"
}
trap 'on_error $LINENO' ERR

# Replace DEST with SRC's content when it differs; prints "changed" or "unchanged".
install_if_changed() {
  local src=$1 dest=$2 mode=${3:-644}
  if [ -f "$dest" ] && cmp -s "$src" "$dest"; then echo unchanged; return 0; fi
  mkdir -p "$(dirname "$dest")"
  install -m "$mode" "$src" "$dest.tmp.$$"
  mv "$dest.tmp.$$" "$dest"
  echo changed
}

# ----------------------------------------------------------------------------------------------
# steps

ensure_tools() {
  local missing=() p
  for p in openssl tinyproxy apache2-utils curl ca-certificates; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  command -v go >/dev/null || fail "go not found (expected /usr/local/go/bin/go); needed to build the token server"
  if [ ${#missing[@]} -eq 0 ]; then STEP_MSG="openssl, tinyproxy, htpasswd present"; return 0; fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's package may start its own tinyproxy (port 8888, every interface) where services may
  # start; ours runs from our config only.
  if [ -f /run/tinyproxy/tinyproxy.pid ] && kill -0 "$(cat /run/tinyproxy/tinyproxy.pid)" 2>/dev/null; then
    kill "$(cat /run/tinyproxy/tinyproxy.pid)" || true
  fi
  STEP_MSG="installed ${missing[*]}"
}

ensure_hosts() {
  local ip_re=${IP//./\\.} host_re=${HOST//./\\.}
  if grep -qE "^[[:space:]]*${ip_re}[[:space:]]+([^#]*[[:space:]])?${host_re}([[:space:]]|\$)" /etc/hosts; then
    STEP_MSG="/etc/hosts already maps $HOST to $IP"
    return 0
  fi
  if grep -qE "^[^#]*[[:space:]]${host_re}([[:space:]]|\$)" /etc/hosts; then
    fail "/etc/hosts maps $HOST to another address; remove that line (the lab expects $IP)"
  fi
  # Appended in place: /etc/hosts is often a bind mount that cannot be replaced by a rename.
  echo "$IP $HOST" >>/etc/hosts
  STEP_MSG="added '$IP $HOST' to /etc/hosts"
}

# CA (10 years), server certificate for $HOST (1 year, renewed 30 days before it expires or when
# the CA changed), and the token signing key with its certificate (the registry's rootcertbundle).
ensure_pki() {
  local made=()
  mkdir -p "$PKI"
  chmod 700 "$PKI"
  if [ ! -s "$PKI/ca.key" ] || [ ! -s "$PKI/ca.crt" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
      -subj "/O=ml-buildpacks lab/CN=ml-buildpacks lab CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$PKI/ca.key" -out "$PKI/ca.crt" 2>/dev/null
    rm -f "$PKI/server.crt"
    made+=(CA)
  fi
  if [ ! -s "$PKI/server.crt" ] || ! openssl x509 -checkend 2592000 -noout -in "$PKI/server.crt" >/dev/null ||
    ! openssl verify -CAfile "$PKI/ca.crt" "$PKI/server.crt" >/dev/null 2>&1; then
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
      -subj "/O=ml-buildpacks lab/CN=$HOST" -keyout "$PKI/server.key" -out "$PKI/server.csr" 2>/dev/null
    printf '%s\n' "subjectAltName=DNS:$HOST" "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >"$PKI/server.ext"
    openssl x509 -req -in "$PKI/server.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
      -days 365 -extfile "$PKI/server.ext" -out "$PKI/server.crt" 2>/dev/null
    rm -f "$PKI/server.csr"
    made+=("server certificate")
  fi
  # The reference token server reads an "EC PRIVATE KEY" PEM (libtrust); docker-registry trusts
  # the key through a certificate holding it.
  if [ ! -s "$PKI/token.key" ] || [ ! -s "$PKI/token.crt" ]; then
    openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/token.key"
    openssl req -x509 -new -key "$PKI/token.key" -days 3650 -subj "/O=ml-buildpacks lab/CN=$ISSUER" \
      -out "$PKI/token.crt" 2>/dev/null
    made+=("token signing key")
  fi
  chmod 600 "$PKI"/*.key

  local trusted=()
  [ "$(install_if_changed "$PKI/ca.crt" "/usr/local/share/ca-certificates/$CA_NAME.crt")" = changed ] && {
    update-ca-certificates >/dev/null 2>&1 || fail "update-ca-certificates failed"
    trusted+=("system store")
  }
  [ "$(install_if_changed "$PKI/ca.crt" "/etc/docker/certs.d/$HOST/ca.crt")" = changed ] && trusted+=(dockerd)
  grep -qF "$(sed -n 2p "$PKI/ca.crt")" /etc/ssl/certs/ca-certificates.crt ||
    fail "the lab CA is not in /etc/ssl/certs/ca-certificates.crt after update-ca-certificates"
  STEP_MSG="PKI in .infra/public-registry/pki: made [${made[*]}], newly trusted by [${trusted[*]}]"
}

# Both binaries from scripts/token-server (go.mod pins github.com/docker/distribution v2.8.3; go.sum
# pins every module): the reference server unchanged, and token-front (main.go).
ensure_token_server_build() {
  local src="$REPO/scripts/token-server" stamp="$DIR/token-server.build" inputs
  inputs=$( { cat "$src/go.mod" "$src/go.sum" "$src/main.go"; go version; } | sha256sum | cut -d' ' -f1)
  if [ -x "$BIN/token-server" ] && [ -x "$BIN/token-front" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$inputs" ]; then
    STEP_MSG="token-server and token-front already built in .infra/bin"
    return 0
  fi
  mkdir -p "$BIN" "$DIR"
  (cd "$src" &&
    CGO_ENABLED=0 go build -o "$BIN/token-server.new" github.com/docker/distribution/contrib/token-server &&
    CGO_ENABLED=0 go build -o "$BIN/token-front.new" .)
  mv "$BIN/token-server.new" "$BIN/token-server"
  mv "$BIN/token-front.new" "$BIN/token-front"
  echo "$inputs" >"$stamp"
  STEP_MSG="built token-server (distribution v2.8.3 contrib/token-server) and token-front in .infra/bin"
}

# One password per user, made once; the htpasswd file (bcrypt) is rewritten when a password file is
# newer. The reference server re-reads htpasswd when its mtime changes: no restart needed.
ensure_users() {
  local users="$DIR/users" user rebuild=false made=()
  mkdir -p "$users"
  chmod 700 "$users"
  for user in "${USERS[@]}"; do
    if [ ! -s "$users/$user.password" ]; then
      (umask 077 && openssl rand -hex 16 >"$users/$user.password")
      made+=("$user")
    fi
    [ "$users/$user.password" -nt "$DIR/htpasswd" ] && rebuild=true
    grep -q "^$user:" "$DIR/htpasswd" 2>/dev/null || rebuild=true
  done
  if $rebuild; then
    local tmp="$DIR/htpasswd.tmp.$$"
    (umask 077 && : >"$tmp")
    for user in "${USERS[@]}"; do
      # -i: the password from stdin, never in argv.
      htpasswd -B -i "$tmp" "$user" <"$users/$user.password" 2>/dev/null
    done
    mv "$tmp" "$DIR/htpasswd"
  fi
  STEP_MSG="users [${USERS[*]}]: new passwords for [${made[*]}], htpasswd $($rebuild && echo rewritten || echo current)"
}

# ---- daemons: each has a pid file and a spec (its command line plus a hash of every file it
# reads); a running daemon whose spec is unchanged is kept, otherwise it is restarted.

our_pid() { # prints the pid of our running daemon NAME, if any
  local pidfile="$DIR/$1.pid" pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$DIR" && echo "$pid"
}

stop_daemon() {
  local name=$1 pid
  pid=$(our_pid "$name") || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  rm -f "$DIR/$name.pid"
}

# ensure_daemon NAME PROBE SPEC -- COMMAND...: PROBE is a function that succeeds when the service
# answers. Sets DAEMON_STATE to kept, started or restarted.
ensure_daemon() {
  local name=$1 probe=$2 spec=$3 pid
  shift 4
  mkdir -p "$LOGS"
  if pid=$(our_pid "$name"); then
    if [ "$(cat "$DIR/$name.spec" 2>/dev/null)" = "$spec" ] && "$probe"; then
      DAEMON_STATE=kept
      return 0
    fi
    stop_daemon "$name"
    DAEMON_STATE=restarted
  else
    DAEMON_STATE=started
    if "$probe"; then
      fail "something that is not this checkout's $name already answers on its address; stop it (see docs/lab.md)"
    fi
  fi
  setsid nohup "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$DIR/$name.pid"
  echo "$spec" >"$DIR/$name.spec"
  for _ in $(seq 1 120); do
    "$probe" && return 0
    if ! kill -0 "$(cat "$DIR/$name.pid")" 2>/dev/null; then
      tail -n 20 "$LOGS/$name.log" >&2 || true
      fail "$name exited; see .infra/public-registry/logs/$name.log"
    fi
    sleep 0.25
  done
  tail -n 20 "$LOGS/$name.log" >&2 || true
  fail "$name did not answer within 30s; see .infra/public-registry/logs/$name.log"
}

files_hash() { cat "$@" | sha256sum | cut -d' ' -f1; }
status_of() { curl -sS -m 3 -o /dev/null -w '%{http_code}' --cacert "$PKI/ca.crt" "$@" 2>/dev/null || true; }

# The reference server answers 401 (Basic challenge) to a request without credentials.
reference_up() { [ "$(status_of "https://$HOST:$REFERENCE_PORT/token/?service=$SERVICE")" = 401 ]; }
front_up() { [ "$(status_of "https://$HOST:$FRONT_PORT/token/?service=$SERVICE")" = 200 ]; }
registry_up() { [ "$(status_of "https://$HOST/v2/")" = 401 ]; }
proxy_up() { [ "$(status_of --proxy "http://$PROXY_ADDR" "https://$HOST/v2/")" = 401 ]; }

ensure_token_servers() {
  local cmd spec states=()
  cmd=("$BIN/token-server" -addr "$IP:$REFERENCE_PORT" -issuer "$ISSUER" -key "$PKI/token.key"
    -passwd "$DIR/htpasswd" -realm "$HOST" -tlscert "$PKI/server.crt" -tlskey "$PKI/server.key")
  spec="${cmd[*]} $(files_hash "$BIN/token-server" "$PKI/token.key" "$PKI/server.crt")"
  ensure_daemon reference-token-server reference_up "$spec" -- "${cmd[@]}"
  states+=("reference $DAEMON_STATE")
  cmd=("$BIN/token-front" -addr "$IP:$FRONT_PORT" -backend "https://$HOST:$REFERENCE_PORT/token/"
    -backend-ca "$PKI/ca.crt" -key "$PKI/token.key" -issuer "$ISSUER" -public "$PUBLIC_PREFIXES"
    -tlscert "$PKI/server.crt" -tlskey "$PKI/server.key")
  spec="${cmd[*]} $(files_hash "$BIN/token-front" "$PKI/token.key" "$PKI/server.crt" "$PKI/ca.crt")"
  ensure_daemon token-front front_up "$spec" -- "${cmd[@]}"
  states+=("front $DAEMON_STATE")
  STEP_MSG="token servers: ${states[*]} ($REALM)"
}

write_registry_config() {
  local cfg="$DIR/registry.yml" tmp secret
  mkdir -p "$DIR/data"
  [ -s "$DIR/http-secret" ] || (umask 077 && openssl rand -hex 32 >"$DIR/http-secret")
  secret=$(cat "$DIR/http-secret")
  tmp=$(mktemp "$cfg.XXXXXX")
  cat >"$tmp" <<EOF
# Written by scripts/public-registry.sh; regenerated on every run.
# Certificates: server $(files_hash "$PKI/server.crt" "$PKI/server.key"), token $(files_hash "$PKI/token.crt")
version: 0.1
log:
  level: info
  fields:
    service: public-registry
storage:
  filesystem:
    rootdirectory: $DIR/data
  # GHCR answers DELETE of a manifest with 405; so does this registry (UNSUPPORTED).
  delete:
    enabled: false
http:
  addr: $REGISTRY_ADDR
  host: https://$HOST
  secret: $secret
  tls:
    certificate: $PKI/server.crt
    key: $PKI/server.key
  headers:
    X-Content-Type-Options: [nosniff]
auth:
  token:
    realm: $REALM
    service: $SERVICE
    issuer: $ISSUER
    rootcertbundle: $PKI/token.crt
EOF
  chmod 600 "$tmp"
  if cmp -s "$tmp" "$cfg"; then rm -f "$tmp"; else mv "$tmp" "$cfg"; fi
}

ensure_registry() {
  write_registry_config
  local spec
  spec="$(files_hash /usr/bin/docker-registry "$DIR/registry.yml")"
  ensure_daemon registry registry_up "$spec" -- /usr/bin/docker-registry serve "$DIR/registry.yml"
  STEP_MSG="registry $DAEMON_STATE: https://$HOST ($REGISTRY_ADDR)"
}

ensure_proxy() {
  local cfg="$DIR/proxy/tinyproxy.conf" tmp spec
  mkdir -p "$DIR/proxy"
  tmp=$(mktemp "$cfg.XXXXXX")
  # LogLevel Connect logs each request line ("CONNECT registry.ml-buildpacks.test:443 ..."): the
  # tests read it to see that a push went through the proxy. No User: it stays root, so it can
  # write its log here.
  cat >"$tmp" <<EOF
# Written by scripts/public-registry.sh; regenerated on every run.
Listen ${PROXY_ADDR%:*}
Port ${PROXY_ADDR#*:}
Timeout 600
MaxClients 100
LogFile "$DIR/proxy/tinyproxy.log"
LogLevel Connect
PidFile "$DIR/proxy/tinyproxy.pid"
DisableViaHeader Yes
Allow 127.0.0.0/8
ConnectPort 443
ConnectPort $FRONT_PORT
EOF
  chmod 644 "$tmp"
  if cmp -s "$tmp" "$cfg"; then rm -f "$tmp"; else mv "$tmp" "$cfg"; fi
  spec="$(files_hash "$(command -v tinyproxy)" "$cfg")"
  ensure_daemon proxy proxy_up "$spec" -- "$(command -v tinyproxy)" -d -c "$cfg"
  STEP_MSG="proxy $DAEMON_STATE: http://$PROXY_ADDR (tinyproxy, log .infra/public-registry/proxy/tinyproxy.log)"
}

summary() {
  echo "public-registry: summary"
  echo "  registry:  https://$HOST ($REGISTRY_ADDR; TLS, token auth, DELETE answers 405)"
  echo "  token:     $REALM (token-front) -> https://$HOST:$REFERENCE_PORT/token/ (reference token server)"
  echo "  CA:        $PKI/ca.crt (system store, /etc/docker/certs.d/$HOST/ca.crt)"
  echo "  users:     ${USERS[*]} (passwords in $DIR/users/<name>.password); each pushes to <name>/*"
  echo "  public:    $PUBLIC_PREFIXES* (anyone may pull)"
  echo "  proxy:     http://$PROXY_ADDR (log $DIR/proxy/tinyproxy.log)"
  echo "  storage:   $DIR/data"
}

main() {
  [ "$(id -u)" -eq 0 ] || fail "run as root (edits /etc/hosts, the system trust store, binds port 443)"
  mkdir -p "$DIR"
  run_step tools ensure_tools
  run_step hosts ensure_hosts
  run_step pki ensure_pki
  run_step token-server-build ensure_token_server_build
  run_step users ensure_users
  run_step token-servers ensure_token_servers
  run_step registry ensure_registry
  run_step proxy ensure_proxy
  summary
}

main "$@"
