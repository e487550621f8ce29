// The interpreter the venv is built from, and the pip that installs into it.
import type { Exec } from "#libcnb";
import { pipHasPythonOption, probeInterpreter, STACK_PYTHON } from "#pybuild/stack-python";

export interface PythonTools {
  python: string;
  /** Full version, e.g. "3.13.5". */
  version: string;
  /**
   * "system": the interpreter's pip (the stack's Debian python3-pip) installs into the venv with
   * --python, so the venv holds no pip or setuptools. "venv": the venv gets its own pip from
   * ensurepip (python3-venv).
   */
  pipMode: "system" | "venv";
  /** Version of the system pip, or "ensurepip" when the venv's bundled pip is used. */
  pipVersion: string;
}

/** Unlike the lock installers, pip installs with the venv's interpreter's own pip, or ensurepip's. */
export async function probePython(exec: Exec, python = STACK_PYTHON): Promise<PythonTools> {
  const { version, pip } = await probeInterpreter("pip", exec, python);
  if (pipHasPythonOption(pip)) return { python, version, pipMode: "system", pipVersion: pip };
  return { python, version, pipMode: "venv", pipVersion: "ensurepip" };
}
