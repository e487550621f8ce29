// Messages about the project files the lock-file installers read; `tool` names the installer.
import { BuildpackError } from "../libcnb/index.js";

/** For the installers that install a project from pyproject.toml and a lock (uv, Poetry). */
export function lockWithoutProject(tool: string, lock: string, manifest: string): BuildpackError {
  return new BuildpackError({
    title: `${lock} was found, but no ${manifest}`,
    body:
      `${tool} installs a project from ${manifest} and its lock ${lock}; this app has only the lock.\n\n` +
      `Commit ${manifest} next to ${lock} (both at the top of the app), or delete ${lock}\n` +
      `if the app doesn't use ${tool}.`,
    file: lock,
  });
}

/** `fix` says what the user changes: the file itself, or regenerating it with the tool. */
export function unparsableToml(
  file: string,
  line: number | undefined,
  detail: string,
  fix: string,
): BuildpackError {
  return new BuildpackError({
    title: `${file} is not valid TOML`,
    body: `${detail}\n\n${fix}`,
    file,
    ...(line !== undefined ? { line } : {}),
  });
}

/** `what` says what the names are, e.g. "dependency group"; the fix is the build env variable. */
export function invalidNames(
  what: string,
  variable: string,
  value: string,
  bad: string[],
  expected: string,
  unset: string,
): BuildpackError {
  return new BuildpackError({
    title: `${variable} has an invalid ${what} name: ${bad.join(", ")}`,
    body:
      `${variable}=${JSON.stringify(value)} should list ${expected}.\n\n` +
      `Fix ${variable} in the build environment, or unset it to ${unset}.`,
  });
}
