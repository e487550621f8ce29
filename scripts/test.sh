#!/usr/bin/env bash
# Every test: brings up the local infrastructure (idempotent), then static checks, unit and e2e tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# Build containers trust what this machine trusts (TLS-intercepting proxies in front of PyPI).
if [ -z "${ML_BUILDPACKS_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  export ML_BUILDPACKS_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
# The tests build with the lab's builders: the published names, under the lab's namespace.
export ML_BUILDPACKS_NAMESPACE=127.0.0.1:5000/ml-buildpacks
started=$SECONDS
step() { printf '\n### %s\n' "$*"; }

step "infrastructure: cpu stacks for amd64 and arm64 (qemu), cuda for amd64"
bash scripts/infra.sh --arch all
bash scripts/infra.sh --flavor cuda --arch amd64
step "dist/ is up to date (infra rebuilt it from the sources)"
bash scripts/check-dist.sh
step "typecheck"
npx tsc --noEmit
step "lint"
npx biome check .
step "unit tests"
npx vitest run --config vitest.unit.config.ts
step "end-to-end tests (real lifecycle, Docker engine and registry)"
# The e2e tests' apps, caches and reports (GBs) go to one folder, removed however the run ends.
e2e_tmp=$(mktemp -d "${TMPDIR:-/tmp}/ml-buildpacks-e2e.XXXXXX")
trap 'rm -rf "$e2e_tmp"' EXIT
TMPDIR=$e2e_tmp npx vitest run --config vitest.e2e.config.ts
printf '\nall tests passed in %ss\n' "$((SECONDS - started))"
