#!/usr/bin/env bash
# The one release logic, against any registry (ghcr.io by .github/workflows/release.yml, the lab's
# simulated public registry by test/e2e/ship-it.test.ts). Credentials: the Docker config only
# (`docker login` before); nothing secret on a command line.
#
#   release.sh leg   --namespace NS --version V --flavor F --arch A
#       stack images for F/A (scripts/infra.sh --release: built natively, or found in the Docker cache)
#       -> NS/build:F-V-A, NS/run:F-V-A, and the builder NS/builder:F-V-A made from
#          stacks/F/builder.toml with NS and V filled in; prints build=, run=, builder= digests
#   release.sh merge --namespace NS --version V --flavor F --arches amd64,arm64
#       -> indexes NS/{build,run,builder}:F-V, and moves F-<major.minor>, F-<major> and F to them;
#          moves the per-arch F-<major.minor>-A, F-<major>-A and F-A to each F-V-A (same digest)
set -Eeuo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOCKER=/usr/bin/docker
LAB=127.0.0.1:5000/ml-buildpacks   # where scripts/infra.sh leaves the stack images

die() { echo "release: $*" >&2; exit 2; }
log() { echo "release: $*"; }

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

MODE=${1:-}; [ $# -gt 0 ] && shift
NAMESPACE="" VERSION="" FLAVOR="" ARCH="" ARCHES=""
while [ $# -gt 0 ]; do
  case "$1" in
    --namespace) NAMESPACE=${2:-}; shift 2 ;;
    --version) VERSION=${2:-}; shift 2 ;;
    --flavor) FLAVOR=${2:-}; shift 2 ;;
    --arch) ARCH=${2:-}; shift 2 ;;
    --arches) ARCHES=${2:-}; shift 2 ;;
    -h|--help) usage 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
case "$MODE" in leg|merge) ;; -h|--help) usage 0 ;; *) die "first argument: leg or merge (see --help)" ;; esac
[ -n "$NAMESPACE" ] || die "--namespace is required (e.g. ghcr.io/<owner>/ml-buildpacks)"
NAMESPACE=${NAMESPACE,,}   # registries want lower-case repositories; GitHub owners may have capitals
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "--version must be MAJOR.MINOR.PATCH, not '$VERSION'"
case "$FLAVOR" in cpu|cuda) ;; *) die "--flavor must be cpu or cuda, not '$FLAVOR'" ;; esac
LINE=${VERSION%.*}
MAJOR=${VERSION%%.*}
cli() { node "$REPO/bin/ml-buildpacks.js" "$@"; }
output() { echo "$1"; [ -z "${GITHUB_OUTPUT:-}" ] || echo "$1" >>"$GITHUB_OUTPUT"; }

# The registry's digest of what was just pushed (docker records it as a RepoDigest).
pushed_digest() {
  "$DOCKER" image inspect -f '{{range .RepoDigests}}{{println .}}{{end}}' "$1" |
    sed -n "s|^${1%:*}@||p" | head -n 1
}

leg() {
  case "$ARCH" in amd64|arm64) ;; *) die "--arch must be amd64 or arm64, not '$ARCH'" ;; esac
  # Stacks, lifecycle and the CLI bundle, without the test-only tools (act, gitlab-ci-local, mirrors).
  bash "$REPO/scripts/infra.sh" --release --flavor "$FLAVOR" --arch "$ARCH"
  local kind src dst
  for kind in build run; do
    src=$LAB/$kind:$FLAVOR-$ARCH
    dst=$NAMESPACE/$kind:$FLAVOR-$VERSION-$ARCH
    log "publishing $dst"
    "$DOCKER" tag "$src" "$dst"
    "$DOCKER" push -q "$dst" >/dev/null
    output "$kind=$(pushed_digest "$dst")"
  done
  dst=$NAMESPACE/builder:$FLAVOR-$VERSION-$ARCH
  log "creating $dst"
  cli builder create --config "$REPO/stacks/$FLAVOR/builder.toml" --namespace "$NAMESPACE" \
    --version "$VERSION" --platform "linux/$ARCH" --lifecycle-dir "$REPO/.infra/lifecycle/linux-$ARCH" \
    --image "$dst"
  output "builder=$(pushed_digest "$dst")"
}

# The committed CLI bundle may predate this script (a release from a commit whose dist/ was not
# rebuilt): bundle the CLI from src when it lacks a command the merge needs.
ensure_cli() {
  cli manifest tag --help >/dev/null 2>&1 && return 0
  log "dist/cli lacks 'manifest tag': bundling the CLI from src"
  (cd "$REPO" && { [ -x node_modules/.bin/ncc ] || npm ci --no-audit --no-fund --loglevel=error; } &&
    node scripts/build.mjs cli) || die "bundling the CLI failed"
}

merge() {
  [ -n "$ARCHES" ] || die "--arches is required (e.g. amd64,arm64)"
  ensure_cli
  local kind arch tag from digest=""
  for kind in build run builder; do
    from=()
    for arch in ${ARCHES//,/ }; do
      case "$arch" in amd64|arm64) ;; *) die "--arches: amd64 or arm64, not '$arch'" ;; esac
      from+=(--from "linux/$arch=$NAMESPACE/$kind:$FLAVOR-$VERSION-$arch")
    done
    # The exact version first; the moving tags only once it is there.
    for tag in "$FLAVOR-$VERSION" "$FLAVOR-$LINE" "$FLAVOR-$MAJOR" "$FLAVOR"; do
      log "index $NAMESPACE/$kind:$tag <- ${ARCHES}"
      digest=$(cli manifest create --image "$NAMESPACE/$kind:$tag" "${from[@]}" | tail -n 1)
    done
    output "$kind=$digest"
    # Per-arch moving tags: the same manifest as the exact version's, copied by the registry's bytes.
    for arch in ${ARCHES//,/ }; do
      log "tags $NAMESPACE/$kind:$FLAVOR-{$LINE-,$MAJOR-,}$arch -> $FLAVOR-$VERSION-$arch"
      cli manifest tag --image "$NAMESPACE/$kind:$FLAVOR-$VERSION-$arch" \
        --tag "$NAMESPACE/$kind:$FLAVOR-$LINE-$arch" --tag "$NAMESPACE/$kind:$FLAVOR-$MAJOR-$arch" \
        --tag "$NAMESPACE/$kind:$FLAVOR-$arch" >/dev/null
    done
  done
}

# Installs, builds and runs dockerd: root, as scripts/infra.sh needs (sudo on hosted runners).
if [ "$MODE" = leg ] && [ "$(id -u)" -ne 0 ]; then exec sudo -E bash "$0" "$MODE" --namespace "$NAMESPACE" --version "$VERSION" --flavor "$FLAVOR" --arch "$ARCH"; fi
"$MODE"
