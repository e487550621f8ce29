// The stack's interpreter (ml-buildpacks/python checked it earlier) and its pip, which installs both
// Poetry (into the tool layer) and the exported requirements (into the venv) with --python.
import type { Exec } from "../../../src/libcnb/index.js";
import * as errors from "./errors.js";

/** Same path in the build and run images. */
export const STACK_PYTHON = "/usr/bin/python3";

export interface PythonTools {
  python: string;
  /** Full version, e.g. "3.13.5". */
  version: string;
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

export async function probePython(exec: Exec, python = STACK_PYTHON): Promise<PythonTools> {
  const r = await exec(python, ["-I", "-c", PROBE]);
  if (r.spawnError !== undefined) throw errors.pythonNotFound(python, r.spawnError);
  let info: { python?: unknown; pip?: unknown } = {};
  try {
    info = JSON.parse(r.stdout.trim().split("\n").pop() ?? "");
  } catch {
    // handled below
  }
  if (r.code !== 0 || typeof info.python !== "string") throw errors.pythonBroken(python, r.code, r.output);
  const pip = typeof info.pip === "string" ? info.pip : undefined;
  if (!pip || !versionAtLeast(pip, [22, 3])) throw errors.pipTooOld(python, pip);
  return { python, version: info.python, pipVersion: pip };
}
