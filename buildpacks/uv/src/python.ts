// The stack's interpreter the venv is built from (ml-buildpacks/python checked it earlier).
import type { Exec } from "../../../src/libcnb/index.js";
import * as errors from "./errors.js";

/** Same path in the build and run images. */
export const STACK_PYTHON = "/usr/bin/python3";

/**
 * Set by ml-buildpacks/python (its "python" layer's build env): the interpreter it selected, the
 * stack's or a CPython it installed in its cpython launch layer (at the same /layers path at run time).
 */
export const INTERPRETER_ENV = "ML_BUILDPACKS_PYTHON";

/** The interpreter the venv is built from: the python buildpack's choice, else the stack's. */
export function selectedPython(env: Readonly<Record<string, string | undefined>>): string {
  return env[INTERPRETER_ENV]?.trim() || STACK_PYTHON;
}

export async function pythonVersion(exec: Exec, python = STACK_PYTHON): Promise<string> {
  const r = await exec(python, ["-I", "-c", "import platform; print(platform.python_version())"]);
  if (r.spawnError !== undefined) throw errors.pythonNotFound(python, r.spawnError);
  const version = r.stdout.trim();
  if (r.code !== 0 || !/^\d+\.\d+\.\d+/.test(version)) throw errors.pythonBroken(python, r.code, r.output);
  return version;
}
