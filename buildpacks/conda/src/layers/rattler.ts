// The "rattler" layer: py-rattler (the conda solver and installer) in its own virtual environment,
// installed by the stack's pip from bin/tool-requirements.txt (sha256-pinned wheels for amd64 and
// arm64). Build-only tool (launch=false, build=false: bin/conda_driver.py runs on its Python) kept in
// the build cache, keyed by py-rattler version, the requirements file's sha256, Python, arch and distro.
import { join } from "node:path";
import type { BuildContext } from "../../../../src/libcnb/index.js";
import {
  ensurePinnedTool,
  keepPinnedTool,
  type PinnedTool,
  type PinnedToolKey,
  pinnedToolKey,
} from "../../../../src/pybuild/pinned-tool.js";
import type { PythonTools } from "../../../../src/pybuild/stack-python.js";

/** Must match the py-rattler== pin in bin/tool-requirements.txt (a unit test checks). */
export const RATTLER_VERSION = "0.28.0";
export const RATTLER_LAYER_VERSION = 2;

const TOOL: PinnedTool = {
  name: "py-rattler",
  layer: "rattler",
  executable: "python",
  version: RATTLER_VERSION,
  // The venv's python prints the installed distribution's version (the pinned-tool check).
  versionArgs: ["-I", "-c", "import importlib.metadata as m; print(m.version('py-rattler'))"],
  env: {},
  layerVersion: RATTLER_LAYER_VERSION,
};

export function rattlerToolKey(
  ctx: Pick<BuildContext, "buildpack" | "target">,
  pythonVersion: string,
): PinnedToolKey {
  return pinnedToolKey(ctx, TOOL, pythonVersion);
}

/** Returns the Python of the rattler venv: the cached layer when its key matches, otherwise a fresh install. */
export function ensureRattler(ctx: BuildContext, tools: PythonTools, key: PinnedToolKey): Promise<string> {
  return ensurePinnedTool(ctx, tools, TOOL, key);
}

export function keepRattler(ctx: BuildContext, key: PinnedToolKey): void {
  keepPinnedTool(ctx, TOOL, key);
}

export function rattlerPython(ctx: BuildContext): string {
  return join(ctx.layers.get(TOOL.layer).path, "bin", "python");
}
