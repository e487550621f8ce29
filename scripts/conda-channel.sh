#!/usr/bin/env bash
# A local conda channel of real conda packages for the conda buildpack's e2e tests (conda channels
# are not reachable from this machine). Idempotent; test/e2e/conda.test.ts runs it before building:
#
#   1. the CPython 3.11.2 tarball from scripts/python-mirror.sh (run it first when it is missing);
#   2. the numpy, tabulate and pip wheels from PyPI, sha256-pinned (pip download --require-hashes);
#   3. scripts/conda-channel.py in the cpu build image, with conda-package-handling (and py-rattler,
#      pinned in buildpacks/conda/bin/tool-requirements.txt) installed hash-pinned into a venv kept in
#      the machine cache, packs them as conda packages and indexes the channel; skipped when the
#      inputs (tarball, wheels, scripts, pins) are the ones the channel was built from, and copied
#      from the machine cache when another checkout already built it from the same inputs;
#   4. serves .infra/conda-channel/www on http://127.0.0.1:$PORT (python3 -m http.server in the
#      background, pid in .infra/conda-channel.pid) unless this checkout's server already answers.
#
# Layout (gitignored .infra/): www/conda-forge/{linux-64,noarch}/{*.tar.bz2,repodata.json}.
set -Eeuo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${CONDA_CHANNEL_DIR:-$REPO/.infra/conda-channel}"
MACHINE_CACHE="${ML_BUILDPACKS_MACHINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ml-buildpacks}/conda-channel"
PORT="${CONDA_CHANNEL_PORT:-5482}"
DOCKER=/usr/bin/docker
BUILD_IMAGE="${CONDA_CHANNEL_BUILD_IMAGE:-127.0.0.1:5000/ml-buildpacks/build:cpu}"
CPYTHON_TARBALL=cpython-3.11.2+20261128-x86_64-unknown-linux-gnu-install_only.tar.gz
CA_CERTS="${ML_BUILDPACKS_CA_CERTS:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}"

# The wheels repackaged as conda packages (files.pythonhosted.org through pip, checked by sha256).
WHEELS=(
  "numpy==2.2.6 --hash=sha256:ba10f8411898fc418a521833e014a77d3ca01c15b0c6cdcce6a0d2897e6dbbdf"
  "tabulate==0.9.0 --hash=sha256:024ca478df22e9340661486f85298cff5f6dcdba14f3813e8830015b9ed1948f"
  "pip==25.1.1 --hash=sha256:2913a38a2abf4ea6b64ab507bd9e967f3b53dc1ede74b01b0931e1ce548751af"
)

log() { echo "conda-channel: $*"; }
# shellcheck source=lib/serve-dir.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/serve-dir.sh"
fail() { echo "conda-channel: ERROR: $*" >&2; exit 1; }

cpython_tarball() {
  local f
  for f in "$REPO/.infra/python-mirror/www/20261128/$CPYTHON_TARBALL" \
    "${ML_BUILDPACKS_MACHINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ml-buildpacks}/python-mirror/$CPYTHON_TARBALL"; do
    [ -f "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}

# Runs in the build image as the host user: venv (cached), pinned wheels, channel.
in_container() {
  cat <<'EOS'
set -eu
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_CERT=/ca-certs.crt
venv=/cache/venv-$(python3 -c 'import platform; print(platform.python_version())')
stamp=$(cat /repo/scripts/conda-channel-requirements.txt /repo/buildpacks/conda/bin/tool-requirements.txt | sha256sum | cut -c1-16)
if [ "$(cat "$venv/.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --require-hashes --no-deps --only-binary :all: \
    -r /repo/scripts/conda-channel-requirements.txt -r /repo/buildpacks/conda/bin/tool-requirements.txt
  echo "$stamp" >"$venv/.stamp"
fi
mkdir -p /cache/wheels
"$venv/bin/python" -m pip download -q --require-hashes --no-deps --only-binary :all: \
  --platform manylinux2014_x86_64 --python-version 3.11 -d /cache/wheels -r /tmp/wheels.txt
rm -rf /tmp/w && mkdir -p /tmp/w
for spec in $(sed 's/==/-/; s/ .*//' /tmp/wheels.txt); do cp /cache/wheels/"$spec"-*.whl /tmp/w/; done
rm -rf /out/www.new && mkdir -p /out/www.new
"$venv/bin/python" /repo/scripts/conda-channel.py /cpython.tar.gz /tmp/w /out/www.new
EOS
}

build_channel() {
  local tarball
  tarball=$(cpython_tarball) || {
    log "the CPython 3.11.2 tarball is missing: running scripts/python-mirror.sh"
    bash "$REPO/scripts/python-mirror.sh" >&2
    tarball=$(cpython_tarball) || fail "scripts/python-mirror.sh did not leave $CPYTHON_TARBALL"
  }
  local inputs
  inputs=$({ sha256sum "$tarball" | cut -d' ' -f1; printf '%s\n' "${WHEELS[@]}"
    cat "$REPO/scripts/conda-channel.py" "$REPO/scripts/conda-channel-requirements.txt" \
      "$REPO/buildpacks/conda/bin/tool-requirements.txt"; } | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$OUT/www/.inputs" 2>/dev/null)" = "$inputs" ]; then
    log "channel up to date ($OUT/www)"
    return 0
  fi
  mkdir -p "$OUT" "$MACHINE_CACHE"
  # Built once per machine for these inputs: clean clones (CI) copy it from the machine cache.
  local saved="$MACHINE_CACHE/channel-$inputs"
  if [ -f "$saved/.inputs" ]; then
    rm -rf "$OUT/www.new" && cp -r "$saved" "$OUT/www.new"
    rm -rf "$OUT/www" && mv "$OUT/www.new" "$OUT/www"
    log "channel from the machine cache $saved"
    return 0
  fi
  printf '%s\n' "${WHEELS[@]}" >"$OUT/wheels.txt"
  log "building the channel in $BUILD_IMAGE ..."
  local started=$SECONDS
  "$DOCKER" run --rm --network host --user "$(id -u):$(id -g)" -e HOME=/tmp \
    -v "$REPO:/repo:ro" -v "$MACHINE_CACHE:/cache" -v "$OUT:/out" \
    -v "$tarball:/cpython.tar.gz:ro" -v "$OUT/wheels.txt:/tmp/wheels.txt:ro" -v "$CA_CERTS:/ca-certs.crt:ro" \
    "$BUILD_IMAGE" bash -c "$(in_container)" >"$OUT/build.log" 2>&1 ||
    { tail -n 40 "$OUT/build.log" >&2; fail "building the channel failed; see $OUT/build.log"; }
  grep '^conda-channel:' "$OUT/build.log" || true
  echo "$inputs" >"$OUT/www.new/.inputs"
  rm -rf "$OUT/www.old"
  [ -d "$OUT/www" ] && mv "$OUT/www" "$OUT/www.old"
  mv "$OUT/www.new" "$OUT/www"
  rm -rf "$OUT/www.old"
  rm -rf "$MACHINE_CACHE"/channel-* && cp -r "$OUT/www" "$saved.part" && rm -f "$saved.part/.channel-owner" &&
    mv "$saved.part" "$saved"
  log "built in $((SECONDS - started))s"
}

serve() {
  serve_dir "$OUT" "$PORT" .channel-owner "conda-forge/noarch/repodata.json" CONDA_CHANNEL_PORT
}

main() {
  build_channel
  serve
  log "conda-forge channel at http://127.0.0.1:$PORT/conda-forge (BP_CONDA_CHANNEL_ALIAS=http://127.0.0.1:$PORT)"
}

main "$@"
