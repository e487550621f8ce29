#!/usr/bin/env bash
# A local python-build-standalone mirror for the python buildpack's tests (scripts/infra.sh step
# "python-mirror"; also runnable alone). Idempotent:
#
#   1. builds ONE relocatable CPython from Debian's source package, in the cpu build image, and packs
#      it the way python-build-standalone packs its install_only tarballs (python/bin/python3,
#      python/lib/...), unless the tarball is already there;
#   2. writes the TEST manifest (version -> arch -> file + sha256) with that tarball's sha256;
#   3. serves the mirror's www/ folder on http://127.0.0.1:$PORT (python3 -m http.server in the
#      background, pid in .infra/python-mirror.pid) unless it already answers.
#
# Layout (all in .infra/, gitignored):
#   .infra/python-mirror/www/<release>/cpython-<version>+<release>-x86_64-unknown-linux-gnu-install_only.tar.gz
#   .infra/python-mirror/manifest.toml      the test manifest: NOT served (a mirror supplies bytes only;
#                                           the pins come from the buildpack or from a manifest file the
#                                           build's own configuration names, see buildpacks/python/src/manifest.ts)
#
# Why Python 3.11: GitHub (python-build-standalone's releases) and python.org are not reachable from
# this machine; the Debian archive is, and it carries CPython sources for 3.11 (bookworm) and 3.13 (the
# stack's own, trixie). No 3.12 source package is left on it. 3.11 is within the supported 3.10-3.14
# range and is not the stack's Python, so a build asking for it must go through the download path.
set -Eeuo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${PYTHON_MIRROR_DIR:-$REPO/.infra/python-mirror}"
MACHINE_CACHE="${ML_BUILDPACKS_MACHINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ml-buildpacks}/python-mirror"
PORT="${PYTHON_MIRROR_PORT:-5481}"
DOCKER=/usr/bin/docker
BUILD_IMAGE="${PYTHON_MIRROR_BUILD_IMAGE:-127.0.0.1:5000/ml-buildpacks/build:cpu}"

# The source: Debian bookworm's python3.11 orig tarball (the upstream Python-3.11.2.tgz), pinned.
PY_VERSION=3.11.2
SRC_FILE=python3.11_3.11.2.orig.tar.gz
SRC_SHA256=2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849
# A "release" tag in python-build-standalone's style (their tags are build dates).
RELEASE=20261128
TRIPLE=x86_64-unknown-linux-gnu
TARBALL="cpython-$PY_VERSION+$RELEASE-$TRIPLE-install_only.tar.gz"

log() { echo "python-mirror: $*"; }
# shellcheck source=lib/serve-dir.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/serve-dir.sh"
fail() { echo "python-mirror: ERROR: $*" >&2; exit 1; }

debian_mirror() {
  # The machine's Debian mirror, as apt knows it (deb822 or one-line sources).
  local uri
  uri=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list \
    /etc/apt/sources.list 2>/dev/null | grep -v security | head -n 1 |
    sed -E 's/^URIs:[[:space:]]*//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//; s/[[:space:]].*$//')
  echo "${uri:-http://deb.debian.org/debian}"
}

fetch_source() {
  local dest="$OUT/src/$SRC_FILE"
  if [ -f "$dest" ] && echo "$SRC_SHA256  $dest" | sha256sum -c --status; then return 0; fi
  mkdir -p "$OUT/src"
  local url
  url="$(debian_mirror)/pool/main/p/python3.11/$SRC_FILE"
  log "downloading $url"
  curl -fsSL --retry 3 -o "$dest.part" "$url"
  echo "$SRC_SHA256  $dest.part" | sha256sum -c --status || fail "$SRC_FILE: sha256 mismatch (expected $SRC_SHA256)"
  mv "$dest.part" "$dest"
}

# Runs inside the build image as root, in a throwaway container: dev headers, configure, make, install
# into /install, then pack /install as python/ (the install_only layout).
build_in_container() {
  cat <<'EOS'
set -eux
echo "$(date +%T) start"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Headers for ssl, zlib, ctypes (libffi), sqlite3, bz2, lzma, uuid. The runtime libraries behind them
# (libssl3t64, zlib1g, libffi8, libsqlite3-0, libbz2-1.0, liblzma5, libuuid1) are in the run image
# already: Debian's python3 depends on them.
apt-get install -y -qq --no-install-recommends libssl-dev zlib1g-dev libffi-dev libsqlite3-dev \
  libbz2-dev liblzma-dev uuid-dev >/dev/null
echo "$(date +%T) headers installed"
mkdir -p /tmp/b && cd /tmp/b
tar -xzf /src/"$SRC_FILE" --strip-components=1
# No PGO/LTO and no test run: the build has to stay short on 2 cores. --enable-shared ships
# libpython3.11.so like python-build-standalone; rpath $ORIGIN/../lib makes the interpreter and the
# extension modules find it wherever python/ is unpacked (here: a CNB layer).
# --disable-test-modules: the test suite is neither built nor installed (nor byte-compiled).
./configure --prefix=/install --enable-shared --with-ensurepip=install --without-doc-strings \
  --disable-test-modules LDFLAGS='-Wl,-rpath,\$$ORIGIN/../lib' >/tmp/configure.log 2>&1 ||
  { tail -50 /tmp/configure.log; exit 1; }
echo "$(date +%T) configured"
make -j"$(nproc)" >/tmp/make.log 2>&1 || { tail -80 /tmp/make.log; exit 1; }
echo "$(date +%T) built"
make install >/tmp/install.log 2>&1 || { tail -50 /tmp/install.log; exit 1; }
echo "$(date +%T) installed"
cd /install
# What a relocatable install_only build needs, not the test suite or IDLE/Tk.
rm -rf lib/python3.11/test lib/python3.11/idlelib lib/python3.11/tkinter lib/python3.11/turtledemo share
find . -name '*.so*' -type f -exec strip --strip-unneeded {} + 
strip --strip-unneeded bin/python3.11
# python-build-standalone has bin/python too.
ln -sf python3 bin/python
# Entry-point scripts (pip3, pydoc3, ...) have "#!/install/bin/python3.11" shebangs. Make them
# relocatable as python-build-standalone does: a line both sh and Python read, running the python3
# next to the script wherever the tree is unpacked.
for f in bin/*; do
  [ -f "$f" ] && [ ! -L "$f" ] || continue
  head -n 1 "$f" | grep -q '^#!/install/bin/python' || continue
  { cat <<'SH'
#!/bin/sh
'''exec' "$(dirname -- "$(realpath -- "$0")")/python3" "$0" "$@"
' '''
SH
    tail -n +2 "$f"; } >"$f.new"
  chmod 755 "$f.new"
  mv "$f.new" "$f"
done
# The modules the buildpack's users rely on must all import from the moved tree.
mv /install /tmp/python && cd /tmp
python/bin/python3 -I -c 'import ssl, zlib, ctypes, sqlite3, bz2, lzma, uuid, hashlib, venv, ensurepip; print("ok", ssl.OPENSSL_VERSION)'
python/bin/pip3 --version
readelf -d python/bin/python3.11 | grep -E 'RUNPATH|RPATH'
tar --owner=0 --group=0 --numeric-owner --sort=name -czf /out/"$TARBALL".part python
mv /out/"$TARBALL".part /out/"$TARBALL"
chown "$HOST_UID:$HOST_GID" /out/"$TARBALL"
EOS
}

build_tarball() {
  local dir="$OUT/www/$RELEASE"
  if [ -f "$dir/$TARBALL" ]; then return 0; fi
  # Built once per machine: clean clones (CI) take it from the machine cache instead of compiling again.
  if [ -f "$MACHINE_CACHE/$TARBALL" ]; then
    mkdir -p "$dir"
    cp "$MACHINE_CACHE/$TARBALL" "$dir/$TARBALL"
    log "CPython $PY_VERSION from the machine cache $MACHINE_CACHE"
    return 0
  fi
  fetch_source
  mkdir -p "$dir"
  log "building CPython $PY_VERSION in $BUILD_IMAGE (configure + make, no PGO/LTO, no tests; a few minutes) ..."
  local started=$SECONDS
  "$DOCKER" run --rm --network host --user 0:0 \
    -e SRC_FILE="$SRC_FILE" -e TARBALL="$TARBALL" -e HOST_UID="$(id -u)" -e HOST_GID="$(id -g)" \
    -v "$OUT/src:/src:ro" -v "$dir:/out" \
    "$BUILD_IMAGE" bash -c "$(build_in_container)" >"$OUT/build.log" 2>&1 ||
    { tail -n 60 "$OUT/build.log" >&2; fail "CPython build failed; see .infra/python-mirror/build.log"; }
  log "built $TARBALL in $((SECONDS - started))s"
  mkdir -p "$MACHINE_CACHE"
  cp "$dir/$TARBALL" "$MACHINE_CACHE/$TARBALL.part" && mv "$MACHINE_CACHE/$TARBALL.part" "$MACHINE_CACHE/$TARBALL"
}

# The test manifest, in the buildpack manifest's format (buildpacks/python/src/manifest-data.ts).
write_manifest() {
  local sha tmp="$OUT/manifest.toml.tmp"
  sha=$(sha256sum "$OUT/www/$RELEASE/$TARBALL" | cut -d' ' -f1)
  cat >"$tmp" <<EOF
# TEST manifest for the local python mirror (scripts/python-mirror.sh). Never used by default:
# a build uses it only when its own configuration says BP_PYTHON_MANIFEST=<this file>.
[python."$PY_VERSION"]
release = "$RELEASE"

[python."$PY_VERSION".amd64]
file = "$TARBALL"
sha256 = "$sha"
EOF
  if cmp -s "$tmp" "$OUT/manifest.toml"; then rm -f "$tmp"; else mv "$tmp" "$OUT/manifest.toml"; fi
  echo "$sha"
}

serve() {
  serve_dir "$OUT" "$PORT" .mirror-owner "$RELEASE/" PYTHON_MIRROR_PORT
}

main() {
  mkdir -p "$OUT/www"
  build_tarball
  local sha
  sha=$(write_manifest)
  serve
  log "CPython $PY_VERSION at http://127.0.0.1:$PORT/$RELEASE/$TARBALL (sha256 $sha); test manifest .infra/python-mirror/manifest.toml"
}

main "$@"
