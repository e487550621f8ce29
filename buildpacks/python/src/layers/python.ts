// The "python" layer holds no files, only env for later buildpacks (build) and the app (launch).
import type { Layers } from "../../../../src/libcnb/index.js";

/** Set at build time for later buildpacks: the full version of the selected Python (e.g. 3.13.5). */
export const VERSION_ENV = "ML_BUILDPACKS_PYTHON_VERSION";
/**
 * Set at build time for later buildpacks: the interpreter to build venvs from. /usr/bin/python3 (the
 * stack's) or /layers/ml-buildpacks_python/cpython/bin/python3 (an installed CPython, a launch layer,
 * so the same path exists in the app image).
 */
export const INTERPRETER_ENV = "ML_BUILDPACKS_PYTHON";

export function writePythonLayer(layers: Layers, version: string, interpreter: string): void {
  const layer = layers.get("python");
  layer.reset();
  // Logs reach `docker logs` as they are written, at build time and at launch.
  layer.env.shared.default("PYTHONUNBUFFERED", "1");
  layer.env.shared.default("PIP_DISABLE_PIP_VERSION_CHECK", "1");
  layer.env.build.override(VERSION_ENV, version);
  layer.env.build.override(INTERPRETER_ENV, interpreter);
  // build: later buildpacks see the env; launch: the app gets PYTHONUNBUFFERED. Recreated every build;
  // the exporter reuses the previous image's layer when the content (and so its digest) is unchanged.
  layer.write({ python_version: version }, { build: true, launch: true, cache: false });
}
