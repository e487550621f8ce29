// The stack's interpreter (ml-buildpacks/python checked it earlier) and its pip, which installs a
// Python tool (Poetry, Pipenv) into its tool layer and the app's packages into the venv with --python.
import type { Exec } from "../libcnb/index.js";
import * as errors from "./errors.js";

/** Same path in the build and run images. */
export const STACK_PYTHON = "/usr/bin/python3";

/**
 * Set by ml-buildpacks/python (its "python" layer's build env): the interpreter it selected, the
 * stack's or a CPython it installed in its cpython launch layer (at the same /layers path at run time).
 */
export const INTERPRETER_ENV = "ML_BUILDPACKS_PYTHON";

/** The interpreter the app's venv is built from: the python buildpack's choice, else the stack's. */
export function selectedPython(env: Readonly<Record<string, string | undefined>>): string {
  return env[INTERPRETER_ENV]?.trim() || STACK_PYTHON;
}

export interface PythonTools {
  /** The stack's Python: runs the tool (its requirements are pinned for it) and pip. */
  python: string;
  /** Its full version, e.g. "3.13.5". */
  version: string;
  /** The interpreter the app's venv is built from (selectedPython). */
  appPython: string;
  /** Its full version. */
  appVersion: string;
  /** Version of the stack's pip (Debian python3-pip), which must support --python (22.3+). */
  pipVersion: string;
}

const PROBE = [
  "import json, platform",
  "try:",
  "    import pip; v = pip.__version__",
  "except Exception:",
  "    v = None",
  'print(json.dumps({"python": platform.python_version(), "pip": v}))',
].join("\n");

export function versionAtLeast(version: string, min: number[]): boolean {
  const parts = version.split(".").map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < min.length; i++) {
    const have = parts[i] ?? 0;
    const want = min[i] ?? 0;
    if (Number.isNaN(have) || have < want) return false;
    if (have > want) return true;
  }
  return true;
}

/** What an interpreter reports: its full version, and its pip's when it has one. */
export interface Interpreter {
  version: string;
  pip: string | undefined;
}

/** Runs `python` once; `who` names the buildpack in error messages. */
export async function probeInterpreter(who: string, exec: Exec, python: string): Promise<Interpreter> {
  const r = await exec(python, ["-I", "-c", PROBE]);
  if (r.spawnError !== undefined) throw errors.pythonNotFound(who, python, r.spawnError);
  let info: { python?: unknown; pip?: unknown } = {};
  try {
    info = JSON.parse(r.stdout.trim().split("\n").pop() ?? "");
  } catch {
    // handled below
  }
  if (r.code !== 0 || typeof info.python !== "string") throw errors.pythonBroken(python, r.code, r.output);
  return { version: info.python, pip: typeof info.pip === "string" ? info.pip : undefined };
}

/** pip >= 22.3 can install into another environment with --python. */
export function pipHasPythonOption(pip: string | undefined): pip is string {
  return pip !== undefined && versionAtLeast(pip, [22, 3]);
}

/** `who` names the buildpack in error messages. */
export async function probePython(
  who: string,
  exec: Exec,
  appPython = STACK_PYTHON,
  python = STACK_PYTHON,
): Promise<PythonTools> {
  const { version, pip } = await probeInterpreter(who, exec, python);
  if (!pipHasPythonOption(pip)) throw errors.pipTooOld(who, python, pip);
  if (appPython === python) return { python, version, appPython, appVersion: version, pipVersion: pip };
  const appVersion = await pythonVersion(who, exec, appPython);
  return { python, version, appPython, appVersion, pipVersion: pip };
}

/** The full version of `python` (e.g. "3.13.5"), for an installer that needs no pip (uv). */
export async function pythonVersion(who: string, exec: Exec, python: string): Promise<string> {
  const r = await exec(python, ["-I", "-c", "import platform; print(platform.python_version())"]);
  if (r.spawnError !== undefined) throw errors.pythonNotFound(who, python, r.spawnError);
  const version = r.stdout.trim();
  if (r.code !== 0 || !/^\d+\.\d+\.\d+/.test(version)) throw errors.pythonBroken(python, r.code, r.output);
  return version;
}
