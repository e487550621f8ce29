#!/usr/bin/env bash
# cosign for ml-buildpacks' builders (and the signing e2e test): Debian trixie's static cosign
# binary, taken from its .deb pinned by sha256 per architecture. Idempotent.
#
#   bash scripts/cosign.sh ARCH OUT   # ARCH: amd64 | arm64; writes the binary to OUT
#
# The mirror is $ML_BUILDPACKS_DEBIAN_MIRROR when set (the pin still decides what is accepted).
set -euo pipefail

COSIGN_VERSION=2.5.0-2+b5
# dists/trixie/main/binary-<arch>/Packages.xz: Filename and SHA256 of the cosign package.
COSIGN_DEB_amd64=pool/main/c/cosign/cosign_2.5.0-2+b5_amd64.deb
COSIGN_SHA256_amd64=3b6eadd27f3c4c00bfa7eab5c2397a6a15a763630c7a1d40d06ff60d24799eef
COSIGN_DEB_arm64=pool/main/c/cosign/cosign_2.5.0-2+b5_arm64.deb
COSIGN_SHA256_arm64=158915eb65c7e024f596958972d76e7feef25355ffaa0dd57d27afb969103028

die() { echo "cosign.sh: $*" >&2; exit 1; }

arch=${1:-}
out=${2:-}
[ -n "$out" ] || die "usage: bash scripts/cosign.sh amd64|arm64 OUT"
case "$arch" in amd64|arm64) ;; *) die "ARCH must be amd64 or arm64, not '$arch'" ;; esac
deb_var=COSIGN_DEB_$arch sha_var=COSIGN_SHA256_$arch
deb=${!deb_var} sha=${!sha_var}
stamp="$out.deb-sha256"

if [ -x "$out" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sha" ]; then
  echo "cosign $COSIGN_VERSION ($arch) already in $out"
  exit 0
fi
base=${ML_BUILDPACKS_DEBIAN_MIRROR:-https://deb.debian.org/debian}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
curl -fsSL --retry 3 -o "$tmp/cosign.deb" "${base%/}/$deb"
echo "$sha  $tmp/cosign.deb" | sha256sum --check --quiet - ||
  die "${base%/}/$deb does not have the pinned sha256 $sha"
dpkg-deb -x "$tmp/cosign.deb" "$tmp/root"
mkdir -p "$(dirname "$out")"
install -m 0755 "$tmp/root/usr/bin/cosign" "$out.new"
mv "$out.new" "$out"
echo "$sha" >"$stamp"
echo "cosign $COSIGN_VERSION ($arch) in $out"
