//go:build tools

package lifecyclebuild

import (
	_ "github.com/buildpacks/lifecycle/cmd/lifecycle"
	_ "github.com/buildpacks/lifecycle/cmd/launcher"
)
