#!/usr/bin/env bash
# npm run infra: bring up everything ml-buildpacks builds against on this machine, idempotently.
#
#   Debian packages -> dockerd -> local registry (127.0.0.1:5000) -> qemu binfmt (arm64)
#   -> lifecycle binaries -> Debian 13 base image -> stack images (build/run) -> project bundle
#   -> builder image (hook, via the project CLI)
#
# Each step installs what is missing or starts what is not running, and logs one line with its
# duration. A second run that finds everything up and current takes seconds. All state lives in
# $REPO/.infra/ (gitignored). Runs as root on Debian 12 or 13. No public container registry is
# assumed to be reachable: the base image is made with debootstrap from the machine's Debian mirror.
set -Eeuo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INFRA="$REPO/.infra"

LIFECYCLE_VERSION=0.21.17
ACT_VERSION=v0.2.87
REGISTRY_ADDR=127.0.0.1:5000
REGISTRY_URL="http://$REGISTRY_ADDR"
IMAGE_PREFIX="$REGISTRY_ADDR/ml-buildpacks"
PUBLIC_BASE=debian:trixie-slim
LOCAL_BASE=ml-buildpacks/debian:trixie
INPUTS_LABEL=dev.ml-buildpacks.stack.inputs-sha256
# Debian's client: BuildKit is built in (the client in /usr/local/bin has no buildx).
DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=1
export DEBIAN_FRONTEND=noninteractive
case ":$PATH:" in *:/usr/local/go/bin:*) ;; *) export PATH="$PATH:/usr/local/go/bin" ;; esac

FLAVOR=cpu
ARCHES=(amd64)
BASE_IMAGE=""        # set by ensure_base_image
IMAGES_BUILT=()      # for the summary
STEP=""              # current step, for the error trap
STEP_MSG=""          # one-line outcome of the current step

usage() {
  cat <<EOF
Usage: bash scripts/infra.sh [--flavor cpu] [--arch amd64|arm64|all] [--all] [--help]

Installs and starts what ml-buildpacks needs on this machine (Debian 12/13, as root):
Debian packages, dockerd (no bridge; use --network host), a registry on $REGISTRY_ADDR,
qemu binfmt for arm64, lifecycle $LIFECYCLE_VERSION binaries in .infra/lifecycle/linux-<arch>/,
a Debian 13 base image, the stack images $IMAGE_PREFIX/{build,run}:<flavor>,
the project bundle (npm install / npm run build) and the builder image $IMAGE_PREFIX/builder:<flavor>.

Options:
  --flavor NAME   stack flavor, a directory under stacks/ (default: cpu)
  --arch ARCH     lifecycle binaries to build: amd64 (default), arm64 or all; amd64 is always
                  built because the stack and builder images are amd64
  --all           same as --arch all
  -h, --help      show this help

State lives in .infra/ (gitignored). Safe to run again: a run that finds everything current
takes seconds.
EOF
}

die_usage() { echo "infra: $*" >&2; echo "Run 'bash scripts/infra.sh --help' for usage." >&2; exit 2; }

parse_args() {
  local arch=amd64
  while [ $# -gt 0 ]; do
    case "$1" in
      --flavor) [ $# -ge 2 ] || die_usage "--flavor needs a value"; FLAVOR=$2; shift 2 ;;
      --flavor=*) FLAVOR=${1#*=}; shift ;;
      --arch) [ $# -ge 2 ] || die_usage "--arch needs a value"; arch=$2; shift 2 ;;
      --arch=*) arch=${1#*=}; shift ;;
      --all) arch=all; shift ;;
      -h|--help) usage; exit 0 ;;
      *) die_usage "unknown option: $1" ;;
    esac
  done
  case "$arch" in
    amd64) ARCHES=(amd64) ;;
    arm64|all) ARCHES=(amd64 arm64) ;;
    *) die_usage "unsupported --arch '$arch' (expected amd64, arm64 or all)" ;;
  esac
  case "$FLAVOR" in
    ''|*[!a-z0-9-]*) die_usage "invalid --flavor '$FLAVOR'" ;;
  esac
  [ -f "$REPO/stacks/$FLAVOR/Dockerfile" ] ||
    die_usage "unknown --flavor '$FLAVOR': stacks/$FLAVOR/Dockerfile does not exist"
}

# ----------------------------------------------------------------------------------------------
# logging and timing

now_us() { local t=${EPOCHREALTIME//[.,]/}; echo "$t"; }
fmt_duration() { # microseconds -> "4.2s" / "1m03s"
  local us=$1 s
  s=$((us / 1000000))
  if [ "$s" -ge 60 ]; then printf '%dm%02ds' $((s / 60)) $((s % 60))
  else printf '%d.%ds' "$s" $(((us % 1000000) / 100000)); fi
}
log() { echo "infra: $*"; }
warn() { echo "infra: WARNING: $*" >&2; }
fail() { echo "infra: ERROR: $*" >&2; exit 1; }

# run_step NAME FUNCTION [ARGS...]: the function sets STEP_MSG; one line with the duration follows.
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
  echo "infra: FAILED${STEP:+ in step '$STEP'} (exit $rc, scripts/infra.sh line $line)" >&2
  exit "$rc"
}
trap 'on_error $LINENO' ERR

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# ----------------------------------------------------------------------------------------------
# steps

ensure_packages() {
  # apache2-utils: htpasswd, for the registry tests with auth switched on.
  local pkgs=(docker.io docker-registry qemu-user-static binfmt-support debootstrap curl ca-certificates apache2-utils)
  local missing=() p
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    STEP_MSG="Debian packages already installed"
    return 0
  fi
  log "installing ${missing[*]} ..."
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  STEP_MSG="installed ${missing[*]}"
}

docker_up() { "$DOCKER" info >/dev/null 2>&1; }

ensure_dockerd() {
  if docker_up; then
    STEP_MSG="dockerd already running"
    return 0
  fi
  mkdir -p "$INFRA"
  local pid=""
  if pid_alive "$INFRA/dockerd.pid"; then
    pid=$(cat "$INFRA/dockerd.pid")
    log "dockerd (pid $pid) is starting, waiting ..."
  else
    # dockerd writes its own pidfile and refuses to start over one naming a live process.
    rm -f "$INFRA/dockerd.pid"
    # No bridge network, no iptables: every container and build uses --network host.
    setsid nohup /usr/sbin/dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
      --pidfile "$INFRA/dockerd.pid" >>"$INFRA/dockerd.log" 2>&1 </dev/null &
    pid=$!
  fi
  local i
  for i in $(seq 1 120); do
    docker_up && { STEP_MSG="started dockerd (log .infra/dockerd.log)"; return 0; }
    if ! kill -0 "$pid" 2>/dev/null && ! pid_alive "$INFRA/dockerd.pid"; then
      tail -n 20 "$INFRA/dockerd.log" >&2 || true
      fail "dockerd exited; see .infra/dockerd.log"
    fi
    sleep 0.5
  done
  tail -n 20 "$INFRA/dockerd.log" >&2 || true
  fail "dockerd did not answer 'docker info' within 60s; see .infra/dockerd.log"
}

registry_up() { curl -fsS -m 2 -o /dev/null "$REGISTRY_URL/v2/" 2>/dev/null; }

write_registry_config() {
  mkdir -p "$INFRA/registry/data"
  local cfg="$INFRA/registry/config.yml" tmp
  tmp=$(mktemp "$cfg.XXXXXX")
  chmod 644 "$tmp"
  cat >"$tmp" <<EOF
# Written by scripts/infra.sh; regenerated on every run.
version: 0.1
log:
  level: info
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $INFRA/registry/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $REGISTRY_ADDR
  headers:
    X-Content-Type-Options: [nosniff]
EOF
  if cmp -s "$tmp" "$cfg"; then
    rm -f "$tmp"
    echo unchanged
  else
    mv "$tmp" "$cfg"
    echo changed
  fi
}

ensure_registry() {
  local changed=false
  [ "$(write_registry_config)" = changed ] && changed=true
  if registry_up; then
    if $changed && pid_alive "$INFRA/registry.pid"; then
      log "registry config changed, restarting our registry (pid $(cat "$INFRA/registry.pid"))"
      kill "$(cat "$INFRA/registry.pid")"
      local i
      for i in $(seq 1 20); do registry_up || break; sleep 0.5; done
    else
      STEP_MSG="registry already running at $REGISTRY_URL"
      if $changed; then
        warn "registry config changed but the running registry was not started by this script; left as is"
      fi
      return 0
    fi
  fi
  setsid nohup /usr/bin/docker-registry serve "$INFRA/registry/config.yml" \
    >>"$INFRA/registry/registry.log" 2>&1 </dev/null &
  echo $! >"$INFRA/registry.pid"
  local i
  for i in $(seq 1 60); do
    registry_up && { STEP_MSG="started registry at $REGISTRY_URL (log .infra/registry/registry.log)"; return 0; }
    if ! pid_alive "$INFRA/registry.pid"; then
      tail -n 20 "$INFRA/registry/registry.log" >&2 || true
      fail "docker-registry exited; see .infra/registry/registry.log"
    fi
    sleep 0.5
  done
  fail "registry did not answer $REGISTRY_URL/v2/ within 30s; see .infra/registry/registry.log"
}

# Not fatal: only arm64 builds need it.
ensure_binfmt() {
  local dir=/proc/sys/fs/binfmt_misc conf=/usr/lib/binfmt.d/qemu-aarch64.conf
  if [ -e "$dir/qemu-aarch64" ]; then
    STEP_MSG="qemu-aarch64 binfmt already registered"
    return 0
  fi
  if ! mountpoint -q "$dir"; then
    if ! mount -t binfmt_misc binfmt_misc "$dir" 2>/dev/null; then
      warn "cannot mount binfmt_misc: arm64 images cannot run here (amd64 is unaffected)"
      STEP_MSG="qemu binfmt unavailable (arm64 emulation off)"
      return 0
    fi
  fi
  if [ -e "$dir/qemu-aarch64" ]; then
    STEP_MSG="mounted binfmt_misc; qemu-aarch64 already registered"
    return 0
  fi
  if [ -f "$conf" ] && cat "$conf" >"$dir/register" 2>/dev/null; then
    STEP_MSG="registered qemu-aarch64 binfmt (arm64 emulation on)"
  else
    warn "cannot register $conf: arm64 images cannot run here (amd64 is unaffected)"
    STEP_MSG="qemu binfmt unavailable (arm64 emulation off)"
  fi
}

# Does the lifecycle in $1 report $LIFECYCLE_VERSION? A foreign-arch binary that cannot be
# executed here is checked through the build info Go embeds (module version + ldflags).
lifecycle_current() {
  local bin=$1/lifecycle out
  [ -x "$bin" ] && [ -x "$1/launcher" ] || return 1
  if out=$("$bin" -version 2>/dev/null); then
    [ "$out" = "$LIFECYCLE_VERSION" ]
  else
    go version -m "$bin" 2>/dev/null | grep -q "cmd.Version=$LIFECYCLE_VERSION\b"
  fi
}

ensure_lifecycle() {
  local arch=$1 out="$INFRA/lifecycle/linux-$1" phase
  if lifecycle_current "$out"; then
    STEP_MSG="lifecycle $LIFECYCLE_VERSION already built in .infra/lifecycle/linux-$arch"
    return 0
  fi
  command -v go >/dev/null || fail "go not found (expected /usr/local/go/bin/go); needed to build the lifecycle"
  log "building lifecycle $LIFECYCLE_VERSION for linux/$arch from scripts/lifecycle (about a minute the first time) ..."
  local tmp="$INFRA/lifecycle/.tmp-linux-$arch"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  (cd "$REPO/scripts/lifecycle" &&
    CGO_ENABLED=0 GOOS=linux GOARCH="$arch" go build \
      -ldflags "-X github.com/buildpacks/lifecycle/cmd.Version=$LIFECYCLE_VERSION" \
      -o "$tmp/" github.com/buildpacks/lifecycle/cmd/lifecycle github.com/buildpacks/lifecycle/cmd/launcher)
  for phase in analyzer detector restorer builder exporter creator rebaser extender; do
    ln -s lifecycle "$tmp/$phase"
  done
  rm -rf "$out"
  mv "$tmp" "$out"
  lifecycle_current "$out" || fail "built lifecycle in $out does not report version $LIFECYCLE_VERSION"
  STEP_MSG="built lifecycle $LIFECYCLE_VERSION in .infra/lifecycle/linux-$arch"
}

# act, a real GitHub Actions runner with its own cache server, for the action's e2e tests.
ensure_act() {
  local bin="$INFRA/bin/act"
  if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null)" = "act version ${ACT_VERSION#v}" ]; then
    STEP_MSG="act $ACT_VERSION already built in .infra/bin"
    return 0
  fi
  command -v go >/dev/null || fail "go not found (expected /usr/local/go/bin/go); needed to build act"
  log "building act $ACT_VERSION from its Go module (about a minute the first time) ..."
  mkdir -p "$INFRA/bin"
  (cd "$INFRA" && GOBIN="$INFRA/bin" CGO_ENABLED=0 go install "github.com/nektos/act@$ACT_VERSION")
  STEP_MSG="built act $ACT_VERSION in .infra/bin"
}

# gitlab-ci-local (the GitLab e2e test's runner): rsync on the host, the npm package in .infra/tools
# (4.70.0: newer releases need Node 22), and its helper image built from our Debian base.
GCL_VERSION=4.70.0
GCL_HELPER=ml-buildpacks/gitlab-ci-local-helper:1
ensure_gitlab_ci_local() {
  local dir="$INFRA/tools/gitlab-ci-local-$GCL_VERSION" ctx base
  command -v rsync >/dev/null || apt-get install -y -q rsync >/dev/null
  [ -x "$dir/node_modules/.bin/gitlab-ci-local" ] ||
    { mkdir -p "$dir" && echo '{"private":true}' >"$dir/package.json" &&
      (cd "$dir" && npm install --no-audit --no-fund --save-exact "gitlab-ci-local@$GCL_VERSION" >/dev/null); }
  if ! image_exists "$GCL_HELPER"; then
    # infra.sh's base image for this host's arch (base_image ARCH, or the older single BASE_IMAGE).
    if declare -F base_image >/dev/null; then base=$(base_image "$(dpkg --print-architecture)"); else base=$BASE_IMAGE; fi
    image_exists "$base" || fail "$base missing (step base-image) for the gitlab-ci-local helper image"
    ctx=$(mktemp -d)
    printf 'ARG BASE=debian:trixie-slim\nFROM ${BASE}\nRUN apt-get update && apt-get install -y --no-install-recommends rsync bash && rm -rf /var/lib/apt/lists/*\n' >"$ctx/Dockerfile"
    DOCKER_BUILDKIT=1 "$DOCKER" build --network host --build-arg "BASE=$base" -q -t "$GCL_HELPER" "$ctx" >/dev/null
    rm -rf "$ctx"
  fi
  STEP_MSG="gitlab-ci-local $GCL_VERSION, rsync and $GCL_HELPER ready"
}

image_exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

# The machine's Debian archive: first non-security deb URI in the apt sources (deb822 or one-line).
debian_mirror() {
  local f uri=""
  if [ -n "${ML_BUILDPACKS_DEBIAN_MIRROR:-}" ]; then echo "${ML_BUILDPACKS_DEBIAN_MIRROR%/}"; return 0; fi
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk '
      function flush() { if (!found && types ~ /(^| )deb( |$)/ && uris != "" && suites !~ /-security/ && uris !~ /security/) { split(uris, u, " "); print u[1]; found = 1 } types = uris = suites = "" }
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { flush(); next }
      tolower($1) == "types:"  { sub(/^[^:]*:[[:space:]]*/, ""); types = $0 }
      tolower($1) == "uris:"   { sub(/^[^:]*:[[:space:]]*/, ""); uris = $0 }
      tolower($1) == "suites:" { sub(/^[^:]*:[[:space:]]*/, ""); suites = $0 }
      END { flush() }' "$f")
    case "$uri" in *debian*) echo "${uri%/}"; return ;; esac
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] URI SUITE COMPONENTS...
    uri=$(awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                if ($(i) !~ /security/ && $(i+1) !~ /-security/) { print $(i); exit } }' "$f")
    case "$uri" in *debian*) echo "${uri%/}"; return ;; esac
  done
  return 1
}

reachable() { curl -fsS -m 5 -o /dev/null "$1" 2>/dev/null; }

make_local_base() {
  local mirror security rootfs="$INFRA/rootfs/trixie-amd64"
  mirror=$(debian_mirror) || fail "no Debian mirror found in /etc/apt/sources.list{,.d/}; set ML_BUILDPACKS_DEBIAN_MIRROR"
  reachable "$mirror/dists/trixie/Release" || fail "Debian mirror $mirror has no trixie (dists/trixie/Release unreachable)"
  log "debootstrap trixie (minbase, amd64) from $mirror ..."
  rm -rf "$rootfs"
  mkdir -p "$rootfs"
  debootstrap --variant=minbase --arch=amd64 trixie "$rootfs" "$mirror" >"$INFRA/rootfs/debootstrap.log" 2>&1 ||
    { tail -n 20 "$INFRA/rootfs/debootstrap.log" >&2; fail "debootstrap failed; see .infra/rootfs/debootstrap.log"; }

  # apt sources: the mirror that worked, with every component (the cuda flavor needs non-free);
  # updates and security only when this machine can reach them.
  local suites="trixie"
  reachable "$mirror/dists/trixie-updates/Release" && suites="trixie trixie-updates"
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suites
Components: main contrib non-free non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  security="${mirror%/debian}/debian-security"
  if [ "$security" != "$mirror/debian-security" ] && reachable "$security/dists/trixie-security/Release"; then
    cat >>"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF

Types: deb
URIs: $security
Suites: trixie-security
Components: main contrib non-free non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  fi

  # Behave like the official -slim image: no docs/man/locales from packages, no recommends, apt
  # cleans up after itself.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  cat >"$rootfs/etc/apt/apt.conf.d/docker-no-recommends" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF
  find "$rootfs/usr/share/doc" -mindepth 2 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "$rootfs"/usr/share/{man,info,groff,lintian,linda}/* "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/cache/apt/* "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/var/tmp/* \
    "$rootfs"/debootstrap "$rootfs"/dev/* "$rootfs"/proc/* "$rootfs"/sys/* "$rootfs"/run/*
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
  : >"$rootfs/etc/machine-id"
  rm -f "$rootfs/etc/hostname" "$rootfs/etc/resolv.conf"

  tar -C "$rootfs" --numeric-owner -c . |
    "$DOCKER" import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["bash"]' \
      --message "debootstrap --variant=minbase trixie $mirror" \
      - "$LOCAL_BASE" >/dev/null
  rm -rf "$rootfs"
  [ "$("$DOCKER" image inspect -f '{{.Architecture}}' "$LOCAL_BASE")" = amd64 ] ||
    fail "$LOCAL_BASE does not have Architecture amd64"
}

ensure_base_image() {
  if image_exists "$PUBLIC_BASE"; then
    BASE_IMAGE=$PUBLIC_BASE
    STEP_MSG="base image $PUBLIC_BASE already present"
  elif image_exists "$LOCAL_BASE"; then
    BASE_IMAGE=$LOCAL_BASE
    STEP_MSG="base image $LOCAL_BASE already present (debootstrap)"
  elif timeout 20 "$DOCKER" pull -q "$PUBLIC_BASE" >/dev/null 2>&1; then
    BASE_IMAGE=$PUBLIC_BASE
    STEP_MSG="pulled base image $PUBLIC_BASE"
  else
    log "cannot pull $PUBLIC_BASE (no public registry reachable); making $LOCAL_BASE with debootstrap ..."
    make_local_base
    BASE_IMAGE=$LOCAL_BASE
    STEP_MSG="made base image $LOCAL_BASE with debootstrap ($(image_size "$LOCAL_BASE"))"
  fi
}

image_size() { "$DOCKER" image inspect -f '{{.Size}}' "$1" | awk '{ printf "%.0f MB", $1 / 1000000 }'; }

# Digest of $repo:$tag in our registry, empty when absent.
registry_digest() {
  local repo=$1 tag=$2
  curl -fsS -m 10 -o /dev/null -D - \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "$REGISTRY_URL/v2/$repo/manifests/$tag" 2>/dev/null |
    awk 'tolower($1) == "docker-content-digest:" { sub(/\r$/, "", $2); print $2 }' || true
}

ensure_stack_images() {
  local dir="$REPO/stacks/$FLAVOR" inputs base_id source_url kind image current built=() pushed=() kept=()
  base_id=$("$DOCKER" image inspect -f '{{.Id}}' "$BASE_IMAGE")
  # Inputs: every Dockerfile of the flavor plus the base image id.
  inputs=$( { cat "$dir"/Dockerfile*; echo "base=$base_id"; } | sha256sum | cut -d' ' -f1)
  source_url=$(git -C "$REPO" remote get-url origin 2>/dev/null || true)
  local build_args=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
  [ -n "$source_url" ] && build_args+=(--build-arg "SOURCE_URL=${source_url%.git}")
  for kind in run build; do
    image="$IMAGE_PREFIX/$kind:$FLAVOR"
    current=$("$DOCKER" image inspect -f "{{index .Config.Labels \"$INPUTS_LABEL\"}}" "$image" 2>/dev/null || true)
    if [ "$current" != "$inputs" ]; then
      log "building $image (base $BASE_IMAGE) ..."
      "$DOCKER" build --network host --target "$kind" "${build_args[@]}" \
        --label "$INPUTS_LABEL=$inputs" --tag "$image" --progress plain \
        "$dir" >"$INFRA/stack-$FLAVOR-$kind.log" 2>&1 ||
        { tail -n 30 "$INFRA/stack-$FLAVOR-$kind.log" >&2; fail "building $image failed; see .infra/stack-$FLAVOR-$kind.log"; }
      built+=("$kind")
    fi
    # Push unless the registry already serves exactly this image.
    local remote local_digests
    remote=$(registry_digest "ml-buildpacks/$kind" "$FLAVOR")
    local_digests=$("$DOCKER" image inspect -f '{{range .RepoDigests}}{{println .}}{{end}}' "$image")
    if [ -z "$remote" ] || ! grep -qxF "$IMAGE_PREFIX/$kind@$remote" <<<"$local_digests"; then
      "$DOCKER" push "$image" >"$INFRA/push-$FLAVOR-$kind.log" 2>&1 ||
        { tail -n 20 "$INFRA/push-$FLAVOR-$kind.log" >&2; fail "pushing $image failed; see .infra/push-$FLAVOR-$kind.log"; }
      pushed+=("$kind")
    else
      kept+=("$kind")
    fi
    IMAGES_BUILT+=("$image ($(image_size "$image"))")
  done
  if [ ${#built[@]} -eq 0 ] && [ ${#pushed[@]} -eq 0 ]; then
    STEP_MSG="stack images $IMAGE_PREFIX/{run,build}:$FLAVOR already current"
  else
    STEP_MSG="stack images $FLAVOR: built [${built[*]}] pushed [${pushed[*]}] current [${kept[*]}]"
  fi
}

# A local python-build-standalone mirror for the python buildpack's e2e tests: scripts/python-mirror.sh
# builds one relocatable CPython from Debian's sources in the build image (once; minutes), writes its
# test manifest and serves .infra/python-mirror/www on 127.0.0.1:5481 (pid in .infra/python-mirror.pid).
ensure_python_mirror() {
  bash "$REPO/scripts/python-mirror.sh" | sed 's/^/infra: /'
  STEP_MSG="python mirror up (.infra/python-mirror)"
}

# A local python-build-standalone mirror for the python buildpack's e2e tests: scripts/python-mirror.sh
# builds one relocatable CPython from Debian's sources in the build image (once; minutes), writes its
# test manifest and serves .infra/python-mirror/www on 127.0.0.1:5481 (pid in .infra/python-mirror.pid).
ensure_python_mirror() {
  bash "$REPO/scripts/python-mirror.sh" | sed 's/^/infra: /'
  STEP_MSG="python mirror up (.infra/python-mirror)"
}

# npm install (from the committed lock) when node_modules is missing or older than package-lock.json,
# then npm run build. Not `npm ci`: vite lists an optional dependency (napi-windows-process-start-time)
# the reachable npm registry does not serve, so the lock cannot hold it and `npm ci` refuses the lock.
# (CLI + buildpacks) unless nothing it reads changed since the last successful build.
build_project() {
  local did=() stamp="$INFRA/project-build.stamp"
  cd "$REPO"
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "npm install ..."
    npm install --no-audit --no-fund --loglevel=error
    did+=("npm install")
  fi
  if [ ! -f src/cli/main.ts ]; then
    STEP_MSG="${did:+${did[*]}; }project not bundled: src/cli/main.ts does not exist yet"
    return 0
  fi
  if [ -f "$stamp" ] && [ -f dist/cli/index.js ] && [ ${#did[@]} -eq 0 ] &&
    [ -z "$(find src buildpacks scripts/build.mjs package.json package-lock.json tsconfig.json \
      -type f -newer "$stamp" -not -path '*/bin/main.mjs' -not -path '*/.bundle/*' -print -quit 2>/dev/null || echo missing)" ]; then
    STEP_MSG="project bundle (dist/, buildpacks/*/bin/main.mjs) already current"
    return 0
  fi
  log "npm run build ..."
  touch "$stamp.new"
  npm run --silent build
  mv "$stamp.new" "$stamp"
  did+=("npm run build")
  STEP_MSG="project: ${did[*]}"
}

# ---- builder hook -----------------------------------------------------------------------------
# The builder image is made by the project's own CLI (owned by the CLI code, not this script):
# stacks/<flavor>/builder.toml + the lifecycle built above -> $IMAGE_PREFIX/builder:<flavor>.
build_builder() {
  cd "$REPO"
  local image="$IMAGE_PREFIX/builder:$FLAVOR" config="stacks/$FLAVOR/builder.toml"
  if [ ! -f dist/cli/index.js ]; then
    STEP_MSG="builder skipped: the CLI is not built yet (dist/cli/index.js missing)"
    return 0
  fi
  if [ ! -f "$config" ]; then
    STEP_MSG="builder skipped: $config does not exist yet"
    return 0
  fi
  node bin/ml-buildpacks.js builder create --config "$config" --image "$image" \
    --lifecycle-dir .infra/lifecycle/linux-amd64
  IMAGES_BUILT+=("$image")
  STEP_MSG="builder $image created"
}
# ---- end of builder hook ----------------------------------------------------------------------

summary() {
  local total=$1 arch
  echo
  echo "infra: summary"
  echo "  docker:     $("$DOCKER" version -f 'client {{.Client.Version}}, server {{.Server.Version}}') ($DOCKER, BuildKit; use --network host)"
  echo "  registry:   $REGISTRY_URL ($(curl -fsS -m 5 "$REGISTRY_URL/v2/_catalog" | tr -d '\n'))"
  for arch in "${ARCHES[@]}"; do
    echo "  lifecycle:  $INFRA/lifecycle/linux-$arch ($LIFECYCLE_VERSION)"
  done
  echo "  base image: $BASE_IMAGE"
  local img
  for img in "${IMAGES_BUILT[@]}"; do echo "  image:      $img"; done
  echo "  total:      $(fmt_duration "$total")"
}

main() {
  parse_args "$@"
  [ "$(id -u)" -eq 0 ] || fail "run as root (installs packages, starts dockerd)"
  local started arch
  started=$(now_us)
  mkdir -p "$INFRA"
  run_step packages ensure_packages
  run_step dockerd ensure_dockerd
  run_step registry ensure_registry
  run_step binfmt ensure_binfmt
  for arch in "${ARCHES[@]}"; do
    run_step "lifecycle-$arch" ensure_lifecycle "$arch"
  done
  run_step act ensure_act
  run_step base-image ensure_base_image
  run_step stack-images ensure_stack_images
  run_step python-mirror ensure_python_mirror
  run_step python-mirror ensure_python_mirror
  run_step gitlab-ci-local ensure_gitlab_ci_local
  run_step project build_project
  run_step builder build_builder
  summary $(($(now_us) - started))
}

main "$@"
