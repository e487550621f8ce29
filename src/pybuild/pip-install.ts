// How a buildpack runs pip to install the app's packages into its venv layer (pip's requirements,
// Poetry's exported lock): the same environment and output flags for both.

/** Env for pip installing into a layer: no prompts, no version check, unbuffered output. */
export const PIP_ENV: Record<string, string | undefined> = {
  PIP_DISABLE_PIP_VERSION_CHECK: "1",
  PIP_NO_INPUT: "1",
  PIP_ROOT_USER_ACTION: "ignore",
  PYTHONUNBUFFERED: "1",
  // A user-level install or a "require a venv" setting would break installing into the layer.
  PIP_USER: undefined,
  PIP_REQUIRE_VIRTUALENV: undefined,
  VIRTUAL_ENV: undefined,
};

/** `pip install`'s flags after what to install: downloads cached in `cacheDir`, quiet output. */
export function pipInstallFlags(cacheDir: string): string[] {
  return [
    "--cache-dir",
    cacheDir,
    "--no-input",
    // Bytecode is compiled afterwards, hash-based (see bytecode.ts).
    "--no-compile",
    "--progress-bar",
    "off",
    "--disable-pip-version-check",
  ];
}
