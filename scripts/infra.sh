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
VERSION=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$REPO/package.json")
REGISTRY_ADDR=127.0.0.1:5000
REGISTRY_URL="http://$REGISTRY_ADDR"
IMAGE_PREFIX="$REGISTRY_ADDR/ml-buildpacks"
PUBLIC_BASE=debian:trixie-slim
LOCAL_BASE=ml-buildpacks/debian:trixie   # -<arch> is appended
INPUTS_LABEL=dev.ml-buildpacks.stack.inputs-sha256
# Debian's client: BuildKit is built in (the client in /usr/local/bin has no buildx).
DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=1
export DEBIAN_FRONTEND=noninteractive
case ":$PATH:" in *:/usr/local/go/bin:*) ;; *) export PATH="$PATH:/usr/local/go/bin" ;; esac

FLAVORS=(cpu)        # cpu first: other flavors build on it
RELEASE=false        # --release: only what a release leg needs (scripts/release.sh)
ARCHES=(amd64)
IMAGES_BUILT=()      # for the summary
STEP=""              # current step, for the error trap
STEP_MSG=""          # one-line outcome of the current step

usage() {
  cat <<EOF
Usage: bash scripts/infra.sh [--flavor cpu|cuda|all] [--arch amd64|arm64|all] [--all] [--help]

Installs and starts what ml-buildpacks needs on this machine (Debian 12/13, as root):
Debian packages, dockerd (no bridge; use --network host), a registry on $REGISTRY_ADDR,
qemu binfmt for arm64, lifecycle $LIFECYCLE_VERSION binaries in .infra/lifecycle/linux-<arch>/,
Debian 13 base images, the stack images $IMAGE_PREFIX/{build,run}:<flavor>-<arch>,
the project bundle (npm install / npm run build) and the builders $IMAGE_PREFIX/builder:<flavor>-<arch>.
$IMAGE_PREFIX/{build,run,builder}:<flavor> are multi-arch manifest lists (OCI image indexes) of
every <flavor>-<arch> image in the registry.

Options:
  --flavor NAME   stack flavors: cpu (default), cuda, or all; a comma list works too. cuda is
                  built on top of cpu, so cpu is always built
  --arch ARCH     architectures: amd64 (default), arm64 (under qemu on an amd64 host) or all
  --all           every flavor for every architecture
  --release       only what a release leg needs (scripts/release.sh): lab registry, lifecycle, stack
                  images, project bundle; no test tools, no lab builders
  -h, --help      show this help

State lives in .infra/ (gitignored). Safe to run again: a run that finds everything current
takes seconds.
EOF
}

die_usage() { echo "infra: $*" >&2; echo "Run 'bash scripts/infra.sh --help' for usage." >&2; exit 2; }

parse_args() {
  local arch=amd64 flavor=cpu f
  while [ $# -gt 0 ]; do
    case "$1" in
      --flavor) [ $# -ge 2 ] || die_usage "--flavor needs a value"; flavor=$2; shift 2 ;;
      --flavor=*) flavor=${1#*=}; shift ;;
      --arch) [ $# -ge 2 ] || die_usage "--arch needs a value"; arch=$2; shift 2 ;;
      --arch=*) arch=${1#*=}; shift ;;
      --all) arch=all; flavor=all; shift ;;
      --release) RELEASE=true; shift ;;
      -h|--help) usage; exit 0 ;;
      *) die_usage "unknown option: $1" ;;
    esac
  done
  case "$arch" in
    amd64) ARCHES=(amd64) ;;
    arm64) ARCHES=(arm64) ;;
    all) ARCHES=(amd64 arm64) ;;
    *) die_usage "unsupported --arch '$arch' (expected amd64, arm64 or all)" ;;
  esac
  [ "$flavor" = all ] && flavor=cpu,cuda
  FLAVORS=(cpu)
  for f in ${flavor//,/ }; do
    [ -f "$REPO/stacks/$f/Dockerfile" ] || die_usage "unknown --flavor '$f': stacks/$f/Dockerfile does not exist"
    [ "$f" = cpu ] || FLAVORS+=("$f")
  done
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
  # A release leg on a hosted runner keeps the runner's own Docker engine (docker-ce).
  if $RELEASE && command -v docker >/dev/null; then pkgs=("${pkgs[@]/docker.io}"); fi
  for p in "${pkgs[@]}"; do
    [ -n "$p" ] || continue
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

# The lab's stand-in for a public registry such as ghcr.io, and an HTTP CONNECT proxy:
# registry.ml-buildpacks.test (127.0.0.2, TLS from a lab CA, token auth, anonymous pulls of
# ml-buildpacks/*, DELETE refused) and 127.0.0.1:3128. See scripts/public-registry.sh, docs/lab.md.
ensure_public_registry() {
  bash "$REPO/scripts/public-registry.sh" | sed 's/^/infra: /'
  STEP_MSG="public registry https://registry.ml-buildpacks.test and proxy http://127.0.0.1:3128 up"
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

# cosign beside the lifecycle: builder create puts it at /cnb/ml-buildpacks/cosign (signing, docs/signing.md).
ensure_cosign() {
  STEP_MSG=$(bash "$REPO/scripts/cosign.sh" "$1" "$INFRA/lifecycle/linux-$1/cosign")
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
  local arch=$1 mirror security rootfs="$INFRA/rootfs/trixie-$1" image="$LOCAL_BASE-$1"
  mirror=$(debian_mirror) || fail "no Debian mirror found in /etc/apt/sources.list{,.d/}; set ML_BUILDPACKS_DEBIAN_MIRROR"
  reachable "$mirror/dists/trixie/Release" || fail "Debian mirror $mirror has no trixie (dists/trixie/Release unreachable)"
  log "debootstrap trixie (minbase, $arch) from $mirror ..."
  rm -rf "$rootfs"
  mkdir -p "$rootfs"
  # Foreign architectures run their second stage under qemu (binfmt, see ensure_binfmt).
  debootstrap --variant=minbase --arch="$arch" trixie "$rootfs" "$mirror" >"$INFRA/rootfs/debootstrap-$arch.log" 2>&1 ||
    { tail -n 20 "$INFRA/rootfs/debootstrap-$arch.log" >&2; fail "debootstrap failed; see .infra/rootfs/debootstrap-$arch.log"; }

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

  # Imported with BuildKit (FROM scratch + ADD) rather than `docker import`, whose --platform is
  # unreliable on engine 20.10: the image's Architecture must say what the rootfs holds.
  local ctx="$INFRA/rootfs/ctx-$arch"
  rm -rf "$ctx"
  mkdir -p "$ctx"
  tar -C "$rootfs" --numeric-owner -cf "$ctx/rootfs.tar" .
  printf '%s\n' 'FROM scratch' 'ADD rootfs.tar /' \
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'CMD ["bash"]' >"$ctx/Dockerfile"
  "$DOCKER" build --network host --platform "linux/$arch" \
    --label "org.opencontainers.image.description=debootstrap --variant=minbase trixie $mirror" \
    -t "$image" "$ctx" >"$INFRA/rootfs/import-$arch.log" 2>&1 ||
    { tail -n 20 "$INFRA/rootfs/import-$arch.log" >&2; fail "importing the $arch rootfs failed"; }
  rm -rf "$rootfs" "$ctx"
  [ "$("$DOCKER" image inspect -f '{{.Architecture}}' "$image")" = "$arch" ] ||
    fail "$image does not have Architecture $arch"
}

# The Debian 13 base for one architecture: the public image when it can be had, else debootstrap.
base_image() { echo "$LOCAL_BASE-$1"; }

ensure_base_image() {
  local arch=$1 image
  image=$(base_image "$arch")
  if image_exists "$image"; then
    STEP_MSG="base image $image already present"
  elif timeout 20 "$DOCKER" pull -q --platform "linux/$arch" "$PUBLIC_BASE" >/dev/null 2>&1; then
    "$DOCKER" tag "$PUBLIC_BASE" "$image"
    STEP_MSG="pulled base image $PUBLIC_BASE for $arch as $image"
  else
    log "cannot pull $PUBLIC_BASE (no public registry reachable); making $image with debootstrap ..."
    make_local_base "$arch"
    STEP_MSG="made base image $image with debootstrap ($(image_size "$image"))"
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

# Stack images of one flavor for one architecture, tagged <kind>:<flavor>-<arch> and pushed. cpu
# is built on the Debian base; other flavors on the cpu images of the same architecture.
ensure_stack_images() {
  local flavor=$1 arch=$2 dir="$REPO/stacks/$1" inputs base_ids source_url kind image current
  local built=() pushed=() kept=() build_args=()
  if [ "$flavor" = cpu ]; then
    build_args+=(--build-arg "BASE_IMAGE=$(base_image "$arch")")
    base_ids=$("$DOCKER" image inspect -f '{{.Id}}' "$(base_image "$arch")")
  else
    build_args+=(--build-arg "CPU_RUN_IMAGE=$IMAGE_PREFIX/run:cpu-$arch" --build-arg "CPU_BUILD_IMAGE=$IMAGE_PREFIX/build:cpu-$arch")
    base_ids=$("$DOCKER" image inspect -f '{{.Id}}' "$IMAGE_PREFIX/run:cpu-$arch" "$IMAGE_PREFIX/build:cpu-$arch")
  fi
  # Inputs: every Dockerfile of the flavor plus the ids of the images it starts from.
  inputs=$( { cat "$dir"/Dockerfile*; echo "base=$base_ids arch=$arch"; } | sha256sum | cut -d' ' -f1)
  source_url=$(git -C "$REPO" remote get-url origin 2>/dev/null || true)
  [ -n "$source_url" ] && build_args+=(--build-arg "SOURCE_URL=${source_url%.git}")
  for kind in run build; do
    image="$IMAGE_PREFIX/$kind:$flavor-$arch"
    current=$("$DOCKER" image inspect -f "{{index .Config.Labels \"$INPUTS_LABEL\"}}" "$image" 2>/dev/null || true)
    if [ "$current" != "$inputs" ]; then
      log "building $image ..."
      "$DOCKER" build --network host --platform "linux/$arch" --target "$kind" "${build_args[@]}" \
        --label "$INPUTS_LABEL=$inputs" --tag "$image" --progress plain \
        "$dir" >"$INFRA/stack-$flavor-$arch-$kind.log" 2>&1 ||
        { tail -n 30 "$INFRA/stack-$flavor-$arch-$kind.log" >&2; fail "building $image failed; see .infra/stack-$flavor-$arch-$kind.log"; }
      built+=("$kind")
    fi
    # Push unless the registry already serves exactly this image.
    local remote local_digests
    remote=$(registry_digest "ml-buildpacks/$kind" "$flavor-$arch")
    local_digests=$("$DOCKER" image inspect -f '{{range .RepoDigests}}{{println .}}{{end}}' "$image")
    if [ -z "$remote" ] || ! grep -qxF "$IMAGE_PREFIX/$kind@$remote" <<<"$local_digests"; then
      "$DOCKER" push "$image" >"$INFRA/push-$flavor-$arch-$kind.log" 2>&1 ||
        { tail -n 20 "$INFRA/push-$flavor-$arch-$kind.log" >&2; fail "pushing $image failed; see .infra/push-$flavor-$arch-$kind.log"; }
      pushed+=("$kind")
    else
      kept+=("$kind")
    fi
    IMAGES_BUILT+=("$image ($(image_size "$image"))")
  done
  if [ ${#built[@]} -eq 0 ] && [ ${#pushed[@]} -eq 0 ]; then
    STEP_MSG="stack images $IMAGE_PREFIX/{run,build}:$flavor-$arch already current"
  else
    STEP_MSG="stack images $flavor-$arch: built [${built[*]}] pushed [${pushed[*]}] current [${kept[*]}]"
  fi
}

# <repo>:<flavor> as a manifest list of every <repo>:<flavor>-<arch> the registry holds (our own
# `ml-buildpacks manifest create`, which checks each child's platform).
ensure_index() {
  local repo=$1 flavor=$2 arch digest from=() have=()
  for arch in amd64 arm64; do
    digest=$(registry_digest "ml-buildpacks/$repo" "$flavor-$arch")
    [ -n "$digest" ] || continue
    from+=(--from "linux/$arch=$IMAGE_PREFIX/$repo@$digest")
    have+=("$arch")
  done
  [ ${#from[@]} -gt 0 ] || fail "no $IMAGE_PREFIX/$repo:$flavor-<arch> image in the registry"
  # The lab names its images as a release does (scripts/release.sh): <flavor>, <flavor>-<version>,
  # -<major.minor> and -<major>; the lab's builders name their run and build images that way.
  local tag
  for tag in "$flavor" "$flavor-$VERSION" "$flavor-${VERSION%.*}" "$flavor-${VERSION%%.*}"; do
    node "$REPO/bin/ml-buildpacks.js" manifest create --image "$IMAGE_PREFIX/$repo:$tag" "${from[@]}" \
      >"$INFRA/index-$repo-$tag.log" 2>&1 ||
      { tail -n 20 "$INFRA/index-$repo-$tag.log" >&2; fail "pushing the manifest list $IMAGE_PREFIX/$repo:$tag failed"; }
  done
  # Per-arch versioned tags: what a builder's build image is (build:<flavor>-<version>-<arch>).
  for arch in "${have[@]}"; do
    "$DOCKER" tag "$IMAGE_PREFIX/$repo:$flavor-$arch" "$IMAGE_PREFIX/$repo:$flavor-$VERSION-$arch" 2>/dev/null &&
      "$DOCKER" push -q "$IMAGE_PREFIX/$repo:$flavor-$VERSION-$arch" >/dev/null ||
      fail "pushing $IMAGE_PREFIX/$repo:$flavor-$VERSION-$arch failed"
  done
  # A local tag of the same name would otherwise keep pointing at whatever was pulled before:
  # refresh it to this machine's child (docker run and FROM use a local tag without pulling).
  "$DOCKER" pull -q "$IMAGE_PREFIX/$repo:$flavor" >/dev/null ||
    fail "pulling the new $IMAGE_PREFIX/$repo:$flavor failed"
  STEP_MSG="manifest list $IMAGE_PREFIX/$repo:$flavor -> ${have[*]}"
}

# A local python-build-standalone mirror for the python buildpack's e2e tests: scripts/python-mirror.sh
# builds one relocatable CPython from Debian's sources in the build image (once; minutes), writes its
# test manifest and serves .infra/python-mirror/www on 127.0.0.1:5481 (pid in .infra/python-mirror.pid).
ensure_python_mirror() {
  bash "$REPO/scripts/python-mirror.sh" | sed 's/^/infra: /'
  STEP_MSG="python mirror up (.infra/python-mirror)"
}

# npm ci (exactly the committed lock, which it never rewrites) when node_modules is missing or older
# than package-lock.json, then npm run build (CLI + buildpacks) unless nothing it reads changed since
# the last successful build.
build_project() {
  local did=() stamp="$INFRA/project-build.stamp"
  cd "$REPO"

  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "npm ci ..."
    npm ci --no-audit --no-fund --loglevel=error
    did+=("npm ci")
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
  local flavor=$1 arch=$2
  cd "$REPO"
  local image="$IMAGE_PREFIX/builder:$flavor-$arch" config="stacks/$flavor/builder.toml"
  [ -f "$config" ] || fail "$config does not exist"
  node bin/ml-buildpacks.js builder create --config "$config" --image "$image" \
    --namespace "$IMAGE_PREFIX" --version "$VERSION" \
    --platform "linux/$arch" --lifecycle-dir ".infra/lifecycle/linux-$arch" >"$INFRA/builder-$flavor-$arch.log" 2>&1 ||
    { tail -n 30 "$INFRA/builder-$flavor-$arch.log" >&2; fail "creating $image failed; see .infra/builder-$flavor-$arch.log"; }
  IMAGES_BUILT+=("$image")
  STEP_MSG="builder $image created"
}

summary() {
  local total=$1 arch
  echo
  echo "infra: summary"
  echo "  docker:     $("$DOCKER" version -f 'client {{.Client.Version}}, server {{.Server.Version}}') ($DOCKER, BuildKit; use --network host)"
  echo "  registry:   $REGISTRY_URL ($(curl -fsS -m 5 "$REGISTRY_URL/v2/_catalog" | tr -d '\n'))"
  for arch in "${ARCHES[@]}"; do
    echo "  lifecycle:  $INFRA/lifecycle/linux-$arch ($LIFECYCLE_VERSION)"
  done
  local img
  for img in "${IMAGES_BUILT[@]}"; do echo "  image:      $img"; done
  echo "  total:      $(fmt_duration "$total")"
}

main() {
  parse_args "$@"
  [ "$(id -u)" -eq 0 ] || fail "run as root (installs packages, starts dockerd)"
  local started arch flavor
  started=$(now_us)
  mkdir -p "$INFRA"
  run_step packages ensure_packages
  run_step dockerd ensure_dockerd
  run_step registry ensure_registry
  $RELEASE || run_step public-registry ensure_public_registry
  run_step binfmt ensure_binfmt
  for arch in "${ARCHES[@]}"; do
    run_step "lifecycle-$arch" ensure_lifecycle "$arch"
    run_step "cosign-$arch" ensure_cosign "$arch"
  done
  $RELEASE || run_step act ensure_act
  # The CLI first: the stack and builder manifest lists are made with it.
  run_step project build_project
  for arch in "${ARCHES[@]}"; do
    run_step "base-image-$arch" ensure_base_image "$arch"
  done
  for flavor in "${FLAVORS[@]}"; do
    for arch in "${ARCHES[@]}"; do
      run_step "stack-$flavor-$arch" ensure_stack_images "$flavor" "$arch"
    done
    # A release leg takes its own arch's images only (release.sh); the lab's multi-arch lists would
    # race with the other legs, which re-push their arch's tags at the same time.
    $RELEASE || run_step "run-index-$flavor" ensure_index run "$flavor"
    $RELEASE || run_step "build-index-$flavor" ensure_index build "$flavor"
  done
  if $RELEASE; then summary $(($(now_us) - started)); return 0; fi
  run_step python-mirror ensure_python_mirror
  run_step gitlab-ci-local ensure_gitlab_ci_local
  for flavor in "${FLAVORS[@]}"; do
    for arch in "${ARCHES[@]}"; do
      run_step "builder-$flavor-$arch" build_builder "$flavor" "$arch"
    done
    run_step "builder-index-$flavor" ensure_index builder "$flavor"
  done
  summary $(($(now_us) - started))
}

main "$@"
