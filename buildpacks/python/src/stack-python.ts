// The stack's CPython: where it is and which version it is (found by running it).
import type { Exec } from "#libcnb";
import * as errors from "./errors.js";

/** Debian's interpreter, present at the same path in the build and the run image. */
export const STACK_PYTHON = "/usr/bin/python3";

export async function stackPythonVersion(exec: Exec, python = STACK_PYTHON): Promise<string> {
  const r = await exec(python, ["-I", "-c", "import platform; print(platform.python_version())"]);
  if (r.spawnError !== undefined) throw errors.pythonNotFound(python, r.spawnError);
  const version = r.stdout.trim();
  if (r.code !== 0 || !/^\d+\.\d+\.\d+/.test(version)) throw errors.pythonBroken(python, r.code, r.output);
  return version;
}
