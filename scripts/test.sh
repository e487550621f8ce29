#!/usr/bin/env bash
# Every test: brings up the local infrastructure (idempotent), then static checks, unit and e2e tests.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
step() { printf '\n### %s\n' "$*"; }

step "infrastructure (npm run infra)"
bash scripts/infra.sh
step "typecheck"
npx tsc --noEmit
step "lint"
npx biome check .
step "unit tests"
npx vitest run --config vitest.unit.config.ts
step "end-to-end tests (real lifecycle, Docker engine and registry)"
npx vitest run --config vitest.e2e.config.ts
printf '\nall tests passed in %ss\n' "$((SECONDS - started))"
