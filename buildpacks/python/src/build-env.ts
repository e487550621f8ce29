// Build env that breaks Python builds, refused before anything runs so the error names the variable
// instead of a failure deep inside venv creation or an image whose packages went elsewhere.
// Only the platform's env (<platform>/env: what the user passed to the build) is checked: variables an
// earlier buildpack sets for its own layers are not the user's to change.
//
// Not refused, because they don't break a build: PYTHONSTARTUP (interactive sessions only),
// PYTHONUSERBASE and PYTHONNOUSERSITE (a venv never sees the user site), PYTHONDONTWRITEBYTECODE,
// PYTHONWARNINGS and the like (they change behaviour, not where things are found).
import type { Env } from "#libcnb";
import * as errors from "./errors.js";

/** Variable -> why it breaks the build, as the error shows it. */
export const UNSAFE_BUILD_ENV: Readonly<Record<string, string>> = {
  PYTHONHOME:
    "replaces the interpreter's prefix, so Python looks for its standard library there (startup fails) and venvs are bypassed",
  PYTHONPLATLIBDIR:
    "renames the interpreter's lib directory, so Python cannot find its standard library and does not start",
  PYTHONPATH:
    "puts other directories on the path of every Python the build runs: pip counts packages found there as installed and leaves them out of the image",
  VIRTUAL_ENV:
    "names a virtual environment other than the app's: Poetry, Pipenv and `uv --active` install into it, and the image lacks the packages",
  PIP_TARGET: "pip installs packages into that directory instead of the app's venv, so the image lacks them",
  PIP_PREFIX: "pip installs packages under that prefix instead of the app's venv, so the image lacks them",
  PIP_ROOT: "pip installs packages below that root instead of the app's venv, so the image lacks them",
  PIP_USER: "pip installs into the user's site-packages, which a venv refuses (pip fails) or the image lacks",
};

/** PIP_USER=0/false/no/off is pip's own "off": harmless. */
function isOff(name: string, value: string): boolean {
  return name === "PIP_USER" && /^(0|false|no|off)$/i.test(value.trim());
}

export function checkBuildEnv(platformEnv: Env): void {
  const found = Object.entries(UNSAFE_BUILD_ENV)
    .map(([name, why]) => ({ name, value: platformEnv[name] ?? "", why }))
    .filter((f) => f.value.trim() !== "" && !isOff(f.name, f.value));
  if (found.length > 0) throw errors.unsafeBuildEnv(found);
}
