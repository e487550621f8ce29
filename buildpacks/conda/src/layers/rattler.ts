// The "rattler" layer: py-rattler (the conda solver and installer) in its own virtual environment,
// installed by the stack's pip from bin/tool-requirements.txt (sha256-pinned wheels for amd64 and
// arm64). Build-only tool (launch=false, build=false: bin/conda_driver.py runs on its Python) kept in
// the build cache, keyed by py-rattler version, the requirements file's sha256, Python, arch and distro.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type BuildContext,
  type Describers,
  fileChanged,
  versionChanged,
} from "../../../../src/libcnb/index.js";
import { archOf } from "../../../../src/pybuild/keys.js";
import {
  ensurePinnedTool,
  keepPinnedTool,
  type PinnedTool,
  toolRequirements,
} from "../../../../src/pybuild/pinned-tool.js";
import type { PythonTools } from "../../../../src/pybuild/stack-python.js";
import { sha256 } from "../source.js";

/** Must match the py-rattler== pin in bin/tool-requirements.txt (a unit test checks). */
export const RATTLER_VERSION = "0.28.0";
export const RATTLER_LAYER_VERSION = 1;

export type RattlerToolKey = {
  layer_version: number;
  rattler_version: string;
  requirements_sha256: string;
  python_version: string;
  arch: string;
  distro_name: string;
  distro_version: string;
};

const DESCRIBERS: Describers<RattlerToolKey> = {
  layer_version: versionChanged("rattler layer format"),
  rattler_version: versionChanged("py-rattler"),
  requirements_sha256: fileChanged("the buildpack's tool-requirements.txt"),
  python_version: versionChanged("Python"),
  arch: versionChanged("architecture"),
  distro_name: versionChanged("distribution"),
  distro_version: versionChanged("distribution version"),
};

export function rattlerToolKey(
  ctx: Pick<BuildContext, "buildpack" | "target">,
  pythonVersion: string,
): RattlerToolKey {
  return {
    layer_version: RATTLER_LAYER_VERSION,
    rattler_version: RATTLER_VERSION,
    requirements_sha256: sha256(readFileSync(toolRequirements(ctx.buildpack.dir))),
    python_version: pythonVersion,
    arch: archOf(ctx.target),
    distro_name: ctx.target.distroName,
    distro_version: ctx.target.distroVersion,
  };
}

const TOOL: PinnedTool = {
  name: "py-rattler",
  layer: "rattler",
  executable: "python",
  version: RATTLER_VERSION,
  // The venv's python prints the installed distribution's version (the pinned-tool check).
  versionArgs: ["-I", "-c", "import importlib.metadata as m; print(m.version('py-rattler'))"],
  env: {},
};

/** Returns the Python of the rattler venv: the cached layer when its key matches, otherwise a fresh install. */
export function ensureRattler(ctx: BuildContext, tools: PythonTools, key: RattlerToolKey): Promise<string> {
  return ensurePinnedTool(ctx, tools, TOOL, key, DESCRIBERS);
}

export function keepRattler(ctx: BuildContext, key: RattlerToolKey): void {
  keepPinnedTool(ctx, TOOL, key, DESCRIBERS);
}

export function rattlerPython(ctx: BuildContext): string {
  return join(ctx.layers.get(TOOL.layer).path, "bin", "python");
}
