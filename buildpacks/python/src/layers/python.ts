// The "python" layer: env for later buildpacks (build) and the app (launch), and bin/python, so that
// every image with Python has a `python` command (Debian's stack has only python3).
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import type { Layers } from "#libcnb";

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
  // bin/ of a build and launch layer is on PATH for later buildpacks and for the app; a venv's own
  // bin/python (later buildpacks' layers come first on PATH) still wins where there is one.
  mkdirSync(join(layer.path, "bin"));
  symlinkSync(interpreter, join(layer.path, "bin", "python"));
  // Logs reach `docker logs` as they are written, at build time and at launch.
  layer.env.shared.default("PYTHONUNBUFFERED", "1");
  layer.env.shared.default("PIP_DISABLE_PIP_VERSION_CHECK", "1");
  layer.env.build.override(VERSION_ENV, version);
  layer.env.build.override(INTERPRETER_ENV, interpreter);
  // build: later buildpacks see the env; launch: the app gets PYTHONUNBUFFERED and `python`. Recreated
  // every build; the exporter reuses the previous image's layer when its content is unchanged.
  layer.write({ python_version: version }, { build: true, launch: true, cache: false });
}
