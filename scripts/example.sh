#!/usr/bin/env bash
# The main job: bring up the local infrastructure, build the pip + OpenCV + pandas example into an
# image with the real lifecycle, push it to the local registry and run it.
set -euo pipefail
cd "$(dirname "$0")/.."
# Build containers trust what this machine trusts (TLS-intercepting proxies in front of PyPI).
if [ -z "${ML_BUILDPACKS_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  export ML_BUILDPACKS_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
image="${IMAGE:-127.0.0.1:5000/examples/pip-opencv-pandas:latest}"
# The lab's copy of the published builders (scripts/infra.sh publishes them under this namespace).
export ML_BUILDPACKS_NAMESPACE="${ML_BUILDPACKS_NAMESPACE:-127.0.0.1:5000/ml-buildpacks}"

bash scripts/infra.sh
mkdir -p .infra/cache
node bin/ml-buildpacks.js build examples/pip-opencv-pandas \
  --image "$image" \
  --cache-dir .infra/cache/pip-opencv-pandas \
  --report .infra/example-report.json
digest=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(".infra/example-report.json","utf8")).imageRef)')
printf '\n### running %s\n' "$digest"
/usr/bin/docker run --rm --network host "$digest"
