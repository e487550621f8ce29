// The "rattler" layer: py-rattler (the conda solver and installer) in its own virtual environment,
// installed by the stack's pip from bin/tool-requirements.txt (sha256-pinned wheels for amd64 and
// arm64). Build-only tool (launch=false, build=false: bin/conda_driver.py runs on its Python) kept in
// the build cache, keyed by py-rattler version, the requirements file's sha256, Python, arch and distro.
import type { PinnedTool } from "#pybuild/pinned-tool";

/** Must match the py-rattler== pin in bin/tool-requirements.txt (a unit test checks). */
export const RATTLER_VERSION = "0.28.0";
export const RATTLER_LAYER_VERSION = 2;

export const RATTLER: PinnedTool = {
  name: "py-rattler",
  layer: "rattler",
  executable: "python",
  version: RATTLER_VERSION,
  // The venv's python prints the installed distribution's version (the pinned-tool check).
  versionArgs: ["-I", "-c", "import importlib.metadata as m; print(m.version('py-rattler'))"],
  env: {},
  layerVersion: RATTLER_LAYER_VERSION,
};
