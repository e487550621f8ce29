// The interpreter the venv is built from, and the pip that installs into it.
import type { Exec } from "#libcnb";
import * as shared from "#pybuild/errors";
import { STACK_PYTHON, versionAtLeast } from "#pybuild/stack-python";

/** pip >= 22.3 can install into another environment with --python. */
const PIP_PYTHON_OPTION = [22, 3];

export interface PythonTools {
  python: string;
  /** Full version, e.g. "3.13.5". */
  version: string;
  /**
   * "system": the stack's pip (Debian python3-pip) installs into the venv with --python, so the venv
   * holds no pip or setuptools. "venv": the venv gets its own pip from ensurepip (python3-venv).
   */
  pipMode: "system" | "venv";
  /** Version of the system pip, or "ensurepip" when the venv's bundled pip is used. */
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

export async function probePython(exec: Exec, python = STACK_PYTHON): Promise<PythonTools> {
  const r = await exec(python, ["-I", "-c", PROBE]);
  if (r.spawnError !== undefined) throw shared.pythonNotFound("pip", python, r.spawnError);
  let info: { python?: unknown; pip?: unknown } = {};
  try {
    info = JSON.parse(r.stdout.trim().split("\n").pop() ?? "");
  } catch {
    // handled below
  }
  if (r.code !== 0 || typeof info.python !== "string") throw shared.pythonBroken(python, r.code, r.output);
  const pip = typeof info.pip === "string" ? info.pip : undefined;
  if (pip && versionAtLeast(pip, PIP_PYTHON_OPTION)) {
    return { python, version: info.python, pipMode: "system", pipVersion: pip };
  }
  return { python, version: info.python, pipMode: "venv", pipVersion: "ensurepip" };
}
