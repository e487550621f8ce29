//go:build tools

// Pins pack v0.35.1 (the newest release with cmd/pack that builds without a replace directive) for
// bench/run.mjs, which builds it with: go build -o <bench cache>/pack github.com/buildpacks/pack/cmd/pack
package tools

import _ "github.com/buildpacks/pack/cmd/pack"
