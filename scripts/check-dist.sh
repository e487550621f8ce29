#!/usr/bin/env bash
# Fails when the committed bundles (dist/) differ from what the sources build to.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! git diff --quiet -- dist || [ -n "$(git ls-files --others --exclude-standard dist)" ]; then
  git diff --stat -- dist
  echo "dist/ is stale: run npm run build and commit dist/" >&2
  exit 1
fi
echo "dist/ matches the sources"
